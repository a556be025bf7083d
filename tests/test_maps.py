"""Maps never blank silently and are shown once (issues 14 and 15).

Field cases (``tests/fixtures/field_cases``): ``05-rd-new-geometry`` (three provinces in RD New
metres, as a GeoJSON file without a ``crs`` member and with one) and ``08-small-amounts`` (MIT
amounts of 0,01-0,2 mln per gemeente). Besides: repaired shapes, all-missing values, the
interactive map's layout and initial view, and one numbered figure per map in the book."""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
import shapely

from helpers import config
from helpers.presentation import maps
from helpers.presentation.maps import MapInputError, choropleth, classify, network_map

FIELD = Path(__file__).parent / "fixtures" / "field_cases"
RD_NEW = FIELD / "05-rd-new-geometry" / "provincie_2023_rd_3.geojson"
SMALL_AMOUNTS = FIELD / "08-small-amounts" / "rvo_mit_plain.csv"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _features(fmap) -> list[dict]:
    """The GeoJSON features the interactive map draws (its first GeoJson layer)."""
    from folium import GeoJson

    layers = [c for c in fmap._children.values() if isinstance(c, GeoJson)]
    return layers[0].data["features"]


def _view(fmap) -> list[list[float]]:
    """The initial view [[south, west], [north, east]] the map fits."""
    from folium.map import FitBounds

    return next(c for c in fmap._children.values() if isinstance(c, FitBounds)).bounds


def _with_crs(tmp_path: Path) -> Path:
    data = json.loads(RD_NEW.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}
    path = tmp_path / "provincie_rd_crs.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _provinces(path: Path) -> gpd.GeoDataFrame:
    gdf = gpd.read_file(path)
    return gdf.assign(name=gdf["statnaam"], waarde=[1.0, 2.0, 3.0])


# --- 05: RD New geometry -------------------------------------------------------------------


def test_rd_new_geometry_with_its_crs_is_drawn_in_degrees(tmp_path):
    gdf = _provinces(_with_crs(tmp_path))
    assert gdf.crs.to_epsg() == 28992
    result = choropleth(gdf, "waarde", projection=28992, legend_title="Waarde")
    shapes = [shapely.geometry.shape(f["geometry"]) for f in _features(result.interactive)]
    coords = np.array([xy for shape in shapes for xy in shape.exterior.coords])
    # Drenthe, Flevoland, Utrecht: in the Netherlands, in degrees
    assert 4.5 < coords[:, 0].min() and coords[:, 0].max() < 7.3, coords[:, 0]
    assert 51.9 < coords[:, 1].min() and coords[:, 1].max() < 53.3, coords[:, 1]
    (south, west), (north, east) = _view(result.interactive)
    assert 51.9 < south < north < 53.3 and 4.5 < west < east < 7.3
    # the static map in RD New metres shows the shapes (not a blank frame)
    xmin, xmax = result.static.axes[0].get_xlim()
    assert 130_000 < xmin < xmax < 280_000


@pytest.mark.parametrize("declared", ["geojson default", "none"])
def test_rd_new_geometry_without_its_crs_is_an_error_naming_the_map(declared):
    gdf = _provinces(RD_NEW)  # read as WGS84: a GeoJSON file without a 'crs' member
    if declared == "none":
        gdf = gdf.set_crs(None, allow_override=True)
    with pytest.raises(MapInputError, match=r"map 'provincies-rd'.*not degrees.*28992"):
        choropleth(gdf, "waarde", name="provincies-rd")
    with pytest.raises(MapInputError, match=r"map 'netwerk-rd'.*not degrees"):
        network_map(
            pd.DataFrame({"gemeente": ["PV22"], "naam": ["Drenthe"], "strength": [1]}),
            pd.DataFrame({"a": ["PV22"], "b": ["PV22"], "projecten": [1]}),
            gdf.rename(columns={"statcode": "code"}), gdf, name="netwerk-rd",
        )  # fmt: skip


# --- shapes --------------------------------------------------------------------------------


