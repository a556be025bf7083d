"""Files an analyst supplies for the restricted sources (schemas in
``data/README-user-files.md``): read as analysts have them, validated with pandera, with
errors that name the file and the column, row or code, and placed in gemeenten or COROP regions.

**Reading** (:mod:`helpers.data.reading`): CSV with ``,`` ``;`` tab or ``|``, in UTF-8 (with or
without BOM) or Windows-1252; Excel ``.xlsx`` (first sheet, or ``file.xlsx#Sheet``); CBS
StatLine exports as downloaded (title and footer lines, quoted and padded cells, ``.``/``x``
for missing or secret values). Column names are matched ignoring case; other columns are
kept as text.

**Column kinds**: ``code`` (CBS gemeente code; ``GM0363``, ``0363``, ``363`` and ``363.0`` all
give ``GM0363``; a code of any year 2014-2025, or of an earlier merger, is known), ``corop``
(``CR23``, ``23``), ``int`` (whole number, required), ``count`` (whole number >= 0; missing
allowed), ``amount`` (number >= 0; missing allowed), ``text``; a trailing ``?`` marks an
optional column. Numbers in Dutch (``20.000``, ``12,5``) or English notation, decided per
column; an ambiguous column is refused (:func:`helpers.data.reading.parse_numbers`).

Every user file goes through :func:`load_user_file`; the checks are pandera schemas built by
:func:`pandera_schema`, and pandera's failure cases are worded for the analyst here. The
result says how it was read, which cells were missing and which year's gemeenten its codes
are (``attrs``). Place names go to gemeenten through :func:`placement` (names of any year,
CBS disambiguations, accents folded, Dutch/Frisian pairs, woonplaatsen), which names every
place it could not place; :func:`coverage` says which regions of a level and year a file
covers. :func:`file_notes` and the ``text()`` methods give the Dutch sentences the book prints.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers import config
from helpers.data import reading
from helpers.geography import nl, years


class UserFileError(ValueError):
    """A user-supplied file cannot be read or does not match its documented schema (names
    the file and every problem: column, rows, codes)."""


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

NUMBER_KINDS = ("int", "count", "amount")
# What a failed check means, in the words of the error message.
_MEANING = {
    "whole": "not a whole number",
    "count": "negative counts",
    "amount": "not a number >= 0",
    "empty": "empty",
    "not_nullable": "empty",
}


# --- codes ----------------------------------------------------------------------------------


def gemeente_code(value: object) -> str:
    """A CBS gemeente code as ``GM`` and four digits, from the forms files carry it in:
    ``GM0363``, ``'GM0363    '``, ``gm363``, ``0363``, ``363``, ``363.0`` and the number 363
    all give ``GM0363``. Empty and missing values give ``""``; anything else comes back
    stripped and in upper case (and is then an unknown code)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return f"GM{int(value):04d}"
    text = str(value).strip().upper().replace(" ", "")
    match = re.fullmatch(r"(?:GM)?(\d{1,4})(?:\.0+)?", text)
    return f"GM{int(match.group(1)):04d}" if match else text


