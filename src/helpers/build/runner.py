"""Build runner: execute the chapter notebooks with papermill (in parallel, incrementally),
then build the book with Jupyter Book, atomically.

``python -m helpers.build.runner [--set chapter.param=value ...] [--only chapter ...]
[--variant NAME] [--jobs N] [--force] [--no-build] [--watch]``

1. **Safe inputs.** Parameters come from ``params.yml`` with command-line overrides (values are
   YAML, so numbers stay numbers; dates become ISO strings). Unknown chapters or parameter
   names, values of the wrong type and values the chapter's rules in ``params.yml`` refuse
   (``valid:``, checked by :mod:`helpers.build.params`: years the data do not have, ...) are
   rejected with the valid values before any notebook runs.
2. **Incremental.** A notebook is skipped only when nothing it depends on changed: its
   source, its parameters (and the content of a file a parameter names), the helper modules
   its kernel imported in its last run (all of them without that record), the data files it
   read then (content hashes; the helpers report every read through
   :func:`helpers.config.data_file`, the kernel every ``helpers`` module it imports:
   :func:`helpers.config.trace_imports`) and the installed packages. Why each notebook ran or
   was skipped is printed and stored in the manifest.
3. **Parallel.** Notebooks that must run are executed in worker processes (one kernel each,
   at most ``--jobs``, default the number of cores), with progress, time and peak memory. On
   Linux the kernels are forked from a template that has imported the libraries once
   (:mod:`helpers.build.kernel_fork`; ``RI_KERNELS=spawn`` starts each kernel anew).
4. **Atomic.** Everything is built in ``_build/.work``: executed notebooks, then the HTML from a
   copy of the book sources. Only when all notebooks and the book build succeed do the new
   executed notebooks and HTML replace the published ones; otherwise nothing published
   changes and the failing notebook, cell and traceback are printed. Sphinx's state of the last
   published build (``_build/.cache/sphinx``) lets it read only the pages that changed; it
   writes every page anew, the HTML of a clean build (:func:`build_book`).
5. **Variants.** ``--variant NAME`` builds into ``_build/variants/NAME/`` (own notebooks, HTML
   and manifest), so a chapter or the book with other years sits next to the default book.
6. **Watch.** ``--watch`` builds, then stays running and rebuilds (this same build) after every
   change to the sources, with the kernel template and Jupyter Book kept loaded between
   builds (:mod:`helpers.build.watch`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from helpers import config

if TYPE_CHECKING:
    from helpers.build.watch import KeptTemplate

KERNEL_NAME = "regionale-innovatie"
#: ``RI_KERNELS=spawn`` starts every kernel as a new interpreter instead of forking it from
#: the kernel template (see :mod:`helpers.build.kernel_fork`).
KERNELS_ENV = "RI_KERNELS"
MANIFEST_VERSION = 1


class RunnerError(RuntimeError):
    """A problem that stops the build, with a message meant for the person running it."""


@dataclass
class Chapter:
    """A chapter of ``params.yml`` (:func:`load_params`): ``name`` (its key), ``notebook``
    (absolute path), ``parameters`` (name -> value, overrides applied), ``title`` and
    ``valid`` (the rules per parameter, checked by :mod:`helpers.build.params`)."""

    name: str
    notebook: Path
    parameters: dict
    title: str = ""
    valid: dict = field(default_factory=dict)  # rules per parameter (params.yml ``valid:``)


@dataclass
class Target:
    """Where a build publishes: the default book or a named variant."""

    name: str
    generated: Path  # executed notebooks (+ _assets) the book is built from
    html: Path
    manifest: Path

    @classmethod
    def for_variant(cls, variant: str | None) -> Target:
        """The default book when ``variant`` is empty (``book/_generated``, ``_build/html``,
        ``_build/manifest.json``), else ``_build/variants/<variant>/`` (``_generated``,
        ``html``, ``manifest.json``). Raises RunnerError naming the variant when it has other
        characters than letters, digits, ``.``, ``_`` and ``-``, starts with a dot (``..``
        would empty ``_build``) or is ``default``."""
        if not variant:
            return cls(
                "default",
                config.GENERATED_DIR,
                config.BUILD_DIR / "html",
                config.BUILD_DIR / "manifest.json",
            )
        # A name is one folder inside _build/variants: no path, no leading dot ("..", ".x")
        # and not "default" (the default book's own name)
        if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]*", variant) or variant == "default":
            raise RunnerError(
                f"Variant name {variant!r}: use letters, digits, '.', '_' or '-', not starting "
                "with '.', and not 'default'"
            )
        root = config.BUILD_DIR / "variants" / variant
        if root.resolve().parent != (config.BUILD_DIR / "variants").resolve():
            raise RunnerError(f"Variant name {variant!r} leaves _build/variants")
        return cls(variant, root / "_generated", root / "html", root / "manifest.json")


@dataclass
class Plan:
    """What the build does with one chapter (:func:`plan`): ``run`` whether to execute it,
    ``reason`` why (printed, kept in the manifest), ``fingerprint`` its inputs before the run
    (:func:`static_fingerprint`) and ``helper_files`` the helper modules' hashes."""

    chapter: Chapter
    run: bool
    reason: str
    fingerprint: dict = field(default_factory=dict)
    #: content hash of every helper module when the build was planned (:func:`helpers_files`)
    helper_files: dict = field(default_factory=dict, repr=False)


# --- parameters ---------------------------------------------------------------------------


