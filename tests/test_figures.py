import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.presentation import figures  # noqa: E402


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_book_figure_writes_image_and_data_and_carries_source_and_alt(in_tmp):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    data = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    item = figures.book_figure(fig, chapter="Test", name="Mijn figuur", caption="Titel",
                               source="CBS", alt="Een lijn die stijgt", data=data,
                               status="origineel")  # fmt: skip
    png, csv = item.files
    assert (in_tmp / png).stat().st_size > 1000
    assert pd.read_csv(in_tmp / csv).equals(data)
    bundle = item._repr_mimebundle_()  # the IPython display protocol
    md = bundle["text/markdown"]
    assert '<img src="_assets/test/mijn-figuur.png"' in bundle["text/html"]
    assert "Status: origineel" in bundle["text/html"] and "Bron: CBS." in bundle["text/html"]
    assert md.startswith("```{figure} _assets/test/mijn-figuur.png")
    assert ":alt: Een lijn die stijgt" in md and ":name: fig-test-mijn-figuur" in md
    assert "Bron: CBS." in md and "{download}" in md


@pytest.mark.parametrize(
    "missing, message", [({"alt": " "}, "alt text"), ({"source": ""}, "source")]
)
def test_book_figure_requires_alt_text_and_source(in_tmp, missing, message):
    fig, _ = plt.subplots()
    given = dict(chapter="t", name="f", caption="c", source="CBS", alt="a", status="origineel")
    with pytest.raises(ValueError, match=message):
        figures.book_figure(fig, data=pd.DataFrame(), **{**given, **missing})


def test_book_table_is_a_numbered_myst_table(in_tmp):
    table = pd.DataFrame({"Provincie": ["Utrecht"], "Score": ["136,6"]})
    item = figures.book_table(
        table, chapter="europa", name="t1", caption="Tabel", source="EC", status="gepubliceerd"
    )
    md = item.markdown
    assert "```{table} Tabel" in md and ":name: tab-europa-t1" in md
    assert "| Utrecht | 136,6 |" in md and "|:--|--:|" in md and "Bron: EC." in md


# --- issue 15: CSV downloads machine-readable and described, light PNGs --------------------


def test_csv_keeps_full_values_and_the_line_says_what_each_column_holds(in_tmp):
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    data = pd.DataFrame(
        {
            "code": ["GM0344", "GM0363"],
            "hbo_wo_pct": [44.31234567891, 1234567.5],
            "pct_txt": ["44,3%", "1.234.567,5%"],  # the hover text: not in the CSV
            "knooppunten": [["Utrecht", "Delft"], ["Amsterdam"]],
            "eigen": [1, 2],
        }
    )
    item = figures.book_figure(
        fig, chapter="hoogopgeleiden", name="kaart", caption="Titel", source="CBS",
        alt="Kaart", data=data, status="origineel", columns={"eigen": "eigen kolom (aantal)"},
    )  # fmt: skip
    _, csv = item.files
    text = (in_tmp / csv).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "code,hbo_wo_pct,knooppunten,eigen"
    assert "1.234.567" not in text and "44,3" not in text  # no Dutch formatting
    read = pd.read_csv(in_tmp / csv)  # plain CSV: no options needed
    assert read["hbo_wo_pct"].tolist() == [44.31234567891, 1234567.5]  # full values
    assert read["knooppunten"].tolist() == ["Utrecht; Delft", "Amsterdam"]
    md = item.markdown
    line = md.split("{download}")[1]
    assert '<span class="ri-csv-columns">. Kolommen: `code`: CBS-code van de gemeente' in line
    assert "`hbo_wo_pct`: hoogopgeleiden (hbo/wo) als % van de bevolking van 15-75 jaar" in line
    assert "`eigen`: eigen kolom (aantal)." in line and "pct_txt" not in line
    table = figures.book_table(
        pd.DataFrame({"Provincie": ["Utrecht"], "Score": ["136,6"]}), chapter="europa",
        name="t1", caption="Tabel", source="EC", status="origineel",
        data=pd.DataFrame({"provincie": ["Utrecht"], "score_eu": [136.5999]}),
    )  # fmt: skip
    assert pd.read_csv(in_tmp / table.files[0])["score_eu"].tolist() == [136.5999]
    assert "`score_eu`: RIS-score ten opzichte van de EU in hetzelfde jaar (EU = 100)" in (
        table.markdown
    )


def test_figures_are_saved_as_cropped_palette_pngs(in_tmp):
    from PIL import Image, ImageChops

    fig, ax = plt.subplots(figsize=(8, 8))
    ax.bar(["a", "b"], [1, 2], color=["#0072B2", "#E69F00"])
    item = figures.book_figure(
        fig, chapter="t", name="staaf", caption="c", source="CBS", alt="a",
        data=pd.DataFrame({"x": [1]}), status="origineel",
    )  # fmt: skip
    image = Image.open(in_tmp / item.files[0])
    assert image.mode == "P"  # a palette: about a third of the full-colour file
    rgb = image.convert("RGB")
    assert rgb.getpixel((0, 0)) == (255, 255, 255)  # white stays white
    # cropped to what the figure draws: a margin of a few pixels, not matplotlib's 10 %
    white = Image.new("RGB", rgb.size, "white")
    left, top, right, bottom = ImageChops.difference(rgb, white).getbbox()
    assert max(left, top, rgb.width - right, rgb.height - bottom) <= 12
