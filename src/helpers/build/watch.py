"""Watch mode: the analyst's loop without paying the start of a build every time.

``python -m helpers.build.runner --watch`` (``make watch``, ``ri-book --watch``; the same
``--set``, ``--only``, ``--variant``, ``--jobs`` and ``--timeout`` as a build) builds the book
once, then stays running and republishes after every change to the sources. It holds the
target's build lock (:class:`helpers.build.runner.BuildLock`) for as long as it runs: a
``make book`` of the same book meanwhile is refused, naming the watcher. A build started anew pays, before
the changed chapter runs, for the kernel template's imports (pandas, geopandas, matplotlib,
...: seconds) and for importing the runner, papermill and Jupyter Book; here:

* one **kernel template** (:class:`helpers.build.kernel_fork.KernelTemplate`) is kept across
  builds (:class:`KeptTemplate`): every notebook's kernel is forked from it, as in a build. It
  is started anew when it died, or when the installed packages changed (environment hash);
* Jupyter Book, Sphinx and papermill stay imported in this process;
* the sources are polled (modification time and size, every :data:`POLL_SECONDS`):
  ``notebooks/``, ``data/``, the ``helpers`` package, ``book/`` (not its ``_generated``),
  ``params.yml`` (or ``--params``), ``_config.yml``, ``_toc.yml`` and the installed packages'
  folder. After a change, the normal incremental build runs in this process
  (:func:`helpers.build.runner.run`: the same planning, messages and atomic publication), and
  one line gives its duration. A failing notebook or book build is reported as in a build and
  leaves the previous book published; the loop goes on.

Two changes restart the watcher itself (a new process in its place, :func:`os.execv`, which
builds once more, incrementally): a change to a ``helpers`` module this process has imported
(the runner, the provenance page, the Sphinx extension, ...: the build must not run old code),
and a change of the installed packages (the imported Jupyter Book and Sphinx would be the old
ones).

Ctrl-C (SIGINT), SIGTERM and SIGHUP end the loop: the workers and kernels of a running build,
the kernel template and anything else this process started end too (:func:`end_children`,
:class:`helpers.build.runner.StopOnSignals`, as in a build), then it exits with status 0. A stop while a build publishes waits for the publication
(:func:`helpers.build.runner.run` holds these signals for those few renames).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
import sysconfig
import time
import traceback
from pathlib import Path

from helpers import config
from helpers.build import kernel_fork, runner

#: Seconds between two looks at the sources.
POLL_SECONDS = 0.25
#: After a change: seconds without a further change before the build starts (an editor that
#: writes a file in several steps, several files saved at once).
SETTLE_SECONDS = 0.1
#: Signals that end the loop.
STOP_SIGNALS = runner.STOP_SIGNALS
#: Folders never looked into: built notebooks and figure files, caches, checkpoints.
SKIPPED = {"_generated", "_assets", "__pycache__", ".ipynb_checkpoints", "_build"}
#: The key in a :func:`snapshot` that stands for the installed packages.
PACKAGES = "<installed packages>"

Snapshot = dict[str, tuple[int, int]]


# --- what is watched ------------------------------------------------------------------------


def watched_paths(params: Path | None = None) -> list[Path]:
    """The files and folders whose changes start a build: the chapters' notebooks, the data,
    the ``helpers`` package this process imports (the one the build hashes), the book's pages
    and configuration, and the parameter file."""
    package = Path(runner.__file__).resolve().parents[1]
    paths = [config.NOTEBOOKS_DIR, config.DATA_DIR, package, config.BOOK_DIR]
    paths += [Path(params or config.PARAMS_FILE), config.ROOT / "_config.yml"]
    paths += [config.ROOT / "_toc.yml"]
    return [p.resolve() for p in paths]


def _package_dirs() -> list[Path]:
    """The folders installed distributions live in: installing, upgrading or removing one
    adds or removes an entry there, which changes the folder's modification time."""
    paths = sysconfig.get_paths()
    return sorted({Path(paths[key]) for key in ("purelib", "platlib") if key in paths})


