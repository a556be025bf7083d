"""Dutch geography: crosswalk, municipal mergers, joins."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.geography import nl


def test_crosswalk_nests_gemeente_in_corop_in_provincie():
    walk = nl.crosswalk()
    assert len(walk) == 390 and walk["gemeente"].is_unique
    assert walk["corop"].nunique() == 40 and walk["provincie"].nunique() == 12
    assert walk.groupby("corop")["provincie"].nunique().eq(1).all()
    assert walk.groupby("corop")["nuts3"].nunique().eq(1).all()
    amsterdam = walk[walk["gemeente"] == "GM0363"].iloc[0]
    assert (amsterdam["corop"], amsterdam["provincie"], amsterdam["nuts3"]) == (
        "CR23", "PV27", "NL326",
    )  # fmt: skip


def test_corop_nuts3_is_one_to_one_and_matches_the_boundaries():
    table = nl.corop_to_nuts3()
    assert table["nuts3"].is_unique and len(table) == 40
    assert set(table["corop"]) == set(nl.boundaries("corop", 2016)["code"])


def test_recode_follows_the_2016_mergers():
    codes = pd.Series(["GM0424", "GM0425", "GM0381", "GM0478", "GM0363   "])
    assert nl.recode_gemeenten(codes, 2015, 2016).tolist() == [
        "GM1942", "GM1942", "GM1942", "GM0385", "GM0363",
    ]  # fmt: skip
    # Nothing changes within one year, and mapping backwards is refused
    assert nl.recode_gemeenten(codes, 2016, 2016).tolist()[:2] == ["GM0424", "GM0425"]
    with pytest.raises(ValueError, match="forward"):
        nl.recode_gemeenten(codes, 2016, 2015)


def test_2015_gemeenten_land_on_the_2016_map_after_recoding():
    gm2015 = nl.boundaries("gemeente", 2015)["code"]
    recoded = set(nl.recode_gemeenten(gm2015, 2015, 2016))
    assert recoded == set(nl.boundaries("gemeente", 2016)["code"])


def test_aggregate_to_corop_and_unknown_codes():
    data = pd.DataFrame({"gemeente": ["GM0363", "GM0437", "GM0344"], "n": [3, 4, 5]})
    out = nl.aggregate(data, ["n"], to="corop").set_index("corop")["n"]
    assert out.to_dict() == {"CR17": 5, "CR23": 7}  # Amsterdam + Ouder-Amstel; Utrecht
    with pytest.raises(ValueError, match="GM9999"):
        nl.aggregate(pd.DataFrame({"gemeente": ["GM9999"], "n": [1]}), ["n"])


def test_unknown_boundaries_list_what_exists():
    with pytest.raises(ValueError, match=r"gemeente 2030.*gemeente 2016"):
        nl.boundaries("gemeente", 2030)


def test_join_complete_names_regions_without_data_and_codes_without_region():
    from helpers.data.checks import DataCheckError

    table = nl.PROVINCES[["provincie"]].assign(value=1.0)
    gdf = nl.join_complete(table, "provincie", 2016, code="provincie")
    assert len(gdf) == 12 and gdf["value"].notna().all()
    with pytest.raises(DataCheckError, match="PV31"):
        nl.join_complete(table[table["provincie"] != "PV31"], "provincie", 2016, code="provincie")
    extra = pd.concat([table, pd.DataFrame({"provincie": ["PV99"], "value": [1.0]})])
    with pytest.raises(DataCheckError, match="PV99"):
        nl.join_complete(extra, "provincie", 2016, code="provincie")
