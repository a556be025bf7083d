"""Tables in the PDF edition (helpers.build.pdf, review of issue 15: Tabel 14 lost its last
column and left most of a page empty before it): a table wider than the page gets smaller
type until every column is on the paper, numbers stay on one line, and a long table continues
on the next page instead of moving whole. Printed by the module's own Chromium step from a
small document with the conditions of the book (a scrolling table container, tables kept
whole in print); read back with pypdf. Words with a hyphen are kept on one line."""

from __future__ import annotations

import logging
import os
import shutil

import pytest

from helpers.build import pdf

CHROMIUM = (
    os.environ.get("RI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)

#: What the theme and the book's print rules do to tables (pydata-sphinx-theme,
#: static/ri-book.css): a container that scrolls, tables never split over pages.
BOOK_CSS = """
body { font-family: sans-serif; font-size: 16px; }
.pst-scrollable-table-container { overflow-x: auto; }
table { break-inside: avoid; border-collapse: collapse; }
th, td { padding: .5rem; }
"""
HEADERS = ["Thema", "Projecten", "Plaatsen", "Verbindingen", "Sterkste knooppunten",
           "Deelnemers", "Bijdrage", "Over provinciegrens"]  # fmt: skip


def _document(rows: int) -> str:
    head = "".join(
        f'<th class="head {"text-left" if i in (0, 4) else "text-right"}">{h}</th>'
        for i, h in enumerate(HEADERS)
    )
    body = "".join(
        f'<tr><td class="text-left">Thema{r}</td><td class="text-right">1.{r:03d}</td>'
        f'<td class="text-right">{r}</td><td class="text-right">{r * 7}</td>'
        f'<td class="text-left">Utrecht, ’s-Gravenhage en Leeuwarden</td>'
        f'<td class="text-right">{r * 3}</td><td class="text-right">{r * 11}</td>'
        f'<td class="text-right">einde{r}</td></tr>'
        for r in range(rows)
    )
    return (
        f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><style>{BOOK_CSS}</style>'
        f'<style>{pdf.PDF_CSS}</style></head><body class="ri-pdf"><article><h1>Bijlage</h1>'
        + "<p>Een alinea voor de tabel.</p>"
        * 12
        + '<div class="pst-scrollable-table-container"><table class="table">'
        f"<caption>Tabel 1 Brede tabel</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div></article></body></html>"
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("Chromium missing in CI: .ci/run should have installed it")
        pytest.skip("Chromium not installed (.ci/run installs Debian's chromium)")
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    folder = tmp_path_factory.mktemp("pdf-tables")
    source = folder / "doc.html"
    source.write_text(_document(rows=40), encoding="utf-8")
    pdf._print(source, folder / "doc.pdf", CHROMIUM)
    return [page.extract_text() for page in PdfReader(folder / "doc.pdf").pages]


def test_words_with_a_hyphen_stay_on_one_line():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        "<table><tr><td><p>Noord-Brabant en ’s-Gravenhage, 2014-2020</p></td>"
        "<td>-0,03</td></tr></table>",
        "html.parser",
    )
    pdf.keep_words_whole(soup, soup.table)
    pdf.keep_words_whole(soup, soup.table)  # twice: no span in a span
    spans = [span.get_text() for span in soup.select("span.ri-nobreak")]
    assert spans == ["Noord-Brabant", "’s-Gravenhage,", "2014-2020"]
    assert soup.get_text() == "Noord-Brabant en ’s-Gravenhage, 2014-2020-0,03"


@pytest.mark.browser
def test_a_wide_table_keeps_every_column_on_the_paper(printed):
    text = "\n".join(printed)
    for header in HEADERS:  # every column, and no word broken in two
        for word in header.split():
            assert word in text, f"column {header!r}: {word!r} missing or broken"
    for row in range(40):
        assert f"einde{row}" in text, f"row {row}: last column missing"
        assert f"1.{row:03d}" in text  # a number is never split over two lines


@pytest.mark.browser
def test_a_long_table_starts_after_the_text_before_it(printed):
    assert "Tabel 1" in printed[0] and "Thema0" in printed[0], (
        "the table moved whole to the next page, leaving the first mostly empty"
    )
    assert len(printed) >= 2 and "Thema39" in printed[-1]
    assert "Verbindingen" in printed[1]  # the header row repeats on the next page
