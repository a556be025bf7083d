"""Build runner: execute the chapter notebooks with papermill (in parallel, incrementally),
then build the book with Jupyter Book, atomically.

``python -m helpers.build.runner [--set chapter.param=value ...] [--only chapter ...]
[--variant NAME] [--jobs N] [--timeout SECONDS] [--force] [--no-build] [--watch]``

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
   :func:`helpers.config.trace_imports`), the installed packages, the ``RI_LEAFLET`` switch
   and, for a chapter whose kernel imported the CBS client (:mod:`helpers.data.cbs`), the
   CBS cache (``<RI_DATA_CACHE>/cbs``: names, sizes, times) and whether CBS open data
   answered: a chapter built while it did not is run again once it does. Why each notebook
   ran or was skipped is printed and stored in the manifest; a damaged manifest means every
   chapter runs (with a notice).
3. **Parallel.** Notebooks that must run are executed in worker processes (one kernel each,
   at most ``--jobs``, default the number of cores), with progress, time and peak memory. On
   Linux the kernels are forked from a template that has imported the libraries once
   (:mod:`helpers.build.kernel_fork`; ``RI_KERNELS=spawn`` starts each kernel anew).
4. **Deadline.** A notebook that runs longer than ``--timeout SECONDS`` (default
   ``execute: timeout:`` in ``_config.yml``, else :data:`DEFAULT_TIMEOUT`; 0: none) is
   stopped: its kernel is interrupted (killed when that does not end it) and the build fails
   naming the notebook and the cell that was running.
5. **Atomic and crash-safe.** Everything is built in ``_build/.work``: executed notebooks,
   then the HTML from a copy of the book sources. Only when all notebooks and the book build
   succeed do the new executed notebooks, HTML and manifest replace the published ones;
   otherwise nothing published changes and the failing notebook, cell and traceback (or Jupyter
   Book's ``ERROR``/``WARNING`` lines) are printed. The replacement is one commit
   (:func:`publish`): staged copies, then a journal file, then renames; a build killed at any
   moment leaves the previous book or, once the journal exists, the new one, which the next
   build completes (:func:`recover`) before it plans. Sphinx's state of the last published
   build (``_build/.cache/sphinx``) lets it read only the pages that changed; it writes
   every page anew, the HTML of a clean build (:func:`build_book`).
6. **One build at a time.** A build (and a watcher, for as long as it runs) holds a lock on
   its target (``_build/.lock``, a variant's ``.lock``; :class:`BuildLock`) that names its
   process, host, start and command; a second build is refused with that line. A lock whose
   process has ended is taken over. A build stopped by Ctrl-C, SIGTERM or SIGHUP ends its
   workers, kernels and kernel template (:class:`StopOnSignals`). Errors of the file system
   (read-only folder, disk full) are one line naming the path.
7. **Variants.** ``--variant NAME`` builds into ``_build/variants/NAME/`` (own notebooks, HTML
   and manifest), so a chapter or the book with other years sits next to the default book.
8. **Watch.** ``--watch`` builds, then stays running and rebuilds (this same build) after every
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
from typing import TYPE_CHECKING, Self

import yaml

from helpers import config

if TYPE_CHECKING:
    from helpers.build.watch import KeptTemplate

KERNEL_NAME = "regionale-innovatie"
#: ``RI_KERNELS=spawn`` starts every kernel as a new interpreter instead of forking it from
#: the kernel template (see :mod:`helpers.build.kernel_fork`).
KERNELS_ENV = "RI_KERNELS"
MANIFEST_VERSION = 1
#: Seconds a notebook may run when neither ``--timeout`` nor ``execute: timeout:`` in
#: ``_config.yml`` says otherwise (the chapters take seconds; a hanging one must not hold the
#: build for ever).
DEFAULT_TIMEOUT = 600.0
#: Seconds a notebook's kernel gets to end after the interrupt at its deadline before it is
#: killed (a cell stuck in C code does not see the interrupt).
INTERRUPT_GRACE = 10.0
#: The CBS client: a chapter whose kernel imported it depends on the CBS cache and on whether
#: CBS open data answered (:func:`cbs_cache_state`, :func:`cbs_answers`).
CBS_MODULE = "helpers.data.cbs"


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

    @property
    def root(self) -> Path:
        """The folder of the target's manifest, lock (``.lock``) and publication journal
        (``.publishing``): ``_build`` or ``_build/variants/<name>``."""
        return self.manifest.parent


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


# --- one build at a time; stopping ---------------------------------------------------------


class BuildLock:
    """The lock of a target (``<target.root>/.lock``): one build of it at a time; a context
    manager. The holder writes one JSON line into the file (pid, host, start, command), which
    a refused build shows; the file stays, emptied, when the holder releases it.

    A POSIX record lock (:func:`fcntl.lockf`), not ``flock`` or a lock library: the system
    releases it when its process ends however it ends (a kill included: a lock of a process
    that no longer runs is simply taken over, with a notice), and, unlike ``flock``, worker
    processes forked during the build do not inherit it (a worker left behind never holds
    the next build). Nothing in the holding process may open the file a second time: closing
    any descriptor of it would release the lock. Unix only, like the forked kernels."""

    def __init__(self, path: Path, command: str | None = None) -> None:
        self.path = path
        self.command = command if command is not None else _command_line()
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock. Raises :class:`RunnerError` (one line: who holds it, since when,
        with which command) when another running process holds it, and ``OSError`` when the
        file cannot be made. Prints a notice when the last holder ended without releasing
        it (killed, a power cut)."""
        import fcntl
        import socket

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _lock_holder(_read_fd(fd))
            os.close(fd)
            raise RunnerError(
                f"another build of this book is running ({holder}; lock {self.path}): "
                "wait until it ends, or stop it"
            ) from None
        previous = _read_fd(fd)
        if previous.strip():
            print(f"[book] the lock of a build that ended without releasing it ({_lock_holder(previous)}) is taken over", flush=True)  # fmt: skip
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "command": self.command,
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
        self._fd = fd

    def release(self) -> None:
        """Empty the file and release the lock (nothing when not held)."""
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(self._fd, 0)
        os.close(self._fd)  # releases the lock
        self._fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _command_line() -> str:
    import shlex

    argv = list(getattr(sys, "orig_argv", sys.argv))
    return shlex.join([Path(argv[0]).name, *argv[1:]]) if argv else "?"


