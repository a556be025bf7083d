"""The R&D and human-capital chapters run by papermill with different years and inputs."""

from __future__ import annotations

import json

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
    raw = pd.read_csv(config.PROCESSED_DIR / "cbs" / "rd_82352ned.csv")
    return raw[raw["level"] == "provincie"].rename(columns={"name": "provincie_naam"})


@pytest.mark.parametrize("year", [2012, 2015, 2016])
def test_rd_chapter_follows_the_year(run_notebook, cbs_rd, year):
    out = run_notebook("rd", year=year)  # compared with the newest year, 2016 (the default)
    glue = read_glue(out)
    rows = cbs_rd[cbs_rd["year"] == year].sort_values("rd_mln_euro", ascending=False)
    assert glue["rd_year"] == str(year)
    assert glue["rd_total"] == _nl(rows["rd_mln_euro"].sum())
    assert glue["rd_first"] == rows.iloc[0]["provincie_naam"] == "Zuid-Holland"
    assert glue["rd_second_mln"] == _nl(rows.iloc[1]["rd_mln_euro"])
    assert glue["rd_years"] == "2012 tot en met 2016"
    assert glue["rd_table_years"] == "2011 tot en met 2016"
    # then and now: the reference against the newest year (none when they are the same)
    assert glue["rd_new_year"] == "2016"
    if year == 2016:
        assert "geen verandering te tonen" in glue["rd_change_text"]
        assert "Tussen" not in glue["rd_change_text"]
        assert "een tweede jaar om mee te vergelijken is er hier niet" in glue["rd_years_intro"]
    else:
        total = cbs_rd[cbs_rd["year"] == year]["rd_mln_euro"].sum()
        assert glue["rd_change_text"].startswith(
            f"Tussen {year} en 2016 stegen de R&D-uitgaven in heel Nederland van {_nl(total)} "
        )
        assert "vergeleken met 2016, het nieuwste jaar" in glue["rd_years_intro"]
    assert glue["rd_no_data_after"].startswith("Na 2016 bestaan geen open regionale R&D-cijfers")
    assert "85924NED" in glue["rd_int_cbs_note"]
    if year == 2015:
        assert glue["rd_total"] == "13.695" and glue["rd_first_mln"] == "3.168"
        assert glue["rd_status"] == "definitief"
        assert glue["rd_int_cbs_nl_pct"] == "1,97%"
    elif year == 2012:
        assert glue["rd_status"] == "definitief" and glue["rd_int_cbs_nl_pct"] != "1,97%"
    else:
        assert glue["rd_second"] == "Noord-Brabant" and glue["rd_second_mln"] == "3.012"
        assert glue["rd_status"] == "volgens CBS nader voorlopig"
    assert glue["rd_corop_status"] == "benadering"
    markdown = markdown_outputs(out)
    assert "een benadering van de private R&D-uitgaven" in markdown
    assert "gepubliceerde waarden" in markdown and "Benadering (proxy)" not in markdown
    for name in ["rd-provincie-kaart", "rd-provincie-staaf", "corop-kaart"]:
        assert (out.parent / "_assets" / "rd" / f"{name}.png").stat().st_size > 10_000
    changed = (out.parent / "_assets" / "rd" / "rd-provincie-verandering.png").exists()
    assert changed == (year != 2016)


def test_rd_chapter_newest_year_before_the_reference(run_notebook):
    """Reference 2016 (the newest) compared with 2012 (the oldest complete year): the text
    says the comparison year lies before the reference and runs from 2012 to 2016."""
    glue = read_glue(run_notebook("rd", year=2016, new_year=2012))
    assert glue["rd_change_text"].startswith("Het vergelijkingsjaar (2012) ligt hier vóór")
    assert "Tussen 2012 en 2016 stegen de R&D-uitgaven" in glue["rd_change_text"]
    assert glue["rd_years_intro"].endswith("het wordt vergeleken met 2012.")


def test_rd_chapter_unknown_year_lists_the_years(run_notebook):
    with pytest.raises(
        PapermillExecutionError, match="available years: 2012, 2013, 2014, 2015, 2016"
    ):
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
    assert "een benadering van de private R&D-uitgaven" not in markdown_outputs(out)


def _assets(out, chapter: str) -> set[str]:
    return {p.name for p in (out.parent / "_assets" / chapter).iterdir()}


