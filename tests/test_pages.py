"""Pages as readers get them (issue 15): no page wider than a phone, the provenance page
readable at 390 px, theme assets the book does not use left out (icons and search still work),
one search box, print without navigation, and every page linked to its notebook or file in the
repository. The browser tests reuse the server and Chromium of tests/test_browser.py."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml
from test_browser import _open, browser, site  # noqa: F401 (fixtures)

from helpers.build import provenance, repository, theme_assets
from helpers.build.pdf import _resolve, toc_pages
from helpers.build.runner import load_params
from helpers.data.registry import load_registry

slow_browser = [pytest.mark.slow, pytest.mark.browser]
PAGES = toc_pages()


# --- unit tests (no build) -------------------------------------------------------------------


def test_stylesheet_keeps_the_rules_of_used_icons_only():
    css = (
        '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-cat:before{content:"\\f6be"}'
        "@font-face{font-family:x;src:url(../vendor/fontawesome/webfonts/fa-solid-900.woff2) "
        'format("woff2"),url(../vendor/fontawesome/webfonts/fa-solid-900.ttf) format("truetype")}'
        ".a{color:red}\n/*# sourceMappingURL=pydata-sphinx-theme.css.map */"
    )
    slim, points = theme_assets.slim_stylesheet(css, {"fa-navicon", "fa-github"})
    assert points == {0xF0C9}
    assert ".fa-bars:before,.fa-navicon:before" in slim and "fa-cat" not in slim
    assert "fa-solid-900.subset.woff2" in slim and ".ttf" not in slim
    assert ".a{color:red}" in slim and "sourceMappingURL" not in slim


def test_provenance_entry_shortens_the_checksum_and_keeps_the_full_value():
    source = next(iter(load_registry().values()))
    entry = "\n".join(provenance._source_entry(source, ["europa"], {"europa": "Europa"}))
    summary = re.search(r"<summary>(.*?)</summary>", entry).group(1)
    assert source.sha256 not in summary and source.sha256[: provenance.SHORT_HASH] in summary
    assert f"<code>{source.sha256}</code></details>" in entry
    assert "**Gebruikt in:** Europa" in entry and "|" not in entry.replace("\\|", "")


#: English wording the registry used to have in its reader-facing fields (issue 15): the
#: provenance page is Dutch.
ENGLISH = re.compile(
    r"not (?:re-)?verified|repo states|attribution required|reuse policy|when gathered|"
    r"transcribed|boundaries|none stated|\bregions\b|\bby hand\b|\bconverted\b|"
    r"\bderived\b|participating|vintage",
    re.IGNORECASE,
)


def test_provenance_page_is_dutch_except_the_citations():
    registry = load_registry()
    text = provenance.page({}, {})
    citations = {source.citation for source in registry.values()}
    for citation in citations:  # a citation stays as published (often English)
        text = text.replace(citation, "")
    # names, not words: links to repositories, addresses, file names and ids in code
    text = re.sub(r"\[[^\]]*\]\([^)]*\)|<https?://[^>]*>|`[^`]*`|<code>[^<]*</code>", "", text)
    assert not ENGLISH.findall(text), sorted(set(ENGLISH.findall(text)))
    assert "voor deze kopie niet gecontroleerd" in text and "vast webadres" not in text


def test_chapter_pages_point_at_their_notebook_not_the_generated_copy():
    chapter = next(iter(load_params()))
    assert repository.source_in_repository(f"book/_generated/{chapter}") == (
        f"notebooks/{chapter}.ipynb",
        "notebook",
    )
    assert repository.source_in_repository("book/_generated/bronnen")[0].endswith("provenance.py")
    assert repository.source_in_repository("book/intro", ".md") == ("book/intro.md", "file")


def test_pdf_resolves_links_between_pages():
    assert _resolve("book/_generated/rd.html", "../../_images/a.png") == "_images/a.png"
    assert _resolve("book/_generated/rd.html", "../intro.html#x") == "book/intro.html#x"
    assert _resolve("book/intro.html", "#top") == "book/intro.html#top"
    assert PAGES[0] == "book/intro.html" and "book/bibliografie.html" in PAGES


# --- the built book in Chromium ----------------------------------------------------------------


@pytest.mark.parametrize("path", [*PAGES, "search.html"])
@pytest.mark.slow
@pytest.mark.browser
def test_no_page_is_wider_than_a_phone(browser, site, path):  # noqa: F811
    page, problems = _open(browser, f"{site}/{path}", viewport={"width": 390, "height": 844})
    assert problems == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path}: page is {overflow} px wider than a 390 px screen"
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_provenance_page_reads_on_a_phone(browser, site):  # noqa: F811
    page, _ = _open(
        browser, f"{site}/book/_generated/bronnen.html", viewport={"width": 390, "height": 844}
    )
    sources = load_registry()
    height = page.evaluate("() => document.documentElement.scrollHeight")
    # one card per source (the old table: 99.683 px, over 1.000 px per source)
    assert height <= 700 * len(sources), f"provenance page is {height} px for {len(sources)}"
    assert page.locator(".ri-sources dt").count() == len(sources)
    # no text squeezed into a column a few letters wide
    narrow = page.evaluate(
        "() => [...document.querySelectorAll('article dd, article dt, article td')]"
        ".filter(e => e.innerText.trim().length > 20 && e.clientWidth < 150).length"
    )
    assert narrow == 0
    # the checksum shows shortened; the full value opens with a click
    first = next(iter(sources.values()))
    details = page.locator("details.ri-hash").first
    assert first.sha256 not in details.inner_text()
    details.locator("summary").click()
    assert first.sha256 in details.inner_text()
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_theme_assets_are_light_and_icons_and_search_work(browser, site):  # noqa: F811
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    assets: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            assets.__setitem__(r.url, len(r.body()))
            if re.search(r"\.(css|js|woff2?|ttf)(\?|$)", r.url)
            else None
        ),
    )
    page.goto(f"{site}/book/intro.html", wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)
    assert not [url for url in assets if "fontawesome.js" in url]
    # CSS, scripts and fonts of a text page, uncompressed: 0,7 MB (2,2 MB with the icon script)
    assert sum(assets.values()) < 1_000_000, sorted(assets.items(), key=lambda a: -a[1])[:5]
    # every icon on the page is drawn by the icon font: a glyph, from a font that loaded
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[class*="fa-"]')]
          .filter(e => e.offsetParent !== null)
          .filter(e => getComputedStyle(e, '::before').content === 'none')
          .map(e => e.className)"""
    )
    assert missing == []
    fonts = page.evaluate(
        "() => [...document.fonts].filter(f => f.family.includes('Font Awesome'))"
        ".map(f => f.status)"
    )
    assert "loaded" in fonts and "error" not in fonts, fonts
    # one search box: the sidebar's (not a second one in the header)
    boxes = page.locator(".search-button-field").all()
    assert sum(box.is_visible() for box in boxes) == 1
    context.close()
    page, problems = _open(browser, f"{site}/search.html?q=Utrecht")
    page.wait_for_selector("#search-results li", timeout=10_000)
    assert page.locator("#search-results li").count() > 0 and problems == []
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_print_shows_the_text_without_navigation(browser, site):  # noqa: F811
    chapter = next(iter(load_params()))
    page, _ = _open(browser, f"{site}/book/_generated/{chapter}.html")
    page.emulate_media(media="print")
    for selector in (".bd-sidebar-primary", ".bd-header-article", ".prev-next-area", "button"):
        assert not any(e.is_visible() for e in page.locator(selector).all()), selector
    # the title (the page's own h1; the theme's print header with its contents list is hidden)
    title = page.locator("article h1").inner_text().strip("#").strip()
    assert title in page.locator("h1 >> visible=true").first.inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


