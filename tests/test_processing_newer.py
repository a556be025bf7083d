"""The newest open data (steps ``cbs_regional`` and ``eurostat_regional``): named spot checks on
the committed tables (fast, no raw data), their agreement with the yearly crosswalks, small
synthetic cases of the title -> code resolution, and reproduction from the raw mirror."""

import filecmp

import pandas as pd
import pytest

from helpers import config
from helpers.data.checks import DataCheckError
from helpers.data.processing import cbs_regional, eurostat_regional, run_all
from helpers.geography import years

NEWER_STEPS = ["cbs_regional", "eurostat_regional"]


def processed(name: str) -> pd.DataFrame:
    return pd.read_csv(config.PROCESSED_DIR / name, dtype={"code": str, "flag": str})


@pytest.fixture(scope="module")
def education():
    return processed(cbs_regional.EDUCATION)


def value(table: pd.DataFrame, column: str, **keys: object) -> float:
    rows = table
    for key, wanted in keys.items():
        rows = rows[rows[key] == wanted]
    assert len(rows) == 1, f"{keys}: {len(rows)} rows"
    return rows[column].iloc[0]


# --- spot checks on the committed outputs ---------------------------------------------------

SPOT_CHECKS = [
    # (file, key column, code, year, value column, expected)
    (cbs_regional.EDUCATION, "code", "GM0363", 2023, "hbo_wo_pct", 48.5),
    (cbs_regional.EDUCATION, "code", "GM0363", 2016, "hbo_wo_pct", 45.1),
    (cbs_regional.EDUCATION, "code", "GM0344", 2016, "hbo_wo_pct", 48.5),
    (cbs_regional.EDUCATION, "code", "GM0599", 2023, "hbo_wo_pct", 32.8),
    (cbs_regional.EDUCATION, "code", "NL01", 2022, "hbo_wo_pct", 32.0),
    (cbs_regional.EDUCATION, "code", "NL01", 2022, "bevolking_15_75", 13_419_100),
    (cbs_regional.EDUCATION, "code", "GM0363", 2023, "bevolking_15_75", 754_100),
    (cbs_regional.NEW_ESTABLISHMENTS, "code", "CR23", 2015, "oprichtingen", 21_365),
    (cbs_regional.NEW_ESTABLISHMENTS, "code", "CR23", 2019, "oprichtingen", 29_420),
    (cbs_regional.NEW_ESTABLISHMENTS, "code", "CR23", 2023, "oprichtingen", 34_230),
    (cbs_regional.NEW_ESTABLISHMENTS, "code", "CR17", 2023, "oprichtingen", 21_915),
    (cbs_regional.NEW_ESTABLISHMENTS, "code", "NL01", 2023, "oprichtingen", 257_955),
    (cbs_regional.BY_SIZE, "code", "NL01", 2023, "vestigingen", 2_358_600),
    (cbs_regional.BY_SIZE, "code", "NL01", 2023, "vestigingen_10_plus", 109_095),
    (cbs_regional.BY_SIZE, "code", "CR23", 2023, "vestigingen", 268_420),
    (cbs_regional.BY_SIZE, "code", "CR23", 2023, "vestigingen_10_plus", 11_205),
    (cbs_regional.BY_SIZE, "code", "CR36", 2023, "vestigingen_10_plus", 5_005),
    (cbs_regional.ESTABLISHMENTS, "code", "GM0363", 2017, "vestigingen", 135_630),
    (cbs_regional.ESTABLISHMENTS, "code", "GM0363", 2019, "vestigingen", 153_240),
    (cbs_regional.ESTABLISHMENTS, "code", "GM0363", 2023, "vestigingen", 191_605),
    (cbs_regional.ESTABLISHMENTS, "code", "GM0363", 2024, "vestigingen", 206_195),
    (cbs_regional.ESTABLISHMENTS, "code", "NL01", 2015, "vestigingen", 1_637_345),
    (cbs_regional.RD, "code", "PV28", 2015, "rd_mln_euro", 3_168),
    (cbs_regional.RD, "code", "PV30", 2015, "rd_mln_euro", 2_837),
    (cbs_regional.RD, "code", "NL01", 2015, "rd_arbeidsjaren", 129_060),
    (cbs_regional.GDP, "code", "CR23", 2015, "bbp_mln_euro", 103_071),
    (cbs_regional.GDP, "code", "CR23", 2023, "bbp_mln_euro", 166_827),
    (cbs_regional.GDP, "code", "PV30", 2023, "bbp_mln_euro", 161_942),
    (eurostat_regional.TERTIARY, "nuts2", "NL35", 2024, "tertiary_pct_25_64", 56.5),
    (eurostat_regional.TERTIARY, "nuts2", "NL41", 2024, "tertiary_pct_25_64", 43.1),
    (eurostat_regional.TERTIARY, "nuts2", "NL41", 2013, "tertiary_pct_25_64", 32.2),
    (eurostat_regional.GDP_PPS, "nuts", "NL41", 2023, "gdp_pps_eu100", 137),
    (eurostat_regional.GDP_PPS, "nuts", "NL35", 2023, "gdp_pps_eu100", 159),
]


