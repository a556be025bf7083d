"""Maps: one call gives a static choropleth (print) and an interactive folium map (web).

:func:`choropleth` colours regions either by category (fixed order and colours) or by a
numeric column classed with :mod:`mapclassify`. The static map is drawn with geopandas in an
equal-area projection; the folium map has no basemap tiles, a tooltip per region (name and
formatted values), a metric scale bar and a legend beside (wide) or below (narrow) the map
area, so it never covers a shape, the source line or the scale.

Before drawing, every layer is checked and made drawable (:func:`drawable`): reprojected to
WGS84 (Leaflet takes degrees), refused when its coordinates are not degrees and it declares no
CRS, and its shapes repaired into (Multi)Polygons. :func:`map_figure` shows a map once, as a
numbered figure: in the book the static image is what print and readers without JavaScript
get, and on screen the interactive map (a separate page, loaded when scrolled into view)
takes its place inside the same figure.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import branca
import folium
import geopandas as gpd
import mapclassify
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import shapely
from matplotlib.patches import Patch

from helpers import config
from helpers.presentation import style
from helpers.presentation.status import status_label

EQUAL_AREA_EUROPE = 3035
WGS84 = 4326

# Where interactive maps load Leaflet from in a book build: the book's own copy, relative to a
# map page in ``_static/maps/`` (written by :func:`map_figure`, copied there by
# helpers.build.sphinx_book); with RI_LEAFLET=cdn (config.leaflet_from_cdn), folium's CDN links.
LOCAL_LEAFLET = "../leaflet"

#: Text of a map that has no value to show (all values missing).
NO_DATA = "Geen gegevens"


class MapInputError(ValueError):
    """A layer cannot be drawn as given (no rows, coordinates that are not degrees without a
    CRS, no polygons): the message names the map and says what to change."""


def leaflet_dir() -> Path:
    """Folder of Leaflet 1.9.3 (``leaflet.js``, ``leaflet.css``, ``images/``) from the
    ``XStatic-Leaflet`` package installed with the project."""
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


def use_book_leaflet(fmap: folium.Map) -> folium.Map:
    """Load only Leaflet (JS and CSS): from the book's ``_static`` in a book build, inlined
    into the map's own HTML elsewhere (JupyterLab, plain papermill: works offline), or from
    the CDN with RI_LEAFLET=cdn. The maps here use no jQuery, Bootstrap or marker icons, so
    those links are dropped."""
    if config.leaflet_from_cdn():
        fmap.default_js = [("leaflet", dict(folium.Map.default_js)["leaflet"])]
        fmap.default_css = [("leaflet_css", dict(folium.Map.default_css)["leaflet_css"])]
    elif config.in_book_build():
        fmap.default_js = [("leaflet", f"{LOCAL_LEAFLET}/leaflet.js")]
        fmap.default_css = [("leaflet_css", f"{LOCAL_LEAFLET}/leaflet.css")]
    else:
        fmap.default_js, fmap.default_css = [], []
        folder = leaflet_dir()
        inline = (
            f"<style>{(folder / 'leaflet.css').read_text(encoding='utf-8')}</style>"
            f"<script>{(folder / 'leaflet.js').read_text(encoding='utf-8')}</script>"
        )
        fmap.get_root().header.add_child(folium.Element(inline), name="leaflet_inline", index=0)
    return fmap


# --- layers: degrees, polygons, light ------------------------------------------------------


def to_wgs84(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """``gdf`` in WGS84 (EPSG:4326, longitude/latitude in degrees), the CRS Leaflet draws.

    A layer in a projected CRS is reprojected. A layer without a CRS, or in degrees (a GeoJSON
    file without a ``crs`` member reads as WGS84), must have coordinates within -180..180 and
    -90..90; otherwise (e.g. RD New metres) :class:`MapInputError` names the map ``what`` and
    the bounds and says how to declare the CRS."""
    if gdf.crs is not None and not gdf.crs.is_geographic:
        return gdf.to_crs(WGS84)
    shown = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if len(shown):
        minx, miny, maxx, maxy = shown.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            declared = (
                "declares no CRS"
                if gdf.crs is None
                else f"says its CRS is {gdf.crs.to_string()} (degrees; what a GeoJSON file "
                "without a 'crs' member is read as)"
            )
            raise MapInputError(
                f"map {what!r}: the layer {declared}, but its coordinates are not degrees "
                f"(x {minx:,.0f} to {maxx:,.0f}, y {miny:,.0f} to {maxy:,.0f}); declare the "
                "CRS of the coordinates (for RD New metres: gdf.set_crs(28992, "
                "allow_override=True), or a 'crs' member in the GeoJSON) so the map can be "
                "reprojected to WGS84"
            )
    return gdf.to_crs(WGS84) if gdf.crs is not None else gdf.set_crs(WGS84)


def _polygonal(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """The (Multi)Polygon part of a repaired shape; None for a missing shape or one without
    area (lines, points)."""
    if geom is None or geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    # GeometryCollection (of Multi* too): its polygons, merged
    parts = shapely.get_parts(shapely.get_parts(geom))
    polygons = [part for part in parts if part.geom_type == "Polygon" and not part.is_empty]
    return shapely.union_all(polygons) if polygons else None


def drawable(gdf: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """A copy of ``gdf`` ready to draw: in WGS84 (:func:`to_wgs84`) with every shape a valid
    Polygon or MultiPolygon (invalid shapes repaired with :func:`shapely.make_valid`, the
    polygons of a GeometryCollection kept, lines and points dropped). Rows without a shape stay
    (their values still count) but draw nothing. Raises :class:`MapInputError` naming the map
    ``what`` when the layer has no rows, or none of its shapes has an area."""
    if len(gdf) == 0:
        raise MapInputError(f"map {what!r}: the layer has no rows, so there is nothing to draw")
    out = to_wgs84(gdf.copy(), what)
    geometry = [_polygonal(geom) for geom in out.geometry]
    if all(geom is None for geom in geometry):
        kinds = sorted(set(out.geometry.dropna().geom_type))
        raise MapInputError(
            f"map {what!r}: none of the {len(out)} shapes is a polygon "
            f"(found: {', '.join(kinds) or 'no shapes'}); a map colours areas"
        )
    return out.set_geometry(gpd.GeoSeries(geometry, index=out.index, crs=WGS84))


def _light(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` (WGS84) with coordinates on a grid that no screen shows at the map's zoom: four
    decimals (about 10 m) for a country, three (about 100 m) for a continent; the interactive
    map's HTML is mostly coordinates. A shape that the grid would erase keeps its own."""
    minx, miny, maxx, maxy = gdf.total_bounds
    grid = 1e-4 if max(maxx - minx, maxy - miny) < 15 else 1e-3
    shapes = gdf.geometry.to_numpy()
    rounded = shapely.set_precision(shapes, grid)
    keep = shapely.is_missing(rounded) | shapely.is_empty(rounded)
    return gdf.set_geometry(
        gpd.GeoSeries(np.where(keep, shapes, rounded), index=gdf.index, crs=gdf.crs)
    )