def load_params(path: Path | None = None) -> dict[str, Chapter]:
    """The chapters of ``params.yml``: notebook, title, parameters and their rules
    (``valid:``, checked by :mod:`helpers.build.params`)."""
    doc = yaml.safe_load(Path(path or config.PARAMS_FILE).read_text(encoding="utf-8"))
    return {
        name: Chapter(
            name,
            config.ROOT / spec["notebook"],
            dict(spec.get("parameters") or {}),
            spec.get("title", name),
            dict(spec.get("valid") or {}),
        )
        for name, spec in doc["chapters"].items()
    }


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """Names and default values (source text) assigned in the notebook's cell tagged
    ``parameters`` (read directly: importing papermill for this costs a second)."""
    import ast

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not cells:
        raise RunnerError(f"{notebook.name}: no cell tagged 'parameters'")
    source = "".join(cells[0]["source"])
    declared: dict[str, object] = {}
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
            declared[target.id] = ast.get_source_segment(source, node.value)
    return declared


def _same_kind(value: object, default: object) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int | float):
        return isinstance(value, int | float)
    return type(value) is type(default) or default is None or default == "None"


def _plain(value: object) -> object:
    """YAML gives dates and datetimes for ISO strings; notebooks get them as strings (papermill
    would otherwise write them as reprs into the parameters cell)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def apply_overrides(chapters: dict[str, Chapter], overrides: list[str]) -> dict[str, Chapter]:
    """Apply ``chapter.param=value`` overrides (values parsed as YAML) and validate all
    parameters against each notebook's ``parameters`` cell and the data available."""
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
        for param, value in list(chapter.parameters.items()):
            if param not in declared:
                raise RunnerError(
                    f"Chapter {chapter.name!r} has no parameter {param!r}; "
                    f"parameters: {', '.join(declared)}"
                )
            default = _literal(declared[param])
            value = _plain(value)
            if isinstance(default, str) and isinstance(value, int | float | bool):
                value = str(value)
            chapter.parameters[param] = value
            if not _same_kind(value, default):
                raise RunnerError(
                    f"Chapter {chapter.name!r}: parameter {param!r} = {value!r} should be of "
                    f"type {type(default).__name__} like its default {default!r}"
                )
        check_values(chapter, {k: _literal(v) for k, v in declared.items()})
    return chapters


def check_values(chapter: Chapter, defaults: dict[str, object]) -> None:
    """Check every parameter (the notebook's ``defaults`` with params.yml and the overrides on
    top) against the chapter's rules in params.yml (:mod:`helpers.build.params`)."""
    from helpers.build import params

    try:
        params.validate(chapter.name, {**defaults, **chapter.parameters}, chapter.valid)
    except params.ParameterError as exc:
        raise RunnerError(str(exc)) from None


def _literal(text: object) -> object:
    import ast

    try:
        return ast.literal_eval(str(text))
    except (ValueError, SyntaxError):
        return text


# --- fingerprints ---------------------------------------------------------------------------


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_sha(path: Path) -> str | None:
    return _sha(path.read_bytes()) if path.is_file() else None


#: The book's own static assets (CSS), copied into every page by the Sphinx extension.
STATIC_DIR = Path(__file__).resolve().parent / "static"

#: Helper modules every notebook depends on, whatever else its kernel imported.
ALWAYS_IMPORTED = ("helpers", "helpers.config")


def helpers_files() -> dict[str, str]:
    """Content hash of every module of the ``helpers`` package this process imported (the
    kernels import the same one), by path inside the package (``chapters/rd.py``)."""
    package = Path(__file__).resolve().parents[1]
    return {
        path.relative_to(package).as_posix(): _sha(path.read_bytes())
        for path in sorted(package.rglob("*.py"))
    }


def _module_path(name: str, files: dict[str, str]) -> str:
    """The file of module ``name`` (``helpers.chapters.rd`` -> ``chapters/rd.py``), or a
    placeholder for a module without one (a new file by that name then changes the hash)."""
    parts = name.split(".")[1:]
    for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
        if candidate in files:
            return candidate
    return f"{name} (no file)"


def helpers_state(
    modules: list[str] | None = None, files: dict[str, str] | None = None
) -> dict[str, str]:
    """Content hashes of the helper code a notebook depends on, by file: the ``modules`` its
    kernel imported (recorded in its read trace) and :data:`ALWAYS_IMPORTED`; every module of
    the package when there is no record (``None``: a first run, an older manifest)."""
    files = helpers_files() if files is None else files
    if modules is None:
        return dict(files)
    chosen = {_module_path(m, files) for m in (*modules, *ALWAYS_IMPORTED)}
    return {path: files.get(path, "absent") for path in sorted(chosen)}


def helpers_hash(modules: list[str] | None = None, files: dict[str, str] | None = None) -> str:
    """One hash of :func:`helpers_state` (all modules by default)."""
    return _sha(json.dumps(helpers_state(modules, files), sort_keys=True).encode())


def environment_hash() -> str:
    """Installed distributions (name==version) and the Python version."""
    names = sorted(
        f"{d.metadata['Name']}=={d.version}".lower()
        for d in metadata.distributions()
        if d.metadata["Name"]
    )
    return _sha("\n".join([sys.version, *names]).encode())


def _trace_lines(path: Path) -> Iterator[tuple[str, str]]:
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, item = line.partition("\t")
            yield kind, item


