"""Files an analyst supplies for the restricted sources (schemas in
``data/README-user-files.md``): read, validated with pandera, with errors that name the file
and the column, row or code, and placed in gemeenten or COROP regions.

Column kinds: ``code`` (CBS gemeente code, padding stripped, must be known), ``corop`` (CBS
COROP code ``CR01``..``CR40``, must be known), ``int`` (whole number), ``count`` (whole number
>= 0), ``amount`` (number >= 0), ``text``; a trailing ``?`` marks an optional column.
Every user file goes through :func:`load_user_file`; the checks are pandera schemas built by
:func:`pandera_schema`, and pandera's failure cases are worded for the analyst here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers import config
from helpers.geography import nl


class UserFileError(ValueError):
    """A user-supplied file does not match its documented schema (names file and problem)."""


@dataclass(frozen=True)
class Schema:
    """A user file's documented columns (name -> kind), unique keys and alternatives."""

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
    "corop_rd": Schema({"corop": "corop", "jaar": "int", "rd_bedrijven_mln_euro": "amount"},
                       unique=["corop", "jaar"]),
}  # fmt: skip

# What a failed check means, in the words of the error message.
_MEANING = {
    "whole": "not a whole number",
    "count": "negative counts",
    "amount": "not a number >= 0",
}


def known_gemeente_codes() -> set[str]:
    """Every gemeente code on a map here, or in the list of municipal changes."""
    codes: set[str] = set()
    for level, year in nl.available_boundaries():
        if level == "gemeente":
            codes |= set(nl.boundaries(level, year)["code"])
    changes = nl.gemeente_changes()
    return codes | set(changes["old"]) | set(changes["new"])


def known_corop_codes() -> set[str]:
    """The 40 COROP codes (``CR01``..``CR40``)."""
    return set(nl.corop_to_nuts3()["corop"])


def _number(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce")


def _column(kind: str) -> pa.Column:
    optional = kind.endswith("?")
    kind = kind.rstrip("?")
    checks: list[pa.Check] = []
    if kind == "code":
        known = known_gemeente_codes()
        checks.append(pa.Check(lambda s: (s == "") | s.isin(known), error="code"))
    elif kind == "corop":
        known = known_corop_codes()
        checks.append(pa.Check(lambda s: s.isin(known), error="corop"))
    elif kind in {"int", "count"}:
        checks.append(pa.Check(lambda s: _number(s).notna() & (_number(s) % 1 == 0),
                               error="whole"))  # fmt: skip
        if kind == "count":
            checks.append(pa.Check(lambda s: ~(_number(s) < 0), error="count"))
    elif kind == "amount":
        checks.append(pa.Check(lambda s: _number(s) >= 0, error="amount"))
    return pa.Column(str, checks=checks, required=not optional)


def pandera_schema(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of user files of ``kind`` (a key of :data:`SCHEMAS`); values are
    read as text and checked as text, so a bad cell is reported as it stands in the file."""
    schema = SCHEMAS[kind]
    return pa.DataFrameSchema(
        {name: _column(k) for name, k in schema.columns.items()},
        unique=schema.unique or None,
        name=f"{kind} (user file)",
    )


def _rows(index: pd.Series) -> str:
    rows = sorted({int(i) + 2 for i in index.dropna()})  # the header is line 1
    return ", ".join(map(str, rows[:10]))


def _messages(cases: pd.DataFrame, schema: Schema, data: pd.DataFrame) -> list[str]:
    """pandera's failure cases (column, check, index, failure_case) as the analyst's words."""
    errors: list[str] = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        if check in {"code", "corop"}:
            codes = sorted(set(group["failure_case"].astype(str)))
            what = "gemeente" if check == "code" else "COROP"
            errors.append(f"unknown {what} code(s) {codes[:10]} (rows {_rows(group['index'])})")
        elif check in _MEANING:
            errors.append(f"column {column!r}: {_MEANING[check]} in rows {_rows(group['index'])}")
        elif "unique" in str(check):
            if any(e.startswith("duplicate rows") for e in errors):
                continue  # pandera reports the key once per column
            duplicated = data.duplicated(subset=schema.unique, keep=False)
            shown = data.loc[duplicated, schema.unique].drop_duplicates().head(5)
            rows = _rows(pd.Series(data.index[duplicated]))
            errors.append(
                f"duplicate rows for {schema.unique}: {shown.to_dict(orient='records')} "
                f"(rows {rows})"
            )
        else:
            errors.append(f"column {column!r}: {check} ({_rows(group['index'])})")
    return errors


def load_user_file(path: str | Path, kind: str) -> pd.DataFrame:
    """Read and validate a user-supplied file of ``kind`` (a key of :data:`SCHEMAS`).

    Returns the rows with codes cleaned (padding stripped) and whole numbers as ``int64``,
    amounts as ``float64``; ``attrs["path"]`` is the file. Raises :class:`UserFileError`
    naming the file and every problem found (missing columns; per column the rows with
    values that are not whole numbers, negative or unknown codes; duplicated keys), and
    ``FileNotFoundError`` when the file is not there. Schemas: ``data/README-user-files.md``.
    """
    schema = SCHEMAS[kind]
    path = config.user_file(path, f"{kind} file")
    data = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c, t in schema.columns.items() if not t.endswith("?") and c not in data]
    if schema.one_of and not set(schema.one_of) & set(data.columns):
        missing.append(" of ".join(schema.one_of))
    if missing:
        raise UserFileError(f"{path.name}: missing column(s) {missing}")
    for column, kind_of in schema.columns.items():
        if column in data.columns:
            values = data[column].str.strip()
            clean = kind_of.rstrip("?") in {"code", "corop"}
            data[column] = values.map(lambda v: nl.clean_code(v) if v else "") if clean else values
    try:
        pandera_schema(kind).validate(data, lazy=True)
    except SchemaErrors as exc:
        raise UserFileError(
            f"{path.name}: " + "; ".join(_messages(exc.failure_cases, schema, data))
        ) from None
    for column, kind_of in schema.columns.items():
        if column in data.columns and kind_of.rstrip("?") in {"int", "count"}:
            data[column] = data[column].astype("int64")
        elif column in data.columns and kind_of.rstrip("?") == "amount":
            data[column] = data[column].astype("float64")
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
