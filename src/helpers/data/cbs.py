"""A small client for CBS StatLine open data (OData v3, ``opendata.cbs.nl/ODataApi``).

:func:`fetch_table` reads a table's metadata (``TableInfos``, ``DataProperties``, the
dimension lists) and its ``TypedDataSet`` (following ``odata.nextLink`` pages), cleans the
padded CBS codes (``'GM0363    '`` -> ``'GM0363'``), adds a ``<Dimension>_titel`` column per
dimension and a ``jaar`` column for yearly periods (``2016JJ00`` -> 2016). Responses are
cached on disk (``<cache>/cbs/``), so a chapter that fetched a table once also builds offline.

Filters are given by *title* (as shown on StatLine) and resolved to keys from the metadata,
so a wrong title fails with the list of titles the table has, naming the table.

The base URL comes from ``RI_CBS_ODATA`` (default :data:`BASE_URL`); tests point it at a
local server with recorded responses.

Time limits: ``timeout`` bounds each connect and each wait for bytes; the *deadline* bounds all
reads of one table together (metadata, dimension lists and every page of the data), so a
server that trickles bytes cannot hold a build: past it :class:`CbsDeadline` names the table
and the deadline. Default :data:`DEADLINE` seconds, ``RI_CBS_DEADLINE`` or the ``deadline``
argument set another.

Cache files are written whole (a temporary file renamed into place); one that cannot be read
as a cached table (truncated, edited, empty) is fetched again, and when CBS cannot be reached
then, :class:`CbsUnavailable` names the damaged file.

Why not ``cbsodata`` (checked: version 1.3.5): it has no disk cache (the book must build
offline once a table was fetched), resolves no titles to keys (filters by title with an error
listing the titles a table has), offers only per-request ``requests`` options (no deadline
over all pages of a table: a trickling server could hold a build), and with ``get_data``
replaces codes by titles, which loses the gemeente codes the maps join on. What this client
does beyond plain ``requests`` is those four things; paging follows ``odata.nextLink`` as
cbsodata does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import requests
import urllib3

from helpers import config
from helpers.data.codes import clean_code

BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
BASE_URL_ENV = "RI_CBS_ODATA"
DEADLINE = 120.0  # seconds for all reads of one table (a filtered table takes a few seconds)
DEADLINE_ENV = "RI_CBS_DEADLINE"
_CHUNK = 65536
DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension", "GeoDetail"}


class CbsError(RuntimeError):
    """A CBS table could not be read or does not have what was asked for."""


class CbsUnavailable(CbsError):
    """CBS open data cannot be reached (offline) and no usable cached copy exists."""


class CbsDeadline(CbsError):
    """The reads of one table did not finish within the deadline (a slow or stalled server)."""


@dataclass
class CbsTable:
    """A CBS StatLine table as :func:`fetch_table` returns it. ``data``: one row per observation
    (TypedDataSet, topics as columns), dimension codes without padding, a ``<Dimension>_titel``
    column per dimension and ``jaar`` (Int64; yearly periods only, else NA); ``properties``: the
    DataProperties (Key, Type, Title, ...); ``dimensions``: per dimension key its categories
    (Key, Title, ...); ``url``: the data request; ``from_cache``: read from the disk cache."""

    table_id: str
    title: str
    data: pd.DataFrame
    properties: pd.DataFrame
    dimensions: dict[str, pd.DataFrame] = field(default_factory=dict)
    url: str = ""
    from_cache: bool = False


def base_url() -> str:
    """Base URL of the CBS OData API: ``RI_CBS_ODATA`` when set (trailing ``/`` dropped), else
    :data:`BASE_URL` (``https://opendata.cbs.nl/ODataApi/odata``)."""
    return os.environ.get(BASE_URL_ENV, "").strip().rstrip("/") or BASE_URL


def default_deadline() -> float:
    """Seconds for all reads of one table: ``RI_CBS_DEADLINE`` when set, else
    :data:`DEADLINE`. Raises :class:`CbsError` naming the variable when it is not a number
    greater than 0."""
    text = os.environ.get(DEADLINE_ENV, "").strip()
    if not text:
        return DEADLINE
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:  # also NaN
        raise CbsError(f"{DEADLINE_ENV}={text!r}: give the seconds as a number greater than 0")
    return value


@dataclass
class _Clock:
    """The deadline of one table's reads."""

    table_id: str
    seconds: float
    end: float

    def expired(self, url: str) -> CbsDeadline:
        """The error for a read of ``url`` that the deadline ended."""
        return CbsDeadline(
            f"CBS {self.table_id}: the reads of the table did not finish within the deadline "
            f"of {self.seconds:g} s (last read: {url}); the server is slow or stalled. Try "
            f"again later, or allow more time with {DEADLINE_ENV}=<seconds>"
        )

    def left(self, url: str) -> float:
        """Seconds left; raises :class:`CbsDeadline` when none are."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.expired(url)
        return left


def clean_key(value: Any) -> Any:
    """Strip CBS padding from a code; other values unchanged."""
    return clean_code(value) if isinstance(value, str) else value


def period_year(period: str) -> int | None:
    """``'2016JJ00'`` -> 2016; other period types (quarters, months) -> ``None``."""
    match = re.fullmatch(r"(\d{4})JJ00", str(period).strip())
    return int(match.group(1)) if match else None


def _body(session: requests.Session, url: str, timeout: float, clock: _Clock) -> bytes:
    """The body of one GET. The timeout of ``requests`` bounds each wait for bytes, not the
    whole answer, so the GET runs in a daemon thread that is waited for until the deadline at
    most: a server that trickles its headers or body cannot hold the build (the thread itself
    stops at its next piece of the body after the deadline)."""
    done: dict[str, Any] = {}

    def read() -> None:
        try:
            done["body"] = _read_body(session, url, timeout, clock)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            done["error"] = exc

    worker = threading.Thread(target=read, name=f"cbs-{clock.table_id}", daemon=True)
    worker.start()
    worker.join(clock.left(url))
    if worker.is_alive():
        raise clock.expired(url)
    if "error" in done:
        raise done["error"]
    return done["body"]


def _read_body(session: requests.Session, url: str, timeout: float, clock: _Clock) -> bytes:
    """The body of one GET, read in pieces with the deadline checked before each."""
    wait = min(timeout, clock.left(url))
    try:
        with session.get(url, timeout=wait, stream=True) as response:
            if response.status_code == 404:
                raise CbsError(f"CBS open data: {url} not found (HTTP 404)")
            if response.status_code != 200:
                raise CbsError(f"CBS open data: {url} returned HTTP {response.status_code}")
            raw = response.raw
            read1 = getattr(raw, "read1", None)  # urllib3 2: at most one wait per piece
            parts: list[bytes] = []
            while True:
                clock.left(url)
                part = read1(_CHUNK, decode_content=True) if read1 else raw.read(1024, decode_content=True)  # fmt: skip
                if not part:
                    return b"".join(parts)
                parts.append(part)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
        # urllib3's errors come from reading the body (a wait past the timeout, a reset)
        raise CbsUnavailable(f"CBS open data not reachable ({url}): {exc}") from exc


def _get_all(
    session: requests.Session, url: str, timeout: float, clock: _Clock
) -> list[dict[str, Any]]:
    """All rows of an OData collection, following ``odata.nextLink``."""
    rows: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        body = _body(session, next_url, timeout, clock)
        try:
            payload = json.loads(body)
        except ValueError as exc:
            raise CbsError(f"CBS open data: {next_url} did not return JSON") from exc
        if not isinstance(payload, dict) or "value" not in payload:
            raise CbsError(f"CBS open data: {next_url} is not an OData collection")
        rows.extend(payload["value"])
        next_url = payload.get("odata.nextLink")
    return rows


def _cache_file(table_id: str, query: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(query, sort_keys=True).encode()).hexdigest()[:16]
    return config.cache_dir() / "cbs" / f"{table_id}-{digest}.json"


def _resolve(table_id: str, what: str, titles: pd.DataFrame, wanted: str) -> str:
    """Key of the row whose title is ``wanted`` (case-insensitive), or else the one row whose
    title contains it."""
    folded = titles["Title"].str.strip().str.casefold()
    hits = titles[folded == wanted.strip().casefold()]
    if hits.empty:
        hits = titles[folded.str.contains(wanted.strip().casefold(), regex=False)]
    if len(hits) != 1:
        options = "; ".join(titles["Title"].str.strip().tolist()[:40])
        raise CbsError(f"CBS {table_id}: no single {what} titled {wanted!r}. Titles: {options}")
    return str(hits["Key"].iloc[0])


def _read_cache(path: Path) -> tuple[dict[str, Any] | None, str]:
    """A cached table and "", or None and why the file cannot be used (it is then fetched
    again)."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    needed = {"table_id": str, "title": str, "url": str, "properties": list, "dimensions": dict, "rows": list}  # fmt: skip
    if not isinstance(payload, dict):
        return None, "not a cached table (no JSON object)"
    wrong = [k for k, kind in needed.items() if not isinstance(payload.get(k), kind)]
    if wrong:
        return None, f"not a cached table (missing or wrong: {', '.join(wrong)})"
    return payload, ""


def _write_cache(path: Path, payload: dict[str, Any]) -> None:
    """Write the cache file whole: a temporary file in the same folder, renamed into place.
    A cache that cannot be written (read-only folder, disk full) is a warning naming the path:
    the table was read, only the next offline build lacks it."""
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        ) as handle:
            temporary = Path(handle.name)
            handle.write(json.dumps(payload, ensure_ascii=False))
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        warnings.warn(f"CBS cache file {path} not written: {exc}", stacklevel=3)


