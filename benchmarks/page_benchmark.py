"""Benchmark every page of the built book as a reader on a phone gets it (a script that
reports, not a timed test).

    .venv/bin/python benchmarks/page_benchmark.py [--html DIR | --variant NAME] [--repeat N]
                                                  [--out FILE]

For each page of the book (the HTML files under ``book/`` of the build, in table-of-contents
order) it opens the page in headless Chromium (Debian's; ``RI_CHROMIUM``) as a first visit:

- a new browser context (empty cache), viewport 390 x 844 px (a phone);
- network emulated as Fast 4G: 9 Mbit/s down, 1,5 Mbit/s up, 40 ms latency
  (CDP ``Network.emulateNetworkConditions``); CPU slowed down 4x
  (CDP ``Emulation.setCPUThrottlingRate``);
- the book served from a local HTTP server that gzips text files (HTML, CSS, JavaScript,
  JSON, SVG), as a web host does, so the transfer is counted compressed: the sum of CDP's
  ``encodedDataLength`` of every response (headers included) until the load event;
- load time: from the start of the navigation to the end of the load event
  (``PerformanceNavigationTiming.loadEventEnd``).

It also scrolls to the end of the page and reports what was transferred by then (content
that loads when scrolled into view, such as maps). The median of ``--repeat`` visits is
reported; the goal (issue 15) is at most 1,0 MB and 2,5 s per page. The table goes into its
own section of ``benchmarks/RESULTS.md`` (between the page-benchmark markers; the rest of the
file is left as it is) or into ``--out``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("RESULTS.md")
START = "<!-- page-benchmark:start -->"
END = "<!-- page-benchmark:end -->"
#: The goal per page (issue 15).
MAX_MB = 1.0
MAX_SECONDS = 2.5
#: Fast 4G as the issue measures it; bytes per second for CDP.
DOWN = 9_000_000 / 8
UP = 1_500_000 / 8
LATENCY_MS = 40
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 390, "height": 844}
#: Where the interactive maps live in a built book: their pages and Leaflet (see
#: helpers.presentation.maps); counted apart from the page's own HTML and figures.
MAP_PARTS = ("/_static/maps/", "/_static/leaflet/")
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".txt", ".map", ".csv", ".xml"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text files gzip-compressed (level 6, as common web servers do) when the
    browser accepts gzip."""

    def send_head(self):  # type: ignore[override]  # noqa: ANN201 (http.server API)
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free local port; returns the server and its base URL."""
    handler = functools.partial(GzipHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def book_pages(html: Path) -> list[str]:
    """The book's pages (paths relative to ``html``) in table-of-contents order: the root page,
    then the entries of ``_toc.yml``; pages the build has but the table lacks come last."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    pages = [f"{name}.html" for name in files if (html / f"{name}.html").is_file()]
    extra = sorted(
        p.relative_to(html).as_posix()
        for p in (html / "book").rglob("*.html")
        if p.relative_to(html).as_posix() not in pages
    )
    return pages + extra


def measure(browser: object, url: str) -> dict[str, float]:
    """One first visit of ``url``: bytes transferred and requests until the load event, load
    time (s), and bytes after scrolling to the end of the page."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[attr-defined]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": LATENCY_MS,
            "downloadThroughput": DOWN,
            "uploadThroughput": UP,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    received: dict[str, float] = {}
    kinds: dict[str, str] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.loadingFinished",
        lambda event: received.__setitem__(event["requestId"], event["encodedDataLength"]),
    )
    cdp.on(
        "Network.responseReceived",
        lambda event: (
            kinds.__setitem__(event["requestId"], event["type"]),
            urls.__setitem__(event["requestId"], event["response"]["url"]),
        ),
    )
    page.goto(url, wait_until="load", timeout=120_000)
    at_load = dict(received)
    seconds = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return (n.loadEventEnd - n.startTime) / 1000; }"
    )
    height = page.evaluate("() => document.documentElement.scrollHeight")
    for y in range(0, height + VIEWPORT["height"], VIEWPORT["height"]):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    page.wait_for_timeout(1000)
    after_scroll = sum(received.values())
    context.close()

    def is_map(request: str) -> bool:  # an interactive map's page, Leaflet or its images
        return any(part in urls.get(request, "") for part in MAP_PARTS)

    return {
        "bytes": sum(at_load.values()),
        "requests": len(at_load),
        "seconds": seconds,
        "bytes_scrolled": after_scroll,
        "bytes_html": sum(v for k, v in at_load.items() if urls.get(k) == url),
        "bytes_images": sum(
            v for k, v in at_load.items() if kinds.get(k) == "Image" and not is_map(k)
        ),
        "bytes_maps": sum(v for k, v in at_load.items() if is_map(k)),
    }


def _revision() -> str:
    """Which sources the book was built from: the commit, and whether the working copy had
    changes (``git``; "an unknown revision" outside a repository)."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit, changed = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain")
    except (OSError, subprocess.CalledProcessError):
        return "an unknown revision"
    return f"built from commit {commit}" + (" with uncommitted changes" if changed else "")


