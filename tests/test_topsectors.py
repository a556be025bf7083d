"""Topsectors chapter logic: place names, pairs, network measures, RVO file path."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.chapters import topsectoren
from helpers.geography import nl


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("DEN HAAG", "GM0518"),
        ("THE HAGUE", "GM0518"),
        ("'s-Gravenhage", "GM0518"),
        ("S GRAVENHAGE", "GM0518"),
        ("den haag ", "GM0518"),
        ("S HERTOGENBOSCH", "GM0796"),
        ("AMSTERDAM", "GM0363"),
        ("Amsterdam Zuidoost", "GM0363"),
        ("BILTHOVEN", "GM0310"),  # De Bilt
        ("LUCHTHAVEN SCHIPHOL", "GM0394"),  # Haarlemmermeer
        ("EDE GLD", "GM0228"),
        ("Sittard", "GM1883"),
    ],
)
def test_place_names_become_gemeenten(place, code):
    assert nl.place_to_gemeente(pd.Series([place])).iloc[0] == code


def test_unknown_places_stay_unplaced():
    result = nl.place_to_gemeente(pd.Series(["ATLANTIS", None, ""]))
    assert result.isna().all()


def _projects(rows):
    return pd.DataFrame(rows, columns=["project", "gemeente"])


def test_pairs_n_places_give_n_choose_2_links_and_no_self_links():
    data = _projects(
        [("p1", "A"), ("p1", "B"), ("p1", "C"), ("p1", "D"),  # 4 places -> 6 pairs
         ("p2", "A"), ("p2", "A"),  # one place twice -> no pair
         ("p3", "A"), ("p3", "B"),  # A-B once more
         ("p4", "C"), ("p4", None)]  # an unplaced participant adds nothing
    )  # fmt: skip
    links = topsectoren.pairs(data)
    assert len(links) == 6
    assert not (links["a"] == links["b"]).any()
    weights = {(r.a, r.b): r.projecten for r in links.itertuples()}
    assert weights[("A", "B")] == 2 and weights[("C", "D")] == 1
    assert sum(weights.values()) == 6 + 1


def test_network_measures_and_province_crossing():
    # Amsterdam (NH), Haarlemmermeer (NH), Utrecht (UT): two projects
    data = pd.DataFrame(
        {
            "project": ["1", "1", "1", "2", "2"],
            "gemeente": ["GM0363", "GM0394", "GM0344", "GM0363", "GM0394"],
            "bedrag": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    net = topsectoren.network(data)
    nodes = net.nodes.set_index("gemeente")
    assert nodes.loc["GM0363", "degree"] == 2 and nodes.loc["GM0363", "strength"] == 3
    # links: AMS-HLM (2, same province), AMS-UTR (1), HLM-UTR (1): 2 of 4 cross a border
    assert net.cross_province_share == pytest.approx(50)
    assert net.n_projects == 2


def test_rvo_file_in_the_documented_schema(tmp_path):
    path = tmp_path / "rvo.csv"
    path.write_text(
        "project,gemeente,plaats,topsector,jaar,bedrag\n"
        "A,GM0772,,HTSM,2014,100000\n"
        "A,,Den Haag,HTSM,2014,50000\n"
        "B,GM0772,,LSH,2015,0\n"
    )
    data = topsectoren.load_rvo(path)
    assert data["gemeente"].tolist() == ["GM0772", "GM0518", "GM0772"]
    assert set(data["thema"]) == {"HTSM", "LSH"}
    assert len(topsectoren.pairs(data[data["thema"] == "HTSM"])) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("project,gemeente,jaar,bedrag\nA,GM0772,2014,1\n", r"missing column\(s\) \['topsector'\]"),
        (
            "project,gemeente,topsector,jaar,bedrag\nA,GM0772,HTSM,2014,-5\n",
            r"column 'bedrag': not a number >= 0 in rows 2",
        ),
        (
            "project,gemeente,topsector,jaar,bedrag\nA,GM9999,HTSM,2014,5\n",
            r"unknown gemeente code\(s\) \['GM9999'\]",
        ),
    ],
)
def test_rvo_file_errors_name_file_and_problem(tmp_path, text, message):
    path = tmp_path / "rvo.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        topsectoren.load_rvo(path)


def test_h2020_match_rate_and_year_filter():
    all_years = topsectoren.h2020(2014, 2020)
    rate = topsectoren.match_rate(all_years)
    assert 70 < rate.participations < 80 and 80 < rate.amount < 90
    early = topsectoren.h2020(2014, 2016)
    assert early["start_year"].max() <= 2016
    assert early["project"].nunique() < all_years["project"].nunique()
    with pytest.raises(ValueError, match="start years"):
        topsectoren.h2020(2030, 2031)
