"""Benchmark the book build on this machine (a script that reports, not a timed test).

    .venv/bin/python benchmarks/build_benchmark.py [--jobs N] [--repeat N] [--out FILE]

On a fresh copy of the project (the files git knows) it measures, as a table:

1. a clean build with the runner (parallel notebooks, kernels forked from the kernel template,
   then Jupyter Book), and the same with every kernel started anew (``RI_KERNELS=spawn``);
2. a no-op rebuild (nothing changed);
3. the analyst's loop: the republish after changing one chapter's notebook (a Markdown cell),
   one data file that chapter reads, or one helper module only that chapter imports (each the
   median of ``--repeat`` changes; only that chapter runs, Sphinx reads only its page);
4. the same notebooks executed by ``jupyter-book build`` itself (``execute_notebooks: force``,
   sequential), with the ratio to the clean build (both: median of ``--repeat`` runs);

plus the peak memory of each notebook's kernel and the size of each chapter page with its
figures and data files. The runner imports the copy's own helpers (``PYTHONPATH``), so an
edit to a helper module of the copy is one the build sees. The load average before and after
is reported: the numbers mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: The chapter the analyst's loop changes, and what of it: its notebook, a data file it reads
#: (and no other chapter does), the helper module only it imports.
CHAPTER = "rd"
NOTEBOOK = Path("notebooks/rd.ipynb")
TOUCHED = Path("data/processed/rd/patents_nuts3_nl.csv")
MODULE = Path("src/helpers/chapters/rd.py")


def copy_project(target: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    for name in files:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def timed(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout


def runner(project: Path, jobs: int, kernels: str = "fork") -> tuple[float, str]:
    env = dict(
        os.environ, RI_ROOT=str(project), RI_KERNELS=kernels, PYTHONPATH=str(project / "src")
    )
    return timed([sys.executable, "-m", "helpers.build.runner", "--jobs", str(jobs)], project, env)


def change_notebook(project: Path, attempt: int) -> None:
    """Add a sentence to the first Markdown cell after the title (new text on the page)."""
    path = project / NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "markdown"][1]
    cell["source"] = "".join(cell["source"]).rstrip("\n") + f" Benchmarkzin {attempt + 1}.\n"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def change_data(project: Path, attempt: int) -> None:
    """The same table with a new content hash (a trailing empty line more)."""
    path = project / TOUCHED
    path.write_bytes(path.read_bytes() + b"\n")


def change_module(project: Path, attempt: int) -> None:
    path = project / MODULE
    path.write_text(path.read_text(encoding="utf-8") + f"\n# benchmark {attempt + 1}\n")


#: (what is changed, how, how kernels start): the last one shows what the kernel template
#: brings to a single notebook.
LOOP = (
    (f"a Markdown cell of `{NOTEBOOK}`", change_notebook, "fork"),
    (f"`{TOUCHED}` (read by {CHAPTER} only)", change_data, "fork"),
    (f"`{MODULE}` (imported by {CHAPTER} only)", change_module, "fork"),
    (
        f"a Markdown cell of `{NOTEBOOK}`, kernel started anew (`RI_KERNELS=spawn`)",
        change_notebook,
        "spawn",
    ),
)


def republish(
    project: Path, jobs: int, change: Callable[[Path, int], None], kernels: str, attempt: int
) -> dict:
    """Change, rebuild; the time and what the runner printed about it."""
    change(project, attempt)
    seconds, out = runner(project, jobs, kernels)
    done = re.search(rf"\) {CHAPTER}: done in ([\d.]+) s(?: \(([\d.]+) s waiting)?", out)
    html = re.search(r"HTML built in ([\d.]+) s \(pages read: (.*)\)", out)
    return {
        "seconds": seconds,
        "ran": sorted(set(re.findall(r"\) (\S+): executing", out))),
        "notebook": float(done.group(1)) if done else float("nan"),
        "wait": float(done.group(2) or 0) if done else float("nan"),
        "html": float(html.group(1)) if html else float("nan"),
        "read": html.group(2) if html else "",
    }


def load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def jupyter_book_force(project: Path) -> float:
    """Jupyter Book executes the source notebooks itself (defaults of their parameters)."""
    params = yaml.safe_load((project / "params.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((project / "_toc.yml").read_text(encoding="utf-8"))
    names = {
        f"book/_generated/{name}": spec["notebook"][:-6]
        for name, spec in params["chapters"].items()
    }
    toc["chapters"] = [{"file": names.get(c["file"], c["file"])} for c in toc["chapters"]]
    (project / "_toc.yml").write_text(yaml.safe_dump(toc), encoding="utf-8")
    cfg = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    cfg["execute"] = {"execute_notebooks": "force", "timeout": 600}
    cfg["exclude_patterns"] = [p for p in cfg.get("exclude_patterns", []) if "notebooks" not in p]
    (project / "_config.yml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(project)]
    env = dict(os.environ, RI_ROOT=str(project), PYTHONPATH=str(project / "src"))
    seconds, _ = timed(command, project, env)
    return seconds


def page_sizes(project: Path) -> dict[str, int]:
    html = project / "_build" / "html"
    sizes = {}
    for page in sorted((html / "book" / "_generated").glob("*.html")):
        name = page.stem
        assets = project / "book" / "_generated" / "_assets" / name
        extra = (
            sum(p.stat().st_size for p in assets.rglob("*") if p.is_file())
            if assets.exists()
            else 0
        )
        sizes[name] = page.stat().st_size + extra
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--repeat", type=int, default=3, help="clean builds of each kind to take the median of"
    )
    args = parser.parse_args()
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="ri-bench-") as tmp:
        cleans, spawns, jbs = [], [], []
        for attempt in range(args.repeat):  # alternate, so all see the same machine state
            project = copy_project(Path(tmp) / f"spawn{attempt}")
            seconds, _ = runner(project, args.jobs, kernels="spawn")
            spawns.append(seconds)
            print(f"[bench] clean build, kernels started anew {seconds:.1f} s", flush=True)
            project = copy_project(Path(tmp) / f"project{attempt}")
            seconds, _ = runner(project, args.jobs)
            cleans.append(seconds)
            print(f"[bench] clean build {seconds:.1f} s", flush=True)
            seconds = jupyter_book_force(copy_project(Path(tmp) / f"jb{attempt}"))
            jbs.append(seconds)
            print(f"[bench] jupyter-book execute_notebooks=force {seconds:.1f} s", flush=True)
        clean, jb = statistics.median(cleans), statistics.median(jbs)
        spawn = statistics.median(spawns)
        manifest = json.loads((project / "_build" / "manifest.json").read_text())
        noop, _ = runner(project, args.jobs)
        print(f"[bench] no-op rebuild {noop:.1f} s", flush=True)
        loop: dict[str, list[dict]] = {label: [] for label, _, _ in LOOP}
        for attempt in range(args.repeat):  # interleaved, like the clean builds
            for number, (label, change, kernels) in enumerate(LOOP):
                result = republish(project, args.jobs, change, kernels, attempt * 10 + number)
                loop[label].append(result)
                print(f"[bench] after changing {label}: {result['seconds']:.1f} s, executed {result['ran']}, pages read: {result['read']}", flush=True)  # fmt: skip
        sizes = page_sizes(project)
    load_after = load()

    lines = [
        f"Build benchmark ({os.cpu_count()} cores, {args.jobs} parallel notebooks, "
        f"{time.strftime('%Y-%m-%d')}; clean builds: median of {args.repeat})",
        "",
        "| step | seconds | relative |",
        "|---|--:|--:|",
        f"| clean build (runner; runs: {', '.join(f'{c:.1f}' for c in cleans)}) | {clean:.1f} | 1.00 |",
        f"| clean build, every kernel started anew (`RI_KERNELS=spawn`; runs: {', '.join(f'{c:.1f}' for c in spawns)}) | {spawn:.1f} | {spawn / clean:.2f} |",
        f"| no-op rebuild | {noop:.1f} | {noop / clean:.2f} |",
    ]
    for label, results in loop.items():
        median = statistics.median(r["seconds"] for r in results)
        ran = sorted({name for r in results for name in r["ran"]})
        runs = ", ".join(f"{r['seconds']:.1f}" for r in results)
        lines.append(f"| republish after changing {label} (ran: {', '.join(ran) or 'none'}; runs: {runs}) | {median:.1f} | {median / clean:.2f} |")  # fmt: skip
    lines += [
        f"| `jupyter-book build`, execute_notebooks: force, sequential (runs: {', '.join(f'{j:.1f}' for j in jbs)}) | {jb:.1f} | {jb / clean:.2f} |",
        "",
        f"Load average (1, 5, 15 min) before: {load_before}; after: {load_after}.",
        "",
        "The analyst's loop, where a republish goes (medians, seconds): the notebook's run in its",
        "kernel (of which waiting for the kernel template to import the libraries), the Jupyter",
        "Book build (Sphinx reads only the changed page, writes all), the rest (starting the",
        "runner, checks, publishing):",
        "",
        "| change | republish | notebook | of which waiting for the template | HTML | rest | pages read |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for label, results in loop.items():
        med = {k: statistics.median(r[k] for r in results) for k in ("seconds", "notebook", "wait", "html")}  # fmt: skip
        rest = med["seconds"] - med["notebook"] - med["html"]
        read = "; ".join(sorted({r["read"] for r in results}))
        lines.append(f"| {label} | {med['seconds']:.1f} | {med['notebook']:.1f} | {med['wait']:.1f} | {med['html']:.1f} | {rest:.1f} | {read} |")  # fmt: skip
    lines += [
        "",
        f"Speed-up of the clean build over Jupyter Book's own execution: {jb / clean:.2f}x",
        "",
        f"Speed-up of the clean build with kernels started anew: {jb / spawn:.2f}x",
        "",
        "Per chapter, in the last clean build (kernels forked from the template; the first",
        "notebooks wait for the template to import the libraries):",
        "",
        "| chapter | kernel peak memory (MB) | notebook time (s) | of which waiting for the template (s) | page + figures + data (KB) |",
        "|---|--:|--:|--:|--:|",
    ]
    nan = float("nan")
    for name, info in manifest["chapters"].items():
        run = info.get("last_run", {})
        lines.append(
            f"| {name} | {run.get('peak_mb', nan):.0f} | {run.get('seconds', nan):.1f} "
            f"| {run.get('kernel_wait', nan):.1f} | {sizes.get(name, 0) / 1024:.0f} |"
        )
    report = "\n".join(lines)
    print(report)
    if args.out:
        args.out.write_text(report + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
