"""CBS 70072ned *Regionale kerncijfers Nederland*, 2015, per gemeente.

Load inputs: ``cbs_70072ned_2015`` (CBS 'UntypedDataSet' CSV export: ';'-separated,
space-padded values, '.' for missing).
Process: keep the 393 gemeenten of 2015 that carry values (the export also lists historical
codes without values); clean the padded codes; keep population, business establishments
(total and seven sector groups) and hbo/wo students by place of residence.
Save outputs: ``nl/kerncijfers_gemeente_2015.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch

SOURCES = ["cbs_70072ned_2015"]
OUTPUTS = ["nl/kerncijfers_gemeente_2015.csv"]

COLUMNS = {
    "TotaleBevolking_1": "bevolking",
    "BedrijfsvestigingenTotaal_168": "vestigingen_totaal",
    "ALandbouwBosbouwEnVisserij_169": "vestigingen_a_landbouw",
    "BFNijverheidEnEnergie_170": "vestigingen_bf_nijverheid_energie",
    "GIHandelEnHoreca_171": "vestigingen_gi_handel_horeca",
    "HJVervoerInformatieEnCommunicatie_172": "vestigingen_hj_vervoer_ict",
    "KLFinancieleDienstenOnroerendGoed_173": "vestigingen_kl_financieel_vastgoed",
    "MNZakelijkeDienstverlening_174": "vestigingen_mn_zakelijke_diensten",
    "RUCultuurRecreatieOverigeDiensten_175": "vestigingen_ru_cultuur_overig",
    "HogerBeroepsonderwijs_106": "studenten_hbo",
    "WetenschappelijkOnderwijs_107": "studenten_wo",
}


def process(path: Path) -> pd.DataFrame:
    """CBS 70072ned 2015 per gemeente, from raw ``cbs_70072ned_2015``: one row per gemeente of 2015
    (393, GM codes), columns gemeente, bevolking (inhabitants), vestigingen_totaal and seven
    sector groups ``vestigingen_*`` (business establishments; CBS rounds to multiples of 5),
    studenten_hbo and studenten_wo (students by place of residence); int64, sorted by code.
    Raises DataCheckError (naming the file for missing columns) when columns are missing, there
    are not 393 unique gemeenten, a period other than 2015, sector groups more than 15 off the
    total, or Amsterdam (GM0363) does not have 106,055 establishments."""
    raw = pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig")
    missing = {"RegioS", "Perioden", *COLUMNS} - set(raw.columns)
    require(not missing, f"{path.name}: missing columns {sorted(missing)}")
    raw["RegioS"] = raw["RegioS"].str.strip()
    gm = raw[raw["RegioS"].str.startswith("GM")].copy()
    for col in COLUMNS:
        gm[col] = pd.to_numeric(gm[col].str.strip().replace({".": None, "": None}))
    gm = gm.dropna(subset=["BedrijfsvestigingenTotaal_168"])
    require(len(gm) == 393 and gm["RegioS"].is_unique, f"expected 393 gemeenten, got {len(gm)}")
    require(set(gm["Perioden"].str.strip()) == {"2015JJ00"}, "expected only 2015")
    out = gm.rename(columns={"RegioS": "gemeente", **COLUMNS})[["gemeente", *COLUMNS.values()]]
    sectors = [c for c in COLUMNS.values() if c.startswith("vestigingen_") and c[12:] != "totaal"]
    # CBS rounds each count to a multiple of 5, so the sector groups add up to the total
    # within the rounding of seven numbers.
    gap = (out[sectors].sum(axis=1) - out["vestigingen_totaal"]).abs()
    require((gap <= 15).all(), "sector groups do not add up to the total")
    require(
        out.loc[out["gemeente"] == "GM0363", "vestigingen_totaal"].item() == 106055,
        'check failed: out.loc[out["gemeente"] == "GM0363", "vestigingen_totaal"].item() == 106055',
    )
    for col in COLUMNS.values():
        out[col] = out[col].astype("int64")
    return out.sort_values("gemeente", ignore_index=True)


def run(out_dir: Path) -> list[Path]:
    """Load ``cbs_70072ned_2015`` (registry) -> :func:`process` -> save
    ``nl/kerncijfers_gemeente_2015.csv`` under ``out_dir``; returns the written path.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails."""
    return [write_csv(process(fetch("cbs_70072ned_2015")), out_dir / OUTPUTS[0])]
