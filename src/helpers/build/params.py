"""Valid values of chapter parameters, declared as data in ``params.yml`` and checked here
before any notebook runs. The build layer knows no chapter: each chapter lists, under
``valid:``, a rule per parameter, and a new chapter needs no Python to get its parameters
checked.

A rule is a mapping (or a list of mappings that must all hold). Its keys:

``years_in: <table>``
    The values in a column of a CSV table (``.csv`` or ``.csv.gz``), e.g. the years a
    processed table has. Options: ``column:`` (default ``year``); ``present: <column>`` counts
    only rows where that column has a value; ``rows_per_year: N`` keeps only values that occur
    in exactly ``N`` rows (a year complete for all ``N`` regions).
``in_file_names: <pattern>``
    What ``*`` stands for in the names of the files matching the pattern (one ``*``), e.g.
    ``processed/ris/ris*_summary.csv`` gives the RIS editions there.
``choices: [a, b, ...]``
    One of these values.
``choices_in: <table>#<column>``
    One of the values in a column of a CSV table.
``range: [low, high]``
    A number from ``low`` to ``high`` (both included; ``null`` leaves that side open).
``positive: true``
    A number greater than zero.
``after: <parameter>``
    Not before (``>=``) the value of another parameter of the chapter (``end_year`` after
    ``start_year``).
``file: true``
    ``""`` (no file) or an existing file: absolute, or relative to the project folder.
``list_of: <rule>``, ``length: N``, ``unique: true``, ``descending: true``
    A list: every item meets the rule, exactly ``N`` items (``length: [low, high]``: from
    ``low`` to ``high`` items, ``null`` for an open side), no item twice, strictly descending.
``when: <parameter>`` / ``unless: <parameter>``
    Check this rule only when that parameter is set (not ``""``, ``false`` or ``null``) / is
    not set, e.g. the year of a file the analyst supplies.

Table paths are relative to ``data/``; ``{name}`` in a path is replaced by the value of the
chapter's parameter ``name`` (``processed/ris/ris{edition}_summary.csv``). A path that is just
``{name}`` is the file that parameter names (absolute, or relative to the project folder).

Every year-like parameter (``year``, ``edition`` or a name ending in ``_year``) must have a
rule, and every parameter whose value is a list a rule for lists (``list_of``, ``length``,
``unique`` or ``descending``): a chapter without one is refused before anything runs.

Overrides (``make book PARAMS=...``, ``ri-book --set``) are read here too:
:func:`split_overrides` cuts the text of ``PARAMS`` into ``chapter.parameter=value`` items,
:func:`parse_override` reads one value as YAML, and :func:`load_yaml_file` reads
``params.yml``; a YAML error in either is one line naming the override or the file, line and
column.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

from helpers import config
from helpers.data import reading

RULE_KEYS = frozenset(
    {"years_in", "column", "present", "rows_per_year", "in_file_names", "choices", "choices_in",
     "range", "positive", "after", "file", "list_of", "length", "unique", "descending", "when",
     "unless"}
)  # fmt: skip
_LIST_KEYS = frozenset({"list_of", "length", "unique", "descending"})
_TEMPLATE = re.compile(r"\{(\w+)\}")


class ParameterError(ValueError):
    """A parameter value the declared rules refuse, or a rule that cannot be used (one line,
    naming the chapter and the parameter)."""


def is_year_like(name: str) -> bool:
    """Whether a parameter names a year or an edition (and so needs a rule)."""
    return name in {"year", "edition"} or name.endswith("_year")


# --- overrides and YAML ---------------------------------------------------------------------

# A new override starts at whitespace followed by ``chapter.parameter=`` (two names of letters,
# digits and ``_``): ``[1000, 500, 100]`` and ``/tmp/my files/x.csv`` stay whole.
_NEXT_OVERRIDE = re.compile(r"\s+(?=[A-Za-z_]\w*\.[A-Za-z_]\w*=)")


def split_overrides(text: str) -> list[str]:
    """The ``chapter.parameter=value`` items in the text of ``PARAMS`` (``make book
    PARAMS="..."``, ``ri-book --overrides``), in order. A new item starts only where
    whitespace is followed by ``chapter.parameter=``; every other character, spaces included,
    belongs to the value before it: ``rd.year=2016 innovatieve_bedrijven.class_bounds=[1000,
    500, 100]`` is two items, ``scale_ups.scaleup_file=/tmp/my files/x.csv`` one. Empty or
    blank text gives ``[]``. (A value that itself holds whitespace followed by
    ``word.word=`` must be given with ``ri-book --set``, which never splits.)"""
    text = text.strip()
    return _NEXT_OVERRIDE.split(text) if text else []


def yaml_error(where: str, exc: yaml.YAMLError) -> str:
    """One line for a YAML error: ``where`` (e.g. ``params.yml``), the line and column of the
    problem when YAML knows them (1-based) and what YAML found wrong."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or " ".join(str(exc).split())
    context = getattr(exc, "context", None)
    place = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return f"{where}{place}: {problem}" + (f" ({context})" if context else "")