@pytest.mark.parametrize(("file", "key", "code", "year", "column", "expected"), SPOT_CHECKS)
def test_committed_spot_check(file, key, code, year, column, expected):
    table = processed(file)
    assert value(table, column, **{key: code, "year": year}) == pytest.approx(expected)


def test_rd_provinces_add_up_to_13695_in_2015():
    table = processed(cbs_regional.RD)
    provinces = table[(table["level"] == "provincie") & (table["year"] == 2015)]
    assert len(provinces) == 12 and provinces["rd_mln_euro"].sum() == 13_695


def test_rd_agrees_with_the_transcribed_table_where_both_have_values():
    new = processed(cbs_regional.RD)
    old = processed("rd/cbs_rd_provincie.csv")
    both = old.merge(new, left_on=["provincie", "year"], right_on=["code", "year"])
    assert len(both) == len(old) == 36
    assert (both["rd_mln_euro_x"] == both["rd_mln_euro_y"]).all()
    assert (both["rd_arbeidsjaren_x"] == both["rd_arbeidsjaren_y"]).all()


def test_education_gemeenten_with_a_share_per_year(education):
    gemeenten = education[education["level"] == "gemeente"]
    counts = gemeenten.groupby("year").agg(
        regions=("code", "size"), with_share=("hbo_wo_pct", "count")
    )
    expected = {
        2013: (408, 406), 2014: (403, 401), 2015: (393, 391), 2016: (390, 388),
        2017: (388, 386), 2018: (380, 378), 2019: (355, 353), 2020: (355, 354),
        2021: (352, 351), 2022: (345, 344), 2023: (342, 341),
    }  # fmt: skip
    assert {y: tuple(r) for y, r in counts.iterrows()} == expected


def test_suppressed_values_are_missing_not_zero(education):
    schiermonnikoog = education[education["code"] == "GM0088"]
    assert len(schiermonnikoog) == 11
    assert schiermonnikoog["hbo_wo_pct"].isna().all()
    assert schiermonnikoog["bevolking_15_75"].notna().all()
    assert not (education["hbo_wo_pct"] == 0).any()


@pytest.mark.parametrize("year", range(2014, 2024))
def test_education_gemeenten_are_those_of_the_years_crosswalk(education, year):
    """Codes found through 70739ned are the gemeenten of the year's crosswalk, and each code's
    name is the crosswalk's StatLine title of that code (without ``(gemeente)``)."""
    ours = education[(education["level"] == "gemeente") & (education["year"] == year)]
    walk = years.crosswalk(year)
    assert set(ours["code"]) == set(walk["gemeente"])
    title = ours["code"].map(walk.set_index("gemeente")["title"])
    assert (ours["name"] == title.str.removesuffix(" (gemeente)")).all()
    # and the other way round: each title gives back the code (years.codes_of_titles)
    codes = years.codes_of_titles(title, year)
    assert codes.tolist() == ours["code"].tolist()


@pytest.mark.parametrize("year", range(2014, 2024))
@pytest.mark.parametrize("level", ["corop", "provincie"])
def test_education_regions_are_the_sum_of_their_gemeenten_of_that_year(education, year, level):
    """CBS gives COROP and provincie figures in the composition of each year: population
    15-75 equals the sum of the gemeenten of the year's crosswalk (within rounding to 100)."""
    part = education[education["year"] == year]
    walk = years.crosswalk(year)
    gemeenten = part[part["level"] == "gemeente"].merge(
        walk[["gemeente", level]], left_on="code", right_on="gemeente"
    )
    summed = gemeenten.groupby(level)["bevolking_15_75"].sum()
    sizes = gemeenten.groupby(level).size()
    regions = part[part["level"] == level].set_index("code")["bevolking_15_75"]
    assert set(regions.index) == set(summed.index)
    gap = (regions - summed.reindex(regions.index)).abs()
    assert (gap <= 50 * sizes.reindex(regions.index)).all(), gap[gap > 0].to_dict()