def corop_code(value: object) -> str:
    """A CBS COROP code as ``CR`` and two digits: ``CR23``, ``cr23``, ``23``, ``23.0`` ->
    ``CR23``; empty gives ``""``, anything else comes back stripped and in upper case."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value).is_integer():
        return f"CR{int(value):02d}"
    text = str(value).strip().upper().replace(" ", "")
    match = re.fullmatch(r"(?:CR)?(\d{1,2})(?:\.0+)?", text)
    return f"CR{int(match.group(1)):02d}" if match else text


@functools.lru_cache(maxsize=1)
def _codes_by_year() -> dict[int, frozenset[str]]:
    return {year: frozenset(years.crosswalk(year)["gemeente"]) for year in years.YEARS}


def known_gemeente_codes() -> set[str]:
    """Every gemeente code of 1 January 2014-2025 (:mod:`helpers.geography.years`), and the
    old and new codes of the CBS list of municipal changes (earlier mergers)."""
    codes: set[str] = set().union(*_codes_by_year().values())
    changes = nl.gemeente_changes()
    return codes | set(changes["old"]) | set(changes["new"])


def known_corop_codes() -> set[str]:
    """The 40 COROP codes (``CR01``..``CR40``)."""
    return set(nl.corop_to_nuts3()["corop"])


def code_years(code: str) -> list[int]:
    """The years (2014-2025) in which ``code`` is a gemeente (empty for other codes)."""
    return [year for year, codes in _codes_by_year().items() if code in codes]


# --- the schema -----------------------------------------------------------------------------


def _column(kind: str) -> pa.Column:
    optional = kind.endswith("?")
    kind = kind.rstrip("?")
    checks: list[pa.Check] = []
    if kind == "code":
        known = known_gemeente_codes()
        checks.append(pa.Check(lambda s: (s == "") | s.isin(known), error="code"))
    elif kind == "corop":
        known = known_corop_codes()
        checks.append(pa.Check(lambda s: (s == "") | s.isin(known), error="corop"))
    if kind in {"code", "corop"} and not optional:
        checks.append(pa.Check(lambda s: s != "", error="empty"))
    if kind in NUMBER_KINDS:
        if kind in {"int", "count"}:
            checks.append(pa.Check(lambda s: s.isna() | (s % 1 == 0), error="whole"))
        if kind == "count":
            checks.append(pa.Check(lambda s: ~(s < 0), error="count"))
        if kind == "amount":
            checks.append(pa.Check(lambda s: s.isna() | (s >= 0), error="amount"))
        # missing counts and amounts are allowed (StatLine '.' and 'x'), missing years are not
        return pa.Column(float, checks=checks, nullable=kind != "int", required=not optional)
    return pa.Column(str, checks=checks, required=not optional)


def pandera_schema(kind: str) -> pa.DataFrameSchema:
    """The pandera schema of user files of ``kind`` (a key of :data:`SCHEMAS`), checked on
    the parsed table: codes cleaned (:func:`gemeente_code`, :func:`corop_code`), numbers as
    float (missing: NaN), text as text."""
    schema = SCHEMAS[kind]
    return pa.DataFrameSchema(
        {name: _column(k) for name, k in schema.columns.items()},
        unique=schema.unique or None,
        name=f"{kind} (user file)",
    )


def _messages(
    cases: pd.DataFrame, schema: Schema, data: pd.DataFrame, info: reading.ReadInfo
) -> list[str]:
    """pandera's failure cases (column, check, index, failure_case) as the analyst's words."""
    errors: list[str] = []
    for (column, check), group in cases.groupby(["column", "check"], sort=False, dropna=False):
        rows = info.rows_text(group["index"].dropna().astype(int))
        if check in {"code", "corop"}:
            codes = sorted(set(group["failure_case"].astype(str)))
            what = "gemeente" if check == "code" else "COROP"
            hint = "a gemeente of no year 2014-2025" if check == "code" else "not CR01 .. CR40"
            errors.append(f"unknown {what} code(s) {codes[:10]} (rows {rows}): {hint}")
        elif check in _MEANING:
            errors.append(f"column {column!r}: {_MEANING[check]} in rows {rows}")
        elif "unique" in str(check):
            if any(e.startswith("duplicate rows") for e in errors):
                continue  # pandera reports the key once per column
            duplicated = data.duplicated(subset=schema.unique, keep=False)
            shown = data.loc[duplicated, schema.unique].drop_duplicates().head(5)
            errors.append(
                f"duplicate rows for {schema.unique}: {shown.to_dict(orient='records')} "
                f"(rows {info.rows_text(np.flatnonzero(duplicated.to_numpy()))})"
            )
        else:
            errors.append(f"column {column!r}: {check} (rows {rows})")
    return errors


# --- loading --------------------------------------------------------------------------------


def _text(value: object) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def load_user_file(path: str | Path, kind: str) -> pd.DataFrame:
    """Read and validate a user-supplied file of ``kind`` (a key of :data:`SCHEMAS`): CSV or
    Excel (``file.xlsx#Sheet`` for a sheet other than the first), read as
    :func:`helpers.data.reading.read_table` reads it.

    Returns one row per data row with the documented columns (names as documented, whatever
    their case in the file) and any others as text: codes cleaned (``GM0363``, ``CR23``),
    whole numbers as ``int64`` (``Int64`` when a count is missing), amounts as ``float64``.
    ``attrs``: ``path``; ``kind``; ``reading`` (:class:`~helpers.data.reading.ReadInfo`) and
    ``read_as`` (its one-line description); ``notation`` (column -> ``Dutch``, ``English``,
    ``whole numbers`` or ``numbers``); ``missing`` (column -> line numbers of cells that were
    empty, ``.`` or ``x``: values not available or secret); with gemeente codes,
    ``gemeente_years`` (the years 2014-2025 whose gemeenten include the most of them,
    :func:`helpers.geography.years.matching_years`) and ``gemeente_year`` (the earliest).

    Raises :class:`UserFileError` naming the file and every problem found: unreadable text,
    missing columns (with the columns found and how the file was read), per column the rows
    with values that are not numbers, not whole, negative, in ambiguous or mixed notation,
    empty where required, unknown codes; duplicated keys. ``FileNotFoundError`` when the
    file is not there. Schemas: ``data/README-user-files.md``.
    """
    schema = SCHEMAS[kind]
    text_path, sheet = reading.split_sheet(path)
    found = config.user_file(text_path, f"{kind} file")
    try:
        raw = reading.read_table(found, sheet=sheet, columns=list(schema.columns))
    except reading.ReadError as exc:
        raise UserFileError(str(exc)) from None
    info: reading.ReadInfo = raw.attrs["reading"]
    name = found.name + (f"#{sheet}" if sheet else "")
    by_case = {c.casefold(): c for c in schema.columns}
    raw = raw.rename(
        columns={c: by_case[c.casefold()] for c in raw.columns if c.casefold() in by_case}
    )
    missing = [c for c, t in schema.columns.items() if not t.endswith("?") and c not in raw]
    if schema.one_of and not set(schema.one_of) & set(raw.columns):
        missing.append(" of ".join(schema.one_of))
    if missing:
        raise UserFileError(
            f"{name}: missing column(s) {missing}; columns found: {list(raw.columns)} "
            f"(read as {info.describe()})"
        )
    data = pd.DataFrame(index=raw.index)
    problems: list[str] = []
    notation: dict[str, str] = {}
    absent: dict[str, list[int]] = {}
    for column in raw.columns:
        kind_of = schema.columns.get(column, "text").rstrip("?")
        values = raw[column]
        if kind_of == "code":
            data[column] = values.map(gemeente_code).astype(str)
        elif kind_of == "corop":
            data[column] = values.map(corop_code).astype(str)
        elif kind_of in NUMBER_KINDS:
            try:
                numbers = reading.parse_numbers(
                    values,
                    file=name,
                    column=column,
                    lines=info.lines,
                    whole=kind_of in {"int", "count"},
                )
            except reading.ReadError as exc:
                problems.append(exc.problem)
                continue
            data[column] = numbers.values
            notation[column] = numbers.notation
            if numbers.missing:
                absent[column] = [info.lines[p] for p in numbers.missing]
        else:
            data[column] = values.map(_text).astype(str)
    if problems:
        raise UserFileError(f"{name}: " + "; ".join(problems))
    try:
        pandera_schema(kind).validate(data, lazy=True)
    except SchemaErrors as exc:
        raise UserFileError(
            f"{name}: " + "; ".join(_messages(exc.failure_cases, schema, data, info))
        ) from None
    for column, kind_of in schema.columns.items():
        kind_of = kind_of.rstrip("?")
        if column in data and kind_of in {"int", "count"}:
            whole = data[column].isna().any()
            data[column] = data[column].astype("Int64" if whole else "int64")
    data.attrs.update(
        path=str(found),
        kind=kind,
        reading=info,
        read_as=info.describe(),
        notation=notation,
        missing=absent,
    )
    codes = [c for c in data.get("gemeente", pd.Series(dtype=str)) if c]
    if codes:
        try:
            matching = years.matching_years(codes)
        except ValueError:  # only codes of mergers before 2014
            matching = []
        if matching:
            data.attrs.update(gemeente_years=matching, gemeente_year=matching[0])
    return data


# --- place names -> gemeenten -----------------------------------------------------------------

PROVINCE_QUALIFIERS = {
    "PV20": ("gr", "gn", "groningen"),
    "PV21": ("fr", "f", "friesland", "fryslan"),
    "PV22": ("dr", "d", "drenthe"),
    "PV23": ("o", "ov", "ovl", "overijssel"),
    "PV24": ("fl", "flevoland"),
    "PV25": ("g", "gld", "gl", "gelderland"),
    "PV26": ("u", "ut", "utr", "utrecht"),
    "PV27": ("nh", "noordholland"),
    "PV28": ("zh", "zuidholland"),
    "PV29": ("z", "zl", "zld", "zeeland"),
    "PV30": ("nb", "nbr", "noordbrabant"),
    "PV31": ("l", "lb", "li", "limburg"),
}  # CBS-style province suffixes: Hengelo (O.), Bergen (NH.), Ede Gld, Bergen L
_QUALIFIER = {q: code for code, qs in PROVINCE_QUALIFIERS.items() for q in qs}
_GEMEENTE_QUALIFIERS = {"gemeente", "gem"}
_SMALL_PIECE = 0.05  # a piece of an old gemeente below this weight does not make it a candidate


def fold(name: object) -> str:
    """Comparison key of a place name: accents folded (not dropped: ``Súdwest-Fryslân`` and
    ``Sudwest Fryslan`` give the same key), case, spaces, hyphens, dots and apostrophes
    ignored, ``St.`` read as ``Sint`` (``'s-Gravenhage`` -> ``sgravenhage``)."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"^st[.\s-]+", "sint ", text.strip())
    return re.sub(r"[^0-9a-z]", "", text)


def split_qualifier(name: object) -> tuple[str, str | None, bool]:
    """(base name, provincie code or None, gemeente only) of a place name with a CBS-style
    disambiguation: ``Hengelo (O.)`` -> (``Hengelo``, ``PV23``, False), ``Bergen NH`` ->
    (``Bergen``, ``PV27``, False), ``Utrecht (gemeente)`` -> (``Utrecht``, None, True); a
    parenthesis that is not a province or ``gemeente`` is dropped from the base."""
    text = " ".join(str(name).split())
    if match := re.fullmatch(r"(.+?)\s*\(([^)]*)\)", text):
        base, qualifier = match.group(1), fold(match.group(2))
        if qualifier in _GEMEENTE_QUALIFIERS:
            return base, None, True
        return base, _QUALIFIER.get(qualifier), False
    if (match := re.fullmatch(r"(.+?)[\s,]+([A-Za-z]{1,3})\.?", text)) and fold(
        match.group(2)
    ) in _QUALIFIER:
        return match.group(1), _QUALIFIER[fold(match.group(2))], False
    return text, None, False


@dataclass(frozen=True)
class Unplaced:
    """A place name (or code) that could not be placed in a gemeente of the year asked for."""

    name: str  # as in the file (its first spelling)
    rows: tuple[int, ...]  # lines (CSV) or rows (Excel) of the file where it occurs
    reason: str  # "unknown", "ambiguous" (several gemeenten), "divided" (gemeente later divided
    # or formed from several), "empty" (neither code nor place)
    candidates: tuple[str, ...] = ()  # gemeente names it could be

    def text(self) -> str:
        """Dutch: ``Bergen (regel 4; kan liggen in Bergen (L.) of Bergen (NH.))``."""
        word = "regel" if len(self.rows) == 1 else "regels"
        rows = ", ".join(map(str, self.rows[:5])) + (" e.a." if len(self.rows) > 5 else "")
        options = _join_nl(list(self.candidates), "of")
        why = {
            "unknown": "onbekende plaats of code",
            "ambiguous": f"kan liggen in {options}",
            "divided": f"gemeente is later heringedeeld; kan liggen in {options}",
            "empty": "geen gemeente of plaats ingevuld",
        }[self.reason]
        return f"{self.name or '(leeg)'} ({word} {rows}; {why})"


def _join_nl(items: list[str], last: str = "en") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass
class Placement:
    """Result of :func:`placement`: a gemeente code per row and every name not placed."""

    year: int  # the gemeenten the codes are of (1 January)
    codes: pd.Series  # gemeente code per row (string dtype, NA where not placed)
    unplaced: list[Unplaced]  # one per distinct name, most rows first
    via: dict[str, str] = field(default_factory=dict)  # name -> how it was placed

    @property
    def n_unplaced(self) -> int:
        """Rows without a gemeente."""
        return int(self.codes.isna().sum())

    def names(self) -> list[str]:
        """The names (or codes) that could not be placed, most rows first."""
        return [u.name for u in self.unplaced]

    def text(self) -> str:
        """Dutch, for the book: every name not placed with its rows and why, or ``geen``."""
        return "; ".join(u.text() for u in self.unplaced) or "geen"


@functools.cache
def _change(year_a: int, year_b: int) -> pd.DataFrame:
    return years.change_table(year_a, year_b)


@functools.cache
def _names(year: int) -> pd.Series:
    return years.names(year).set_index("code")["name"]


@functools.cache
def _population(code: str, from_year: int) -> float:
    """Inhabitants of gemeente ``code`` in the first year from ``from_year`` on (2017 at the
    earliest: the crosswalk has no population before) in which it exists; NaN if none."""
    for year in years.YEARS:
        if year >= max(from_year, 2017):
            walk = _crosswalk(year)
            if code in walk.index:
                return float(walk.at[code, "population"])
    return float("nan")


@functools.cache
def _crosswalk(year: int) -> pd.DataFrame:
    return years.crosswalk(year).set_index("gemeente")


def convert_code(
    code: str, from_year: int, to_year: int, inhabitants: float | None = None
) -> tuple[str | None, list[str]]:
    """The gemeente of 1 January ``to_year`` that gemeente ``code`` of ``from_year`` lies in:
    (code, []) when there is one, else (None, names of the gemeenten of ``to_year`` it could
    be: a gemeente divided later on, or, going back in time, one formed from several).

    Going back in time, pieces under 5% of an old gemeente are ignored, and with
    ``inhabitants`` (of a place in ``code``) an old gemeente whose piece had fewer than 80% of
    them (piece weight times its population, 2017 or later) cannot hold the place: Bolsward
    (about 10,000 inhabitants) lies in the Súdwest-Fryslân of 2016, not in the part of
    Littenseradiel that joined it in 2018."""
    if from_year == to_year:
        return code, []
    if from_year < to_year:
        rows = _change(from_year, to_year)
        found = sorted(set(rows.loc[rows["code_a"] == code, "code_b"]))
    else:
        rows = _change(to_year, from_year)
        rows = rows[rows["code_b"] == code]
        large = rows[rows["weight"] >= _SMALL_PIECE]
        rows = large if len(large) else rows
        if inhabitants and len(set(rows["code_a"])) > 1:
            pieces = rows["weight"] * rows["code_a"].map(lambda c: _population(c, to_year))
            fits = rows[~(pieces < 0.8 * inhabitants)]  # unknown population: keep
            rows = fits if len(fits) else rows
        found = sorted(set(rows["code_a"]))
    if len(found) == 1:
        return found[0], []
    names = _names(to_year)
    return None, sorted(str(names.get(c, c)) for c in found)


@functools.cache
def _woonplaatsen() -> pd.DataFrame:
    """Processed ``nl/woonplaats_gemeente_2021.csv`` with ``code``, ``code_year`` (2021;
    2020 for Haaren, divided on 1 January 2021), ``provincie`` (code) and ``key`` (base name
    folded) added."""
    table = pd.read_csv(
        config.data_file("processed", "nl", "woonplaats_gemeente_2021.csv"),
        dtype={"woonplaats": str, "gemeente_naam": str, "provincie_naam": str},
    )
    codes = {}
    for year in (2021, 2020):
        for code, name in _names(year).items():
            codes.setdefault(fold(name), (code, year))
    found = table["gemeente_naam"].map(lambda n: codes.get(fold(n)))
    unknown = sorted(set(table.loc[found.isna(), "gemeente_naam"]))
    if unknown:
        raise ValueError(
            f"woonplaats_gemeente_2021.csv: gemeenten not among those of 2020-2021: {unknown}"
        )
    provinces = nl.PROVINCES.set_index("name")["provincie"]
    return table.assign(
        code=[c for c, _ in found],
        code_year=[y for _, y in found],
        provincie=table["provincie_naam"].map(provinces),
        key=table["woonplaats"].map(lambda n: fold(split_qualifier(n)[0])),
    )


@functools.lru_cache(maxsize=1)
def _frisian() -> dict[str, str]:
    """Folded name -> the other language's name (``data/nl/frisian_names.csv``)."""
    table = pd.read_csv(config.data_file("nl", "frisian_names.csv"), dtype=str)
    pairs = {fold(a): b for a, b in zip(table["nl"], table["fy"], strict=True)}
    pairs.update({fold(b): a for a, b in zip(table["nl"], table["fy"], strict=True)})
    return pairs


@functools.lru_cache(maxsize=1)
def _gemeenten() -> pd.DataFrame:
    """Every gemeente of 2014-2025 by year: year, code, provincie, keys of name and title
    (full and without the CBS disambiguation)."""
    rows = []
    for year in years.YEARS:
        walk = years.crosswalk(year)
        for code, name, title, province in zip(
            walk["gemeente"], walk["name"], walk["title"], walk["provincie"], strict=True
        ):
            for text in {name, title} - {None} if pd.notna(title) else {name}:
                rows.append((year, code, province, fold(text), fold(split_qualifier(text)[0])))
    return pd.DataFrame(rows, columns=["year", "code", "provincie", "full", "base"])


@functools.lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    """Folded alias (``data/nl/place_aliases.csv``) -> gemeente code of 2016."""
    table = nl.aliases()
    by_name = {fold(n): c for c, n in _names(nl.PLACE_YEAR).items()}
    return {
        fold(p): by_name[fold(g)]
        for p, g in zip(table["plaats"], table["gemeente_naam"], strict=True)
        if fold(g) in by_name
    }


def _resolve(
    candidates: Iterable[tuple[str, int, float | None]], year: int
) -> tuple[str | None, list[str]]:
    """The one gemeente of ``year`` that (code, code's year, inhabitants of the place or
    None) candidates lie in, or the names of the gemeenten they could be."""
    codes: set[str] = set()
    options: set[str] = set()
    for code, from_year, inhabitants in candidates:
        found, could = convert_code(code, int(from_year), year, inhabitants)
        if found:
            codes.add(found)
        options.update(could)
    if len(codes) == 1 and not options:
        return codes.pop(), []
    names = _names(year)
    return None, sorted(options | {str(names.get(c, c)) for c in codes})


def place_name(
    name: str, year: int, *, woonplaatsen: bool = True
) -> tuple[str | None, str, list[str]]:
    """The gemeente of 1 January ``year`` a place name lies in: (code or None, how or why
    not, candidates). Tried in this order, accents, case and punctuation ignored (:func:`fold`):
    a gemeente name or StatLine title of ``year`` (``Hengelo (O.)``, ``Utrecht (gemeente)``);
    the hand-kept aliases (``data/nl/place_aliases.csv``: Den Haag, Den Bosch); a gemeente
    name of ``year`` without its disambiguation, limited to the province of a CBS-style
    suffix (``Bergen NH``); a gemeente name of another year 2014-2025, followed to ``year``
    (``Veghel`` -> Meierijstad from 2017); with ``woonplaatsen``, a woonplaats of the CBS PC4
    table of 2021 (``Rosmalen`` -> 's-Hertogenbosch; a gemeente name wins over a woonplaats:
    ``Laren`` is the gemeente in Noord-Holland); then the same with the Dutch or Frisian
    name (``data/nl/frisian_names.csv``: ``Snits`` = Sneek). How: ``gemeente``, ``alias``,
    ``former gemeente``, ``woonplaats`` (``, Frisian/Dutch`` appended); why not:
    ``unknown``, ``ambiguous`` or ``divided`` with the candidate gemeenten."""
    year = int(year)
    tried = [(name, "")]
    other = _frisian().get(fold(name)) or _frisian().get(fold(split_qualifier(name)[0]))
    if other:
        tried.append((other, ", Frisian/Dutch"))
    why, options = "unknown", []
    for text, note in tried:
        code, how, could = _place_once(text, year, woonplaatsen)
        if code:
            return code, how + note, []
        if could and not options:
            why, options = how, could
    return None, why, options


def _place_once(name: str, year: int, woonplaatsen: bool) -> tuple[str | None, str, list[str]]:
    full = fold(name)
    base_text, province, gemeente_only = split_qualifier(name)
    base = fold(base_text)
    if not full:
        return None, "unknown", []
    table = _gemeenten()
    here = table[table["year"] == year]
    exact = set(here.loc[here["full"] == full, "code"])
    if len(exact) == 1:
        return exact.pop(), "gemeente", []
    alias = _aliases().get(full)
    if alias and not gemeente_only:
        code, could = convert_code(alias, nl.PLACE_YEAR, year)
        if code:
            return code, "alias", []
    same = here[here["base"] == base]
    if province:
        same = same[same["provincie"] == province]
    codes = sorted(set(same["code"]))
    if len(codes) == 1:
        return codes[0], "gemeente", []
    if len(codes) > 1:
        names = _names(year)
        return None, "ambiguous", sorted(str(names.get(c, c)) for c in codes)
    other = table[(table["year"] != year) & ((table["full"] == full) | (table["base"] == base))]
    if province:
        other = other[other["provincie"] == province]
    if len(other):
        found = {(c, y, None) for c, y in zip(other["code"], other["year"], strict=True)}
        code, could = _resolve(found, year)
        if code:
            return code, "former gemeente", []
        if could:
            return None, "divided", could
    if woonplaatsen and not gemeente_only:
        places = _woonplaatsen()
        places = places[places["key"] == base]
        if province:
            places = places[places["provincie"] == province]
        if len(places):
            pairs = set(
                zip(
                    places["code"],
                    places["code_year"],
                    places["inwoners"].astype(float),
                    strict=True,
                )
            )
            code, could = _resolve(pairs, year)
            if code:
                return code, "woonplaats", []
            kind = "ambiguous" if len({c for c, _, _ in pairs}) > 1 else "divided"
            return None, kind, could
    return None, "unknown", []


def place_code(code: str, year: int) -> tuple[str | None, str, list[str]]:
    """A gemeente code of any year 2014-2025 (or of an earlier merger) as a gemeente of
    ``year``: (code or None, how or why not, candidates) as :func:`place_name`."""
    if code in _codes_by_year().get(int(year), ()):
        return code, "code", []
    found = code_years(code)
    if not found:  # an old code of the CBS change list: follow the mergers
        if code in known_gemeente_codes():
            recoded = nl.recode_gemeenten(pd.Series([code]), 2000, 2014).iloc[0]
            found, code = ([2014], recoded) if recoded in _codes_by_year()[2014] else ([], code)
        if not found:
            return None, "unknown", []
    start = max((y for y in found if y <= year), default=min(found))
    result, could = convert_code(code, start, int(year))
    if result:
        return result, "code of another year", []
    return None, "divided", could


def placement(data: pd.DataFrame, year: int = nl.PLACE_YEAR) -> Placement:
    """A gemeente of 1 January ``year`` for each row of a user file with a ``gemeente``
    (code) and/or ``plaats`` (name) column: the code where filled (a code of another year is
    followed to ``year`` through the municipal changes), else the place
    (:func:`place_name`). Every distinct code or name that gets no gemeente is in
    :attr:`Placement.unplaced` with its file rows (from ``attrs["reading"]``) and why; rows
    with neither are there as ``(leeg)``."""
    year = int(year)
    index = data.index
    codes = data["gemeente"] if "gemeente" in data else pd.Series("", index=index)
    codes = codes.fillna("").astype(str)
    places = data["plaats"] if "plaats" in data else pd.Series("", index=index)
    places = places.fillna("").astype(str).str.strip()
    lines = _lines_of(data)
    result = pd.Series(pd.NA, index=index, dtype="string")
    failed: dict[tuple[str, str], list[int]] = {}
    why: dict[tuple[str, str], tuple[str, list[str]]] = {}
    via: dict[str, str] = {}
    cache: dict[tuple[str, str], tuple[str | None, str, list[str]]] = {}
    for position, (label, code, place) in enumerate(zip(index, codes, places, strict=True)):
        key = ("code", code) if code else ("place", place) if place else ("empty", "")
        if key not in cache:
            if key[0] == "code":
                cache[key] = place_code(code, year)
            elif key[0] == "place":
                cache[key] = place_name(place, year)
            else:
                cache[key] = (None, "empty", [])
        found, how, could = cache[key]
        row = lines.get(label, position + 2)
        if found:
            result.iloc[position] = found
            if key[0] == "place":
                via[place] = how
        else:
            failed.setdefault(key, []).append(row)
            why[key] = (how, could)
    unplaced = [
        Unplaced(key[1], tuple(rows), why[key][0], tuple(why[key][1]))
        for key, rows in sorted(failed.items(), key=lambda item: (-len(item[1]), item[0][1]))
    ]
    return Placement(year=year, codes=result, unplaced=unplaced, via=via)


def _lines_of(data: pd.DataFrame) -> dict[object, int]:
    """Row label -> line (CSV) or row (Excel) in the file, for a table from
    :func:`load_user_file` (or rows of it: labels are the positions in the file's data)."""
    info = data.attrs.get("reading")
    if info is None:
        return {}
    return {
        label: info.lines[label]
        for label in data.index
        if isinstance(label, (int, np.integer)) and 0 <= label < len(info.lines)
    }


def gemeente_of(data: pd.DataFrame, year: int = nl.PLACE_YEAR) -> pd.Series:
    """Gemeente code (of 1 January ``year``) per row: the ``gemeente`` column where filled,
    else the gemeente of the ``plaats``; NA where neither gives one. The names that could
    not be placed are in :func:`placement` (and in the result's ``attrs["unplaced"]``, a
    list of :class:`Unplaced`)."""
    placed = placement(data, year)
    codes = placed.codes
    codes.attrs["unplaced"] = placed.unplaced
    return codes


# --- coverage -----------------------------------------------------------------------------------

LEVEL_WORDS = {
    "gemeente": ("gemeente", "gemeenten"),
    "corop": ("COROP-regio", "COROP-regio's"),
    "provincie": ("provincie", "provincies"),
}


@dataclass(frozen=True)
class Coverage:
    """Which regions of a level and year a file covers (result of :func:`coverage`)."""

    level: str
    year: int
    covered: tuple[str, ...]  # region codes with data, sorted
    without: tuple[str, ...]  # region codes without data, sorted
    names: dict[str, str] = field(repr=False, default_factory=dict)  # code -> name
    outside: tuple[str, ...] = ()  # codes in the data that are no region of level and year

    @property
    def total(self) -> int:
        """Regions of the level in the year."""
        return len(self.covered) + len(self.without)

    @property
    def complete(self) -> bool:
        """Every region has data."""
        return not self.without

    def text(self, max_names: int = 20) -> str:
        """Dutch, for the book next to what it affects: ``Het bestand dekt 20 van de 40
        COROP-regio's (indeling 2016); zonder gegevens: Achterhoek, ... en 10 andere.``
        or ``Het bestand dekt alle 40 COROP-regio's (indeling 2016).``"""
        one, many = LEVEL_WORDS[self.level]
        if self.complete:
            text = f"Het bestand dekt alle {self.total} {many} (indeling {self.year})."
        else:
            names = sorted(self.names.get(c, c) for c in self.without)
            shown = names[:max_names]
            rest = len(names) - len(shown)
            listed = ", ".join(shown) + (f" en {rest} andere" if rest else "")
            text = (
                f"Het bestand dekt {len(self.covered)} van de {self.total} {many} (indeling "
                f"{self.year}); zonder gegevens: {listed}."
            )
        if self.outside:
            text += f" Codes die geen {one} van {self.year} zijn: {', '.join(self.outside)}."
        return text


def coverage(codes: Iterable[object], level: str, year: int) -> Coverage:
    """Which regions of ``level`` (``gemeente``, ``corop``, ``provincie``) on 1 January
    ``year`` (2014-2025) the region codes of a file cover (missing values ignored), with the
    names of the year (:func:`helpers.geography.years.crosswalk`). Raises ``ValueError`` for
    an unknown level and ``UnknownParameterError`` (a ``ValueError``) for another year."""
    if level not in LEVEL_WORDS:
        raise ValueError(f"Unknown level {level!r}; levels: {', '.join(LEVEL_WORDS)}")
    walk = years.crosswalk(year)
    label = "name" if level == "gemeente" else f"{level}_name"
    names = dict(zip(walk[level], walk[label], strict=True))
    given = {str(c) for c in codes if pd.notna(c) and str(c)}
    return Coverage(
        level=level,
        year=int(year),
        covered=tuple(sorted(given & set(names))),
        without=tuple(sorted(set(names) - given)),
        names=names,
        outside=tuple(sorted(given - set(names))),
    )


# --- notes for the book ---------------------------------------------------------------------


def file_notes(data: pd.DataFrame, key: str | None = None) -> list[str]:
    """Dutch sentences on how a loaded user file was read, for the book: a StatLine layout or
    another delimiter or encoding than comma and UTF-8, number notation other than plain, and
    every cell that was missing (``.``, ``x`` or empty) named by its row's ``key`` column (e.g.
    ``gemeente``) or line. Empty when there is nothing to say."""
    info: reading.ReadInfo | None = data.attrs.get("reading")
    notes: list[str] = []
    if info is None:
        return notes
    name = info.name
    if info.statline:
        notes.append(
            f"{name} is gelezen als CBS StatLine-export "
            f"(titel- en voetregels overgeslagen: {', '.join(map(str, info.skipped_before + info.skipped_after))})."
        )
    if info.format == "csv" and (
        info.delimiter != "," or info.encoding not in {"utf-8", "utf-8-sig"}
    ):
        delimiter = {"\t": "tab", ";": "puntkomma", ",": "komma", "|": "'|'"}[info.delimiter or ","]
        notes.append(f"{name}: scheidingsteken {delimiter}, tekenset {info.encoding}.")
    if info.format != "csv":
        notes.append(f"{name}: Excel-werkblad {info.sheet!r}.")
    for column, notation in data.attrs.get("notation", {}).items():
        if notation in {"Dutch", "English"}:
            word = "Nederlandse" if notation == "Dutch" else "Engelse"
            notes.append(f"{name}, kolom {column}: getallen in {word} notatie gelezen.")
    label_of = {line: label for label, line in _lines_of(data).items()}
    for column, rows in data.attrs.get("missing", {}).items():
        rows = [r for r in rows if r in label_of]  # rows still in the table
        if not rows:
            continue
        if key and key in data:
            labels = [str(data.loc[label_of[r], key]) for r in rows]
        else:
            labels = [f"regel {r}" for r in rows]
        notes.append(
            f"{name}, kolom {column}: geen waarde (leeg, '.' of 'x': onbekend of geheim) "
            f"voor {', '.join(labels)}."
        )
    return notes