def fetch_table(
    table_id: str,
    *,
    dimensions: dict[str, str] | None = None,
    period: str | None = None,
    topics: list[str] | None = None,
    use_cache: bool = True,
    timeout: float = 20.0,
    deadline: float | None = None,
) -> CbsTable:
    """Read a CBS table, filtered server-side on ``dimensions`` (dimension key -> title of the
    wanted category) and ``period`` (e.g. ``'2016JJ00'``), keeping the topics whose titles
    are in ``topics`` (all when ``None``). Uses the disk cache when present.

    ``timeout`` (seconds) bounds each connect and each wait for bytes; ``deadline`` (seconds,
    default :func:`default_deadline`) all reads of the table together. Raises
    :class:`CbsDeadline` past the deadline, :class:`CbsUnavailable` when CBS cannot be
    reached (naming a damaged cache file when there is one) and :class:`CbsError` when the
    table lacks what was asked for."""
    query = {"dimensions": dimensions or {}, "period": period, "topics": topics, "base": None}
    cache = _cache_file(table_id, query)
    damaged = ""
    if use_cache and cache.exists():
        cached, damaged = _read_cache(cache)
        if cached is not None:
            try:
                return _from_payload(cached, from_cache=True)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                damaged = f"not a cached table ({type(exc).__name__}: {exc})"
    try:
        payload = _download(table_id, dimensions, period, topics, timeout, deadline)
    except CbsUnavailable as exc:
        if damaged:
            raise CbsUnavailable(
                f"CBS {table_id}: the cache file {cache} is damaged ({damaged}) and CBS open "
                f"data cannot be reached to fetch it again: {exc}"
            ) from exc
        raise
    if use_cache:
        _write_cache(cache, payload)
    return _from_payload(payload, from_cache=False)


