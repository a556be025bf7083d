"""The whole path: runner -> papermill -> Jupyter Book, on a copy of the project."""

import json
import re
import shutil

import pandas as pd
import pytest
import yaml

from conftest import record_checksum, run_runner
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
    assert re.search(
        r'<img alt="Kaart van Europa[^"]+" (loading="lazy" )?src="[^"]*ris-kaart\.png"', text
    )
    assert "Figuur 1" in text
    assert "<iframe" in raw and "leaflet" in raw.lower()
    # Both tables, the published one with the values as printed.
    assert "Tabel 1" in text and "Tabel 2" in text
    published = _table_text(text, "tab-europa-tabel-1-gepubliceerd")
    assert "Utrecht 107,5 136,6 Innovatieleider Noord-Brabant 102,5 130,3" in published
    assert "Overijssel 92,9 118,0 Sterke innovator +" in published
    assert published.endswith("Friesland 74,8 95,0 Sterke innovator")
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
    assert kernels == ["forked"] * len(load_params())


def test_failing_notebook_names_notebook_and_cell_and_keeps_the_book(built, tmp_path):
    project, _ = built
    before = _snapshot(project)
    bad = tmp_path / "corop_bad.csv"
    bad.write_text("corop,jaar\nCR01,2015\n")  # the R&D column is missing
    result = run_runner(project, "--set", f"rd.corop_rd_file={bad}")
    assert result.returncode == 1
    assert "notebooks/rd.ipynb failed in cell" in result.stderr
    assert "missing column(s) ['rd_bedrijven_mln_euro']" in result.stderr
    assert "Traceback (last lines)" in result.stderr and "load_user_file" in result.stderr
    assert "previously published book was left unchanged" in result.stderr
    assert _snapshot(project) == before


def test_incremental_rebuilds_only_what_changed(built):
    project, _ = built
    result = run_runner(project)  # nothing changed since the build
    assert result.returncode == 0, result.stderr
    assert "nothing changed" in result.stdout and "executing" not in result.stdout
    name = "processed/rd/patents_nuts3_nl.csv"
    data = project / "data" / name
    original = data.read_bytes()
    try:
        data.write_bytes(original[: len(original) // 2])  # truncated: refused by name
        result = run_runner(project)
        assert result.returncode == 1
        assert f"data/{name} does not match its checksum" in result.stderr
        assert "previously published book was left unchanged" in result.stderr
        data.write_bytes(original + b"\n")  # same table, new content hash, recorded
        record_checksum(project, name)
        result = run_runner(project)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "rd: executing" in out and f"data changed: {name}" in out
        assert "europa: skipped (unchanged)" in out
        assert "hoogopgeleiden: skipped (unchanged)" in out
        assert "HTML built" in out
    finally:
        data.write_bytes(original)
        record_checksum(project, name)
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
        ("europa.year=1999", "year = 1999 is not valid; valid values: 2016, 2017"),
        ("rd.year=2019", "valid values: 2012, 2013, 2014, 2015, 2016"),
        ("europa.edition=2017", "valid values: 2023"),
    ],
)
def test_invalid_parameters_fail_before_any_notebook_runs(book_copy, override, message):
    result = run_runner(book_copy, "--set", override, "--no-build")
    assert result.returncode == 1
    assert message in result.stderr
    assert "executing" not in result.stdout


def test_a_value_the_data_lack_leaves_the_published_book_as_it_was(built):
    project, _ = built
    before = _snapshot(project)
    result = run_runner(project, "--set", "hoogopgeleiden.gemeente_year=1990")
    assert result.returncode == 1
    maps = sorted(p.stem[-4:] for p in (project / "data/processed/geo").glob("nl_gemeente_*"))
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert errors == [
        "[book] ERROR: Chapter 'hoogopgeleiden': gemeente_year = 1990 is not valid; valid "
        f"values: {', '.join(maps)} (from file names data/processed/geo/nl_gemeente_*.geojson)"
    ]
    assert "executing" not in result.stdout and "skipped" not in result.stdout
    assert _snapshot(project) == before


NEW_CHAPTER = "nieuw_hoofdstuk"