def _view(
    gdf: gpd.GeoDataFrame, bounds: tuple[float, float, float, float] | None, crs: int
) -> list:
    """Leaflet's initial view ``[[south, west], [north, east]]``: the extent of the shapes
    inside the static map's frame ``bounds`` (in ``crs``) when given (e.g. mainland Europe,
    so overseas regions do not set it), else of the whole layer (``gdf`` in WGS84)."""
    shapes = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if bounds is not None:
        inside = shapes.to_crs(crs).clip(shapely.box(*bounds))
        if len(inside):
            shapes = inside.to_crs(WGS84)
    minx, miny, maxx, maxy = shapes.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _classify_bins(valid: pd.Series, scheme: str, k: int, counts: bool) -> np.ndarray:
    """Distinct upper class limits for ``valid`` (classes never merge): each distinct value its
    own class when there are at most ``k``; whole-number limits for counts."""
    distinct = np.unique(valid.to_numpy())
    if len(distinct) <= k:
        return distinct
    with warnings.catch_warnings():
        # mapclassify suggests numba for speed; irrelevant for a few hundred regions
        warnings.filterwarnings("ignore", message="Numba not installed")
        # fewer distinct values than classes: mapclassify lowers k itself (and says so)
        warnings.filterwarnings("ignore", message="Not enough unique values")
        bins = np.asarray(mapclassify.classify(valid.to_numpy(), scheme=scheme, k=k).bins)
    if counts:  # a count <= 12.5 is a count <= 12
        bins = np.floor(bins)
    bins[-1] = distinct[-1]
    return np.unique(bins[bins >= distinct[0]])


