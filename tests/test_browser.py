"""The built book as readers get it, in headless Chromium (Debian's), with no internet: pages
load without console errors or failed requests, every interactive map draws all its regions
and shows tooltips, static figures load, the first map of each chapter is not blank, and pages
stay readable at 320 px and in print; table cells keep their words whole at 390 px."""

from __future__ import annotations

import functools
import http.server
import io
import os
import shutil
import threading

import matplotlib.image as mpimg
import numpy as np
import pytest

from helpers.build.runner import load_params

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = (
    os.environ.get("RI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
CHAPTERS = list(load_params())
PAGES = [
    "book/intro.html",
    *[f"book/_generated/{c}.html" for c in CHAPTERS],
    "book/conclusies.html",
    "book/_generated/bronnen.html",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(built):
    project, _ = built
    handler = functools.partial(_Quiet, directory=str(project / "_build" / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI: .ci/run should have installed it")
        pytest.skip("Chromium not installed (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield instance
        instance.close()


def _open(browser, url: str, **context):
    page = browser.new_context(**context).new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on(
        "response",
        lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)
    return page, problems


def _map_frames(page):
    return [f for f in page.frames if f != page.main_frame and f.url == "about:srcdoc"]


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_and_every_map_draws(browser, site, path):
    page, problems = _open(browser, f"{site}/{path}")
    assert problems == []
    for frame in _map_frames(page):
        features = frame.content().count('"type": "Feature"')
        frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=10_000)
        drawn = frame.locator("path.leaflet-interactive").count()
        # every region is drawn (network maps add lines and circles on top of their regions)
        assert features > 0 and drawn >= features, f"{path}: {drawn} shapes for {features} regions"
        assert frame.locator(".ri-legend").count() == 1  # legend on the map
        credit = frame.locator(".leaflet-control-attribution").inner_text()
        assert "Bron: " in credit and "Status: " in credit, f"{path}: map without source/status"
    for image in page.locator("article img").all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image.get_attribute(
            "src"
        )
    page.context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_first_map_has_tooltips_and_is_not_blank(browser, site, chapter):
    page, _ = _open(
        browser, f"{site}/book/_generated/{chapter}.html", viewport={"width": 1200, "height": 900}
    )
    frames = _map_frames(page)
    assert frames, f"{chapter}: no interactive map"
    frame = frames[0]
    frame.wait_for_selector("path.leaflet-interactive", state="attached")
    iframe = page.locator("iframe").first
    iframe.scroll_into_view_if_needed()
    # Screenshot: the drawn map differs from an empty (background-coloured) frame.
    pixels = mpimg.imread(io.BytesIO(iframe.screenshot()), format="png")[..., :3]
    background = pixels[2, 2]
    differing = np.abs(pixels - background).sum(axis=2) > 0.05
    assert differing.mean() > 0.05, f"{chapter}: first map looks blank"
    # Tooltip: hovering a region shows its name (try a few regions: one may be covered by
    # the legend or lie outside the initial view).
    paths = frame.locator("path.leaflet-interactive")
    for index in range(min(8, paths.count())):
        paths.nth(index).hover(force=True, timeout=5_000)
        if frame.locator(".leaflet-tooltip").count():
            break
    tooltip = frame.locator(".leaflet-tooltip").first
    assert tooltip.count() and tooltip.inner_text().strip(), f"{chapter}: no tooltip on hover"
    page.context.close()


@pytest.mark.parametrize("path", PAGES)
def test_headings_in_order_and_readable_at_320px(browser, site, path):
    page, _ = _open(browser, f"{site}/{path}", viewport={"width": 320, "height": 640})
    levels = page.evaluate(
        "() => [...document.querySelectorAll('article h1, article h2, article h3, article h4')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels and levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path}: page is {overflow} px wider than a 320 px screen"
    page.context.close()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_static_figures_appear_in_print(browser, site, chapter):
    page, _ = _open(browser, f"{site}/book/_generated/{chapter}.html")
    page.emulate_media(media="print")
    images = page.locator("figure img").all()
    assert images
    for image in images:
        assert image.is_visible() and image.bounding_box()["height"] > 50
    page.context.close()


# Table cells whose words broke over two lines ('Provinci|e'), or whose content overflows the
# cell. A break after a written hyphen ('Noord-|Holland' in running text) is no broken word;
# code (file names, hashes) and links (URLs) may wrap anywhere.
_BROKEN_CELLS = r"""() => {
  const bad = [];
  for (const cell of document.querySelectorAll('article td, article th')) {
    const overflow = cell.scrollWidth - cell.clientWidth;
    const broken = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code, a')) continue;
      const words = /[^\s-]+-?/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
          .map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
    if (overflow > 1 || broken.length) bad.push(`${cell.innerText.trim()} ${overflow} ${broken}`);
  }
  return bad;
}"""


@pytest.mark.parametrize("path", PAGES)
def test_table_cells_keep_their_words_whole_at_390px(browser, site, path):
    page, _ = _open(browser, f"{site}/{path}", viewport={"width": 390, "height": 844})
    bad = page.evaluate(_BROKEN_CELLS)
    assert bad == [], f"{path}: table cells break or overflow their words: {bad[:5]}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path}: page is {overflow} px wider than a 390 px screen"
    page.context.close()