@pytest.mark.slow
def test_every_page_links_to_its_source_in_the_repository(built):
    """Each page ends with one link to the file it is made from: in the repository when its
    address is configured, else a copy of that file inside the book (never a made-up URL)."""
    project, _ = built
    settings = yaml.safe_load((project / "_config.yml").read_text(encoding="utf-8"))
    url = (settings["repository"].get("url") or "").rstrip("/")
    branch = settings["repository"].get("branch", "main")
    html = project / "_build" / "html"
    for path in PAGES:
        text = (html / path).read_text(encoding="utf-8")
        links = re.findall(r'class="ri-source-link">.*?href="([^"]+)"', text)
        assert len(links) == 1, f"{path}: {len(links)} repository lines"
        name = path.rsplit("/", 1)[1].removesuffix(".html")
        source = f"notebooks/{name}.ipynb" if name in load_params() else None
        if url:
            assert links[0].startswith(f"{url}/blob/{branch}/"), links[0]
            target = links[0].removeprefix(f"{url}/blob/{branch}/")
        else:
            copy = (html / path).parent / links[0]
            target = copy.resolve().relative_to((html / repository.COPIES).resolve()).as_posix()
            assert copy.read_bytes() == (project / target).read_bytes(), path
        assert "_generated" not in target
        if source:
            assert target == source
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    if url:
        assert f'href="{url}"' in intro  # where code and data live
    else:
        assert "repository van dit project" in intro and "PLACEHOLDER" not in intro
    assert intro.count('class="ri-source-link"') == 1


