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