def _new_chapter_notebook(path):
    """A chapter as an analyst adds one: narrative, a parameters cell, a glued number and a
    table."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Een nieuw hoofdstuk\n\nR&D per provincie, opnieuw."),
        nbformat.v4.new_code_cell("year = 2015  # year of CBS R&D per province"),
        nbformat.v4.new_code_cell(
            "import pandas as pd\n\n"
            "from helpers import config\n"
            "from helpers.presentation.figures import book_table\n"
            "from helpers.presentation.narrative import glue_text\n\n"
            'rd = pd.read_csv(config.data_file("processed", "rd", "cbs_rd_provincie.csv"))\n'
            'rows = rd[rd["year"] == year]\n'
            'glue_text("nh_year", str(year))\n'
            'glue_text("nh_total", f"{rows[\'rd_mln_euro\'].sum():.0f}")'
        ),
        nbformat.v4.new_markdown_cell(
            "In {glue:text}`nh_year` gaven de provincies samen {glue:text}`nh_total` miljoen "
            "euro uit aan R&D ({numref}`tab-nieuw-hoofdstuk-provincies`)."
        ),
        nbformat.v4.new_code_cell(
            'book_table(rows[["provincie_naam", "rd_mln_euro"]].astype(str), '
            'chapter="nieuw_hoofdstuk", name="provincies", '
            'caption=f"R&D-uitgaven per provincie, {year}", source="CBS", status="nieuw")'
        ),
    ]
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {  # as JupyterLab saves it with the project's kernel
        "name": "regionale-innovatie",
        "display_name": "Python (regionale-innovatie)",
        "language": "python",
    }
    nbformat.write(nb, path)


def test_a_new_chapter_is_a_notebook_a_params_entry_and_a_toc_line(built, tmp_path):
    """On a copy of the built project, add a chapter the README's way (and nothing else):
    it is built into the book, the other chapters are not run again, and its parameters are
    checked like every chapter's."""
    source, _ = built
    project = tmp_path / "project"
    shutil.copytree(source, project, ignore=shutil.ignore_patterns(".work", "variants"))
    # 1. the notebook
    _new_chapter_notebook(project / "notebooks" / f"{NEW_CHAPTER}.ipynb")
    # 2. its params.yml entry: parameters and their valid values
    params = yaml.safe_load((project / "params.yml").read_text(encoding="utf-8"))
    params["chapters"][NEW_CHAPTER] = {
        "notebook": f"notebooks/{NEW_CHAPTER}.ipynb",
        "title": "Een nieuw hoofdstuk",
        "parameters": {"year": 2015},
        "valid": {"year": {"years_in": "processed/rd/cbs_rd_provincie.csv"}},
    }
    (project / "params.yml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))  # fmt: skip
    # 3. its line in _toc.yml
    toc_path = project / "_toc.yml"
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    toc["chapters"].insert(1, {"file": f"book/_generated/{NEW_CHAPTER}"})
    toc_path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False))

    result = run_runner(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{NEW_CHAPTER}: executing" in result.stdout
    # The other chapters need nothing new: only the new one runs for want of a previous run.
    assert result.stdout.count("reason: no previous run") == 1
    assert "notebook changed" not in result.stdout and "parameters changed" not in result.stdout
    assert "WARNING:" not in result.stdout + result.stderr
    html = project / "_build" / "html"
    page = _plain(html / "book" / "_generated" / f"{NEW_CHAPTER}.html")
    rd = pd.read_csv(project / "data" / "processed" / "rd" / "cbs_rd_provincie.csv")
    total = f"{rd[rd['year'] == 2015]['rd_mln_euro'].sum():.0f}"
    said = f"In 2015 gaven de provincies samen {total} miljoen euro uit aan R&D"
    assert re.search(re.escape(said) + r" \( ?Tabel \d+ ?\)", page), page  # glue and numref
    assert "R&D-uitgaven per provincie, 2015" in page
    assert "Status: nieuwe analyse" in page
    assert f"{NEW_CHAPTER}.html" in (html / "index.html").read_text(encoding="utf-8") + (
        html / "book" / "intro.html"
    ).read_text(encoding="utf-8")  # in the book's navigation

    # Its parameters are checked like every chapter's, before anything runs.
    refused = run_runner(project, "--set", f"{NEW_CHAPTER}.year=1990", "--no-build")
    assert refused.returncode == 1 and "executing" not in refused.stdout
    years = ", ".join(str(y) for y in sorted(rd["year"].unique()))
    assert f"Chapter '{NEW_CHAPTER}': year = 1990 is not valid; valid values: {years}" in refused.stderr  # fmt: skip
    # A year without a rule is refused too.
    del params["chapters"][NEW_CHAPTER]["valid"]
    (project / "params.yml").write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False))  # fmt: skip
    bare = run_runner(project, "--no-build")
    assert bare.returncode == 1 and "executing" not in bare.stdout
    assert f"chapter '{NEW_CHAPTER}': year-like parameter(s) year without a rule" in bare.stderr


def _outputs(notebook):
    """(figures, tables, interactive maps) an executed notebook shows."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    markdown, html = [], []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            for mime, parts in (("text/markdown", markdown), ("text/html", html)):
                text = output.get("data", {}).get(mime)
                if text:
                    parts.append("".join(text) if isinstance(text, list) else text)
    markdown, html = "\n".join(markdown), "\n".join(html)
    return markdown.count("```{figure}"), markdown.count("```{table}"), html.count("<iframe")


@pytest.mark.parametrize("chapter", list(load_params()))
def test_every_chapter_page(built, chapter):
    """Every figure, table and interactive map the chapter's notebook made is on its page,
    with alt text, a CSV download and a status line; every glued value is resolved."""
    project, _ = built
    figures, tables, maps = _outputs(project / "book" / "_generated" / f"{chapter}.ipynb")
    assert figures + tables >= 1, f"{chapter} shows no figure or table"
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
