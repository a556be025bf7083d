"""Pages as readers get them (issue 15): no page wider than a phone, the provenance page
readable at 390 px, theme assets the book does not use left out (icons and search still work),
one search box, print without navigation, and every page linked to its notebook or file in the
repository. The browser tests reuse the server and Chromium of tests/test_browser.py."""

from __future__ import annotations

import re

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
    # the title (the theme prints it in its print header, with the page's contents)
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
