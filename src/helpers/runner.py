"""Build runner: execute the chapter notebooks with papermill, then build the book.

``python -m helpers.runner [--set chapter.param=value ...] [--only chapter ...] [--no-build]``

1. Parameters come from ``params.yml`` with command-line overrides; unknown chapters or
   parameter names, and values of the wrong type, are rejected before any notebook runs.
2. Each notebook is executed into a fresh staging folder (its figures and data downloads are
   written next to it); progress and timing are printed per notebook. A failing notebook stops
   the run with the notebook's name, the failing cell and the error; nothing published changes.
3. When all notebooks succeed, the staging folder replaces ``book/_generated`` and Jupyter Book
   builds the HTML (``execute_notebooks: off``, warnings are errors). The new HTML replaces
   ``_build/html`` only when the build succeeds, so a failure leaves the previous book intact.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers import config

KERNEL_NAME = "regionale-innovatie"


class RunnerError(RuntimeError):
    """A problem that stops the build, with a message meant for the person running it."""


@dataclass
class Chapter:
    name: str
    notebook: Path
    parameters: dict


def load_params(path: Path | None = None) -> dict[str, Chapter]:
    doc = yaml.safe_load(Path(path or config.PARAMS_FILE).read_text(encoding="utf-8"))
    return {
        name: Chapter(name, config.ROOT / spec["notebook"], dict(spec.get("parameters") or {}))
        for name, spec in doc["chapters"].items()
    }


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values declared in the notebook's ``parameters`` cell."""
    import papermill

    declared = papermill.inspect_notebook(str(notebook))
    return {name: info["default"] for name, info in declared.items()}