def read_trace(path: Path) -> tuple[list[str], list[str]]:
    """(files, globs) a notebook read, from the trace its kernel wrote."""
    files = {item for kind, item in _trace_lines(path) if kind == "file"}
    globs = {item for kind, item in _trace_lines(path) if kind == "glob"}
    return sorted(files), sorted(globs)


def traced_modules(path: Path) -> list[str]:
    """The ``helpers`` modules the kernel imported, from the same trace
    (:func:`helpers.config.trace_imports`)."""
    return sorted({item for kind, item in _trace_lines(path) if kind == "module"})


def data_state(files: list[str], globs: list[str]) -> dict[str, str | None]:
    """Hashes of the data a notebook read (its trace): each of ``files`` (relative to
    ``data/``) -> sha256 of its content (None when it no longer exists); each glob
    ``folder/pattern`` -> key ``glob:<pattern>``, the sha256 of the matching file names."""
    state: dict[str, str | None] = {f: _file_sha(config.DATA_DIR / f) for f in files}
    for pattern in globs:
        folder, _, glob = pattern.rpartition("/")
        names = sorted(p.name for p in (config.DATA_DIR / folder).glob(glob))
        state[f"glob:{pattern}"] = _sha("\n".join(names).encode())
    return state


def static_fingerprint(chapter: Chapter, env: str, helpers: dict[str, str]) -> dict:
    """A chapter's inputs known before it runs, for the manifest: ``notebook`` (sha256),
    ``parameters`` (JSON-normalised), ``parameter_files`` (sha256 of each string parameter
    naming an existing file), ``helpers`` (as given: module -> hash), ``environment``
    (``env``: the hash of the installed packages) and ``switches`` (environment variables
    that change what a notebook draws: ``RI_LEAFLET``)."""
    params_files = {
        k: _file_sha(Path(v) if Path(v).is_absolute() else config.ROOT / v)
        for k, v in chapter.parameters.items()
        if isinstance(v, str) and v and (Path(v).is_file() or (config.ROOT / v).is_file())
    }
    return {
        "notebook": _file_sha(chapter.notebook),
        "parameters": json.loads(json.dumps(chapter.parameters, sort_keys=True, default=str)),
        "parameter_files": params_files,
        "helpers": helpers,
        "environment": env,
        "switches": {config.LEAFLET_ENV: "cdn" if config.leaflet_from_cdn() else "local"},
    }


