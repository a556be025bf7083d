"""Reading the files analysts have: CSV and Excel tables as they come out of Excel, a database
or CBS StatLine, into a table of cells with the line (or sheet row) of every row kept, so that
every later error can name the file, the row and the column.

- **CSV**: encoding detected (a BOM: UTF-8 or UTF-16; else UTF-8 if the bytes are valid UTF-8,
  else Windows-1252, the encoding of Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)");
  delimiter ``,`` ``;`` tab or ``|`` found by :class:`csv.Sniffer` and checked against the
  header (the expected column names decide when the sniffer is unsure); quoted fields read
  by :mod:`csv`.
- **Excel**: ``.xlsx``/``.xlsm`` through openpyxl, the first sheet or the one named after
  ``#`` (``cis.xlsx#Blad2``); cached values of formulas; number cells stay numbers. ``.xls``
  (Excel 97-2003) only when the package ``xlrd`` is installed, else an error saying to save the
  file as ``.xlsx``. The format is taken from the file's first bytes, not from its name.
- **CBS StatLine exports** (title line(s) above the header, a copyright or source line below
  the data, quoted and space-padded cells, ``.`` for "not available" and ``x`` for "secret"):
  read as downloaded; the lines skipped are reported (:attr:`ReadInfo.skipped_before`,
  :attr:`ReadInfo.skipped_after`). :data:`MISSING` are the cell values that mean "no value".
- **Numbers** (:func:`parse_numbers`): Dutch (``20.000``, ``12,5``, ``1.234,5``) and English
  (``20,000``, ``12.5``) notation, decided per column; a column whose notation is ambiguous is
  refused, never silently scaled.

Every failure is a :class:`ReadError` naming the file and, where known, the line and column.
"""

from __future__ import annotations

import codecs
import csv
import importlib.util
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

DELIMITERS = ",;\t|"
MISSING = frozenset({"", ".", "x", "X"})  # empty; StatLine: '.' not available, 'x' secret
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_SNIFF_LINES = 50  # lines the delimiter is detected from
_HEADER_SEARCH = 30  # lines searched for the header row
_DELIMITER_NAMES = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}


class ReadError(ValueError):
    """A file could not be read or parsed. ``str()`` is ``"<file name>: <problem>"``;
    ``file`` and ``problem`` are kept apart so that several problems of one file can be
    reported together."""

    def __init__(self, file: str, problem: str) -> None:
        super().__init__(f"{file}: {problem}")
        self.file = file
        self.problem = problem


@dataclass(frozen=True)
class ReadInfo:
    """How a file was read (``attrs["reading"]`` of :func:`read_table`'s result)."""

    path: str
    format: str  # "csv", "xlsx" or "xls"
    encoding: str | None = None  # CSV: "utf-8-sig" (BOM), "utf-8", "utf-16" or "cp1252"
    delimiter: str | None = None  # CSV
    delimiter_by: str | None = None  # "csv.Sniffer" or "header" (the expected column names)
    sheet: str | None = None  # Excel: the sheet read
    header_line: int = 1  # line (CSV) or sheet row (Excel) of the column names
    skipped_before: tuple[int, ...] = ()  # title lines above the header
    skipped_after: tuple[int, ...] = ()  # footer lines below the data
    lines: tuple[int, ...] = field(default=(), repr=False)  # line/row of each data row

    @property
    def name(self) -> str:
        """The file's name."""
        return Path(self.path).name

    @property
    def row_word(self) -> str:
        """What a row number counts: ``line`` (CSV) or ``row`` (Excel sheet)."""
        return "line" if self.format == "csv" else "row"

    @property
    def statline(self) -> bool:
        """Whether title or footer lines were skipped (the layout of a CBS StatLine export)."""
        return bool(self.skipped_before or self.skipped_after)

    def describe(self) -> str:
        """One line: format, encoding, delimiter (and how it was found), sheet, skipped
        lines; e.g. ``CSV, encoding cp1252, delimiter ';' (csv.Sniffer)``."""
        if self.format == "csv":
            parts = [
                f"CSV, encoding {self.encoding}, delimiter "
                f"{_DELIMITER_NAMES.get(self.delimiter or '', repr(self.delimiter))} "
                f"({self.delimiter_by})"
            ]
        else:
            parts = [f"Excel ({self.format}), sheet {self.sheet!r}"]
        if self.statline:
            skipped = []
            if self.skipped_before:
                skipped.append(f"title {_plural(self.row_word, self.skipped_before)}")
            if self.skipped_after:
                skipped.append(f"footer {_plural(self.row_word, self.skipped_after)}")
            parts.append(f"CBS StatLine export layout: {' and '.join(skipped)} skipped")
        return "; ".join(parts)

    def rows_text(self, positions: Iterable[int], limit: int = 10) -> str:
        """Line (CSV) or row (Excel) numbers of the data rows at ``positions`` (0-based),
        ``"2, 3"``; at most ``limit`` numbers, then how many more."""
        numbers = sorted({self.lines[int(p)] for p in positions})
        text = ", ".join(map(str, numbers[:limit]))
        if len(numbers) > limit:
            text += f" and {len(numbers) - limit} more"
        return text


