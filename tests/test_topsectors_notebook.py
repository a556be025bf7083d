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
    # amounts and counts on the same base: all participations, then the placed ones
    htsm = data[data["thema"] == "Hightech en materialen"]
    placed = htsm.dropna(subset=["gemeente"])
    assert full["ts_1_participations"] == f"{len(htsm):,}".replace(",", ".")
    assert full["ts_1_amount"] == f"{htsm['bedrag'].sum() / 1e6:.1f}".replace(".", ",")
    assert full["ts_1_participations_placed"] == f"{len(placed):,}".replace(",", ".")
    assert full["ts_1_amount_placed"] == f"{placed['bedrag'].sum() / 1e6:.1f}".replace(".", ",")
    # a hub's share: the collaborations (summed link weight) it takes part in, not link ends
    assert full["ts_1_collaborations"] == f"{net.edges['projecten'].sum():,}".replace(",", ".")
    shares = {}
    for name in ["Hightech en materialen", "Gezondheid", "Voedsel en bio-economie", "Energie"]:
        theme_net = topsectoren.network(data[data["thema"] == name])
        hub, total = theme_net.nodes.iloc[0], theme_net.edges["projecten"].sum()
        shares[name] = (hub["strength"] / total * 100, hub["naam"], hub["strength"], total)
    central = max(shares, key=lambda name: shares[name][0])
    share, hub_name, hub_links, total = shares[central]
    assert full["ts_cmp_central"] == (
        f"{central}, waar {hub_name} aan {hub_links} van de {total} samenwerkingen deelneemt "
        f"({share:.0f}%)"
    )


def test_reference_and_newest_period_by_default(run_notebook):
    """Horizon 2020 (2014-2020) stays the reference; the newest period (Horizon Europe,
    2021-2025) is added with its placement rate, per theme against the reference."""
    out = run_notebook("topsectoren")
    glue = read_glue(out)
    themes = ["Hightech en materialen", "Gezondheid", "Voedsel en bio-economie", "Energie"]
    newest = topsectoren.period_data("", 2021, 2025, themes)
    text = glue["ts_new_text"]
    n = f"{newest.match.n:,}".replace(",", ".")
    assert text.startswith(
        "In projecten die tussen 2021 en 2025 startten (Horizon 2020 en Horizon Europe), namen "
        f"Nederlandse organisaties {n} keer deel"
    )
    assert f"Bij {newest.match.participations:.0f}% van die deelnames, goed voor" in text
    assert "is de gemeente bekend" in text
    assert "Horizon Europe (projecten gestart 2021-2025)" in text
    assert "Voedsel en bio-economie: Wageningen blijft voorop" in text
    assert glue["ts_started"] == "tussen 2014 en 2020" and glue["ts_period"] == "2014-2020"
    assert (out.parent / "_assets" / "topsectoren" / "nieuwste-periode.csv").exists()


def test_oldest_and_newest_periods_swapped_and_the_same(run_notebook):
    """The newest period as reference and the oldest as comparison: the text says the
    comparison lies before the reference; equal periods: no change, no table."""
    glue = read_glue(
        run_notebook(
            "topsectoren", start_year=2021, end_year=2025, new_start_year=2014, new_end_year=2014
        )
    )
    assert glue["ts_new_text"].startswith(
        "De vergelijkingsperiode (2014) ligt hier vóór de referentieperiode (2021-2025)."
    )
    assert "In projecten die in 2014 startten (Horizon 2020)" in glue["ts_new_text"]
    out = run_notebook("topsectoren", start_year=2014, end_year=2015, new_start_year=2014,
                       new_end_year=2015)  # fmt: skip
    assert "er is geen verandering te tonen" in read_glue(out)["ts_new_text"]
    assert not (out.parent / "_assets" / "topsectoren" / "nieuwste-periode.csv").exists()


def test_horizon_europe_years_and_the_match_rate_per_period(run_notebook):
    glue = read_glue(run_notebook("topsectoren", start_year=2014, end_year=2025))
    assert glue["ts_period"] == "2014-2025"
    found = topsectoren.chapter_data(
        "",
        2014,
        2025,
        ["Hightech en materialen", "Gezondheid", "Voedsel en bio-economie", "Energie"],
    )
    rates = found.match_by_programme
    assert list(rates) == ["Horizon 2020", "Horizon Europe"]
    for label, (years, rate) in rates.items():
        assert (
            f"{label} (projecten gestart {years}): {rate.participations:.0f}%"
            in glue["ts_match_periods"]
        )
    assert (
        int(glue["ts_1_projects_all"].replace(".", ""))
        > found.data.query("programma == 'H2020' and thema == 'Hightech en materialen'")[
            "project"
        ].nunique()
    )


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
    # the file has no projects in the newest period (2021-2025): a sentence, no table
    assert glue["ts_new_text"] == (
        "Voor projecten die tussen 2021 en 2025 startten, heeft het aangeleverde bestand geen "
        "Nederlandse deelnames."
    )