@pytest.mark.slow
def test_every_csv_download_is_plain_and_says_what_its_columns_hold(built):
    """Every figure's and table's CSV reads with ``pandas.read_csv`` as is, holds no number
    written the Dutch way, and the line next to its link describes each of its columns."""
    from bs4 import BeautifulSoup

    project, _ = built
    html = project / "_build" / "html"
    # a decimal comma, with or without thousands dots: "44,3%", "1.367,5"
    dutch = re.compile(r"^[+\-−]?\d{1,3}(\.\d{3})*,\d+%?$")
    checked = 0
    for path in PAGES:
        soup = BeautifulSoup((html / path).read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("a.download[href$='.csv']"):
            csv = (html / path).parent / link["href"]
            data = pd.read_csv(csv, dtype=str, keep_default_na=False)
            formatted = {c: v for c in data.columns for v in data[c] if dutch.match(v)}
            assert not formatted, f"{path}: {csv.name}: Dutch numbers {formatted}"
            line = link.find_parent("p").find(class_="ri-csv-columns")
            assert line is not None, f"{path}: {csv.name}: no line on its columns"
            text = " ".join(line.get_text().split())
            missing = [c for c in data.columns if f"{c}: " not in text]
            assert not missing, f"{path}: {csv.name}: columns not described: {missing}"
            checked += 1
    assert checked >= 40


@pytest.mark.slow
@pytest.mark.browser
def test_recompute_block_is_calm_on_screen_and_in_print(browser, site):  # noqa: F811
    chapter = next(iter(load_params()))
    page, _ = _open(browser, f"{site}/book/_generated/{chapter}.html")
    block = page.locator("div.admonition.ri-zelf-uitrekenen")
    assert block.count() == 1 and block.is_visible()
    style = block.evaluate(
        """e => { const s = getComputedStyle(e), t = e.querySelector('.admonition-title');
                  return {shadow: s.boxShadow, icon: getComputedStyle(t, '::after').content,
                          title: getComputedStyle(t).backgroundColor}; }"""
    )
    assert style == {"shadow": "none", "icon": "none", "title": "rgba(0, 0, 0, 0)"}, style
    columns = page.locator(".ri-csv-columns").first
    assert columns.is_visible()
    page.emulate_media(media="print")
    # the text refers to the block ("zie Zelf opnieuw uitrekenen"): it prints, on no surface;
    # the line on a CSV's columns does not (no downloads on paper)
    assert block.is_visible() and not columns.is_visible()
    assert block.evaluate("e => getComputedStyle(e).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_maps_below_the_screen_load_only_when_scrolled_near(browser, site):  # noqa: F811
    """A first visit on a phone fetches the interactive maps near the screen only; the others
    load when the reader scrolls to them (the browser's own lazy loading would fetch every
    map within a few thousand pixels)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url) if "/_static/maps/" in r.url else None)
    page.goto(f"{site}/book/_generated/topsectoren.html", wait_until="load")
    page.wait_for_timeout(1000)
    near = page.evaluate(
        """() => [...document.querySelectorAll('figure.ri-map')]
             .filter(f => f.getBoundingClientRect().top < innerHeight + 400).length"""
    )
    total = page.locator("figure.ri-map").count()
    assert total >= 4 and len(requested) <= near < total, (requested, near, total)
    last = page.locator("figure.ri-map iframe.ri-map-frame").last
    last.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const f = [...document.querySelectorAll('iframe.ri-map-frame')].pop();"
        " return f.src && f.contentWindow.RI_MAP; }",
        timeout=10_000,
    )
    assert any(last.get_attribute("data-leaflet-map") in url for url in requested)
    context.close()
