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


def data_file(*parts: str) -> Path:
    """Path of a file under ``data/`` (e.g. ``data_file("processed", "rd", "gdp_nl.csv")``).
    Helpers read data through this function, so the runner knows which notebook read which
    file and re-executes exactly those when a file changes."""
    path = DATA_DIR.joinpath(*parts)
    _record("file", path.relative_to(DATA_DIR).as_posix())
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
