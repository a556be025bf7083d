"""What readers see around the text (issue 15, review): the theme's words, the search field,
citations and the bibliography in Dutch (helpers.build.dutch); icon fonts browsers accept, the
address's redirect page with the book's icon, the search field's magnifier beside the text and
print without the theme's contents list (helpers.build.theme_assets). Unit tests first, then
checks of the built book (a copy, tests/conftest.py) and in Chromium (tests/test_browser.py's
server and browser)."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont
from pybtex.database import parse_string
from test_browser import _open, browser, site  # noqa: F401 (fixtures)

from helpers.build import dutch, theme_assets
from helpers.build.pdf import toc_pages

PYDATA = Path(pydata_sphinx_theme.__file__).parent
WEBFONTS = (
    PYDATA / "theme" / "pydata_sphinx_theme" / "static" / "vendor" / "fontawesome" / "webfonts"
)
FONTS_OUT = Path("_static") / "vendor" / "fontawesome" / "webfonts"

#: Words of the themes and of Sphinx that readers met in English (review of issue 15).
ENGLISH_UI = (
    "Search this book",
    "Skip to main content",
    "Back to top",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    'aria-label="Main"',
    "Color mode",
    "System Settings",
    "previous page",
    "next page",
    "Version warning",
    "Link to this heading",
    "Link to this table",
    "Link to this image",
)

BIB = r"""
@techreport{rep, author = {{Rathenau Instituut}}, title = {De Nederlandse wetenschap in de
  European Research Area}, institution = {Rathenau Instituut}, address = {Den Haag}, year = {2016}}
@book{two, author = {Katz, Bruce and Bradley, Jennifer}, title = {The Metropolitan Revolution},
  publisher = {Brookings}, year = {2013}}
@article{three, author = {Florida, Richard and Adler, Patrick and Mellander, Charlotta},
  title = {The city as innovation machine}, journal = {Regional Studies}, volume = {51},
  pages = {86--96}, year = {2017}}
