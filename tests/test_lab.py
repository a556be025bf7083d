"""Chapters as an analyst sees them in JupyterLab: executed outside the book (no runner, so
``RI_BOOK_PAGE`` is unset), every figure and table has an output JupyterLab renders (HTML or
an image, not only MyST text), and every interactive map carries Leaflet itself."""

from __future__ import annotations

import json
import os

import pytest

from helpers import config
from helpers.build.runner import load_params

CHAPTERS = sorted(load_params())


@pytest.mark.slow
@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_outputs_render_in_jupyterlab(chapter, run_notebook, monkeypatch):
    monkeypatch.delenv(config.BOOK_PAGE_ENV, raising=False)
    assert not os.environ.get(config.BOOK_PAGE_ENV)
    nb = json.loads(run_notebook(chapter).read_text(encoding="utf-8"))
    outputs = [o for c in nb["cells"] for o in c.get("outputs", []) if "data" in o]
    myst = [o for o in outputs if "{figure}" in "".join(o["data"].get("text/markdown", ""))]
    myst += [o for o in outputs if "{table}" in "".join(o["data"].get("text/markdown", ""))]
    assert myst, f"{chapter}: no figures or tables found"
    for output in myst:
        shown = "".join(output["data"].get("text/html", ""))
        assert "<img" in shown or "<table" in shown, output["data"]["text/markdown"][:200]
    maps = [o for o in outputs if "L.map(" in "".join(o["data"].get("text/html", ""))]
    for output in maps:
        page = "".join(output["data"]["text/html"])
        assert "_static/leaflet" not in page and "cdn.jsdelivr" not in page
        assert ".leaflet-control-zoom" in page  # Leaflet's own CSS, inlined with its JS
