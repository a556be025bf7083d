"""Dutch regions for every year 2014-2025 ("then and now"): boundaries, the crosswalk
gemeente -> COROP -> provincie -> NUTS and the names of each year, the changes between any two
years, and recoding of gemeente data from one year's gemeenten to another's.

Everything refers to the regions of **1 January** of the year. Codes follow CBS (``GM0363``,
``CR23``, ``PV27``); NUTS codes are given in the NUTS 2021 and NUTS 2024 versions (NUTS 2024
replaced NL31 Utrecht by NL35 and NL33 Zuid-Holland by NL36, after Vijfheerenlanden moved to
Utrecht in 2019). Made by the processing step ``gebieden`` from CBS *Gebieden in Nederland*,
CBS 70739ned and the yearly CBS gemeente boundaries; see ``data/processed/README.md``.

Years without boundaries of their own: 2024 and 2025 have the same 342 gemeenten as 2023
(checked against *Gebieden in Nederland* 2024 and 2025), so the 2023 geometry serves them,
with the names of the year asked for. COROP and provincie regions are drawn with the CBS/PDOK
boundaries of 2016 in the years their composition was that of 2016 (COROP 2015-2017,
provincie 2014-2018); in other years they are the union of that year's gemeenten. Their
composition changed in these years (first year of each): COROP 2015, 2018, 2019, 2021 and
2023; provincie 2019 (Leerdam and Zederik, in Vijfheerenlanden, from Zuid-Holland to Utrecht).

The data of :mod:`helpers.geography.nl` (the 2016 crosswalk with NUTS 2013 codes, the CBS list
of municipal changes up to 2017) stay as they were; this module is the one for other years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from helpers import config
from helpers.data.checks import check_year, require
from helpers.data.codes import clean_code
from helpers.data.processing.gebieden import CHANGES, CROSSWALK, YEARS, classify, compose

LEVELS = ("gemeente", "corop", "provincie")
# Value columns whose names say they are shares: recode() refuses them (recode counts, then
# recompute the share with ``shares=``).
_SHARE_NAME = re.compile(r"(^|_)(pct|perc|percent|percentage|share|aandeel|ratio|rate)(_|$)")


def _year(year: object, what: str = "the geography years") -> int:
    """``year`` as int when 2014-2025, else :class:`~helpers.data.checks.UnknownParameterError`
    (a ``ValueError``) listing the years."""
    return check_year(year, list(YEARS), what)


def _all_crosswalks() -> pd.DataFrame:
    path = config.data_file(*f"processed/{CROSSWALK}".split("/"))
    return pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": pd.NA})


def crosswalk(year: int) -> pd.DataFrame:
    """The gemeenten of 1 January ``year`` (2014-2025) with their regions, one row each.

    Columns: ``gemeente`` (code), ``name`` (as CBS names the gemeente that year), ``title``
    (the StatLine title, unique: ``Hengelo (O.)``, ``Utrecht (gemeente)``), ``population``
    (inhabitants on 1 January, 2017-2025 only, else missing; Int64), ``corop``, ``corop_name``,
    ``provincie``, ``provincie_name``, ``nuts3_2021``, ``nuts2_2021``, ``nuts3_2024``,
    ``nuts2_2024``. Rows: 403 (2014), 393, 390, 388, 380, 355, 355, 352, 345, 342 (2023-2025);
    every gemeente lies in one of 40 COROP regions, each in one of 12 provincies.

    Source: CBS *Gebieden in Nederland* 2016-2025 (2014 and 2015 by overlap with the CBS/PDOK
    COROP and provincie boundaries of that year), CBS 70739ned for the titles, GISCO NUTS.
    Raises ``UnknownParameterError`` (a ``ValueError``) for a year outside 2014-2025.
    """
    year = _year(year)
    table = _all_crosswalks()
    table = table[table["year"] == str(year)].drop(columns="year").reset_index(drop=True)
    table["population"] = pd.to_numeric(table["population"]).astype("Int64")
    return table


def names(year: int) -> pd.DataFrame:
    """Gemeente names of 1 January ``year``: columns ``code``, ``name`` (as CBS names it that
    year; CBS writes ``Hengelo`` up to 2023 and ``Hengelo (O.)`` from 2024), ``title`` (the
    StatLine title, the same in every year). StatLine dumps that carry titles instead of codes
    join on ``title``. Raises ``UnknownParameterError`` for a year outside 2014-2025."""
    walk = crosswalk(year)
    return walk[["gemeente", "name", "title"]].rename(columns={"gemeente": "code"})


def codes_of_titles(titles: pd.Series, year: int) -> pd.Series:
    """Gemeente code of each StatLine title (``RegioS`` of a dump such as 85525NED, padding
    stripped) among the gemeenten of ``year``; missing (``NA``) for titles that are not a
    gemeente of that year (COROP, provincie, gemeenten of other years). Same index as
    ``titles``."""
    lookup = names(year).set_index("title")["code"]
    return titles.astype("string").str.strip().map(lookup).astype("string")


def _boundary_file(level: str, year: int) -> tuple[str, bool]:
    path = config.data_file("processed", "nl", "boundary_years.csv")
    table = pd.read_csv(path, dtype={"year": int, "dissolved": bool})
    row = table[(table["level"] == level) & (table["year"] == year)]
    require(len(row) == 1, f"boundary_years.csv: no row for {level} {year}")
    return str(row["file"].iloc[0]), bool(row["dissolved"].iloc[0])


def boundaries(level: str, year: int) -> gpd.GeoDataFrame:
    """Regions of ``level`` (``gemeente``, ``corop``, ``provincie``) on 1 January ``year``
    (2014-2025): a GeoDataFrame in EPSG:4326 with ``code``, ``name`` (names of ``year``) and
    ``geometry`` (simplified with shared borders, ~100 m; for maps, not for areas).

    2024 and 2025 are drawn with the 2023 gemeente boundaries (the same 342 gemeenten; CBS
    boundary corrections in those years, if any, are not shown). COROP and provincie regions
    come from the 2016 CBS/PDOK files in the years their composition was that of 2016, else
    they are dissolved from the year's gemeenten through :func:`crosswalk` (see
    ``data/processed/nl/boundary_years.csv``). Raises ``ValueError`` for an unknown level and
    ``UnknownParameterError`` (a ``ValueError``) for a year outside 2014-2025.
    """
    if level not in LEVELS:
        raise ValueError(f"Unknown level {level!r}; levels: {', '.join(LEVELS)}")
    year = _year(year)
    file, dissolved = _boundary_file(level, year)
    gdf = gpd.read_file(config.data_file("processed", "geo", file))
    walk = crosswalk(year)
    if dissolved:
        merged = gdf.merge(walk[["gemeente", level]], left_on="code", right_on="gemeente")
        require(len(merged) == len(walk), f"{file}: gemeenten differ from the crosswalk {year}")
        parts = [
            (code, shapely.union_all(group.geometry.values))
            for code, group in merged.groupby(level, sort=True)
        ]
        gdf = gpd.GeoDataFrame(
            {"code": [c for c, _ in parts]}, geometry=[g for _, g in parts], crs=gdf.crs
        )
    key = "gemeente" if level == "gemeente" else level
    label = "name" if level == "gemeente" else f"{level}_name"
    lookup = walk.drop_duplicates(key).set_index(key)[label]
    require(
        set(gdf["code"]) == set(lookup.index),
        f"{file}: {level} codes differ from the crosswalk of {year}",
    )
    gdf["name"] = gdf["code"].map(lookup)
    out = gdf[["code", "name", "geometry"]].sort_values("code", ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326)


def _consecutive() -> pd.DataFrame:
    path = config.data_file(*f"processed/{CHANGES}".split("/"))
    return pd.read_csv(path, dtype={"code_a": str, "code_b": str, "kind": str, "basis": str})


def change_table(year_a: int, year_b: int) -> pd.DataFrame:
    """How the gemeenten of 1 January ``year_a`` became those of 1 January ``year_b``
    (``year_a <= year_b``, both 2014-2025).

    One row per old gemeente and new gemeente that received (part of) it: ``code_a``,
    ``name_a``, ``code_b``, ``name_b``, ``weight`` (share of the old gemeente that went to
    the new one; adds up to 1 per ``code_a``), ``kind`` (``same``, ``rename``, ``merge``,
    ``split``, ``boundary``: see :func:`helpers.data.processing.gebieden.classify`) and
    ``basis`` of the weight (``whole``; for divided gemeenten ``population`` or ``area``).
    Merges map whole (weight 1); a split gemeente (e.g. Haaren 2021: Boxtel, Oisterwijk,
    Tilburg, Vught) has one row per part.

    Composed from the consecutive-year tables of ``data/processed/nl/gemeente_change_table``
    (overlay of the yearly CBS boundaries in EPSG:28992, generalisation slivers dropped, weights
    of divided gemeenten from population where it could be estimated; checked against CBS
    70739ned and the CBS change list). Raises ``ValueError`` when ``year_a > year_b`` and
    ``UnknownParameterError`` (a ``ValueError``) for a year outside 2014-2025.
    """
    year_a, year_b = _year(year_a), _year(year_b)
    if year_a > year_b:
        raise ValueError(
            f"change_table({year_a}, {year_b}): the first year must not be after the second"
        )
    if year_a == year_b:
        codes = crosswalk(year_a)["gemeente"]
        table = pd.DataFrame({"code_a": codes, "code_b": codes, "weight": 1.0, "basis": "whole"})
    else:
        steps = _consecutive()
        table = None
        for a in range(year_a, year_b):
            step = steps[steps["year_a"] == a][["code_a", "code_b", "weight", "basis"]]
            table = step if table is None else compose(table, step)
    table = table.assign(kind=classify(table))
    table["name_a"] = table["code_a"].map(names(year_a).set_index("code")["name"])
    table["name_b"] = table["code_b"].map(names(year_b).set_index("code")["name"])
    columns = ["code_a", "name_a", "code_b", "name_b", "weight", "kind", "basis"]
    return table[columns].sort_values(["code_a", "code_b"], ignore_index=True)


def matching_years(codes: Iterable[object]) -> list[int]:
    """The years (2014-2025) whose gemeenten include the most of ``codes`` (CBS gemeente codes,
    padding and case cleaned; other values ignored), earliest first. Several years when their
    code sets agree on these codes: 2019 and 2020 have the same gemeenten, as have 2023, 2024
    and 2025. Raises ``ValueError`` naming a few valid codes when no code is a gemeente of any
    year."""
    cleaned = {clean_code(c) for c in codes if pd.notna(c)}
    table = _all_crosswalks()
    found = table[table["gemeente"].isin(cleaned)].groupby("year")["gemeente"].nunique()
    if found.empty:
        sample = sorted(cleaned)[:5]
        valid = ", ".join(table["gemeente"].drop_duplicates().sort_values().iloc[:5])
        raise ValueError(
            f"None of the codes {sample} is a gemeente of 2014-2025 (valid codes look like "
            f"{valid}, ...)"
        )
    return sorted(int(y) for y in found[found == found.max()].index)


def year_of_codes(codes: Iterable[object]) -> int:
    """The year whose gemeenten a file's codes belong to: the earliest of
    :func:`matching_years` (e.g. ``GM1966`` Het Hogeland, ``GM1978`` Molenlanden, ``GM1979``
    Eemsdelta -> 2021, valid up to 2025; ``GM1948`` Meierijstad -> 2017). Codes of a complete
    list of one year give that year (2019 for 2020 and 2023 for 2024-2025, whose gemeenten are
    the same). Raises ``ValueError`` when no code is a gemeente of 2014-2025."""
    return matching_years(codes)[0]


@dataclass
class RecodeReport:
    """What :func:`recode` did: which gemeenten merged, split or were renamed between the
    two years, and which gemeenten of the target year got no data."""

    from_year: int
    to_year: int
    codes_in: int  # distinct gemeente codes in the data
    codes_out: int  # distinct gemeente codes in the result
    merged: dict[str, list[str]] = field(default_factory=dict)  # new code -> old codes
    split: dict[str, dict[str, float]] = field(default_factory=dict)  # old -> {new: weight}
    basis: dict[str, str] = field(default_factory=dict)  # old code (split) -> weight basis
    renamed: dict[str, str] = field(default_factory=dict)  # old code -> new code
    without_data: list[str] = field(default_factory=list)  # new codes that got no data

    def summary(self) -> str:
        """One line for a notebook or log."""
        splits = ", ".join(
            f"{old} -> {', '.join(f'{new} {w:.0%}' for new, w in parts.items())}"
            f" ({self.basis.get(old, '')})"
            for old, parts in self.split.items()
        )
        return (
            f"{self.codes_in} gemeenten of {self.from_year} -> {self.codes_out} of "
            f"{self.to_year}: {len(self.merged)} merged, {len(self.renamed)} renamed, "
            f"divided by weight: {splits or 'none'}; without data: {self.without_data or 'none'}"
        )


def recode(
    table: pd.DataFrame,
    code_column: str,
    value_columns: list[str],
    from_year: int,
    to_year: int,
    *,
    by: list[str] | None = None,
    shares: Mapping[str, tuple[str, str]] | None = None,
) -> tuple[pd.DataFrame, RecodeReport]:
    """Gemeente data of ``from_year``'s gemeenten on the gemeenten of ``to_year``.

    ``table``: one or more rows per gemeente (code in ``code_column``, codes of 1 January
    ``from_year``; padding and case are cleaned), ``value_columns`` **counts** (persons,
    establishments, euros): summed over merged gemeenten and divided over the parts of a
    split gemeente by the weights of :func:`change_table`. Totals are kept exactly: integer
    columns are divided in whole numbers (largest remainders), float columns so that the parts
    add up to the value. A value missing in any gemeente that goes into a new gemeente makes
    that new gemeente's value missing. ``by``: further key columns kept apart (e.g. a sector).
    ``shares``: ``{name: (numerator, denominator)}`` of value columns, recomputed after
    recoding as ``100 * numerator / denominator`` (a percentage). Shares and averages must
    never be recoded themselves (averaging them over merged gemeenten weights small and large
    alike): recode the counts and recompute; value columns named like a share (``pct``,
    ``share``, ``aandeel``, ...) are refused.

    Returns (table with ``code_column`` of ``to_year``, ``name`` (of ``to_year``, unless ``by``
    has a ``name``), ``by`` and the value and share columns, sorted by code and ``by``; a
    :class:`RecodeReport`). Raises ``ValueError`` for codes that are not gemeenten of
    ``from_year`` (naming them, a few valid ones and the year the other codes fit),
    ``to_year < from_year``, missing or non-numeric value columns, share-like names or shares
    of columns that are not value columns; ``UnknownParameterError`` for years outside
    2014-2025.
    """
    from_year, to_year = _year(from_year), _year(to_year)
    if to_year < from_year:
        raise ValueError(f"recode maps forward in time only ({from_year} -> {to_year})")
    by = list(by or [])
    values = list(value_columns)
    absent = [c for c in [code_column, *by, *values] if c not in table.columns]
    if absent:
        raise ValueError(f"columns not in the table: {absent}")
    share_like = [c for c in values if _SHARE_NAME.search(c.lower())]
    if share_like:
        raise ValueError(
            f"{share_like} look like shares: recode the counts and pass shares="
            "{name: (numerator, denominator)} to recompute them"
        )
    outside = [c for pair in (shares or {}).values() for c in pair if c not in values]
    if outside:
        raise ValueError(f"shares must be computed from value columns; not among them: {outside}")
    not_numeric = [c for c in values if not pd.api.types.is_numeric_dtype(table[c])]
    if not_numeric:
        raise ValueError(f"value columns must be numeric counts: {not_numeric}")
    codes = table[code_column].map(clean_code)
    valid = crosswalk(from_year)["gemeente"]
    unknown = sorted(set(codes) - set(valid))
    if unknown:
        known = [c for c in codes if c not in unknown]
        hint = f"; the other codes fit {year_of_codes(known)}" if known else ""
        raise ValueError(
            f"{len(unknown)} codes are not gemeenten of 1 January {from_year}: {unknown[:10]}"
            f" (valid codes are e.g. {', '.join(valid.iloc[:5])}){hint}"
        )

    changes = change_table(from_year, to_year)
    data = table[[*by, *values]].assign(code_a=codes.to_numpy(), _row=np.arange(len(table)))
    pieces = data.merge(changes[["code_a", "code_b", "weight"]], on="code_a", how="left")
    pieces = pieces.sort_values(["_row", "code_b"], ignore_index=True)
    for column in values:
        pieces[column] = _divide(pieces[column], pieces["weight"], pieces["_row"])
    keys = ["code_b", *by]
    out = pieces.groupby(keys, sort=True, dropna=False)[values].sum()
    missing = pieces[values].isna().groupby([pieces[k] for k in keys], dropna=False).any()
    if missing.to_numpy().any():
        out = out.mask(missing)
    out = out.reset_index()
    for name, (numerator, denominator) in (shares or {}).items():
        out[name] = 100 * out[numerator] / out[denominator]
    out = out.rename(columns={"code_b": code_column})
    if "name" not in out.columns:
        out.insert(1, "name", out[code_column].map(names(to_year).set_index("code")["name"]))

    used = changes[changes["code_a"].isin(set(codes))]
    report = RecodeReport(
        from_year=from_year,
        to_year=to_year,
        codes_in=len(set(codes)),
        codes_out=out[code_column].nunique(),
        merged={
            new: sorted(group["code_a"])
            for new, group in used[used["kind"] == "merge"].groupby("code_b")
        },
        split={
            old: dict(zip(group["code_b"], group["weight"], strict=True))
            for old, group in used[used["kind"].isin(["split", "boundary"])].groupby("code_a")
        },
        basis={
            old: "+".join(sorted(set(group["basis"])))
            for old, group in used[used["kind"].isin(["split", "boundary"])].groupby("code_a")
        },
        renamed=dict(
            zip(
                used.loc[used["kind"] == "rename", "code_a"],
                used.loc[used["kind"] == "rename", "code_b"],
                strict=True,
            )
        ),
        without_data=sorted(set(crosswalk(to_year)["gemeente"]) - set(out[code_column])),
    )
    return out, report


def _divide(values: pd.Series, weights: pd.Series, rows: pd.Series) -> pd.Series:
    """Each row's value divided over its pieces by ``weights`` (rows sorted, pieces of a row
    together), keeping each row's total exactly: integers by largest remainders, floats by
    giving the largest piece the value minus the others."""
    raw = values * weights
    if pd.api.types.is_integer_dtype(values) and not values.isna().any():
        floor = np.floor(raw)
        remainder = values - floor.groupby(rows).transform("sum")
        order = (raw - floor).groupby(rows).rank(method="first", ascending=False)
        return (floor + (order <= remainder)).astype(values.dtype)
    largest = weights.groupby(rows).transform("max").eq(weights)
    first = largest & ~pd.DataFrame({"r": rows, "l": largest}).duplicated()
    others = raw.where(~first, 0).groupby(rows).transform("sum")
    return raw.where(~first, values - others)
