"""User files go through one pandera-based mechanism; errors name the file, column and rows."""

from __future__ import annotations

import pandera.pandas as pa
import pytest

from helpers.geography import userfiles


@pytest.mark.parametrize("kind", sorted(userfiles.SCHEMAS))
def test_every_kind_is_a_pandera_schema_with_its_documented_columns(kind):
    schema = userfiles.pandera_schema(kind)
    assert isinstance(schema, pa.DataFrameSchema)
    assert set(schema.columns) == set(userfiles.SCHEMAS[kind].columns)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("corop,jaar,rd_bedrijven_mln_euro\nCR99,2015,1\n", r"unknown COROP code\(s\) \['CR99'\]"),
        ("corop,jaar,rd_bedrijven_mln_euro\nCR23,2015,-5\n", r"'rd_bedrijven_mln_euro'.*rows 2"),
        ("corop,jaar,rd_bedrijven_mln_euro\nCR23,2015,1\nCR23,2015,2\n", r"duplicate.*rows 2, 3"),
        ("corop,jaar\nCR23,2015\n", r"missing column\(s\) \['rd_bedrijven_mln_euro'\]"),
    ],
)
def test_corop_file_errors_name_file_column_and_rows(tmp_path, text, message):
    path = tmp_path / "corop.csv"
    path.write_text(text)
    with pytest.raises(userfiles.UserFileError, match=rf"^corop\.csv: .*{message}"):
        userfiles.load_user_file(path, "corop_rd")


def test_valid_file_gets_clean_codes_and_numeric_types(tmp_path):
    path = tmp_path / "corop.csv"
    path.write_text("corop,jaar,rd_bedrijven_mln_euro\nCR23    ,2015,12.5\n")
    data = userfiles.load_user_file(path, "corop_rd")
    assert data.loc[0, "corop"] == "CR23"
    assert data["jaar"].dtype == "int64" and data["rd_bedrijven_mln_euro"].dtype == "float64"
    assert data.attrs["path"] == str(path)