def _plural(word: str, numbers: Sequence[int]) -> str:
    return f"{word}{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))}"


# --- files -> cells ---------------------------------------------------------------------------


def split_sheet(path: str | Path) -> tuple[str, str | None]:
    """``"cis.xlsx#Blad2"`` -> ``("cis.xlsx", "Blad2")``; any other path -> ``(path, None)``
    (a ``#`` in a name that is not an Excel file's is part of the name)."""
    text = str(path)
    head, sep, sheet = text.rpartition("#")
    if sep and head.lower().endswith(EXCEL_SUFFIXES) and not Path(text).exists():
        return head, sheet
    return text, None


def read_table(
    path: str | Path, *, sheet: str | None = None, columns: Iterable[str] = ()
) -> pd.DataFrame:
    """The table in the CSV or Excel file ``path``: one column per header cell (names
    stripped; blank names become ``column <n>``), one row per data line, cells as text
    (stripped of nothing: padding is the caller's to clean) or, from Excel number cells, as
    numbers; empty cells ``""``. Blank lines are skipped.

    ``columns``: the column names expected; they find the header line below StatLine's title
    lines (the first of the first 30 lines holding the most of them, case ignored; the first
    line with two or more cells when none holds any) and settle the delimiter when the sniffer
    is unsure. ``sheet``: the Excel sheet (default: the first; ``path#sheet`` works too).

    ``attrs["reading"]`` is a :class:`ReadInfo` (encoding, delimiter, skipped title/footer
    lines, and the line of every data row for messages). Raises :class:`ReadError` naming the
    file and, where known, the line: text that is neither UTF-8 nor Windows-1252, no line with
    two cells, a data line with more cells than the header, duplicated column names, an
    unknown sheet (listing the sheets), an ``.xls`` file without ``xlrd``; and
    ``FileNotFoundError`` when there is no file."""
    text_path, named = split_sheet(path)
    path = Path(text_path)
    sheet = sheet or named
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    head = path.read_bytes()[:8]
    if head.startswith(b"PK\x03\x04"):
        info, rows = _xlsx_rows(path, sheet)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        info, rows = _xls_rows(path, sheet)
    else:
        info, rows = _csv_rows(path, list(columns))
    return _table(path, info, rows, list(columns))


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if raw.startswith(bom):
            try:
                return encoding, raw.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(path.name, f"not valid {encoding} text ({exc.reason})") from None
    for encoding in ("utf-8", "cp1252"):
        try:
            return encoding, raw.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    line = raw[: error.start].count(b"\n") + 1
    raise ReadError(
        path.name,
        f"line {line}: byte 0x{raw[error.start]:02x} is neither UTF-8 nor Windows-1252 text; "
        "save the file as CSV UTF-8",
    )


def _records(text: str, delimiter: str, name: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) of each record, by :mod:`csv` (quotes, embedded delimiters)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, line = [], 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(name, f"line {reader.line_num}: {exc}") from None
    return records


def _header_score(records: list[tuple[int, list[str]]], expected: set[str]) -> int:
    return max(
        (len({c.strip().casefold() for c in cells} & expected) for _, cells in records),
        default=0,
    )