def _download(
    table_id: str,
    dimensions: dict[str, str] | None,
    period: str | None,
    topics: list[str] | None,
    timeout: float,
    deadline: float | None,
) -> dict[str, Any]:
    """The table as a cache payload, read from CBS open data (see :func:`fetch_table`)."""
    seconds = default_deadline() if deadline is None else deadline
    clock = _Clock(table_id, seconds, time.monotonic() + seconds)
    root = f"{base_url()}/{table_id}"
    with requests.Session() as session:
        info = _get_all(session, f"{root}/TableInfos", timeout, clock)
        props = pd.DataFrame(_get_all(session, f"{root}/DataProperties", timeout, clock))
        dims = {
            key: pd.DataFrame(_get_all(session, f"{root}/{key}", timeout, clock))
            for key in props.loc[props["Type"].isin(DIMENSION_TYPES), "Key"]
        }
        filters = []
        for dim, title in (dimensions or {}).items():
            if dim not in dims:
                raise CbsError(f"CBS {table_id}: no dimension {dim!r}; has {sorted(dims)}")
            filters.append(f"{dim} eq '{_resolve(table_id, dim, dims[dim], title)}'")
        if period is not None:
            time_keys = props.loc[props["Type"] == "TimeDimension", "Key"].tolist()
            if not time_keys:
                raise CbsError(f"CBS {table_id}: the table has no time dimension")
            available = dims[time_keys[0]]["Key"].map(clean_key).tolist()
            if period not in available:
                raise CbsError(
                    f"CBS {table_id}: period {period} not available; available: "
                    f"{', '.join(available)}"
                )
            filters.append(f"{time_keys[0]} eq '{period}'")
        select = None
        if topics is not None:
            topic_rows = props[props["Type"] == "Topic"]
            keys = [_resolve(table_id, "topic", topic_rows, t) for t in topics]
            select = [*dims, *keys]
        url = f"{root}/TypedDataSet"
        params = []
        if filters:
            params.append("$filter=" + " and ".join(filters))
        if select:
            params.append("$select=" + ",".join(select))
        if params:
            url += "?" + "&".join(params)
        rows = _get_all(session, url, timeout, clock)
    return {
        "table_id": table_id,
        "title": info[0].get("Title", table_id) if info else table_id,
        "url": url,
        "properties": props.to_dict(orient="records"),
        "dimensions": {k: v.to_dict(orient="records") for k, v in dims.items()},
        "rows": rows,
    }


def _from_payload(payload: dict[str, Any], from_cache: bool) -> CbsTable:
    dims = {k: pd.DataFrame(v) for k, v in payload["dimensions"].items()}
    props = pd.DataFrame(payload["properties"])
    time_keys = set(props.loc[props["Type"] == "TimeDimension", "Key"])
    data = pd.DataFrame(payload["rows"])
    for key, table in dims.items():
        if key not in data.columns:
            continue
        data[key] = data[key].map(clean_key)
        titles = dict(zip(table["Key"].map(clean_key), table["Title"].str.strip(), strict=True))
        data[f"{key}_titel"] = data[key].map(titles)
        if key in time_keys:
            data["jaar"] = data[key].map(period_year).astype("Int64")
    return CbsTable(
        table_id=payload["table_id"],
        title=payload["title"],
        data=data,
        properties=props,
        dimensions=dims,
        url=payload["url"],
        from_cache=from_cache,
    )


def topic_key(table: CbsTable, title: str) -> str:
    """Column name (key) of the topic titled ``title``."""
    topics = table.properties[table.properties["Type"] == "Topic"]
    return _resolve(table.table_id, "topic", topics, title)
