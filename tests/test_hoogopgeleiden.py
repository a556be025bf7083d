"""Human-capital chapter logic: provinces, growth, the RIS comparison and the gemeente level
(CBS StatLine online, the offline substitute, and the choice of map year)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import hoogopgeleiden as hc
from helpers.data import cbs
from helpers.data.checks import DataCheckError
from helpers.presentation import hoogopgeleiden as views


@pytest.fixture(scope="module")
def panel():
    return hc.tertiary_panel()


def test_province_summary_of_the_eurostat_panel(panel):
    prov = hc.tertiary_for_year(2016)
    summary = hc.province_summary(prov, panel)
    raw = pd.read_csv(config.PROCESSED_DIR / "rd" / "eurostat_panel_nl.csv")
    year = raw[raw["year"] == 2016].dropna(subset=["tertiary_pct_25_64"])
    assert summary.first_pct == year["tertiary_pct_25_64"].max()
    assert summary.last_pct == year["tertiary_pct_25_64"].min()
    assert summary.gap == pytest.approx(summary.first_pct - summary.last_pct)
    assert summary.top3 == prov["name"].head(3).tolist() and summary.top3[0] == summary.first
    assert (summary.start_year, summary.end_year) == (panel["year"].min(), panel["year"].max())
    wide = panel.pivot(index="name", columns="year", values="tertiary_pct_25_64")
    growth = wide[summary.end_year] - wide[summary.start_year]
    assert summary.fastest == (growth.idxmax(), pytest.approx(growth.max()))
    assert summary.slowest == (growth.idxmin(), pytest.approx(growth.min()))
    assert summary.n_up == (growth > 0).sum() and summary.all_up is bool((growth > 0).all())


def test_province_summary_counts_provinces_that_did_not_grow():
    panel = pd.DataFrame(
        {
            "name": ["A", "A", "B", "B", "C", "C"],
            "year": [2010, 2012] * 3,
            "tertiary_pct_25_64": [30.0, 35.0, 40.0, 38.0, 20.0, 21.0],
        }
    )
    prov = panel[panel["year"] == 2012].sort_values("tertiary_pct_25_64", ascending=False)
    prov.attrs["year"] = 2012
    summary = hc.province_summary(prov, panel)
    assert (summary.first, summary.last, summary.top3) == ("B", "C", ["B", "A", "C"])
    assert summary.fastest == ("A", 5.0) and summary.slowest == ("B", -2.0)
    assert summary.n_up == 2 and not summary.all_up
    with pytest.raises(DataCheckError, match="at least 3"):
        hc.province_summary(prov.head(2), panel)


def test_provinces_on_the_map_and_the_ris_comparison():
    prov = hc.tertiary_for_year(2016)
    gdf = hc.provinces_on_map(prov)
    assert len(gdf) == 12 and gdf["tertiary_pct_25_64"].notna().all()
    ris = hc.ris_comparison(prov)
    assert ris.year == 2016 and ris.ris_year == 2016 and len(ris.table) == 12
    assert ris.best == ris.table.loc[ris.table["ris_score"].idxmax(), "name"]
    expected = ris.table["tertiary_pct_25_64"].corr(ris.table["ris_score"], method="spearman")
    assert ris.rank_correlation == pytest.approx(expected) and ris.rank_correlation > 0.5
    assert ris.constant_over_years is True  # the RIS repeats one value per province
    assert hc.ris_comparison(hc.tertiary_for_year(2010)).ris_year == 2016  # the nearest


@pytest.mark.parametrize(
    ("year", "expected"), [(2016, 2016), (2017, 2016), (2014, 2015), (2030, 2018)]
)
def test_map_year_is_the_year_else_the_latest_earlier_else_the_first(year, expected):
    assert hc.map_year_for(year, [2015, 2016, 2018]) == expected


def test_map_year_needs_maps():
    with pytest.raises(ValueError, match="no gemeente boundaries"):
        hc.map_year_for(2016, [])


def test_gemeente_level_offline_shows_the_students():
    level = hc.gemeente_level(2016, online=False)
    assert (level.online, level.reason, level.error) == (False, "disabled", "")
    assert (level.value, level.year, level.map_year) == ("per_1000", 2015, 2015)
    assert len(level.join.joined) == level.n_regions == 393 and level.join.unjoined == []
    top = level.top(5)
    values = [v for _, v in top]
    assert len(top) == 5 and values == sorted(values, reverse=True)
    assert values[0] == level.data["per_1000"].max()
    text = views.gemeente_text(level)
    assert text.status == "ander begrip" and text.problem.startswith(
        "het ophalen bij CBS staat uit"
    )
    assert text.caption.startswith("Vervanging (ander begrip) — Hbo- en wo-studenten")


@pytest.mark.parametrize(
    ("error", "reason"),
    [(cbs.CbsUnavailable("offline"), "unavailable"), (cbs.CbsError("no 2031"), "error")],
)
def test_gemeente_level_falls_back_when_statline_fails(monkeypatch, error, reason):
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(hc, "gemeente_online", fail)
    level = hc.gemeente_level(2031, online=True)
    assert (level.online, level.reason, level.error) == (False, reason, str(error))
    assert level.value == "per_1000" and level.map_year == 2015
    problem = views.gemeente_text(level).problem
    assert problem == ("no 2031" if reason == "error" else views.NOT_USED["unavailable"])


def test_gemeente_level_online_from_statline(cbs_server):
    level = hc.gemeente_level(2016, online=True)
    assert (level.online, level.reason, level.value, level.map_year) == (True, "", "pct_hoog", 2016)
    assert level.join.unjoined == ["GM9999"]  # reported, not silently dropped
    assert level.top(1)[0] == ("Utrecht", 60.0)
    text = views.gemeente_text(level)
    assert text.status == "benadering" and text.problem == "–"
    assert text.label == "% hoogopgeleid (15-74 jaar), 2016" and "85525NED" in text.source
    tooltip = views.gemeente_map(level, text).data.set_index("code")["val_txt"]
    assert tooltip["GM0344"] == "60,0"