def _csv_rows(path: Path, columns: list[str]) -> tuple[ReadInfo, list[tuple[int, list]]]:
    encoding, text = _decode(path, path.read_bytes())
    text = text.lstrip("\ufeff")
    sample = "\n".join([line for line in text.splitlines() if line.strip()][:_SNIFF_LINES])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    expected = {c.casefold() for c in columns}
    head = "\n".join(text.splitlines()[:_HEADER_SEARCH])
    scores = {d: _header_score(_records(head, d, path.name), expected) for d in DELIMITERS}
    if sniffed is not None and scores[sniffed] >= max(scores.values()):
        delimiter, by = sniffed, "csv.Sniffer"
    elif max(scores.values()) > 0:
        delimiter, by = max(scores, key=lambda d: scores[d]), "header"
    else:  # no expected column anywhere: the delimiter giving the most cells in a line
        widths = {
            d: max((len(c) for _, c in _records(head, d, path.name)), default=0) for d in DELIMITERS
        }
        delimiter = sniffed or max(widths, key=lambda d: widths[d])
        by = "csv.Sniffer" if sniffed else "most cells per line"
    records = _records(text, delimiter, path.name)
    info = ReadInfo(str(path), "csv", encoding=encoding, delimiter=delimiter, delimiter_by=by)
    return info, records


