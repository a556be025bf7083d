"""The whole path: runner -> papermill -> Jupyter Book, on a copy of the project."""

import json
import re

import pandas as pd
import pytest

from conftest import run_runner
from helpers.build.runner import load_params
from helpers.data.registry import load_registry

pytestmark = pytest.mark.slow


def _nl(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _plain(path) -> str:
    """Visible text of a page: tags stripped, entities decoded, whitespace collapsed."""
    import html

    text = re.sub(r"<[^>]+>", " ", _html_text(path))
    return " ".join(html.unescape(text).split())


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


def _snapshot(project):
    """Bytes of every published file: the HTML and the executed notebooks."""
    files = {}
    for folder in (project / "_build" / "html", project / "book" / "_generated"):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                files[path.relative_to(project).as_posix()] = path.read_bytes()
    return files


def test_kernels_of_a_full_build_come_from_the_template(built):
    project, result = built
    assert "kernels are forked from a template" in result.stdout
    manifest = json.loads((project / "_build" / "manifest.json").read_text())
    kernels = [c["last_run"]["kernel"] for c in manifest["chapters"].values()]
    assert kernels == ["forked"] * 7


def test_failing_notebook_names_notebook_and_cell_and_keeps_the_book(built, tmp_path):
    project, _ = built
    before = _snapshot(project)
    bad = tmp_path / "corop_bad.csv"
    bad.write_text("corop,jaar\nCR01,2015\n")  # the R&D column is missing
    result = run_runner(project, "--set", f"rd.corop_rd_file={bad}")
    assert result.returncode == 1
    assert "notebooks/rd.ipynb failed in cell" in result.stderr
    assert "missing column(s) ['rd_bedrijven_mln_euro']" in result.stderr
    assert "Traceback (last lines)" in result.stderr and "load_corop_rd" in result.stderr
    assert "previously published book was left unchanged" in result.stderr
    assert _snapshot(project) == before


def test_incremental_rebuilds_only_what_changed(built):
    project, _ = built
    result = run_runner(project)  # nothing changed since the build
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in result.stdout and "executing" not in result.stdout
    data = project / "data" / "processed" / "rd" / "patents_nuts3_nl.csv"
    original = data.read_bytes()
    try:
        data.write_bytes(original + b"\n")  # same table, new content hash
        result = run_runner(project)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "rd: executing" in out and "data changed: processed/rd/patents_nuts3_nl.csv" in out
        assert "europa: skipped (unchanged)" in out
        assert "hoogopgeleiden: skipped (unchanged)" in out
        assert "HTML built" in out
    finally:
        data.write_bytes(original)
    manifest = json.loads((project / "_build" / "manifest.json").read_text())
    assert "processed/rd/patents_nuts3_nl.csv" in manifest["chapters"]["rd"]["reads"]
    assert "processed/rd/patents_nuts3_nl.csv" not in manifest["chapters"]["europa"]["reads"]


def test_variant_builds_beside_the_default_book(built):
    project, _ = built
    before = _snapshot(project)
    result = run_runner(project, "--variant", "rd2016", "--set", "rd.year=2016")
    assert result.returncode == 0, result.stderr
    variant = project / "_build" / "variants" / "rd2016" / "html"
    page = variant / "book" / "_generated" / "rd.html"
    assert "3.012" in page.read_text(encoding="utf-8")  # Noord-Brabant 2016
    assert _snapshot(project) == before
    # The key findings on the first page follow the chapter's year.
    rd = pd.read_csv(project / "data" / "processed" / "rd" / "cbs_rd_provincie.csv")
    totals = rd.groupby("year")["rd_mln_euro"].sum()
    default_intro = _plain(project / "_build" / "html" / "book" / "intro.html")
    variant_intro = _plain(variant / "book" / "intro.html")
    assert f"In 2015 ging {_nl(totals[2015])} miljoen euro" in default_intro
    assert f"In 2016 ging {_nl(totals[2016])} miljoen euro" in variant_intro
    assert "In 2016 ging" not in default_intro


def test_provenance_page_lists_every_source(built):
    project, _ = built
    text = _plain(project / "_build" / "html" / "book" / "_generated" / "bronnen.html")
    for source in load_registry().values():
        assert source.id in text and source.sha256 in text
    # RIS 2023 is a later edition, used by the Europe chapter; patents are a proxy for R&D
    ris = text[text.index("( ris_2023 )") :][:400]
    assert "latere editie" in ris and "Nederlandse regio" in ris
    patents = text[text.index("( eurostat_patents_nl )") :][:300]
    assert "benadering" in patents and "R&D-uitgaven" in patents


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("nope.year=2021", "Unknown chapter 'nope'"),
        ("europa.jaar=2021", "has no parameter 'jaar'; parameters: edition, year"),
        ("europa.year=twenty", "should be of type int"),
        ("europa.year=1999", "year = 1999 is not available; valid values: 2016, 2017"),
        ("rd.year=2019", "valid values: 2014, 2015, 2016"),
        ("europa.edition=2017", "valid values: 2023"),
    ],
)
def test_invalid_parameters_fail_before_any_notebook_runs(book_copy, override, message):
    result = run_runner(book_copy, "--set", override, "--no-build")
    assert result.returncode == 1
    assert message in result.stderr
    assert "executing" not in result.stdout


@pytest.mark.parametrize(
    ("chapter", "figures", "tables", "maps"),
    [
        ("europa", 2, 2, 1),
        ("rd", 3, 2, 2),
        ("hoogopgeleiden", 3, 1, 2),
        ("innovatieve_bedrijven", 2, 2, 1),
        ("startups", 2, 0, 1),
        ("scale_ups", 1, 1, 1),
        ("topsectoren", 8, 1, 8),
    ],
)
def test_every_chapter_page(built, chapter, figures, tables, maps):
    project, _ = built
    raw = (project / "_build" / "html" / "book" / "_generated" / f"{chapter}.html").read_text(
        encoding="utf-8"
    )
    text = re.sub(r"<[^>]+>", " ", raw)
    images = re.findall(r"<img [^>]*>", raw)
    assert len(images) >= figures
    assert all('alt="' in img and 'alt=""' not in img for img in images)
    assert raw.count("<iframe") >= maps  # interactive maps
    assert len(re.findall(r'<table[^>]*id="tab-', raw)) >= tables
    assert raw.count(".csv") >= figures + tables  # data behind every figure and table
    assert text.count("Status:") >= figures + tables  # source status next to each of them
    assert "glue" not in text.lower()  # every glued number resolved