def parse_override(item: str) -> tuple[str, str, object]:
    """``chapter.parameter=value`` as ``(chapter, parameter, value)``, the value read as YAML
    (``2016`` a number, ``[1000, 500, 100]`` a list, ``/tmp/my files/x.csv`` text). Raises
    :class:`ParameterError` (one line naming the override) when the item has another form or
    the value is not valid YAML."""
    key, equals, raw = item.partition("=")
    chapter, dot, param = key.partition(".")
    if not (equals and dot and chapter.strip() and param.strip()):
        raise ParameterError(f"Override {item!r} is not of the form chapter.parameter=value")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        message = yaml_error(f"value {raw!r}", exc).replace("line 1, ", "")
        raise ParameterError(
            f"Override {item!r}: {message}; a list is [a, b, c]; text that starts with one "
            "of [ { & * ! % @ ` or holds ': ' or ' #' goes in quotes"
        ) from None
    return chapter.strip(), param.strip(), value


def load_yaml_file(path: Path) -> object:
    """The YAML document in ``path`` (``params.yml``). Raises :class:`ParameterError` with one
    line naming the file (relative to the project folder when inside it), line and column of a
    YAML error, or the file that cannot be read."""
    path = Path(path)
    try:
        shown = str(path.resolve().relative_to(config.ROOT.resolve()))
    except ValueError:
        shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{shown} cannot be read: {exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(yaml_error(shown, exc)) from None


# --- the declarations -----------------------------------------------------------------------


def _rules(spec: object) -> list[dict]:
    return list(spec) if isinstance(spec, list) else [spec]  # type: ignore[arg-type]


def _references(rule: dict) -> set[str]:
    """Parameters a rule depends on (templates in its paths, ``after``, ``when``)."""
    names = {rule[k] for k in ("after", "when", "unless") if isinstance(rule.get(k), str)}
    for key in ("years_in", "choices_in", "in_file_names"):
        if isinstance(rule.get(key), str):
            names |= set(_TEMPLATE.findall(rule[key]))
    if isinstance(rule.get("list_of"), dict):
        names |= _references(rule["list_of"])
    return names


def _check_rule(chapter: str, param: str, rule: object, names: set[str]) -> None:
    where = f"params.yml, chapter {chapter!r}, valid values of {param!r}"
    if not isinstance(rule, dict) or not rule:
        raise ParameterError(f"{where}: a rule is a mapping such as {{years_in: <table>}}")
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        raise ParameterError(f"{where}: unknown key(s) {unknown}; keys: {', '.join(sorted(RULE_KEYS))}")  # fmt: skip
    missing = sorted(_references(rule) - names)
    if missing:
        raise ParameterError(f"{where}: refers to unknown parameter(s) {missing}; parameters: {', '.join(sorted(names))}")  # fmt: skip
    if "range" in rule and not (isinstance(rule["range"], list) and len(rule["range"]) == 2):
        raise ParameterError(f"{where}: range is [low, high] (null for an open side)")
    if "length" in rule and _length_bounds(rule["length"]) is None:
        raise ParameterError(f"{where}: length is a number of items N or [low, high] (null for an open side)")  # fmt: skip
    if "choices_in" in rule and "#" not in str(rule["choices_in"]):
        raise ParameterError(f"{where}: choices_in is <table>#<column>")
    if "in_file_names" in rule and str(rule["in_file_names"]).count("*") != 1:
        raise ParameterError(f"{where}: in_file_names is a file pattern with one '*'")
    if set(rule) & _LIST_KEYS and not set(rule) <= _LIST_KEYS | {"when", "unless"}:
        raise ParameterError(f"{where}: a rule for a list has only list_of, length, unique, descending (and when, unless)")  # fmt: skip
    if "list_of" in rule:
        _check_rule(chapter, param, rule["list_of"], names)


def _length_bounds(length: object) -> tuple[int, int | None] | None:
    """``length: N`` or ``length: [low, high]`` as (low, high); None when it is neither."""
    if isinstance(length, int) and not isinstance(length, bool) and length >= 0:
        return length, length
    if isinstance(length, list) and len(length) == 2:
        low, high = length
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in length):
            return low or 0, high
    return None


