"""Field case 09 (list parameters) and parameter errors: `make book PARAMS=...` passes a list
and a path with spaces whole, a YAML error in an override or in params.yml is one line naming
the place, and list parameters are checked by their `valid:` rules like years."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import config
from helpers.build import params, runner
from helpers.build.params import ParameterError, validate

CHAPTERS = runner.load_params()
CASE = Path(__file__).parent / "fixtures" / "field_cases" / "09-list-parameters"
SPACED_FILE = CASE / "mijn bestanden" / "startups.csv"  # a user file in a folder with a space
LIST_VALUE = "innovatieve_bedrijven.class_bounds=[1000, 500, 100]"


# --- PARAMS: split only before chapter.parameter= ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (LIST_VALUE, [LIST_VALUE]),
        ("scale_ups.scaleup_file=/tmp/my files/x.csv", ["scale_ups.scaleup_file=/tmp/my files/x.csv"]),  # fmt: skip
        ("rd.year=2016 europa.year=2021", ["rd.year=2016", "europa.year=2021"]),
        (f"  rd.year=2016\n{LIST_VALUE}\tstartups.startup_file=/a b/c d.csv ",
         ["rd.year=2016", LIST_VALUE, "startups.startup_file=/a b/c d.csv"]),
        ('topsectoren.themes=["Hightech en materialen", Gezondheid, Energie, "Klimaat en water"]',
         ['topsectoren.themes=["Hightech en materialen", Gezondheid, Energie, "Klimaat en water"]']),
        ("", []),
        ("   ", []),
    ],
)  # fmt: skip
def test_params_text_is_split_only_before_chapter_parameter(text, items):
    assert params.split_overrides(text) == items


def _make(target: str, params_text: str, tmp_path: Path) -> list[str]:
    """Run the real Makefile's ``target`` with a stand-in for .venv/bin/python that records its
    arguments (nothing is built); returns the runner's arguments."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "argv"
    stub = bin_dir / "python"
    stub.write_text(f"#!/bin/sh\nprintf '%s\\0' \"$@\" > '{record}'\n")
    stub.chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make sets up no venv
    result = subprocess.run(
        ["make", "--no-print-directory", "-f", str(config.ROOT / "Makefile"), target,
         f"BIN={bin_dir}", f"STAMP={stamp}", f"PARAMS={params_text}", "VARIANT=fieldcase09"],
        cwd=config.ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    argv = record.read_text(encoding="utf-8").split("\0")[:-1]
    assert argv[:2] == ["-m", "helpers.build.runner"]
    return argv[2:]


@pytest.mark.parametrize("target", ["book", "watch"])
def test_make_passes_a_list_and_a_path_with_spaces_whole(target, tmp_path, monkeypatch):
    text = f"{LIST_VALUE} startups.startup_file={SPACED_FILE}"
    argv = _make(target, text, tmp_path)
    seen: dict = {}

    def fake_run(chapters: dict, **options: object) -> list:
        seen["chapters"] = chapters
        return []

    def fake_watch(args: object) -> int:
        seen["chapters"] = runner.apply_overrides(runner.load_params(), list(args.set))
        return 0

    monkeypatch.setattr(config, "BUILD_DIR", tmp_path / "_build")  # its lock, not the book's
    monkeypatch.setattr(runner, "run", fake_run)
    monkeypatch.setattr(runner.gc, "freeze", lambda: None)
    monkeypatch.setattr("helpers.build.watch.watch", fake_watch)
    assert runner.main(argv) == 0
    chapters = seen["chapters"]
    assert chapters["innovatieve_bedrijven"].parameters["class_bounds"] == [1000, 500, 100]
    assert chapters["startups"].parameters["startup_file"] == str(SPACED_FILE)
    assert " " in str(SPACED_FILE)


def test_make_without_params_overrides_nothing(tmp_path, monkeypatch):
    argv = _make("book", "", tmp_path)
    seen: dict = {}
    monkeypatch.setattr(config, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(runner, "run", lambda chapters, **_: seen.setdefault("c", chapters))
    monkeypatch.setattr(runner.gc, "freeze", lambda: None)
    assert runner.main(argv) == 0
    assert {n: c.parameters for n, c in seen["c"].items()} == {
        n: c.parameters for n, c in runner.load_params().items()
    }


# --- YAML errors: one line naming the place ------------------------------------------------------


def _main_error(capsys, *argv: str) -> str:
    assert runner.main([*argv, "--only", "no-such-chapter"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 2 and lines[1].endswith("left unchanged."), err
    return lines[0]


@pytest.mark.parametrize("option", ["--overrides", "--set"])
def test_a_yaml_error_in_an_override_is_one_line_naming_it(capsys, option):
    line = _main_error(capsys, option, "innovatieve_bedrijven.class_bounds=[1000, 500")
    assert line.startswith(
        "[book] ERROR: Override 'innovatieve_bedrijven.class_bounds=[1000, 500': value "
        "'[1000, 500', column 11: expected ',' or ']'"
    )


def test_a_yaml_error_in_params_yml_is_one_line_with_line_and_column(capsys, tmp_path):
    text = config.PARAMS_FILE.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(text) if line.strip() == "edition: 2023")
    text[number] = text[number] + ": oops"  # edition: 2023: oops
    broken = tmp_path / "params.yml"
    broken.write_text("\n".join(text) + "\n", encoding="utf-8")
    column = text[number].index(": oops") + 1
    line = _main_error(capsys, "--params", str(broken))
    assert line == (
        f"[book] ERROR: {broken}, line {number + 1}, column {column}: mapping values are not "
        "allowed here"
    )


def test_load_params_itself_gives_the_one_line_error(tmp_path):
    """make watch re-reads params.yml after every change through runner.load_params: a YAML
    slip there is the same one line, not a traceback."""
    broken = tmp_path / "params.yml"
    broken.write_text("chapters:\n  europa: {notebook: [\n", encoding="utf-8")
    with pytest.raises(runner.RunnerError, match=r"params.yml, line \d+, column \d+"):
        runner.load_params(broken)
    broken.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(runner.RunnerError, match="no 'chapters:' mapping"):
        runner.load_params(broken)


def test_load_yaml_file_names_the_file_relative_to_the_project():
    with pytest.raises(ParameterError, match=r"^no-such\.yml cannot be read"):
        params.load_yaml_file(config.ROOT / "no-such.yml")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("innovatieve_bedrijven.class_bounds", "is not of the form chapter.parameter=value"),
        ("class_bounds=[1]", "is not of the form chapter.parameter=value"),
        ("rd.corop_rd_file=@file.csv", "column 1: found character '@' that cannot start any token"),
        ('rd.corop_rd_file="a: b.csv', "found unexpected end of stream"),
    ],
)
def test_parse_override_errors_are_one_line(item, message):
    with pytest.raises(ParameterError) as info:
        params.parse_override(item)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert str(info.value).startswith(f"Override {item!r}")


# --- list parameters are checked by their rules --------------------------------------------------


def _check(chapter: str, **values: object) -> None:
    validate(chapter, {**CHAPTERS[chapter].parameters, **values}, CHAPTERS[chapter].valid)


def test_the_field_case_values_pass():
    _check("innovatieve_bedrijven", class_bounds=[1000, 500, 100])
    _check("innovatieve_bedrijven", class_bounds=[250])
    _check("startups", startup_file=str(SPACED_FILE))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            [100, 500, 1000],
            "should be strictly descending (largest first, no item twice), e.g. [1000, 500, 100]",
        ),  # fmt: skip
        ([500, 500, 100], "e.g. [500, 100]"),
        ([], "should have at least 1 item, not 0"),
        ([500, "veel", 100], "item 'veel' is not valid; valid items: a number greater than 0"),
        ([500, 0, -1], "item 0 is not valid; valid items: a number greater than 0"),
        ([500, True], "item True is not valid"),
    ],
)
def test_class_bounds_are_checked(value, message):
    with pytest.raises(ParameterError) as info:
        _check("innovatieve_bedrijven", class_bounds=value)
    assert str(info.value).startswith("Chapter 'innovatieve_bedrijven': class_bounds = ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (["Gezondheid", "Water", "Energie", "Samenleving"],
         "item 'Water' is not valid; valid items: Hightech en materialen, Gezondheid"),
        (["Gezondheid", "Gezondheid", "Energie", "Samenleving"], "has an item twice ('Gezondheid')"),
        (["Gezondheid", "Energie"], "should have 4 items, not 2"),
    ],
)  # fmt: skip
def test_themes_are_checked_against_the_theme_table(value, message):
    with pytest.raises(ParameterError) as info:
        _check("topsectoren", themes=value)
    assert message in str(info.value)
    if "valid items" in message:
        assert "(from data/topsectors/themes.csv, column thema)" in str(info.value)