def test_human_capital_chapter_with_its_defaults(run_notebook):
    """The publication's year (2016) and the newest (2023 per gemeente, 2024 per provincie)."""
    out = run_notebook("hoogopgeleiden")
    glue = read_glue(out)
    assert (glue["hc_gm_year"], glue["hc_gm_ams_pct"], glue["hc_gm_nl_pct"]) == (
        "2016",
        "45,1%",
        "28,1%",
    )
    # 2023: every gemeente of 2023 on the map, one of them without a (suppressed) value
    assert glue["hc_gm_new_year"] == "2023" and glue["hc_gm_new_regions"] == "342"
    assert glue["hc_gm_new_mapped"] == "341"
    assert glue["hc_gm_new_suppressed"] == "alleen voor Schiermonnikoog geeft CBS geen waarde"
    assert (glue["hc_gm_new_ams_pct"], glue["hc_gm_new_nl_pct"]) == ("48,5%", "32,5%")
    assert glue["hc_gm_change_nl"] == "+4,4"
    assert glue["hc_gm_new_map_text"] == (
        "De kaart van 2023 toont alle 342 gemeenten van dat jaar; 341 hebben een waarde, alleen "
        "voor Schiermonnikoog geeft CBS geen waarde."
    )
    # the 2023 map is a numbered map figure like the others: interactive (outside the book:
    # the map follows the figure), not a static image only
    cell = next(
        c for c in json.loads(out.read_text())["cells"]
        if "gemeente-kaart-vergelijking" in "".join(c["source"])
    )  # fmt: skip
    outputs = [o.get("data", {}) for o in cell["outputs"]]
    maps = [d for d in outputs if "leaflet" in "".join(d.get("text/html", "")).lower()]
    assert len(maps) == 2  # the 2023 map and the change map
    assert glue["hc_gm_change_text"].startswith("Tussen 2016 en 2023 steeg het aandeel")
    assert glue["hc_gm_available"] == "2014 tot en met 2023"
    assert glue["hc_available"] == "2013 tot en met 2024"
    assert glue["hc_year"] == "2016" and glue["hc_first"] == "Utrecht"
    assert glue["hc_first_pct"] == "46,8%" and glue["hc_top3"].startswith("Utrecht")
    assert "Tussen 2016 en 2024 nam het aandeel" in glue["hc_change_text"]
    markdown = markdown_outputs(out)
    assert "Status: dezelfde uitgever, vergelijkbaar begrip" in markdown
    assert "Status: nieuwe analyse" in markdown
    assert {"gemeente-kaart.png", "gemeente-kaart-vergelijking.png"} <= _assets(
        out, "hoogopgeleiden"
    )
    assert {"gemeente-verandering.png", "provincie-verandering.csv"} <= _assets(
        out, "hoogopgeleiden"
    )


def test_human_capital_chapter_for_its_oldest_years(run_notebook):
    out = run_notebook("hoogopgeleiden", gemeente_year=2014, year=2013)
    glue = read_glue(out)
    panel = pd.read_csv(config.PROCESSED_DIR / "eurostat" / "tertiary_25_64_nl.csv")
    rows = panel[panel["year"] == 2013].sort_values("tertiary_pct_25_64", ascending=False)
    assert glue["hc_year"] == "2013"
    assert glue["hc_first_pct"] == _nl(rows.iloc[0]["tertiary_pct_25_64"], 1) + "%"
    assert glue["hc_last_pct"] == _nl(rows.iloc[-1]["tertiary_pct_25_64"], 1) + "%"
    assert glue["hc_gm_year"] == "2014" and glue["hc_gm_regions"] == "403"
    assert "twee jaar eerder dan de kaart in de publicatie" in glue["hc_gm_ref_note"]
    assert glue["hc_gm_change_text"].startswith("Tussen 2014 en 2023")
    assert "de 403 gemeenten van 2014 omgerekend naar de 342 van 2023" in glue["hc_gm_recode_text"]


def test_human_capital_chapter_for_its_newest_years(run_notebook):
    """Reference 2023 compared with 2016 (before it) per gemeente; 2024 with itself per
    provincie: the text says so, without a change where there is none."""
    out = run_notebook(
        "hoogopgeleiden", gemeente_year=2023, gemeente_new_year=2016, year=2024, new_year=2024
    )
    glue = read_glue(out)
    assert (glue["hc_gm_year"], glue["hc_gm_ams_pct"], glue["hc_gm_nl_pct"]) == (
        "2023",
        "48,5%",
        "32,5%",
    )
    assert (glue["hc_gm_mapped"], glue["hc_gm_regions"]) == ("341", "342")
    assert "zeven jaar later dan de kaart in de publicatie" in glue["hc_gm_ref_note"]
    assert glue["hc_gm_change_text"].startswith("Het vergelijkingsjaar (2016) ligt hier vóór")
    assert "Tussen 2016 en 2023 steeg" in glue["hc_gm_change_text"]
    assert glue["hc_year"] == "2024" and glue["hc_years_shown"] == "2024"
    assert "gelijk aan het referentiejaar (2024)" in glue["hc_change_text"]
    assert "Tussen" not in glue["hc_change_text"] and "sinds" not in glue["hc_change_text"]
    assert "provincie-verandering.csv" not in _assets(out, "hoogopgeleiden")


def test_human_capital_chapter_unknown_year_lists_the_years(run_notebook):
    with pytest.raises(PapermillExecutionError, match="available years: 2014, 2015, .*2023"):
        run_notebook("hoogopgeleiden", gemeente_year=2013)
