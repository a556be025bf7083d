"""The built book as readers get it, in headless Chromium (Debian's), with no internet: pages
load without console errors or failed requests, every interactive map draws all its regions
and shows tooltips, static figures load, the first map of each chapter is not blank, and pages
stay readable at 320 px and in print; table cells keep their words whole at 390 px.

Maps (issue 15): each map is one numbered figure; on screen its interactive map (a page of
``_static/maps/``, loaded when scrolled into view) takes the static image's place; at 390 and
1300 px the legend sits outside the map area and overlaps neither the attribution nor the
scale bar; the initial view holds the Netherlands (all of Limburg) or mainland Europe; print
shows the static image of every map and no "Trust" text."""

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


MAP_FRAMES = "figure.ri-map iframe.ri-map-frame"


def _map_frames(page):
    """The interactive maps of the page, each scrolled into view (they load lazily) and drawn."""
    frames = []
    for handle in page.locator(MAP_FRAMES).element_handles():
        handle.scroll_into_view_if_needed()
        frame = None
        for _ in range(100):  # the frame's document appears once the iframe is in view
            frame = handle.content_frame()
            if frame is not None and "/_static/maps/" in frame.url:
                break
            page.wait_for_timeout(100)
        assert frame is not None and "/_static/maps/" in frame.url, handle.get_attribute("src")
        frame.wait_for_load_state("load")
        frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=10_000)
        frames.append(frame)
    return frames


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_offline_and_every_map_draws(browser, site, path):
    page, problems = _open(browser, f"{site}/{path}")
    frames = _map_frames(page)
    assert problems == []
    for frame in frames:
        features = frame.content().count('"type": "Feature"')
        frame.wait_for_selector("path.leaflet-interactive", state="attached", timeout=10_000)
        drawn = frame.locator("path.leaflet-interactive").count()
        # every region is drawn (network maps add lines and circles on top of their regions)
        assert features > 0 and drawn >= features, f"{path}: {drawn} shapes for {features} regions"
        assert frame.locator(".ri-legend").count() == 1  # legend on the map
        credit = frame.locator(".leaflet-control-attribution").inner_text()
        assert "Bron: " in credit and "Status: " in credit, f"{path}: map without source/status"
    # static images (a map's image loads only for print: test_print_shows_the_static_image...)
    for image in page.locator("article img:not(figure.ri-map img)").all():
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
    iframe = page.locator(MAP_FRAMES).first
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
    # map images load lazily (on screen the interactive map replaces them): print fetches them
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure img')].every(i => i.complete && i.naturalWidth)",
        timeout=10_000,
    )
    images = page.locator("figure img").all()
    assert images
    for image in images:
        assert image.is_visible() and image.bounding_box()["height"] > 50
    page.context.close()


