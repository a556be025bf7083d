"""Human-capital chapter logic: the share of hbo/wo per gemeente for any year on that year's
gemeenten (CBS 85525NED), the change on the later year's gemeenten (counts recoded, shares
recomputed), the provinces over the years (Eurostat) and the sentences the book shows."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import config
from helpers.chapters import hoogopgeleiden as hc
from helpers.data.checks import DataCheckError, UnknownParameterError
from helpers.presentation import hoogopgeleiden as views
from helpers.presentation.then_now import Period


@pytest.fixture(scope="module")
def education():
    return pd.read_csv(config.PROCESSED_DIR / "cbs" / "education_85525ned.csv.gz")


@pytest.fixture(scope="module")
def shares():
    return {year: hc.gemeente_shares(year) for year in (2015, 2016, 2023)}


def _row(education: pd.DataFrame, code: str, year: int) -> pd.Series:
    rows = education[(education["code"] == code) & (education["year"] == year)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_gemeente_years_are_those_with_data_and_boundaries():
    assert hc.gemeente_years() == list(range(2014, 2024))  # 2013: no boundaries
    with pytest.raises(UnknownParameterError, match="available years: 2014, 2015, .*, 2023"):
        hc.gemeente_shares(2013)


def test_the_gemeente_map_of_2023_and_of_2016(shares):
    new, old = shares[2023], shares[2016]
    assert (new.n_regions, new.n_mapped, new.suppressed) == (342, 341, ["Schiermonnikoog"])
    assert new.pct("GM0363") == 48.5 and new.nederland_pct == 32.5
    assert (old.n_regions, old.n_mapped) == (390, 388)
    assert old.suppressed == ["Schiermonnikoog", "Vlieland"]
    assert old.pct("GM0363") == 45.1 and old.nederland_pct == 28.1
    table = new.table.set_index("gemeente")
    assert table.loc["GM0363", "hoogopgeleiden"] == pytest.approx(0.485 * 754_100)
    top = new.top(5)
    assert [v for _, v in top] == sorted((v for _, v in top), reverse=True)
    assert top[0][1] == new.table["hbo_wo_pct"].max()


def test_the_change_recodes_counts_and_recomputes_shares(shares, education):
    change = hc.gemeente_change(shares[2023], shares[2016])  # either order
    assert (change.earlier, change.later) == (2016, 2023) and len(change.table) == 342
    # Amsterdam of 2023 took in Weesp (2022): its 2016 share is that of both, from the counts
    ams, weesp = _row(education, "GM0363", 2016), _row(education, "GM0457", 2016)
    counts = [r["hbo_wo_pct"] / 100 * r["bevolking_15_75"] for r in (ams, weesp)]
    expected = sum(counts) / (ams["bevolking_15_75"] + weesp["bevolking_15_75"]) * 100
    before, after, diff = change.of("GM0363")
    assert before == pytest.approx(expected) and after == 48.5
    assert before != pytest.approx((ams["hbo_wo_pct"] + weesp["hbo_wo_pct"]) / 2)  # not averaged
    assert diff == pytest.approx(48.5 - expected)
    assert change.formed_from("GM0363") == ["Weesp"] and change.formed_from("GM0344") == []
    assert change.formed_from("GM0014") == ["Haren", "Ten Boer"]
    assert change.n_merged == len(change.report.merged) > 0
    assert change.nederland == (28.1, 32.5)
    compared = change.compared
    assert change.n_up + change.n_down <= len(compared) < 342
    assert pd.isna(change.of("GM0088")[2])  # Schiermonnikoog: suppressed in both years


def test_the_largest_changes_follow_their_direction_and_the_population_floor(shares):
    change = hc.gemeente_change(shares[2016], shares[2023])
    rises, falls = change.largest(5), change.largest(5, rising=False)
    assert all(v > 0 for _, v in rises) and all(v < 0 for _, v in falls)
    assert [v for _, v in rises] == sorted((v for _, v in rises), reverse=True)
    big = change.compared[change.compared["bevolking_later"] >= hc.MIN_POPULATION]
    assert rises[0] == (big.loc[big["change_pp"].idxmax(), "name"], big["change_pp"].max())
    everyone = change.largest(1, min_population=0)[0][1]
    assert everyone == change.compared["change_pp"].max() >= rises[0][1]


def test_the_same_year_twice_changes_nothing(shares):
    change = hc.gemeente_change(shares[2016], shares[2016])
    assert change.compared["change_pp"].abs().max() == pytest.approx(0)
    assert change.n_up == change.n_down == 0 and change.n_merged == 0


def test_the_change_sentences_in_each_order(shares):
    forward = hc.gemeente_change(shares[2016], shares[2023])
    text = views.change_text(Period(2016, 2023), forward)
    assert text.startswith("Tussen 2016 en 2023 steeg het aandeel in heel Nederland van 28,1%")
    assert "In Amsterdam (samen met Weesp, in de indeling van 2023) steeg het aandeel" in text
    backward = views.change_text(Period(2023, 2016), forward)
    assert backward.startswith("Het vergelijkingsjaar (2016) ligt hier vóór") and text in backward
    same = views.change_text(Period(2023, 2023), None)
    assert "geen verandering" in same and "Tussen" not in same
    glue = views.change_glue(Period(2023, 2023), None)
    sentences = views.change_sentences(Period(2023, 2023), None, shares[2023])
    assert glue["hc_gm_change_nl"] == "–" and "geen omrekening" in sentences["hc_gm_recode_text"]
    assert sentences["hc_gm_new_map_text"] == ""  # no second map
    said = views.change_sentences(Period(2016, 2023), forward, shares[2023])
    assert said["hc_gm_new_map_text"] == (
        "De kaart van 2023 toont alle 342 gemeenten van dat jaar; 341 hebben een waarde, alleen "
        "voor Schiermonnikoog geeft CBS geen waarde."
    )
    recode = views.recode_text(hc.gemeente_change(shares[2015], shares[2016]))
    assert "de 393 gemeenten van 2015 omgerekend naar de 390 van 2016" in recode
    assert (
        "twee gemeenten van 2016 ontstonden uit een samenvoeging en geen gemeente van 2015 werd"
        in recode
    )


@pytest.mark.parametrize(
    ("year", "words"),
    [(2016, "hetzelfde jaar"), (2014, "twee jaar eerder"), (2023, "zeven jaar later")],
)
def test_the_reference_year_against_the_publication(year, words):
    note = views.reference_note(year)
    assert words in note and f"gemeenten van {year}" in note
    assert ("referentiejaar" in note) == (year != 2016)


def test_the_gemeente_glue_and_map(shares):
    glue = views.gemeente_glue(shares[2023], "hc_gm_new")
    assert glue["hc_gm_new_ams_pct"] == "48,5%" and glue["hc_gm_new_nl_pct"] == "32,5%"
    assert (glue["hc_gm_new_mapped"], glue["hc_gm_new_regions"]) == (341, 342)
    assert glue["hc_gm_new_suppressed"] == "alleen voor Schiermonnikoog geeft CBS geen waarde"
    result = views.gemeente_map(shares[2023])
    tooltip = result.data.set_index("code")["pct_txt"]
    assert tooltip["GM0363"] == "48,5%" and pd.isna(tooltip["GM0088"])


# --- provinces --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def panel():
    return hc.tertiary_panel()


def test_the_eurostat_panel_has_12_provinces_every_year(panel):
    assert hc.tertiary_years() == list(range(2013, 2025))
    assert panel.groupby("year")["provincie"].nunique().eq(12).all()
    assert set(panel.loc[panel["year"] == 2024, "nuts2"]) >= {"NL35", "NL36"}
    with pytest.raises(UnknownParameterError, match="available years: 2013"):
        hc.tertiary_for_year(2012)


def test_province_summary_of_one_year():
    summary = hc.province_summary(hc.tertiary_for_year(2016))
    assert (summary.first, summary.first_pct, summary.last, summary.last_pct) == (
        "Utrecht",
        46.8,
        "Zeeland",
        26.1,
    )
    assert summary.gap == pytest.approx(20.7) and summary.top3[0] == "Utrecht"
    with pytest.raises(DataCheckError, match="at least 3"):
        hc.province_summary(hc.tertiary_for_year(2016).head(2))


def test_province_change_in_either_order(panel):
    change = hc.province_change(panel, 2024, 2016)
    assert (change.earlier, change.later) == (2016, 2024)
    assert change.fastest == ("Gelderland", pytest.approx(9.9))
    assert change.slowest == ("Zeeland", pytest.approx(4.3))
    assert change.all_up and change.n_up == 12
    assert change.breaks == [2019, 2021] and change.recoded == ["Utrecht", "Zuid-Holland"]
    later = hc.province_change(panel, 2019, 2024)
    assert later.breaks == [2021] and later.recoded == []
    text = views.province_change_text(Period(2016, 2024), change)
    assert "in alle provincies toe" in text and "Gelderland (+9,9 procentpunt)" in text
    assert "breuk in de reeks in 2019 en 2021" in text and "Vijfheerenlanden" in text
    assert "Vijfheerenlanden" not in views.province_change_text(Period(2019, 2024), later)
    assert "geen verandering" in views.province_change_text(Period(2024, 2024), later)


def test_province_change_counts_provinces_that_fell():
    synthetic = pd.DataFrame(
        {
            "provincie": ["PV20", "PV20", "PV21", "PV21", "PV22", "PV22"],
            "name": ["A", "A", "B", "B", "C", "C"],
            "nuts2": ["NL11", "NL11", "NL12", "NL12", "NL13", "NL13"],
            "year": [2010, 2012] * 3,
            "tertiary_pct_25_64": [30.0, 35.0, 40.0, 38.0, 20.0, 21.0],
            "flag": [None] * 6,
        }
    )
    change = hc.province_change(synthetic, 2010, 2012)
    assert change.fastest == ("A", 5.0) and change.slowest == ("B", -2.0)
    assert change.n_up == 2 and not change.all_up and change.breaks == []
    assert "in twee van de drie provincies" in views.province_change_text(
        Period(2010, 2012), change
    )


@pytest.mark.parametrize("year", [2013, 2016, 2024])
def test_provinces_on_the_map_of_their_year(year):
    gdf = hc.provinces_on_map(hc.tertiary_for_year(year))
    assert len(gdf) == 12 and gdf["tertiary_pct_25_64"].notna().all()


def test_the_ris_comparison_uses_the_nearest_ris_year():
    ris = hc.ris_comparison(hc.tertiary_for_year(2016))
    assert ris.year == 2016 and ris.ris_year == 2016 and len(ris.table) == 12
    assert ris.best == ris.table.loc[ris.table["ris_score"].idxmax(), "name"]
    expected = ris.table["tertiary_pct_25_64"].corr(ris.table["ris_score"], method="spearman")
    assert ris.rank_correlation == pytest.approx(expected) and ris.rank_correlation > 0.5
    assert ris.constant_over_years is True  # the RIS repeats one value per province
    assert hc.ris_comparison(hc.tertiary_for_year(2024)).ris_year == 2023  # the nearest
