"""User files as analysts have them, through the one pandera-based mechanism: reading
(delimiters, encodings, Excel, CBS StatLine exports), numbers in Dutch notation, gemeente codes
of any year, place names, partial coverage; errors name the file, column and rows. One test
per field case (``tests/fixtures/field_cases``, copies of ``../shared/field-cases``) with the
behaviour its README says a user expects, and unit tests per kind of fault."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pandera.pandas as pa
import pytest

from helpers.chapters import innovatieve_bedrijven, rd, scale_ups, topsectoren
from helpers.data import reading
from helpers.geography import userfiles

CASES = Path(__file__).parent / "fixtures" / "field_cases"


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
        ("corop,jaar,rd_bedrijven_mln_euro\nCR23,,1\n", r"column 'jaar': empty in rows 2"),
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


# --- field case 01: a CBS StatLine export as downloaded -------------------------------------

STATLINE = CASES / "01-statline-export"


@pytest.mark.parametrize(
    "name",
    [
        "a_statline_as_exported.csv",
        "b_semicolon_bom_padded.csv",
        "c_comma_bom_padded_dot.csv",
        "d_comma_bom_padded.csv",
    ],
)
def test_field_case_01_statline_exports_are_read(name):
    """Title line, ';', quotes, BOM, padded codes, '.' for missing, footer: read, with the
    missing value named instead of a 'missing column(s)' error."""
    data = userfiles.load_user_file(STATLINE / name, "scaleups")
    assert data["gemeente"].tolist()[:3] == ["GM0363", "GM0599", "GM0518"]
    assert data["aantal"].tolist()[:3] == [95, 41, 30]
    found = scale_ups.scaleup_counts(str(STATLINE / name), 2016)
    assert found.counts.to_dict() == {"GM0363": 95, "GM0518": 30, "GM0599": 41}
    assert found.map_year == 2016 and not found.join.unjoined
    if name != "d_comma_bom_padded.csv":  # the files with GM0088 '.'
        assert found.missing == ["GM0088"]
        assert any("GM0088" in note for note in found.notes)
        assert pd.isna(found.map_data.set_index("code").loc["GM0088", "scaleups"])
    info = data.attrs["reading"]
    assert info.encoding == "utf-8-sig"
    assert info.delimiter == (";" if name[0] in "ab" else ",")
    if name.startswith("a_"):
        assert info.skipped_before == (1,) and info.skipped_after == (7,)
        assert "CBS StatLine export layout" in data.attrs["read_as"]
        assert info.lines == (3, 4, 5, 6)  # rows are counted as lines of the file
        assert any("StatLine-export" in note for note in found.notes)


def test_field_case_01_statline_export_of_other_columns_names_the_layout(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        '\ufeff"Bedrijfsvestigingen; regio; 2016"\n"Regio\'s";"Perioden";"Vestigingen"\n'
        '"Amsterdam";"2016";"1000"\n"Bron: CBS"\n'.encode()
    )
    with pytest.raises(userfiles.UserFileError) as error:
        userfiles.load_user_file(path, "scaleups")
    message = str(error.value)
    assert message.startswith("export.csv: missing column(s) ['gemeente', 'jaar', 'aantal']")
    assert "columns found: [\"Regio's\", 'Perioden', 'Vestigingen']" in message
    assert "delimiter ';'" in message and "CBS StatLine export layout" in message


def test_field_case_01_bad_value_in_a_statline_export_is_named_by_its_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('"Titel"\n"gemeente";"jaar";"aantal"\n"GM0363";"2016";"veel"\n"© CBS"\n')
    with pytest.raises(
        userfiles.UserFileError,
        match=r"^export\.csv: column 'aantal': not a whole number in rows 3 \('veel'\)",
    ):
        userfiles.load_user_file(path, "scaleups")


# --- field case 02: gemeente codes of a later year ------------------------------------------

LATER = CASES / "02-later-gemeente-codes"


def test_field_case_02_codes_of_2017_are_drawn_on_the_2017_map():
    data = userfiles.load_user_file(LATER / "scaleups_2017.csv", "scaleups")
    assert data.attrs["gemeente_year"] == 2017  # GM1948 Meierijstad exists from 2017
    found = scale_ups.scaleup_counts(str(LATER / "scaleups_2017.csv"), 2017)
    assert found.map_year == 2017 and found.join.unjoined == []
    drawn = found.map_data.set_index("code")["scaleups"]
    assert drawn["GM1948"] == 12 and drawn.sum() == found.total == 326


def test_field_case_02_codes_of_2021_are_known_and_drawn_on_the_2021_map():
    data = userfiles.load_user_file(LATER / "scaleups_2021.csv", "scaleups")
    assert data.attrs["gemeente_year"] == 2021  # GM1966, GM1978, GM1979 exist from 2021
    assert data.attrs["gemeente_years"] == [2021, 2022, 2023, 2024, 2025]
    found = scale_ups.scaleup_counts(str(LATER / "scaleups_2021.csv"), 2021)
    assert found.map_year == 2021 and found.join.unjoined == []
    drawn = found.map_data.set_index("code")["scaleups"]
    assert drawn[["GM1966", "GM1978", "GM1979"]].tolist() == [1, 3, 2]


def test_field_case_02_data_of_one_year_with_codes_of_another_go_on_the_codes_map(tmp_path):
    path = tmp_path / "scaleups.csv"  # counts of 2016 with the gemeenten of 2021
    path.write_text((LATER / "scaleups_2021.csv").read_text().replace(",2021,", ",2016,"))
    found = scale_ups.scaleup_counts(str(path), 2016)
    assert found.map_year == 2021 and found.join.unjoined == []


def test_field_case_02_codes_not_on_the_map_are_named(tmp_path):
    path = tmp_path / "scaleups.csv"  # GM0860 Veghel ended when GM1948 Meierijstad began
    path.write_text("gemeente,jaar,aantal\nGM0363,2017,5\nGM1948,2017,3\nGM0860,2017,2\n")
    found = scale_ups.scaleup_counts(str(path), 2017)
    assert found.map_year == 2017 and found.join.unjoined == ["GM0860"]


def test_codes_of_2024_are_drawn_on_the_2023_map(tmp_path):
    path = tmp_path / "scaleups.csv"
    path.write_text("gemeente,jaar,aantal\nGM0363,2024,5\nGM1980,2024,3\n")  # Dijk en Waard
    found = scale_ups.scaleup_counts(str(path), 2024)
    assert found.map_year == 2023 and found.join.unjoined == []


# --- field case 04: BAG woonplaatsen -------------------------------------------------------

WOONPLAATSEN = CASES / "04-bag-woonplaatsen" / "startups_woonplaatsen.csv"


def test_field_case_04_woonplaatsen_are_placed_in_their_gemeente():
    data = userfiles.load_user_file(WOONPLAATSEN, "startups")
    placed = userfiles.placement(data, 2016)
    assert placed.unplaced == [] and placed.codes.notna().all()  # 30 of 30 (was 8 of 30)
    by_place = dict(zip(data["plaats"], placed.codes, strict=True))
    assert by_place["Rosmalen"] == "GM0796"  # 's-Hertogenbosch
    assert by_place["Hoofddorp"] == "GM0394"  # Haarlemmermeer
    assert by_place["Veghel"] == "GM0860"  # a gemeente of its own in 2016
    assert by_place["Joure"] == by_place["Lemmer"] == "GM1940"  # De Fryske Marren
    assert by_place["Bolsward"] == "GM1900"  # Súdwest-Fryslân
    assert by_place["Hoek van Holland"] == "GM0599"  # Rotterdam
    later = dict(zip(data["plaats"], userfiles.gemeente_of(data, 2021), strict=True))
    assert later["Veghel"] == later["Schijndel"] == "GM1948"  # Meierijstad from 2017


def test_field_case_04_places_that_cannot_be_placed_are_named_with_their_rows(tmp_path):
    path = tmp_path / "startups.csv"
    path.write_text(
        "naam,plaats,oprichtingsjaar\nA,Rosmalen,2016\nB,Atlantis,2016\nC,Zevenhuizen,2016\n"
        "D,Atlantis,2016\nE,Bergen,2016\nF,,2016\n"
    )
    data = userfiles.load_user_file(path, "startups")
    placed = userfiles.placement(data, 2016)
    assert placed.n_unplaced == 5
    assert placed.names() == ["Atlantis", "", "Bergen", "Zevenhuizen"]
    atlantis, empty, bergen, zevenhuizen = placed.unplaced
    assert atlantis.rows == (3, 5) and atlantis.reason == "unknown"
    assert empty.reason == "empty"
    assert bergen.reason == "ambiguous" and bergen.candidates == ("Bergen (L.)", "Bergen (NH.)")
    assert "Zuidplas" in zevenhuizen.candidates  # Zevenhuizen lies in several gemeenten
    text = placed.text()
    assert "Atlantis (regels 3, 5; onbekende plaats of code)" in text
    assert "Bergen (regel 6; kan liggen in Bergen (L.) of Bergen (NH.))" in text
    assert "(leeg) (regel 7; geen gemeente of plaats ingevuld)" in text
    assert userfiles.gemeente_of(data).attrs["unplaced"] == placed.unplaced


# --- field case 06: Excel files ------------------------------------------------------------

EXCEL = CASES / "06-excel-files"
CIS_2014 = {
    "GM0363": 820, "GM0599": 610, "GM0518": 450, "GM0344": 400, "GM0772": 520, "GM1900": 60,
    "GM0820": 35,
}  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "cis_2014.xlsx",
        "cis_2014.xlsx#Gemeenten_alfabetisch",
        "cis_2014_excel_nl.csv",
        "cis_2014_gemeentecode_int.csv",
    ],
)
def test_field_case_06_excel_files_give_the_same_table(name):
    """xlsx read; Dutch Excel CSV (';', cp1252, a name with a comma) read; 363 == GM0363."""
    data = userfiles.load_user_file(f"{EXCEL}/{name}", "cis")
    assert dict(zip(data["gemeente"], data["aantal_innovatief"], strict=True)) == CIS_2014
    assert data["aantal_innovatief"].dtype == "int64" and data["jaar"].tolist() == [2014] * 7
    assert "Súdwest-Fryslân" in set(data["Gemeentenaam"])  # accents decoded, not mangled
    assert "Nuenen, Gerwen en Nederwetten" in set(data["Gemeentenaam"])
    assert data.attrs["gemeente_year"] == 2014
    counts = innovatieve_bedrijven.firm_counts(f"{EXCEL}/{name}", 2014, [500, 200, 100])
    assert counts.counts.to_dict() == CIS_2014 and counts.map_year == 2014


def test_field_case_06_how_the_file_was_read_is_reported():
    nl_csv = userfiles.load_user_file(EXCEL / "cis_2014_excel_nl.csv", "cis")
    assert nl_csv.attrs["read_as"] == "CSV, encoding cp1252, delimiter ';' (csv.Sniffer)"
    xlsx = userfiles.load_user_file(EXCEL / "cis_2014.xlsx", "cis")
    assert xlsx.attrs["read_as"] == "Excel (xlsx), sheet 'Gemeenten_alfabetisch'"


def test_field_case_06_unknown_sheet_and_parser_errors_name_the_file(tmp_path):
    with pytest.raises(
        userfiles.UserFileError,
        match=r"^cis_2014\.xlsx: no sheet 'Blad2'; sheets: 'Gemeenten_alfabetisch'$",
    ):
        userfiles.load_user_file(f"{EXCEL}/cis_2014.xlsx#Blad2", "cis")
    path = tmp_path / "cis.csv"  # an unquoted comma in a comma-separated file
    path.write_text(
        "gemeente,jaar,aantal_innovatief,naam\nGM0363,2014,5,Amsterdam\n"
        "GM0820,2014,3,Nuenen, Gerwen en Nederwetten\n"
    )
    with pytest.raises(
        userfiles.UserFileError, match=r"^cis\.csv: line 3 has 5 cells where the header"
    ):
        userfiles.load_user_file(path, "cis")


# --- field case 07: Dutch number notation ----------------------------------------------------

NUMBERS = CASES / "07-dutch-number-notation"


def test_field_case_07_dutch_thousands_are_read_as_thousands():
    rvo = topsectoren.load_rvo(NUMBERS / "rvo_mit_nl.csv")
    assert rvo["bedrag"].tolist()[:4] == [20000.0, 19500.0, 15000.0, 125000.0]
    assert rvo["bedrag"].sum() == 776660.0  # was 776.66: a thousand times too small
    data = userfiles.load_user_file(NUMBERS / "rvo_mit_nl.csv", "rvo")
    assert data.attrs["notation"]["bedrag"] == "Dutch"
    scaleups = userfiles.load_user_file(NUMBERS / "scaleups_duizendtallen.csv", "scaleups")
    assert scaleups["aantal"].tolist() == [1000, 2500]  # was 1 and "not a whole number"


def test_field_case_07_ambiguous_notation_is_refused(tmp_path):
    path = tmp_path / "rvo.csv"  # '.' is a decimal mark in row 2, so 1.000 could be 1 or 1000
    path.write_text(
        "project,plaats,topsector,jaar,bedrag\nA,Delft,HTSM,2018,12.5\nB,Delft,HTSM,2018,1.000\n"
    )
    with pytest.raises(
        userfiles.UserFileError,
        match=r"^rvo\.csv: column 'bedrag': ambiguous number notation in rows 3 \('1\.000'\)",
    ):
        userfiles.load_user_file(path, "rvo")


# --- reading: delimiters, encodings, Excel ----------------------------------------------------

ROWS = [["gemeente", "jaar", "aantal"], ["GM0363", "2016", "5"], ["GM0599", "2016", "7"]]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_detected(tmp_path, delimiter):
    path = tmp_path / "file.csv"
    path.write_text("\n".join(delimiter.join(row) for row in ROWS) + "\n")
    data = userfiles.load_user_file(path, "scaleups")
    assert data["aantal"].tolist() == [5, 7]
    assert data.attrs["reading"].delimiter == delimiter


def test_delimiter_from_the_header_when_the_sniffer_is_unsure(tmp_path):
    path = tmp_path / "file.csv"  # commas inside names, ';' between columns
    path.write_text("naam;plaats;oprichtingsjaar\nA, B en C;Delft;2016\n")
    data = userfiles.load_user_file(path, "startups")
    assert data["naam"].tolist() == ["A, B en C"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_are_detected_and_reported(tmp_path, encoding):
    path = tmp_path / "startups.csv"
    path.write_bytes("naam,plaats,oprichtingsjaar\nA,Súdwest-Fryslân,2016\n".encode(encoding))
    data = userfiles.load_user_file(path, "startups")
    assert data["plaats"].tolist() == ["Súdwest-Fryslân"]
    assert data.attrs["reading"].encoding == encoding


def test_text_in_no_known_encoding_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "startups.csv"
    path.write_bytes(b"naam,plaats,oprichtingsjaar\nA,Delft,2016\nB,\x81,2016\n")
    with pytest.raises(userfiles.UserFileError, match=r"^startups\.csv: line 3: byte 0x81"):
        userfiles.load_user_file(path, "startups")


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_first_sheet_named_sheet_and_statline_layout(tmp_path):
    rows = [["Scale-ups; 2016"], ["Gemeente", "Jaar", "Aantal"], [363, 2016, 5.0],
            ["GM0599", 2016, "."], ["Bron: CBS"]]  # fmt: skip
    path = _workbook(tmp_path / "su.xlsx", {"Toelichting": [["tekst"]], "Data": rows})
    data = userfiles.load_user_file(f"{path}#Data", "scaleups")
    assert data["gemeente"].tolist() == ["GM0363", "GM0599"]  # column names matched, any case
    assert data["aantal"].tolist()[0] == 5 and data.attrs["missing"] == {"aantal": [4]}
    assert data.attrs["reading"].skipped_before == (1,)
    assert data.attrs["reading"].skipped_after == (5,)
    with pytest.raises(userfiles.UserFileError, match=r"^su\.xlsx: no line with two"):
        userfiles.load_user_file(path, "scaleups")  # the first sheet is the explanation


def test_excel_file_with_a_csv_name_is_read_as_excel(tmp_path):
    _workbook(tmp_path / "book.xlsx", {"Blad1": ROWS})
    path = tmp_path / "book.csv"
    path.write_bytes((tmp_path / "book.xlsx").read_bytes())
    assert userfiles.load_user_file(path, "scaleups")["aantal"].tolist() == [5, 7]


def test_old_excel_format_without_xlrd_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(reading.importlib.util, "find_spec", lambda name: None)
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(userfiles.UserFileError, match=r"^old\.xls: .*save it as \.xlsx"):
        userfiles.load_user_file(path, "scaleups")


def test_text_records_for_value_checks(tmp_path):
    path = _workbook(tmp_path / "su.xlsx", {"Data": [["gemeente", "jaar"], ["GM0363", 2016]]})
    assert reading.text_records(path) == (["gemeente", "jaar"], [{"gemeente": "GM0363", "jaar": "2016"}])  # fmt: skip


# --- numbers -----------------------------------------------------------------------------------


def _numbers(values: list) -> reading.Numbers:
    lines = list(range(2, len(values) + 2))
    return reading.parse_numbers(pd.Series(values, dtype=object), file="f.csv", column="c", lines=lines)  # fmt: skip


@pytest.mark.parametrize(
    ("values", "expected", "notation"),
    [
        (["20.000", "125.000", "9.660"], [20000, 125000, 9660], "Dutch"),
        (["12,5", "1.234,5", "20.000", "7"], [12.5, 1234.5, 20000, 7], "Dutch"),
        (["1.234.567", "3"], [1234567, 3], "Dutch"),
        (["12.5", "1,000", "1,234.5"], [12.5, 1000, 1234.5], "English"),
        (["1,234,567", "0.25"], [1234567, 0.25], "English"),
        (["400000", "-5", "+3"], [400000, -5, 3], "whole numbers"),
        (["0.500", "12.50"], [0.5, 12.5], "English"),  # 0.500 cannot group thousands
        ([5, 7.5], [5, 7.5], "numbers"),  # Excel number cells
    ],
)
def test_number_notation_is_decided_per_column(values, expected, notation):
    numbers = _numbers(values)
    assert numbers.values.tolist() == expected and numbers.notation == notation


def test_missing_and_secret_values_are_missing():
    numbers = _numbers(["5", ".", "x", "", " "])
    assert numbers.values.tolist()[0] == 5 and numbers.values.isna().sum() == 4
    assert numbers.missing == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["12.5", "1.000"], r"ambiguous number notation in rows 3 \('1\.000'\).*'\.' as decimal"),
        (["1,000", "2,500"], r"ambiguous number notation in rows 2, 3 \('1,000', '2,500'\)"),
        (["12,5", "1,250"], r"ambiguous number notation in rows 3 \('1,250'\)"),
        (["12,5", "12.5"], r"mixes Dutch notation \(rows 2 \('12,5'\)\) and English"),
        (["5", "veel"], r"not a number in rows 3 \('veel'\)"),
        (["1.2.3"], r"not a number in rows 2"),
    ],
)
def test_ambiguous_or_bad_numbers_are_refused_naming_file_column_and_rows(values, message):
    with pytest.raises(reading.ReadError, match=rf"^f\.csv: .*column 'c'.*{message}|^f\.csv: column 'c' {message}"):  # fmt: skip
        _numbers(values)


# --- codes and places --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["GM0363", "GM0363    ", " gm363", "0363", "363", "363.0", 363, 363.0]
)
def test_gemeente_codes_in_every_form(value):
    assert userfiles.gemeente_code(value) == "GM0363"


@pytest.mark.parametrize("value", ["CR23", "cr23 ", "23", "23.0", 23])
def test_corop_codes_in_every_form(value):
    assert userfiles.corop_code(value) == "CR23"


def test_codes_of_every_year_2014_2025_are_known(tmp_path):
    path = tmp_path / "cis.csv"  # 2014 (GM0265, merged 2015), 2021 (GM1979), 2023 (GM1980)
    path.write_text("gemeente,jaar,aantal_innovatief\n265,2014,1\nGM1979,2021,2\nGM1980,2023,3\n")
    data = userfiles.load_user_file(path, "cis")
    assert data["gemeente"].tolist() == ["GM0265", "GM1979", "GM1980"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Súdwest-Fryslân", "GM1900"),
        ("Sudwest-Fryslan", "GM1900"),  # accents folded, not dropped
        ("SUDWEST FRYSLAN", "GM1900"),
        ("Snits", "GM1900"),  # Frisian for Sneek, a woonplaats in Súdwest-Fryslân
        ("Ljouwert", "GM0080"),  # Frisian for Leeuwarden
        ("Hengelo (O.)", "GM0164"),  # CBS disambiguation
        ("Hengelo (Gld.)", "GM1876"),  # the woonplaats in Bronckhorst
        ("Hengelo", "GM0164"),  # a gemeente name wins over a woonplaats
        ("Bergen NH", "GM0373"),
        ("Bergen (L.)", "GM0893"),
        ("Utrecht (gemeente)", "GM0344"),
        ("Den Haag", "GM0518"),
        ("St.-Annaparochie", None),  # in Waadhoeke, formed in 2018 from three gemeenten
        ("Nuenen", "GM0820"),
    ],
)
def test_place_names_of_2016(name, code):
    assert userfiles.place_name(name, 2016)[0] == code


def test_place_names_follow_the_gemeenten_of_the_year():
    assert userfiles.place_name("St.-Annaparochie", 2021)[0] == "GM1949"  # Waadhoeke
    assert userfiles.place_name("Veghel", 2021)[:2] == ("GM1948", "former gemeente")
    code, why, candidates = userfiles.place_name("Meierijstad", 2016)
    assert code is None and why == "divided"
    assert candidates == ["Schijndel", "Sint-Oedenrode", "Veghel"]
    assert userfiles.fold("'s-Gravenhage") == userfiles.fold("S GRAVENHAGE") == "sgravenhage"


def test_rvo_codes_of_another_year_are_followed_or_named(tmp_path):
    path = tmp_path / "rvo.csv"
    path.write_text(
        "project,gemeente,plaats,topsector,jaar,bedrag\nA,GM0860,,HTSM,2016,1\n"
        "A,GM1948,,HTSM,2016,2\nB,GM1966,,LSH,2016,3\n"
    )
    data = topsectoren.load_rvo(path)  # the chapter draws the gemeenten of 2016
    assert data["gemeente"].tolist()[0] == "GM0860" and data["gemeente"].isna().sum() == 2
    unplaced = {u.name: u for u in data.attrs["unplaced"]}
    assert unplaced["GM1948"].candidates == ("Schijndel", "Sint-Oedenrode", "Veghel")
    match = topsectoren.match_rate(data)
    assert set(match.unmatched_places.index) == {"GM1948", "GM1966"}  # named, not only counted


# --- partial coverage ------------------------------------------------------------------------


def test_partial_coverage_is_flagged(tmp_path):
    path = tmp_path / "corop.csv"
    rows = "".join(f"CR{i:02d},2015,{i}\n" for i in range(1, 21))
    path.write_text("corop,jaar,rd_bedrijven_mln_euro\n" + rows)
    measure = rd.corop_measure(str(path), 2015, 2012)
    covered = measure.coverage
    assert len(covered.covered) == 20 and covered.total == 40 and not covered.complete
    assert covered.text(max_names=3).startswith(
        "Het bestand dekt 20 van de 40 COROP-regio's (indeling 2016); zonder gegevens: "
    )
    assert covered.text(max_names=3).endswith(" en 17 andere.")
    full = userfiles.coverage([f"CR{i:02d}" for i in range(1, 41)], "corop", 2016)
    assert full.complete and full.text() == (
        "Het bestand dekt alle 40 COROP-regio's (indeling 2016)."
    )
    gemeenten = userfiles.coverage(["GM0363", "GM1948"], "gemeente", 2016)
    assert len(gemeenten.covered) == 1 and gemeenten.outside == ("GM1948",)
    assert "Codes die geen gemeente van 2016 zijn: GM1948." in gemeenten.text()


def test_woonplaats_table_is_committed_with_its_checks():
    table = userfiles._woonplaatsen()
    assert table["woonplaats"].nunique() > 2000
    veghel = table[table["woonplaats"] == "Veghel"]
    assert veghel[["code", "code_year"]].values.tolist() == [["GM1948", 2021]]