def test_a_list_parameter_without_a_rule_for_lists_is_refused():
    with pytest.raises(ParameterError, match=r"chapter 'c': list parameter\(s\) bounds without a rule for lists"):  # fmt: skip
        validate("c", {"bounds": [3, 2, 1], "year": 2016}, {"year": {"choices": [2016]}})
    with pytest.raises(ParameterError, match="without a rule for lists"):  # a rule, not for lists
        validate("c", {"bounds": [3, 2, 1]}, {"bounds": {"positive": True}})
    validate("c", {"bounds": [3, 2, 1]}, {"bounds": {"list_of": {"positive": True}}})


def test_every_list_parameter_in_params_yml_has_a_rule_for_lists():
    lists = {
        (name, param)
        for name, chapter in CHAPTERS.items()
        for param, value in chapter.parameters.items()
        if isinstance(value, list)
    }
    assert lists >= {("innovatieve_bedrijven", "class_bounds"), ("topsectoren", "themes")}
    for name, param in lists:
        rules = CHAPTERS[name].valid[param]
        assert any(set(r) & {"list_of", "length", "unique", "descending"} for r in params._rules(rules))  # fmt: skip


def test_a_bad_length_rule_is_refused():
    with pytest.raises(ParameterError, match="length is a number of items N or"):
        validate("c", {"bounds": [1]}, {"bounds": {"length": "many"}})
