"""One loader for values as printed in publications."""

from __future__ import annotations

import pytest

from helpers.data.published import available, load_published


def test_every_published_file_loads():
    names = available()
    assert "ris2017_tabel1" in names
    for name in names:
        assert len(load_published(name)) > 0, name


def test_statements_are_indexed_by_kenmerk_and_tables_keep_their_rows():
    cis = load_published("cis2014_gepubliceerd", text_columns=("waarde",))
    assert cis.loc["gemeenten_met_helft", "waarde"] == "30"
    table = load_published("ris2017_tabel1", text_columns=("subgroep",))
    assert len(table) == 12 and table.loc[0, "provincie"] == "Utrecht"
    assert set(table["subgroep"]) <= {"", "+", "−", "-"}


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(FileNotFoundError, match="ris2017_tabel1"):
        load_published("ris2018")
