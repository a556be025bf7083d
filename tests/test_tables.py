"""Book tables as readers get them: one number of decimals per numeric column (Tabel 1 writes
``125,0`` beside ``136,6``), CSV downloads with the unformatted numbers, and a style sheet
that never breaks a word inside a table cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters import europa
from helpers.presentation import europa as views
from helpers.presentation import figures

ROOT = Path(__file__).resolve().parents[1]
ONE_DECIMAL = re.compile(r"^\d{1,3}(\.\d{3})*,\d$")  # Dutch: 1.234,5
SCORES = ["Score t.o.v. NL", "Score t.o.v. EU"]


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- format_columns ---------------------------------------------------------------------


def test_format_columns_gives_each_column_one_number_of_decimals():
    table = pd.DataFrame(
        {"naam": ["a", "b", "c"], "x": [136.6, 125.0, 13695.25], "n": [3, 12, None]}
    )
    shown = figures.format_columns(table, {"x": 1, "n": 0})
    assert list(shown["x"]) == ["136,6", "125,0", "13.695,2"]  # half to even
    assert list(shown["n"]) == ["3", "12", "–"]
    assert list(shown["naam"]) == ["a", "b", "c"]
    assert table["x"].tolist() == [136.6, 125.0, 13695.25]  # the input is not changed


def test_format_columns_refuses_an_unknown_column():
    with pytest.raises(KeyError, match="'y'"):
        figures.format_columns(pd.DataFrame({"x": [1.0]}), {"y": 1})


# --- Tabel 1 (RIS 2017 as published) -----------------------------------------------------


def test_table_1_writes_every_score_with_one_decimal():
    shown = views.published_table(europa.published_table()).set_index("Provincie")
    for column in SCORES:
        bad = [v for v in shown[column] if not ONE_DECIMAL.match(v)]
        assert bad == [], f"{column}: not written with one decimal: {bad}"
    assert shown.loc["Utrecht", "Score t.o.v. EU"] == "136,6"
    assert shown.loc["Groningen", "Score t.o.v. EU"] == "125,0"  # printed as 125
    assert shown.loc["Friesland", "Score t.o.v. EU"] == "95,0"  # printed as 95


def _notebook_cell(notebook: Path, marker: str) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    found = [s for s in sources if marker in s]
    assert len(found) == 1, f"{notebook.name}: {len(found)} cells with {marker!r}"
    return found[0]


def test_table_1_in_the_book_and_its_csv(in_tmp):
    """Runs the chapter's own Tabel 1 cell: the MyST table has right-aligned scores with one
    decimal, the CSV download the unformatted numbers."""
    published = europa.published_table()
    cell = _notebook_cell(ROOT / "notebooks" / "europa.ipynb", 'name="tabel-1-gepubliceerd"')
    item = eval(  # noqa: S307 (the chapter's own cell: one book_table call)
        cell,
        {"book_table": figures.book_table, "views": views, "published": published},
    )
    rows = [line for line in item.markdown.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    rules = rows[1].strip("|").split("|")
    body = [[c.strip() for c in r.strip("|").split("|")] for r in rows[2:]]
    assert len(body) == 12
    for column in SCORES:
        i = header.index(column)
        assert rules[i] == "--:", f"{column} is not right-aligned"
        assert all(ONE_DECIMAL.match(r[i]) for r in body), [r[i] for r in body]

    [csv] = [f for f in item.files if f.suffix == ".csv"]
    data = pd.read_csv(csv)
    for column in ("score_nl", "score_eu"):
        assert pd.api.types.is_float_dtype(data[column]), f"CSV {column}: {data[column].dtype}"
    assert data["score_eu"].tolist() == published["score_eu"].tolist()
    assert "125,0" not in csv.read_text(encoding="utf-8")  # no formatted numbers in the CSV


# --- style sheet --------------------------------------------------------------------------


def _rules(css: str) -> dict[str, str]:
    """Selector -> body of its first rule (screen rules come before the print stylesheet)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    rules: dict[str, str] = {}
    for sels, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for sel in sels.split(","):
            rules.setdefault(" ".join(sel.split()), body)
    return rules


def test_style_sheet_never_breaks_a_word_in_a_table_cell():
    rules = _rules((ROOT / "src/helpers/build/static/ri-book.css").read_text(encoding="utf-8"))
    for cell in ("article table td", "article table th"):
        assert cell in rules, f"no rule for {cell}"
        body = rules[cell]
        assert "overflow-wrap: normal" in body and "word-break: keep-all" in body
        assert "hyphens: manual" in body
    assert "white-space: nowrap" in rules["article table td.text-right"]  # numbers
    container = rules["article .pst-scrollable-table-container"]
    assert "overflow-x: auto" in container  # too wide: the table scrolls sideways