def _read_fd(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", errors="replace")


def _lock_holder(text: str) -> str:
    """'pid 123 on host, since 2026-01-01T10:00:00, command: ...' from a lock file's line."""
    try:
        record = json.loads(text.strip().splitlines()[0])
        return (
            f"pid {record['pid']} on {record['host']}, since {record['started']}, "
            f"command: {record['command']}"
        )
    except (ValueError, IndexError, KeyError, TypeError):
        return "holder unknown"


class Stopped(BaseException):
    """SIGINT, SIGTERM or SIGHUP during a build or watch (:class:`StopOnSignals`); ``signum``
    the signal, ``published`` whether the new book had been published. Not an
    :class:`Exception` (nor a :class:`KeyboardInterrupt`, which Jupyter Book's command line
    turns into an error of the build): nothing in a build catches it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.published = False


def end_children(timeout: float = 10.0) -> None:
    """End every process this one started, with theirs (workers, the kernel template, the
    kernels forked from it): the deepest first, so that none is left to another parent."""
    import psutil

    try:
        found = psutil.Process().children(recursive=True)
    except psutil.Error:
        return
    for process in reversed(found):  # breadth-first order: grandchildren after children
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(found, timeout=timeout)


#: Signals that stop a build or a watcher.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopOnSignals:
    """While active (a context manager, in the main thread): :data:`STOP_SIGNALS` end every
    process this one started (:func:`end_children`: workers, kernels, the kernel template),
    then raise :class:`Stopped`. ``received`` lists the signals that came; after
    :meth:`finish`, one is only recorded (the process ends anyway). A worker forked meanwhile
    inherits the handler and ends as it would without it."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self._owner = 0
        self._ending = False
        self._previous: dict = {}

    def _handle(self, signum: int, frame: object) -> None:
        if os.getpid() != self._owner:  # a forked worker: end as without the handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.received.append(signum)
        if self._ending:  # already ending (a second Ctrl-C): the cleanup goes on
            return
        self._ending = True
        end_children()
        raise Stopped(signum)

    def finish(self) -> None:
        """From now on a signal is only recorded: the process is ending anyway."""
        self._ending = True

    def __enter__(self) -> StopOnSignals:
        self._owner = os.getpid()
        self._previous = {signum: signal.signal(signum, self._handle) for signum in STOP_SIGNALS}
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)


# --- parameters ---------------------------------------------------------------------------


def load_params(path: Path | None = None) -> dict[str, Chapter]:
    """The chapters of ``params.yml``: notebook, title, parameters and their rules
    (``valid:``, checked by :mod:`helpers.build.params`). A YAML error (also while ``make
    watch`` runs) is a one-line :class:`RunnerError` naming the file, line and column."""
    file = Path(path or config.PARAMS_FILE)
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        from helpers.build import params  # its one-line message (imported only on error: slow)

        try:
            params.load_yaml_file(file)
        except params.ParameterError as exc:
            raise RunnerError(str(exc)) from None
        raise
    if not isinstance(doc, dict) or not isinstance(doc.get("chapters"), dict):
        raise RunnerError(f"{file}: no 'chapters:' mapping")
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


def depends_on_cbs(modules: list[str] | None) -> bool:
    """Whether a chapter whose kernel imported the ``helpers`` ``modules`` (None: not known,
    e.g. before its first run) depends on the CBS client (:data:`CBS_MODULE`): its cache and
    whether CBS open data answered."""
    return modules is None or CBS_MODULE in modules


def cbs_cache_state() -> str:
    """One hash of the CBS client's disk cache (``<RI_DATA_CACHE>/cbs``, see
    :func:`helpers.config.cache_dir`): the name, size and modification time (ns) of every file
    in it (a table fetched, refetched or removed changes it); the hash of nothing when the
    folder does not exist."""
    folder = config.cache_dir() / "cbs"
    entries = []
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            with contextlib.suppress(OSError):  # removed while looking
                stat = path.stat()
                entries.append(f"{path.relative_to(folder).as_posix()}\t{stat.st_size}\t{stat.st_mtime_ns}")  # fmt: skip
    return _sha("\n".join(entries).encode())


