"""Paths and settings, in one place (cookiecutter-data-science style).

Every path the project reads or writes is derived from :data:`ROOT`, the repository root.
Settings that differ between machines come from environment variables:

``RI_DATA_MIRROR``
    A local directory that mirrors the raw source files (layout ``<folder>/<file>``, as in
    ``../shared/data/raw``). When set, files are read from there instead of downloaded.
``RI_ROOT``
    Repository root to work on (default: the checkout this package lives in).
``RI_DATA_CACHE``
    Where downloaded raw files are cached (default: ``~/.cache/regionale-innovatie``).
``RI_LEAFLET``
    ``cdn`` makes the interactive maps load Leaflet from its CDN instead of the book's own
    copy in ``_static/leaflet`` (default, works offline).
``RI_BOOK_PAGE``
    Set (to ``1``) by the runner in the kernels it starts: the notebook becomes a page of the
    book, whose maps load Leaflet from the book's ``_static``. Unset (JupyterLab, plain
    papermill), each interactive map carries Leaflet itself, so it draws offline there too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The repository root; RI_ROOT points the helpers at another checkout (used by the tests to
# build a copy of the book without touching this one).
ROOT: Path = Path(os.environ.get("RI_ROOT") or Path(__file__).resolve().parents[2]).resolve()
DATA_DIR: Path = ROOT / "data"
SOURCES_FILE: Path = DATA_DIR / "sources.yml"
PROCESSED_DIR: Path = DATA_DIR / "processed"
PUBLISHED_DIR: Path = DATA_DIR / "published"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
BOOK_DIR: Path = ROOT / "book"
GENERATED_DIR: Path = BOOK_DIR / "_generated"
BUILD_DIR: Path = ROOT / "_build"
PARAMS_FILE: Path = ROOT / "params.yml"

MIRROR_ENV = "RI_DATA_MIRROR"
CACHE_ENV = "RI_DATA_CACHE"
LEAFLET_ENV = "RI_LEAFLET"
BOOK_PAGE_ENV = "RI_BOOK_PAGE"


def in_book_build() -> bool:
    """Whether this kernel executes a notebook as a page of the book (``RI_BOOK_PAGE``)."""
    return os.environ.get(BOOK_PAGE_ENV, "").strip() not in {"", "0"}


def leaflet_from_cdn() -> bool:
    """Whether interactive maps load Leaflet from the CDN (``RI_LEAFLET=cdn``)."""
    return os.environ.get(LEAFLET_ENV, "local").strip().lower() == "cdn"


def mirror_dir() -> Path | None:
    """The local raw-data mirror, or ``None`` when ``RI_DATA_MIRROR`` is unset or empty."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def cache_dir() -> Path:
    """Directory for downloaded raw files."""
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return Path(value).expanduser().resolve()
    return Path.home() / ".cache" / "regionale-innovatie"


TRACE_ENV = "RI_TRACE_READS"


def _record(kind: str, item: str) -> None:
    """Note a data read for the build runner's dependency tracking (when it asks for it)."""
    trace = os.environ.get(TRACE_ENV, "").strip()
    if trace:
        with open(trace, "a", encoding="utf-8") as handle:
            handle.write(f"{kind}\t{item}\n")


