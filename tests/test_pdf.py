"""The PDF edition (`make pdf`, helpers.build.pdf): made from the built book on a copy of the
project, read back with poppler's pdftotext and rendered with pdftoppm (Debian's
poppler-utils, installed by .ci/run)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess

import matplotlib.image as mpimg
import pytest

from conftest import ROOT
from helpers.build.pdf import toc_pages
from helpers.build.runner import load_params

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = (
    os.environ.get("RI_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


def _need(tool: str | None, what: str) -> None:
    if not tool:
        if os.environ.get("CI"):
            pytest.fail(f"{what} missing in CI: .ci/run should have installed it")
        pytest.skip(f"{what} not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def pdf(built):
    """`make pdf` on the built copy (the project's .venv, its install step not repeated)."""
    _need(CHROMIUM, "Chromium")
    _need(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
    project, _ = built
    venv = ROOT / ".venv"
    result = subprocess.run(
        ["make", "pdf", f"VENV={venv}", "-o", str(venv / ".installed")],
        cwd=project, env=dict(os.environ, RI_ROOT=str(project), RI_CHROMIUM=CHROMIUM),
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    path = project / "_build" / "pdf" / "regionale-innovatie.pdf"
    assert path.is_file() and "[pdf] written:" in result.stdout
    return project, path


def _pages(path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")


def _flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def _titles(project) -> list[str]:
    """The title of every page of the book, from the sources: a chapter's from the first
    heading of its notebook (notebooks/<chapter>.ipynb), a Markdown page's from its first
    line, the provenance page's fixed title."""
    chapters = load_params()
    titles = []
    for page in toc_pages(project):
        name = page.removesuffix(".html")
        chapter = name.rsplit("/", 1)[1]
        if name.startswith("book/_generated/") and chapter in chapters:
            notebook = json.loads((project / "notebooks" / f"{chapter}.ipynb").read_text())
            source = "".join(
                "".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"
            )
            titles.append(re.search(r"^# (.+)$", source, flags=re.M).group(1).strip())
        elif chapter == "bronnen":
            titles.append("Bronnen en herkomst")
        else:
            first = (project / f"{name}.md").read_text(encoding="utf-8").splitlines()[0]
            titles.append(first.lstrip("# ").strip())
    return titles


def test_pdf_has_every_chapter_table_1_and_every_numbered_figure(pdf):
    project, path = pdf
    pages = _pages(path)
    text = _flat("\f".join(pages))
    for title in _titles(project):
        assert _flat(title) in text, f"chapter title {title!r} not in the PDF"
    # Tabel 1 (the published scores) with the values as printed, one decimal
    assert "Tabel 1" in text
    for value in ("Utrecht 107,5 136,6", "Overijssel 92,9 118,0", "Friesland 74,8 95,0"):
        assert value in text, f"Tabel 1: {value!r} not in the PDF"
    # every numbered figure and table of the HTML book, with its caption
    html = project / "_build" / "html"
    numbers = set()
    for page in toc_pages(project):
        numbers |= set(
            re.findall(r'caption-number">((?:Figuur|Tabel) \d+)', (html / page).read_text())
        )
    assert "Figuur 1" in numbers and len(numbers) > 10
    for number in numbers:
        assert re.search(rf"{number}\b", text), f"{number} missing in the PDF"
    # sources and status under the figures; no notice of the interactive maps
    assert text.count("Status:") >= len(numbers) // 2
    assert "Trust Notebook" not in text and "Make this Notebook" not in text


def test_contents_page_numbers_point_at_the_chapters(pdf):
    project, path = pdf
    pages = _pages(path)
    assert "Regionale innovatie in Nederland" in pages[0]  # title page
    contents = _flat(pages[1])
    assert contents.startswith("Inhoud")
    titles = _titles(project)
    for number, title in enumerate(titles):
        label = f"{number} {_flat(title)}" if number else _flat(title)
        match = re.search(re.escape(label) + r" (\d+)", contents)
        assert match, f"{label!r} without a page number in the contents: {contents[:500]}"
        start = _flat(pages[int(match.group(1)) - 1])
        assert start.startswith(label), f"page {match.group(1)} starts with {start[:80]!r}"
    # page numbers in the footer: the last line of a page is its number
    for index in (2, len(pages) // 2, len(pages) - 2):
        lines = [line.strip() for line in pages[index].splitlines() if line.strip()]
        assert lines[-1] == str(index + 1), f"page {index + 1} ends with {lines[-1]!r}"


def test_a_page_with_a_map_is_not_blank(pdf, tmp_path):
    project, path = pdf
    pages = _pages(path)
    # the page with the first figure (the Europe map, static in the PDF); the image may stand
    # on the page before its caption
    first_figure = next(i for i, page in enumerate(pages) if "Figuur 1" in page)
    measured = {}
    for index in (first_figure - 1, first_figure):
        out = tmp_path / f"page{index}"
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", str(index + 1), "-l", str(index + 1),
             str(path), str(out)],
            check=True,
        )  # fmt: skip
        png = next(tmp_path.glob(f"page{index}*.png"))
        pixels = mpimg.imread(io.BytesIO(png.read_bytes()), format="png")[..., :3]
        # share of coloured pixels: text pages have about 1% (links), the map several times that
        colour = float(((pixels.max(axis=2) - pixels.min(axis=2)) > 0.2).mean())
        measured[index + 1] = (round(float(pixels.std()), 3), round(colour, 3))
    assert any(std > 0.05 and colour > 0.03 for std, colour in measured.values()), (
        f"pages around Figuur 1 look blank or without the map: (std, colour share) {measured}"
    )


def test_title_page_speaks_to_readers_and_every_table_column_is_printed(pdf):
    """No build talk on the title page; wide tables (Tabel 14 of the review) keep their last
    column: every row of every table has the first word of its first and of its last cell on
    one line of the PDF's text."""
    from bs4 import BeautifulSoup

    project, path = pdf
    pages = _pages(path)
    assert "bouw" not in _flat(pages[0]).lower()
    lines = [_flat(line) for page in pages for line in page.splitlines()]
    html = project / "_build" / "html"
    checked = 0
    for page in toc_pages(project):
        soup = BeautifulSoup((html / page).read_text(encoding="utf-8"), "html.parser")
        for table in soup.select("article table"):
            for row in table.select("tbody tr"):
                cells = [_flat(cell.get_text(" ")).split() for cell in row.find_all("td")]
                if len(cells) < 2 or not cells[0] or not cells[-1]:
                    continue
                first, last = cells[0][0], cells[-1][0]
                assert any(
                    first in line and last in line[line.index(first) + len(first) :]
                    for line in lines
                    if first in line
                ), f"{page}: row {' '.join(cells[0])!r} without its last column {last!r}"
                checked += 1
    assert checked >= 100
