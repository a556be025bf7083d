"""Field cases run through the chapters by papermill, as an analyst runs them: every place or
code of a user file that could not be placed is named in the book next to the figure it
affects, a file that covers part of the regions is flagged there, a startup list of gemeenten
created after 2016 is drawn on the map of their year (field case 10), a file without any
usable value stops with a message naming the file and the parameter, and an RVO file with
just the four mapped topsectors gives an appendix sentence instead of an empty table (field
case 12). Inputs: ``tests/fixtures/field_cases`` (copies of ``../shared/field-cases``) and
small synthetic files written here (tests only)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from papermill.exceptions import PapermillExecutionError

from conftest import markdown_outputs, read_glue

pytestmark = pytest.mark.slow
FIELD_CASES = Path(__file__).parent / "fixtures" / "field_cases"
USER_FILES = Path(__file__).parent / "fixtures" / "user_files"
FOUR_TOPSECTORS = ["HTSM", "LSH", "Agri & Food", "Energie"]


def _notes(out: Path) -> list[str]:
    """The user-file notes (admonitions of class ``ri-bestand``) the chapter displays."""
    return [
        text for text in markdown_outputs(out).split(":::") if ":class: note ri-bestand" in text
    ]


def _code_sources(out: Path) -> str:
    nb = json.loads(out.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


# --- field case 10: a startup list of gemeenten created after 2016 ----------------------------


def test_startups_of_gemeenten_after_2016_are_drawn_on_the_map_of_their_year(run_notebook):
    path = FIELD_CASES / "10-nothing-placed" / "startups_na_2018.csv"
    out = run_notebook("startups", startup_file=str(path))
    glue = read_glue(out)
    text = glue["st_user_text"]
    assert glue["st_n"] == "7" and glue["st_unplaced"] == "0"
    assert "de meeste startups in Meierijstad (1), Het Hogeland (1) en Eemsdelta (1)" in text
    assert " in ." not in text and "gemeenten van 2023" in text
    drawn = pd.read_csv(out.parent / "_assets" / "startups" / "startups-kaart.csv")
    placed = drawn.dropna(subset=["startups"])
    assert sorted(placed["name"]) == sorted(
        ["Het Hogeland", "Eemsdelta", "Meierijstad", "Voorne aan Zee", "Land van Cuijk",
         "Maashorst", "Dijk en Waard"]
    )  # fmt: skip
    assert len(drawn) == 342  # every gemeente of 2023 on the map
    assert "Aantal startups per gemeente (gemeenten van 2023)" in markdown_outputs(out)


def test_a_startup_list_with_no_place_placed_stops_naming_file_and_parameter(
    run_notebook, tmp_path
):
    path = tmp_path / "startups_onbekend.csv"
    path.write_text("naam,plaats,oprichtingsjaar\nA,Atlantis,2016\nB,Utopia,2017\n")
    with pytest.raises(PapermillExecutionError) as caught:
        run_notebook("startups", startup_file=str(path))
    message = str(caught.value)
    assert "DataCheckError" in message and "startups_onbekend.csv" in message
    assert "parameter startup_file" in message
    assert "Atlantis (regel 2; onbekende plaats of code)" in message and "Utopia" in message


def test_startup_places_not_placed_are_named_beside_the_map(run_notebook):
    out = run_notebook("startups", startup_file=str(USER_FILES / "startups_synthetic.csv"))
    notes = _notes(out)
    assert len(notes) == 1
    assert (
        "Niet geplaatst in een gemeente van 2016: Atlantis (regel 7; onbekende plaats" in notes[0]
    )
    markdown = markdown_outputs(out)
    assert markdown.index("fig-startups-startups-kaart") < markdown.index("ri-bestand")
    assert "zonder herkenbare gemeente, genoemd bij de kaart" in read_glue(out)["st_user_text"]


# --- scale-ups and innovative firms: codes and coverage -------------------------------------


def test_scaleup_file_covering_few_gemeenten_is_flagged_beside_the_map(run_notebook):
    out = run_notebook("scale_ups", scaleup_file=str(USER_FILES / "scaleups_synthetic.csv"))
    notes = _notes(out)
    assert len(notes) == 1
    assert "Het bestand dekt 5 van de 390 gemeenten (indeling 2016); zonder gegevens:" in notes[0]
    assert "en 375 andere" in notes[0]  # ten named, the rest counted


def test_scaleup_file_without_any_count_stops_naming_file_and_parameter(run_notebook, tmp_path):
    path = tmp_path / "scaleups_leeg.csv"
    path.write_text("gemeente,jaar,aantal\nGM0363,2016,.\nGM0599,2016,x\nGM0344,2015,4\n")
    with pytest.raises(PapermillExecutionError) as caught:
        run_notebook("scale_ups", scaleup_file=str(path), year=2016)
    message = str(caught.value)
    assert "scaleups_leeg.csv (parameter scaleup_file)" in message
    assert "no gemeente has a value in column 'aantal' for 2016" in message


def test_cis_file_missing_values_and_coverage_are_named_beside_the_map(run_notebook, tmp_path):
    path = tmp_path / "cis_deels.csv"
    path.write_text(
        "gemeente,jaar,aantal_innovatief\nGM0363,2014,900\nGM0599,2014,.\nGM0344,2014,300\n"
    )
    out = run_notebook("innovatieve_bedrijven", cis_file=str(path), year=2014)
    notes = _notes(out)
    assert len(notes) == 1
    assert "Het bestand dekt 2 van de 403 gemeenten (indeling 2014)" in notes[0]
    assert "kolom aantal\\_innovatief: geen waarde" in notes[0] and "GM0599" in notes[0]
    markdown = markdown_outputs(out)
    assert markdown.index("fig-innovatieve-bedrijven-kaart") < markdown.index("ri-bestand")


# --- R&D per COROP region: a file covering part of the regions -------------------------------


def test_corop_file_of_20_regions_is_flagged_beside_the_map(run_notebook, tmp_path):
    rows = [(f"CR{i:02d}", 2015, float(i)) for i in range(1, 21)]
    path = tmp_path / "corop_rd_20.csv"
    pd.DataFrame(rows, columns=["corop", "jaar", "rd_bedrijven_mln_euro"]).to_csv(path, index=False)
    out = run_notebook("rd", corop_rd_file=str(path))
    notes = _notes(out)
    assert len(notes) == 1
    assert (
        "Het bestand dekt 20 van de 40 COROP-regio's (indeling 2016); zonder gegevens:" in notes[0]
    )
    assert "Groot-Amsterdam" in notes[0]  # CR23, not in the file
    assert "Agglomeratie ’s-Gravenhage" in notes[0]  # typographic apostrophe, not ‘s-
    assert "aandelen in het totaal van de regio's in het bestand" in notes[0]


# --- topsectors: places of an RVO file, and field case 12 ------------------------------------


def test_rvo_places_not_placed_are_named(run_notebook, tmp_path):
    path = tmp_path / "rvo_onbekend.csv"
    path.write_text(
        "project,plaats,topsector,jaar,bedrag\n"
        "P1,Eindhoven,HTSM,2018,1000\nP1,Atlantis,HTSM,2018,500\nP2,Leiden,LSH,2018,700\n"
        "P3,Wageningen,Agri & Food,2018,300\nP4,Groningen,Energie,2018,900\n"
        "P4,Bergen,Energie,2018,100\n"
    )
    out = run_notebook(
        "topsectoren", rvo_file=str(path), themes=FOUR_TOPSECTORS, start_year=2018, end_year=2018
    )
    notes = _notes(out)
    assert len(notes) == 1
    assert "Atlantis (regel 3; onbekende plaats of code)" in notes[0]
    assert "Bergen (regel 7; kan liggen in" in notes[0]
    # a file of single-place projects has no network: said so, never an error or "in ."
    glue = read_glue(out)
    assert glue["ts_cmp_hubs_pattern"].startswith("Geen van de thema's heeft samenwerking")
    assert glue["ts_cmp_links_text"] == ""


def test_rvo_file_with_the_four_mapped_topsectors_has_no_empty_appendix_table(run_notebook):
    path = FIELD_CASES / "12-four-topsectors" / "rvo_4_topsectoren.csv"
    out = run_notebook(
        "topsectoren", rvo_file=str(path), themes=FOUR_TOPSECTORS, start_year=2018, end_year=2018
    )
    glue = read_glue(out)
    markdown = markdown_outputs(out)
    assert glue["ts_n_other"] == "0"
    assert "er zijn geen overige thema's om samen te vatten" in markdown
    assert "tab-topsectoren-overige-themas" not in markdown  # no table, no reference to one
    assert not (out.parent / "_assets" / "topsectoren" / "overige-themas.csv").exists()
    assert "book_table" not in _code_sources(out)  # the notebook holds no table call of its own


def test_appendix_table_with_other_themes_is_introduced_and_numbered(run_notebook):
    out = run_notebook(
        "topsectoren",
        rvo_file=str(USER_FILES / "rvo_synthetic.csv"),
        themes=FOUR_TOPSECTORS,
        start_year=2014,
        end_year=2016,
    )
    markdown = markdown_outputs(out)
    assert (
        "Het overige thema staat samengevat in {numref}`tab-topsectoren-overige-themas`" in markdown
    )
    assert markdown.index("{numref}`tab-topsectoren-overige-themas`") < markdown.index(
        ":name: tab-topsectoren-overige-themas"
    )
