"""Benchmark the book build on this machine (a script that reports, not a timed test).

    .venv/bin/python benchmarks/build_benchmark.py [--jobs N] [--repeat N] [--out FILE]
                                                   [--watch-only]

On a fresh copy of the project (the files git knows) it measures, as a table:

1. a clean build with the runner (parallel notebooks, kernels forked from the kernel template,
   then Jupyter Book), and the same with every kernel started anew (``RI_KERNELS=spawn``);
2. a no-op rebuild (nothing changed);
3. the analyst's loop: the republish after changing one chapter's notebook (a Markdown cell),
   one data file that chapter reads, or one helper module only that chapter imports (each the
   median of ``--repeat`` changes; only that chapter runs, Sphinx reads only its page);
4. the analyst's loop in watch mode (``ri-book --watch``: one process that keeps the kernel
   template and Jupyter Book loaded): the same three changes, each timed from the write until
   the watcher prints that it published (median of ``--repeat``);
5. the same notebooks executed by ``jupyter-book build`` itself (``execute_notebooks: force``,
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
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
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


#: The changes of the analyst's loop in watch mode (kernels forked from the kept template).
WATCH_LOOP = tuple((label, change) for label, change, kernels in LOOP if kernels == "fork")


class _Watcher:
    """``ri-book --watch`` on ``project``: each line of its output with the time it arrived."""

    def __init__(self, project: Path, jobs: int) -> None:
        env = dict(
            os.environ, RI_ROOT=str(project), RI_KERNELS="fork",
            PYTHONPATH=str(project / "src"), PYTHONUNBUFFERED="1",
        )  # fmt: skip
        command = [sys.executable, "-m", "helpers.build.runner", "--watch", "--jobs", str(jobs)]
        self.process = subprocess.Popen(
            command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        self.lines: queue.Queue[tuple[float, str] | None] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))
        self.lines.put(None)

    def until(self, pattern: str, timeout: float = 600) -> tuple[float, list[str]]:
        """Wait for a line matching ``pattern``: its arrival time and the lines until it."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                item = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            if item is None:
                break
            arrived, line = item
            seen.append(line)
            self.log.append(line)
            if re.search(pattern, line):
                return arrived, seen
        sys.exit(f"watcher: no line {pattern!r}:\n" + "\n".join(self.log))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)


def watch_loop(project: Path, jobs: int, repeat: int) -> dict[str, list[dict]]:
    """Start a watcher on the (built) ``project``; after its first build, make each change of
    :data:`WATCH_LOOP` ``repeat`` times (interleaved), timing it from the write until the
    watcher reports the publication."""
    watcher = _Watcher(project, jobs)
    started = time.perf_counter()
    watcher.until(r"^\[watch\] watching ")
    print(f"[bench] watcher ready after {time.perf_counter() - started:.1f} s", flush=True)
    loop: dict[str, list[dict]] = {label: [] for label, _ in WATCH_LOOP}
    try:
        for attempt in range(repeat):
            for number, (label, change) in enumerate(WATCH_LOOP):
                time.sleep(2.0)  # as a person would: not at once after the last publication
                written = time.perf_counter()
                change(project, 100 + attempt * 10 + number)
                published, out = watcher.until(r"^\[book\] published: ")
                _, after = watcher.until(r"^\[watch\] (republished|FAILED|up to date)")
                out = "\n".join(out + after)
                if "[watch] republished" not in out:
                    sys.exit("watcher did not republish:\n" + out)
                first = re.search(r"^\[book\] \(\d+/\d+\) ", out, re.M)
                done = re.search(rf"\) {CHAPTER}: done in ([\d.]+) s", out)
                html = re.search(r"HTML built in ([\d.]+) s \(pages read: (.*)\)", out)
                rebuilt = re.search(r"\[watch\] republished in ([\d.]+) s", out)
                building = float(rebuilt.group(1)) if rebuilt and first else float("nan")
                result = {
                    "seconds": published - written,
                    "ran": sorted(set(re.findall(r"\) (\S+): executing", out))),
                    "notebook": float(done.group(1)) if done else float("nan"),
                    "html": float(html.group(1)) if html else float("nan"),
                    "read": html.group(2) if html else "",
                    # from the write until the build started: the watcher's polling
                    "noticed": published - written - building,
                }
                loop[label].append(result)
                print(f"[bench] watch mode, after changing {label}: {result['seconds']:.1f} s, executed {result['ran']}, pages read: {result['read']}", flush=True)  # fmt: skip
    finally:
        watcher.stop()
    return loop


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


