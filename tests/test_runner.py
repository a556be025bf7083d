"""Runner pieces that need no notebook run: parameters and their rules, plans, fingerprints,
and the data reads the runner's change tracking relies on."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import sys
from pathlib import Path

import pytest
import yaml

import helpers
from helpers import config
from helpers.build import params, runner

CHAPTERS = runner.load_params()


def _notebook(path: Path, parameters: str, *cells: str) -> Path:
    """A minimal notebook: a cell tagged ``parameters`` and further code cells."""
    code = [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": parameters,
             "outputs": [], "execution_count": None}]  # fmt: skip
    code += [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [],
              "execution_count": None} for c in cells]  # fmt: skip
    nb = {"cells": code, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chapters: dict) -> Path:
    """A project folder with data/ and a params.yml of ``chapters`` (notebooks are made by the
    caller); config points at it."""
    (tmp_path / "data").mkdir(exist_ok=True)
    monkeypatch.setattr(config, "ROOT", tmp_path)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data")
    path = tmp_path / "params.yml"
    path.write_text(yaml.safe_dump({"chapters": chapters}, sort_keys=False), encoding="utf-8")
    return path


# --- parameters: reading, overrides, types ----------------------------------------------------


def test_parameters_cell_is_read_without_papermill(tmp_path):
    nb = _notebook(tmp_path / "x.ipynb", 'year = 2015  # the year\nname: str = ""\nxs = [1, 2]\n')
    assert runner.notebook_parameters(nb) == {"year": "2015", "name": '""', "xs": "[1, 2]"}


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_params_yml_names_parameters_the_notebook_declares(chapter):
    declared = runner.notebook_parameters(CHAPTERS[chapter].notebook)
    assert set(CHAPTERS[chapter].parameters) <= set(declared)


def test_defaults_of_every_chapter_pass_the_checks():
    chapters = runner.apply_overrides(runner.load_params(), [])
    assert set(chapters) == set(CHAPTERS)


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """A project with one chapter 'toy' with string, list and mapping parameters."""
    nb = _notebook(tmp_path / "toy.ipynb", 'when = ""\nitems = []\nmapping = {}\ncount = 1\n')
    valid = {"items": {"length": [0, None]}}  # every list parameter has a rule for lists
    return _project(tmp_path, monkeypatch, {"toy": {"notebook": str(nb), "parameters": {}, "valid": valid}})  # fmt: skip


def test_overrides_are_yaml_and_dates_reach_notebooks_as_iso_strings(toy):
    chapters = runner.apply_overrides(
        runner.load_params(toy),
        ["toy.when=2016-01-01", "toy.items=[2016-01-01, 3]",
         "toy.mapping={2016: 2016-01-01 12:00:00}", "toy.count=7"],
    )  # fmt: skip
    assert chapters["toy"].parameters == {
        "when": "2016-01-01",
        "items": ["2016-01-01", 3],
        "mapping": {"2016": "2016-01-01T12:00:00"},
        "count": 7,
    }


def test_a_number_given_for_a_string_parameter_stays_a_string(toy):
    chapters = runner.apply_overrides(runner.load_params(toy), ["toy.when=2016"])
    assert chapters["toy"].parameters["when"] == "2016"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("nope.year=2021", "Unknown chapter 'nope'"),
        ("toy.jaar=2021", "Chapter 'toy' has no parameter 'jaar'; parameters: when, items"),
        ("toy.count=twenty", "parameter 'count' = 'twenty' should be of type int"),
        ("toy.count", "is not of the form chapter.parameter=value"),
    ],
)
def test_unknown_names_and_wrong_types_are_refused(toy, override, message):
    with pytest.raises(runner.RunnerError) as info:
        runner.apply_overrides(runner.load_params(toy), [override])
    assert message in str(info.value)


# --- parameters: the rules in params.yml --------------------------------------------------------


def _rules_of(chapter: str, param: str) -> list[dict]:
    spec = CHAPTERS[chapter].valid[param]
    return spec if isinstance(spec, list) else [spec]


YEAR_LIKE = [
    (chapter, param)
    for chapter, spec in CHAPTERS.items()
    for param in runner.notebook_parameters(spec.notebook)
    if params.is_year_like(param)
]


@pytest.mark.parametrize(("chapter", "param"), YEAR_LIKE)
def test_every_year_like_parameter_refuses_a_year_the_data_lack(chapter, param):
    """Discovered from params.yml and the notebooks: set each year-like parameter to a year no
    table has; it is refused (unless its only rule applies to a file the analyst supplies)."""
    declared = runner.notebook_parameters(CHAPTERS[chapter].notebook)
    defaults = {k: ast.literal_eval(v) for k, v in declared.items()}
    defaults.update(CHAPTERS[chapter].parameters)
    rules = _rules_of(chapter, param)
    if all(not defaults.get(r.get("when", ""), True) for r in rules):
        pytest.skip(f"{chapter}.{param} is checked only with a file the analyst supplies")
    with pytest.raises(runner.RunnerError) as info:
        runner.apply_overrides(runner.load_params(), [f"{chapter}.{param}=1900"])
    message = str(info.value)
    assert message.startswith(f"Chapter {chapter!r}: {param} = 1900 is not valid; valid values: ")
    assert "\n" not in message
    valid = message.split("valid values: ", 1)[1].split(" (")[0].split(", ")
    assert str(defaults[param]) in valid  # lists the valid values, the default among them


def test_gemeente_year_without_a_map_is_refused():
    """1990 was published with a 2015 map under a 1990 label: only years with gemeente
    boundaries are valid."""
    maps = sorted(p.stem[-4:] for p in (config.DATA_DIR / "processed" / "geo").glob("nl_gemeente_*"))  # fmt: skip
    assert maps and "1990" not in maps
    with pytest.raises(runner.RunnerError) as info:
        runner.apply_overrides(runner.load_params(), ["hoogopgeleiden.gemeente_year=1990"])
    assert str(info.value) == (
        f"Chapter 'hoogopgeleiden': gemeente_year = 1990 is not valid; valid values: "
        f"{', '.join(maps)} (from file names data/processed/geo/nl_gemeente_*.geojson)"
    )


def test_a_bad_value_stops_the_cli_before_anything_runs(capsys, monkeypatch):
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("the build started"))
    code = runner.main(["--set", "hoogopgeleiden.gemeente_year=1990"])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0].startswith("[book] ERROR: Chapter 'hoogopgeleiden': gemeente_year = 1990")
    assert err[1] == "[book] The previously published book was left unchanged."


@pytest.fixture
def data(tmp_path, monkeypatch):
    """A data folder with small tables, and a helper to check a value against a rule."""
    root = tmp_path
    (root / "data" / "t").mkdir(parents=True)
    (root / "data" / "t" / "panel.csv").write_text(
        "region,year,x,jaar\n"
        + "".join(f"r{i},{y},{'' if y == 2012 else 1},{y + 1}\n" for y in (2010, 2011, 2012) for i in range(3))
        + "r0,2013,1,2014\n"
    )  # fmt: skip
    (root / "data" / "t" / "names.csv").write_text("code,name\n1,Alpha\n2,Beta\n")
    (root / "data" / "t" / "ed2019_s.csv").write_text("year\n2017\n2018\n")
    (root / "data" / "t" / "ed2021_s.csv").write_text("year\n2019\n2020\n")
    (root / "user.csv").write_text("jaar,v\n2001,1\n")
    monkeypatch.setattr(config, "ROOT", root)
    monkeypatch.setattr(config, "DATA_DIR", root / "data")

    def check(value: object, rule: object, **others: object) -> str:
        """'' when valid, else the message."""
        try:
            params.validate("c", {"p": value, **others}, {"p": rule})
        except params.ParameterError as exc:
            return str(exc)
        return ""

    return check


def test_rule_years_in_with_column_present_and_rows_per_year(data):
    assert data(2010, {"years_in": "t/panel.csv"}) == ""
    assert data(2009, {"years_in": "t/panel.csv"}) == (
        "Chapter 'c': p = 2009 is not valid; valid values: 2010, 2011, 2012, 2013 "
        "(from data/t/panel.csv, column year)"
    )
    assert "valid values: 2010, 2011, 2013 (" in data(2012, {"years_in": "t/panel.csv", "present": "x"})  # fmt: skip
    assert "valid values: 2010, 2011 (" in data(2013, {"years_in": "t/panel.csv", "present": "x", "rows_per_year": 3})  # fmt: skip
    assert data(2014, {"years_in": "t/panel.csv", "column": "jaar"}) == ""
    assert "has no column 'jaartal'" in data(2014, {"years_in": "t/panel.csv", "column": "jaartal"})
    assert "data/t/nope.csv not found" in data(2014, {"years_in": "t/nope.csv"})


def test_rule_paths_use_other_parameters_and_files_they_name(data):
    rule = {"years_in": "t/ed{ed}_s.csv"}
    assert data(2019, rule, ed=2021) == ""
    assert "valid values: 2017, 2018 (from data/t/ed2019_s.csv" in data(2019, rule, ed=2019)
    editions = {"in_file_names": "t/ed*_s.csv"}
    assert "valid values: 2019, 2021 (from file names data/t/ed*_s.csv)" in data(2020, editions)
    user = {"when": "f", "years_in": "{f}", "column": "jaar"}
    assert data(1990, user, f="") == ""  # no file: the rule does not apply
    assert "valid values: 2001 (from user.csv, column jaar)" in data(1990, user, f="user.csv")
    assert data(2001, user, f=str(config.ROOT / "user.csv")) == ""
    assert data(1990, {"unless": "f", "choices": [1]}, f="user.csv") == ""


def test_rule_choices_range_after_file_and_lists(data):
    assert data("Beta", {"choices_in": "t/names.csv#name"}) == ""
    assert "valid values: Alpha, Beta (from data/t/names.csv, column name)" in data("Gamma", {"choices_in": "t/names.csv#name"})  # fmt: skip
    assert "valid values: a, b" in data("c", {"choices": ["a", "b"]})
    assert "valid values: a number from 1 to 3" in data(4, {"range": [1, 3]})
    assert data(7, {"range": [1, None]}) == ""
    assert "valid values: a number greater than 0" in data(0, {"positive": True})
    assert "valid values: 2012, 2013 (from data/t/panel.csv, column year; not before s = 2012)" in data(2011, {"years_in": "t/panel.csv", "after": "s"}, s=2012)  # fmt: skip
    assert data("", {"file": True}) == "" and data("user.csv", {"file": True}) == ""
    assert "an existing file" in data("nope.csv", {"file": True})
    bounds = {"list_of": {"positive": True}, "descending": True}
    assert data([500, 200, 100], bounds) == ""
    assert "should be strictly descending" in data([100, 200], bounds)
    assert "item -1 is not valid; valid items: a number greater than 0" in data([5, -1], bounds)
    names = {"list_of": {"choices_in": "t/names.csv#name"}, "length": 2, "unique": True}
    assert data(["Alpha", "Beta"], names) == ""
    assert "should have 2 items, not 1" in data(["Alpha"], names)
    assert "has an item twice" in data(["Alpha", "Alpha"], names)
    assert "item 'Gamma' is not valid; valid items: Alpha, Beta" in data(["Alpha", "Gamma"], names)
    assert "should be a list" in data("Alpha", names)
    both = [{"years_in": "t/panel.csv"}, {"range": [2011, 2011]}]
    assert data(2011, both) == "" and "a number from 2011 to 2011" in data(2010, both)


@pytest.mark.parametrize(
    ("names", "valid", "message"),
    [
        (["year", "x"], {}, "year-like parameter(s) year without a rule"),
        (
            ["edition"],
            {"edition": {"choices": [1]}, "start_year": {"choices": [1]}},
            "valid: names 'start_year', which is no parameter",
        ),  # fmt: skip
        (["year"], {"year": {"years": "t/panel.csv"}}, "unknown key(s) ['years']"),
        (
            ["year"],
            {"year": {"years_in": "t/{edition}.csv"}},
            "refers to unknown parameter(s) ['edition']",
        ),  # fmt: skip
        (["year"], {"year": {"after": "start"}}, "refers to unknown parameter(s) ['start']"),
        (["year"], {"year": {"range": [1]}}, "range is [low, high]"),
        (["year"], {"year": "2015"}, "a rule is a mapping"),
        (["xs"], {"xs": {"list_of": {}, "choices": [1]}}, "a rule for a list has only"),
    ],
)
def test_rules_that_cannot_be_used_are_refused(data, names, valid, message):
    with pytest.raises(params.ParameterError) as info:
        params.validate("c", dict.fromkeys(names, 2015), valid)
    assert str(info.value).startswith("params.yml, chapter 'c'")
    assert message in str(info.value)


def test_a_chapter_without_a_rule_for_its_year_is_refused_before_anything_runs(tmp_path, monkeypatch):  # fmt: skip
    nb = _notebook(tmp_path / "new.ipynb", "year = 2015\nother_year = 2015\n")
    path = _project(tmp_path, monkeypatch, {"new": {"notebook": str(nb), "parameters": {"year": 2015}, "valid": {"year": {"choices": [2015]}}}})  # fmt: skip
    with pytest.raises(runner.RunnerError, match=r"chapter 'new': year-like parameter\(s\) other_year without a rule"):  # fmt: skip
        runner.apply_overrides(runner.load_params(path), [])


# --- plans and fingerprints -------------------------------------------------------------------


def test_plan_runs_everything_without_a_manifest_and_records_reasons(tmp_path):
    chapters = runner.load_params()
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    plans = runner.plan(chapters, runner.load_manifest(target.manifest), target)
    assert [p.run for p in plans] == [True] * len(chapters)
    assert {p.reason for p in plans} == {"no previous run"}


def test_plan_detects_parameter_and_data_changes(tmp_path, monkeypatch):
    chapters = runner.load_params()
    reader, other = list(chapters)[:2]  # any two chapters: one reads the file
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    target.generated.mkdir()
    for name in chapters:
        (target.generated / f"{name}.ipynb").write_text("{}")
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    (data / "processed" / "x.csv").write_text("a\n1\n")
    monkeypatch.setattr(config, "DATA_DIR", data)
    plans = runner.plan(chapters, {"chapters": {}}, target)
    results = {
        p.chapter.name: {"reads": ["processed/x.csv"] if p.chapter.name == reader else [],
                         "globs": [], "seconds": 1.0, "peak_mb": 1.0}
        for p in plans
    }  # fmt: skip
    runner.save_manifest(target, plans, results, {"chapters": {}}, None)
    manifest = runner.load_manifest(target.manifest)
    assert all(not p.run for p in runner.plan(chapters, manifest, target))

    (data / "processed" / "x.csv").write_text("a\n2\n")
    again = {p.chapter.name: p for p in runner.plan(chapters, manifest, target)}
    assert again[reader].run and again[reader].reason == "data changed: processed/x.csv"
    assert not again[other].run

    param = next(iter(chapters[other].parameters))
    chapters[other].parameters[param] = "changed"
    changed = {p.chapter.name: p for p in runner.plan(chapters, manifest, target)}
    assert changed[other].reason == "parameters changed"


# --- data reads reach the runner ----------------------------------------------------------------

_OPENED: list[Path] | None = None


def _watch(event: str, args: tuple) -> None:
    if _OPENED is not None and event == "open" and isinstance(args[0], str | Path):
        _OPENED.append(Path(args[0]).resolve())


sys.addaudithook(_watch)  # audit hooks stay for the process; it records only inside _untracked


def _untracked(calls: list, trace: Path) -> tuple[set[str], set[str]]:
    """Run ``calls`` with the read trace on; (files under data/ that were opened, those of
    them missing from the trace the runner reads)."""
    global _OPENED
    trace.unlink(missing_ok=True)
    _OPENED = []
    try:
        for call in calls:
            call()
    finally:
        opened, _OPENED = _OPENED, None
    data = config.DATA_DIR.resolve()
    # data/CHECKSUMS.tsv is read by config.data_file itself, to verify the file it returns
    read = {
        p.relative_to(data).as_posix()
        for p in opened
        if p.is_relative_to(data) and p.name != config.CHECKSUMS_NAME
    }
    files, _ = runner.read_trace(trace)
    return read, read - set(files)


def _loaders() -> list:
    """Every public function of the layers a notebook reads data through (shared tables,
    geography, chapters) that needs no argument."""
    names = ["helpers.data.tables"]
    for package in ("geography", "chapters"):
        path = Path(helpers.__file__).parent / package
        names += [f"helpers.{package}.{m.name}" for m in pkgutil.iter_modules([str(path)])]
    found = []
    for name in names:
        module = importlib.import_module(name)
        for attr, function in inspect.getmembers(module, inspect.isfunction):
            if attr.startswith("_") or function.__module__ != name:
                continue
            parameters = inspect.signature(function).parameters.values()
            if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in parameters):  # fmt: skip
                found.append(function)
    return found


def test_every_data_file_the_helpers_open_is_reported_to_the_runner(tmp_path, monkeypatch):
    """The runner re-executes a notebook when a data file it read changed; it learns of the
    reads from config.data_file. Open files are watched while every loader runs: a file read
    around config.data_file (config.DATA_DIR / ..., a literal path) fails this test."""
    trace = tmp_path / "reads.tsv"
    monkeypatch.setenv(config.TRACE_ENV, str(trace))

    def quietly(function):
        def call():
            try:
                function()
            except Exception:  # only the reads matter here
                pass

        return call

    loaders = _loaders()
    assert len(loaders) >= 10, [f.__name__ for f in loaders]
    read, untracked = _untracked([quietly(f) for f in loaders], trace)
    assert len(read) >= 5, read  # the watch sees the tables the loaders read
    assert not untracked, f"read without config.data_file (the runner would miss them): {untracked}"

    # The same watch catches a read around config.data_file.
    def bypass():
        (config.DATA_DIR / "processed" / "rd" / "gdp_nl.csv").read_text(encoding="utf-8")

    assert _untracked([bypass], trace)[1] == {"processed/rd/gdp_nl.csv"}


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "a/b", "../x", "default", ""])
def test_variant_names_cannot_leave_the_variants_folder(name):
    if name == "":  # empty: the default book
        assert runner.Target.for_variant(name).html == config.BUILD_DIR / "html"
        return
    with pytest.raises(runner.RunnerError, match="Variant name"):
        runner.Target.for_variant(name)


def test_a_plain_variant_name_is_one_folder_in_variants():
    target = runner.Target.for_variant("rd2016.v2")
    assert target.html == config.BUILD_DIR / "variants" / "rd2016.v2" / "html"
