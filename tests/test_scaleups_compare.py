"""Two Scale-Up Dashboard files of different years compared (issue 13: "a scale-up file of
2014 compared with one of 2023 goes through the change table with totals kept"): the earlier
file is recoded to the later file's gemeenten through :func:`helpers.geography.years.recode`;
merged gemeenten go whole, a divided gemeente (Haaren, 2021) is shared by weight, the total
stays the same, and the chapter page says so. Synthetic files (tests only):
``tests/fixtures/user_files/scaleups_2014_synthetic.csv`` and ``..._2023_synthetic.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import read_glue
from helpers.chapters import scale_ups as chapter
from helpers.data.checks import DataCheckError
from helpers.presentation import scale_ups as views

USER_FILES = Path(__file__).parent / "fixtures" / "user_files"
FILE_2014 = USER_FILES / "scaleups_2014_synthetic.csv"
FILE_2023 = USER_FILES / "scaleups_2023_synthetic.csv"


@pytest.fixture(scope="module")
def change() -> chapter.ScaleupChange:
    later = chapter.scaleup_counts(str(FILE_2023), 2023)
    return chapter.compare_files(later, str(FILE_2014), 2014)


def test_totals_are_kept_through_the_change_table(change):
    raw = pd.read_csv(FILE_2014)
    assert change.earlier.year == 2014 and change.later.year == 2023
    assert change.report.from_year == 2014 and change.report.to_year == 2023
    assert change.recoded_total == raw["aantal"].sum() == change.totals[0] == 593
    assert change.totals[1] == pd.read_csv(FILE_2023)["aantal"].sum()
    assert set(change.recoded["gemeente"]) <= set(
        chapter.years.crosswalk(2023)["gemeente"]
    )  # every code one of 2023
    assert pd.api.types.is_integer_dtype(change.recoded["aantal"])  # whole scale-ups


def test_merged_gemeenten_are_whole_and_a_divided_one_shared_by_weight(change):
    recoded = change.recoded.set_index("gemeente")["aantal"]
    assert recoded["GM0080"] == 20 + 3  # Leeuwarden + Leeuwarderadeel (2018), whole
    assert recoded["GM0363"] == 300 + 10  # Amsterdam + Weesp (2022), whole
    assert change.report.merged["GM0080"] == ["GM0080", "GM0081"]
    haaren = {"GM0757", "GM0824", "GM0855", "GM0865"}  # Boxtel, Oisterwijk, Tilburg, Vught
    assert set(change.report.split["GM0788"]) == haaren
    assert recoded[sorted(haaren)].sum() == 10  # Haaren's 10, shared and kept
    assert recoded["GM0824"] == 4 and recoded["GM0757"] == 1  # by population weight


def test_the_change_is_on_the_gemeenten_in_both_files(change):
    table = change.change.table.set_index("gemeente")
    assert sorted(table.index) == ["GM0080", "GM0344", "GM0363", "GM0599", "GM0855"]
    assert tuple(table.loc["GM0363", ["earlier", "later"]]) == (310, 420)
    assert change.only_later == ["Het Hogeland"]
    assert change.only_earlier == ["Boxtel", "Oisterwijk", "Vught"]


def test_the_text_says_totals_are_kept_and_splits_shared(change):
    text = views.compare_text(change)
    assert "Het bestand van 2014 telt 593 scale-ups, dat van 2023 792." in text
    assert "omgezet naar de gemeenten van 2023" in text
    assert "Leeuwarden en Leeuwarderadeel in Leeuwarden" in text
    assert "Haaren over Boxtel (14%), Oisterwijk (42%), Tilburg (9%) en Vught (35%)" in text
    assert "De totalen blijven gelijk: 593 scale-ups in 2014 vóór en na het omzetten." in text
    table = views.compare_table(change)
    assert list(table.columns) == ["Gemeente", "2014", "2023", "Verandering"]
    assert table.iloc[0].tolist() == ["Amsterdam", "310", "420", "+35%"]


def test_either_order_and_clear_errors():
    a = chapter.scaleup_counts(str(FILE_2014), 2014)
    b = chapter.scaleup_counts(str(FILE_2023), 2023)
    assert chapter.scaleup_change(a, b).recoded_total == chapter.scaleup_change(b, a).recoded_total
    with pytest.raises(DataCheckError, match="same year"):
        chapter.scaleup_change(a, a)
    with pytest.raises(DataCheckError, match="scaleup_file_compare is set but scaleup_file"):
        chapter.compare_files(None, str(FILE_2014), 2014)
    assert chapter.compare_files(b, "", 2014) is None
    assert views.compare_items(None) == [] and views.compare_text(None) == ""


@pytest.mark.slow
def test_the_chapter_page_shows_the_comparison(run_notebook):
    out = run_notebook(
        "scale_ups",
        scaleup_file=str(FILE_2023),
        year=2023,
        scaleup_file_compare=str(FILE_2014),
        compare_year=2014,
    )
    glue = read_glue(out)
    assert "De totalen blijven gelijk: 593 scale-ups in 2014" in glue["su_compare_text"]
    assets = {p.name for p in (out.parent / "_assets" / "scale-ups").iterdir()}
    assert {"scaleups-verandering.png", "scaleups-verandering-tabel.csv"} <= assets
    csv = pd.read_csv(out.parent / "_assets" / "scale-ups" / "scaleups-verandering-tabel.csv")
    assert csv["aantal"].sum() == 593  # the recoded 2014 file, its total kept
