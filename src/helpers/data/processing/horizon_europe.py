"""Horizon Europe (2021-2027) participations of Dutch organisations, with their place
(CORDIS), and a PIC -> address table that also places Horizon 2020 participants.

Load inputs: Dutch Horizon Europe participations (``he_participations_nl``: PIC, role, EC
contribution, street, postcode, city, NUTS code), all Horizon Europe projects (``he_projects``:
start date and programme codes ``legalBasis`` such as HORIZON.2.4) and the PC4 table
(``pc4_gemeente_2021``: four-digit postcode -> woonplaats, gemeente of 2021).
Process: keep the roles that Horizon 2020 also lists (coordinator, participant,
associatedPartner; not thirdParty), one row per project and PIC (the EC contribution summed
over a PIC's roles); attach the start year; place each participation by its postcode (PC4 ->
woonplaats and gemeente 2021), the city as written where the postcode is missing or unknown;
programme codes cut to the programme part (``HORIZON.2.4``; EURATOM codes to ``EURATOM``).
Per PIC, the address of its most frequent postcode (and city), to place Horizon 2020
participants whose organisation is not in the FP7 register.
Save outputs: ``topsectors/he_nl_participations.csv.gz``, ``topsectors/he_programme_parts_nl.csv``,
``topsectors/he_nl_addresses.csv`` and the PC4 table itself
(``topsectors/pc4_plaats_gemeente_2021.csv``: pc4, plaats_pc4, gemeente_pc4), which places the
postcodes of the FP7 register too. The chapter (``helpers.chapters.topsectoren``) maps
the places to gemeenten of its map year and the programme parts to themes
(``data/topsectors/themes.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.checks import require
from helpers.data.processing.outputs import write_csv
from helpers.data.registry import fetch

SOURCES = ["he_participations_nl", "he_projects", "pc4_gemeente_2021"]
OUTPUTS = [
    "topsectors/he_nl_participations.csv.gz",
    "topsectors/he_programme_parts_nl.csv",
    "topsectors/he_nl_addresses.csv",
    "topsectors/pc4_plaats_gemeente_2021.csv",
]
ROLES = {"coordinator", "participant", "associatedPartner"}
COLUMNS = ["rcn", "pic", "organisatie", "role", "type", "contribution", "start_year", "plaats",
           "postcode", "plaats_pc4", "gemeente_pc4"]  # fmt: skip


def pc4_table(path: Path) -> pd.DataFrame:
    """PC4 -> ``plaats_pc4`` (woonplaats) and ``gemeente_pc4`` (gemeente name, 2021) from raw
    ``pc4_gemeente_2021``; index ``pc4`` (four digits, text). Raises DataCheckError when
    columns are missing or there are fewer than 3,000 postcode areas."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"pc4", "plaats", "gemeente"} - set(raw.columns)
    require(not missing, f"{path.name}: missing columns {sorted(missing)}")
    raw = raw[(raw["gemeente"] != "") & (raw["plaats"] != "")].drop_duplicates("pc4")
    require(len(raw) >= 3000, f"{path.name}: only {len(raw)} postcode areas")
    return raw.set_index("pc4")[["plaats", "gemeente"]].rename(
        columns={"plaats": "plaats_pc4", "gemeente": "gemeente_pc4"}
    )


def pc4(postcodes: pd.Series) -> pd.Series:
    """The four digits of Dutch postcodes (``1012WX``, ``1012 wx`` -> ``1012``); NA otherwise."""
    return postcodes.astype("string").str.extract(r"^\s*(\d{4})", expand=False)