def cbs_answers(timeout: float = 3.0) -> bool:
    """Whether CBS open data (:func:`helpers.data.cbs.base_url`: ``RI_CBS_ODATA`` or the public
    service) answers an HTTP request: any status counts, the server answered. Waits at most
    ``timeout`` seconds (+1) in all: the request runs in a thread, so a resolver or a server
    that hangs cannot hold the build."""
    import requests

    from helpers.data import cbs

    url = cbs.base_url()
    answered: list[bool] = []

    def probe() -> None:
        try:
            with requests.get(url, timeout=timeout, stream=True):
                answered.append(True)
        except requests.RequestException:
            pass

    thread = threading.Thread(target=probe, name="cbs-probe", daemon=True)
    thread.start()
    thread.join(timeout + 1.0)
    return bool(answered)


def static_fingerprint(
    chapter: Chapter, env: str, helpers: dict[str, str], cbs_cache: str | None = None
) -> dict:
    """A chapter's inputs known before it runs, for the manifest: ``notebook`` (sha256),
    ``parameters`` (JSON-normalised), ``parameter_files`` (sha256 of each string parameter
    naming an existing file), ``helpers`` (as given: module -> hash), ``environment``
    (``env``: the hash of the installed packages), ``switches`` (environment variables
    that change what a notebook draws: ``RI_LEAFLET``) and ``cbs_cache`` (as given: the
    :func:`cbs_cache_state` for a chapter that uses the CBS client, else None)."""
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
        "cbs_cache": cbs_cache,
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
        # is known only after its run, and this hash is taken before); the CBS cache: it
        # shapes the book through the chapters it re-runs (and their runs fill it)
        inputs = {k: v for k, v in item.fingerprint.items() if k not in ("helpers", "cbs_cache")}
        digest.update(json.dumps([item.chapter.name, inputs], sort_keys=True).encode())
    # all helper code: the book build uses some itself (Sphinx extension, provenance page)
    files = next((item.helper_files for item in plans if item.helper_files), None)
    digest.update(helpers_hash(None, files).encode())
    # static assets the book build copies into every page (the book's CSS)
    for path in sorted(p for p in STATIC_DIR.rglob("*") if p.is_file()):
        digest.update(path.relative_to(STATIC_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def manifest_problem(manifest: object) -> str:
    """What makes ``manifest`` (parsed JSON) unusable as a build record ('' when nothing):
    not a mapping, another version, ``chapters`` not a mapping of chapter records, a record
    without a ``fingerprint`` mapping, ``reads``/``globs`` that are not lists, ``modules``
    neither a list nor null, ``online`` not a mapping, ``book`` not a string or null."""
    if not isinstance(manifest, dict):
        return "not a JSON object"
    if manifest.get("version") != MANIFEST_VERSION:
        return f"version {manifest.get('version')!r}, not {MANIFEST_VERSION}"
    chapters = manifest.get("chapters")
    if not isinstance(chapters, dict):
        return "no 'chapters' mapping"
    if not isinstance(manifest.get("book"), str | None):
        return "'book' is not a hash"
    kinds = {"fingerprint": dict, "reads": list, "globs": list, "modules": list | None,
             "online": dict}  # fmt: skip
    for name, record in chapters.items():
        if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), dict):
            return f"chapter {name!r} has no fingerprint"
        for key, kind in kinds.items():
            if key in record and not isinstance(record[key], kind):
                return f"chapter {name!r}: {key!r} is not a {getattr(kind, '__name__', 'list or null')}"  # fmt: skip
    return ""


def load_manifest(path: Path) -> dict:
    """The build record at ``path`` (``_build/manifest.json`` or a variant's): ``version``,
    ``chapters`` (name -> fingerprint, reads, globs, modules, online, last_run, ...) and
    ``book``. A missing file gives an empty record (every chapter runs); so does a damaged one
    (truncated JSON, keys missing or of the wrong kind: :func:`manifest_problem`, another
    version), after a one-line notice naming the file and the damage."""
    empty = {"version": MANIFEST_VERSION, "chapters": {}}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return empty
    try:
        manifest = json.loads(text)
        problem = manifest_problem(manifest)
    except ValueError as exc:  # truncated or not JSON (UnicodeDecodeError included)
        problem = f"not valid JSON: {exc}"
    if problem:
        print(f"[book] notice: the build record {path} is damaged ({problem}): every chapter runs", flush=True)  # fmt: skip
        return empty
    return manifest


def plan(
    chapters: dict[str, Chapter], manifest: dict, target: Target, *, force: bool = False
) -> list[Plan]:
    """Decide per chapter whether to execute, with the reason."""
    env, files = environment_hash(), helpers_files()
    cbs_cache: list[str] = []  # taken once, when a chapter uses the CBS client
    answers: list[bool] = []  # asked once, when a chapter was built while CBS did not answer
    plans = []
    for chapter in chapters.values():
        previous = manifest["chapters"].get(chapter.name)
        # the helper modules the notebook imported last time (all of them without a record)
        modules = (previous or {}).get("modules") or None
        if depends_on_cbs(modules) and not cbs_cache:
            cbs_cache.append(cbs_cache_state())
        current = static_fingerprint(
            chapter, env, helpers_state(modules, files),
            cbs_cache[0] if depends_on_cbs(modules) else None,
        )  # fmt: skip
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
                "cbs_cache": f"CBS cache changed ({config.cache_dir() / 'cbs'})",
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
            if not reason and (previous.get("online") or {}).get("cbs") is False:
                if not answers:
                    answers.append(cbs_answers())
                if answers[0]:
                    reason = "CBS open data answers now (the last run was offline)"
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


