"""The StatLine path end to end (issue 14, item 5) and field case 09 through the real build.

What the book uses of CBS StatLine today: no chapter calls the OData client
(``helpers.data.cbs``, tested against recorded responses in ``test_cbs.py``); the
Hoogopgeleiden chapter (85525NED) and the firm chapters read the processed StatLine dump under
``data/processed/cbs/``. So the whole path is tested as it runs: ``make book`` into a VARIANT
on a copy of the project, with a loopback StatLine server answering from the recorded
responses (CBS "available", ``RI_CBS_ODATA``), the field case's list value and a user file in a
folder with a space; the pages show the StatLine figures, and the build asked the online source
nothing (its output cannot depend on whether StatLine answered).

The old fault of the online path, ``Figure caption must be a paragraph`` from a caption
starting with ``%`` (``% hoogopgeleid ...``), is a kind: any caption whose start MyST reads as
markup. It is tested on the figure's MyST directly.
"""

from __future__ import annotations

import html
import http.server
import io
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from conftest import _CbsHandler, copy_project
from helpers.presentation.figures import book_figure

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (after the backend)

CASE = Path("tests") / "fixtures" / "field_cases" / "09-list-parameters" / "mijn bestanden"


# --- captions MyST would read as markup ----------------------------------------------------------


def _rendered(markdown: str) -> tuple[list[str], str]:
    """The captions of the MyST ``markdown`` as docutils reads it, and its warnings."""
    from docutils.core import publish_doctree
    from myst_parser.parsers.docutils_ import Parser

    warnings = io.StringIO()
    tree = publish_doctree(
        markdown, parser=Parser(), settings_overrides={"warning_stream": warnings, "report_level": 2}
    )  # fmt: skip
    captions = [node.astext() for node in tree.findall() if node.tagname == "caption"]
    return captions, warnings.getvalue()


@pytest.mark.parametrize(
    "caption",
    [
        "% hoogopgeleid (15-74 jaar), 2016 per gemeente",  # the StatLine unit first
        "# bedrijven per gemeente",
        "- 12 gemeenten zonder waarde",
        "2016. Aandeel hoogopgeleiden",
        "> 500 vestigingen",
    ],
)
def test_a_caption_that_starts_like_markup_stays_the_caption(caption, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    item = book_figure(
        plt.figure(), chapter="t", name="kaart", caption=caption, source="CBS", alt="Kaart.",
        data=pd.DataFrame({"a": [1]}), status="nieuw",
    )  # fmt: skip
    captions, warnings = _rendered(item.markdown)
    assert "caption must be a paragraph" not in warnings
    assert captions == [caption]


# --- the whole build -------------------------------------------------------------------------


def _plain(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"<(script|iframe).*?</\1>", "", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture
def statline(monkeypatch):
    """A loopback StatLine server answering from tests/fixtures/cbs_odata (see conftest)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CbsHandler)
    server.requests = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


@pytest.mark.slow
def test_make_book_with_statline_online_the_list_value_and_a_path_with_a_space(statline, tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = copy_project(tmp_path / "mijn project")  # a space in every path of the build
    user_file = project / CASE / "startups.csv"
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make uses this interpreter's environment as it is
    env = dict(
        os.environ,
        RI_ROOT=str(project),
        RI_CBS_ODATA=f"http://127.0.0.1:{statline.server_port}",
        RI_DATA_CACHE=str(tmp_path / "cache"),
    )
    params = f"innovatieve_bedrijven.class_bounds=[1000, 500, 100] startups.startup_file={user_file}"  # fmt: skip
    result = subprocess.run(
        ["make", "--no-print-directory", "book", f"BIN={Path(sys.executable).parent}",
         f"STAMP={stamp}", "VARIANT=statline", f"PARAMS={params}"],
        cwd=project, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pages = project / "_build" / "variants" / "statline" / "html" / "book" / "_generated"

    education = pd.read_csv(project / "data" / "processed" / "cbs" / "education_85525ned.csv.gz")
    amsterdam = education[(education["code"] == "GM0363") & (education["year"] == 2016)]
    share = f"{amsterdam['hbo_wo_pct'].item():.1f}".replace(".", ",")
    page = _plain(pages / "hoogopgeleiden.html")
    assert "StatLine 85525NED" in page
    assert "Aandeel hoogopgeleiden (hbo/wo) in de bevolking van 15-75 jaar per gemeente, 2016" in page  # fmt: skip
    assert share in page  # Amsterdam 2016 from the StatLine dump (45,1)

    firms = _plain(pages / "innovatieve_bedrijven.html")
    # the list whole: without a CIS file the proxy counts establishments, limits x 10
    assert "met 10.000 of meer vestigingen" in firms and "met 5.000 tot 10.000" in firms
    startups = _plain(pages / "startups.html")
    assert "startups.csv" in startups  # the user file in "mijn bestanden" was read
    assert statline.requests == []  # nothing in the book waits on, or changes with, StatLine
