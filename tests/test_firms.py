"""Concentration analysis and validation of user-supplied files (synthetic data, tests only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.chapters import firms
from helpers.geography import nl, userfiles

USER_FILES = Path(__file__).parent / "fixtures" / "user_files"


def test_concentration_on_a_small_example():
    counts = pd.Series({"a": 600, "b": 250, "c": 150, "d": 120, "e": 80, "f": 0})
    conc = firms.concentration(counts)
    assert conc.total == 1200
    assert conc.n_half == 1  # a alone holds 600 of 1,200
    assert conc.top4 == ["a", "b", "c", "d"]
    assert conc.top4_share == pytest.approx(1120 / 1200 * 100)
    classes = conc.classes.set_index("klasse")["aantal_gemeenten"].to_dict()
    assert classes == {"500 of meer": 1, "200 tot 500": 1, "100 tot 200": 2, "minder dan 100": 2}
    # Lorenz: starts at 0, ends at 1; Gini of an equal distribution is 0
    assert conc.lorenz.iloc[0].tolist() == [0, 0] and conc.lorenz.iloc[-1].tolist() == [1, 1]
    assert firms.concentration(pd.Series([5, 5, 5, 5])).gini == pytest.approx(0)
    assert 0 < conc.gini < 1


def test_concentration_of_the_real_2015_establishments():
    est = firms.establishments_2015().set_index("gemeente")["vestigingen_totaal"]
    conc = firms.concentration(est)
    ordered = est.sort_values(ascending=False)
    n = int(np.argmax(ordered.cumsum().to_numpy() >= ordered.sum() / 2) + 1)
    assert conc.n_half == n
    assert conc.top4[:2] == ["GM0363", "GM0599"]  # Amsterdam, Rotterdam
    assert conc.top4_share == pytest.approx(ordered.iloc[:4].sum() / ordered.sum() * 100)


def test_valid_cis_file_is_cleaned():
    data = userfiles.load_user_file(USER_FILES / "cis_synthetic.csv", "cis")
    assert "GM0394" in set(data["gemeente"])  # padding stripped
    assert data["aantal_innovatief"].dtype == "int64"


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "user.csv"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (
            "cis",
            "gemeente,jaar\nGM0363,2014\n",
            r"user\.csv: missing column\(s\) \['aantal_innovatief'\]",
        ),
        (
            "cis",
            "gemeente,jaar,aantal_innovatief\nGM9999,2014,5\n",
            r"unknown gemeente code\(s\) \['GM9999'\] \(rows 2\)",
        ),
        ("cis", "gemeente,jaar,aantal_innovatief\nGM0363,2014,-5\n", r"negative counts in rows 2"),
        (
            "cis",
            "gemeente,jaar,aantal_innovatief\nGM0363,2014,5\nGM0363,2014,6\n",
            r"duplicate rows .*GM0363.*rows 2, 3",
        ),
        (
            "cis",
            "gemeente,jaar,aantal_innovatief\nGM0363,2014,veel\n",
            r"'aantal_innovatief': not a whole number in rows 2",
        ),
        (
            "startups",
            "naam,oprichtingsjaar\nA,2016\n",
            r"missing column\(s\) \['gemeente of plaats'\]",
        ),
        ("scaleups", "gemeente,jaar,aantal\nGM0363,2016,1\nGM0363,2016,1\n", r"duplicate rows"),
    ],
)
def test_user_file_errors_name_file_and_problem(tmp_path, kind, text, message):
    with pytest.raises(userfiles.UserFileError, match=message):
        userfiles.load_user_file(_write(tmp_path, text), kind)


def test_place_names_map_to_gemeenten():
    places = pd.Series(["Amsterdam", "Den Haag", " utrecht ", "'s-Hertogenbosch", "Atlantis"])
    codes = nl.place_to_gemeente(places).tolist()
    assert codes[:4] == ["GM0363", "GM0518", "GM0344", "GM0796"]
    assert pd.isna(codes[4])


def test_concentration_shares_of_regions_and_smallest_class():
    conc = firms.concentration(pd.Series({"a": 600, "b": 250, "c": 150, "d": 120, "e": 80}))
    assert conc.half_share_of_regions == pytest.approx(1 / 5 * 100)  # a alone, of 5 regions
    assert conc.smallest_class["klasse"] == "minder dan 100"
    assert conc.smallest_class["aantal_gemeenten"] == 1  # e
    assert conc.smallest_class["aandeel_pct"] == pytest.approx(80 / 1200 * 100)


def test_counts_per_gemeente_check_the_year_and_recode_to_the_map():
    data = pd.DataFrame(
        {
            "gemeente": ["GM0363", "GM0599", "GM0363"],
            "jaar": [2016, 2016, 2015],
            "aantal": [5, 7, 100],
        }
    )
    counts, map_year = firms.counts_per_gemeente(data, 2016, "aantal", "file.csv")
    assert map_year == 2016 and counts.to_dict() == {"GM0363": 5, "GM0599": 7}
    with pytest.raises(
        ValueError, match=r"Year 2014 is not in file\.csv; available years: 2015, 2016"
    ):
        firms.counts_per_gemeente(data, 2014, "aantal", "file.csv")


def test_counts_of_merged_gemeenten_are_summed_on_the_later_map(monkeypatch):
    # GM0265 and GM0282 merged into Berg en Dal (GM0241) on 1 January 2015; with maps of 2015
    # and 2016 only, counts of 2014 go on the map of 2015
    maps = [("gemeente", 2015), ("gemeente", 2016), ("corop", 2014)]
    monkeypatch.setattr(nl, "available_boundaries", lambda: maps)
    assert firms.gemeente_map_year(2014) == 2015 and firms.gemeente_map_year(2016) == 2016
    assert firms.gemeente_map_year(2030) == 2016  # none later: the default
    data = pd.DataFrame(
        {"gemeente": ["GM0265", "GM0282", "GM0363"], "jaar": [2014] * 3, "aantal": [1, 2, 4]}
    )
    counts, map_year = firms.counts_per_gemeente(data, 2014, "aantal", "file.csv")
    assert map_year == 2015
    assert counts.to_dict() == {"GM0241": 3, "GM0363": 4}


def test_province_names_are_spelled_as_everywhere_in_the_book():
    """Newer CBS tables write "Fryslân", the rest of the book "Friesland"
    (helpers.geography.nl.PROVINCES): the firm chapters' CBS tables use the book's names."""
    from helpers.chapters import innovatieve_bedrijven, scale_ups, startups

    for table in (
        startups._cbs_table("new_establishments_83631ned.csv"),
        scale_ups.stock_table(),
        innovatieve_bedrijven.establishments_table(),
    ):
        provinces = table[table["level"] == "provincie"]
        assert set(provinces["name"]) == set(nl.PROVINCES["name"])
        assert "Fryslân" not in set(table["name"])