def _cell_label(index: int, cell: dict) -> str:
    first_line = "".join(cell.get("source", "")).strip().splitlines()[:1]
    return (
        f"cell {index} (execution count {cell.get('execution_count')}), "
        f"starting {first_line[0] if first_line else ''!r}"
    )


def failing_cell(notebook: Path, traceback_lines: int = 0) -> str:
    """Describe the first cell with an error output in an executed notebook (optionally with
    the last lines of its traceback); without one, the cell papermill marked failed, else the
    last cell it started (:func:`running_cell`)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for index, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                text = f"{_cell_label(index, cell)}: {output.get('ename')}: {output.get('evalue')}"
                if traceback_lines:
                    lines = _ANSI.sub("", "\n".join(output.get("traceback", []))).splitlines()
                    text += "\nTraceback (last lines):\n" + "\n".join(lines[-traceback_lines:])
                return text
    # no error output (an interrupt that reached the kernel just before the cell's code ran):
    # the cell papermill marked failed, else the last one it started
    for index, cell in enumerate(nb["cells"]):
        if cell.get("metadata", {}).get("papermill", {}).get("status") == "failed":
            return f"{_cell_label(index, cell)} (no error output)"
    return running_cell(nb)


def running_cell(notebook: Path | dict) -> str:
    """Describe the last cell papermill started in an executed notebook (a file, or the
    notebook papermill holds): the cell a stopped or dead kernel was in (papermill marks it
    completed on its way out, but only started cells have a start time): 'cell N (execution
    count C), starting '...''; 'unknown cell' when there is none or the file cannot be read."""
    nb = notebook
    if isinstance(notebook, Path):
        try:
            nb = json.loads(notebook.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return "unknown cell"
    started = [
        (index, cell)
        for index, cell in enumerate(nb.get("cells", []))
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return "unknown cell"
    return _cell_label(*started[-1])


def _kernel_pids() -> list[int]:
    """In a worker: its notebook's kernel(s): forked from the template (not children of the
    worker) or started by it (its children)."""
    import psutil

    from helpers.build import kernel_fork

    pids = list(kernel_fork.launched_pids)
    with contextlib.suppress(psutil.Error):
        pids += [child.pid for child in psutil.Process().children()]
    return pids


def _signal_kernels(signum: int) -> None:
    """Send ``signum`` to this worker's kernels; SIGKILL to each kernel's process group
    (a kernel leads its own, like the processes it started)."""
    for pid in _kernel_pids():
        with contextlib.suppress(OSError):
            if signum == signal.SIGKILL and os.getpgid(pid) == pid:
                os.killpg(pid, signum)
            else:
                os.kill(pid, signum)


class _InThread:
    """A context manager that runs ``self._run()`` in a daemon thread while its block runs;
    ``self._stop`` is set when the block ends, and the thread is waited for."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class _Deadline(_InThread):
    """In a worker, for one notebook: when it has run ``seconds`` (None: no deadline), its
    kernel is interrupted (the cell ends with KeyboardInterrupt, whose traceback shows where
    it was), once a second (a kernel between two cells ignores an interrupt); when that has
    not ended the run :data:`INTERRUPT_GRACE` seconds later, the kernel is killed (papermill
    then stops in that cell). ``expired`` tells whether the deadline passed."""

    def __init__(self, seconds: float | None) -> None:
        super().__init__("notebook-deadline")
        self.seconds = seconds
        self.expired = False

    def _run(self) -> None:
        if self.seconds is None or self._stop.wait(self.seconds):
            return
        self.expired = True
        end = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < end:
            _signal_kernels(signal.SIGINT)
            if self._stop.wait(1.0):
                return
        _signal_kernels(signal.SIGKILL)


#: The notebook papermill is executing in this worker (:func:`_tracking_engine`).
_EXECUTING: list = []
_EXECUTING_ENGINE: list[str] = []


def _tracking_engine() -> str:
    """Register (once) and name a papermill engine that is papermill's own (nbclient) but
    keeps the notebook it executes in :data:`_EXECUTING`: when the kernel dies or is killed
    at its deadline, papermill raises without writing the notebook (the runner does not ask
    it to save after every cell), and this is where the running cell is then found.
    Papermill's documented extension point (``papermill_engines.register``)."""
    from papermill.engines import NBClientEngine, papermill_engines

    name = "ri-tracking"
    if not _EXECUTING_ENGINE:

        class TrackingEngine(NBClientEngine):
            @classmethod
            def execute_managed_notebook(cls, nb_man: object, kernel_name: str, **kwargs: object) -> object:  # fmt: skip
                _EXECUTING[:] = [nb_man]
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

        papermill_engines.register(name, TrackingEngine)
        _EXECUTING_ENGINE.append(name)
    return name


def _watch_parent(parent: int) -> None:
    """Worker initializer: a thread that ends the worker, and its kernel, when the runner
    that forked it has gone (killed: it could not end its workers itself)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        _signal_kernels(signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="watch-runner", daemon=True).start()


class _PeakMemory(_InThread):
    """Samples the resident memory of the kernel (this process's children, or the kernel
    forked for it from the template) in a thread. A forked kernel's resident memory includes
    the libraries it shares with the template."""

    def __init__(self, interval: float = 0.1) -> None:
        super().__init__("peak-memory")
        self.peak = 0
        self._interval = interval

    def _run(self) -> None:
        interval = self._interval
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


def _execute_one(
    name: str, notebook: str, parameters: dict, stage: str, timeout: float | None = None
) -> dict:
    """Worker: run one notebook (its own kernel) and report time, peak memory and reads;
    ``error`` describes the failing cell, ``timed_out`` tells that the notebook ran past
    ``timeout`` seconds and was stopped (:class:`_Deadline`; ``error`` then names the cell it
    was in). The kernel's own log (its transport warning, a note when it is interrupted during
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
    _EXECUTING.clear()
    engine = _tracking_engine()
    with _stderr_to(kernel_log), _PeakMemory() as memory, _Deadline(timeout) as deadline:
        try:
            papermill.execute_notebook(
                notebook, str(output), parameters=parameters, cwd=stage,
                kernel_name=KERNEL_NAME, progress_bar=False,
                # no save after every cell: each rewrites and validates the whole notebook,
                # maps included; the executed notebook is written once, at the end
                request_save_on_cell_execute=False, engine_name=engine, **manager,
            )  # fmt: skip
        except PapermillExecutionError:
            error = failing_cell(output, traceback_lines=15)
        except Exception as exc:  # kernel died, bad notebook file, ...
            error = f"{type(exc).__name__}: {exc}"
            if _EXECUTING:  # the kernel died (or was killed at its deadline) in a cell
                nb = _EXECUTING[0].nb
                cause = "its kernel was killed" if deadline.expired else error
                error = f"{running_cell(nb)} ({cause})"
                with contextlib.suppress(Exception):  # the executed part, for the reader
                    from papermill.iorw import write_ipynb

                    write_ipynb(nb, str(output))
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
        "timed_out": deadline.expired and error is not None,
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
    timeout: float | None = None,
) -> dict[str, dict]:
    """Execute the planned notebooks into ``stage`` in parallel; copy the skipped ones (and
    their assets) from the published target. Raises on the first failure (after the running
    notebooks finish), naming the notebook and cell; a notebook that runs longer than
    ``timeout`` seconds (None: no deadline) is stopped and fails so. ``kernels``: the kernel
    template kept across builds in watch mode (:class:`helpers.build.watch.KeptTemplate`),
    instead of one for this build."""
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
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_watch_parent, initargs=(os.getpid(),)
    )
    with template, pool:
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
                _execute_one, chapter.name, str(chapter.notebook), chapter.parameters,
                str(stage), timeout,
            )  # fmt: skip
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
                late = f" (stopped at its deadline, --timeout {timeout:g} s)" if result.get("timed_out") else ""  # fmt: skip
                print(f"[book] ({number}/{total}) {item.chapter.name}: FAILED after {result['seconds']:.1f} s{late}", flush=True)  # fmt: skip
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
        what = "failed in"
        if result.get("timed_out"):
            what = f"did not finish within {timeout:g} s (--timeout) and was stopped in"
        raise RunnerError(
            f"Notebook {item.chapter.notebook.relative_to(config.ROOT)} {what} "
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


_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL|SEVERE):")
#: Sphinx's own error headings ("Extension error:", "Sphinx error:", "Exception occurred:")
_SPHINX_ERROR = re.compile(r"^(?:[A-Z][\w ]* error|Exception occurred):\s*$")
#: The last line of a traceback: ``ValueError: ...``
_EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)(?::.*)?$")


