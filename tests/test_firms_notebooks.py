"""The innovative firms, startups and scale-ups chapters, run by papermill both ways: on the
shipped open data (proxies) and on synthetic files in the schemas of the restricted sources."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError

from conftest import markdown_outputs, read_glue
from helpers import config

pytestmark = pytest.mark.slow
USER_FILES = Path(__file__).parent / "fixtures" / "user_files"


def _nl(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def _half_and_top4(values: list[float]) -> tuple[int, float]:
    ordered = sorted(values, reverse=True)
    total, running = sum(ordered), 0.0
    for n, value in enumerate(ordered, start=1):
        running += value
        if running >= total / 2:
            return n, sum(ordered[:4]) / total * 100
    raise AssertionError


def test_firms_chapter_on_open_data(run_notebook):
    out = run_notebook("innovatieve_bedrijven")
    glue = read_glue(out)
    est = pd.read_csv(config.PROCESSED_DIR / "nl" / "kerncijfers_gemeente_2015.csv")
    n_half, top4 = _half_and_top4(est["vestigingen_totaal"].tolist())
    assert glue["firms_status"].startswith("benadering")
    assert glue["firms_n_half"] == _nl(n_half)
    assert glue["firms_top4_share"] == _nl(top4, 1) + "%"
    assert glue["firms_top4"] == "Amsterdam, Rotterdam, ’s-Gravenhage en Utrecht"
    assert glue["firms_pub_half"] == "30"  # the publication's value, shown as published
    assert "Status: benadering" in markdown_outputs(out)
    assert glue["firms_ref_year"] == "2015" and glue["firms_new_year"] == "2025"
    assert glue["firms_new_total"] == "2.551.560" and glue["firms_available"] == "2015-2025"
    assert "Per gemeente is de tabel in geen enkel jaar compleet" in glue["firms_completeness"]
    assets = {p.name for p in (out.parent / "_assets" / "innovatieve-bedrijven").iterdir()}
    assert {"corop-kaart.png", "corop-verandering.png"} <= assets


def test_firms_chapter_for_its_oldest_and_newest_year(run_notebook):
    glue = read_glue(run_notebook("innovatieve_bedrijven", corop_year=2015, corop_new_year=2015))
    assert glue["firms_ref_year"] == glue["firms_new_year"] == "2015"
    assert glue["firms_new_top3"].startswith("Groot-Amsterdam (171.745)")
    assert "gelijk aan het referentiejaar (2015)" in glue["firms_change_text"]
    out = run_notebook("innovatieve_bedrijven", corop_year=2025, corop_new_year=2015)
    glue = read_glue(out)
    assert "elf jaar later dan de CIS-telling" in glue["firms_ref_note"]
    text = glue["firms_change_text"]
    assert text.startswith("Het vergelijkingsjaar (2015) ligt hier vóór het referentiejaar (2025)")
    assert "Tussen 2015 en 2025 steeg het aantal bedrijfsvestigingen" in text
    with pytest.raises(PapermillExecutionError, match="available years: 2015, .*2025"):
        run_notebook("innovatieve_bedrijven", corop_year=2014)


def test_firms_chapter_on_a_cis_file(run_notebook):
    path = USER_FILES / "cis_synthetic.csv"
    out = run_notebook("innovatieve_bedrijven", cis_file=str(path), year=2014)
    glue = read_glue(out)
    data = pd.read_csv(path)
    rows = data[data["jaar"] == 2014]
    n_half, top4 = _half_and_top4(rows["aantal_innovatief"].tolist())
    assert glue["firms_status"].startswith("origineel")
    assert glue["firms_total"] == _nl(rows["aantal_innovatief"].sum())
    assert glue["firms_n_half"] == _nl(n_half)
    assert glue["firms_top4_share"] == _nl(top4, 1) + "%"
    assert glue["firms_top4"] == "Amsterdam, Rotterdam, Haarlemmermeer en Utrecht"
    # The publication's size classes, counted here independently
    values = rows["aantal_innovatief"]
    expected = [
        f"{(values >= 500).sum()} gemeenten met 500 of meer",
        f"{((values >= 200) & (values < 500)).sum()} gemeenten met 200 tot 500",
        f"{((values >= 100) & (values < 200)).sum()} gemeenten met 100 tot 200",
        f"{(values < 100).sum()} gemeenten met minder dan 100",
    ]
    assert all(part in glue["firms_classes"] for part in expected), glue["firms_classes"]
    assert "Status: origineel, aangeleverd" in markdown_outputs(out)


def test_firms_chapter_stops_on_a_file_without_its_count_column(run_notebook, tmp_path):
    path = tmp_path / "cis_broken.csv"
    path.write_text("gemeente,jaar\nGM0363,2014\n")
    with pytest.raises(
        PapermillExecutionError, match=r"missing column\(s\) \['aantal_innovatief'\]"
    ):
        run_notebook("innovatieve_bedrijven", cis_file=str(path))


def _starters(year: int) -> pd.DataFrame:
    table = pd.read_csv(config.PROCESSED_DIR / "cbs" / "new_establishments_83631ned.csv")
    return table[(table["level"] == "corop") & (table["year"] == year)]


def test_startups_chapter_both_ways(run_notebook):
    out = run_notebook("startups")
    glue = read_glue(out)
    assert glue["st_year"] == "2016" and glue["st_new_year"] == "2023"
    assert glue["st_total"] == _nl(_starters(2016)["oprichtingen"].sum())
    assert glue["st_top3"].startswith("Groot-Amsterdam") and glue["st_new_ams"] == "34.230"
    assert glue["st_status"].startswith("benadering")
    assert glue["st_available"] == "2015-2023"
    assert "Status: nieuwe analyse" in markdown_outputs(out)
    assets = {p.name for p in (out.parent / "_assets" / "startups").iterdir()}
    assert {"corop-kaart.png", "corop-kaart-vergelijking.png", "corop-verandering.png"} <= assets

    glue = read_glue(
        run_notebook("startups", startup_file=str(USER_FILES / "startups_synthetic.csv"))
    )
    assert glue["st_status"].startswith("origineel")
    assert glue["st_n"] == "7" and glue["st_unplaced"] == "1"  # 'Atlantis' is no gemeente
    assert glue["st_top"].startswith("Amsterdam (2)")
    assert glue["st_share_big"] == "83%"  # 5 of 6 placed startups in gemeenten of 100,000+


def test_startups_chapter_for_its_oldest_year(run_notebook):
    glue = read_glue(run_notebook("startups", year=2015))
    assert glue["st_year"] == "2015" and glue["st_ams"] == "21.365"
    assert glue["st_total"] == _nl(_starters(2015)["oprichtingen"].sum())
    assert glue["st_new_year"] == "2023" and glue["st_new_ams"] == "34.230"
    assert "twee jaar eerder dan de telling in de publicatie" in glue["st_ref_note"]
    text = glue["st_change_text"]
    assert text.startswith("Tussen 2015 en 2023 steeg het aantal nieuwe vestigingen")
    assert "In Groot-Amsterdam steeg het aantal van 21.365 naar 34.230 (+60,2%)." in text


def test_startups_chapter_for_its_newest_year(run_notebook):
    out = run_notebook("startups", year=2023)
    glue = read_glue(out)
    assert glue["st_year"] == "2023" and glue["st_ams"] == "34.230"
    assert glue["st_top3"].startswith("Groot-Amsterdam (34.230)")
    assert "zes jaar later dan de telling in de publicatie" in glue["st_ref_note"]
    assert "gelijk aan het referentiejaar (2023)" in glue["st_change_text"]
    assert "Tussen" not in glue["st_change_text"] and "sinds" not in glue["st_change_text"]
    assets = {p.name for p in (out.parent / "_assets" / "startups").iterdir()}
    assert "corop-kaart.png" in assets and "corop-verandering.png" not in assets


def test_startups_chapter_unknown_year_lists_the_years(run_notebook):
    with pytest.raises(PapermillExecutionError, match="available years: 2015, .*2023"):
        run_notebook("startups", year=2014)


def _larger(year: int) -> pd.DataFrame:
    table = pd.read_csv(config.PROCESSED_DIR / "cbs" / "establishments_by_size_81644ned.csv")
    return table[(table["level"] == "corop") & (table["year"] == year)]


def test_scaleups_chapter_for_its_oldest_year(run_notebook):
    out = run_notebook("scale_ups", population_year=2015)
    glue = read_glue(out)
    assert glue["su_pop_year"] == "2015"
    assert glue["su_pop_total"] == _nl(_larger(2015)["vestigingen_10_plus"].sum())
    assert "een jaar eerder dan het Scale-Up Dashboard" in glue["su_ref_note"]
    assert glue["su_change_text"].startswith("Tussen 2015 en 2025 steeg het aantal vestigingen")
    assets = {p.name for p in (out.parent / "_assets" / "scale-ups").iterdir()}
    assert {"populatie-kaart.png", "populatie-verandering.png"} <= assets


def test_scaleups_chapter_for_its_newest_year(run_notebook):
    out = run_notebook("scale_ups", population_year=2025)
    glue = read_glue(out)
    assert glue["su_pop_year"] == "2025" and glue["su_pop_total"] == "106.440"
    assert glue["su_pop_top"].startswith("Groot-Amsterdam (11.225)")
    assert "negen jaar later dan het Scale-Up Dashboard" in glue["su_ref_note"]
    assert "gelijk aan het referentiejaar (2025)" in glue["su_change_text"]
    assert "Tussen" not in glue["su_change_text"]
    assets = {p.name for p in (out.parent / "_assets" / "scale-ups").iterdir()}
    assert "populatie-kaart.png" in assets and "populatie-verandering.png" not in assets


def test_scaleups_chapter_both_ways(run_notebook):
    glue = read_glue(run_notebook("scale_ups"))
    assert glue["su_total_2016"] == "3.070" and glue["su_total_2017"] == "3.237"
    assert glue["su_status"].startswith("gepubliceerde totalen")
    assert glue["su_pop_year"] == "2016" and glue["su_new_year"] == "2025"
    assert glue["su_pop_total"] == _nl(_larger(2016)["vestigingen_10_plus"].sum()) == "93.690"
    assert glue["su_new_total"] == "106.440" and glue["su_available"] == "2015-2025"
    assert glue["su_change_text"].startswith("Tussen 2016 en 2025 steeg het aantal vestigingen")

    out = run_notebook("scale_ups", scaleup_file=str(USER_FILES / "scaleups_synthetic.csv"))
    glue = read_glue(out)
    assert glue["su_status"].startswith("origineel")
    assert "telt Nederland 930 scale-ups; de meeste in Amsterdam (400)" in glue["su_user_text"]
    assert (out.parent / "_assets" / "scale-ups" / "scaleups-kaart.png").stat().st_size > 10_000