def _cell(value: object) -> object:
    """An Excel cell as text, or as a number for number cells."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float, np.integer, np.floating)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _choose_sheet(path: Path, names: list[str], sheet: str | None) -> str:
    if sheet is None:
        return names[0]
    if sheet not in names:
        raise ReadError(path.name, f"no sheet {sheet!r}; sheets: {', '.join(map(repr, names))}")
    return sheet


def _xlsx_rows(path: Path, sheet: str | None) -> tuple[ReadInfo, list[tuple[int, list]]]:
    import openpyxl

    try:
        with path.open("rb") as handle:  # a file object: openpyxl checks no file name suffix
            book = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True, data_only=True)
    except Exception as exc:  # zip or XML errors: name the file
        raise ReadError(path.name, f"not a readable Excel workbook ({exc})") from None
    try:
        name = _choose_sheet(path, book.sheetnames, sheet)
        rows = [
            (number, [_cell(v) for v in values])
            for number, values in enumerate(book[name].iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    return ReadInfo(str(path), "xlsx", sheet=name), rows


def _xls_rows(path: Path, sheet: str | None) -> tuple[ReadInfo, list[tuple[int, list]]]:
    if importlib.util.find_spec("xlrd") is None:
        raise ReadError(
            path.name,
            "an Excel 97-2003 workbook (.xls), which needs the package xlrd (not installed): "
            "open it in Excel and save it as .xlsx or as CSV",
        )
    names = list(pd.ExcelFile(path, engine="xlrd").sheet_names)
    name = _choose_sheet(path, names, sheet)
    frame = pd.read_excel(path, sheet_name=name, header=None, dtype=object, engine="xlrd")
    rows = [
        (number, [_cell(None if pd.isna(v) else v) for v in values])
        for number, values in enumerate(frame.itertuples(index=False), start=1)
    ]
    return ReadInfo(str(path), "xls", sheet=name), rows


def _filled(cells: list) -> int:
    return sum(1 for c in cells if str(c).strip())


def _is_footer(cells: list) -> bool:
    """A line below the data that is not data: one filled cell with words in it (StatLine's
    ``© Centraal Bureau voor de Statistiek, ...`` or ``Bron: CBS``), not a lone code."""
    if _filled(cells) != 1:
        return False
    text = next(str(c).strip() for c in cells if str(c).strip())
    return bool(re.search(r"\s", text)) or len(text) > 40 or text.startswith("©")


def _table(path: Path, info: ReadInfo, rows: list[tuple[int, list]], columns: list[str]):
    rows = [(line, cells) for line, cells in rows if _filled(cells)]
    if not rows:
        raise ReadError(path.name, "the file is empty")
    wide = [i for i, (_, cells) in enumerate(rows) if _filled(cells) >= 2]
    if not wide:
        tried = ", ".join(_DELIMITER_NAMES[d] for d in DELIMITERS)
        raise ReadError(
            path.name,
            "no line with two or more columns"
            + (f" (delimiters tried: {tried})" if info.format == "csv" else ""),
        )
    expected = {c.casefold() for c in columns}
    header = wide[0]
    if expected:
        scores = [
            (len({str(c).strip().casefold() for c in cells} & expected), -i)
            for i, (_, cells) in enumerate(rows[:_HEADER_SEARCH])
        ]
        best, position = max(scores)
        if best > 0:
            header = -position
    header_line, header_cells = rows[header]
    names = [str(c).strip().lstrip("\ufeff") for c in header_cells]
    while names and not names[-1]:
        names.pop()
    names = [n or f"column {i + 1}" for i, n in enumerate(names)]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ReadError(
            path.name, f"{info.row_word} {header_line}: column names {duplicated} appear twice"
        )
    width = len(names)
    body = rows[header + 1 :]
    end = len(body)
    while end and _is_footer(body[end - 1][1]):
        end -= 1
    data, lines = [], []
    for line, cells in body[:end]:
        if any(str(c).strip() for c in cells[width:]):
            used = max(i for i, c in enumerate(cells) if str(c).strip()) + 1
            raise ReadError(
                path.name,
                f"{info.row_word} {line} has {used} cells where the header "
                f"({info.row_word} {header_line}) has {width}: a delimiter inside an unquoted "
                "value? Put such values in quotes",
            )
        data.append(list(cells[:width]) + [""] * (width - len(cells)))
        lines.append(line)
    table = pd.DataFrame(data, columns=names, dtype=object)
    table.attrs["reading"] = replace(
        info,
        header_line=header_line,
        skipped_before=tuple(line for line, _ in rows[:header]),
        skipped_after=tuple(line for line, _ in body[end:]),
        lines=tuple(lines),
    )
    return table


def text_records(path: str | Path) -> tuple[list[str], list[dict[str, str]]]:
    """The column names and rows (``{column: text}``, cells stripped, Excel numbers as text
    without a trailing ``.0``) of a CSV or Excel file, read as :func:`read_table` reads it;
    for checks that only look at values (e.g. which years a file has)."""
    table = read_table(path)
    rows = [
        {column: _as_text(value) for column, value in record.items()}
        for record in table.to_dict(orient="records")
    ]
    return list(table.columns), rows


def _as_text(value: object) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


# --- numbers ----------------------------------------------------------------------------------

_SIGN = r"[+-]?"
_PLAIN = re.compile(rf"{_SIGN}\d+")
_ONE = re.compile(rf"{_SIGN}(\d*)([.,])(\d+)")  # one separator: a decimal mark or one group
_GROUPS = re.compile(rf"{_SIGN}[1-9]\d{{0,2}}(?:([.,])\d{{3}})(?:\1\d{{3}})+")  # 1.234.567
_FULL = re.compile(rf"{_SIGN}[1-9]\d{{0,2}}(?:([.,])\d{{3}})+([.,])\d+")  # 1.234,5 / 1,234.5
_SCIENTIFIC = re.compile(rf"{_SIGN}\d+(?:([.,])\d+)?[eE][+-]?\d+")


@dataclass(frozen=True)
class Numbers:
    """Result of :func:`parse_numbers`."""

    values: pd.Series  # float64, NaN where missing
    notation: str  # "whole numbers", "Dutch", "English", "numbers" (Excel number cells only)
    missing: list[int]  # positions (0-based) of cells in MISSING


def _kind(text: str) -> tuple[str, str | None]:
    """(kind, separator): ``plain``; ``decimal`` (an unambiguous decimal mark ``sep``);
    ``thousands`` (``sep`` unambiguously groups thousands); ``full`` (``sep`` groups,
    the other is the decimal mark); ``ambiguous`` (one ``sep`` followed by exactly three
    digits: ``1.000``); ``bad``."""
    if _PLAIN.fullmatch(text):
        return "plain", None
    if match := _GROUPS.fullmatch(text):
        return "thousands", match.group(1)
    if (match := _FULL.fullmatch(text)) and match.group(1) != match.group(2):
        return "full", match.group(1)
    if match := _ONE.fullmatch(text):
        whole, sep, fraction = match.groups()
        grouped = len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0")
        return ("ambiguous" if grouped else "decimal"), sep
    if match := _SCIENTIFIC.fullmatch(text):
        return ("decimal", match.group(1)) if match.group(1) else ("plain", None)
    return "bad", None


def _to_float(text: str, decimal: str) -> float:
    group = "." if decimal == "," else ","
    return float(text.replace(group, "").replace(decimal, "."))


def parse_numbers(
    values: pd.Series, *, file: str, column: str, lines: Sequence[int], whole: bool = False
) -> Numbers:
    """The numbers in a column of text cells (``values``; Excel number cells may be numbers
    already), in Dutch or English notation decided for the whole column.

    Cells in :data:`MISSING` (after stripping) are missing (NaN). A column is *Dutch* when a
    cell shows ``,`` as decimal mark (``12,5``) or ``.`` grouping thousands (``1.234.567``,
    ``1.234,5``); *English* for the reverse. A cell with one separator followed by exactly
    three digits (``20.000``, ``1,250``) is ambiguous on its own: it is read as thousands when
    the column shows that separator is not the decimal mark (the other one is, or it groups
    thousands elsewhere), and a column of whole numbers and ``20.000``-like cells only is read
    the Dutch way (``20.000`` = 20000). It is refused when the column uses that separator as
    its decimal mark (``1.000`` next to ``12.5``), and a column of only ``1,000``-like cells is
    refused too: an ambiguous cell is never read as a decimal fraction. ``lines`` are the
    file's line numbers of the cells (for messages); ``whole``: the column holds whole numbers
    (only the wording of errors changes: "not a whole number").

    Raises :class:`ReadError` naming ``file``, ``column`` and the lines: cells that are not
    numbers, a column that mixes Dutch and English notation, ambiguous cells (with what to
    write instead)."""
    kinds: dict[str, list[int]] = {}
    texts: dict[int, str] = {}
    numbers = np.full(len(values), np.nan)
    missing: list[int] = []
    for position, value in enumerate(values):
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            if np.isnan(float(value)):
                missing.append(position)
            else:
                numbers[position] = float(value)
            continue
        text = str(value).strip().replace("\u00a0", "")
        if text in MISSING:
            missing.append(position)
            continue
        kind, sep = _kind(text)
        texts[position] = text
        kinds.setdefault(kind if sep is None else f"{kind}{sep}", []).append(position)

    def shown(positions: list[int], limit: int = 5) -> str:
        rows = ", ".join(str(lines[p]) for p in positions[:10])
        more = f" and {len(positions) - 10} more" if len(positions) > 10 else ""
        cells = ", ".join(repr(texts[p]) for p in positions[:limit])
        return f"rows {rows}{more} ({cells})"

    if "bad" in kinds:
        what = "a whole number" if whole else "a number"
        raise ReadError(file, f"column {column!r}: not {what} in {shown(kinds['bad'])}")
    dutch = kinds.get("decimal,", []) + kinds.get("thousands.", []) + kinds.get("full.", [])
    english = kinds.get("decimal.", []) + kinds.get("thousands,", []) + kinds.get("full,", [])
    if dutch and english:
        raise ReadError(
            file,
            f"column {column!r} mixes Dutch notation ({shown(sorted(dutch))}) and English "
            f"notation ({shown(sorted(english))}); use one notation in a column",
        )
    decimal = "," if dutch else "." if english else None
    ambiguous_dot, ambiguous_comma = kinds.get("ambiguous.", []), kinds.get("ambiguous,", [])
    if decimal is None and ambiguous_dot and not ambiguous_comma:
        decimal = ","  # 20.000 alone: the Dutch reading (thousands)
    refused = sorted(
        (ambiguous_dot if decimal != "," else []) + (ambiguous_comma if decimal != "." else [])
    )
    if refused:
        reason = (
            f"the column uses {decimal!r} as decimal mark elsewhere"
            if decimal
            else "nothing in the column says whether ',' is a decimal mark or groups thousands"
        )
        raise ReadError(
            file,
            f"column {column!r}: ambiguous number notation in {shown(refused)}: each could be "
            f"a thousand times larger or smaller ({reason}); write such numbers without a "
            "thousands separator (1000) or with one more decimal (1,0000 or 1.0000)",
        )
    for position, text in texts.items():
        numbers[position] = _to_float(text, decimal or ".")
    if dutch or (decimal == "," and ambiguous_dot):
        notation = "Dutch"
    elif english or ambiguous_comma:
        notation = "English"
    else:
        notation = "whole numbers" if texts else "numbers"
    return Numbers(pd.Series(numbers, index=values.index), notation, missing)