def _scan(folder: Path, found: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in SKIPPED:
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(Path(entry.path), found)
            elif entry.is_file():
                stat = entry.stat()
                found[entry.path] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # removed while looking
            continue


def snapshot(paths: list[Path]) -> Snapshot:
    """Modification time and size of every file under ``paths`` (by path), and the state of
    the installed packages' folders (key :data:`PACKAGES`); hidden files and :data:`SKIPPED`
    folders are left out."""
    found: Snapshot = {}
    for path in paths:
        if path.is_dir():
            _scan(path, found)
        elif path.is_file():
            stat = path.stat()
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    packages = []
    for folder in _package_dirs():
        with contextlib.suppress(OSError):
            packages.append(folder.stat().st_mtime_ns)
    found[PACKAGES] = (hash(tuple(packages)), len(packages))
    return found


def changed_files(before: Snapshot, after: Snapshot) -> list[str]:
    """What differs between two snapshots (added, removed or modified), relative to the
    project when inside it."""
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    shown = []
    for key in sorted(keys):
        with contextlib.suppress(ValueError):
            key = Path(key).relative_to(config.ROOT).as_posix()
        shown.append(key)
    return shown


def _settled(paths: list[Path], current: Snapshot) -> Snapshot:
    """Wait until nothing changed for :data:`SETTLE_SECONDS` (at most two seconds)."""
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        time.sleep(SETTLE_SECONDS)
        again = snapshot(paths)
        if again == current:
            break
        current = again
    return current


def imported_helpers() -> set[str]:
    """Files of the ``helpers`` modules this process has imported (the runner, the provenance
    page and what it reads, the Sphinx extension): a change to one of them needs a new
    process, the kernels import the rest anew in every run."""
    files = set()
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.partition(".")[0] == "helpers" and path:
            files.add(str(Path(path).resolve()))
    return files


# --- the kernel template, kept --------------------------------------------------------------


class _Lent(contextlib.AbstractContextManager):
    """The kept template for one build: the workers forked meanwhile find it
    (:data:`helpers.build.kernel_fork.SERVER_ENV`); it stays running afterwards."""

    def __init__(self, template: kernel_fork.KernelTemplate) -> None:
        self.template = template

    def __enter__(self) -> kernel_fork.KernelTemplate:
        os.environ[kernel_fork.SERVER_ENV] = self.template.address
        return self.template

    def __exit__(self, *exc: object) -> None:
        os.environ.pop(kernel_fork.SERVER_ENV, None)


class KeptTemplate:
    """One kernel template for all the builds of a watcher (instead of one per build,
    :func:`helpers.build.runner.kernel_template`). Started at once, so that it imports the
    libraries while the first build plans; started anew when it died or when the build's
    installed packages (environment hash) or kernel command differ from its own."""

    def __init__(self) -> None:
        self._template: kernel_fork.KernelTemplate | None = None
        self._key: tuple | None = None

    def ensure(self, kernel_cmd: list[str], environment: str) -> kernel_fork.KernelTemplate | None:
        """The running template for this kernel command and environment: the kept one, or a
        new one. None when kernels are not forked (not Linux, ``RI_KERNELS=spawn``, a kernel
        of another environment: :func:`helpers.build.runner.kernel_template`)."""
        key = (environment, tuple(kernel_cmd), os.environ.get(runner.KERNELS_ENV, ""))
        if self._template is not None and self._key == key and self._template.alive():
            return self._template
        if self._template is not None:
            why = (
                "had ended"
                if not self._template.alive()
                else "is for other packages or another kernel"
            )
            print(f"[watch] the kernel template {why}: starting a new one", flush=True)
        self.close()
        candidate = runner.kernel_template(kernel_cmd, 1)
        if not isinstance(candidate, kernel_fork.KernelTemplate):
            return None
        candidate.start()
        self._template, self._key = candidate, key
        return candidate

    def use(self, kernel_cmd: list[str], environment: str) -> contextlib.AbstractContextManager:
        """What :func:`helpers.build.runner.execute` runs its notebooks with: the kept
        template (:meth:`ensure`), or ``contextlib.nullcontext()`` when kernels are started
        anew."""
        template = self.ensure(kernel_cmd, environment)
        return contextlib.nullcontext() if template is None else _Lent(template)

    def close(self) -> None:
        """Stop the template (kernels forked from it that still run exit with it)."""
        if self._template is not None:
            self._template.stop()
        self._template, self._key = None, None


# --- processes and signals ---------------------------------------------------------------

# The build's own (a build stopped by a signal ends the same way): kept here under their
# names of before.
Stopped = runner.Stopped
end_children = runner.end_children


# --- the loop -------------------------------------------------------------------------------


def _configure(args: argparse.Namespace) -> tuple[runner.Target, dict[str, runner.Chapter]]:
    """Target and chapters as a build gets them (read anew for every build: ``params.yml``
    may have changed)."""
    target = runner.Target.for_variant(args.variant)
    chapters = runner.apply_overrides(runner.load_params(args.params), list(args.set))
    unknown = [c for c in args.only if c not in chapters]
    if unknown:
        raise runner.RunnerError(f"Unknown chapter(s) {unknown}; chapters: {', '.join(chapters)}")
    return target, chapters


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def rebuild(
    args: argparse.Namespace, kept: KeptTemplate, changed: list[str], *, force: bool = False
) -> bool:
    """One build, as ``make book`` runs it, in this process with the kept template; prints
    one line with its duration and outcome. True when it succeeded (published, or nothing to
    do)."""
    started = time.perf_counter()
    why = f" (changed: {', '.join(changed[:5])}{', ...' if len(changed) > 5 else ''})" if changed else ""  # fmt: skip
    index = before = None
    try:
        target, chapters = _configure(args)
        index = target.html / "index.html"
        before = _stamp(index)
        runner.run(
            chapters, target=target, only=args.only, jobs=args.jobs, force=force, kernels=kept,
            timeout=runner.resolve_timeout(getattr(args, "timeout", None)),
        )  # fmt: skip
    except runner.PublishIncomplete as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
    except runner.RunnerError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
    except OSError as exc:  # read-only folder, disk full, ...: one line
        print(f"[book] ERROR: {runner.os_error_line(exc)}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
    except Exception:  # noqa: BLE001 - a bug in one build must not end the analyst's loop
        traceback.print_exc()
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
    else:
        published = index is not None and _stamp(index) != before
        what = "republished" if published else "up to date, nothing to publish"
        print(f"[watch] {what} in {time.perf_counter() - started:.1f} s{why}", flush=True)
        return True
    sys.stderr.flush()
    print(f"[watch] FAILED after {time.perf_counter() - started:.1f} s{why}; the previous book stays published", flush=True)  # fmt: skip
    return False


def _keep_imported() -> None:
    """Import what a build needs (Jupyter Book, Sphinx, papermill) now, when the first build
    did not (nothing to do), and leave all of it out of the garbage collector's passes (also
    in the workers forked from this process)."""
    import importlib

    for name in (*runner.BOOK_MODULES, "papermill", "jupyter_client.kernelspec"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    gc.collect()
    gc.freeze()


def _restart_reason(changed: list[str], environment: str) -> str:
    """Why the watcher must start anew after ``changed`` (empty: it need not)."""
    runner_code = imported_helpers()
    own = [
        name
        for name in changed
        if name != PACKAGES and str((config.ROOT / name).resolve()) in runner_code
    ]
    if own:
        return f"the build's own code changed ({', '.join(own)})"
    if PACKAGES in changed and runner.environment_hash() != environment:
        return "the installed packages changed"
    return ""


def _restart_command() -> list[str]:
    """This process's command line, without ``--force`` (the first build did that)."""
    return [item for item in sys.orig_argv if item != "--force"]


def watch(args: argparse.Namespace) -> int:
    """Build once, then rebuild after every change until stopped; see the module's doc.
    ``args``: the runner's parsed command line. Returns the exit status (0 when stopped)."""
    if args.no_build:
        print("[book] ERROR: --watch builds the book; leave out --no-build", file=sys.stderr)
        return 2
    with contextlib.suppress(AttributeError, ValueError):
        sys.stdout.reconfigure(line_buffering=True)  # one line at a time, also into a pipe
    try:
        target = runner.Target.for_variant(args.variant)
        runner.resolve_timeout(getattr(args, "timeout", None))  # a bad _config.yml: now
        lock = runner.BuildLock(target.root / ".lock")
        lock.acquire()  # for as long as the watcher runs: a build meanwhile is refused
    except runner.RunnerError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"[book] ERROR: {runner.os_error_line(exc)}", file=sys.stderr)
        return 1
    try:
        restart, stopped = _loop(args)
    finally:
        lock.release()  # before a restart, which takes it anew
    if restart and not stopped:
        print(f"[watch] {restart}: restarting the watcher", flush=True)
        sys.stdout.flush()
        sys.stderr.flush()
        command = _restart_command()
        os.execv(sys.executable, [sys.executable, *command[1:]])
    return 0


def _loop(args: argparse.Namespace) -> tuple[str, bool]:
    """Build once, then after every change; returns (why the watcher must restart, '' when
    it was stopped; whether a signal stopped it)."""
    restart = ""
    kept = KeptTemplate()
    with runner.StopOnSignals() as stops:
        try:
            environment = runner.environment_hash()
            kept.ensure(runner.ensure_kernel(), environment)  # imports while the build plans
            paths = watched_paths(args.params)
            before = snapshot(paths)
            rebuild(args, kept, [], force=args.force)
            _keep_imported()
            print(f"[watch] watching {config.ROOT} for changes (notebooks, data, helpers, book, parameters); Ctrl-C ends", flush=True)  # fmt: skip
            while not restart:
                time.sleep(POLL_SECONDS)
                now = snapshot(paths)
                if now == before:
                    continue
                now = _settled(paths, now)
                changed = changed_files(before, now)
                before = now  # a change during the build is seen by the next look
                restart = _restart_reason(changed, environment)
                if not restart and changed != [PACKAGES]:
                    rebuild(args, kept, changed)
        except Stopped:
            print("\n[watch] stopped", flush=True)
        finally:
            stops.finish()  # a signal from now on: the watcher is ending anyway
            kept.close()
            end_children()
    return restart, bool(stops.received)  # stopped by a signal, before or during the cleanup