def book_fingerprint(plans: list[Plan]) -> str:
    """The book sources (config, TOC, pages, bibliography) and every chapter's inputs."""
    digest = hashlib.sha256()
    for name in ("_config.yml", "_toc.yml", "data/sources.yml"):  # sources: provenance page
        digest.update(name.encode() + b"\0" + (config.ROOT / name).read_bytes())
    for path in sorted(config.BOOK_DIR.rglob("*")):
        rel = path.relative_to(config.BOOK_DIR)
        if path.is_file() and rel.parts[0] != "_generated" and not rel.name.startswith("."):
            digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes())
    for item in plans:
        # the helper modules a chapter depends on: below, all of them (what a chapter imported
        # is known only after its run, and this hash is taken before)
        inputs = {k: v for k, v in item.fingerprint.items() if k != "helpers"}
        digest.update(json.dumps([item.chapter.name, inputs], sort_keys=True).encode())
    # all helper code: the book build uses some itself (Sphinx extension, provenance page)
    files = next((item.helper_files for item in plans if item.helper_files), None)
    digest.update(helpers_hash(None, files).encode())
    # static assets the book build copies into every page (the book's CSS)
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def load_manifest(path: Path) -> dict:
    """The build record at ``path`` (``_build/manifest.json`` or a variant's): ``version``,
    ``chapters`` (name -> fingerprint, reads, globs, modules, last_run, ...) and ``book``. A
    missing, unreadable or other-version file gives an empty record (every chapter runs)."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "chapters": {}}
    if manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "chapters": {}}
    return manifest


def plan(
    chapters: dict[str, Chapter], manifest: dict, target: Target, *, force: bool = False
) -> list[Plan]:
    """Decide per chapter whether to execute, with the reason."""
    env, files = environment_hash(), helpers_files()
    plans = []
    for chapter in chapters.values():
        previous = manifest["chapters"].get(chapter.name)
        # the helper modules the notebook imported last time (all of them without a record)
        modules = (previous or {}).get("modules") or None
        current = static_fingerprint(chapter, env, helpers_state(modules, files))
        output = target.generated / f"{chapter.name}.ipynb"
        reason = ""
        if force:
            reason = "forced (--force)"
        elif previous is None:
            reason = "no previous run"
        elif not output.exists():
            reason = "previous output missing"
        else:
            before = previous["fingerprint"]
            labels = {
                "notebook": "notebook changed",
                "parameters": "parameters changed",
                "parameter_files": "input file named by a parameter changed",
                "helpers": "helper code changed",
                "environment": "installed packages changed",
                "switches": "environment switch changed (RI_LEAFLET)",
            }
            for key, label in labels.items():
                if before.get(key) != current[key]:
                    reason = label
                    break
            if reason == labels["helpers"] and isinstance(before.get("helpers"), dict):
                old = before["helpers"]
                changed = [f for f, sha in current["helpers"].items() if old.get(f) != sha]
                reason += ": " + ", ".join(changed or sorted(set(old) - set(current["helpers"])))
            if not reason:
                now = data_state(previous.get("reads", []), previous.get("globs", []))
                changed = [k for k, v in now.items() if before.get("data", {}).get(k) != v]
                if changed:
                    reason = "data changed: " + ", ".join(changed)
        plans.append(Plan(chapter, bool(reason), reason or "unchanged", current, files))
    return plans


# --- execution ------------------------------------------------------------------------------


def ensure_kernel() -> list[str]:
    """Register this interpreter as the notebooks' kernel (inside the environment); a
    registered kernel that starts another interpreter (e.g. a moved or copied environment)
    is registered anew, so notebooks never run with other packages than the runner.
    Returns the kernel's command."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv
        # Compare environments (bin/python's parent folder), not resolved interpreters: two
        # virtual environments share the same base python.
        env = Path(argv[0]).parent.parent if argv else None
        if env is not None and env.exists() and env.resolve() == Path(sys.prefix).resolve():
            return argv
    except NoSuchKernel:
        pass
    subprocess.run(
        [sys.executable, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME,
         "--display-name", "Python (regionale-innovatie)"],
        check=True, capture_output=True,
    )  # fmt: skip
    return KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def failing_cell(notebook: Path, traceback_lines: int = 0) -> str:
    """Describe the first cell with an error output in an executed notebook (optionally with
    the last lines of its traceback)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                first_line = "".join(cell.get("source", "")).strip().splitlines()[:1]
                text = (
                    f"cell {index} (execution count {cell.get('execution_count')}), "
                    f"starting {first_line[0] if first_line else ''!r}: "
                    f"{output.get('ename')}: {output.get('evalue')}"
                )
                if traceback_lines:
                    lines = _ANSI.sub("", "\n".join(output.get("traceback", []))).splitlines()
                    text += "\nTraceback (last lines):\n" + "\n".join(lines[-traceback_lines:])
                return text
    return "unknown cell"


class _PeakMemory:
    """Samples the resident memory of the kernel (this process's children, or the kernel
    forked for it from the template) in a thread. A forked kernel's resident memory includes
    the libraries it shares with the template."""

    def __init__(self, interval: float = 0.1) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _run(self, interval: float) -> None:
        import psutil

        from helpers.build import kernel_fork

        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            kernels = []  # forked from the kernel template: not children of this process
            for pid in kernel_fork.launched_pids:
                with contextlib.suppress(psutil.Error):
                    kernels.append(psutil.Process(pid))
            for child in me.children(recursive=True) + kernels:
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(interval)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """Send this process's (and its children's) stderr to ``path`` for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    with open(path, "w", encoding="utf-8") as log:
        saved = os.dup(2)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _execute_one(name: str, notebook: str, parameters: dict, stage: str) -> dict:
    """Worker: run one notebook (its own kernel) and report time, peak memory and reads.
    The kernel's own log (its transport warning, a note when it is interrupted during
    shutdown) goes to ``_build/logs/<name>.kernel.log``, not into the build output. The
    kernel is forked from the kernel template when the runner started one."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from helpers.build import kernel_fork

    kernel_fork.launched_pids.clear()
    kernel_fork.waited.clear()
    manager = {}
    if os.environ.get(kernel_fork.SERVER_ENV):
        manager["kernel_manager_class"] = kernel_fork.ForkingKernelManager

    trace = Path(stage) / f".reads-{name}.tsv"
    trace.unlink(missing_ok=True)
    os.environ[config.TRACE_ENV] = str(trace)
    os.environ[config.BOOK_PAGE_ENV] = "1"
    output = Path(stage) / f"{name}.ipynb"
    started = time.perf_counter()
    error = None
    kernel_log = config.BUILD_DIR / "logs" / f"{name}.kernel.log"
    with _stderr_to(kernel_log), _PeakMemory() as memory:
        try:
            papermill.execute_notebook(
                notebook, str(output), parameters=parameters, cwd=stage,
                kernel_name=KERNEL_NAME, progress_bar=False,
                # no save after every cell: each rewrites and validates the whole notebook,
                # maps included; the executed notebook is written once, at the end
                request_save_on_cell_execute=False, **manager,
            )  # fmt: skip
        except PapermillExecutionError:
            error = failing_cell(output, traceback_lines=15)
        except Exception as exc:  # kernel died, bad notebook file, ...
            error = f"{type(exc).__name__}: {exc}"
    files, globs = read_trace(trace)
    modules = traced_modules(trace)
    trace.unlink(missing_ok=True)
    return {
        "name": name,
        "seconds": time.perf_counter() - started,
        "kernel": "forked" if kernel_fork.launched_pids else "started",
        "kernel_wait": sum(kernel_fork.waited),
        "peak_mb": memory.peak / 2**20,
        "error": error,
        "reads": files,
        "globs": globs,
        "modules": modules,
    }


def asset_folders(executed: Path) -> set[str]:
    """The ``_assets/<folder>`` folders an executed notebook refers to (figures, CSVs)."""
    return set(re.findall(r"_assets/([^/\\\s\"'<>]+)/", executed.read_text(encoding="utf-8")))


def _timings_file() -> Path:
    return config.cache_dir() / "notebook-timings.json"


def load_timings() -> dict[str, float]:
    """Seconds each chapter notebook took last time it ran (any build, any variant). Kept in
    the user cache, so the scheduling hint survives ``make clean``."""
    try:
        return {str(k): float(v) for k, v in json.loads(_timings_file().read_text()).items()}
    except (OSError, ValueError, AttributeError):
        return {}


def save_timings(results: dict[str, dict]) -> None:
    """Record the seconds of each chapter in ``results`` (chapter -> result of its run) that
    ran without error, less the wait for the kernel template, in ``notebook-timings.json`` in
    the user cache (:func:`helpers.config.cache_dir`); a file that cannot be written is
    ignored (the timings are only a scheduling hint)."""
    timings = load_timings()
    # the notebook's own time: not the wait for the kernel template at the start of a build
    timings.update(
        {
            name: round(r["seconds"] - r.get("kernel_wait", 0.0), 2)
            for name, r in results.items()
            if not r["error"]
        }
    )
    try:
        _timings_file().parent.mkdir(parents=True, exist_ok=True)
        _timings_file().write_text(json.dumps(timings, indent=1, sort_keys=True))
    except OSError:
        pass  # only a hint


def kernel_template(kernel_cmd: list[str], count: int) -> contextlib.AbstractContextManager:
    """The kernel template for this build (:mod:`helpers.build.kernel_fork`), or nothing: only on
    Linux, for a kernel command of this environment, unless ``RI_KERNELS=spawn``. It pays for
    one notebook too: it imports the libraries while the runner prepares the notebook's run."""
    from helpers.build import kernel_fork

    parsed = kernel_fork.kernel_command(kernel_cmd)
    wanted = os.environ.get(KERNELS_ENV, "fork").strip().lower() != "spawn"
    if not wanted or parsed is None or sys.platform != "linux" or count < 1:
        return contextlib.nullcontext()
    return kernel_fork.KernelTemplate(interpreter_options=parsed[0])


