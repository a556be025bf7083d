"""The whole path: runner -> papermill -> Jupyter Book, on a copy of the project."""

import re

import pytest

from conftest import run_runner
from helpers.runner import load_params

pytestmark = pytest.mark.slow


def _html_text(path):
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<script.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<iframe.*?</iframe>", "", html, flags=re.S)
    return html


def _table_text(html, table_id):
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, flags=re.S)
    assert match, f"table {table_id} not in page"
    body = re.sub(r"<caption.*?</caption>|<thead.*?</thead>", "", match.group(0), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


@pytest.fixture(scope="module")
def built(book_copy):
    result = run_runner(book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    return book_copy, result


def test_book_builds_without_warnings_with_map_and_both_tables(built):
    project, result = built
    html_dir = project / "_build" / "html"
    assert (html_dir / "index.html").is_file()
    chapters = load_params()
    assert f"(1/{len(chapters)}) europa: executing" in result.stdout and "done in" in result.stdout
    assert "WARNING:" not in result.stdout + result.stderr  # Sphinx warnings (and -W fails on them)
    page = html_dir / "book" / "_generated" / "europa.html"
    raw = page.read_text(encoding="utf-8")
    text = _html_text(page)
    # Static map (numbered figure with alt text) and the interactive folium map.
    assert re.search(r'<img alt="Kaart van Europa[^"]+" src="[^"]*ris-kaart\.png"', text)
    assert "Figuur 1" in text
    assert "<iframe" in raw and "leaflet" in raw.lower()
    # Both tables, the published one with the values as printed.
    assert "Tabel 1" in text and "Tabel 2" in text
    published = _table_text(text, "tab-europa-tabel-1-gepubliceerd")
    assert "Utrecht 107,5 136,6 Innovatieleider Noord-Brabant 102,5 130,3" in published
    assert "Overijssel 92,9 118 Sterke innovator +" in published
    assert published.endswith("Friesland 74,8 95 Sterke innovator")
    assert "Utrecht" in _table_text(text, "tab-europa-tabel-1-herberekend")
    # Data behind the figures is downloadable.
    assert len(list((html_dir / "_downloads").rglob("*.csv"))) >= 4
    # No unresolved glue keys or references.
    assert "europa_" not in re.sub(r"<[^>]+>", "", text)


def test_failing_notebook_names_notebook_and_cell_and_keeps_the_book(built):
    project, _ = built
    index = project / "_build" / "html" / "index.html"
    page = project / "_build" / "html" / "book" / "_generated" / "europa.html"
    before = (index.read_bytes(), page.read_bytes())
    result = run_runner(project, "--set", "europa.year=1999")
    assert result.returncode == 1
    assert "notebooks/europa.ipynb failed in cell" in result.stderr
    assert "available years: 2016" in result.stderr
    assert (index.read_bytes(), page.read_bytes()) == before


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("nope.year=2021", "Unknown chapter 'nope'"),
        ("europa.jaar=2021", "has no parameter 'jaar'; parameters: edition, year"),
        ("europa.year=twenty", "should be of type int"),
    ],
)
def test_invalid_parameters_fail_before_any_notebook_runs(book_copy, override, message):
    result = run_runner(book_copy, "--set", override, "--no-build")
    assert result.returncode == 1
    assert message in result.stderr
    assert "executing" not in result.stdout


@pytest.mark.parametrize(
    ("chapter", "figures", "tables"),
    [("rd", 3, 2), ("hoogopgeleiden", 3, 1)],
)
def test_rd_and_human_capital_pages(built, chapter, figures, tables):
    project, _ = built
    raw = (project / "_build" / "html" / "book" / "_generated" / f"{chapter}.html").read_text(
        encoding="utf-8"
    )
    images = re.findall(r"<img [^>]*>", raw)
    assert len(images) >= figures
    assert all('alt="' in img and 'alt=""' not in img for img in images)
    assert raw.count("<iframe") >= 2  # interactive maps (province and COROP / gemeente)
    assert len(re.findall(r'<table[^>]*id="tab-', raw)) >= tables
    assert raw.count(".csv") >= figures + tables  # data behind every figure and table
    assert "glue" not in re.sub(r"<[^>]+>", "", raw).lower()  # every glued number resolved