def _is_list_rule(rule: object) -> bool:
    return isinstance(rule, dict) and bool(set(rule) & _LIST_KEYS)


def check_declarations(
    chapter: str, names: list[str], valid: dict, lists: list[str] | None = None
) -> None:
    """Refuse rules that cannot be used, year-like parameters without a rule and list
    parameters (``lists``: the names whose value is a list) without a rule for lists."""
    if not isinstance(valid, dict):
        raise ParameterError(f"params.yml, chapter {chapter!r}: valid: maps parameters to rules")
    known = set(names)
    for param, spec in valid.items():
        if param not in known:
            raise ParameterError(
                f"params.yml, chapter {chapter!r}: valid: names {param!r}, which is no parameter; "
                f"parameters: {', '.join(names)}"
            )
        for rule in _rules(spec):
            _check_rule(chapter, param, rule, known)
    bare = [name for name in names if is_year_like(name) and name not in valid]
    if bare:
        raise ParameterError(
            f"params.yml, chapter {chapter!r}: year-like parameter(s) {', '.join(bare)} without a "
            "rule; add one under valid:, e.g. {years_in: processed/<table>.csv}"
        )
    unruled = [
        n for n in lists or [] if not any(_is_list_rule(r) for r in _rules(valid.get(n, [])))
    ]
    if unruled:
        raise ParameterError(
            f"params.yml, chapter {chapter!r}: list parameter(s) {', '.join(unruled)} without a "
            "rule for lists; add one under valid:, e.g. {list_of: {choices: [a, b, c]}, "
            "unique: true} or {list_of: {positive: true}, descending: true}"
        )


# --- reading what the data allow ------------------------------------------------------------


_NUMBER = re.compile(r"-?\d+(\.\d*)?")


def _typed(text: str) -> object:
    """A table cell as a number when it is one (``2014.0`` -> 2014), else the text."""
    if not _NUMBER.fullmatch(text):
        return text
    number = float(text)
    return int(number) if number.is_integer() else number


def _fill(template: str, values: dict) -> str:
    return _TEMPLATE.sub(lambda m: str(values[m.group(1)]), template)


def _path(template: str, values: dict) -> tuple[Path, str]:
    """The file a rule reads, and how to name it in a message."""
    whole = _TEMPLATE.fullmatch(template)
    text = _fill(template, values)
    if whole:  # the file a parameter names (an Excel file may name its sheet: file.xlsx#Blad2)
        path = Path(reading.split_sheet(text)[0])
        return (path if path.is_absolute() else config.ROOT / path), text
    try:  # a damaged data file is one line naming it, here as in the chapters
        return config.data_file(*Path(text).parts), f"data/{text}"
    except config.DataIntegrityError as exc:
        raise ParameterError(str(exc)) from None