def execute(
    plans: list[Plan],
    stage: Path,
    *,
    jobs: int,
    target: Target,
    kernels: KeptTemplate | None = None,
) -> dict[str, dict]:
    """Execute the planned notebooks into ``stage`` in parallel; copy the skipped ones (and
    their assets) from the published target. Raises on the first failure (after the running
    notebooks finish). ``kernels``: the kernel template kept across builds in watch mode
    (:class:`helpers.build.watch.KeptTemplate`), instead of one for this build."""
    kernel_cmd = ensure_kernel()
    stage.mkdir(parents=True, exist_ok=True)
    (stage / "_assets").mkdir(exist_ok=True)
    results: dict[str, dict] = {}
    total = len(plans)
    for number, item in enumerate(plans, start=1):
        label = f"[book] ({number}/{total}) {item.chapter.name}"
        if not item.run:
            executed = target.generated / f"{item.chapter.name}.ipynb"
            shutil.copy2(executed, stage)
            for folder in asset_folders(executed):
                source = target.generated / "_assets" / folder
                if source.exists() and not (stage / "_assets" / folder).exists():
                    shutil.copytree(source, stage / "_assets" / folder)
            print(f"{label}: skipped ({item.reason})", flush=True)
    # Longest first (from earlier runs), so the two cores finish together: the last notebook
    # to start should be a short one. New notebooks count as long.
    timings = load_timings()
    to_run = sorted(
        (p for p in plans if p.run), key=lambda p: -timings.get(p.chapter.name, float("inf"))
    )
    if not to_run:
        return results
    workers = max(1, min(jobs, len(to_run)))
    # fork: workers start instantly with papermill already imported (the runner has no
    # threads at this point); each notebook still gets its own kernel process.
    context = get_context("fork" if sys.platform == "linux" else "spawn")
    failures = []
    if kernels is None:
        template = kernel_template(kernel_cmd, len(to_run))
    else:  # watch mode: the template it keeps (started anew if it died or packages changed)
        environment = next((p.fingerprint.get("environment") for p in plans), None)
        template = kernels.use(kernel_cmd, environment or environment_hash())
    if not isinstance(template, contextlib.nullcontext):
        print(f"[book] kernels are forked from a template with the libraries imported once ({KERNELS_ENV}=spawn starts each anew)", flush=True)  # fmt: skip
    with template, ProcessPoolExecutor(workers, mp_context=context) as pool:
        # while the template imports the libraries: papermill, once (the workers, forked at
        # the first submit, inherit it)
        import papermill  # noqa: F401

        futures = {}
        for item in to_run:
            chapter = item.chapter
            shown = ", ".join(f"{k}={v!r}" for k, v in chapter.parameters.items())
            number = plans.index(item) + 1
            print(f"[book] ({number}/{total}) {chapter.name}: executing {chapter.notebook.relative_to(config.ROOT)} ({shown}); reason: {item.reason} ...", flush=True)  # fmt: skip
            future = pool.submit(
                _execute_one, chapter.name, str(chapter.notebook), chapter.parameters, str(stage)
            )
            futures[future] = (number, item)
        preload_book_modules()  # all workers exist now (fork is done): safe to start a thread
        for future in as_completed(futures):
            if future.cancelled():  # not started: an earlier notebook failed
                continue
            number, item = futures[future]
            result = future.result()
            results[item.chapter.name] = result
            if result["error"]:
                failures.append((item, result))
                print(f"[book] ({number}/{total}) {item.chapter.name}: FAILED after {result['seconds']:.1f} s", flush=True)  # fmt: skip
                for other in futures:
                    other.cancel()
            else:
                waited = (
                    f" ({result['kernel_wait']:.1f} s waiting for the kernel template)"
                    if result["kernel_wait"] >= 0.1
                    else ""
                )
                print(f"[book] ({number}/{total}) {item.chapter.name}: done in {result['seconds']:.1f} s{waited}, peak memory {result['peak_mb']:.0f} MB", flush=True)  # fmt: skip
    save_timings(results)
    if failures:
        item, result = failures[0]
        raise RunnerError(
            f"Notebook {item.chapter.notebook.relative_to(config.ROOT)} failed in "
            f"{result['error']}\nExecuted copy with the full traceback: "
            f"{stage / (item.chapter.name + '.ipynb')}"
        )
    return results