def test_education_gemeenten_of_2013_include_those_gone_in_2014(education):
    codes = {
        y: set(education.loc[(education["level"] == "gemeente") & (education["year"] == y), "code"])
        for y in (2013, 2014)
    }
    gone = codes[2013] - codes[2014]
    # Boarnsterhim, Gaasterlan-Sleat, Lemsterland, Skarsterlan (-> De Friese Meren etc.),
    # Boskoop and Rijnwoude (-> Alphen aan den Rijn) ended on 1 January 2014.
    assert gone == {"GM0051", "GM0055", "GM0082", "GM0499", "GM0653", "GM1672"}
    assert codes[2014] - codes[2013] == {"GM1921"}


def test_levels_are_complete_above_the_gemeente():
    for file in (cbs_regional.NEW_ESTABLISHMENTS, cbs_regional.BY_SIZE, cbs_regional.GDP):
        table = processed(file)
        counts = table.groupby(["level", "year"])["code"].nunique().unstack("level")
        assert (counts[["nederland", "landsdeel", "provincie", "corop"]] == [1, 4, 12, 40]).all(
            axis=None
        ), file
        assert table.drop(columns=["name"]).notna().all(axis=None), file


def test_establishments_completeness_marks_the_truncated_gemeenten():
    table = processed(cbs_regional.COMPLETENESS)
    gemeente = table[table["level"] == "gemeente"].set_index("year")
    assert not gemeente["complete"].any()
    assert gemeente.loc[2016, "with_values"] == 332 and gemeente.loc[2016, "regions"] == 390
    assert gemeente.loc[2023, "with_values"] == 288 and gemeente.loc[2023, "missing"] == 54
    others = table[table["level"] != "gemeente"]
    assert others["complete"].all() and len(others) == 4 * 11
    values = processed(cbs_regional.ESTABLISHMENTS)
    per_year = values[values["level"] == "gemeente"].groupby("year").size()
    assert (per_year == gemeente["with_values"]).all()
    assert "GM1783" not in set(values["code"])  # Westland: after Veere, cut off


def test_tertiary_has_one_provincie_code_per_region_and_year():
    table = processed(eurostat_regional.TERTIARY)
    assert len(table) == 12 * 12 and not table.duplicated(["provincie", "year"]).any()
    utrecht = table[table["provincie"] == "PV26"].set_index("year")["nuts2"]
    assert set(utrecht.loc[:2018]) == {"NL31"} and set(utrecht.loc[2019:]) == {"NL35"}


def test_gdp_pps_covers_europe_with_the_eu_at_100():
    table = processed(eurostat_regional.GDP_PPS)
    assert table["year"].max() == 2023 and table["country"].nunique() > 30
    eu = table[table["nuts"] == "EU27_2020"]
    assert (eu["gdp_pps_eu100"] == 100).all()
    assert (table["nuts_level"].dropna().isin([0, 1, 2])).all()


# --- synthetic cases of the title -> code resolution ----------------------------------------


def _regions() -> pd.DataFrame:
    raw = pd.DataFrame(
        {
            "RegioS": ["Utrecht (PV)", "Fryslân (PV)", "Groot-Amsterdam (CR)", "Amsterdam",
                       "Weesp", "Utrecht (gemeente)", "Buitenland"],
            "GebiedsOfGemeentecode_3": ["PV26", "PV21", "CR23", "GM0363", "GM0457", "GM0344",
                                        "GM0998"],
            "BegindatumSorteerveld_6": ["18300101", "18300101", "19700101", "18300101",
                                        "18300101", "18300101", "18300101"],
            "EinddatumSorteerveld_7": [None, None, None, None, "20220324", None, None],
        }
    )  # fmt: skip
    return cbs_regional.region_titles(raw)


def _dump(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["RegioS", "Perioden", "Waarde_1"])


def test_resolve_gives_codes_levels_and_the_years_indeling():
    table = cbs_regional.resolve(
        _dump(
            [
                ("Nederland", "2023", "10"),
                ("Utrecht (gemeente)", "2023", "5"),
                ("Weesp", "2022", "1"),
                ("Weesp", "2023", None),
                ("Groot-Amsterdam (CR)", "2023", None),
                ("Amsterdam (AM)", "2023", "7"),
                ("Nederland; niet in te delen", "2023", "3"),
                ("Friesland (PV)", "2023", "2"),
            ]
        ),
        _regions(),
        {"Waarde_1": "waarde"},
        "test",
    )
    assert table[["level", "code", "name", "year"]].values.tolist() == [
        ["nederland", "NL01", "Nederland", 2023],
        ["provincie", "PV21", "Fryslân", 2023],
        ["corop", "CR23", "Groot-Amsterdam", 2023],
        ["gemeente", "GM0344", "Utrecht", 2023],
        ["gemeente", "GM0457", "Weesp", 2022],
    ]
    assert table["waarde"].isna().tolist() == [False, False, True, False, False]