def participations(
    path: Path, projects_path: Path, pc4_path: Path, roles: set[str] | None = ROLES
) -> pd.DataFrame:
    """Dutch Horizon Europe participations with their place: one row per project ``rcn`` and
    organisation ``pic``; columns :data:`COLUMNS` (``contribution`` the EC contribution in
    euro, ``plaats`` the city as written, ``plaats_pc4``/``gemeente_pc4`` from the postcode, NA
    when it is not in the PC4 table); only ``roles`` (all roles when None). Raises DataCheckError naming the file when columns are
    missing, a country other than NL occurs or there are 4,000 participations or fewer."""
    raw = pd.read_csv(path, dtype={"organisationID": str, "postalCode": str})
    needed = {"projectRcn", "organisationID", "role", "ecContribution", "activityType",
              "legalName", "postalCode", "city", "country"}  # fmt: skip
    require(needed <= set(raw.columns), f"{path.name}: missing {sorted(needed - set(raw.columns))}")
    require((raw["country"] == "NL").all(), f"{path.name}: rows outside NL")
    raw = raw[raw["role"].isin(roles)].copy() if roles is not None else raw.copy()
    raw["ecContribution"] = pd.to_numeric(raw["ecContribution"], errors="coerce")
    rank = {"coordinator": 0, "participant": 1, "associatedPartner": 2, "thirdParty": 3}
    raw = raw.assign(rank=raw["role"].map(rank)).sort_values(
        ["projectRcn", "organisationID", "rank"]
    )
    out = raw.groupby(["projectRcn", "organisationID"], as_index=False, sort=True).agg(
        organisatie=("legalName", "first"), role=("role", "first"),
        type=("activityType", "first"), contribution=("ecContribution", "sum"),
        plaats=("city", "first"), postcode=("postalCode", "first"),
    )  # fmt: skip
    require(len(out) > 4000, f"{path.name}: only {len(out)} Dutch participations")
    projects = pd.read_csv(projects_path, usecols=["projectRcn", "startDate"])
    start = pd.to_datetime(projects["startDate"], errors="coerce").dt.year
    out["start_year"] = out["projectRcn"].map(dict(zip(projects["projectRcn"], start, strict=True)))
    out["start_year"] = out["start_year"].astype("Int64")
    places = pc4_table(pc4_path)
    out = out.join(places, on=pc4(out["postcode"]).rename("pc4"))
    out = out.rename(columns={"projectRcn": "rcn", "organisationID": "pic"})
    return out[COLUMNS].sort_values(["rcn", "pic"], ignore_index=True)


def programme_parts(path: Path, rcns: set[int]) -> pd.DataFrame:
    """Programme parts of the projects ``rcns`` from raw ``he_projects``: ``legalBasis`` codes
    cut to the part (``HORIZON.2.4.1`` -> ``HORIZON.2.4``; ``EURATOM.1.1`` -> ``EURATOM``), one
    row per project and part; columns rcn, programme_part. Raises DataCheckError naming the
    file when a column is missing."""
    raw = pd.read_csv(path, usecols=lambda c: c in {"projectRcn", "legalBasis"})
    require(list(raw.columns) == ["projectRcn", "legalBasis"], f"{path.name}: columns")
    raw = raw[raw["projectRcn"].isin(rcns)].dropna(subset=["legalBasis"])
    codes = raw.assign(code=raw["legalBasis"].str.split(";")).explode("code")
    part = codes["code"].str.strip().str.extract(r"^(HORIZON\.\d\.\d|EURATOM)", expand=False)
    out = pd.DataFrame({"rcn": codes["projectRcn"], "programme_part": part}).dropna()
    return out.drop_duplicates().sort_values(["rcn", "programme_part"], ignore_index=True)


def addresses(parts: pd.DataFrame) -> pd.DataFrame:
    """Per PIC the place of its most frequent postcode in Horizon Europe (``parts`` with all
    roles; ties: the first in order), to place Horizon 2020 participants: columns pic, plaats, postcode, plaats_pc4,
    gemeente_pc4."""
    known = parts.dropna(subset=["plaats"])
    counts = known.groupby(["pic", "plaats", "postcode"], dropna=False).size().rename("n")
    best = counts.reset_index().sort_values(["pic", "n"], ascending=[True, False], kind="stable")
    best = best.drop_duplicates("pic")[["pic", "plaats", "postcode"]]
    pc4_places = known.drop_duplicates(["pic", "plaats", "postcode"])[
        ["pic", "plaats", "postcode", "plaats_pc4", "gemeente_pc4"]
    ]
    return best.merge(pc4_places, on=["pic", "plaats", "postcode"], how="left").reset_index(
        drop=True
    )


def run(out_dir: Path) -> list[Path]:
    """Load ``he_participations_nl``, ``he_projects`` and ``pc4_gemeente_2021`` (registry) ->
    process -> save :data:`OUTPUTS` under ``out_dir``; returns the written paths. Raises
    DataSourceError (naming the source id and path) when a raw file is missing or fails its
    checksum; DataCheckError when a check fails."""
    inputs = fetch("he_participations_nl"), fetch("he_projects"), fetch("pc4_gemeente_2021")
    parts = participations(*inputs)
    programmes = programme_parts(fetch("he_projects"), set(parts["rcn"]))
    return [
        write_csv(parts, out_dir / OUTPUTS[0]),
        write_csv(programmes, out_dir / OUTPUTS[1]),
        write_csv(addresses(participations(*inputs, roles=None)), out_dir / OUTPUTS[2]),
        write_csv(pc4_table(fetch("pc4_gemeente_2021")).reset_index(), out_dir / OUTPUTS[3]),
    ]
