"""Book figures and tables as MyST: every figure has a number, caption, source line
("Bron: ..."), alt text and a CSV download of the data behind it.

A helper writes the image and the CSV into ``_assets/<chapter>/`` next to the executed
notebook (the runner executes each notebook in the folder it is published from) and returns a
:class:`BookItem` with two representations of the same figure or table:

- ``text/markdown``: a MyST ``figure`` or ``table`` directive, which the book renders with its
  number, caption, status and source (``_config.yml`` gives ``text/markdown`` the first
  priority through ``nb_mime_priority_overrides``; ``nb_render_markdown_format: myst``);
- ``text/html``: the image or table with its caption, status and source, which JupyterLab
  (and any notebook viewer) shows, since it prefers HTML to Markdown.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from PIL import Image

from helpers.presentation.columns import column_line
from helpers.presentation.formatting import fmt_number
from helpers.presentation.status import status_label

ASSETS_DIR = Path("_assets")

#: Resolution of the saved figures: sharp in print and the PDF (a 7-inch figure is about
#: 1.050 px wide), and the PNG is stored with a palette (:func:`save_png`), so it stays light.
PNG_DPI = 150
#: Colours in a figure's palette: the book's figures are flat colours with smoothed edges, which
#: 256 colours keep (every pixel within a few steps of 255 of the original, white stays white).
PNG_COLOURS = 256
#: Suffix of a column that only holds another column's value written the Dutch way (a map's
#: hover text, e.g. ``pct_txt`` = "44,3%" beside ``hbo_wo_pct`` = 44.3): not in the CSV.
FORMATTED_SUFFIX = "_txt"


def _status_line(status: str) -> str:
    return f"**Status: {status_label(status)}.** "


@dataclass
class BookItem:
    """A rendered figure or table: the MyST source for the book, HTML for JupyterLab, and the
    files (PNG, CSV) both refer to."""

    markdown: str
    files: list[Path]
    label: str
    html: str = ""

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        bundle = {"text/markdown": self.markdown}
        if self.html:
            bundle["text/html"] = self.html
        return bundle


def _html_caption(caption: str, status: str, source: str, csv: Path) -> str:
    return (
        f"<p><strong>{html.escape(_one_line(caption))}</strong><br>"
        f"<small>Status: {html.escape(status_label(status))}. Bron: "
        f"{html.escape(_one_line(source))}. "
        f'<a href="{csv.as_posix()}" download>Gegevens (CSV)</a></small></p>'
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _paragraph(text: str) -> str:
    """``text`` on one line that MyST reads as a paragraph (a figure's caption must be one): a
    start it would read as a comment (``% hoogopgeleid``), heading, list, quote, table or fence
    is escaped with a backslash."""
    line = _one_line(text)
    line = re.sub(r"^(\d+)([.)])", r"\1\\\2", line)
    return re.sub(r"^([%#>+*|=`~_-])", r"\\\1", line)


def asset_path(chapter: str, name: str, suffix: str) -> Path:
    """Path of a figure's or table's file, ``_assets/<chapter>/<name><suffix>`` (chapter and name
    as slugs: lower case, other characters than a-z and 0-9 as ``-``), relative to the working
    folder (the executed notebook's); creates the folder."""
    path = ASSETS_DIR / _slug(chapter) / f"{_slug(name)}{suffix}"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def map_key(chapter: str, name: str) -> str:
    """The name of a figure's interactive map page in the built book,
    ``_static/maps/<key>.html``: ``<chapter>-<name>`` as slugs (see :func:`asset_path`)."""
    return f"{_slug(chapter)}-{_slug(name)}"


def _map_frame(key: str, caption: str) -> str:
    """The hook for the interactive version of a map figure: an empty ``iframe`` (no ``src``)
    inside a ``template``, so that the page holds no frame until the book's ``ri-maps.js``
    puts it in place of the static image (nothing shows or loads without JavaScript; a frame
    in the page would cost the browser a document of its own at once, and again when moved)
    and points it at ``_static/maps/<key>.html`` when the figure comes near the screen."""
    title = html.escape(f"Interactieve kaart: {_one_line(caption)}", quote=True)
    return (
        '<template class="ri-map-hook">'
        f'<iframe class="ri-map-frame" data-leaflet-map="{html.escape(key, quote=True)}" '
        f'title="{title}" loading="lazy"></iframe></template>'
    )


def _download_line(
    csv_path: Path,
    what: str,
    chapter: str,
    data: pd.DataFrame,
    columns: Mapping[str, str] | None,
) -> str:
    """The download link of a figure's or table's CSV and the line that says what its
    columns hold (:func:`helpers.presentation.columns.column_line`)."""
    link = f"{{download}}`Download de gegevens bij deze {what} (CSV) <{csv_path.as_posix()}>`"
    described = column_line(chapter, [str(c) for c in data.columns], columns)
    # in a span of its own: print and the PDF (no downloads there) leave it out (ri-book.css)
    return f'{link}<span class="ri-csv-columns">. {described}</span>' if described else link


def csv_data(data: pd.DataFrame) -> pd.DataFrame:
    """What a figure's or table's CSV holds: ``data`` with its values as they are (numbers in
    full, not rounded or written the Dutch way), without the columns that only repeat another
    column's value as Dutch text (name ending in :data:`FORMATTED_SUFFIX`), and with a list in
    a cell written as its items separated by ``"; "``."""
    out = data.drop(columns=[c for c in data.columns if str(c).endswith(FORMATTED_SUFFIX)])
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (list, tuple))).any():
            out[column] = out[column].map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            )
    return out