def book_problems(log_text: str, limit: int = 25) -> str:
    """What failed a Jupyter Book build, from its output: the ``WARNING``/``ERROR`` lines
    (with their indented continuation lines) and Sphinx's error blocks (``Extension error:``
    and the message below it, ``Exception occurred:`` ...), the last ``limit`` lines of
    them; else the last line of each traceback (an exception in Jupyter Book's configuration
    or an extension; not Jupyter Book's closing "Look above for the cause"); else the end of
    the output before Jupyter Book's own traceback."""
    lines = _ANSI.sub("", log_text).splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        heading = _SPHINX_ERROR.match(line)
        if not heading and not _PROBLEM.search(line):
            continue
        found.append(line)
        for following in lines[index + 1 :]:
            if not following.strip() or following.startswith("Traceback"):
                break
            if not heading and not following.startswith((" ", "\t")):
                break  # a warning's continuation lines are indented
            found.append(following)
    if found:
        return "\n".join(found[-limit:])
    # an exception (Jupyter Book's configuration, an extension): each traceback's last line,
    # not Jupyter Book's closing one ("Look above for the cause")
    found = [
        line
        for index, line in enumerate(lines)
        if _EXCEPTION.match(line)
        and "Look above for the cause" not in " ".join(lines[index : index + 5])  # fmt: skip
    ]
    if found:
        return "\n".join(found[-limit:])
    end = len(lines)  # Jupyter Book's own traceback is the last one through its command line
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].startswith("Traceback") and any("jupyter_book/cli" in later for later in lines[index : index + 40]):  # fmt: skip
            end = index
            break
    return "\n".join(lines[:end][-limit:])


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
        raise RunnerError(f"Jupyter Book build failed (full log: {log}):\n{book_problems(log_text)}")  # fmt: skip
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


