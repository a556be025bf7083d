"""Horizon 2020 participations of Dutch organisations, with their place (CORDIS).

Load inputs: H2020 participations (``cordis_h2020_participations``), programme parts
(``cordis_h2020_programme_parts``) and the FP7 organisation register for the Netherlands
(``cordis_fp7_org_addresses_nl``: PIC -> name, city, postcode).
Process: keep participations with country NL; attach name, city and postcode by PIC (H2020
participations carry no address; organisations new in H2020 stay without a place); keep the
programme parts of the projects with a Dutch participant.
Save outputs: ``topsectors/h2020_nl_participations.csv.gz``, ``topsectors/h2020_programme_parts_nl.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch

SOURCES = [
    "cordis_h2020_participations",
    "cordis_h2020_programme_parts",
    "cordis_fp7_org_addresses_nl",
]
OUTPUTS = ["topsectors/h2020_nl_participations.csv.gz", "topsectors/h2020_programme_parts_nl.csv"]


def participations(path: Path, orgs_path: Path) -> pd.DataFrame:
    """Dutch H2020 participations with their place: one row per participation (project ``rcn``,
    organisation ``pic``, ``role``), columns rcn, pic, organisatie, role, type, contribution (EC
    contribution, euro), start_year, plaats, postcode; name, place and postcode by PIC from the
    FP7 register, NA for organisations not in it. ``path``: raw ``cordis_h2020_participations``;
    ``orgs_path``: raw ``cordis_fp7_org_addresses_nl``. Raises DataCheckError naming the file
    when columns are missing or it has 5,000 Dutch participations or fewer."""
    raw = pd.read_csv(path, dtype={"pic": str})
    needed = {"rcn", "role", "pic", "type", "contribution", "country", "start_year"}
    require(needed <= set(raw.columns), f"{path.name}: missing {sorted(needed - set(raw.columns))}")
    nl = raw[raw["country"] == "NL"].copy()
    require(len(nl) > 5000, f"{path.name}: only {len(nl)} Dutch participations")
    orgs = pd.read_csv(orgs_path, dtype={"pic": str, "postcode": str})
    require({"pic", "name", "city", "postcode"} <= set(orgs.columns), f"{orgs_path.name}: columns")
    orgs = orgs.drop_duplicates("pic")
    out = nl.merge(orgs[["pic", "name", "city", "postcode"]], on="pic", how="left")
    out["contribution"] = pd.to_numeric(out["contribution"], errors="coerce")
    out = out.rename(columns={"city": "plaats", "name": "organisatie"})
    columns = ["rcn", "pic", "organisatie", "role", "type", "contribution", "start_year",
               "plaats", "postcode"]  # fmt: skip
    return out[columns].sort_values(["rcn", "pic", "role"], ignore_index=True)


def programme_parts(path: Path, rcns: set[int]) -> pd.DataFrame:
    """Programme parts (LEIT, SC1..SC7, ERC, ...) of the projects ``rcns``, from raw
    ``cordis_h2020_programme_parts``: one row per project and part (a project can have several),
    columns rcn, programme_part. Raises DataCheckError naming the file when its columns are not
    exactly rcn, programme_part."""
    raw = pd.read_csv(path)
    require(list(raw.columns) == ["rcn", "programme_part"], f"{path.name}: columns")
    out = raw[raw["rcn"].isin(rcns)].drop_duplicates()
    return out.sort_values(["rcn", "programme_part"], ignore_index=True)


def run(out_dir: Path) -> list[Path]:
    """Load ``cordis_h2020_participations``, ``cordis_fp7_org_addresses_nl`` and
    ``cordis_h2020_programme_parts`` (registry) -> process -> save
    ``topsectors/h2020_nl_participations.csv.gz`` and ``topsectors/h2020_programme_parts_nl.csv``
    under ``out_dir``; returns the written paths.
    Raises DataSourceError (naming the source id and path) when a raw file is missing,
    cannot be downloaded or fails its checksum; DataCheckError when a check fails."""
    parts = participations(
        fetch("cordis_h2020_participations"), fetch("cordis_fp7_org_addresses_nl")
    )
    programmes = programme_parts(fetch("cordis_h2020_programme_parts"), set(parts["rcn"]))
    return [
        write_csv(parts, out_dir / OUTPUTS[0]),
        write_csv(programmes, out_dir / OUTPUTS[1]),
    ]