class _ImportTrace:
    """A finder on ``sys.meta_path`` that finds nothing itself: it notes every ``helpers``
    module the process imports in the read trace (kind ``module``), the moment it is imported,
    so the runner re-executes a notebook only when a module its kernel imported changed."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] == "helpers":
            _record("module", name)


def trace_imports() -> None:
    """When the runner asks for a read trace (:data:`TRACE_ENV`): note the ``helpers`` modules
    imported so far, and each one imported from now on. Called when ``helpers`` is imported."""
    if not os.environ.get(TRACE_ENV, "").strip():
        return
    if any(type(finder).__name__ == _ImportTrace.__name__ for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _ImportTrace())
    for name in list(sys.modules):
        if name.partition(".")[0] == "helpers":
            _record("module", name)


CHECKSUMS_NAME = "CHECKSUMS.tsv"
# Files under data/ that are documentation or configuration, not data the chapters read.
_UNCHECKED = {"sources.yml", CHECKSUMS_NAME}


class DataIntegrityError(ValueError):
    """A committed data file does not match its checksum in ``data/CHECKSUMS.tsv`` (truncated,
    damaged or changed without re-running ``make data``), or has no checksum there."""


def checksummed(path: Path) -> bool:
    """Whether ``path`` (a file under ``data/``) is one whose checksum is kept: every file
    except Markdown notes, ``sources.yml`` and ``CHECKSUMS.tsv`` itself."""
    return path.suffix != ".md" and path.name not in _UNCHECKED


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as 64 hex digits."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_checksums(path: Path | None = None) -> dict[str, tuple[str, int]]:
    """``data/CHECKSUMS.tsv`` as {path relative to ``data/``: (sha256, bytes)}; empty when the
    file does not exist. Raises :class:`DataIntegrityError` naming the line of a damaged row."""
    path = path or DATA_DIR / CHECKSUMS_NAME
    if not path.is_file():
        return {}
    sums: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#") or line.startswith("path\t"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or len(fields[1]) != 64 or not fields[2].isdigit():
            raise DataIntegrityError(
                f"{path}, line {number}: expected 'path<TAB>sha256<TAB>bytes', got {line!r}"
            )
        sums[fields[0]] = (fields[1], int(fields[2]))
    return sums


def write_checksums(path: Path | None = None) -> Path:
    """Write ``data/CHECKSUMS.tsv`` (path, sha256, bytes; sorted) for every checksummed file
    under ``data/`` (see :func:`checksummed`). Run by ``make data`` after the processing steps
    and by ``make checksums`` after a deliberate change to a committed data file."""
    path = path or DATA_DIR / CHECKSUMS_NAME
    rows = ["path\tsha256\tbytes"]
    for file in sorted(DATA_DIR.rglob("*")):
        if file.is_file() and checksummed(file):
            name = file.relative_to(DATA_DIR).as_posix()
            rows.append(f"{name}\t{file_sha256(file)}\t{file.stat().st_size}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


_VERIFIED: dict[str, tuple[int, int]] = {}


def verify_data_file(path: Path) -> None:
    """Check a file under ``data/`` against ``data/CHECKSUMS.tsv`` before it is read (once per
    process while its size and modification time stay the same). A missing file is left to
    the reader (its own FileNotFoundError); a file that differs from its checksum, or has
    none, raises :class:`DataIntegrityError` naming the file and what to do. A data folder
    without ``CHECKSUMS.tsv`` (a toy project built by the tests) is not checked; the project's
    own list is required by ``tests/test_checksums.py``."""
    if not path.is_file() or not checksummed(path) or not (DATA_DIR / CHECKSUMS_NAME).is_file():
        return
    stat = path.stat()
    name = path.relative_to(DATA_DIR).as_posix()
    if _VERIFIED.get(name) == (stat.st_size, stat.st_mtime_ns):
        return
    expected = read_checksums().get(name)
    remedy = (
        "restore it (git checkout -- data/...) or, after a deliberate change, run `make checksums`"
    )
    if expected is None:
        raise DataIntegrityError(
            f"data/{name} has no checksum in data/CHECKSUMS.tsv; a new or re-derived data "
            "file is registered with `make checksums` (or `make data`)"
        )
    sha, size = expected
    if stat.st_size != size or file_sha256(path) != sha:
        raise DataIntegrityError(
            f"data/{name} does not match its checksum in data/CHECKSUMS.tsv "
            f"({stat.st_size:,} bytes, expected {size:,}): the file is damaged or truncated; "
            + remedy
        )
    _VERIFIED[name] = (stat.st_size, stat.st_mtime_ns)


def data_file(*parts: str) -> Path:
    """Path of a file under ``data/`` (e.g. ``data_file("processed", "rd", "gdp_nl.csv")``).
    Helpers read data through this function, so the runner knows which notebook read which
    file and re-executes exactly those when a file changes. The file is checked against
    ``data/CHECKSUMS.tsv`` first (:func:`verify_data_file`): a truncated or damaged file raises
    :class:`DataIntegrityError` with its name instead of being read as if complete."""
    path = DATA_DIR.joinpath(*parts)
    _record("file", path.relative_to(DATA_DIR).as_posix())
    verify_data_file(path)
    return path


def data_glob(folder: str, pattern: str) -> list[Path]:
    """Files under ``data/<folder>`` matching ``pattern``; the runner tracks the *names*."""
    _record("glob", f"{folder}/{pattern}")
    return sorted((DATA_DIR / folder).glob(pattern))


def user_file(path: str | Path, what: str) -> Path:
    """A file an analyst supplies (a chapter parameter): absolute, relative to the working
    folder, or relative to the repository root; an error names ``what`` when it is missing."""
    candidate = Path(path)
    if not candidate.is_absolute() and not candidate.exists():
        candidate = ROOT / candidate
    if not candidate.is_file():
        raise FileNotFoundError(f"{what} not found: {candidate}")
    return candidate