#: How far a legend may round the smallest and the largest value (relative): the lowest class
#: of amounts from 0,0123 reads ``0,012 – ...``, never ``0,0 – ...``.
EXTREME_TOLERANCE = 0.05


def _extreme_decimals(value: float, decimals: int) -> int:
    """Decimals (at least ``decimals``) with which ``value``, the smallest or largest value on
    the map, is written within :data:`EXTREME_TOLERANCE` of itself (so a minimum of 0,01 is
    not shown as 0,0)."""
    while decimals < 12 and abs(round(value, decimals) - value) > EXTREME_TOLERANCE * abs(value):
        decimals += 1
    return decimals


def classify(
    values: pd.Series, scheme: str = "quantiles", k: int = 5
) -> tuple[pd.Series, list[str]]:
    """Class labels per value with mapclassify; returns (labels, ordered legend labels).

    At most ``k`` classes, never two with the same limits or the same label: limits are written
    (Dutch, through :func:`helpers.presentation.formatting.fmt_number`) with the fewest decimals
    that tell them apart, counts (whole numbers) without decimals and as non-overlapping ranges
    (``1 – 12``, ``13 – 40``). The lowest class starts at the real smallest value and the
    highest ends at the real largest one, each written with the decimals it needs to be read
    within 5 % (:data:`EXTREME_TOLERANCE`; ``0,012 – 0,2``, not ``0,0 – 0,2``; an exact zero
    as ``0``). Missing values
    get no label (``<NA>``); with no value at all the legend is empty. The numeric limits of
    each class: :func:`class_limits`."""
    labels, limits = class_limits(values, scheme, k)
    return labels, list(limits)


def class_limits(
    values: pd.Series, scheme: str = "quantiles", k: int = 5
) -> tuple[pd.Series, dict[str, tuple[float, float]]]:
    """:func:`classify` with the numbers behind the legend: (labels per value, legend label ->
    (lower, upper) limit of the class, unrounded, in the unit of ``values``, in legend order).
    The lowest class starts at the smallest value; another class starts just above the upper
    limit of the class before it (for counts: at that limit + 1)."""
    from helpers.presentation.formatting import decimals_to_tell_apart, fmt_number

    labels = pd.Series(pd.NA, index=values.index, dtype="object")
    valid = values.dropna().astype(float)
    if valid.empty:
        return labels, {}
    counts = bool((valid % 1 == 0).all())
    bins = _classify_bins(valid, scheme, k, counts)
    if len(bins) == valid.nunique():  # each distinct value its own class: labelled by it
        lows = list(bins)
    elif counts:
        lows = [valid.min(), *(bins[:-1] + 1)]
    else:
        lows = [valid.min(), *bins[:-1]]
    decimals = 0 if counts else max(1, decimals_to_tell_apart([*lows, *bins]))
    while True:  # classes never share a label (they would merge in the legend)
        places = [[decimals, decimals] for _ in lows]  # per class: lower and upper limit
        places[0][0] = 0 if lows[0] == 0 else _extreme_decimals(float(lows[0]), decimals)
        places[-1][1] = _extreme_decimals(float(bins[-1]), decimals)
        legend = []
        for (lo, hi), (lo_places, hi_places) in zip(zip(lows, bins, strict=True), places, strict=True):  # fmt: skip
            low, high = fmt_number(lo, lo_places), fmt_number(hi, hi_places)
            legend.append(high if lo == hi or low == high else f"{low} – {high}")
        if len(set(legend)) == len(legend) or decimals >= 12:
            break
        decimals += 1
    classes = np.searchsorted(bins, valid.to_numpy(), side="left")
    labels.loc[valid.index] = [legend[i] for i in classes]
    limits = {
        label: (float(lo), float(hi)) for label, lo, hi in zip(legend, lows, bins, strict=True)
    }
    return labels, limits


