"""The PDF edition of the book (``make pdf``): ``_build/pdf/regionale-innovatie.pdf``, made from
the same HTML build that is published (``make book``), with a title page, a table of contents
with page numbers, numbered chapters, the figures and tables with their captions, sources and
status, the static version of every map, page numbers and the bibliography.

Tool: headless Chromium (Debian's, the one the browser tests use; ``RI_CHROMIUM``) printing
through Playwright's ``page.pdf``. It renders the pages exactly as the website does (the same
theme CSS plus the book's print rules in ``static/ri-book.css`` and ``ri-theme.css``),
works offline, needs nothing beyond what the tests already install, and writes page numbers in
its footer. WeasyPrint was the alternative: it supports CSS paged media (page counters in the
contents) but lays out pages its own way (no CSS grid in the theme, different fonts) and needs
Pango from the system.

How: the ``<article>`` of every page in ``_toc.yml`` order is put into one HTML document
(``_build/pdf/regionale-innovatie.html``) after a title page and the contents; ids get a
prefix per page so links between pages become links inside the PDF; interactive maps
(iframes) and scripts are left out (print shows each map's static figure). Tables fit the
paper: before printing, a table wider than the text gets smaller type until every column is on
the page, words (hyphenated ones too) stay whole, and a long table may continue on the next
page (``PDF_CSS``, ``FIT_TABLES``). Chromium prints it twice: the first print's PDF outline
(bookmarks from the headings) tells on which page each chapter starts, the second has those
numbers in the contents. pypdf (``pyproject.toml``) reads the outline and sets the document's
title and author.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import posixpath
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers import config

#: File name of the PDF (and of the HTML document it is printed from).
NAME = "regionale-innovatie"
#: Chromium's footer: the page number, centred (Chromium fills ``pageNumber``).
FOOTER = (
    '<div style="width:100%;text-align:center;font-size:9px;color:#555;'
    'font-family:sans-serif;"><span class="pageNumber"></span></div>'
)
_PLACEHOLDER = "000"
#: A4 less the margins of :func:`_print`, in CSS pixels (96 per inch): the width the text and
#: tables have and the height of a page's text.
TEXT_WIDTH_PX = round((210 - 2 * 18) / 25.4 * 96)
TEXT_HEIGHT_PX = round((297 - 18 - 20) / 25.4 * 96)

#: The PDF's own rules, after the book's print rules (``static/ri-book.css``, ``@media print``).
#: Tables: tight cells, numbers on one line, text wrapping between words (never inside one,
#: not at a hyphen either: :func:`keep_words_whole`);
#: a long table (:data:`FIT_TABLES`) may continue on the next page, rows whole and the header
#: repeated, instead of leaving most of a page empty before it.
PDF_CSS = """
body.ri-pdf .pst-scrollable-table-container { overflow: visible !important; }
body.ri-pdf table th, body.ri-pdf table td { padding: 0.3em 0.45em; }
body.ri-pdf table td.text-right, body.ri-pdf table .ri-nobreak { white-space: nowrap; }
body.ri-pdf table.ri-pdf-long { break-inside: auto; }
body.ri-pdf table.ri-pdf-long tr { break-inside: avoid; }
body.ri-pdf table.ri-pdf-long thead { display: table-header-group; }
body.ri-pdf table.ri-pdf-squeezed th, body.ri-pdf table.ri-pdf-squeezed td.text-left {
  overflow-wrap: anywhere;
}
"""

#: Run in the combined document (print media, the page's text width as viewport) before it is
#: printed, with the text height in pixels: a table wider than the text gets smaller type, step
#: by step down to 70% of its size, until it fits ('ri-pdf-squeezed' when even that is too
#: wide: its text may then break inside words, but no column is lost); a table taller than
#: 45% of a page may break across pages ('ri-pdf-long'). Returns the tables that are still
#: wider than the text (their captions).
FIT_TABLES = """
(pageHeight) => {
  const tooWide = [];
  for (const table of document.querySelectorAll('table')) {
    const box = table.parentElement;
    const wide = () => table.getBoundingClientRect().width > box.clientWidth + 0.5;
    let size = parseFloat(getComputedStyle(table).fontSize);
    const smallest = size * 0.7;
    while (wide() && size - 0.25 >= smallest) {
      size -= 0.25;
      table.style.fontSize = `${size}px`;
    }
    if (wide()) table.classList.add('ri-pdf-squeezed');
    if (wide()) tooWide.push((table.caption || table).innerText.slice(0, 60));
    if (table.getBoundingClientRect().height > 0.45 * pageHeight) {
      table.classList.add('ri-pdf-long');
    }
  }
  return tooWide;
}
"""


class PdfError(RuntimeError):
    """The PDF could not be made (no built book, no Chromium, a page missing); the message
    says what and how to fix it."""


@dataclass
class Page:
    """One page of the book in the PDF: ``path`` relative to the HTML root
    (``book/_generated/europa.html``), its title (the ``<h1>``), chapter ``number`` (0 for the
    introduction) and ``anchor`` (the id of its start in the combined document)."""

    path: str
    title: str
    number: int
    anchor: str


def toc_pages(root: Path | None = None) -> list[str]:
    """The book's pages in reading order from ``_toc.yml`` (root first), as paths of the HTML
    files relative to the HTML root (``book/intro.html``, ...)."""
    toc = yaml.safe_load(((root or config.ROOT) / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]] + [entry["file"] for entry in toc.get("chapters", [])]
    return [re.sub(r"\.(md|ipynb)$", "", name) + ".html" for name in files]


def chromium_path() -> str:
    """Chromium to print with: ``RI_CHROMIUM``, else ``chromium`` on the PATH. Raises
    PdfError when there is none (``.ci/run`` installs Debian's)."""
    found = os.environ.get("RI_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise PdfError(
            "Chromium not found: install Debian's chromium (apt-get install chromium) or set "
            "RI_CHROMIUM to its path"
        )
    return found


def _resolve(page_path: str, url: str) -> str:
    """``url`` as written in ``page_path`` (relative) as a path from the HTML root with its
    fragment (``../intro.html#x`` in ``book/_generated/rd.html`` -> ``book/intro.html#x``)."""
    path, _, fragment = url.partition("#")
    if not path:
        return page_path + ("#" + fragment if fragment else "")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
    return joined + ("#" + fragment if fragment else "")


def _drop_interactive(article: object) -> None:
    """Remove interactive maps (iframes, with the wrappers folium puts around them and its
    'Trust Notebook' notice), scripts, permalinks, download links (the data files are on the
    website) and the page's repository line from a page's ``<article>`` (BeautifulSoup)."""
    for frame in article.find_all("iframe"):
        node = frame
        while (
            node.parent is not None
            and node.parent.name == "div"
            and node.parent is not article
            and not node.parent.find(["img", "figure", "table", "svg"])
        ):
            node = node.parent
        node.decompose()
    for notice in article.find_all(string=re.compile("Trust Notebook")):
        notice.parent.decompose()
    for element in article.select(
        "script, template, .headerlink, .ri-source-link, a.reference.download"
    ):
        element.decompose()


#: A word with a hyphen inside (Noord-Brabant, ’s-Gravenhage, 2014-2020).
_HYPHENATED = re.compile(r"\S*\w-\w\S*")


def keep_words_whole(soup: object, table: object) -> None:
    """Let the cells of ``table`` (a tag of the BeautifulSoup document ``soup``) break lines
    between words only: each word with a hyphen goes into a ``<span class="ri-nobreak">``
    (``PDF_CSS``: no line break inside), else the PDF's narrow columns print "Noord-" and
    "Brabant" on two lines."""
    for text in table.find_all(string=_HYPHENATED):
        if "ri-nobreak" in (text.parent.get("class") or []):
            continue
        value, nodes, position = str(text), [], 0
        for match in _HYPHENATED.finditer(value):
            span = soup.new_tag("span", attrs={"class": "ri-nobreak"})
            span.string = match.group(0)
            nodes += [value[position : match.start()], span]
            position = match.end()
        text.replace_with(*nodes, value[position:])


def _prefix(index: int) -> str:
    return f"p{index}-"


def combine(
    html_dir: Path, pages: list[str], book: dict, repository: str = ""
) -> tuple[str, list[Page]]:
    """One HTML document of the book (title page, contents, every page's article) and the
    pages in it. ``book``: ``_config.yml`` (title, author); ``repository``: the repository's
    address for the title page. Raises PdfError naming a page missing from ``html_dir``."""
    from bs4 import BeautifulSoup

    missing = [p for p in pages if not (html_dir / p).is_file()]
    if missing:
        raise PdfError(f"pages missing in {html_dir}: {', '.join(missing)}; run `make book` first")
    soups = {
        p: BeautifulSoup((html_dir / p).read_text(encoding="utf-8"), "html.parser") for p in pages
    }
    index = {p: i for i, p in enumerate(pages)}
    entries: list[Page] = []
    articles = []
    for i, path in enumerate(pages):
        soup = soups[path]
        article = soup.select_one("article.bd-article") or soup.find("article")
        if article is None:
            raise PdfError(f"{html_dir / path}: no <article> (not a page of the book?)")
        _drop_interactive(article)
        for table in article.find_all("table"):
            keep_words_whole(soup, table)
        for details in article.find_all("details"):
            details["open"] = ""
        for element in article.find_all(id=True):
            element["id"] = _prefix(i) + element["id"]
        for image in article.find_all(["img", "source"]):
            image.attrs.pop("loading", None)  # every figure is printed: none waits to be seen
            if (
                image.get("src")
                and "://" not in image["src"]
                and not image["src"].startswith("data:")
            ):
                image["src"] = _resolve(path, image["src"])
        for link in article.find_all("a", href=True):
            href = link["href"]
            if re.match(r"^[a-z]+:", href):
                text = " ".join(link.get_text().split()).rstrip("/")
                if text != href.rstrip("/") and href.startswith("http"):
                    link["class"] = [*link.get("class", []), "ri-show-url"]
                continue
            target, _, fragment = _resolve(path, href).partition("#")
            if target in index:
                link["href"] = "#" + (
                    _prefix(index[target]) + fragment if fragment else f"page-{index[target]}"
                )
            else:  # a download or a page not in the book: no link in print
                link.unwrap()
        heading = article.find("h1")
        title = " ".join(heading.get_text().split()) if heading else path
        number = i  # the introduction is 0; chapters 1, 2, ...
        if heading is not None and number:
            number_tag = soup.new_tag("span", attrs={"class": "ri-pdf-number"})
            number_tag.string = f"{number} "
            heading.insert(0, number_tag)
        entries.append(Page(path, title, number, f"page-{i}"))
        # an <article> still: the book's print rules (ri-book.css) are written for it
        article["class"] = ["bd-article", "ri-pdf-chapter"]
        article["id"] = f"page-{i}"
        articles.append(str(article))
    first = soups[pages[0]]
    styles = "\n".join(
        f'<link rel="stylesheet" href="{_resolve(pages[0], link["href"])}">'
        for link in first.select('link[rel="stylesheet"]')
    )
    title = book.get("title", "")
    author = book.get("author", "")
    where = f"<p>Code en gegevens: {repository}</p>" if repository else ""
    title_page = (
        '<section class="ri-pdf-title">'
        f'<p class="ri-pdf-booktitle" style="font-size:2.6em;font-weight:700;">{title}</p>'
        f"<p>{author}</p>"
        "<p>PDF-uitgave. De kaarten, op de website interactief, staan hier als vaste "
        "afbeelding; bij elke figuur en tabel staan de bron en de status van de cijfers.</p>"
        f"{where}</section>"
    )
    contents = "".join(
        f'<li><a href="#{e.anchor}">{f"{e.number} " if e.number else ""}{e.title}</a>'
        f'<span class="ri-pdf-dots"></span><span class="ri-pdf-page" data-anchor="{e.anchor}">'
        f"{_PLACEHOLDER}</span></li>"
        for e in entries
    )
    body = (
        f'{title_page}<nav class="ri-pdf-contents"><p style="font-size:1.8em;font-weight:700;">'
        f"Inhoud</p><ol>{contents}</ol></nav>" + "\n".join(articles)
    )
    document = (
        f'<!DOCTYPE html><html lang="nl" data-theme="light" data-mode="light"><head>'
        f'<meta charset="utf-8"><title>{title}</title>'
        f'<base href="{html_dir.resolve().as_uri()}/">{styles}<style>{PDF_CSS}</style></head>'
        f'<body class="ri-pdf"><div class="bd-content"><div class="bd-article-container">'
        f"{body}</div></div></body></html>"
    )
    return document, entries


def _with_page_numbers(document: str, numbers: dict[str, int]) -> str:
    def fill(match: re.Match[str]) -> str:
        return f'data-anchor="{match.group(1)}">{numbers.get(match.group(1), "")}</span>'

    return re.sub(rf'data-anchor="([^"]+)">{_PLACEHOLDER}</span>', fill, document)


def chapter_start_pages(pdf: Path, entries: list[Page]) -> dict[str, int]:
    """Page (1-based) on which each page of the book starts in ``pdf``, from its outline (the
    top-level bookmarks Chromium makes from the ``<h1>`` headings, one per page of the book)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's PDF trailer size
    reader = PdfReader(pdf)
    top = [item for item in reader.outline if not isinstance(item, list)]
    if len(top) != len(entries):
        raise PdfError(
            f"{pdf}: {len(top)} top-level bookmarks for {len(entries)} pages of the book; "
            "every page needs exactly one <h1>"
        )
    return {
        entry.anchor: reader.get_destination_page_number(item) + 1
        for entry, item in zip(entries, top, strict=True)
    }


def _print(document: Path, output: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": TEXT_WIDTH_PX, "height": TEXT_HEIGHT_PX})
        page.emulate_media(media="print")
        page.goto(document.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready")
        too_wide = page.evaluate(FIT_TABLES, TEXT_HEIGHT_PX)
        if too_wide:
            print(f"[pdf] tables wider than the page even in small type: {too_wide}")
        page.pdf(
            path=str(output),
            format="A4",
            margin={"top": "18mm", "bottom": "20mm", "left": "18mm", "right": "18mm"},
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            outline=True,
            tagged=True,
        )
        browser.close()


def build_pdf(html_dir: Path, output: Path, chromium: str | None = None) -> Path:
    """Print the book built in ``html_dir`` to ``output`` (PDF, A4) and return it; the combined
    HTML document is written beside it (``.html``). Raises PdfError when the build or Chromium
    is missing."""
    if not (html_dir / "index.html").is_file():
        raise PdfError(f"no built book in {html_dir}: run `make book` first")
    chromium = chromium or chromium_path()
    book = yaml.safe_load((config.ROOT / "_config.yml").read_text(encoding="utf-8")) or {}
    repository = str((book.get("repository") or {}).get("url") or "")
    document, entries = combine(html_dir, toc_pages(), book, repository)
    output.parent.mkdir(parents=True, exist_ok=True)
    source = output.with_suffix(".html")
    draft = output.with_suffix(".draft.pdf")
    source.write_text(document, encoding="utf-8")
    _print(source, draft, chromium)
    numbers = chapter_start_pages(draft, entries)
    source.write_text(_with_page_numbers(document, numbers), encoding="utf-8")
    _print(source, draft, chromium)

    from pypdf import PdfWriter

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # Chromium's PDF trailer size
    writer = PdfWriter(clone_from=draft)
    writer.add_metadata({"/Title": book.get("title", ""), "/Author": book.get("author", "")})
    with output.open("wb") as handle:
        writer.write(handle)
    draft.unlink()
    return output


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.build.pdf [--variant NAME]``: the PDF of the default book
    (``_build/pdf/regionale-innovatie.pdf``) or of a variant (``_build/variants/NAME/pdf/``).
    Returns the exit status (1 with the reason on stderr when it fails)."""
    from helpers.build.runner import Target

    parser = argparse.ArgumentParser(description="Print the built book to a PDF.")
    parser.add_argument("--variant", default="", help="a variant built with VARIANT=NAME")
    args = parser.parse_args(argv)
    target = Target.for_variant(args.variant)
    output = target.manifest.parent / "pdf" / f"{NAME}.pdf"  # _build or _build/variants/NAME
    started = dt.datetime.now()
    try:
        build_pdf(target.html, output)
    except PdfError as error:
        print(f"[pdf] ERROR: {error}", file=sys.stderr)
        return 1
    seconds = (dt.datetime.now() - started).total_seconds()
    print(f"[pdf] written: {output} ({output.stat().st_size / 1e6:.1f} MB, {seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