class PublishIncomplete(RunnerError):
    """The publication was committed (its journal written) but could not be completed; the
    next build completes it (:func:`recover`)."""


def _publish_step(step: str) -> None:
    """A point between two steps of the publication (:func:`publish`); does nothing. Tests
    stop a build here, as a kill at that moment would."""


def _staged(path: Path, kind: str) -> Path:
    """The hidden sibling of ``path`` holding its new (``kind`` 'new') or outgoing ('old')
    copy during a publication: ``_build/.html.new``, ``book/._generated.old``, ... (hidden:
    Jupyter Book and the watcher skip them)."""
    return path.with_name(f".{path.name}.{kind}")


def _journal(target: Target) -> Path:
    return target.root / ".publishing"


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _write_durably(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary sibling, flushed to disk, then renamed
    (a reader sees the old content or the new one, whole)."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _complete(target: Target) -> None:
    """Put every staged new copy of ``target`` (notebooks, HTML, manifest) in place, then
    remove the journal and the outgoing copies. Each step can be repeated after a kill: a
    new copy still staged replaces its final one, a final one already replaced is left."""
    for final in (target.generated, target.html):
        new, old = _staged(final, "new"), _staged(final, "old")
        if not new.exists():
            continue  # in place already (or not part of this publication: --no-build)
        if final.exists():
            _remove(old)
            final.rename(old)
            _publish_step(f"{final.name} moved out")
        new.rename(final)
        _publish_step(f"{final.name} in place")
    manifest = _staged(target.manifest, "new")
    if manifest.exists():
        os.replace(manifest, target.manifest)
        _publish_step("manifest in place")
    _journal(target).unlink(missing_ok=True)
    _publish_step("journal removed")
    for final in (target.generated, target.html):
        _remove(_staged(final, "old"))


def recover(target: Target) -> None:
    """Leave ``target`` as one complete publication before a build plans: when a build was
    stopped (killed) while it published, complete its publication if it had committed (the
    journal exists: the new book, notebooks and manifest) and else discard what it had staged
    (the previous book stays). Copies left by the older publication scheme (``html.new``,
    ``_generated.old``, ...) are cleared the same way. Prints a notice when there was
    something to do."""
    if _journal(target).exists():
        _complete(target)
        print(f"[book] notice: completed the publication of a build that was stopped while publishing ({target.html.parent})", flush=True)  # fmt: skip
        return
    found = False
    for final in (target.generated, target.html, target.manifest):
        for kind in ("new", "old"):
            for leftover in (_staged(final, kind), final.with_name(f"{final.name}.{kind}")):
                if not (leftover.exists() or leftover.is_symlink()):
                    continue
                found = True
                if kind == "old" and not final.exists():  # the older scheme, stopped mid-swap
                    leftover.rename(final)
                else:
                    _remove(leftover)
    if found:
        print(f"[book] notice: removed what a stopped build had staged but not published; the published book is the one before it ({target.html.parent})", flush=True)  # fmt: skip


def publish(stage: Path, html: Path | None, target: Target, manifest: dict | None = None) -> None:
    """Replace the published notebooks (``target.generated``) by ``stage`` (its hidden files
    dropped), the published HTML (``target.html``) by ``html`` and the manifest by
    ``manifest``, as one commit that survives a kill at any moment:

    1. stage: the new copies become hidden siblings (``_build/.html.new``,
       ``book/._generated.new``, ``.manifest.json.new``; renames within the same folders);
    2. commit: the journal ``<target.root>/.publishing`` is written (renamed into place);
    3. complete (:func:`_complete`): each final copy is renamed out and the new one in, the
       manifest replaced, the journal removed, the outgoing copies deleted.

    A kill before 2 leaves the previous book (the next build discards the staged copies), one
    after it the new book (the next build completes the renames): :func:`recover`. ``html``
    None (``--no-build``) leaves the published HTML as it is; ``manifest`` None the manifest.
    Raises ``OSError`` (nothing published changed) or :class:`PublishIncomplete`."""
    new_html = _staged(target.html, "new")
    new_generated = _staged(target.generated, "new")
    new_manifest = _staged(target.manifest, "new")
    try:
        for path in (new_html, new_generated, new_manifest):
            _remove(path)
        if html is not None:
            target.html.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(html, new_html)  # a rename within _build/
        for hidden in stage.glob(".*"):
            _remove(hidden)
        target.generated.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(stage, new_generated)
        if manifest is not None:
            target.manifest.parent.mkdir(parents=True, exist_ok=True)
            _write_durably(new_manifest, json.dumps(manifest, indent=1, sort_keys=True))
        _publish_step("staged")
        journal = {"pid": os.getpid(), "time": dt.datetime.now().isoformat(timespec="seconds")}
        _write_durably(_journal(target), json.dumps(journal))
    except OSError:
        with contextlib.suppress(OSError):
            for path in (new_html, new_generated, new_manifest):
                _remove(path)
        raise
    _publish_step("committed")
    try:
        _complete(target)
    except OSError as exc:
        raise PublishIncomplete(
            f"{os_error_line(exc)}; the new book was committed: the next build completes "
            "its publication"
        ) from exc


def os_error_line(exc: OSError) -> str:
    """One line for a file-system error: what failed, on which path, and the system's reason
    ('cannot write _build/x: No space left on device [ENOSPC]')."""
    import errno

    if isinstance(exc, shutil.Error) and exc.args and isinstance(exc.args[0], list) and exc.args[0]:  # fmt: skip
        _source, destination, why = exc.args[0][0]  # copytree: (source, destination, why) each
        return f"file system error on {destination}: {why}"
    paths = [p for p in (exc.filename, exc.filename2) if p]
    where = " -> ".join(str(p) for p in paths) or "(no path given)"
    code = f" [{errno.errorcode.get(exc.errno, exc.errno)}]" if exc.errno else ""
    return f"file system error on {where}: {exc.strerror or exc}{code}"


def manifest_record(
    target: Target,
    plans: list[Plan],
    results: dict[str, dict],
    previous: dict,
    book_hash: str | None,
    online: dict[str, dict] | None = None,
) -> dict:
    """The manifest after this build (:func:`save_manifest` writes it). A chapter that ran (in
    ``results``) gets its fingerprint with the hashes of the helper modules it imported, the
    data it read and (when it uses the CBS client) the CBS cache after its run, its reads,
    globs, modules, ``online`` (``online[name]``: whether each online source answered, for a
    chapter that uses one) and ``last_run`` (reason, seconds, kernel, kernel_wait, peak_mb); a
    skipped one keeps its entry from ``previous`` with ``last_skip_reason``. ``book_hash``:
    the book's fingerprint (None when no HTML was built)."""
    online = online or {}
    chapters = dict(previous.get("chapters", {}))
    cbs_cache: list[str] = []
    for item in plans:
        name = item.chapter.name
        if name in results:
            res = results[name]
            # the helper modules this run imported (all of them when the trace has none)
            modules = res.get("modules") or None
            if depends_on_cbs(modules) and not cbs_cache:
                cbs_cache.append(cbs_cache_state())  # after the runs, which may have filled it
            fingerprint = dict(
                item.fingerprint,
                helpers=helpers_state(modules, item.helper_files or None),
                data=data_state(res["reads"], res["globs"]),
                cbs_cache=cbs_cache[0] if depends_on_cbs(modules) else None,
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
            if name in online:
                chapters[name]["online"] = online[name]
        elif name in chapters:
            chapters[name]["last_skip_reason"] = item.reason
    return {"version": MANIFEST_VERSION, "chapters": chapters, "book": book_hash}


def save_manifest(target: Target, *args: object, **kwargs: object) -> None:
    """Write the :func:`manifest_record` of a build (``target`` and the same further
    arguments: plans, results, previous, book_hash, online) to ``target.manifest`` (JSON,
    replaced whole). A build publishes it with its book instead (:func:`publish`)."""
    record = manifest_record(target, *args, **kwargs)  # type: ignore[arg-type]
    target.manifest.parent.mkdir(parents=True, exist_ok=True)
    _write_durably(target.manifest, json.dumps(record, indent=1, sort_keys=True))


def sources_answered(results: dict[str, dict]) -> dict[str, dict]:
    """For each chapter in ``results`` (this build's runs) that uses an online source (the CBS
    client: :func:`depends_on_cbs`): ``{"cbs": whether CBS open data answers}``, asked once
    after the runs (:func:`cbs_answers`). A chapter built while it did not is run again by a
    later build once it does (:func:`plan`)."""
    users = [name for name, res in results.items() if depends_on_cbs(res.get("modules") or None)]
    if not users:
        return {}
    answered = cbs_answers()
    return {name: {"cbs": answered} for name in users}


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
    timeout: float | None = None,
) -> list[Plan]:
    """Complete or discard a publication a stopped build left (:func:`recover`), then plan,
    execute, build and publish; returns the plans (what ran and why). ``kernels``: the kernel
    template a watcher keeps across builds (:mod:`helpers.build.watch`); ``timeout``: seconds
    each notebook may run (None: no deadline). The caller holds the target's
    :class:`BuildLock`. Raises :class:`RunnerError`, ``OSError`` or :class:`Stopped` (its
    ``published`` set when the new book had been published)."""
    recover(target)
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
        plans, stage, jobs=jobs or os.cpu_count() or 1, target=target, kernels=kernels,
        timeout=timeout,
    )  # fmt: skip
    write_provenance(plans, results, manifest, stage)
    page, published = stage / "bronnen.md", target.generated / "bronnen.md"
    if published.is_file() and published.read_bytes() == page.read_bytes():
        shutil.copystat(published, page)  # unchanged: Sphinx keeps its reading of the page
    html, key = None, ""
    if build:
        environment = next((p.fingerprint.get("environment") for p in plans), None)
        key = sphinx_cache_key(work, environment or environment_hash())
        html = build_book(stage, work, cached=restore_sphinx_state(target, work, key))
    record = manifest_record(
        target, plans, results, manifest, book_hash if html is not None else None,
        sources_answered(results),
    )  # fmt: skip
    try:
        with signals_held():  # Ctrl-C, SIGTERM: after the new book has replaced the old one
            publish(stage, html, target, record)
            if html is not None:  # published: the next build may start from its Sphinx state
                keep_sphinx_state(target, work, key)
    except Stopped as stopped:  # a signal held during the publication, handled after it
        stopped.published = True
        raise
    shutil.rmtree(work, ignore_errors=True)
    if html is not None:
        print(f"[book] published: {target.html / 'index.html'}", flush=True)
    return plans