@dataclass
class MapResult:
    """Result of :func:`choropleth`: ``static`` (matplotlib, for print), ``interactive``
    (folium), ``data`` (region, name, value, ``klasse``: what the map shows; for a numeric
    map also ``klasse_van`` and ``klasse_tot``, the class limits as numbers), ``colours``
    (legend label -> colour) and ``empty`` (True when no region has a value: the map says
    "Geen gegevens")."""

    static: plt.Figure
    interactive: folium.Map
    data: pd.DataFrame
    colours: dict[str, str] = field(default_factory=dict)
    empty: bool = False


def choropleth(
    gdf: gpd.GeoDataFrame,
    column: str,
    *,
    name_column: str = "name",
    title: str = "",
    categories: dict[str, str] | None = None,
    scheme: str = "quantiles",
    k: int = 5,
    tooltip: dict[str, str] | None = None,
    legend_title: str = "",
    missing_label: str = NO_DATA,
    projection: int = EQUAL_AREA_EUROPE,
    bounds: tuple[float, float, float, float] | None = None,
    figsize: tuple[float, float] = (8, 8),
    source: str = "",
    status: str = "",
    name: str = "",
) -> MapResult:
    """Static and interactive choropleth from the same data.

    ``gdf`` may be in any CRS (reprojected; without a CRS its coordinates must be degrees) and
    hold invalid shapes or GeometryCollections (repaired, see :func:`drawable`).
    ``categories`` maps category value -> colour (in legend order) for a categorical map;
    otherwise ``column`` is numeric and classed with ``scheme``/``k`` (:func:`classify`).
    ``tooltip`` maps column -> Dutch label for the hover box (values should be pre-formatted
    strings). ``bounds`` (xmin, ymin, xmax, ymax in the map ``projection``) crops the static
    map and is the interactive map's initial view (default: the layer's extent).
    ``source`` is not printed on the static map (the figure's caption line below the image
    gives it, see :func:`helpers.presentation.figures.book_figure`: never twice); the
    interactive map shows it with ``status`` (a key of
    :data:`helpers.presentation.status.STATUSES`) in its attribution line. ``name``
    (default: the legend title, title or column) names the map in errors.

    When no region has a value, both maps show every region as "Geen gegevens" with that
    note on the map (``MapResult.empty``). Raises :class:`MapInputError` for a layer without
    rows, polygons or degrees (see :func:`drawable`), ``KeyError`` for an absent ``column``
    and ``ValueError`` for a category without a colour.
    """
    what = name or legend_title or title or column
    if column not in gdf.columns:
        raise KeyError(f"map {what!r}: no column {column!r}; columns: {', '.join(map(str, gdf.columns))}")  # fmt: skip
    gdf = drawable(gdf, what)
    if categories is not None:
        unknown = set(gdf[column].dropna()) - set(categories)
        if unknown:
            raise ValueError(f"map {what!r}: no colour for categories {sorted(unknown)}")
        gdf["_class"] = gdf[column]
        colours = dict(categories)
    else:
        gdf["_class"], limits = class_limits(gdf[column].astype(float), scheme, k)
        legend = list(limits)
        cmap = plt.get_cmap(style.SEQUENTIAL_CMAP, max(len(legend), 1))
        colours = {label: _hex(cmap(i)) for i, label in enumerate(legend)}
    gdf["_colour"] = gdf["_class"].map(colours).astype("object").fillna(style.MISSING_COLOUR)
    empty = bool(gdf["_class"].isna().all())
    if empty:
        colours, missing_label = {}, NO_DATA
    items = dict(colours)
    if gdf["_class"].isna().any():
        items[missing_label] = style.MISSING_COLOUR
    static = _static(gdf, items, title, legend_title, projection, bounds, figsize, empty)
    interactive = _interactive(
        gdf, name_column, items, tooltip or {}, legend_title, _view(gdf, bounds, projection),
        empty,
    )  # fmt: skip
    _attribute(interactive, source, status)
    data = pd.DataFrame(gdf.drop(columns=["geometry", "_colour"])).rename(
        columns={"_class": "klasse"}
    )
    if categories is None:  # the class limits as numbers too (the CSV keeps those)
        data["klasse_van"] = data["klasse"].map({k: lo for k, (lo, _) in limits.items()})
        data["klasse_tot"] = data["klasse"].map({k: hi for k, (_, hi) in limits.items()})
    return MapResult(static=static, interactive=interactive, data=data, colours=colours, empty=empty)  # fmt: skip


