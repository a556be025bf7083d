"""The topsectors chapter run by papermill: other year ranges change the networks and the
text; a synthetic file in the RVO schema (tests only) goes through the same functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_glue
from helpers.chapters import topsectoren

pytestmark = pytest.mark.slow
USER_FILES = Path(__file__).parent / "fixtures" / "user_files"


def test_year_range_changes_networks_and_numbers(run_notebook):
    full = read_glue(run_notebook("topsectoren"))
    early = read_glue(run_notebook("topsectoren", start_year=2014, end_year=2015))
    assert full["ts_status"].startswith("benadering")
    assert full["ts_period"] == "2014-2020" and early["ts_period"] == "2014-2015"
    assert int(early["ts_1_projects"].replace(".", "")) < int(
        full["ts_1_projects"].replace(".", "")
    )
    assert early["ts_1_links"] != full["ts_1_links"]
    # the text reports what the data say (computed here independently)
    data = topsectoren.h2020(2014, 2020)
    net = topsectoren.network(data[data["thema"] == "Hightech en materialen"])
    assert full["ts_1_projects"] == f"{net.n_projects:,}".replace(",", ".")
    assert full["ts_1_hubs"].startswith(net.nodes.iloc[0]["naam"].lstrip("'"))
    assert full["ts_match"] == f"{topsectoren.match_rate(data).participations:.0f}%"


def test_rvo_file_goes_through_the_same_functions(run_notebook):
    out = run_notebook(
        "topsectoren",
        rvo_file=str(USER_FILES / "rvo_synthetic.csv"),
        themes=["HTSM", "LSH", "Agri & Food", "Energie"],
        start_year=2014,
        end_year=2016,
        min_edge_weight=1,
    )
    glue = read_glue(out)
    assert glue["ts_status"].startswith("origineel")
    # HTSM 2014-2016: only H2 (H1 started in 2013): Eindhoven and Delft, one link
    assert glue["ts_1_projects"] == "1" and glue["ts_1_links"] == "1"
    assert glue["ts_2_projects"] == "2" and glue["ts_2_links"] == "2"
    assert glue["ts_3_places"] == "2"  # Wageningen twice (code and place name) + Utrecht
    assert glue["ts_n_other"] == "1"  # Water, in the appendix
