"""Chapter 'Hoogopgeleiden': where the highly educated live.

Province level (offline): Eurostat tertiary attainment 25-64 per NUTS 2 (via the regional
panel) over the years, and the RIS indicator for comparison. Gemeente level: CBS StatLine
(online, cached) via :mod:`helpers.data.cbs`; offline, hbo/wo *students* by place of residence per
gemeente from CBS 70072ned 2015 (a different concept, labelled as such).
"""

from __future__ import annotations

import pandas as pd

from helpers import config
from helpers.data import cbs
from helpers.data.checks import check_year
from helpers.data.tables import dutch_province_indicators, eurostat_panel
from helpers.geography import nl

# The online source for the gemeente map: CBS 85525NED 'Bevolking; hoogstbehaald
# onderwijsniveau en regio'. Categories and topics are given by their StatLine titles and
# resolved to keys from the table's metadata, so a renamed category fails with the titles.
GEMEENTE_SOURCE = {
    "table": "85525NED",
    "dimensions": {"Geslacht": "Totaal mannen en vrouwen", "Leeftijd": "15 tot 75 jaar"},
    "topics": ["Hbo-, wo-bachelor", "Hbo-, wo-master, doctor"],
}
RIS_TERTIARY = "1.1.2 Population with tertiary education (Regional)"


def tertiary_panel() -> pd.DataFrame:
    """Share of 25-64 year olds with tertiary education (%), province x year."""
    panel = eurostat_panel().dropna(subset=["tertiary_pct_25_64"])
    out = panel[["nuts2", "year", "tertiary_pct_25_64"]].merge(
        nl.PROVINCES[["nuts2", "name"]], on="nuts2"
    )
    return out.sort_values(["nuts2", "year"], ignore_index=True)


def tertiary_years() -> list[int]:
    return sorted(int(y) for y in tertiary_panel()["year"].unique())


def tertiary_for_year(year: int) -> pd.DataFrame:
    panel = tertiary_panel()
    year = check_year(year, tertiary_years(), "the Eurostat panel (tertiary attainment)")
    table = panel[panel["year"] == year]
    assert len(table) == 12, f"expected 12 provinces in {year}"
    table = table.sort_values("tertiary_pct_25_64", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


def ris_tertiary(year: int) -> pd.DataFrame:
    """RIS 2023 indicator 'Population with tertiary education' (normalised score) per
    province for ``year`` and the number of distinct values over the RIS years."""
    rows = dutch_province_indicators([RIS_TERTIARY])
    years = sorted(int(y) for y in rows["year"].unique())
    ris_year = year if year in years else min(years, key=lambda y: abs(y - year))
    table = rows[rows["year"] == ris_year][["region", "value"]].rename(
        columns={"region": "nuts2", "value": "ris_score"}
    )
    table.attrs.update(
        ris_year=ris_year, distinct_over_years=int(rows.groupby("region")["value"].nunique().max())
    )
    return table.reset_index(drop=True)


def gemeente_online(year: int, *, use_cache: bool = True, timeout: float = 20.0) -> pd.DataFrame:
    """Share of 15-74 year olds with hbo/wo per gemeente in ``year`` from CBS StatLine.

    Raises :class:`helpers.data.cbs.CbsUnavailable` offline (without a cached copy) and
    :class:`helpers.data.cbs.CbsError` when the table lacks the year or a category.
    """
    spec = GEMEENTE_SOURCE
    table = cbs.fetch_table(
        spec["table"],
        dimensions=spec["dimensions"],
        period=f"{int(year)}JJ00",
        topics=spec["topics"],
        use_cache=use_cache,
        timeout=timeout,
    )
    keys = [cbs.topic_key(table, title) for title in spec["topics"]]
    data = table.data
    region = next(k for k in table.dimensions if k.startswith("Regio"))
    gm = data[data[region].str.startswith("GM")].copy()
    if gm.empty:
        raise cbs.CbsError(f"CBS {spec['table']}: no gemeente rows for {year}")
    gm["pct_hoog"] = gm[keys].astype(float).sum(axis=1, min_count=len(keys))
    out = gm.rename(columns={region: "gemeente", f"{region}_titel": "naam"})
    out = out[["gemeente", "naam", "pct_hoog"]].reset_index(drop=True)
    out.attrs.update(table=spec["table"], title=table.title, from_cache=table.from_cache)
    return out


def students_2015() -> pd.DataFrame:
    """hbo and wo students by place of residence per 1,000 inhabitants, gemeenten 2015."""
    path = config.data_file("processed", "nl", "kerncijfers_gemeente_2015.csv")
    data = pd.read_csv(path)
    data["studenten"] = data["studenten_hbo"] + data["studenten_wo"]
    data["per_1000"] = data["studenten"] / data["bevolking"] * 1000
    return data[["gemeente", "bevolking", "studenten_hbo", "studenten_wo", "studenten", "per_1000"]]