# --- book build and publication -------------------------------------------------------------


#: Jupyter Book, Sphinx and the extensions the book's configuration loads (each would
#: otherwise be imported when the build starts), the provenance page's helpers.
BOOK_MODULES = ("jupyter_book.cli.main", "jupyter_book.sphinx", "sphinx.application", "myst_nb",
                "sphinx_book_theme", "sphinxcontrib.bibtex", "helpers.build.provenance",
                "helpers.build.sphinx_book", "helpers.data.processing", "myst_nb.sphinx_ext",
                "myst_parser.sphinx_ext.main", "sphinx_design", "sphinx_external_toc",
                "sphinx_jupyterbook_latex", "sphinx_thebe", "sphinx_comments", "sphinx_copybutton",
                "sphinx_togglebutton", "sphinx_multitoc_numbering", "pydata_sphinx_theme",
                "sphinx.builders.html", "sphinx.search.nl", "jupyter_cache.cache.main",
                "sphinxcontrib.bibtex.style.referencing.author_year",
                "pybtex.style.formatting.plain", "IPython.core.formatters")  # fmt: skip


def preload_book_modules() -> threading.Thread:
    """Import Jupyter Book and Sphinx in a background thread while the notebooks run, so the
    book build that follows does not wait for them (the build runs in this process)."""
    import importlib

    def load() -> None:
        for name in BOOK_MODULES:
            try:
                importlib.import_module(name)
            except ImportError:
                pass

    thread = threading.Thread(target=load, name="preload-jupyter-book", daemon=True)
    thread.start()
    return thread


