"""The parameter check before a build reads a supplied file as the chapter does: a StatLine
export, a `;`-separated file or an Excel sheet that the chapter accepts is not refused first."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.build.params import ParameterError, validate
from helpers.build.runner import load_params

CASES = Path(__file__).parent / "fixtures" / "field_cases"
CHAPTERS = load_params()


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (CASES / "01-statline-export").glob("*.csv")),
)
def test_scaleup_files_as_exported_pass_the_year_check(name):
    chapter = CHAPTERS["scale_ups"]
    values = {**chapter.parameters, "scaleup_file": str(CASES / "01-statline-export" / name)}
    validate("scale_ups", {**values, "year": 2016}, chapter.valid)
    with pytest.raises(ParameterError, match="2016"):  # the file's years are listed
        validate("scale_ups", {**values, "year": 2019}, chapter.valid)


@pytest.mark.parametrize("name", ["cis_2014.xlsx", "cis_2014_excel_nl.csv"])
def test_excel_and_dutch_excel_csv_pass_the_year_check(name):
    chapter = CHAPTERS["innovatieve_bedrijven"]
    values = {**chapter.parameters, "cis_file": str(CASES / "06-excel-files" / name)}
    validate("innovatieve_bedrijven", {**values, "year": 2014}, chapter.valid)
