"""Topsectors chapter logic: place names, pairs, network measures, RVO file path; the
chapter's data, themes and comparison, and what the book writes about them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from helpers.chapters import topsectoren
from helpers.geography import nl, userfiles


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
    # FP7 register, Horizon Europe addresses and PC4 postcodes (77% with the FP7 register alone)
    assert 80 < rate.participations < 90 and 85 < rate.amount < 95
    early = topsectoren.h2020(2014, 2016)
    assert early["start_year"].max() <= 2016
    assert early["project"].nunique() < all_years["project"].nunique()
    with pytest.raises(ValueError, match="start years"):
        topsectoren.h2020(2030, 2031)


# --- the chapter: data, themes, comparison (synthetic RVO file) and what the book writes ------

RVO = Path(__file__).parent / "fixtures" / "user_files" / "rvo_synthetic.csv"
RVO_THEMES = ["HTSM", "LSH", "Agri & Food", "Energie"]


def test_chapter_data_from_an_rvo_file():
    found = topsectoren.chapter_data(str(RVO), 2014, 2016, RVO_THEMES)
    assert found.supplied and found.status_key == "aangeleverd" and RVO.name in found.source
    assert str(RVO.parent) not in found.source  # the file name, not the analyst's folders
    assert found.period == "2014-2016"
    assert found.data["start_year"].between(2014, 2016).all()
    assert found.n_projects == 6  # H2, L1, L2, A1, E1, W1 (H1 started in 2013)
    assert found.other_themes == ["Water"]
    h2020 = ["Hightech en materialen", "Gezondheid", "Voedsel en bio-economie", "Energie"]
    one_year = topsectoren.chapter_data("", 2016, 2016, h2020)
    assert one_year.period == "2016" and not one_year.supplied
    assert set(one_year.data["start_year"]) == {2016}


@pytest.mark.parametrize("themes", [RVO_THEMES[:3], ["HTSM", "LSH", "Agri & Food", "Ruimtevaart"]])
def test_chapter_data_needs_four_themes_of_the_data(themes):
    with pytest.raises(
        ValueError, match="available themes: Agri & Food, Energie, HTSM, LSH, Water"
    ):
        topsectoren.chapter_data(str(RVO), 2014, 2016, themes)


def test_theme_measures():
    found = topsectoren.chapter_data(str(RVO), 2014, 2016, RVO_THEMES)
    htsm = topsectoren.theme(found, "HTSM", 1, 1)
    assert htsm.nearest_topsector == "HTSM"  # RVO data: the topsector itself
    assert htsm.amount == 400_000 and htsm.links_shown == 1
    assert htsm.top_places(1)["gemeente"].tolist() == ["GM0772"]  # Eindhoven: 300,000
    assert htsm.top_place_share == pytest.approx(75)
    # two places, one link of one project: each takes part in the one collaboration (not 50%,
    # the share of link ends)
    assert htsm.collaborations == 1 and htsm.top_hub_share == pytest.approx(100)
    lsh = topsectoren.theme(found, "LSH", 2, 2)
    assert len(lsh.net.edges) == 2 and lsh.links_shown == 0  # each link has one project
    assert lsh.slot == 2 and lsh.places["mln"].sum() == pytest.approx(0.5)


def test_nearest_topsector_of_the_h2020_themes():
    assert topsectoren.nearest_topsector("Gezondheid") == "Life Sciences & Health (LSH)"
    assert topsectoren.nearest_topsector("Atlantis") == "–"


def test_comparison_and_overview_of_themes():
    found = topsectoren.chapter_data(str(RVO), 2014, 2016, RVO_THEMES)
    chosen = [topsectoren.theme(found, name, 1, 1) for name in ("LSH", "Water")]
    comparison = topsectoren.compare(chosen)
    assert comparison.most_cross["thema"] == "LSH"  # Utrecht with Amsterdam and Rotterdam
    assert comparison.least_cross["thema"] == "Water"  # Delft and Rotterdam: Zuid-Holland
    assert comparison.table["top_hub"].tolist() == ["Utrecht", "Delft"]
    overview = topsectoren.overview(found.data, ["Water", "Energie"])
    assert overview["verbindingen"].tolist() == [1, 1]
    assert overview["grensoverschrijdend_pct"].tolist() == [0, 100]
    assert overview["knooppunten"].iloc[0] == ["Delft", "Rotterdam"]


def test_the_most_central_theme_holds_the_largest_share_in_one_place():
    found = topsectoren.chapter_data(
        "", 2014, 2020, ["Gezondheid", "Energie", "Veiligheid", "Overig"]
    )
    chosen = [topsectoren.theme(found, name, 1, 2) for name in found.themes]
    shares = {}
    for theme in chosen:
        # collaborations the strongest place takes part in, of all the theme's collaborations
        # (summed link weight; the strengths add up to twice that)
        strength = theme.net.nodes["strength"]
        shares[theme.name] = strength.iloc[0] / theme.net.edges["projecten"].sum() * 100
        assert strength.sum() == 2 * theme.net.edges["projecten"].sum()
    comparison = topsectoren.compare(chosen)
    assert comparison.most_central["thema"] == max(shares, key=shares.get)
    assert comparison.most_central["top_hub_aandeel_pct"] == pytest.approx(max(shares.values()))


def test_what_the_book_writes_about_the_themes():
    from helpers.presentation import topsectoren as views

    found = topsectoren.chapter_data(str(RVO), 2014, 2016, RVO_THEMES)
    values = views.theme_values(topsectoren.theme(found, "HTSM", 1, 1))
    assert values["projects"] == "1" and values["links"] == "1" and values["links_shown"] == "1"
    assert values["amount"] == "0,4" and values["top_place_share"] == "75%"
    assert values["participations"] == "2" and values["collaborations"] == "1"
    assert values["hubs"] in {"Eindhoven (1) en Delft (1)", "Delft (1) en Eindhoven (1)"}
    assert values["cross"] == "100%" and values["topsector"] == "HTSM"
    chosen = [topsectoren.theme(found, name, 1, 1) for name in ("LSH", "Water")]
    text = views.comparison_values(topsectoren.compare(chosen))
    assert text["most_cross"] == "LSH (100%)" and text["least_cross"] == "Water (0%)"
    assert text["hubs"] == "Utrecht (LSH) en Delft (Water)"
    assert text["central"] == "LSH, waar Utrecht aan 2 van de 2 samenwerkingen deelneemt (100%)"
    assert text["hubs_pattern"].endswith("telkens ergens anders.")
    comparison = topsectoren.compare(chosen)
    comparison.table["top_hub"] = "Delft"  # both themes with the same strongest place
    assert views.comparison_values(comparison)["hubs_pattern"] == (
        "Niet elk thema heeft een eigen zwaartepunt: Delft is het sterkste knooppunt van LSH "
        "en Water."
    )
    table = views.overview_table(topsectoren.overview(found.data, ["Water"]))
    assert table.iloc[0].tolist() == ["Water", "1", "2", "1", "Delft en Rotterdam", "0%"]
    unmatched = topsectoren.MatchRate(80.0, 90.0, 10, pd.Series({"DELFT": 3, "LEIDEN": 2}))
    assert views.unmatched_text(unmatched) == "Delft (3) en Leiden (2)"
    unmatched.unmatched_places = pd.Series(dtype=int)
    assert views.unmatched_text(unmatched) == "geen"


def test_amounts_counts_and_shares_on_one_stated_base():
    # one theme: project P with Eindhoven (60), Delft (20) and an unplaced participant (20);
    # project Q with Eindhoven and Delft (0 each): 2 collaborations, Eindhoven in both
    rows = pd.DataFrame(
        {
            "project": ["P", "P", "P", "Q", "Q"],
            "gemeente": ["GM0772", "GM0503", None, "GM0772", "GM0503"],
            "bedrag": [60.0, 20.0, 20.0, 0.0, 0.0],
        }
    )
    theme = topsectoren.Theme("T", 1, rows, topsectoren.network(rows), 1, "–")
    assert theme.n_participations == 5 and theme.n_placed == 4
    assert theme.amount == 100 and theme.placed_amount == 80
    assert theme.placed_amount_share == pytest.approx(80)
    assert theme.top_place_share == pytest.approx(75)  # 60 of the placed 80
    assert theme.top_place_share_all == pytest.approx(60)  # 60 of all 100
    assert theme.collaborations == 2 and theme.top_hub_share == pytest.approx(100)


HTSM_PLACED = "667,4"
WAGENINGEN = (128, 238)  # 54%, not 128 of 476 link ends (27%)
DEFAULT_THEMES = ["Hightech en materialen", "Gezondheid", "Voedsel en bio-economie", "Energie"]


def _default_data_independently() -> pd.DataFrame:
    """Dutch H2020 participations 2014-2020 with gemeente and theme, read here from the
    processed files (not through :func:`topsectoren.h2020`): the FP7 address, else the Horizon
    Europe address of the same PIC; the postcode's woonplaats, else its 2021 gemeente, else the
    city as written."""
    processed = Path(__file__).parents[1] / "data" / "processed" / "topsectors"
    parts = pd.read_csv(processed / "h2020_nl_participations.csv.gz", dtype=str)
    parts = parts[parts["start_year"].astype(float).between(2014, 2020)]
    parts["contribution"] = parts["contribution"].astype(float)
    he = pd.read_csv(processed / "he_nl_addresses.csv", dtype=str).drop_duplicates("pic")
    parts = parts.merge(he, on="pic", how="left", suffixes=("", "_he"))
    from_he = parts["plaats"].isna()
    for column in ("plaats", "postcode"):
        parts.loc[from_he, column] = parts.loc[from_he, f"{column}_he"]
    pc4 = pd.read_csv(processed / "pc4_plaats_gemeente_2021.csv", dtype=str).set_index("pc4")
    digits = parts["postcode"].str[:4]
    gemeente = pd.Series(pd.NA, index=parts.index, dtype="string")
    for names in (digits.map(pc4["plaats_pc4"]), digits.map(pc4["gemeente_pc4"]), parts["plaats"]):
        gemeente = gemeente.fillna(nl.place_to_gemeente(names))
    for names in (digits.map(pc4["plaats_pc4"]), parts["plaats"]):  # woonplaatsen (Sneek)
        gemeente = gemeente.fillna(
            names.map(lambda n: userfiles.place_name(n, 2016)[0] if isinstance(n, str) else None)
        )
    parts["gemeente"] = gemeente
    programmes = pd.read_csv(processed / "h2020_programme_parts_nl.csv", dtype={"rcn": str})
    mapping = topsectoren.themes().set_index("programme_part")["thema"]
    programmes["thema"] = programmes["programme_part"].map(mapping).fillna("Overig")
    return parts.merge(programmes[["rcn", "thema"]].drop_duplicates(), on="rcn")


def test_the_book_states_amounts_counts_and_shares_on_the_same_base():
    from helpers.presentation import topsectoren as views

    data = _default_data_independently()
    found = topsectoren.chapter_data("", 2014, 2020, DEFAULT_THEMES)
    for slot, name in enumerate(DEFAULT_THEMES, start=1):
        rows = data[data["thema"] == name]
        placed = rows[rows["gemeente"].notna()]
        per_place = placed.groupby("gemeente")["contribution"].sum()
        values = views.theme_values(topsectoren.theme(found, name, slot, 2))
        # all participations and their amount, and the placed ones, each counted on its base
        assert values["participations"] == f"{len(rows):,}".replace(",", ".")
        assert values["projects_all"] == f"{rows['rcn'].nunique():,}".replace(",", ".")
        assert values["amount"] == f"{rows['contribution'].sum() / 1e6:.1f}".replace(".", ",")
        assert values["participations_placed"] == f"{len(placed):,}".replace(",", ".")
        assert values["amount_placed"] == f"{placed['contribution'].sum() / 1e6:.1f}".replace(
            ".", ","
        )
        share_placed = placed["contribution"].sum() / rows["contribution"].sum() * 100
        assert values["amount_placed_share"] == f"{share_placed:.0f}%"
        # the top place's share of the placed amount and of the amount of all participations
        top = per_place.max()
        assert values["top_place_share"] == f"{top / placed['contribution'].sum() * 100:.0f}%"
        assert values["top_place_share_all"] == f"{top / rows['contribution'].sum() * 100:.0f}%"
    # HTSM: 822,8 million for all participations, HTSM_PLACED of them placed (575,0 with the
    # FP7 register alone)
    htsm = views.theme_values(topsectoren.theme(found, DEFAULT_THEMES[0], 1, 2))
    assert (htsm["amount"], htsm["amount_placed"]) == ("822,8", HTSM_PLACED)


def test_a_hubs_share_counts_collaborations_not_link_ends():
    from helpers.presentation import topsectoren as views

    data = _default_data_independently()
    food = data[(data["thema"] == "Voedsel en bio-economie") & data["gemeente"].notna()]
    collaborations = with_wageningen = 0
    for _, places in food.groupby("rcn")["gemeente"]:
        unique = sorted(set(places))
        pairs = [(a, b) for i, a in enumerate(unique) for b in unique[i + 1 :]]
        collaborations += len(pairs)
        with_wageningen += sum("GM0289" in pair for pair in pairs)  # Wageningen
    assert (with_wageningen, collaborations) == WAGENINGEN  # (91, 160) with FP7 alone
    found = topsectoren.chapter_data("", 2014, 2020, DEFAULT_THEMES)
    chosen = [topsectoren.theme(found, n, i, 2) for i, n in enumerate(DEFAULT_THEMES, 1)]
    text = views.comparison_values(topsectoren.compare(chosen))
    share = with_wageningen / collaborations * 100
    assert text["central"] == (
        f"Voedsel en bio-economie, waar Wageningen aan {with_wageningen} van de "
        f"{collaborations} samenwerkingen deelneemt ({share:.0f}%)"
    )


def test_horizon_europe_joins_horizon_2020_with_the_rate_per_programme():
    from helpers.presentation import topsectoren as views

    data = topsectoren.h2020(2014, 2025)
    assert set(data["programma"]) == {"H2020", "HE"} and data["start_year"].max() == 2025
    # Horizon Europe clusters map to the same themes as the Horizon 2020 parts
    he = data[data["programma"] == "HE"]
    assert set(DEFAULT_THEMES) <= set(he["thema"])
    # Dutch H2020 participations, all start years: at least 84% placed (90% of the amount)
    h2020 = topsectoren.match_rate(data[data["programma"] == "H2020"])
    assert round(h2020.participations) >= 84 and round(h2020.amount) >= 90
    assert topsectoren.match_rate(he).participations > 95  # addresses with every participation
    found = topsectoren.chapter_data("", 2014, 2025, DEFAULT_THEMES)
    text = views.match_periods_text(found)
    assert text.startswith("Horizon 2020 (projecten gestart 2014-2021): ")
    assert "Horizon Europe (projecten gestart 2021-2025): " in text
    he_rate = topsectoren.match_rate(found.data[found.data["programma"] == "HE"])
    assert f"2021-2025): {he_rate.participations:.0f}% van de deelnames" in text


def test_the_valid_start_years_are_those_of_the_data():
    from helpers.build.runner import load_params

    valid = load_params()["topsectoren"].valid
    for param in ("start_year", "end_year"):
        rule = next(r for r in valid[param] if r.get("unless") == "rvo_file")
        assert rule["choices"] == topsectoren.start_years()  # 2014 .. LAST_YEAR (2025)
    assert topsectoren.start_years()[-1] == topsectoren.LAST_YEAR == 2025


def test_cordis_woonplaatsen_get_their_gemeente():
    """CORDIS city names that are woonplaatsen inside a gemeente (Sneek, Heeze: postbus
    postcodes, not in the PC4 table) go through the woonplaats table; woonplaatsen of a
    gemeente that was later divided (Beesd in West Betuwe, 2019) through the alias table."""
    names = nl.boundaries("gemeente", topsectoren.PLACE_YEAR).set_index("code")["name"]
    data = pd.DataFrame(
        {
            "plaats": ["SNEEK", "HEEZE", "BEESD", "METSLAWER", "Nergenshuizen"],
            "plaats_pc4": [pd.NA, pd.NA, "Beesd", "Metslawier", pd.NA],
            "gemeente_pc4": [pd.NA, pd.NA, "West Betuwe", "Noardeast-Fryslân", pd.NA],
        }
    )
    placed = topsectoren.place(data).map(names).tolist()
    assert placed[:4] == ["Súdwest-Fryslân", "Heeze-Leende", "Geldermalsen", "Dongeradeel"]
    assert pd.isna(placed[4])
    unmatched = topsectoren.match_rate(topsectoren.h2020(2014, 2020)).unmatched_places
    assert not {"BEESD", "SNEEK", "HEEZE"} & set(unmatched.index)


def test_unplaced_text_names_the_places_or_says_all_were_placed():
    from helpers.presentation import topsectoren as views

    some = topsectoren.MatchRate(80.0, 90.0, 10, pd.Series({"DELFT": 1}), without_place=1)
    assert views.unplaced_text(some) == (
        "Van de 2 deelnames zonder gemeente hebben er 1 geen adres in het FP7-register of in "
        "Horizon Europe; bij de overige 1 is de plaatsnaam niet herkend of ligt de plaats in een "
        "gemeente die later over meer gemeenten is verdeeld. De vaakst voorkomende zijn Delft (1)."
    )
    none = topsectoren.MatchRate(80.0, 90.0, 10, pd.Series(dtype=int), without_place=2)
    assert views.unplaced_text(none).endswith(
        "; elke plaatsnaam die er wel is, kreeg een gemeente."
    )
    assert views.unplaced_text(topsectoren.MatchRate(100.0, 100.0, 10, pd.Series(dtype=int))) == (
        "Elke deelname kreeg een gemeente."
    )