class _SplitOverrides(argparse.Action):
    """``--overrides TEXT``: the ``CHAPTER.PARAM=VALUE`` items of TEXT (``make``'s ``PARAMS``,
    split by :func:`helpers.build.params.split_overrides`) join those of ``--set``, in order."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        from helpers.build.params import split_overrides

        items = split_overrides(str(values))
        setattr(namespace, self.dest, [*getattr(namespace, self.dest), *items])


def configured_timeout() -> float:
    """Seconds a notebook may run by default: ``execute: timeout:`` in ``_config.yml`` (the
    runner executes the notebooks, Jupyter Book does not), else :data:`DEFAULT_TIMEOUT`.
    Raises :class:`RunnerError` naming the file when it is not a number."""
    path = config.ROOT / "_config.yml"
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        return DEFAULT_TIMEOUT
    except yaml.YAMLError as exc:
        raise RunnerError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    value = (doc.get("execute") or {}).get("timeout", DEFAULT_TIMEOUT) if isinstance(doc, dict) else DEFAULT_TIMEOUT  # fmt: skip
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RunnerError(f"{path}: execute.timeout = {value!r} is not a number of seconds")
    return float(value)


def resolve_timeout(seconds: float | None) -> float | None:
    """The deadline per notebook for a build: ``seconds`` (``--timeout``) or, when None,
    :func:`configured_timeout`; 0 or less means none (None)."""
    value = configured_timeout() if seconds is None else seconds
    return value if value > 0 else None


def main(argv: list[str] | None = None) -> int:
    """Command line ``ri-book`` (``make book``): ``argv`` (default ``sys.argv[1:]``) with
    ``--set CHAPTER.PARAM=VALUE`` (one item, never split), ``--overrides TEXT`` (several items
    in one text, make's ``PARAMS``), ``--only``, ``--variant``, ``--jobs``, ``--force``,
    ``--no-build``, ``--params``, ``--timeout``, ``--watch``. Returns 0, or 1 after printing
    a RunnerError (a bad override or parameter value, a YAML error in an override or in
    params.yml, an unknown chapter, a failed or timed-out notebook, a failed book build,
    another build holding the lock) or a file-system error (one line naming the path); the
    published book is then left unchanged. Stopped by SIGINT, SIGTERM or SIGHUP, it ends its
    workers and kernels and returns 128 + the signal's number."""
    parser = argparse.ArgumentParser(prog="ri-book", description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="CHAPTER.PARAM=VALUE",
                        help="override a parameter from params.yml (repeatable)")  # fmt: skip
    parser.add_argument("--overrides", action=_SplitOverrides, dest="set", metavar="TEXT",
                        help="several CHAPTER.PARAM=VALUE in one text (make's PARAMS); a new one "
                        "starts at whitespace followed by CHAPTER.PARAM=")  # fmt: skip
    parser.add_argument("--only", action="append", default=[], metavar="CHAPTER",
                        help="execute only these chapters (others keep their last executed copy)")  # fmt: skip
    parser.add_argument("--variant", default="", help="build into _build/variants/NAME")
    parser.add_argument(
        "--jobs", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    parser.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                        help="stop a notebook that runs longer (default: execute.timeout in "
                        f"_config.yml, else {DEFAULT_TIMEOUT:g}; 0: no limit)")  # fmt: skip
    parser.add_argument("--force", action="store_true", help="execute every notebook")
    parser.add_argument("--no-build", action="store_true", help="execute notebooks only")
    parser.add_argument(
        "--params", type=Path, default=None, help="parameter file (default params.yml)"
    )
    parser.add_argument("--watch", action="store_true",
                        help="build, then rebuild after every change until Ctrl-C (helpers.build.watch)")  # fmt: skip
    args = parser.parse_args(argv)
    from helpers.build import params

    try:  # one line for a YAML error in an override or in params.yml, before anything runs
        for item in args.set:
            params.parse_override(item)
        params.load_yaml_file(args.params or config.PARAMS_FILE)
    except params.ParameterError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
        return 1
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
        timeout = resolve_timeout(args.timeout)
        with StopOnSignals(), BuildLock(target.root / ".lock"):
            run(
                chapters, target=target, only=args.only, jobs=args.jobs, force=args.force,
                build=not args.no_build, timeout=timeout,
            )  # fmt: skip
    except PublishIncomplete as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        return 1
    except RunnerError as exc:
        print(f"[book] ERROR: {exc}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
        return 1
    except OSError as exc:  # read-only folder, disk full, ...: one line, no traceback
        print(f"[book] ERROR: {os_error_line(exc)}", file=sys.stderr)
        print("[book] The previously published book was left unchanged.", file=sys.stderr)
        return 1
    except Stopped as exc:
        name = signal.Signals(exc.signum).name
        if exc.published:
            print(f"[book] stopped ({name}) after the new book was published", file=sys.stderr)
        else:
            print(f"[book] stopped ({name}); the previously published book was left unchanged", file=sys.stderr)  # fmt: skip
        return 128 + exc.signum
    print(f"[book] total {time.perf_counter() - started:.1f} s", flush=True)
    # Leave the objects of the build (Sphinx, pandas, ...) out of the collections Python runs
    # while it exits: they took a second or more, after the book was published.
    gc.freeze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