def test_invalid_shapes_and_geometry_collections_become_polygons():
    bowtie = shapely.Polygon([(5, 52), (6, 53), (6, 52), (5, 53), (5, 52)])  # self-crossing
    collection = shapely.GeometryCollection(
        [shapely.box(4, 51, 4.5, 51.5), shapely.LineString([(4, 51), (5, 52)])]
    )
    gdf = gpd.GeoDataFrame(
        {"name": ["a", "b", "c"], "waarde": [1.0, 2.0, 3.0]},
        geometry=[bowtie, collection, shapely.box(6, 51, 6.5, 51.5)],
        crs=4326,
    )
    assert not gdf.is_valid.all()
    drawn = maps.drawable(gdf, "test")
    assert set(drawn.geom_type) <= {"Polygon", "MultiPolygon"} and drawn.is_valid.all()
    assert drawn.geometry.iloc[0].area == pytest.approx(0.5)  # both halves of the bow tie
    result = choropleth(gdf, "waarde", k=3)
    kinds = {f["geometry"]["type"] for f in _features(result.interactive)}
    assert kinds <= {"Polygon", "MultiPolygon"} and len(_features(result.interactive)) == 3


def test_a_layer_without_rows_or_polygons_is_an_error_naming_the_map():
    empty = gpd.GeoDataFrame({"name": [], "waarde": []}, geometry=[], crs=4326)
    with pytest.raises(MapInputError, match=r"map 'leeg'.*no rows"):
        choropleth(empty, "waarde", name="leeg")
    lines = gpd.GeoDataFrame(
        {"name": ["a"], "waarde": [1.0]},
        geometry=[shapely.LineString([(4, 51), (5, 52)])],
        crs=4326,
    )
    with pytest.raises(MapInputError, match=r"map 'lijnen'.*LineString"):
        choropleth(lines, "waarde", name="lijnen")


def _squares(values: list[float]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"r{i}" for i in range(len(values))], "waarde": values},
        geometry=[shapely.box(4 + i * 0.1, 52, 4.09 + i * 0.1, 52.09) for i in range(len(values))],
        crs=4326,
    )


def test_all_missing_values_give_a_clear_no_data_map():
    result = choropleth(_squares([np.nan] * 4), "waarde", legend_title="Startups")
    assert result.empty and result.colours == {}
    legend = [t.get_text() for t in result.static.axes[0].get_legend().get_texts()]
    assert legend == ["Geen gegevens"]
    notes = [t.get_text() for t in result.static.axes[0].texts]
    assert "Geen gegevens voor deze kaart" in notes
    page = result.interactive.get_root().render()
    assert "Geen gegevens voor deze kaart" in page
    rows = re.findall(r'class="ri-key"[^>]*></span>([^<]*)<', page)
    assert rows == ["Geen gegevens"]  # no "–" or "- - -" classes


# --- 08: small amounts, classes ------------------------------------------------------------


def test_small_amounts_get_distinct_labels_and_one_colour_per_class():
    rows = pd.read_csv(SMALL_AMOUNTS)
    mln = rows.groupby("plaats")["bedrag"].sum() / 1e6
    assert mln.max() < 0.25  # the field case: 0,01-0,2 mln per place
    for scheme in ("quantiles", "naturalbreaks", "equalinterval"):
        labels, legend = classify(mln, scheme, k=5)
        assert len(legend) == 5 and len(set(legend)) == 5, (scheme, legend)
        assert set(labels) == set(legend), scheme  # every class is used
        assert all(re.fullmatch(r"0,\d+( – 0,\d+)?", label) for label in legend), legend
    result = choropleth(_squares(mln.tolist()), "waarde", k=5, legend_title="mln euro")
    assert len(set(result.colours.values())) == len(result.colours) == 5
    shown = [t.get_text() for t in result.static.axes[0].get_legend().get_texts()]
    assert shown == list(result.colours)


def test_classes_never_merge_with_ties_and_counts_have_no_decimals():
    values = pd.Series([1] * 6 + [2, 3, 4, 5, 6, 7, 100])
    labels, legend = classify(values, "quantiles", k=5)
    assert len(set(legend)) == len(legend) and set(labels) == set(legend), legend
    assert not any("," in label for label in legend), legend
    _, few = classify(pd.Series([0.5, 0.7, 0.7]), k=5)
    assert few == ["0,5", "0,7"]
    labels, legend = classify(pd.Series([np.nan, np.nan]))
    assert legend == [] and labels.isna().all()


# --- the interactive map: layout, view, labels ---------------------------------------------


