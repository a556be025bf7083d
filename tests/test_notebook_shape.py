"""Chapter notebooks stay thin: narrative, a parameters cell and short cells of calls and glue.
Logic lives in ``src/helpers`` (tested there); a notebook cell longer than 15 lines, or the
same six lines twice (alike but for names, strings and numbers), is a sign it does not."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers.build.runner import load_params

MAX_LINES = 15
BLOCK = 6
CHAPTERS = load_params()


def code_cells(notebook: Path) -> list[list[str]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["".join(c["source"]).splitlines() for c in nb["cells"] if c["cell_type"] == "code"]


def shape(line: str) -> str:
    """A line with its strings and numbers blanked: a cell copied with other captions, years
    or themes has the same shape."""
    line = re.sub(r"(\"[^\"]*\"|'[^']*')", "S", " ".join(line.split()))
    return re.sub(r"\b\d[\d_.]*\b", "N", line)


def repeated_blocks(cells: list[list[str]], size: int = BLOCK) -> list[tuple[int, int]]:
    """(cell a, cell b) pairs that share ``size`` consecutive lines of the same shape (blank
    lines, comments and lone punctuation ignored)."""
    seen: dict[tuple[str, ...], int] = {}
    pairs = []
    for index, cell in enumerate(cells):
        lines = [shape(x) for x in cell if x.strip() and not x.strip().startswith("#")]
        lines = [x for x in lines if re.search(r"\w", x)]
        for start in range(len(lines) - size + 1):
            key = tuple(lines[start : start + size])
            if key in seen and seen[key] != index:
                pairs.append((seen[key], index))
            seen.setdefault(key, index)
    return sorted(set(pairs))


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_code_cells_are_short(chapter):
    cells = code_cells(CHAPTERS[chapter].notebook)
    long = [(i, len(c)) for i, c in enumerate(cells) if len(c) > MAX_LINES]
    assert not long, f"{chapter}: code cells (index, lines) longer than {MAX_LINES}: {long}"


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_no_cell_is_copied_with_small_changes(chapter):
    pairs = repeated_blocks(code_cells(CHAPTERS[chapter].notebook))
    assert not pairs, f"{chapter}: code cells sharing {BLOCK} lines of the same shape: {pairs}"


def test_the_shape_checks_can_fail():
    long_cell = [f"x{i} = f({i})" for i in range(MAX_LINES + 1)]
    assert len(long_cell) > MAX_LINES
    a = [f"glue_text('k{i}', v[{i}])" for i in range(BLOCK)]
    b = [f"glue_text('other{i}', v[{i + 1}])" for i in range(BLOCK)]
    assert repeated_blocks([a, b]) == [(0, 1)]
    assert repeated_blocks([a[:3], b[:3]]) == []
