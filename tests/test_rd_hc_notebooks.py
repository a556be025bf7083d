"""The R&D and human-capital chapters run by papermill with different years and inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError

from conftest import markdown_outputs, read_glue
from helpers import config

pytestmark = pytest.mark.slow


def _nl(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.fixture(scope="module")
def cbs_rd():
    return pd.read_csv(config.PROCESSED_DIR / "rd" / "cbs_rd_provincie.csv")


@pytest.mark.parametrize("year", [2015, 2016])
def test_rd_chapter_follows_the_year(run_notebook, cbs_rd, year):
    out = run_notebook("rd", year=year)
    glue = read_glue(out)
    rows = cbs_rd[cbs_rd["year"] == year].sort_values("rd_mln_euro", ascending=False)
    assert glue["rd_year"] == str(year)
    assert glue["rd_total"] == _nl(rows["rd_mln_euro"].sum())
    assert glue["rd_first"] == rows.iloc[0]["provincie_naam"] == "Zuid-Holland"
    assert glue["rd_second_mln"] == _nl(rows.iloc[1]["rd_mln_euro"])
    if year == 2015:
        assert glue["rd_total"] == "13.695" and glue["rd_first_mln"] == "3.168"
        assert glue["rd_status"] == "definitief"
    else:
        assert glue["rd_second"] == "Noord-Brabant" and glue["rd_second_mln"] == "3.012"
        assert glue["rd_status"] == "volgens CBS nader voorlopig"
    assert glue["rd_corop_status"] == "benadering"
    markdown = markdown_outputs(out)
    assert "Benadering (proxy)" in markdown and "gepubliceerde waarden" in markdown
    for name in ["rd-provincie-kaart", "rd-provincie-staaf", "corop-kaart"]:
        assert (out.parent / "_assets" / "rd" / f"{name}.png").stat().st_size > 10_000


def test_rd_chapter_unknown_year_lists_the_years(run_notebook):
    with pytest.raises(PapermillExecutionError, match="available years: 2014, 2015, 2016"):
        run_notebook("rd", year=2019)


def test_rd_chapter_uses_a_supplied_corop_file(run_notebook, tmp_path):
    # Synthetic data in the schema of the restricted CBS table (tests only).
    rows = [(f"CR{i:02d}", 2015, float(i)) for i in range(1, 41)]
    path = tmp_path / "corop_rd.csv"
    pd.DataFrame(rows, columns=["corop", "jaar", "rd_bedrijven_mln_euro"]).to_csv(path, index=False)
    out = run_notebook("rd", corop_rd_file=str(path))
    glue = read_glue(out)
    assert glue["rd_corop_status"] == "origineel"
    # CR40 (Flevoland) has the largest value: 40 of 820 = 4,9%
    assert glue["rd_corop_top1_share"] == _nl(40 / sum(range(1, 41)) * 100) + "%"
    assert "Benadering (proxy)" not in markdown_outputs(out)


@pytest.mark.parametrize("year", [2016, 2012])
def test_human_capital_chapter_offline(run_notebook, year):
    out = run_notebook("hoogopgeleiden", year=year, cbs_online=False)
    glue = read_glue(out)
    panel = pd.read_csv(config.PROCESSED_DIR / "rd" / "eurostat_panel_nl.csv")
    rows = panel[panel["year"] == year].sort_values("tertiary_pct_25_64", ascending=False)
    assert glue["hc_year"] == str(year)
    assert glue["hc_first_pct"] == _nl(rows.iloc[0]["tertiary_pct_25_64"], 1) + "%"
    assert glue["hc_last_pct"] == _nl(rows.iloc[-1]["tertiary_pct_25_64"], 1) + "%"
    assert glue["hc_gm_online"] == "niet"
    assert glue["hc_gm_status"].startswith("vervanging")
    assert glue["hc_gm_joined"] == "393" and glue["hc_gm_unjoined"] == "geen"


def test_human_capital_chapter_with_cbs_statline(run_notebook, cbs_server):
    out = run_notebook("hoogopgeleiden")
    glue = read_glue(out)
    assert glue["hc_gm_online"] == "wel"
    assert glue["hc_gm_status"].startswith("benadering: CBS StatLine")
    assert glue["hc_gm_map_year"] == "2016"
    assert glue["hc_gm_unjoined"] == "GM9999"  # reported, not silently dropped
    assert glue["hc_gm_top"].startswith("Utrecht (60,0)")