def _jupyter_book(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run ``jupyter-book <args>`` in this process; returns (exit code, its output)."""
    import io
    import traceback

    from jupyter_book.cli.main import main as jupyter_book_cli

    buffer = io.StringIO()
    code = 0
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            try:
                jupyter_book_cli.main(args, prog_name="jupyter-book", standalone_mode=False)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except Exception:  # a crash inside the build: report it like a failed build
                code = 1
                buffer.write(traceback.format_exc())
    finally:
        os.chdir(previous)
    return code, buffer.getvalue()


def book_source(work: Path) -> Path:
    """The folder the book is built from; the notebooks are executed straight into its
    ``book/_generated`` (no copy between execution and build)."""
    return work / "src"


#: What Sphinx keeps between builds of a target (inside ``<work>/out/_build``): its
#: environment and doctrees, and myst-nb's outputs of the notebooks it read.
SPHINX_CACHED = (".doctrees", "jupyter_execute")


def _sphinx_cache(target: Target) -> Path:
    return config.BUILD_DIR / ".cache" / "sphinx" / target.name


def sphinx_cache_key(work: Path, environment: str) -> str:
    """What the kept Sphinx state was made with, beyond what Sphinx checks itself (pages by
    modification time, its configuration): the source folder, the installed packages, the
    book's configuration and the book's Sphinx extension."""
    parts = [str(book_source(work).resolve()), environment]
    for path in (config.ROOT / "_config.yml", config.ROOT / "_toc.yml"):
        parts.append(_file_sha(path) or "")
    parts.append(_file_sha(Path(__file__).with_name("sphinx_book.py")) or "")
    return _sha("\n".join(parts).encode())


def restore_sphinx_state(target: Target, work: Path, key: str) -> bool:
    """Move the Sphinx state kept by the last successful build of ``target`` into ``work``
    (when it was made with the same ``key``); it goes back to the cache only after this build
    is published (:func:`keep_sphinx_state`), so a failed build leaves no state behind."""
    cache = _sphinx_cache(target)
    usable = (cache / "key").is_file() and (cache / "key").read_text() == key
    if usable:
        built = work / "out" / "_build"
        built.mkdir(parents=True, exist_ok=True)
        for name in SPHINX_CACHED:
            if (cache / name).is_dir():
                (cache / name).rename(built / name)
    shutil.rmtree(cache, ignore_errors=True)
    return usable


def keep_sphinx_state(target: Target, work: Path, key: str) -> None:
    """Keep this build's Sphinx state for the next build of ``target`` (only a speed-up: when
    that fails, the next build reads every page)."""
    cache = _sphinx_cache(target)
    shutil.rmtree(cache, ignore_errors=True)
    try:
        cache.mkdir(parents=True)
        for name in SPHINX_CACHED:
            if (work / "out" / "_build" / name).is_dir():
                (work / "out" / "_build" / name).rename(cache / name)
        (cache / "key").write_text(key)  # last: a state without its key is not used
    except OSError:
        shutil.rmtree(cache, ignore_errors=True)


def build_book(stage: Path, work: Path, strict: bool = True, *, cached: bool = False) -> Path:
    """Build the HTML from a copy of the book sources with ``stage`` as the executed chapters;
    returns the built HTML folder (inside ``work``), always written anew, every page.

    With ``cached`` (the Sphinx state of the last build restored into ``work``,
    :func:`restore_sphinx_state`), Sphinx reads only the pages whose source is newer than its
    last reading: the sources are copied with their modification times, and the executed
    notebooks of skipped chapters are the published ones. Everything that joins pages (glue
    across pages, numbering, references, navigation, search index) is resolved while writing,
    which covers every page, so the HTML is that of a clean build."""
    source = book_source(work)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy2(config.ROOT / name, source / name)
    shutil.copytree(
        config.BOOK_DIR,
        source / "book",
        ignore=shutil.ignore_patterns("_generated", ".*"),
        dirs_exist_ok=True,
    )
    if stage != source / "book" / "_generated":
        raise RunnerError(f"notebooks were executed in {stage}, not in the book source {source}")
    out = work / "out"
    shutil.rmtree(out / "_build" / "html", ignore_errors=True)  # every page written anew
    args = ["build", str(source), "--path-output", str(out)]
    if strict:
        args += ["-W", "-n", "--keep-going"]
    kept = " (pages that did not change: read by the last build)" if cached else ""
    print(f"[book] building HTML with Jupyter Book{kept} ...", flush=True)
    started = time.perf_counter()
    code, log_text = _jupyter_book(args, cwd=source)
    if code != 0:
        log = config.BUILD_DIR / "jupyter-book.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(log_text, encoding="utf-8")
        lines = _ANSI.sub("", log_text).strip().splitlines()
        # the warnings and errors that failed it (-W), else the end of the log
        problems = [line for line in lines if re.search(r"\b(WARNING|ERROR|CRITICAL):", line)]
        tail = "\n".join(problems[-25:] or lines[-25:])
        raise RunnerError(f"Jupyter Book build failed (full log: {log}):\n{tail}")
    read = re.findall(r"reading sources\.\.\. \[ *\d+%\] (\S+)", _ANSI.sub("", log_text))
    shown = ", ".join(Path(page).name for page in read) if cached else f"all {len(read)}"
    print(f"[book] HTML built in {time.perf_counter() - started:.1f} s (pages read: {shown or 'none'})", flush=True)  # fmt: skip
    return out / "_build" / "html"


#: Signals that would stop a build; held while it publishes (:func:`signals_held`).
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold :data:`HELD_SIGNALS` (Ctrl-C, SIGTERM, SIGHUP) during the block: one that arrives
    meanwhile is handled right after it, as it would have been, so that a stop never leaves
    the publication's renames half done. Only in the main thread (the only one in which
    Python handles signals); elsewhere the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        signum: signal.signal(signum, lambda number, frame: received.append(number))
        for signum in HELD_SIGNALS
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        for signum in received:
            signal.raise_signal(signum)


def _swap(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with renames (the old copy is removed last)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    outgoing = final.with_name(final.name + ".old")
    if outgoing.exists():
        shutil.rmtree(outgoing)
    if final.exists():
        final.rename(outgoing)
    new.rename(final)
    if outgoing.exists():
        shutil.rmtree(outgoing)


def publish(stage: Path, html: Path | None, target: Target) -> None:
    """Replace the published notebooks (``target.generated``) by ``stage`` (its hidden files
    dropped) and, when ``html`` is given, the published HTML (``target.html``) by ``html``;
    each through a ``.new`` sibling and renames, the old copy removed last. ``html`` None
    (``--no-build``) leaves the published HTML as it is."""
    staged_html = None
    if html is not None:
        staged_html = target.html.with_name(target.html.name + ".new")
        if staged_html.exists():
            shutil.rmtree(staged_html)
        target.html.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(html, staged_html)  # a rename within _build/
    staged_nb = target.generated.with_name(target.generated.name + ".new")
    if staged_nb.exists():
        shutil.rmtree(staged_nb)
    for hidden in stage.glob(".*"):
        shutil.rmtree(hidden) if hidden.is_dir() else hidden.unlink()
    shutil.move(stage, staged_nb)
    _swap(staged_nb, target.generated)
    if staged_html is not None:
        _swap(staged_html, target.html)


def save_manifest(
    target: Target,
    plans: list[Plan],
    results: dict[str, dict],
    previous: dict,
    book_hash: str | None,
) -> None:
    """Write ``target.manifest`` (JSON). A chapter that ran (in ``results``) gets its
    fingerprint with the hashes of the helper modules it imported and the data it read, its
    reads, globs, modules and ``last_run`` (reason, seconds, kernel, kernel_wait, peak_mb); a
    skipped one keeps its entry from ``previous`` with ``last_skip_reason``. ``book_hash``:
    the book's fingerprint (None when no HTML was built)."""
    chapters = dict(previous.get("chapters", {}))
    for item in plans:
        name = item.chapter.name
        if name in results:
            res = results[name]
            # the helper modules this run imported (all of them when the trace has none)
            modules = res.get("modules") or None
            fingerprint = dict(
                item.fingerprint,
                helpers=helpers_state(modules, item.helper_files or None),
                data=data_state(res["reads"], res["globs"]),
            )
            chapters[name] = {
                "fingerprint": fingerprint,
                "reads": res["reads"],
                "globs": res["globs"],
                "modules": modules,
                "last_run": {
                    "reason": item.reason,
                    "seconds": round(res["seconds"], 2),
                    "kernel": res.get("kernel", "started"),
                    "kernel_wait": round(res.get("kernel_wait", 0.0), 2),
                    "peak_mb": round(res["peak_mb"], 1),
                },
            }
        elif name in chapters:
            chapters[name]["last_skip_reason"] = item.reason
    manifest = {"version": MANIFEST_VERSION, "chapters": chapters, "book": book_hash}
    target.manifest.parent.mkdir(parents=True, exist_ok=True)
    target.manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")