def write_csv(data: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Write :func:`csv_data` of ``data`` to ``path``: a plain CSV (UTF-8, comma, dot as the
    decimal sign, one header row, no index) that ``pandas.read_csv(path)`` and spreadsheets
    read without options. Returns what was written."""
    out = csv_data(data)
    out.to_csv(path, index=False, lineterminator="\n")
    return out


def save_png(fig: plt.Figure, path: Path) -> Path:
    """Save ``fig`` as a light PNG at ``path``: cropped to what it draws (``bbox_inches="tight"``,
    a small margin), :data:`PNG_DPI`, and stored with a palette of :data:`PNG_COLOURS` colours
    (Pillow's maximum-coverage quantisation, no dithering; compressed with ``optimize``), about
    a third of matplotlib's full-colour file. Closes ``fig``.

    Code note: Pillow is already installed (matplotlib needs it); pngquant would need a binary
    the project does not install."""
    buffer = io.BytesIO()
    fig.savefig(
        buffer, format="png", dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.05,
        facecolor="white", metadata={"Software": None},
    )  # fmt: skip
    plt.close(fig)
    image = Image.open(buffer).convert("RGB")
    palette = image.quantize(
        colors=PNG_COLOURS, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE
    )
    palette.save(path, format="PNG", optimize=True)
    return path


def book_figure(
    fig: plt.Figure,
    *,
    chapter: str,
    name: str,
    caption: str,
    source: str,
    alt: str,
    data: pd.DataFrame,
    status: str,
    interactive: str = "",
    columns: Mapping[str, str] | None = None,
) -> BookItem:
    """Save ``fig`` (PNG, :func:`save_png`) and ``data`` (CSV, :func:`write_csv`) and return a
    numbered MyST figure.

    ``caption`` is the figure title, ``source`` is printed as "Bron: ..." under the image (the
    image itself carries no source line: never twice), ``alt`` describes the figure for screen
    readers, ``data`` is what a reader downloads and ``status`` (a key of :data:`STATUSES`)
    says what kind of source the figure shows. Next to the download link a line says what
    each column of the CSV holds (``columns``: column -> Dutch meaning and unit, else the
    chapter's, see :mod:`helpers.presentation.columns`). ``interactive`` (a :func:`map_key`)
    makes the figure a map whose interactive page replaces the image on screen (class
    ``ri-map``; the image then loads only for print, see ``ri-maps.js``).
    """
    if not alt.strip():
        raise ValueError(f"figure {name!r}: alt text is required")
    if not source.strip():
        raise ValueError(f"figure {name!r}: a source line is required")
    png = asset_path(chapter, name, ".png")
    csv = asset_path(chapter, name, ".csv")
    save_png(fig, png)
    written = write_csv(data, csv)
    label = f"fig-{_slug(chapter)}-{_slug(name)}"
    map_options = [":figclass: ri-map", ":loading: lazy"] if interactive else []
    frame = f" {_map_frame(interactive, caption)}" if interactive else ""
    markdown = "\n".join(
        [
            f"```{{figure}} {png.as_posix()}",
            f":name: {label}",
            f":alt: {_one_line(alt)}",
            ":width: 100%",
            *map_options,
            "",
            _paragraph(caption),
            "",
            f"{_status_line(status)}Bron: {_one_line(source)}. "
            f"{_download_line(csv, 'figuur', chapter, written, columns)}{frame}",
            "```",
        ]
    )
    page = (
        f'<figure><img src="{png.as_posix()}" alt="{html.escape(_one_line(alt))}" '
        f'style="max-width:100%"><figcaption>{_html_caption(caption, status, source, csv)}'
        "</figcaption></figure>"
    )
    return BookItem(markdown=markdown, files=[png, csv], label=label, html=page)


def _cell(value: object) -> str:
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return text.replace("|", "\\|")


def format_columns(
    table: pd.DataFrame, decimals: dict[str, int], *, missing: str = "–"
) -> pd.DataFrame:
    """A copy of ``table`` with each column named in ``decimals`` written as Dutch numbers
    with that column's one number of decimals (:func:`fmt_number`): ``125,0`` beside
    ``136,6``, never ``125``. Missing values become ``missing``; other columns stay as they
    are. A name that is not a column is an error."""
    unknown = [c for c in decimals if c not in table.columns]
    if unknown:
        raise KeyError(f"format_columns: no column {', '.join(map(repr, unknown))}")
    out = table.copy()
    for column, n in decimals.items():
        out[column] = [fmt_number(v, n, missing=missing) for v in table[column]]
    return out


def book_table(
    table: pd.DataFrame,
    *,
    chapter: str,
    name: str,
    caption: str,
    source: str,
    data: pd.DataFrame | None = None,
    align: str | None = None,
    status: str,
    columns: Mapping[str, str] | None = None,
) -> BookItem:
    """A numbered MyST table from an already formatted ``table`` (strings, Dutch numbers).

    ``data`` (default: ``table``; pass the unformatted numbers) is written as the CSV download
    (:func:`write_csv`), with a line next to its link that says what each column holds
    (``columns`` or the chapter's descriptions, as in :func:`book_figure`).
    ``align`` gives one of ``l``/``r``/``c`` per column (default: text left, rest right).
    """
    csv = asset_path(chapter, name, ".csv")
    written = write_csv(data if data is not None else table, csv)
    if align is None:
        align = "l" + "r" * (len(table.columns) - 1)
    rule = {"l": ":--", "r": "--:", "c": ":-:"}
    lines = [
        "| " + " | ".join(_cell(c) for c in table.columns) + " |",
        "|" + "|".join(rule[a] for a in align) + "|",
    ]
    lines += [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in table.itertuples(index=False)
    ]
    label = f"tab-{_slug(chapter)}-{_slug(name)}"
    markdown = "\n".join(
        [
            f"```{{table}} {_one_line(caption)}",
            f":name: {label}",
            "",
            *lines,
            "```",
            "",
            f"{_status_line(status)}Bron: {_one_line(source)}. "
            f"{_download_line(csv, 'tabel', chapter, written, columns)}",
        ]
    )
    page = _html_caption(caption, status, source, csv) + table.to_html(index=False, border=0)
    return BookItem(markdown=markdown, files=[csv], label=label, html=page)
