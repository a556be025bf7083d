"""Maps: one call gives a static choropleth (print) and an interactive folium map (web).

:func:`choropleth` colours regions either by category (fixed order and colours) or by a
numeric column classed with :mod:`mapclassify`. The static map is drawn with geopandas in a
equal-area projection; the folium map has no basemap tiles, a tooltip per region (name and
formatted values) and a legend.
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
import pandas as pd
from matplotlib.patches import Patch

from helpers import config
from helpers.presentation import style
from helpers.presentation.status import status_label

EQUAL_AREA_EUROPE = 3035

# Where interactive maps load Leaflet from: the book's own copy (default; relative to a
# chapter page in book/_generated/, copied by helpers.build.sphinx_book) or, with
# RI_LEAFLET=cdn (config.leaflet_from_cdn), folium's CDN links.
LOCAL_LEAFLET = "../../_static/leaflet"


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


@dataclass
class MapResult:
    """Result of :func:`choropleth`."""

    static: plt.Figure
    interactive: folium.Map
    data: pd.DataFrame  # region, name, value, class: what the map shows
    colours: dict[str, str] = field(default_factory=dict)


def classify(
    values: pd.Series, scheme: str = "quantiles", k: int = 5
) -> tuple[pd.Series, list[str]]:
    """Class labels per value with mapclassify; returns (labels, ordered legend labels)."""
    from helpers.presentation.formatting import decimals_to_tell_apart, fmt_number

    valid = values.dropna()
    with warnings.catch_warnings():
        # mapclassify suggests numba for speed; irrelevant for a few hundred regions
        warnings.filterwarnings("ignore", message="Numba not installed")
        classifier = mapclassify.classify(valid.to_numpy(), scheme=scheme, k=k)
    bins = list(classifier.bins)
    lows = [valid.min(), *bins[:-1]]
    counts = bool((valid % 1 == 0).all())  # whole numbers: limits without decimals
    decimals = 0 if counts else max(1, decimals_to_tell_apart([*lows, *bins]))
    while True:  # classes never share a label (they would merge in the legend)
        legend = [
            f"{fmt_number(lo, decimals)} – {fmt_number(hi, decimals)}"
            for lo, hi in zip(lows, bins, strict=True)
        ]
        if len(set(legend)) == len(legend) or decimals >= 6:
            break
        decimals += 1
    labels = pd.Series(pd.NA, index=values.index, dtype="object")
    labels.loc[valid.index] = [legend[i] for i in classifier.yb]
    return labels, legend


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
    missing_label: str = "Geen gegevens",
    projection: int = EQUAL_AREA_EUROPE,
    bounds: tuple[float, float, float, float] | None = None,
    figsize: tuple[float, float] = (8, 8),
    source: str = "",
    status: str = "",
) -> MapResult:
    """Static and interactive choropleth from the same data.

    ``categories`` maps category value -> colour (in legend order) for a categorical map;
    otherwise ``column`` is numeric and classed with ``scheme``/``k``. ``tooltip`` maps
    column -> Dutch label for the hover box (values should be pre-formatted strings).
    ``bounds`` (xmin, ymin, xmax, ymax in the map ``projection``) crops the static map.
    ``source`` is printed on the static map; the interactive map shows it with ``status`` (a
    key of :data:`helpers.presentation.status.STATUSES`) in its attribution line.
    """
    gdf = gdf.copy()
    if categories is not None:
        unknown = set(gdf[column].dropna()) - set(categories)
        if unknown:
            raise ValueError(f"choropleth: no colour for categories {sorted(unknown)}")
        gdf["_class"] = gdf[column]
        colours = dict(categories)
    else:
        gdf["_class"], legend = classify(gdf[column].astype(float), scheme, k)
        cmap = plt.get_cmap(style.SEQUENTIAL_CMAP, len(legend))
        colours = {label: _hex(cmap(i)) for i, label in enumerate(legend)}
    gdf["_colour"] = gdf["_class"].map(colours).fillna(style.MISSING_COLOUR)
    has_missing = gdf["_class"].isna().any()

    static = _static(
        gdf,
        colours,
        has_missing,
        missing_label,
        title,
        legend_title,
        projection,
        bounds,
        figsize,
        source,
    )
    interactive = _interactive(
        gdf, name_column, colours, has_missing, missing_label, tooltip or {}, legend_title
    )
    _attribute(interactive, source, status)
    data = pd.DataFrame(gdf.drop(columns=["geometry", "_colour"])).rename(
        columns={"_class": "klasse"}
    )
    return MapResult(static=static, interactive=interactive, data=data, colours=colours)


def _hex(rgba: tuple[float, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(round(c * 255) for c in rgba[:3]))


def _static(
    gdf: gpd.GeoDataFrame,
    colours: dict[str, str],
    has_missing: bool,
    missing_label: str,
    title: str,
    legend_title: str,
    projection: int,
    bounds: tuple[float, float, float, float] | None,
    figsize: tuple[float, float],
    source: str,
) -> plt.Figure:
    projected = gdf.to_crs(projection)
    fig, ax = plt.subplots(figsize=figsize)
    projected.plot(ax=ax, color=projected["_colour"], edgecolor=style.EDGE_COLOUR, linewidth=0.3)
    if bounds is not None:
        ax.set_xlim(bounds[0], bounds[2])
        ax.set_ylim(bounds[1], bounds[3])
    ax.set_axis_off()
    handles = [Patch(facecolor=c, edgecolor="#777777", label=label) for label, c in colours.items()]
    if has_missing:
        handles.append(
            Patch(facecolor=style.MISSING_COLOUR, edgecolor="#777777", label=missing_label)
        )
    ax.legend(
        handles=handles, title=legend_title or None, loc="upper left", frameon=True, fontsize=8
    )
    if title:
        ax.set_title(title, loc="left")
    if source:
        fig.text(0.01, 0.01, f"Bron: {source}", fontsize=7, color="#444444")
    return fig


def _interactive(
    gdf: gpd.GeoDataFrame,
    name_column: str,
    colours: dict[str, str],
    has_missing: bool,
    missing_label: str,
    tooltip: dict[str, str],
    legend_title: str,
) -> folium.Map:
    fields = [name_column, *[c for c in tooltip if c != name_column]]
    aliases = ["Regio", *[tooltip[c] for c in fields[1:]]]
    layer = gdf[[*dict.fromkeys([*fields, "_colour"]), "geometry"]].copy()
    for col in fields:
        layer[col] = layer[col].astype("string").fillna("–")
    minx, miny, maxx, maxy = layer.total_bounds
    fmap = use_book_leaflet(
        folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.25)
    )
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
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
    items = dict(colours)
    if has_missing:
        items[missing_label] = style.MISSING_COLOUR
    fmap.get_root().add_child(_legend(legend_title, items))
    return fmap


def _attribute(fmap: folium.Map, source: str, status: str) -> None:
    """Source and status in the interactive map's attribution line (bottom right), where web
    maps credit their data."""
    parts = [f"Bron: {source}"] if source else []
    if status:
        parts.append(f"Status: {status_label(status)}")
    if not parts:
        return
    macro = branca.element.MacroElement()
    macro._template = branca.element.Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});"
        "{% endmacro %}"
    )
    macro.text = html.escape(" · ".join(parts))
    fmap.add_child(macro)


def _legend(title: str, items: dict[str, str]) -> branca.element.MacroElement:
    rows = "".join(
        f'<div><span style="display:inline-block;width:14px;height:14px;background:{c};'
        f'border:1px solid #777;margin-right:6px;vertical-align:middle"></span>{label}</div>'
        for label, c in items.items()
    )
    html = (
        '<div class="ri-legend" style="position:absolute;bottom:12px;left:12px;z-index:9999;'
        "background:rgba(255,255,255,.92);padding:6px 8px;border:1px solid #999;"
        f'font:12px sans-serif"><strong>{title}</strong>{rows}</div>'
    )
    macro = branca.element.MacroElement()
    macro._template = branca.element.Template(
        "{% macro html(this, kwargs) %}" + html + "{% endmacro %}"
    )
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
) -> NetworkMapResult:
    """Links between places drawn on a map: static (print) and interactive (folium).

    ``nodes`` has a ``node`` code column (matching ``regions.code``), ``naam`` and ``size``;
    ``edges`` has ``a``, ``b`` and ``weight``. Links below ``min_weight`` are left out; line
    width and opacity grow with the weight, so the strong ties stand out; the ``labels``
    largest nodes are named. ``background`` (e.g. provinces) is drawn underneath. ``source``
    and ``status`` are shown as in :func:`choropleth`.
    """
    points = regions.set_index("code").geometry.representative_point()
    drawn = edges[edges[weight] >= min_weight].copy()
    keep = set(drawn["a"]) | set(drawn["b"])
    shown = nodes[nodes[node].isin(keep | set(nodes.nlargest(labels, size)[node]))].copy()
    shown["lon"] = shown[node].map(points.x)
    shown["lat"] = shown[node].map(points.y)
    max_w = float(drawn[weight].max()) if len(drawn) else 1.0
    max_s = float(shown[size].max()) if len(shown) and shown[size].max() > 0 else 1.0

    # static: RD New (EPSG:28992), the Dutch national grid
    fig, ax = plt.subplots(figsize=(7, 8))
    background.to_crs(28992).plot(ax=ax, color="#f2f2f2", edgecolor="#bbbbbb", linewidth=0.5)
    projected = gpd.GeoSeries(points, crs=regions.crs).to_crs(28992)
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
    for row in shown.nlargest(labels, size).itertuples(index=False):
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
    ax.legend(handles=handles, title="Samenwerking", loc="upper left", fontsize=8)
    if title:
        ax.set_title(title, loc="left")
    if source:
        fig.text(0.01, 0.01, f"Bron: {source}", fontsize=7, color="#444444")

    # interactive
    bounds = background.to_crs(4326).total_bounds
    fmap = use_book_leaflet(folium.Map(tiles=None, control_scale=True, zoom_snap=0.25))
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    folium.GeoJson(
        background.to_crs(4326)[["name", "geometry"]].to_json(drop_id=True),
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
    """Show a map as a numbered figure: the static map with caption, status, source and CSV
    download (``data``, default: what the map shows), then its interactive version.

    Displays both (in the book and in JupyterLab); returns nothing, so it can close a cell.
    """
    from IPython.display import display

    from helpers.presentation.figures import book_figure

    shown = data if data is not None else getattr(result, "data", None)
    if shown is None:
        raise ValueError(f"map {name!r}: pass the data behind the map as data=")
    item = book_figure(
        result.static, chapter=chapter, name=name, caption=caption, alt=alt, source=source,
        data=shown, status=status,
    )  # fmt: skip
    display(item)
    display(result.interactive)
