"""Dutch geography for every year 2014-2025: crosswalks, boundaries, change tables, recoding."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
import pytest
import shapely

from helpers import config
from helpers.data.checks import UnknownParameterError
from helpers.data.processing import gebieden
from helpers.geography import nl, years

EXPECTED = {
    2014: 403, 2015: 393, 2016: 390, 2017: 388, 2018: 380, 2019: 355,
    2020: 355, 2021: 352, 2022: 345, 2023: 342, 2024: 342, 2025: 342,
}  # fmt: skip
HAAREN_PARTS = {"GM0757", "GM0824", "GM0855", "GM0865"}  # Boxtel, Oisterwijk, Tilburg, Vught


# --- crosswalk and names ----------------------------------------------------------------------


@pytest.mark.parametrize("year", list(EXPECTED))
def test_crosswalk_is_complete_every_year(year):
    walk = years.crosswalk(year)
    assert len(walk) == EXPECTED[year] and walk["gemeente"].is_unique
    assert walk[["corop", "provincie", "name", "title"]].notna().all().all()
    assert walk["corop"].str.match(r"^CR\d\d$").all() and walk["provincie"].str.match(r"^PV").all()
    assert walk["corop"].nunique() == 40 and walk["provincie"].nunique() == 12
    # each COROP region lies in one provincie and has one NUTS 3 code of each version
    per_corop = walk.groupby("corop")[["provincie", "nuts3_2021", "nuts3_2024"]].nunique()
    assert per_corop.eq(1).all().all()
    assert walk.drop_duplicates("corop")["nuts3_2024"].is_unique
    assert walk.groupby("provincie")[["nuts2_2021", "nuts2_2024"]].nunique().eq(1).all().all()
    # the crosswalk's gemeenten are those on the map of the year
    assert set(years.boundaries("gemeente", year)["code"]) == set(walk["gemeente"])


def test_crosswalk_2016_agrees_with_the_2016_crosswalk_and_provinces():
    walk = years.crosswalk(2016).set_index("gemeente")
    old = nl.crosswalk().set_index("gemeente")
    assert (walk["corop"] == old["corop"]).all() and (walk["provincie"] == old["provincie"]).all()
    assert (walk["nuts2_2021"] == old["nuts2"]).all()
    nuts2 = years.crosswalk(2023).drop_duplicates("provincie").set_index("provincie")
    assert nuts2["nuts2_2021"].to_dict() == nl.PROVINCES.set_index("provincie")["nuts2"].to_dict()
    # NUTS 2024: NL35 Utrecht and NL36 Zuid-Holland replace NL31 and NL33
    assert nuts2.loc["PV26", "nuts2_2024"] == "NL35" and nuts2.loc["PV28", "nuts2_2024"] == "NL36"
    amsterdam = years.crosswalk(2023).set_index("gemeente").loc["GM0363"]
    assert (amsterdam["corop"], amsterdam["nuts3_2021"], amsterdam["nuts3_2024"]) == (
        "CR23", "NL329", "NL32B",
    )  # fmt: skip


def test_vijfheerenlanden_moved_to_utrecht_in_2019():
    before = years.crosswalk(2018).set_index("gemeente")
    after = years.crosswalk(2019).set_index("gemeente")
    assert before.loc[["GM0545", "GM0707"], "provincie"].eq("PV28").all()  # Leerdam, Zederik
    assert after.loc["GM1961", ["corop", "provincie"]].tolist() == ["CR17", "PV26"]


def test_names_as_cbs_gives_them_per_year_and_titles_to_codes():
    assert years.names(2023).set_index("code").loc["GM0164", "name"] == "Hengelo"
    assert years.names(2024).set_index("code").loc["GM0164", "name"] == "Hengelo (O.)"
    for year in (2014, 2020, 2025):
        titles = years.names(year).set_index("code")["title"]
        assert titles["GM0344"] == "Utrecht (gemeente)" and titles.is_unique
    titles = pd.Series(["Hengelo (O.)  ", "Groot-Amsterdam (CR)", "Haaren", "Haaren"])
    assert years.codes_of_titles(titles, 2020).tolist() == ["GM0164", pd.NA, "GM0788", "GM0788"]
    assert years.codes_of_titles(titles, 2021).isna().tolist() == [False, True, True, True]


def test_unknown_years_and_levels_are_refused_with_the_valid_ones():
    with pytest.raises(UnknownParameterError, match="2013.*2014, 2015"):
        years.crosswalk(2013)
    with pytest.raises(ValueError, match="gemeente, corop, provincie"):
        years.boundaries("wijk", 2020)


# --- boundaries -----------------------------------------------------------------------------


def test_2024_and_2025_are_served_by_the_2023_geometry():
    gm2023 = years.boundaries("gemeente", 2023)
    for year in (2024, 2025):
        gdf = years.boundaries("gemeente", year)
        assert gdf["code"].tolist() == gm2023["code"].tolist()
        assert gdf.geometry.geom_equals_exact(gm2023.geometry, 0).all()
        assert not (config.PROCESSED_DIR / "geo" / f"nl_gemeente_{year}.geojson").exists()
    assert "Hengelo (O.)" in set(years.boundaries("gemeente", 2024)["name"])


@pytest.mark.parametrize("year", [2014, 2016, 2018, 2019, 2021, 2023, 2025])
def test_corop_and_provincie_boundaries_every_year(year):
    walk = years.crosswalk(year)
    for level, count in (("corop", 40), ("provincie", 12)):
        gdf = years.boundaries(level, year)
        assert len(gdf) == count and set(gdf["code"]) == set(walk[level])
        assert gdf.is_valid.all() and set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
        names = walk.drop_duplicates(level).set_index(level)[f"{level}_name"]
        assert (gdf.set_index("code")["name"] == names[gdf["code"]].to_numpy()).all()


def test_regions_follow_their_composition():
    # 2016 is the CBS/PDOK file of step nl
    assert (
        years.boundaries("corop", 2016)
        .geometry.geom_equals_exact(nl.boundaries("corop", 2016).geometry, 0)
        .all()
    )
    # Vijfheerenlanden (2019) lies in the provincie Utrecht and COROP Utrecht, Weesp's former
    # territory in Groot-Amsterdam from 2023
    point = years.boundaries("gemeente", 2019).set_index("code").loc["GM1961"].geometry
    point = point.representative_point()
    assert (
        years.boundaries("provincie", 2019).set_index("code").loc["PV26"].geometry.contains(point)
    )
    assert years.boundaries("corop", 2019).set_index("code").loc["CR17"].geometry.contains(point)
    assert (
        not years.boundaries("provincie", 2018)
        .set_index("code")
        .loc["PV26"]
        .geometry.contains(point)
    )
    weesp = years.boundaries("gemeente", 2022).set_index("code").loc["GM0457"].geometry
    weesp = weesp.representative_point()
    assert years.boundaries("corop", 2022).set_index("code").loc["CR24"].geometry.contains(weesp)
    assert years.boundaries("corop", 2023).set_index("code").loc["CR23"].geometry.contains(weesp)


def test_committed_year_files_are_small_simplified_and_quantised():
    for year in gebieden.NEW_GEMEENTE_FILES:
        path = config.PROCESSED_DIR / "geo" / f"nl_gemeente_{year}.geojson"
        assert path.stat().st_size < 450_000, path.name
        doc = json.loads(path.read_text(encoding="utf-8"))
        coords = json.dumps([f["geometry"]["coordinates"] for f in doc["features"][:20]])
        decimals = [len(x.split(".")[1]) for x in coords.replace("]", ",").split(",") if "." in x]
        assert max(decimals) <= 4, path.name
        assert {tuple(sorted(f["properties"])) for f in doc["features"]} == {("code", "name")}
    for name in (gebieden.CROSSWALK, gebieden.CHANGES):
        assert (config.PROCESSED_DIR / name).stat().st_size < 100_000


# --- change table ---------------------------------------------------------------------------


def test_consecutive_change_tables_cover_every_gemeente():
    for a in years.YEARS[:-1]:
        table = years.change_table(a, a + 1)
        assert set(table["code_a"]) == set(years.crosswalk(a)["gemeente"])
        assert set(table["code_b"]) == set(years.crosswalk(a + 1)["gemeente"])
        sums = table.groupby("code_a")["weight"].sum()
        assert np.allclose(sums, 1, atol=1e-9)
        assert set(table["kind"]) <= set(gebieden.KINDS)


def test_a_merge_maps_whole():
    table = years.change_table(2022, 2023)
    weesp = table[table["code_a"] == "GM0457"]
    assert weesp[["code_b", "weight", "kind"]].values.tolist() == [["GM0363", 1.0, "merge"]]
    amsterdam = table[table["code_a"] == "GM0363"]
    assert amsterdam[["code_b", "weight", "kind"]].values.tolist() == [["GM0363", 1.0, "merge"]]
    groningen = years.change_table(2018, 2019)
    haren = groningen[groningen["code_a"].isin(["GM0009", "GM0017"])]  # Ten Boer, Haren
    assert set(haren["code_b"]) == {"GM0014"} and haren["weight"].eq(1).all()
    assert (haren["kind"] == "merge").all()
    # a code that changes without change of territory
    renamed = years.change_table(2015, 2016).set_index("code_a").loc["GM1921"]
    assert (renamed["code_b"], renamed["kind"]) == ("GM1940", "rename")


def test_haaren_is_split_with_weights_adding_to_one():
    table = years.change_table(2020, 2021)
    haaren = table[table["code_a"] == "GM0788"]
    assert set(haaren["code_b"]) == HAAREN_PARTS
    assert (haaren["kind"] == "split").all()
    assert haaren["weight"].sum() == pytest.approx(1, abs=1e-9)
    assert haaren["weight"].between(0.05, 0.6).all()
    assert (haaren["basis"] == "population").all()
    # Tilburg got the smallest part by population (Biezenmortel), though 18% of the area
    assert haaren.set_index("code_b")["weight"].idxmin() == "GM0855"
    # composed over several years the split survives: 2014 -> 2025
    composed = years.change_table(2014, 2025)
    haaren = composed[composed["code_a"] == "GM0788"]
    assert set(haaren["code_b"]) == HAAREN_PARTS
    assert haaren["weight"].sum() == pytest.approx(1, abs=1e-9)


def test_composed_tables_end_on_the_gemeenten_of_the_last_year():
    table = years.change_table(2014, 2023)
    assert set(table["code_a"]) == set(years.crosswalk(2014)["gemeente"])
    assert set(table["code_b"]) == set(years.crosswalk(2023)["gemeente"])
    assert np.allclose(table.groupby("code_a")["weight"].sum(), 1, atol=1e-9)
    vianen = table.set_index("code_a").loc["GM0620"]
    assert (vianen["code_b"], vianen["weight"], vianen["kind"]) == ("GM1961", 1.0, "merge")
    same = years.change_table(2019, 2019)
    assert (same["code_a"] == same["code_b"]).all() and same["kind"].eq("same").all()
    with pytest.raises(ValueError, match="must not be after"):
        years.change_table(2021, 2020)


def test_change_tables_agree_with_the_cbs_change_list():
    """Every old -> new pair of the CBS list (2014-2017) is in the tables; whole mappings give
    the same codes as helpers.geography.nl.recode_gemeenten."""
    listed = nl.gemeente_changes()
    for a in (2014, 2015, 2016):
        table = years.change_table(a, a + 1)
        pairs = set(zip(table["code_a"], table["code_b"], strict=True))
        rows = listed[
            (listed["valid_until"] > f"{a}-01-01") & (listed["valid_until"] <= f"{a + 1}-01-01")
        ]
        assert len(rows) and set(zip(rows["old"], rows["new"], strict=True)) <= pairs
        whole = table[table["weight"] == 1]
        recoded = nl.recode_gemeenten(whole["code_a"], a, a + 1)
        assert (recoded.to_numpy() == whole["code_b"].to_numpy()).all()


def test_codes_that_end_are_those_cbs_ends():
    """CBS 70739ned: Appingedam, Delfzijl, Loppersum and Haaren end on 1 January 2021."""
    table = years.change_table(2020, 2021)
    ended = set(table["code_a"]) - set(table["code_b"])
    assert ended == {"GM0003", "GM0010", "GM0024", "GM0788"}
    assert set(table["code_b"]) - set(table["code_a"]) == {"GM1979"}


# --- recode ---------------------------------------------------------------------------------


def _synthetic_counts(year: int) -> pd.DataFrame:
    codes = years.crosswalk(year)["gemeente"]
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "gm": codes.str.lower() + "  ",  # padding and case are cleaned
            "inwoners": rng.integers(0, 200_000, len(codes)),
            "hoog": rng.integers(0, 50_000, len(codes)),
            "bedrag": rng.random(len(codes)) * 1e6,
        }
    )


def test_recode_keeps_totals_exactly_from_2014_to_2023():
    data = _synthetic_counts(2014)
    out, report = years.recode(data, "gm", ["inwoners", "hoog", "bedrag"], 2014, 2023)
    assert out["inwoners"].sum() == data["inwoners"].sum()
    assert out["hoog"].sum() == data["hoog"].sum()
    assert out["inwoners"].dtype == data["inwoners"].dtype
    assert out["bedrag"].sum() == pytest.approx(data["bedrag"].sum(), rel=1e-12)
    assert set(out["gm"]) == set(years.crosswalk(2023)["gemeente"]) and out["gm"].is_unique
    assert report.codes_in == 403 and report.codes_out == 342 and not report.without_data
    assert "GM0788" in report.split and set(report.split["GM0788"]) == HAAREN_PARTS
    assert report.basis["GM0788"] == "population"
    assert sorted(report.merged["GM1942"]) == ["GM0381", "GM0424", "GM0425"]  # Gooise Meren
    assert "divided by weight" in report.summary()


def test_recode_divides_a_split_gemeente_in_whole_numbers():
    data = pd.DataFrame({"gm": ["GM0788", "GM0757"], "n": [1001, 10]})
    out, report = years.recode(data, "gm", ["n"], 2020, 2021)
    by_code = out.set_index("gm")["n"]
    assert by_code.sum() == 1011 and set(by_code.index) == HAAREN_PARTS
    weights = years.change_table(2020, 2021).query("code_a == 'GM0788'").set_index("code_b")
    expected = 1001 * weights["weight"]
    assert (by_code.drop("GM0757") - expected.drop("GM0757")).abs().max() < 1
    assert by_code["GM0757"] - 10 == pytest.approx(1001 * weights.loc["GM0757", "weight"], abs=1)
    assert report.without_data  # only two gemeenten had data


def test_recode_recomputes_shares_from_counts_and_propagates_missing_values():
    # Weesp (small, high share) and Amsterdam merge in 2023: the share is recomputed from the
    # summed counts, not averaged
    data = pd.DataFrame(
        {"gm": ["GM0457", "GM0363", "GM0518"], "hoog": [900, 10_000, np.nan],
         "bevolking": [1_000, 100_000, 500_000.0]}
    )  # fmt: skip
    out, _ = years.recode(
        data, "gm", ["hoog", "bevolking"], 2022, 2023, shares={"pct_hoog": ("hoog", "bevolking")}
    )
    row = out.set_index("gm").loc["GM0363"]
    assert row["pct_hoog"] == pytest.approx(100 * 10_900 / 101_000)
    assert np.isnan(out.set_index("gm").loc["GM0518", "hoog"])
    with pytest.raises(ValueError, match="look like shares"):
        years.recode(data.assign(pct_hoog=1.0), "gm", ["pct_hoog"], 2022, 2023)


def test_recode_keeps_other_keys_apart():
    data = pd.DataFrame(
        {"gm": ["GM0457", "GM0363", "GM0457"], "sector": ["A", "A", "B"], "n": [1, 2, 4]}
    )
    out, _ = years.recode(data, "gm", ["n"], 2022, 2023, by=["sector"])
    assert out[["gm", "sector", "n"]].values.tolist() == [["GM0363", "A", 3], ["GM0363", "B", 4]]


def test_recode_names_unknown_codes_and_refuses_going_back():
    data = _synthetic_counts(2020)
    data.loc[3, "gm"] = "GM9999"
    data.loc[4, "gm"] = "GM1979"  # Eemsdelta: a code of 2021, not 2020
    with pytest.raises(ValueError, match=r"GM1979.*GM9999.*valid codes are e.g. GM0\d{3}.*2019"):
        years.recode(data, "gm", ["inwoners"], 2020, 2023)
    with pytest.raises(ValueError, match="forward"):
        years.recode(_synthetic_counts(2021), "gm", ["inwoners"], 2021, 2020)
    with pytest.raises(ValueError, match="numeric"):
        years.recode(_synthetic_counts(2021).assign(x="a"), "gm", ["x"], 2021, 2022)


# --- year of codes --------------------------------------------------------------------------


def test_2021_codes_are_recognised():
    codes = ["GM1966", "GM1978", "GM1979"]  # Het Hogeland, Molenlanden, Eemsdelta
    assert years.year_of_codes(codes) == 2021
    assert years.matching_years(codes) == [2021, 2022, 2023, 2024, 2025]
    assert years.year_of_codes(["gm1948 "]) == 2017  # Meierijstad
    assert years.year_of_codes(["GM0788", "GM0363", "GM9999"]) == 2014  # Haaren: to 2020


def test_a_complete_list_of_codes_gives_its_year():
    for year in years.YEARS:
        found = years.year_of_codes(years.crosswalk(year)["gemeente"])
        assert found == {2020: 2019, 2024: 2023, 2025: 2023}.get(year, year)
    with pytest.raises(ValueError, match="None of the codes.*GM0003"):
        years.year_of_codes(["GM9999", "CR01"])


# --- processing logic on small synthetic tables -----------------------------------------------


def test_population_weights_estimate_parts_from_growth():
    # X (1,000 inhabitants) is divided over B (10,000 -> 10,800) and C (2,000 -> 2,200); the
    # country grows 0%: B received ~800, C ~200.
    pieces = pd.DataFrame(
        {"code_a": ["X", "X", "B", "C"], "code_b": ["B", "C", "B", "C"],
         "area_share": [0.5, 0.5, 1.0, 1.0]}
    )  # fmt: skip
    pop_a = pd.Series({"X": 1_000.0, "B": 10_000.0, "C": 2_000.0})
    pop_b = pd.Series({"B": 10_800.0, "C": 2_200.0})
    out = gebieden.population_weights(pieces, pop_a, pop_b).set_index(["code_a", "code_b"])
    assert out.loc[("X", "B"), "weight"] == pytest.approx(0.8)
    assert out.loc[("X", "C"), "weight"] == pytest.approx(0.2)
    assert out.loc[("B", "B"), "basis"] == "whole" and out.loc[("X", "B"), "basis"] == "population"
    # another gemeente shrinks by a fifth: the estimates (1,435 + 329) no longer add up to
    # X's 1,000 inhabitants, so the area shares are the weights
    pieces = pd.concat([pieces, pd.DataFrame([{"code_a": "D", "code_b": "D", "area_share": 1.0}])])
    pop_a["D"], pop_b["D"] = 5_000.0, 4_000.0
    out = gebieden.population_weights(pieces, pop_a, pop_b)
    assert out.loc[out["code_a"] == "X", "weight"].tolist() == [0.5, 0.5]
    assert (out.loc[out["code_a"] == "X", "basis"] == "area").all()


def test_classify_and_compose():
    table = pd.DataFrame(
        {"code_a": ["A", "B", "C", "D", "D", "E", "E", "F"],
         "code_b": ["A", "A", "C2", "G", "H", "E", "G", "F"],
         "weight": [1, 1, 1, 0.4, 0.6, 0.9, 0.1, 1.0]}
    )  # fmt: skip
    kinds = dict(zip(table["code_a"] + table["code_b"], gebieden.classify(table), strict=True))
    assert kinds == {"AA": "merge", "BA": "merge", "CC2": "rename", "DG": "split",
                     "DH": "split", "EE": "boundary", "EG": "boundary", "FF": "same"}  # fmt: skip
    first = table.assign(basis=["whole"] * 3 + ["population"] * 2 + ["area"] * 2 + ["whole"])
    second = pd.DataFrame(
        {"code_a": ["A", "C2", "G", "H", "E", "F"], "code_b": ["A", "C2", "GH", "GH", "E", "E"],
         "weight": 1.0, "basis": "whole"}
    )  # fmt: skip
    composed = gebieden.compose(first, second).set_index(["code_a", "code_b"])
    assert composed.loc[("D", "GH"), "weight"] == pytest.approx(1.0)
    assert composed.loc[("E", "GH"), "weight"] == pytest.approx(0.1)
    assert composed.loc[("E", "GH"), "basis"] == "area"
    assert composed.groupby("code_a")["weight"].sum().tolist() == pytest.approx([1.0] * 6)


def test_divide_keeps_each_row_total():
    values = pd.Series([7, 7, 7, -5, -5], dtype="int64")
    weights = pd.Series([1 / 3, 1 / 3, 1 / 3, 0.5, 0.5])
    rows = pd.Series([0, 0, 0, 1, 1])
    parts = years._divide(values, weights, rows)
    assert parts.groupby(rows).sum().tolist() == [7, -5]
    assert sorted(parts[:3]) == [2, 2, 3]
    floats = years._divide(values.astype(float) / 3, weights, rows)
    assert floats.groupby(rows).sum().tolist() == pytest.approx([7 / 3, -5 / 3])


def test_geometry_is_polygonal_after_dissolving():
    gdf = years.boundaries("corop", 2021)
    parts = shapely.get_parts(gdf.geometry.values)
    assert all(p.geom_type == "Polygon" for p in parts)


# --- reproduction from the raw mirror -------------------------------------------------------


def test_gebieden_step_reproduces_the_committed_outputs(raw_mirror, tmp_path, capsys):
    written = gebieden.run(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == sorted(gebieden.OUTPUTS)
    for out in gebieden.OUTPUTS:
        assert filecmp.cmp(tmp_path / out, config.PROCESSED_DIR / out, shallow=False), (
            f"{out} differs from the committed file: run `make data` and commit"
        )
    # the one piece the CBS change list lacks is reported
    assert "GM1671 -> GM0828" in capsys.readouterr().out