def _same_kind(value: object, default: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return type(value) is type(default) or default is None or default == "None"


def apply_overrides(chapters: dict[str, Chapter], overrides: list[str]) -> dict[str, Chapter]:
    """Apply ``chapter.param=value`` overrides (values parsed as YAML) and validate all
    parameters against each notebook's ``parameters`` cell."""
    for item in overrides:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise RunnerError(f"Override {item!r} is not of the form chapter.parameter=value")
        key, raw = item.split("=", 1)
        chapter, param = key.split(".", 1)
        if chapter not in chapters:
            raise RunnerError(
                f"Unknown chapter {chapter!r} in {item!r}; chapters: {', '.join(chapters)}"
            )
        chapters[chapter].parameters[param] = yaml.safe_load(raw)
    for chapter in chapters.values():
        if not chapter.notebook.is_file():
            raise RunnerError(f"Chapter {chapter.name!r}: notebook {chapter.notebook} not found")
        declared = notebook_parameters(chapter.notebook)
        for param, value in chapter.parameters.items():
            if param not in declared:
                raise RunnerError(
                    f"Chapter {chapter.name!r} has no parameter {param!r}; "
                    f"parameters: {', '.join(declared)}"
                )
            default = _literal(declared[param])
            if not _same_kind(value, default):
                raise RunnerError(
                    f"Chapter {chapter.name!r}: parameter {param!r} = {value!r} should be of "
                    f"type {type(default).__name__} like its default {default!r}"
                )
    return chapters


def _literal(text: object) -> object:
    import ast

    try:
        return ast.literal_eval(str(text))
    except (ValueError, SyntaxError):
        return text


def ensure_kernel() -> None:
    """Register this interpreter as the notebooks' kernel (inside the environment); a
    registered kernel that starts another interpreter (e.g. a moved or copied environment)
    is registered anew, so notebooks never run with other packages than the runner."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv
        # Compare environments (bin/python's parent folder), not resolved interpreters: two
        # virtual environments share the same base python.
        env = Path(argv[0]).parent.parent if argv else None
        if env is not None and env.exists() and env.resolve() == Path(sys.prefix).resolve():
            return
    except NoSuchKernel:
        pass
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
         "--display-name", "Python (regionale-innovatie)"],
        check=True, capture_output=True,
    )  # fmt: skip


def failing_cell(notebook: Path) -> str:
    """Describe the first cell with an error output in an executed notebook."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = "".join(cell.get("source", "")).strip().splitlines()[:1]
                return (
                    f"cell {index} (execution count {cell.get('execution_count')}), "
                    f"starting {first_line[0] if first_line else ''!r}: "
                    f"{output.get('ename')}: {output.get('evalue')}"
                )
    return "unknown cell"


def execute(chapters: dict[str, Chapter], stage: Path) -> None:
    """Execute every chapter notebook into ``stage``; stop at the first failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    ensure_kernel()
    stage.mkdir(parents=True, exist_ok=True)
    total = len(chapters)
    for number, chapter in enumerate(chapters.values(), start=1):
        output = stage / f"{chapter.name}.ipynb"
        shown = ", ".join(f"{k}={v!r}" for k, v in chapter.parameters.items())
        print(f"[book] ({number}/{total}) {chapter.name}: executing {chapter.notebook.relative_to(config.ROOT)} ({shown}) ...", flush=True)  # fmt: skip
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(chapter.notebook),
                str(output),
                parameters=chapter.parameters,
                cwd=str(stage),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
            )
        except PapermillExecutionError:
            raise RunnerError(
                f"Notebook {chapter.notebook.relative_to(config.ROOT)} failed in "
                f"{failing_cell(output)}\nExecuted copy with the traceback: {output}"
            ) from None
        print(f"[book] ({number}/{total}) {chapter.name}: done in {time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip


def publish_notebooks(stage: Path, target: Path) -> None:
    """Replace the executed notebooks the book is built from."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(stage, target)


def build_book(strict: bool = True) -> Path:
    """``jupyter-book build`` into a work folder, then swap the HTML into ``_build/html``."""
    work = config.BUILD_DIR / ".jupyter-book"
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(config.ROOT),
               "--path-output", str(work)]  # fmt: skip
    if strict:
        command += ["-W", "-n", "--keep-going"]
    print("[book] building HTML with Jupyter Book ...", flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=config.ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        log = config.BUILD_DIR / "jupyter-book.log"
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-25:])
        raise RunnerError(f"Jupyter Book build failed (full log: {log}):\n{tail}")
    built = work / "_build" / "html"
    final = config.BUILD_DIR / "html"
    incoming = config.BUILD_DIR / "html.new"
    outgoing = config.BUILD_DIR / "html.old"
    for path in (incoming, outgoing):
        if path.exists():
            shutil.rmtree(path)
    shutil.copytree(built, incoming)
    if final.exists():
        final.rename(outgoing)
    incoming.rename(final)
    if outgoing.exists():
        shutil.rmtree(outgoing)
    print(f"[book] HTML built in {time.perf_counter() - started:.1f} s: {final / 'index.html'}", flush=True)  # fmt: skip
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ri-book", description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="CHAPTER.PARAM=VALUE",
                        help="override a parameter from params.yml (repeatable)")  # fmt: skip
    parser.add_argument("--only", action="append", default=[], metavar="CHAPTER",
                        help="execute only these chapters (others keep their last executed copy)")  # fmt: skip
    parser.add_argument("--no-build", action="store_true", help="execute notebooks only")
    parser.add_argument(
        "--params", type=Path, default=None, help="parameter file (default params.yml)"
    )
    args = parser.parse_args(argv)
    try:
        chapters = apply_overrides(load_params(args.params), args.set)
        if args.only:
            unknown = [c for c in args.only if c not in chapters]
            if unknown:
                raise RunnerError(f"Unknown chapter(s) {unknown}; chapters: {', '.join(chapters)}")
            chapters = {name: chapters[name] for name in args.only}
        stage = config.BUILD_DIR / ".stage"
        if stage.exists():
            shutil.rmtree(stage)
        if args.only and config.GENERATED_DIR.exists():
            shutil.copytree(config.GENERATED_DIR, stage)
        execute(chapters, stage)
        publish_notebooks(stage, config.GENERATED_DIR)
        shutil.rmtree(stage)
        if not args.no_build:
            build_book()
    except RunnerError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        print(
            "[book] The previously built book in _build/html was left unchanged.", file=sys.stderr
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