def _hex(rgba: tuple[float, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in rgba[:3]))


def _static_legend(ax: plt.Axes, handles: list, title: str) -> None:
    """The legend beside the map (right of it), so it never covers a region."""
    ax.legend(
        handles=handles, title=title or None, loc="upper left", bbox_to_anchor=(1.0, 1.0),
        frameon=False, fontsize=10, title_fontsize=11, alignment="left",
    )  # fmt: skip


def _static(
    gdf: gpd.GeoDataFrame,
    items: dict[str, str],
    title: str,
    legend_title: str,
    projection: int,
    bounds: tuple[float, float, float, float] | None,
    figsize: tuple[float, float],
    empty: bool,
) -> plt.Figure:
    projected = gdf[~(gdf.geometry.isna() | gdf.geometry.is_empty)].to_crs(projection)
    fig, ax = plt.subplots(figsize=figsize)
    projected.plot(ax=ax, color=projected["_colour"], edgecolor=style.EDGE_COLOUR, linewidth=0.3)
    if bounds is not None:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    ax.set_axis_off()
    handles = [Patch(facecolor=c, edgecolor="#777777", label=label) for label, c in items.items()]
    _static_legend(ax, handles, legend_title)
    if empty:
        ax.text(0.5, 0.5, f"{NO_DATA} voor deze kaart", transform=ax.transAxes, ha="center",
                va="center", fontsize=14, bbox={"facecolor": "white", "edgecolor": "#777777"})  # fmt: skip
    if title:
        ax.set_title(title, loc="left")
    return fig


# The interactive map's page: the map area takes the space the legend leaves (beside it from
# 600 px, below it on narrow screens), so the legend never covers a shape, the attribution
# (bottom right, one line) or the metric scale (bottom left).
_PAGE_STYLE = """<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", sans-serif; }
.folium-map { flex: 1 1 auto; min-height: 0; width: auto !important; height: auto !important; position: relative !important; }
.folium-map.leaflet-container { background: #fff; }
.ri-legend { flex: none; box-sizing: border-box; padding: 6px 10px; background: #fff; border-top: 1px solid #ddd; max-height: 45%; overflow: auto; }
.ri-legend strong { display: block; margin-bottom: 2px; }
.ri-legend .ri-rows { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); column-gap: 10px; }
.ri-legend .ri-key { display: inline-block; width: 14px; height: 14px; border: 1px solid #777; margin-right: 6px; vertical-align: middle; }
.ri-legend .ri-note { margin-top: 4px; font-weight: bold; }
.leaflet-control-attribution { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: calc(100vw - 130px); }
.leaflet-tooltip.ri-place-label { background: none; border: 0; box-shadow: none; padding: 0 2px; font: 11px/1.1 system-ui, sans-serif; color: #222; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.leaflet-tooltip.ri-place-label::before { display: none; }
@media (min-width: 600px) {
  body { flex-direction: row; }
  .ri-legend { width: 200px; max-height: none; border-top: 0; border-left: 1px solid #ddd; }
  .ri-legend .ri-rows { display: block; }
  .leaflet-control-attribution { max-width: calc(100vw - 200px - 130px); }
}
</style>"""


def _page(fmap: folium.Map, view: list) -> folium.Map:
    """Common set-up of an interactive map: page layout (:data:`_PAGE_STYLE`), initial view
    ``view``, a metric scale bar, a short Leaflet credit; ``window.RI_MAP`` is the map (for the
    book's scripts and browser tests)."""
    fmap.get_root().header.add_child(folium.Element(_PAGE_STYLE), name="ri_page_style")
    # room for the zoom buttons (top left) and the scale and attribution line (bottom)
    fmap.fit_bounds(view, padding_top_left=(40, 8), padding_bottom_right=(8, 24))
    macro = branca.element.MacroElement()
    macro._template = branca.element.Template(
        "{% macro script(this, kwargs) %}"
        "L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});"
        "{{ this._parent.get_name() }}.attributionControl.setPrefix("
        "'<a href=\"https://leafletjs.com\">Leaflet</a>');"
        "window.RI_MAP = {{ this._parent.get_name() }};"
        "{% endmacro %}"
    )
    fmap.add_child(macro)
    return fmap


