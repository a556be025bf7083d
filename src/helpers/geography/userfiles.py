"""Files an analyst supplies for the restricted sources (schemas in
``data/README-user-files.md``): read, validated with errors that name the file and the
column, row or code, and placed in gemeenten.

Column kinds: ``code`` (CBS gemeente code, padding stripped, must be known), ``int`` (whole
number), ``count`` (whole number >= 0), ``amount`` (number >= 0), ``text``; a trailing ``?``
marks an optional column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.geography import nl


class UserFileError(ValueError):
    """A user-supplied file does not match its documented schema (names file and problem)."""


@dataclass(frozen=True)
class Schema:
    columns: dict[str, str]
    unique: list[str] = field(default_factory=list)  # no two rows may share these
    one_of: tuple[str, ...] = ()  # at least one of these optional columns must be present


SCHEMAS: dict[str, Schema] = {
    "cis": Schema({"gemeente": "code", "jaar": "int", "aantal_innovatief": "count"},
                  unique=["gemeente", "jaar"]),
    "startups": Schema({"naam": "text", "gemeente": "code?", "plaats": "text?",
                        "oprichtingsjaar": "int"}, unique=["naam"], one_of=("gemeente", "plaats")),
    "scaleups": Schema({"gemeente": "code", "jaar": "int", "aantal": "count"},
                       unique=["gemeente", "jaar"]),
    "rvo": Schema({"project": "text", "gemeente": "code?", "plaats": "text?", "topsector": "text",
                   "jaar": "int", "bedrag": "amount"}, one_of=("gemeente", "plaats")),
}  # fmt: skip


def known_gemeente_codes() -> set[str]:
    """Every gemeente code on a map here, or in the list of municipal changes."""
    codes: set[str] = set()
    for level, year in nl.available_boundaries():
        if level == "gemeente":
            codes |= set(nl.boundaries(level, year)["code"])
    changes = nl.gemeente_changes()
    return codes | set(changes["old"]) | set(changes["new"])


def _rows(mask: pd.Series) -> str:
    return ", ".join(str(i + 2) for i in np.flatnonzero(mask)[:10])  # header is line 1


def load_user_file(path: str | Path, kind: str) -> pd.DataFrame:
    """Read and validate a user-supplied file of ``kind`` (a key of :data:`SCHEMAS`)."""
    schema = SCHEMAS[kind]
    path = config.user_file(path, f"{kind} file")
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c, t in schema.columns.items() if not t.endswith("?") and c not in data]
    if schema.one_of and not set(schema.one_of) & set(data.columns):
        missing.append(" of ".join(schema.one_of))
    if missing:
        raise UserFileError(f"{path.name}: missing column(s) {missing}")
    errors: list[str] = []
    for column, kind_of in schema.columns.items():
        if column not in data.columns:
            continue
        values = data[column].str.strip()
        kind_of = kind_of.rstrip("?")
        if kind_of == "code":
            data[column] = values.map(lambda v: nl.clean_code(v) if v else "")
            unknown = (data[column] != "") & ~data[column].isin(known_gemeente_codes())
            if unknown.any():
                codes = sorted(set(data.loc[unknown, column]))
                errors.append(f"unknown gemeente code(s) {codes[:10]} (rows {_rows(unknown)})")
        elif kind_of in {"int", "count"}:
            numbers = pd.to_numeric(values, errors="coerce")
            bad = numbers.isna() | (numbers % 1 != 0)
            if bad.any():
                errors.append(f"column {column!r}: not a whole number in rows {_rows(bad)}")
            if kind_of == "count" and (numbers < 0).any():
                errors.append(f"column {column!r}: negative counts in rows {_rows(numbers < 0)}")
            data[column] = numbers
        elif kind_of == "amount":
            numbers = pd.to_numeric(values, errors="coerce")
            bad = numbers.isna() | (numbers < 0)
            if bad.any():
                errors.append(f"column {column!r} not a number >= 0 in rows {_rows(bad)}")
            data[column] = numbers
    if schema.unique:
        duplicated = data.duplicated(subset=schema.unique, keep=False)
        if duplicated.any():
            shown = data.loc[duplicated, schema.unique].drop_duplicates().head(5)
            errors.append(
                f"duplicate rows for {schema.unique}: {shown.to_dict(orient='records')} "
                f"(rows {_rows(duplicated)})"
            )
    if errors:
        raise UserFileError(f"{path.name}: " + "; ".join(errors))
    for column, kind_of in schema.columns.items():
        if kind_of.rstrip("?") in {"int", "count"} and column in data.columns:
            data[column] = data[column].astype("int64")
    data.attrs["path"] = str(path)
    return data


def gemeente_of(data: pd.DataFrame) -> pd.Series:
    """Gemeente code per row: the ``gemeente`` column where filled, else the gemeente of the
    ``plaats`` (see :func:`helpers.geography.nl.place_to_gemeente`); NA where neither gives one."""
    codes = data["gemeente"] if "gemeente" in data else pd.Series("", index=data.index)
    places = (
        nl.place_to_gemeente(data["plaats"])
        if "plaats" in data
        else pd.Series(pd.NA, index=data.index, dtype="string")
    )
    return codes.astype("string").where(codes != "", places)