def test_resolve_refuses_unknown_titles():
    with pytest.raises(DataCheckError, match=r"not in 70739ned: \['Utrecht'\]"):
        cbs_regional.resolve(
            _dump([("Utrecht", "2023", "1")]), _regions(), {"Waarde_1": "w"}, "test"
        )


def test_resolve_refuses_values_of_a_gemeente_that_no_longer_existed():
    with pytest.raises(DataCheckError, match="did not exist.*Weesp"):
        cbs_regional.resolve(_dump([("Weesp", "2023", "1")]), _regions(), {"Waarde_1": "w"}, "t")


def test_number_keeps_empty_fields_missing():
    out = cbs_regional.number(pd.Series(["10.0", None, "0.0"]), "test", integer=True)
    assert out.isna().tolist() == [False, True, False] and out.iloc[2] == 0
    with pytest.raises(DataCheckError, match="whole numbers"):
        cbs_regional.number(pd.Series(["10.5"]), "test", integer=True)


def test_completeness_marks_a_level_with_a_missing_region_incomplete():
    regions = _regions()
    table = pd.DataFrame(
        {
            "level": ["gemeente", "gemeente", "provincie", "nederland", "corop"],
            "code": ["GM0363", "GM0344", "PV26", "NL01", "CR23"],
            "year": [2023] * 5,
            "vestigingen": [1, None, 3, 4, 5],
        }
    )
    out = cbs_regional.completeness(table, regions, range(2023, 2024)).set_index("level")
    assert out.loc["gemeente", ["regions", "with_values", "complete"]].tolist() == [2, 1, False]
    assert bool(out.loc["corop", "complete"]) and not out.loc["provincie", "complete"]
    assert out.loc["landsdeel", "regions"] == 0


def test_gerd_check_fails_when_a_dutch_value_is_published():
    rows = [
        {"unit": "PC_GDP", "sectperf": "TOTAL", "geo": f"NL{n}", "TIME_PERIOD": str(y),
         "OBS_VALUE": "", "CONF_STATUS": "C"}
        for n in (11, 12, 13, 21, 22, 23, 31, 32, 33, 34, 41, 42)
        for y in range(2013, 2024)
    ]  # fmt: skip
    rows += [
        {"unit": "PC_GDP", "sectperf": "TOTAL", "geo": f"DE{i:03d}", "TIME_PERIOD": "2021",
         "OBS_VALUE": "1.0", "CONF_STATUS": ""}
        for i in range(2100)
    ]  # fmt: skip
    raw = pd.DataFrame(rows)
    eurostat_regional.check_gerd_confidential(raw)
    raw.loc[0, ["OBS_VALUE", "CONF_STATUS"]] = ["2.5", ""]
    with pytest.raises(DataCheckError, match="no longer all confidential"):
        eurostat_regional.check_gerd_confidential(raw)


# --- reproduction from the raw mirror -------------------------------------------------------


def test_newer_steps_reproduce_the_committed_outputs(raw_mirror, tmp_path):
    """Re-run both steps from the raw files: every output must be identical to the committed
    one (and the steps' named checks must pass)."""
    written = run_all(tmp_path, NEWER_STEPS)
    outputs = [*cbs_regional.OUTPUTS, *eurostat_regional.OUTPUTS]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(outputs)
    for out in outputs:
        committed = config.PROCESSED_DIR / out
        assert committed.is_file(), f"{committed} is not committed"
        assert filecmp.cmp(tmp_path / out, committed, shallow=False), (
            f"{out} differs from the committed file: run "
            "`python -m helpers.data.processing cbs_regional eurostat_regional` and commit"
        )


def test_raw_tertiary_agrees_with_the_older_panel(raw_mirror):
    """tgs00109 (2026 download) and the i40 panel (edat_lfse_04) agree on 2013-2018."""
    from helpers.data.registry import fetch

    new = eurostat_regional.tertiary(
        eurostat_regional.read_sdmx(fetch("eurostat_tgs00109"), "tgs00109")
    )
    old = processed("rd/eurostat_panel_nl.csv").dropna(subset=["tertiary_pct_25_64"])
    both = old.merge(new, on=["nuts2", "year"], suffixes=("_old", ""))
    assert len(both) == 72
    assert (both["tertiary_pct_25_64"] - both["tertiary_pct_25_64_old"]).abs().max() < 0.05