def _new_map(view: list) -> folium.Map:
    fmap = folium.Map(tiles=None, control_scale=False, zoom_snap=0.1, zoom_delta=0.5)
    return _page(use_book_leaflet(fmap), view)


def _interactive(
    gdf: gpd.GeoDataFrame,
    name_column: str,
    items: dict[str, str],
    tooltip: dict[str, str],
    legend_title: str,
    view: list,
    empty: bool,
) -> folium.Map:
    fields = [name_column, *[c for c in tooltip if c != name_column]]
    aliases = ["Regio", *[tooltip[c] for c in fields[1:]]]
    layer = gdf[[*dict.fromkeys([*fields, "_colour"]), "geometry"]].copy()
    layer = _light(layer[~(layer.geometry.isna() | layer.geometry.is_empty)])
    for col in fields:
        layer[col] = layer[col].astype("string").fillna("–")
    fmap = _new_map(view)
    folium.GeoJson(
        layer.to_json(drop_id=True),
        name=legend_title or "kaart",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["_colour"],
            "color": "#ffffff",
            "weight": 0.5,
            "fillOpacity": 0.9,
        },
        highlight_function=lambda feature: {"weight": 2, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(fmap)
    note = f"{NO_DATA} voor deze kaart" if empty else ""
    fmap.get_root().add_child(_legend(legend_title, items, note))
    return fmap


def _attribute(fmap: folium.Map, source: str, status: str) -> None:
    """Source and status in the interactive map's attribution line (bottom right, one line,
    the whole text in its tooltip), where web maps credit their data."""
    parts = [f"Bron: {source}"] if source else []
    if status:
        parts.append(f"Status: {status_label(status)}")
    if not parts:
        return
    macro = branca.element.MacroElement()
    macro._template = branca.element.Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});"
        "{{ this._parent.get_name() }}.attributionControl.getContainer().title = "
        "{{ this.title|tojson }};"
        "{% endmacro %}"
    )
    macro.text = html.escape(" · ".join(parts))
    macro.title = " · ".join(parts)
    fmap.add_child(macro)


def _legend(title: str, items: dict[str, str], note: str = "") -> branca.element.MacroElement:
    """The legend of an interactive map: a block beside or below the map area (never on it)."""
    rows = "".join(
        f'<div><span class="ri-key" style="background:{c}"></span>{html.escape(label)}</div>'
        for label, c in items.items()
    )
    heading = f"<strong>{html.escape(title)}</strong>" if title else ""
    extra = f'<div class="ri-note">{html.escape(note)}</div>' if note else ""
    block = f'<div class="ri-legend">{heading}<div class="ri-rows">{rows}</div>{extra}</div>'
    macro = branca.element.MacroElement()
    macro._template = branca.element.Template(
        "{% macro html(this, kwargs) %}{{ this.block }}{% endmacro %}"
    )
    macro.block = block
    return macro


@dataclass
class NetworkMapResult:
    """Result of :func:`network_map`."""

    static: plt.Figure
    interactive: folium.Map
    nodes: pd.DataFrame  # code, name, x/y (lon/lat), size measure
    edges: pd.DataFrame  # a, b, weight: the links drawn (after the threshold)