@incollection{ed, author = {Smith, Ann}, title = {Een bijdrage}, booktitle = {Een bundel},
  editor = {Doe, Jan and Roe, Piet}, publisher = {P}, chapter = {3}, pages = {1--9},
  edition = {2e}, year = {2020}, url = {https://example.org/x}, urldate = {2024-01-02}}
"""


# --- unit tests --------------------------------------------------------------------------------


def test_font_subsets_are_fonts_browsers_accept(tmp_path):
    """A font that holds none of the icons gets no subset (an empty character map is what
    Chromium refused: 'OTS parsing error: cmap: No subtables'), and its @font-face goes."""
    webfonts = tmp_path / "webfonts"
    shutil.copytree(WEBFONTS, webfonts)
    bars, magnifier = 0xF0C9, 0xF002  # two solid icons; no brand
    written = theme_assets.subset_fonts(webfonts, {bars, magnifier})
    names = {path.name for path in written}
    assert "fa-solid-900.subset.woff2" in names and "fa-brands-400.subset.woff2" not in names
    assert sorted(p.name for p in webfonts.iterdir()) == sorted(names)
    for path in written:
        cmap = TTFont(path)["cmap"]
        assert cmap.tables and all(table.cmap for table in cmap.tables), path.name
        assert set(cmap.getBestCmap()) <= {bars, magnifier}
    css = (
        "@font-face{font-family:a;src:url(../vendor/fontawesome/webfonts/fa-solid-900.subset.woff2)"
        ' format("woff2")}@font-face{font-family:b;src:url(../vendor/fontawesome/webfonts/'
        'fa-brands-400.subset.woff2) format("woff2")}.x{color:red}'
    )
    slim = theme_assets.drop_font_faces(css, {"fa-brands-400.subset.woff2"})
    assert "fa-brands" not in slim and "fa-solid-900.subset.woff2" in slim and ".x{" in slim


def test_redirect_page_names_the_book_icon():
    page = theme_assets.redirect_page("book/intro.html", "Boek & zo", "_static/favicon.svg")
    assert '<link rel="icon" href="_static/favicon.svg">' in page
    assert 'content="0; url=book/intro.html"' in page and 'lang="nl"' in page
    assert "<title>Boek &amp; zo</title>" in page
    assert 'rel="icon"' not in theme_assets.redirect_page("a.html", "t")


def test_catalog_translates_every_word_of_the_pydata_theme():
    """Every message of the PyData theme's templates (its sphinx.pot; a theme update that
    adds one fails here) has a Dutch translation, and the catalog compiles."""
    with (PYDATA / "locale" / "sphinx.pot").open("rb") as handle:
        template = read_po(handle)
    wanted = {
        m.id
        for m in template
        if m.id and any("theme/pydata_sphinx_theme" in place for place, _ in m.locations)
    }
    catalog = dutch.read_catalog()
    assert not sorted(wanted - set(catalog))
    assert catalog["Skip to main content"] != "Skip to main content"


def test_catalog_compiles_for_sphinx(tmp_path):
    import gettext

    folder = dutch.compile_catalog(dutch.CATALOG, tmp_path)
    translation = gettext.translation("sphinx", localedir=str(folder), languages=["nl"])
    assert translation.gettext("Back to top") == "Terug naar boven"


def test_javascript_catalog_gets_what_sphinx_left_empty():
    key = "Search finished, found ${resultCount} page(s) matching the search query."
    catalog = {"locale": "nl", "messages": {key: "", "Search": "Zoeken", "Other": ""}}
    script = f"Documentation.addTranslations({json.dumps(catalog)});"
    done = dutch.complete_js_catalog(script, {key: "Klaar: ${resultCount}", "Search": "X"})
    assert '"Klaar: ${resultCount}"' in done and '"Search": "Zoeken"' in done
    assert done.startswith("Documentation.addTranslations({") and done.endswith("});")
    assert '"Other": ""' in done


def _formatted(style: object) -> dict[str, str]:
    data = parse_string(BIB, "bibtex")
    entries = style.format_entries(data.entries.values())
    return {entry.key: entry.text.render_as("text") for entry in entries}


def test_bibliography_style_is_dutch():
    text = _formatted(dutch.DutchPlainStyle())
    assert text["two"].startswith("Bruce Katz en Jennifer Bradley.")
    assert text["three"].startswith("Richard Florida, Patrick Adler en Charlotta Mellander.")
    assert "Rapport, Rathenau Instituut" in text["rep"]
    # titles as written: not "De nederlandse wetenschap in de european research area"
    assert "De Nederlandse wetenschap in de European Research Area." in text["rep"]
    assert "Jan Doe en Piet Roe (red.)" in text["ed"] and "2e druk" in text["ed"]
    assert "hoofdstuk 3, p. 1–9" in text["ed"].replace("\xa0", " ")
    assert "geraadpleegd op 2024-01-02" in text["ed"]
    english = re.compile(r"\b(and|Technical Report|editors?|edition|pages|chapter|visited)\b")
    assert not [t for t in text.values() if english.search(t)], text


# --- the built book --------------------------------------------------------------------------


def _pages(html_dir: Path) -> list[Path]:
    return [html_dir / page for page in [*toc_pages(), "search.html", "genindex.html"]]


def _article_text(path: Path) -> str:
    article = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find("article")
    return " ".join(article.get_text().split())


@pytest.mark.slow
def test_built_pages_speak_dutch_around_the_text(built):
    project, _ = built
    html_dir = project / "_build" / "html"
    for path in _pages(html_dir):
        text = path.read_text(encoding="utf-8")
        found = [words for words in ENGLISH_UI if words in text]
        assert not found, f"{path.relative_to(html_dir)}: English {found}"
    search = (html_dir / "search.html").read_text(encoding="utf-8")
    assert 'placeholder="Zoeken in dit boek…"' in search
    translations = (html_dir / "_static" / "translations.js").read_text(encoding="utf-8")
    assert '"Search finished, found ${resultCount} page(s) matching the search query.": ""' not in (
        translations
    )


@pytest.mark.slow
def test_built_citations_and_bibliography_are_dutch(built):
    project, _ = built
    html_dir = project / "_build" / "html"
    intro = _article_text(html_dir / "book" / "intro.html")
    assert "Katz en Bradley, 2013" in intro and "Katz and Bradley" not in intro
    assert re.search(r"\((?:[^()]*?, \d{4}; )+[^()]*?, \d{4}\)", intro), "no '(A, 2011; B, 2013)'"
    bibliography = _article_text(html_dir / "book" / "bibliografie.html")
    assert "Rapport" in bibliography and "Technical Report" not in bibliography
    assert "Bruce Katz en Jennifer Bradley" in bibliography
    page = (html_dir / "book" / "bibliografie.html").read_text(encoding="utf-8")
    entries = [e.get_text() for e in BeautifulSoup(page, "html.parser").select(".citation p")]
    authors = [entry.split(". ")[0] for entry in entries]
    assert len(entries) >= 5 and not [a for a in authors if " and " in a], authors
    assert "European Research Area" in bibliography  # titles keep their capitals


@pytest.mark.slow
def test_built_icon_fonts_parse_and_the_redirect_page_has_the_icon(built):
    project, _ = built
    html_dir = project / "_build" / "html"
    fonts = sorted((html_dir / FONTS_OUT).glob("*.woff2"))
    assert fonts
    for font in fonts:
        cmap = TTFont(io.BytesIO(font.read_bytes()))["cmap"]
        assert cmap.tables and all(table.cmap for table in cmap.tables), font.name
    css = (html_dir / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    for url in re.findall(r"url\(\.\./(vendor/fontawesome/webfonts/[^)]+)\)", css):
        assert (html_dir / "_static" / url).is_file(), url
    index = (html_dir / "index.html").read_text(encoding="utf-8")
    icon = re.search(r'<link rel="icon" href="([^"]+)"', index)
    assert icon and (html_dir / icon.group(1)).is_file()
    assert re.search(r'http-equiv="Refresh" content="0; url=book/intro\.html"', index)


# --- in Chromium ---------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1300])
@pytest.mark.slow
@pytest.mark.browser
def test_search_field_is_dutch_and_its_magnifier_leaves_the_text_free(browser, site, width):  # noqa: F811
    page, problems = _open(browser, f"{site}/search.html", viewport={"width": width, "height": 800})
    field = page.locator(".bd-search-container form.bd-search input")
    assert field.get_attribute("placeholder") == "Zoeken in dit boek…"
    overlap = page.evaluate(
        """() => { const form = document.querySelector('.bd-search-container form.bd-search');
             const icon = form.querySelector('.fa-magnifying-glass').getBoundingClientRect();
             const input = form.querySelector('input'), box = input.getBoundingClientRect();
             const text = box.left + parseFloat(getComputedStyle(input).paddingLeft);
             return icon.right - text; }"""
    )
    assert overlap <= 0, f"the magnifier covers {overlap:.0f} px of the field's text"
    assert problems == []
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_fonts_decode_and_print_has_no_contents_list(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    warnings: list[str] = []
    page.on(
        "console", lambda m: warnings.append(m.text) if m.type in ("warning", "error") else None
    )
    page.goto(f"{site}/book/_generated/bronnen.html", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    assert not [w for w in warnings if "font" in w.lower() or "OTS" in w], warnings
    page.emulate_media(media="print")
    assert not page.locator("#jb-print-toc").is_visible()
    title = page.locator("article h1").first
    assert title.is_visible()
    first = page.locator("article p").first
    assert abs(title.bounding_box()["x"] - first.bounding_box()["x"]) < 2  # in line with the text
    context.close()