def _read_table(path: Path, shown: str) -> tuple[list[str], list[dict[str, str]]]:
    if not path.is_file():
        raise ParameterError(f"{shown} not found")
    if not path.resolve().is_relative_to(config.DATA_DIR.resolve()):
        # a file an analyst supplies: read as the chapter reads it (delimiter, encoding,
        # Excel sheet, StatLine layout), so a file the chapter accepts passes here too
        _, sheet = reading.split_sheet(shown)
        try:
            return reading.text_records(f"{path}#{sheet}" if sheet else path)
        except reading.ReadError as exc:
            raise ParameterError(str(exc)) from None
    stat = path.stat()
    return _parse_table(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _parse_table(path: str, mtime_ns: int, size: int) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV table (gzipped or not), read once per version of the file."""
    data = Path(path).read_bytes()
    if path.endswith(".gz"):
        data = gzip.decompress(data)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def _column_values(rule: dict, values: dict, key: str) -> tuple[list, str]:
    if key == "choices_in":
        table, _, column = rule["choices_in"].rpartition("#")  # file.xlsx#Blad2#topsector
    else:
        table, column = rule["years_in"], rule.get("column", "year")
    path, shown = _path(table, values)
    columns, rows = _read_table(path, shown)
    present = rule.get("present")
    for needed in (column, present):
        if needed and needed not in columns:
            raise ParameterError(f"{shown} has no column {needed!r}; columns: {', '.join(columns)}")  # fmt: skip
    counts: Counter = Counter()
    for row in rows:
        if present and not (row.get(present) or "").strip():
            continue
        cell = (row.get(column) or "").strip()
        if cell:
            counts[_typed(cell)] += 1
    per_year = rule.get("rows_per_year")
    found = [v for v, n in counts.items() if per_year is None or n == per_year]
    where = f"{shown}, column {column}"
    if present:
        where += f" (rows with {present})"
    if per_year is not None:
        where += f" (values in exactly {per_year} rows)"
    if key == "years_in":
        found.sort(key=lambda v: (isinstance(v, str), v))
    return found, where


def _file_name_values(rule: dict, values: dict) -> tuple[list, str]:
    pattern = _fill(rule["in_file_names"], values)
    folder, _, name = pattern.rpartition("/")
    head, _, tail = name.partition("*")
    found = []
    for path in sorted((config.DATA_DIR / folder).glob(name)):
        found.append(_typed(path.name[len(head) : len(path.name) - len(tail)]))
    found.sort(key=lambda v: (isinstance(v, str), v))
    return found, f"file names data/{pattern}"


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _project_file(value: object) -> bool:
    if value == "":
        return True
    if not isinstance(value, str):
        return False
    path = Path(reading.split_sheet(value)[0])
    return (path if path.is_absolute() else config.ROOT / path).is_file()


# --- checking a value -----------------------------------------------------------------------


class _Allowed:
    """What a rule allows: a finite set of values (or None) and further tests, each with its
    wording for messages."""

    def __init__(self, rule: dict, values: dict) -> None:
        self.values: list | None = None
        self.origins: list[str] = []
        self.tests: list[tuple[Callable[[object], bool], str]] = []
        for key, read in (("years_in", _column_values), ("choices_in", _column_values)):
            if key in rule:
                self._narrow(*read(rule, values, key))
        if "in_file_names" in rule:
            self._narrow(*_file_name_values(rule, values))
        if "choices" in rule:
            self._narrow(list(rule["choices"]), "")
        if "range" in rule:
            low, high = rule["range"]
            wording = (
                f"a number from {low} to {high}" if low is not None and high is not None
                else f"a number >= {low}" if low is not None
                else f"a number <= {high}" if high is not None else "a number"
            )  # fmt: skip
            self.tests.append(
                (lambda v: _number(v) and (low is None or v >= low) and (high is None or v <= high),
                 wording)
            )  # fmt: skip
        if rule.get("positive"):
            self.tests.append((lambda v: _number(v) and v > 0, "a number greater than 0"))
        if "after" in rule:
            first = values[rule["after"]]
            self.tests.append(
                (lambda v: _number(v) and v >= first, f"not before {rule['after']} = {first!r}")
            )
        if rule.get("file"):
            self.tests.append(
                (_project_file, '"" (no file) or an existing file (absolute, or relative to the project folder)')
            )  # fmt: skip

    def _narrow(self, found: list, origin: str) -> None:
        self.values = found if self.values is None else [v for v in self.values if v in found]
        if origin:
            self.origins.append(origin)

    def admits(self, value: object) -> bool:
        if self.values is not None and value not in self.values:
            return False
        return all(test(value) for test, _ in self.tests)

    def describe(self) -> str:
        """The valid values: listed when there are finitely many, else in words."""
        if self.values is None:
            return "; ".join(wording for _, wording in self.tests)
        shown = [v for v in self.values if self.admits(v)]
        notes = [f"from {origin}" for origin in self.origins] + [w for _, w in self.tests]
        text = ", ".join(map(str, shown)) if shown else "none"
        return text + (f" ({'; '.join(notes)})" if notes else "")


def _descending(value: list) -> bool:
    try:
        return all(a > b for a, b in itertools.pairwise(value))
    except TypeError:  # items that cannot be compared (numbers and text)
        return False


def _example(value: list) -> str:
    """``value`` as it would pass ``descending``: ", e.g. [1000, 500, 100]"."""
    try:
        return f", e.g. {sorted({repr(v): v for v in value}.values(), reverse=True)!r}"
    except TypeError:
        return ""


def _check_one(chapter: str, param: str, value: object, rule: dict, values: dict) -> None:
    if set(rule) & _LIST_KEYS:
        if not isinstance(value, list):
            raise ParameterError(f"Chapter {chapter!r}: {param} = {value!r} should be a list")
        items = _Allowed(rule.get("list_of") or {}, values)
        for item in value:
            if not items.admits(item):
                raise ParameterError(
                    f"Chapter {chapter!r}: {param} = {value!r}: item {item!r} is not valid; "
                    f"valid items: {items.describe()}"
                )
        problems = []
        if "length" in rule:
            low, high = _length_bounds(rule["length"]) or (0, None)
            if len(value) < low or (high is not None and len(value) > high):
                wanted = (
                    f"{low}" if low == high else f"at least {low}" if high is None
                    else f"{low} to {high}"
                )  # fmt: skip
                items = "item" if wanted.endswith(" 1") or wanted == "1" else "items"
                problems.append(f"should have {wanted} {items}, not {len(value)}")
        twice = [v for i, v in enumerate(value) if repr(v) in {repr(w) for w in value[:i]}]
        if rule.get("unique") and twice:
            problems.append(f"has an item twice ({', '.join(map(repr, twice))})")
        if rule.get("descending") and not _descending(value):
            problems.append(f"should be strictly descending (largest first, no item twice){_example(value)}")  # fmt: skip
        if problems:
            raise ParameterError(f"Chapter {chapter!r}: {param} = {value!r} {' and '.join(problems)}")  # fmt: skip
        return
    allowed = _Allowed(rule, values)
    if not allowed.admits(value):
        raise ParameterError(
            f"Chapter {chapter!r}: {param} = {value!r} is not valid; valid values: "
            f"{allowed.describe()}"
        )


def _is_set(value: object) -> bool:
    return value not in ("", None, False)


def _order(valid: dict) -> list[str]:
    """Parameters in an order where each comes after those its rules refer to."""
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done or name not in valid:
            return
        if name in path:
            raise ParameterError(f"params.yml: rules refer to one another in a circle: {' -> '.join((*path, name))}")  # fmt: skip
        for rule in _rules(valid[name]):
            for other in sorted(_references(rule)):
                visit(other, (*path, name))
        done.append(name)

    for name in valid:
        visit(name, ())
    return done


def validate(chapter: str, values: dict, valid: dict) -> None:
    """Check every parameter of a chapter against its rules (``valid`` from params.yml);
    ``values`` are all its parameters (the notebook's defaults with params.yml and the
    overrides on top). Raises :class:`ParameterError` with a one-line message naming the
    chapter, the parameter, the value and the valid values."""
    lists = [name for name, value in values.items() if isinstance(value, list)]
    check_declarations(chapter, list(values), valid, lists)
    for param in _order(valid):
        for rule in _rules(valid[param]):
            if "when" in rule and not _is_set(values.get(rule["when"])):
                continue
            if "unless" in rule and _is_set(values.get(rule["unless"])):
                continue
            try:
                _check_one(chapter, param, values[param], rule, values)
            except ParameterError as exc:
                if str(exc).startswith(("Chapter ", "params.yml")):
                    raise
                raise ParameterError(f"Chapter {chapter!r}: {param}: {exc}") from None