def test_interactive_map_has_metric_scale_and_legend_beside_the_map(tmp_path):
    result = choropleth(_provinces(_with_crs(tmp_path)), "waarde", source="CBS", status="nieuw")
    page = result.interactive.get_root().render()
    assert "L.control.scale({imperial: false})" in page and "L.control.scale()" not in page
    # the legend is a block of the page beside/below the map area, not a control on it
    assert re.search(r'</div>\s*<div class="ri-legend">', page)
    assert "position:absolute" not in page.split('class="ri-legend"')[1][:200]
    assert "text-overflow: ellipsis" in page  # attribution: one line


def test_europe_map_opens_on_mainland_europe():
    from helpers.presentation.europa import EUROPE_BOUNDS

    regions = _squares([1.0, 2.0, 3.0, 4.0, 5.0])
    # Réunion and French Guiana (overseas) must not set the view; Portugal, Norway's north
    # cape and Greece do
    regions["geometry"] = [
        shapely.box(55, -21.4, 55.8, -20.9), shapely.box(-54.6, 2.1, -51.6, 5.8),
        shapely.box(-9.6, 37, -6, 42), shapely.box(20, 65, 28, 71.2), shapely.box(20, 36.4, 26, 41),
    ]  # fmt: skip
    result = choropleth(regions, "waarde", bounds=EUROPE_BOUNDS)
    (south, west), (north, east) = _view(result.interactive)
    lisbon, north_cape, athens, copenhagen = (38.7, -9.5), (71.1, 25.8), (37.9, 23.7), (55.7, 12.6)
    for lat, lon in (lisbon, north_cape, athens, copenhagen):
        assert south <= lat <= north and west <= lon <= east, (lat, lon)
    assert west > -12 and east < 30 and south > 35  # mainland, not the world


def test_network_map_names_its_top_places_on_the_interactive_map():
    regions = _squares([1.0, 2.0, 3.0]).rename(columns={"name": "naam"})
    regions = regions.assign(code=["GM1", "GM2", "GM3"], name=regions["naam"])
    nodes = pd.DataFrame({"gemeente": ["GM1", "GM2", "GM3"], "naam": ["Eindhoven", "Delft", "Ede"],
                          "strength": [10, 5, 1]})  # fmt: skip
    edges = pd.DataFrame({"a": ["GM1", "GM1"], "b": ["GM2", "GM3"], "projecten": [4, 1]})
    result = network_map(nodes, edges, regions, regions, labels=2)
    page = result.interactive.get_root().render()
    labels = re.findall(
        r'bindTooltip\(\s*`<div>\s*(\w+)\s*</div>`,\s*\{[^}]*"permanent": true', page
    )
    assert labels == ["Eindhoven", "Delft"]
    assert "L.control.scale({imperial: false})" in page


# --- one figure per map --------------------------------------------------------------------


def _shown(monkeypatch) -> list:
    shown: list = []
    monkeypatch.setattr("IPython.display.display", lambda *items: shown.extend(items))
    return shown


