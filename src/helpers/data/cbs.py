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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from helpers import config
from helpers.data.codes import clean_code

BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
BASE_URL_ENV = "RI_CBS_ODATA"
DIMENSION_TYPES = {"Dimension", "GeoDimension", "TimeDimension", "GeoDetail"}


class CbsError(RuntimeError):
    """A CBS table could not be read or does not have what was asked for."""


class CbsUnavailable(CbsError):
    """CBS open data cannot be reached (offline) and no cached copy exists."""


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


def clean_key(value: Any) -> Any:
    """Strip CBS padding from a code; other values unchanged."""
    return clean_code(value) if isinstance(value, str) else value


def period_year(period: str) -> int | None:
    """``'2016JJ00'`` -> 2016; other period types (quarters, months) -> ``None``."""
    match = re.fullmatch(r"(\d{4})JJ00", str(period).strip())
    return int(match.group(1)) if match else None


def _get_all(session: requests.Session, url: str, timeout: float) -> list[dict[str, Any]]:
    """All rows of an OData collection, following ``odata.nextLink``."""
    rows: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        try:
            response = session.get(next_url, timeout=timeout)
        except requests.RequestException as exc:
            raise CbsUnavailable(f"CBS open data not reachable ({next_url}): {exc}") from exc
        if response.status_code == 404:
            raise CbsError(f"CBS open data: {next_url} not found (HTTP 404)")
        if response.status_code != 200:
            raise CbsError(f"CBS open data: {next_url} returned HTTP {response.status_code}")
        try:
            payload = response.json()
        except ValueError as exc:
            raise CbsError(f"CBS open data: {next_url} did not return JSON") from exc
        if "value" not in payload:
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


def fetch_table(
    table_id: str,
    *,
    dimensions: dict[str, str] | None = None,
    period: str | None = None,
    topics: list[str] | None = None,
    use_cache: bool = True,
    timeout: float = 20.0,
) -> CbsTable:
    """Read a CBS table, filtered server-side on ``dimensions`` (dimension key -> title of the
    wanted category) and ``period`` (e.g. ``'2016JJ00'``), keeping the topics whose titles
    are in ``topics`` (all when ``None``). Uses the disk cache when present."""
    query = {"dimensions": dimensions or {}, "period": period, "topics": topics, "base": None}
    cache = _cache_file(table_id, query)
    if use_cache and cache.exists():
        return _from_payload(json.loads(cache.read_text(encoding="utf-8")), from_cache=True)

    root = f"{base_url()}/{table_id}"
    with requests.Session() as session:
        info = _get_all(session, f"{root}/TableInfos", timeout)
        props = pd.DataFrame(_get_all(session, f"{root}/DataProperties", timeout))
        dims = {
            key: pd.DataFrame(_get_all(session, f"{root}/{key}", timeout))
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
        rows = _get_all(session, url, timeout)
    payload = {
        "table_id": table_id,
        "title": info[0].get("Title", table_id) if info else table_id,
        "url": url,
        "properties": props.to_dict(orient="records"),
        "dimensions": {k: v.to_dict(orient="records") for k, v in dims.items()},
        "rows": rows,
    }
    if use_cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return _from_payload(payload, from_cache=False)


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