def _nl(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def table(rows: list[dict], repeat: int, build: str) -> str:
    """The Markdown section with the results (Dutch number formatting, as the issue)."""
    lines = [
        START,
        "## Pages as readers load them (`benchmarks/page_benchmark.py`)",
        "",
        f"Every page of the book ({build}), first visit (empty cache) in headless Chromium at "
        f"390 px, Fast 4G emulated (9 Mbit/s down, {LATENCY_MS} ms latency), CPU slowed down "
        f"{CPU_SLOWDOWN}x, transfer counted gzip-compressed until the load event; median of "
        f"{repeat} visits. Goal: at most {_nl(MAX_MB, 1)} MB and {_nl(MAX_SECONDS, 1)} s per "
        "page. 'After scrolling' is what has been transferred once the reader has scrolled to "
        "the end (content loaded when scrolled into view).",
        "",
        "'Of which maps' is the interactive maps' pages and Leaflet; 'of which images' the "
        "figures (PNG) and other images.",
        "",
        "| page | MB at load | of which HTML | of which images | of which maps | requests "
        "| load time (s) | MB after scrolling | within goal |",
        "|:--|--:|--:|--:|--:|--:|--:|--:|:--|",
    ]
    for row in rows:
        mb = row["bytes"] / 1e6
        ok = mb <= MAX_MB and row["seconds"] <= MAX_SECONDS
        misses = [
            what
            for what, bad in (
                (f"{_nl(mb, 2)} MB", mb > MAX_MB),
                (f"{_nl(row['seconds'], 1)} s", row["seconds"] > MAX_SECONDS),
            )
            if bad
        ]
        lines.append(
            f"| `{row['page']}` | {_nl(mb, 2)} | {_nl(row['bytes_html'] / 1e6, 2)} | "
            f"{_nl(row['bytes_images'] / 1e6, 2)} | {_nl(row['bytes_maps'] / 1e6, 2)} | "
            f"{row['requests']:.0f} | "
            f"{_nl(row['seconds'], 1)} | {_nl(row['bytes_scrolled'] / 1e6, 2)} | "
            + ("yes" if ok else "no: " + ", ".join(misses))
            + " |"
        )
    load = os.getloadavg()
    missing = [r for r in rows if r["bytes"] / 1e6 > MAX_MB or r["seconds"] > MAX_SECONDS]
    if missing:
        theme = min(r["bytes"] for r in rows) / 1e6  # a text page: theme files and little else
        why = []
        for r in missing:
            html, images = r["bytes_html"] / 1e6, r["bytes_images"] / 1e6
            maps = r["bytes_maps"] / 1e6
            why.append(
                f"`{r['page']}`: HTML {_nl(html, 2)} MB, figures (images) {_nl(images, 2)} MB, "
                f"interactive maps {_nl(maps, 2)} MB, load time {_nl(r['seconds'], 1)} s"
            )
        lines += [
            "",
            f"{len(missing)} of {len(rows)} pages miss the goal. The theme's files and a text "
            f"page weigh about {_nl(theme, 2)} MB; the rest is each page's own content: "
            + "; ".join(why)
            + ".",
        ]
    else:
        lines += ["", f"Every page is within the goal ({len(rows)} pages)."]
    lines += [
        "",
        "An interactive map is fetched when its figure comes near the screen (helpers.build "
        "static/ri-maps.js), its static image only for print; the figures are palette PNGs "
        "(helpers.presentation.figures.save_png).",
    ]
    lines += [
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on the development machine ({os.cpu_count()} "
        f"cores, load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} at the end); "
        "load times depend on the machine and what else runs on it.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str, path: Path) -> None:
    """Put ``section`` between the page-benchmark markers of ``path`` (appended when the file
    has none); the rest of the file is left as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + section + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + section
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: measure every page, write the table; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--html", type=Path, help="built book (default: _build/html)")
    where.add_argument("--variant", help="measure _build/variants/NAME/html")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    html = args.html or (
        ROOT / "_build" / "variants" / args.variant / "html"
        if args.variant
        else ROOT / "_build" / "html"
    )
    if not (html / "index.html").is_file():
        sys.exit(f"no built book in {html}: run `make book` first")
    chromium = os.environ.get("RI_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        sys.exit("Chromium not found: install Debian's chromium or set RI_CHROMIUM")
    from playwright.sync_api import sync_playwright

    server, base = serve(html)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for name in book_pages(html):
                visits = [measure(browser, f"{base}/{name}") for _ in range(args.repeat)]
                row = {k: statistics.median(v[k] for v in visits) for k in visits[0]}
                row["page"] = name
                rows.append(row)
                print(
                    f"{name}: {row['bytes'] / 1e6:.2f} MB, {row['requests']:.0f} requests, "
                    f"{row['seconds']:.2f} s (after scrolling {row['bytes_scrolled'] / 1e6:.2f} MB)",
                    flush=True,
                )
            browser.close()
    finally:
        server.shutdown()
    build = html.relative_to(ROOT).as_posix() if html.is_relative_to(ROOT) else str(html)
    write_section(table(rows, args.repeat, f"`{build}`, {_revision()}"), args.out)
    print(f"table written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