def write_provenance(
    plans: list[Plan], results: dict[str, dict], manifest: dict, stage: Path
) -> None:
    """The provenance page, from the registry and what each chapter read (this run or the
    last run of a skipped chapter)."""
    from helpers.build import provenance

    reads = {}
    for item in plans:
        name = item.chapter.name
        source = results.get(name) or manifest["chapters"].get(name, {})
        reads[name] = list(source.get("reads", []))
    titles = {item.chapter.name: item.chapter.title for item in plans}
    provenance.write_page(stage / "bronnen.md", reads, titles)


def run(
    chapters: dict[str, Chapter],
    *,
    target: Target,
    only: list[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    build: bool = True,
    kernels: KeptTemplate | None = None,
) -> list[Plan]:
    """Plan, execute, build and publish; returns the plans (what ran and why). ``kernels``:
    the kernel template a watcher keeps across builds (:mod:`helpers.build.watch`)."""
    manifest = load_manifest(target.manifest)
    plans = plan(chapters, manifest, target, force=force)
    for item in plans:
        if only and item.chapter.name not in only:
            if (target.generated / f"{item.chapter.name}.ipynb").exists():
                item.run, item.reason = False, "not selected (--only)"
            elif item.run:
                item.reason += "; selected chapters need it (no previous output)"
    book_hash = book_fingerprint(plans)
    if (
        build
        and not any(item.run for item in plans)
        and manifest.get("book") == book_hash
        and (target.html / "index.html").exists()
    ):
        for number, item in enumerate(plans, start=1):
            print(f"[book] ({number}/{len(plans)}) {item.chapter.name}: skipped ({item.reason})")
        print(f"[book] nothing changed; the book is up to date: {target.html / 'index.html'}")
        return plans
    work = config.BUILD_DIR / ".work" / target.name
    if work.exists():
        shutil.rmtree(work)
    stage = book_source(work) / "book" / "_generated"
    results = execute(
        plans, stage, jobs=jobs or os.cpu_count() or 1, target=target, kernels=kernels
    )
    write_provenance(plans, results, manifest, stage)
    page, published = stage / "bronnen.md", target.generated / "bronnen.md"
    if published.is_file() and published.read_bytes() == page.read_bytes():
        shutil.copystat(published, page)  # unchanged: Sphinx keeps its reading of the page
    html, key = None, ""
    if build:
        environment = next((p.fingerprint.get("environment") for p in plans), None)
        key = sphinx_cache_key(work, environment or environment_hash())
        html = build_book(stage, work, cached=restore_sphinx_state(target, work, key))
    with signals_held():  # Ctrl-C, SIGTERM: after the new book has replaced the old one
        publish(stage, html, target)
        save_manifest(target, plans, results, manifest, book_hash if html is not None else None)
        if html is not None:  # published: the next build may start from this one's Sphinx state
            keep_sphinx_state(target, work, key)
    shutil.rmtree(work, ignore_errors=True)
    if html is not None:
        print(f"[book] published: {target.html / 'index.html'}", flush=True)
    return plans


def main(argv: list[str] | None = None) -> int:
    """Command line ``ri-book`` (``make book``): ``argv`` (default ``sys.argv[1:]``) with
    ``--set CHAPTER.PARAM=VALUE``, ``--only``, ``--variant``, ``--jobs``, ``--force``,
    ``--no-build``, ``--params``. Returns 0, or 1 after printing a RunnerError (a bad
    override or parameter value, an unknown chapter, a failed notebook or book build); the
    published book is then left unchanged."""
    parser = argparse.ArgumentParser(prog="ri-book", description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="CHAPTER.PARAM=VALUE",
                        help="override a parameter from params.yml (repeatable)")  # fmt: skip
    parser.add_argument("--only", action="append", default=[], metavar="CHAPTER",
                        help="execute only these chapters (others keep their last executed copy)")  # fmt: skip
    parser.add_argument("--variant", default="", help="build into _build/variants/NAME")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    parser.add_argument("--force", action="store_true", help="execute every notebook")
    parser.add_argument("--no-build", action="store_true", help="execute notebooks only")
    parser.add_argument(
        "--params", type=Path, default=None, help="parameter file (default params.yml)"
    )
    parser.add_argument("--watch", action="store_true",
                        help="build, then rebuild after every change until Ctrl-C (helpers.build.watch)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.watch:
        from helpers.build import watch

        return watch.watch(args)
    started = time.perf_counter()
    try:
        target = Target.for_variant(args.variant)
        chapters = apply_overrides(load_params(args.params), args.set)
        unknown = [c for c in args.only if c not in chapters]
        if unknown:
            raise RunnerError(f"Unknown chapter(s) {unknown}; chapters: {', '.join(chapters)}")
        run(
            chapters, target=target, only=args.only, jobs=args.jobs, force=args.force,
            build=not args.no_build,
        )  # fmt: skip
    except RunnerError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
        return 1
    print(f"[book] total {time.perf_counter() - started:.1f} s", flush=True)
    # Leave the objects of the build (Sphinx, pandas, ...) out of the collections Python runs
    # while it exits: they took a second or more, after the book was published.
    gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