def watch_rows(watched: dict[str, list[dict]], clean: float) -> list[str]:
    """Rows of the main table: the republish in watch mode after each change."""
    rows = []
    for label, results in watched.items():
        median = statistics.median(r["seconds"] for r in results)
        ran = sorted({name for r in results for name in r["ran"]})
        runs = ", ".join(f"{r['seconds']:.1f}" for r in results)
        rows.append(f"| **watch mode** (`ri-book --watch`), from writing {label} until published (ran: {', '.join(ran) or 'none'}; runs: {runs}) | {median:.1f} | {median / clean:.2f} |")  # fmt: skip
    return rows


def watch_breakdown(watched: dict[str, list[dict]]) -> list[str]:
    """Where a republish in watch mode goes (medians)."""
    lines = [
        "In watch mode (medians, seconds): from the write until the watcher noticed it and",
        "started the build (polling every 0.25 s, 0.1 s to settle), the notebook's run in a",
        "kernel forked from the kept template, the Jupyter Book build, the rest (planning,",
        "starting the worker, provenance page, publishing):",
        "",
        "| change | write to published | noticed | notebook | HTML | rest | pages read |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for label, results in watched.items():
        med = {k: statistics.median(r[k] for r in results) for k in ("seconds", "noticed", "notebook", "html")}  # fmt: skip
        rest = med["seconds"] - med["noticed"] - med["notebook"] - med["html"]
        read = "; ".join(sorted({r["read"] for r in results}))
        lines.append(f"| {label} | {med['seconds']:.1f} | {med['noticed']:.1f} | {med['notebook']:.1f} | {med['html']:.1f} | {rest:.1f} | {read} |")  # fmt: skip
    return lines


def watch_only(jobs: int, repeat: int, out: Path | None) -> None:
    """``--watch-only``: a copy built once, then the analyst's loop in watch mode."""
    load_before = load()
    with tempfile.TemporaryDirectory(prefix="ri-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        clean, _ = runner(project, jobs)
        print(f"[bench] clean build {clean:.1f} s", flush=True)
        watched = watch_loop(project, jobs, repeat)
    lines = [
        f"Watch-mode benchmark ({os.cpu_count()} cores, {jobs} parallel notebooks, "
        f"{time.strftime('%Y-%m-%d')}; median of {repeat})",
        "",
        "| step | seconds | relative |",
        "|---|--:|--:|",
        f"| clean build (runner, one run) | {clean:.1f} | 1.00 |",
        *watch_rows(watched, clean),
        "",
        *watch_breakdown(watched),
        "",
        f"Load average (1, 5, 15 min) before: {load_before}; after: {load()}.",
    ]
    report = "\n".join(lines)
    print(report)
    if out:
        out.write_text(report + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=None, help="also write the report here")
    parser.add_argument(
        "--repeat", type=int, default=3, help="clean builds of each kind to take the median of"
    )
    parser.add_argument(
        "--watch-only", action="store_true",
        help="only the analyst's loop in watch mode (on a copy built once)",
    )  # fmt: skip
    args = parser.parse_args()
    if args.watch_only:
        watch_only(args.jobs, args.repeat, args.out)
        return
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
        watched = watch_loop(project, args.jobs, args.repeat)
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
    lines += watch_rows(watched, clean)
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
    lines += ["", *watch_breakdown(watched)]
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