def test_map_figure_in_the_book_is_one_numbered_figure_with_its_interactive_page(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(config.BOOK_PAGE_ENV, "1")
    monkeypatch.delenv(config.LEAFLET_ENV, raising=False)
    shown = _shown(monkeypatch)
    kwargs = {"chapter": "rd", "name": "kaart-1", "caption": "R&D per provincie",
              "alt": "Kaart van drie provincies", "source": "CBS", "status": "nieuw"}  # fmt: skip
    maps.map_figure(choropleth(_squares([1.0, 2.0, 3.0]), "waarde"), **kwargs)
    assert len(shown) == 1  # the figure only: no second (unnumbered) map
    markdown = shown[0]._repr_mimebundle_()["text/markdown"]
    assert markdown.count("```{figure}") == 1 and ":name: fig-rd-kaart-1" in markdown
    assert ":figclass: ri-map" in markdown and ":loading: lazy" in markdown
    assert re.search(r'<iframe class="ri-map-frame" data-leaflet-map="rd-kaart-1" ', markdown)
    page = tmp_path / "_assets" / "rd" / "kaart-1.html"
    text = page.read_text(encoding="utf-8")
    assert '<script src="../leaflet/leaflet.js">' in text and "cdn" not in text
    assert "Trust" not in text and "window.RI_MAP" in text
    # the same map gives the same page (no random element names)
    maps.map_figure(choropleth(_squares([1.0, 2.0, 3.0]), "waarde"), **kwargs)
    assert page.read_text(encoding="utf-8") == text


def test_map_figure_in_jupyterlab_shows_the_interactive_map_itself(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(config.BOOK_PAGE_ENV, raising=False)
    shown = _shown(monkeypatch)
    maps.map_figure(
        choropleth(_squares([1.0, 2.0, 3.0]), "waarde"), chapter="rd", name="kaart-1",
        caption="R&D", alt="Kaart", source="CBS", status="nieuw",
    )  # fmt: skip
    assert len(shown) == 2 and "L.map(" in shown[1]._repr_html_()
    assert "ri-map-frame" not in shown[0]._repr_mimebundle_()["text/markdown"]
    assert not (tmp_path / "_assets" / "rd" / "kaart-1.html").exists()


def test_the_book_build_copies_the_map_pages(tmp_path):
    from helpers.build.sphinx_book import map_pages

    page = tmp_path / "book" / "_generated" / "_assets" / "rd" / "kaart-1.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html></html>")
    (page.parent / "kaart-1.png").write_bytes(b"")
    assert map_pages(tmp_path) == {"rd-kaart-1.html": page}


# --- issue 15: the source printed once, class limits as they are, the CSV -------------------


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.texts] + [t.get_text() for a in fig.axes for t in a.texts]


def test_static_maps_leave_the_source_to_the_caption():
    result = choropleth(_squares([1.0, 2.0, 3.0]), "waarde", source="CBS", status="nieuw")
    assert not [t for t in _texts(result.static) if "CBS" in t or "Bron" in t]
    assert "Bron: CBS" in result.interactive.get_root().render()  # the web map credits it
    nodes = pd.DataFrame({"gemeente": ["r0", "r1"], "naam": ["A", "B"], "strength": [2, 1]})
    edges = pd.DataFrame({"a": ["r0"], "b": ["r1"], "projecten": [2]})
    regions = _squares([1.0, 2.0]).rename(columns={"name": "code"}).assign(name=["A", "B"])
    network = network_map(nodes, edges, regions, regions, source="CORDIS")
    assert not [t for t in _texts(network.static) if "CORDIS" in t or "Bron" in t]


def test_lowest_class_starts_at_the_real_smallest_value():
    amounts = pd.Series([0.0123, 0.05, 0.1, 0.2, 0.3, 0.6, 1.2, 4.4, 12.0, 127.547])
    labels, limits = maps.class_limits(amounts, "quantiles", k=5)
    legend = list(limits)
    assert legend[0].startswith("0,012 – "), legend  # not "0,0 – 0,1"
    assert legend[-1].endswith(" – 127,5"), legend
    assert limits[legend[0]][0] == 0.0123 and limits[legend[-1]][1] == 127.547
    assert classify(amounts, "quantiles", k=5)[1] == legend
    with_zero = classify(pd.Series([0.0, 0.01, 0.05, 0.2, 0.6, 1.2, 4.4, 127.5]), k=4)[1]
    assert with_zero[0].startswith("0 – "), with_zero  # an exact zero: "0"


def test_map_csv_has_the_class_limits_as_numbers_not_the_legend_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(config.BOOK_PAGE_ENV, "1")
    _shown(monkeypatch)
    values = [120.0, 450.5, 1367.25, 2000.0, 35000.0]
    result = choropleth(_squares(values), "waarde", k=3)
    data = result.data.assign(waarde_txt=["120", "450,5", "1.367", "2.000", "35.000"])
    maps.map_figure(result, chapter="rd", name="kaart-csv", caption="c", alt="a",
                    source="CBS", status="nieuw", data=data)  # fmt: skip
    read = pd.read_csv(tmp_path / "_assets" / "rd" / "kaart-csv.csv")
    assert list(read.columns) == ["name", "waarde", "klasse_van", "klasse_tot"]
    assert read["waarde"].tolist() == values
    assert read["klasse_van"].iloc[0] == 120.0 and read["klasse_tot"].iloc[-1] == 35000.0
    assert (read["klasse_van"] <= read["waarde"]).all()
    assert (read["waarde"] <= read["klasse_tot"]).all()
