"""Numbers in the narrative: format them the Dutch way, then glue them, so the text follows the
data on every re-run. Use ``{glue:text}`key``` in Markdown cells.

The glued output is exactly what ``myst_nb.glue(key, text, display=False)`` writes (the same
MIME bundle and metadata; tested), made with IPython alone: importing myst-nb in a kernel costs
about a second (it loads nbformat and jsonschema), which every chapter would pay.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real

import yaml

from helpers import config
from helpers.presentation.formatting import fmt_number

#: MIME-type prefix of a value glued without display (``myst_nb.ext.glue.GLUE_PREFIX``, the
#: papermill/scrapbook record format myst-nb reads back when it builds the book).
GLUE_PREFIX = "application/papermill.record/"


def glue_text(key: str, text: str) -> None:
    """Glue ``str(text)`` under ``key`` (not displayed in the cell), for ``{glue:text}`key```.

    Emits what ``myst_nb.glue(key, text, display=False)`` emits: a display_data output with
    the string's IPython formatting (``text/plain``: its repr) under the MIME types
    ``application/papermill.record/<type>`` and the metadata
    ``{"scrapbook": {"name": key, "mime_prefix": GLUE_PREFIX}}``. Outside IPython (no shell
    running) it creates IPython's shell instance, as ``myst_nb.glue`` does.
    """
    # IPython is loaded in every kernel already; imported here so that importing this module
    # outside a kernel stays cheap.
    from IPython.core.formatters import format_display_data
    from IPython.display import display

    bundle, metadata = format_display_data(str(text))
    metadata["scrapbook"] = {"name": key, "mime_prefix": GLUE_PREFIX}
    display(
        {GLUE_PREFIX + mime: value for mime, value in bundle.items()}, raw=True, metadata=metadata
    )


def glue_number(key: str, value: Real, decimals: int = 0) -> None:
    """Glue a number formatted with Dutch separators (never a NumPy repr)."""
    glue_text(key, fmt_number(float(value), decimals))


def glue_values(values: dict[str, object], decimals: dict[str, int] | None = None) -> None:
    """Glue many values at once: numbers formatted the Dutch way (``decimals`` per key, default
    0), everything else as text with typographic elision apostrophes (:func:`apostrophes`:
    ``’s-Gravenhage``). ``glue_values({"rd_total": 13695.2, "rd_first": "Zuid-Holland"})``
    glues ``13.695`` and ``Zuid-Holland``."""
    decimals = decimals or {}
    for key, value in values.items():
        if isinstance(value, Real) and not isinstance(value, bool):
            glue_number(key, value, decimals.get(key, 0))
        else:
            glue_text(key, apostrophes(str(value)))


def glue_markdown(values: dict[str, object]) -> None:
    """Glue sentences for ``{glue:md}`key```, so that they read as plain running text.

    ``{glue:text}`` prints its value in bold (myst-nb styles pasted text so: right for a number
    in a sentence, wrong for whole sentences); ``{glue:md}`` pastes Markdown as ordinary inline
    text. The value is plain text: Markdown characters are escaped (a name with ``*`` or ``_``
    stays as written) and elision apostrophes are typographic (:func:`apostrophes`). Emits what
    ``myst_nb.glue(key, IPython.display.Markdown(text), display=False)`` emits, with the text
    itself (not the object's repr) as ``text/plain``, so tests and notebook viewers read it as
    they read :func:`glue_text`."""
    from IPython.display import display

    for key, value in values.items():
        plain = apostrophes(" ".join(str(value).split()))
        bundle = {
            GLUE_PREFIX + "text/markdown": _escape(plain),
            GLUE_PREFIX + "text/plain": repr(plain),
        }
        metadata = {"scrapbook": {"name": key, "mime_prefix": GLUE_PREFIX}}
        display(bundle, raw=True, metadata=metadata)


# --- typography ------------------------------------------------------------------------------

#: A word-initial apostrophe of a Dutch elision: ``'s-Gravenhage``, ``'t Zandt``, ``'n``.
_ELISION = re.compile(r"(?<![\w'’])'(?=[stn]\b)")


def apostrophes(text: str) -> str:
    """``text`` with the apostrophe of a Dutch elision at the start of a word written as the
    typographic apostrophe (U+2019): ``'s-Gravenhage`` -> ``’s-Gravenhage``, ``'t Zandt`` ->
    ``’t Zandt``. The book's typesetting (docutils "smart quotes") would otherwise read a
    straight apostrophe before a word as an opening quote and print ``‘s-Gravenhage``;
    apostrophes inside a word (``regio's``) and other quotes are left as they are."""
    return _ELISION.sub("’", str(text))


# --- notes beside a figure ------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|{}])")


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


@dataclass(frozen=True)
class Note:
    """A styled block beside a figure or table: a MyST admonition (``:class:`` ``css``) for the
    book, HTML for JupyterLab. Items are plain text (escaped, apostrophes typographic); a note
    without items shows nothing (:meth:`show`)."""

    title: str
    items: tuple[str, ...]
    css: str = "ri-bestand"  # also a class of the admonition: the book's CSS may style it
    kind: str = "note"  # admonition colour: note, tip, warning, ...
    intro: str = ""  # a sentence before the items (Markdown allowed: trusted text only)
    outro: str = ""  # a sentence after the items (Markdown allowed: trusted text only)
    raw: bool = False  # items are trusted Markdown (made by the helpers), not escaped

    def markdown(self) -> str:
        """The MyST source: ``:::{admonition} title`` with the class, the intro and the items
        as a list."""
        lines = [
            f":::{{admonition}} {_escape(apostrophes(self.title))}",
            f":class: {self.kind} {self.css}",
            "",
        ]
        if self.intro:
            lines += [apostrophes(self.intro), ""]
        escape = (lambda text: text) if self.raw else _escape
        lines += [f"- {escape(apostrophes(item))}" for item in self.items]
        if self.outro:
            lines += ["", apostrophes(self.outro)]
        return "\n".join([*lines, ":::"])

    def html(self) -> str:
        """The same block as HTML (for notebook viewers)."""
        items = "".join(f"<li>{html.escape(apostrophes(i))}</li>" for i in self.items)
        intro = f"<p>{html.escape(apostrophes(self.intro))}</p>" if self.intro else ""
        outro = f"<p>{html.escape(apostrophes(self.outro))}</p>" if self.outro else ""
        return (
            f'<div class="admonition {self.kind} {self.css}"><p class="admonition-title">'
            f"{html.escape(apostrophes(self.title))}</p>{intro}<ul>{items}</ul>{outro}</div>"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        return {"text/markdown": self.markdown(), "text/html": self.html()}

    def show(self) -> None:
        """Display the note in the notebook (nothing when it has no items and no intro)."""
        if self.items or self.intro:
            from IPython.display import display

            display(self)


def gemeente_file_note(
    map_year: int, unjoined: list[str], coverage: object | None, notes: list[str]
) -> Note:
    """:func:`file_note` for a user file of counts per gemeente drawn on the gemeenten of
    ``map_year``: the codes that found no gemeente on that map (``unjoined``, named), the
    gemeenten the file does not cover (``coverage``, a
    :class:`helpers.geography.userfiles.Coverage`; ten named) and ``notes`` (how it was read)."""
    items = []
    if unjoined:
        items.append(
            f"Gemeentecodes zonder gemeente op de kaart van {map_year} (niet getekend, wel in "
            f"het totaal): {', '.join(unjoined)}."
        )
    if coverage is not None and not coverage.complete:
        items.append(coverage.text(max_names=10))
    return file_note([*items, *notes])


def file_note(items: list[str], title: str = "Over het aangeleverde bestand") -> Note:
    """The note on a user's file beside the figure it affects: places or codes that could not
    be placed (named), regions the file does not cover, cells without a value and how the file
    was read (sentences from :mod:`helpers.geography.userfiles`); empty ``items`` show nothing."""
    return Note(title=title, items=tuple(i for i in items if i))


@dataclass(frozen=True)
class Paragraph:
    """Text shown from a code cell as Markdown (MyST roles such as ``{numref}`` work in the
    book), for a paragraph whose wording depends on the data; apostrophes typographic."""

    text: str

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict:
        return {"text/markdown": apostrophes(self.text), "text/plain": self.text}


# --- "Zelf opnieuw uitrekenen": one block per chapter ---------------------------------------------


def _shown(value: object) -> str:
    """A parameter value as the block shows it (in a code span)."""
    if value is None or value == "":
        return "leeg"
    if isinstance(value, (list, tuple)):
        return "`[" + ", ".join(str(v) for v in value) + "]`"
    if isinstance(value, str) and ("/" in value or "\\" in value):
        value = value.replace("\\", "/").rsplit("/", 1)[-1]  # a file: its name, not the folders
    return f"`{str(value).replace('`', '')}`"


def recompute_block(
    chapter: str,
    used: Mapping[str, object],
    about: Mapping[str, str],
    valid: Mapping[str, str],
    example: str,
) -> Note:
    """The chapter's "Zelf opnieuw uitrekenen" block, the one place where the book tells an
    analyst how to re-run it: the chapter's notebook and its parameters as ``params.yml``
    lists them (in that order, with their defaults), each with the value used on this page
    (from ``used``, e.g. the notebook's ``globals()``), what it does (``about``, Dutch) and the
    values it may take (``valid``, Dutch, e.g. ``2015-2023``), then the ``make book`` command
    with ``example`` (``"year=2020"``) and what happens to a value that cannot be used.

    Raises ``KeyError`` naming the chapter when it is not in ``params.yml`` and ``ValueError``
    naming the parameters ``about`` does not explain (every parameter is explained)."""
    chapters = yaml.safe_load(config.PARAMS_FILE.read_text(encoding="utf-8"))["chapters"]
    if chapter not in chapters:
        raise KeyError(f"chapter {chapter!r} is not in {config.PARAMS_FILE.name}")
    entry = chapters[chapter]
    defaults: dict[str, object] = entry.get("parameters", {})
    unexplained = [name for name in defaults if name not in about]
    if unexplained:
        raise ValueError(f"{chapter}: parameters without an explanation: {unexplained}")
    items = []
    for name, default in defaults.items():
        value = used.get(name, default)
        facts = [f"hier {_shown(value)}"]
        if value != default:
            facts.append(f"standaard {_shown(default)}")
        if valid.get(name):
            facts.append(f"mogelijk: {valid[name]}")
        items.append(f"`{name}` ({'; '.join(facts)}): {about[name]}")
    return Note(
        title="Zelf opnieuw uitrekenen",
        items=tuple(items),
        css="ri-zelf-uitrekenen",
        kind="tip",
        raw=True,
        intro=(
            f"Dit hoofdstuk is het notebook `{entry['notebook']}`. Deze parameters (met hun "
            "standaardwaarden in `params.yml`) bepalen wat het laat zien:"
        ),
        outro=(
            f'Met `make book PARAMS="{chapter}.{example}"` rekent het boek kaarten, tabellen en '
            "tekst opnieuw uit (meer parameters: gescheiden door een spatie). Een waarde die niet "
            "kan, geeft vóór het rekenen een melding met de mogelijke waarden; het vorige boek "
            "blijft dan staan. Bestanden met eigen gegevens beschrijft `data/README-user-files.md`."
        ),
    )
