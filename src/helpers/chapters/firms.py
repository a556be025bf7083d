"""Chapters on innovative firms, startups and scale-ups.

The publication's sources (CBS Community Innovation Survey per gemeente, a startup database,
the Scale-Up Dashboard) are not open. Each chapter accepts the real file when an analyst
supplies it (validated by :func:`helpers.geography.userfiles.load_user_file`) and otherwise shows open
data that measure something close, labelled as such.

:func:`concentration` is the analysis of the publication (how many gemeenten hold half of the
total, the top-4 share, size classes, Lorenz curve), generic over any count per region.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from babel.numbers import format_decimal

from helpers import config
from helpers.data.checks import check_year
from helpers.data.tables import dutch_province_indicators
from helpers.geography import nl


def fmt_number(value: float) -> str:
    """Dutch notation of a class bound (``1.000``), for class labels."""
    return format_decimal(value, format="#,##0.###", locale="nl_NL")


# Class bounds of the publication (innovative firms per gemeente): >=500, 200-500, 100-200, <100
PUBLICATION_BOUNDS = (500, 200, 100)


def size_classes(bounds: tuple[float, ...] | list[float]) -> list[tuple[str, float, float]]:
    """(label, low, high) classes from descending bounds, largest first."""
    b = sorted((float(x) for x in bounds), reverse=True)
    classes = [(f"{fmt_number(b[0])} of meer", b[0], np.inf)]
    classes += [
        (f"{fmt_number(lo)} tot {fmt_number(hi)}", lo, hi) for hi, lo in itertools.pairwise(b)
    ]
    classes.append((f"minder dan {fmt_number(b[-1])}", 0.0, b[-1]))
    return classes


G4 = {"GM0363": "Amsterdam", "GM0599": "Rotterdam", "GM0518": "'s-Gravenhage", "GM0344": "Utrecht"}
KNOWLEDGE_INTENSIVE = [
    "vestigingen_hj_vervoer_ict",
    "vestigingen_kl_financieel_vastgoed",
    "vestigingen_mn_zakelijke_diensten",
]


@dataclass
class Concentration:
    total: float
    n_regions: int
    n_half: int  # fewest regions that together hold at least half of the total
    top4: list[str]
    top4_share: float  # percent
    classes: pd.DataFrame  # klasse, aantal_gemeenten, aandeel_pct
    lorenz: pd.DataFrame  # share of regions (ascending) vs cumulative share of the total
    gini: float


def concentration(
    counts: pd.Series,
    names: pd.Series | None = None,
    bounds: tuple[float, ...] | list[float] = PUBLICATION_BOUNDS,
) -> Concentration:
    """Concentration of a count over regions (index = region code); ``bounds`` are the size
    class limits (default: the publication's 500, 200 and 100)."""
    counts = counts.astype(float).dropna()
    if (counts < 0).any():
        raise ValueError("concentration: negative counts")
    ordered = counts.sort_values(ascending=False)
    total = float(ordered.sum())
    cumulative = ordered.cumsum() / total
    n_half = int((cumulative < 0.5).sum() + 1)
    labels = names if names is not None else pd.Series(ordered.index, index=ordered.index)
    top4 = [str(labels.get(code, code)) for code in ordered.index[:4]]
    rows = []
    for label, low, high in size_classes(bounds):
        inside = ordered[(ordered >= low) & (ordered < high)]
        rows.append((label, len(inside), inside.sum() / total * 100 if total else 0.0))
    classes = pd.DataFrame(rows, columns=["klasse", "aantal_gemeenten", "aandeel_pct"])
    ascending = np.sort(counts.to_numpy())
    n = len(ascending)
    lorenz = pd.DataFrame(
        {
            "aandeel_regios": np.arange(0, n + 1) / n,
            "aandeel_totaal": np.concatenate([[0.0], np.cumsum(ascending) / total]),
        }
    )
    area = np.trapezoid(lorenz["aandeel_totaal"], lorenz["aandeel_regios"])
    return Concentration(
        total=total,
        n_regions=n,
        n_half=n_half,
        top4=top4,
        top4_share=float(ordered.iloc[:4].sum() / total * 100),
        classes=classes,
        lorenz=lorenz,
        gini=float(1 - 2 * area),
    )


# --- open proxies ---------------------------------------------------------------------------


def establishments_2015() -> pd.DataFrame:
    """CBS 70072ned 2015 per gemeente (2015 codes): establishments total and by sector group,
    plus the knowledge-intensive service groups together (H-J, K-L, M-N)."""
    data = pd.read_csv(config.data_file("processed", "nl", "kerncijfers_gemeente_2015.csv"))
    data["vestigingen_kennisintensief"] = data[KNOWLEDGE_INTENSIVE].sum(axis=1)
    return data


def starters_corop() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "starters_corop.csv"))


def starter_years() -> list[int]:
    """Years of CBS 83631NED that are comparable (from 2015: series break in 2014)."""
    return sorted(int(y) for y in starters_corop()["year"].unique() if y >= 2015)


def starters_for_year(year: int) -> pd.DataFrame:
    """New establishments per COROP in ``year`` with the stock of establishments (2015, from
    70072ned, gemeenten recoded to 2016 and summed per COROP) and the rate per 1,000."""
    year = check_year(year, starter_years(), "CBS 83631NED (comparable years from 2015)")
    starters = starters_corop()
    rows = starters[starters["year"] == year][["corop", "totaal"]]
    stock = establishments_2015()
    stock["gemeente"] = nl.recode_gemeenten(stock["gemeente"], 2015, 2016)
    per_corop = nl.aggregate(stock, ["vestigingen_totaal"], to="corop")
    table = rows.merge(per_corop, on="corop", how="left")
    assert table["vestigingen_totaal"].notna().all(), "COROP without establishments"
    table["per_1000"] = table["totaal"] / table["vestigingen_totaal"] * 1000
    table = table.sort_values("totaal", ascending=False, ignore_index=True)
    table.attrs["year"] = year
    return table


def eurostat_demography() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "eurostat_bd_nuts3_nl.csv"))


def demography_years(column: str) -> list[int]:
    data = eurostat_demography().dropna(subset=[column])
    return sorted(int(y) for y in data["year"].unique() if (data["year"] == y).sum() == 40)


def demography_for_year(year: int, column: str) -> pd.DataFrame:
    data = eurostat_demography()
    year = check_year(year, demography_years(column), f"Eurostat bd_size_r3 ({column})")
    table = data[data["year"] == year].copy()
    table.attrs["year"] = year
    return table.sort_values(column, ascending=False, ignore_index=True)


def stated_figures() -> pd.DataFrame:
    return pd.read_csv(config.data_file("processed", "firms", "stated_figures.csv"), dtype=str)


def ris_cis_indicators() -> pd.DataFrame:
    """RIS 2023 CIS-based indicators for the 12 provinces, long, with per indicator and year
    the number of distinct provincial values (1 = national value repeated)."""
    names = [
        "3.1.1 SMEs introducing product innovations (Regional)",
        "3.1.2 SMEs introducing business process innovations (Regional)",
        "3.2.1 Innovative SMEs collaborating with others (Regional)",
    ]
    return dutch_province_indicators(names)


def published(name: str) -> pd.DataFrame:
    """Published statements ``data/published/<name>.csv`` (see its README), by ``kenmerk``."""
    return pd.read_csv(config.data_file("published", f"{name}.csv"), dtype=str).set_index("kenmerk")