# Table cells whose words broke over two lines ('Provinci|e'), or whose content overflows the
# cell. A break after a written hyphen ('Noord-|Holland' in running text) is no broken word;
# code (file names, hashes) may wrap anywhere; a link's text is words ('Economic Board').
_BROKEN_CELLS = r"""() => {
  const bad = [];
  for (const cell of document.querySelectorAll('article td, article th')) {
    const overflow = cell.scrollWidth - cell.clientWidth;
    const broken = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code')) continue;
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


# Table captions reaching beyond the visible part of their (sideways scrolling) table.
_CUT_CAPTIONS = r"""() => [...document.querySelectorAll('article table > caption')]
  .filter(c => {
    const box = (c.closest('.pst-scrollable-table-container') || c.closest('table'))
      .getBoundingClientRect();
    const r = c.getBoundingClientRect();
    return r.right > box.right + 1 || r.left < box.left - 1;
  }).map(c => c.innerText.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", [390, 1300])
@pytest.mark.parametrize("path", PAGES)
def test_tables_keep_their_words_whole_and_captions_in_view(browser, site, path, width):
    page, _ = _open(browser, f"{site}/{path}", viewport={"width": width, "height": 844})
    bad = page.evaluate(_BROKEN_CELLS)
    assert bad == [], f"{path}: table cells break or overflow their words: {bad[:5]}"
    cut = page.evaluate(_CUT_CAPTIONS)
    assert cut == [], f"{path} at {width} px: table captions cut off: {cut}"
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{path}: page is {overflow} px wider than a {width} px screen"
    page.context.close()


# --- maps: one figure each, legend clear of the map, initial view, print -------------------

MAP_PAGES = [f"book/_generated/{c}.html" for c in CHAPTERS]

# In a map page: the boxes of the map area, legend, attribution and scale bar (page pixels).
_MAP_BOXES = """() => {
  const box = s => { const e = document.querySelector(s); if (!e) return null;
    const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const b = window.RI_MAP.getBounds();
  return {map: box('.folium-map'), legend: box('.ri-legend'),
          attribution: box('.leaflet-control-attribution'), scale: box('.leaflet-control-scale'),
          attributionLines: (e => Math.round(e.getBoundingClientRect().height
            / parseFloat(getComputedStyle(e).lineHeight)))(
            document.querySelector('.leaflet-control-attribution')),
          view: [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]};
}"""


def _overlap(a, b) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


# (lat, lon) that the initial view must show: the Netherlands' extremes (Limburg's southern
# tip at Eijsden/Vaals, Rottumeroog, Cadzand, the German border at Denekamp); for Europe
# Lisbon, the North Cape, Athens and Helsinki.
NETHERLANDS = [(50.76, 5.7), (50.76, 6.0), (53.55, 6.6), (51.37, 3.37), (52.4, 7.07)]
MAINLAND_EUROPE = [(38.7, -9.4), (71.0, 25.8), (37.9, 23.7), (60.2, 24.9)]


@pytest.mark.parametrize("width", [390, 1300])
@pytest.mark.parametrize("path", MAP_PAGES)
def test_map_legend_is_off_the_map_and_the_view_fits(browser, site, path, width):
    page, _ = _open(browser, f"{site}/{path}", viewport={"width": width, "height": 900})
    frames = _map_frames(page)
    assert frames, f"{path}: no interactive map"
    places = MAINLAND_EUROPE if "europa" in path else NETHERLANDS
    for frame in frames:
        name = frame.url.rsplit("/", 1)[-1]
        boxes = frame.evaluate(_MAP_BOXES)
        legend = boxes["legend"]
        assert legend and boxes["attribution"] and boxes["scale"], f"{name}: {boxes}"
        assert not _overlap(legend, boxes["attribution"]), f"{name}: legend on the attribution"
        assert not _overlap(legend, boxes["scale"]), f"{name}: legend on the scale bar"
        assert not _overlap(legend, boxes["map"]), f"{name}: legend on the map area"
        assert not _overlap(boxes["attribution"], boxes["scale"]), f"{name}: {boxes}"
        assert boxes["attributionLines"] <= 1, f"{name}: attribution on several lines"
        if width == 390:  # below the map on a phone
            assert legend[1] >= boxes["map"][3] - 0.5, f"{name}: {boxes}"
        south, west, north, east = boxes["view"]
        for lat, lon in places:
            assert south <= lat <= north and west <= lon <= east, f"{name}: {(lat, lon)} not in view {boxes['view']}"  # fmt: skip
        assert east - west < (80 if "europa" in path else 12), f"{name}: view too wide {boxes['view']}"  # fmt: skip
        scale = frame.locator(".leaflet-control-scale-line")
        assert scale.count() == 1 and scale.inner_text().strip().endswith(("km", "m")), name
    page.context.close()


@pytest.mark.parametrize("path", MAP_PAGES)
def test_every_map_is_one_numbered_figure(browser, site, path):
    page, _ = _open(browser, f"{site}/{path}")
    figures = page.evaluate(
        """() => [...document.querySelectorAll('iframe')].map(f => {
             const figure = f.closest('figure.ri-map');
             return {map: f.classList.contains('ri-map-frame'), srcdoc: f.hasAttribute('srcdoc'),
                     number: figure && figure.querySelector('figcaption .caption-number')
                       ? figure.querySelector('figcaption .caption-number').innerText.trim() : null,
                     frames: figure ? figure.querySelectorAll('iframe').length : 0,
                     image: figure ? figure.querySelectorAll('img').length : 0};
           })"""
    )
    assert figures, f"{path}: no map"
    for item in figures:  # every iframe is a map inside its own numbered figure, with its image
        assert item["map"] and not item["srcdoc"], item
        assert item["number"] and item["number"].startswith("Figuur "), item
        assert item["frames"] == 1 and item["image"] == 1, item
    numbers = [item["number"] for item in figures]
    assert len(set(numbers)) == len(numbers), numbers
    # nothing else shows a map: no map page is referenced twice
    sources = page.eval_on_selector_all(MAP_FRAMES, "fs => fs.map(f => f.dataset.leafletMap)")
    assert len(set(sources)) == len(sources) == len(figures)
    page.context.close()


@pytest.mark.parametrize("path", MAP_PAGES)
def test_print_shows_the_static_image_of_every_map(browser, site, path):
    page, _ = _open(browser, f"{site}/{path}", viewport={"width": 1300, "height": 900})
    count = page.locator("figure.ri-map").count()
    assert count and page.locator(f"{MAP_FRAMES}:visible").count() == count  # on screen
    assert page.locator("figure.ri-map img:visible").count() == 0
    page.emulate_media(media="print")
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.ri-map img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=10_000,
    )
    images = page.locator("figure.ri-map img")
    assert images.count() == count
    for image in images.all():
        assert image.is_visible() and image.bounding_box()["height"] > 100
    assert page.locator("iframe:visible").count() == 0
    assert "Trust" not in page.evaluate("() => document.body.innerText")
    page.context.close()


def test_without_javascript_maps_are_their_static_images(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/book/_generated/europa.html", wait_until="load")
    image = page.locator("figure.ri-map img").first
    assert image.is_visible() and image.evaluate("i => i.complete && i.naturalWidth > 0")
    assert page.locator("iframe:visible").count() == 0
    context.close()