def network_map(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    regions: gpd.GeoDataFrame,
    background: gpd.GeoDataFrame,
    *,
    node: str = "gemeente",
    size: str = "strength",
    weight: str = "projecten",
    min_weight: int = 1,
    labels: int = 6,
    title: str = "",
    source: str = "",
    status: str = "",
    tooltip_unit: str = "projecten",
    name: str = "",
) -> NetworkMapResult:
    """Links between places drawn on a map: static (print) and interactive (folium).

    ``nodes`` has a ``node`` code column (matching ``regions.code``), ``naam`` and ``size``;
    ``edges`` has ``a``, ``b`` and ``weight``. Links below ``min_weight`` are left out; line
    width and opacity grow with the weight, so the strong ties stand out; the ``labels``
    largest nodes are named, on both maps (on the interactive one as fixed labels beside their
    circles). ``background`` (e.g. provinces) is drawn underneath and is the interactive map's
    initial view. ``regions`` and ``background`` may be in any CRS (see :func:`drawable`;
    ``name`` names the map in its errors). ``source`` and ``status`` are shown as in
    :func:`choropleth`.
    """
    what = name or title or "netwerkkaart"
    regions = drawable(regions, what)
    background = drawable(background, what)
    points = regions.set_index("code").geometry.representative_point()
    drawn = edges[edges[weight] >= min_weight].copy()
    keep = set(drawn["a"]) | set(drawn["b"])
    shown = nodes[nodes[node].isin(keep | set(nodes.nlargest(labels, size)[node]))].copy()
    shown["lon"] = shown[node].map(points.x)
    shown["lat"] = shown[node].map(points.y)
    max_w = float(drawn[weight].max()) if len(drawn) else 1.0
    max_s = float(shown[size].max()) if len(shown) and shown[size].max() > 0 else 1.0
    named = shown.nlargest(labels, size)

    # static: RD New (EPSG:28992), the Dutch national grid
    fig, ax = plt.subplots(figsize=(7, 8))
    background.to_crs(28992).plot(ax=ax, color="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.5)
    projected = gpd.GeoSeries(points, crs=WGS84).to_crs(28992)
    colour = style.PALETTE["blue"]
    for row in drawn.sort_values(weight).itertuples(index=False):
        a, b, w = row.a, row.b, getattr(row, weight)
        share = w / max_w
        ax.plot(
            [projected[a].x, projected[b].x], [projected[a].y, projected[b].y],
            color=colour, linewidth=0.4 + 3.6 * share, alpha=0.15 + 0.6 * share,
            solid_capstyle="round", zorder=2,
        )  # fmt: skip
    xy = projected.reindex(shown[node])
    ax.scatter(xy.x, xy.y, s=10 + 290 * shown[size].to_numpy() / max_s,
               color=style.PALETTE["orange"], edgecolor="white", linewidth=0.6, zorder=3)  # fmt: skip
    for row in named.itertuples(index=False):
        point = projected[getattr(row, node)]
        ax.annotate(str(row.naam), (point.x, point.y), xytext=(5, 4), textcoords="offset points",
                    fontsize=8, zorder=4)  # fmt: skip
    ax.set_axis_off()
    handles = [
        plt.Line2D(
            [],
            [],
            color=colour,
            linewidth=0.4 + 3.6 * f,
            alpha=0.15 + 0.6 * f,
            label=f"{max(min_weight, round(max_w * f))} {tooltip_unit}",
        )  # fmt: skip
        for f in (0.25, 0.5, 1.0)
    ]
    _static_legend(ax, handles, "Samenwerking")
    if title:
        ax.set_title(title, loc="left")

    # interactive
    fmap = _new_map(_view(background, None, WGS84))
    folium.GeoJson(
        _light(background[["name", "geometry"]]).to_json(drop_id=True),
        style_function=lambda feature: {
            "fillColor": "#f2f2f2", "color": "#bbbbbb", "weight": 0.8, "fillOpacity": 1,
        },
        tooltip=folium.GeoJsonTooltip(fields=["name"], aliases=["Provincie"]),
    ).add_to(fmap)  # fmt: skip
    names = nodes.set_index(node)["naam"]
    for row in drawn.sort_values(weight).itertuples(index=False):
        a, b, w = row.a, row.b, getattr(row, weight)
        share = w / max_w
        folium.PolyLine(
            [(points[a].y, points[a].x), (points[b].y, points[b].x)],
            color=colour, weight=1 + 5 * share, opacity=0.25 + 0.6 * share,
            tooltip=f"{names.get(a, a)} – {names.get(b, b)}: {w} {tooltip_unit}",
        ).add_to(fmap)  # fmt: skip
    for row in shown.itertuples(index=False):
        folium.CircleMarker(
            (row.lat, row.lon), radius=3 + 12 * (getattr(row, size) / max_s) ** 0.5,
            color="white", weight=1, fill=True, fill_color=style.PALETTE["orange"],
            fill_opacity=0.9,
            tooltip=f"{row.naam}: {getattr(row, size)} {tooltip_unit} in samenwerking",
        ).add_to(fmap)  # fmt: skip
    middle = (background.total_bounds[0] + background.total_bounds[2]) / 2
    for row in named.itertuples(index=False):  # the place names of the static map, fixed
        radius = 3 + 12 * (getattr(row, size) / max_s) ** 0.5
        east = row.lon > middle  # named towards the map's middle, so the name stays in view
        folium.CircleMarker(  # an invisible anchor: the circle below keeps its hover text
            (row.lat, row.lon), radius=radius, stroke=False, fill=False, interactive=False,
            tooltip=folium.Tooltip(
                html.escape(str(row.naam)), permanent=True, sticky=False,
                direction="left" if east else "right",
                offset=(-round(radius) if east else round(radius), 0), class_name="ri-place-label",
            ),
        ).add_to(fmap)  # fmt: skip
    fmap.get_root().add_child(
        _legend(
            "Samenwerking",
            {
                f"lijndikte: aantal {tooltip_unit}": colour,
                "cirkel: plaats (grootte: samenwerking)": style.PALETTE["orange"],
            },
        )  # fmt: skip
    )
    _attribute(fmap, source, status)
    return NetworkMapResult(static=fig, interactive=fmap, nodes=shown, edges=drawn)


def _stable_names(fmap: folium.Map) -> None:
    """Number the map's elements in order (folium names them with random ids), so the same map
    gives the same page, byte for byte, at every build."""
    counter = 0

    def walk(element: branca.element.Element) -> None:
        nonlocal counter
        element._id = f"{counter:04d}"
        counter += 1
        for child in element._children.values():
            walk(child)

    root = fmap.get_root()
    walk(root)
    for part in (root.header, root.html, root.script):
        walk(part)


def map_page(result: MapResult | NetworkMapResult) -> str:
    """The interactive map as a standalone HTML page (Leaflet from ``../leaflet`` in a book
    build: the page lives in the book's ``_static/maps/``), with stable element names."""
    _stable_names(result.interactive)
    return result.interactive.get_root().render()


def map_figure(
    result: MapResult | NetworkMapResult,
    *,
    chapter: str,
    name: str,
    caption: str,
    alt: str,
    source: str,
    status: str,
    data: pd.DataFrame | None = None,
) -> None:
    """Show a map once, as a numbered figure with caption, status, source and CSV download
    (``data``, default: what the map shows; a numeric map's classes as their limits,
    ``klasse_van`` and ``klasse_tot``, not as the Dutch legend text).

    In a book build (``RI_BOOK_PAGE``) the figure is the static map (what print, the PDF and
    readers without JavaScript get) and the interactive map is written beside it as its own
    page, ``_assets/<chapter>/<name>.html``; the book's ``ri-maps.js`` (helpers.build:
    sphinx_book, which copies the page to ``_static/maps/<chapter>-<name>.html``) puts it in
    place of the image on screen, inside the same figure, loaded when scrolled into view.
    Elsewhere (JupyterLab) the figure is followed by the interactive map itself.

    Displays the figure; returns nothing, so it can close a cell. Raises ``ValueError`` when
    the data behind the map are not known (a network map needs ``data=``).
    """
    from IPython.display import display

    from helpers.presentation.figures import asset_path, book_figure, map_key

    shown = data if data is not None else getattr(result, "data", None)
    if shown is None:
        raise ValueError(f"map {name!r}: pass the data behind the map as data=")
    if {"klasse", "klasse_van", "klasse_tot"} <= set(shown.columns):
        shown = shown.drop(columns="klasse")  # the CSV has the class limits as numbers
    interactive = config.in_book_build()
    if interactive:
        asset_path(chapter, name, ".html").write_text(map_page(result), encoding="utf-8")
    item = book_figure(
        result.static, chapter=chapter, name=name, caption=caption, alt=alt, source=source,
        data=shown, status=status, interactive=map_key(chapter, name) if interactive else "",
    )  # fmt: skip
    display(item)
    if not interactive:
        display(result.interactive)
