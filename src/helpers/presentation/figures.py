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
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from helpers.presentation.formatting import fmt_number
from helpers.presentation.status import status_label

ASSETS_DIR = Path("_assets")


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
    """The hook for the interactive version of a map figure: an empty ``iframe`` (no ``src``,
    so nothing loads and, by ``ri-maps.css``, nothing shows without JavaScript) that the book's
    ``ri-maps.js`` moves in place of the static image and points at ``_static/maps/<key>.html``
    (loaded when scrolled into view)."""
    title = html.escape(f"Interactieve kaart: {_one_line(caption)}", quote=True)
    return (
        f'<iframe class="ri-map-frame" data-leaflet-map="{html.escape(key, quote=True)}" '
        f'title="{title}" loading="lazy"></iframe>'
    )


def _download_line(csv_path: Path, what: str = "figuur") -> str:
    return f"{{download}}`Download de gegevens bij deze {what} (CSV) <{csv_path.as_posix()}>`"


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
) -> BookItem:
    """Save ``fig`` (PNG) and ``data`` (CSV) and return a numbered MyST figure.

    ``caption`` is the figure title, ``source`` is printed as "Bron: ...", ``alt`` describes
    the figure for screen readers, ``data`` is what a reader downloads and ``status`` (a key
    of :data:`STATUSES`) says what kind of source the figure shows. ``interactive`` (a
    :func:`map_key`) makes the figure a map whose interactive page replaces the image on
    screen (class ``ri-map``; the image then loads only for print, see ``ri-maps.js``).
    """
    if not alt.strip():
        raise ValueError(f"figure {name!r}: alt text is required")
    if not source.strip():
        raise ValueError(f"figure {name!r}: a source line is required")
    png = asset_path(chapter, name, ".png")
    csv = asset_path(chapter, name, ".csv")
    fig.savefig(png, metadata={"Software": None})
    plt.close(fig)
    data.to_csv(csv, index=False, lineterminator="\n")
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
            f"{_status_line(status)}Bron: {_one_line(source)}. {_download_line(csv)}{frame}",
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
) -> BookItem:
    """A numbered MyST table from an already formatted ``table`` (strings, Dutch numbers).

    ``data`` (default: ``table``) is written as the CSV download, unformatted.
    ``align`` gives one of ``l``/``r``/``c`` per column (default: text left, rest right).
    """
    csv = asset_path(chapter, name, ".csv")
    (data if data is not None else table).to_csv(csv, index=False, lineterminator="\n")
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
            f"{_status_line(status)}Bron: {_one_line(source)}. {_download_line(csv, 'tabel')}",
        ]
    )
    page = _html_caption(caption, status, source, csv) + table.to_html(index=False, border=0)
    return BookItem(markdown=markdown, files=[csv], label=label, html=page)
