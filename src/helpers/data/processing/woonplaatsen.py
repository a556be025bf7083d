"""Woonplaatsen (places) and the gemeente they lie in, about 2021, from the PC4 table of the R
package certegis (CBS 83503NED, 1 January 2021: each four-digit postcode area with its place,
gemeente and provincie).

Load inputs: ``pc4_gemeente_2021`` (source ``cbs_pc4_gemeente_certegis``: CSV, one row per
inhabited PC4 area; ``plaats``, ``gemeente`` and ``provincie`` as names).
Process: drop the PC4 areas without a gemeente; one row per place name, gemeente and provincie
with the inhabitants and number of PC4 areas; a place in two gemeenten (``Hoorn``: the city and
the village on Terschelling) keeps a row for each. The gemeenten are those of 1 January 2021,
except that ``Haaren`` (divided over four gemeenten on 1 January 2021) is still one; names
are CBS's (``Nuenen, Gerwen en Nederwetten``, ``Bergen (NH.)``); place names as in the
source, some with a CBS-style province suffix (``Hengelo (Gld)``, ``Bergen L``).
Save outputs: ``nl/woonplaats_gemeente_2021.csv``. Read by
:mod:`helpers.geography.userfiles` to place the ``plaats`` of a user's file in a gemeente.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch

SOURCES = ["pc4_gemeente_2021"]
OUTPUTS = ["nl/woonplaats_gemeente_2021.csv"]
# Places the table must put in these gemeenten (checks of the source, not of this code)
SPOT_CHECKS = {
    ("Veghel", "Meierijstad"),
    ("Hoofddorp", "Haarlemmermeer"),
    ("Rosmalen", "'s-Hertogenbosch"),
    ("Delft", "Delft"),
    ("Hengelo", "Hengelo"),
    ("Hengelo (Gld)", "Bronckhorst"),
    ("Bolsward", "Súdwest-Fryslân"),
}


def process(path: Path) -> pd.DataFrame:
    """Woonplaats -> gemeente from raw ``pc4_gemeente_2021``: columns ``woonplaats``,
    ``gemeente_naam`` (CBS name, 2021 division, Haaren still whole), ``provincie_naam``,
    ``inwoners`` (1 January 2021, summed over the place's PC4 areas in that gemeente; int64)
    and ``pc4`` (number of PC4 areas); sorted by place and gemeente. Raises DataCheckError
    when columns are missing, there are fewer than 2,000 places or 350 gemeenten, or a place
    of :data:`SPOT_CHECKS` is not in its gemeente."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"pc4", "plaats", "gemeente", "provincie", "inwoners"} - set(raw.columns)
    require(not missing, f"{path.name}: missing columns {sorted(missing)}")
    raw = raw[(raw["gemeente"] != "") & (raw["plaats"] != "")]
    raw = raw.assign(inwoners=pd.to_numeric(raw["inwoners"]).fillna(0).astype("int64"))
    out = (
        raw.groupby(["plaats", "gemeente", "provincie"], as_index=False)
        .agg(inwoners=("inwoners", "sum"), pc4=("pc4", "nunique"))
        .rename(
            columns={
                "plaats": "woonplaats",
                "gemeente": "gemeente_naam",
                "provincie": "provincie_naam",
            }
        )  # fmt: skip
        .sort_values(["woonplaats", "gemeente_naam"], ignore_index=True)
    )
    require(out["woonplaats"].nunique() >= 2000, f"only {out['woonplaats'].nunique()} places")
    require(out["gemeente_naam"].nunique() >= 350, "fewer than 350 gemeenten")
    pairs = set(zip(out["woonplaats"], out["gemeente_naam"], strict=True))
    require(SPOT_CHECKS <= pairs, f"places not in their gemeente: {sorted(SPOT_CHECKS - pairs)}")
    return out


def run(out_dir: Path) -> list[Path]:
    """Load ``pc4_gemeente_2021`` (registry) -> :func:`process` -> save
    ``nl/woonplaats_gemeente_2021.csv`` under ``out_dir``; returns the written path. Raises
    DataSourceError (naming the source id and path) when the raw file is missing or fails its
    checksum; DataCheckError when a check fails."""
    return [write_csv(process(fetch("pc4_gemeente_2021")), out_dir / OUTPUTS[0])]
