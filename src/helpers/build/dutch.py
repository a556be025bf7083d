"""Sphinx extension that gives readers the book's interface and literature references in Dutch
(the book is ``language: nl``; issue 15: the search field, buttons and citations were English).

- **The theme's words.** Jupyter Book's theme (sphinx-book-theme) is Dutch already; the PyData
  theme under it has no Dutch catalog ("Skip to main content", "Back to top", "previous page",
  the colour-mode button, ...), and Sphinx's own Dutch lacks its newer permalink titles ("Link
  to this heading") and the search page's result line. ``locale/nl/LC_MESSAGES/sphinx.po``
  holds them in Dutch; it is compiled with Babel (the library Sphinx itself compiles catalogs
  with) and added to Sphinx's catalog (``add_message_catalog``), behind Sphinx's own Dutch;
  the search page's line goes into the JavaScript catalog Sphinx writes
  (``_static/translations.js``) where Sphinx's is empty.
- **Words the themes write without a catalog**: the titles of the two sidebar buttons and the
  name of the chapter navigation. ``templates/`` replaces those few templates with one that
  renders the theme's own and swaps the English words (no copy of the theme's markup). The
  search field's placeholder is a theme option (``search_bar_text`` in ``_config.yml``).
- **Citations and the bibliography** (sphinxcontrib-bibtex with pybtex): the reference style
  ``author_year_nl`` cites "(Katz en Bradley, 2013; OECD, 2015)", and the bibliography style
  ``plain_nl`` writes "en" between authors, "Rapport" for a report, "(red.)" for editors,
  "p." for pages, and keeps titles as written (pybtex's plain style lower-cases them:
  "De nederlandse wetenschap in de european research area"). ``_config.yml`` names both
  (``bibtex_reference_style``, ``bibtex_default_style``). Left to pybtex (no such entries in
  the book): the thesis types and "pages" in an article that gives pages but no volume.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.plugin import register_plugin as register_pybtex_plugin
from pybtex.richtext import Symbol
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.formatting.unsrt import pages as page_range
from pybtex.style.template import field as bib_field
from pybtex.style.template import (
    first_of,
    join,
    names,
    optional,
    optional_field,
    sentence,
    together,
    words,
)
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

HERE = Path(__file__).parent
#: The Dutch catalog of the PyData theme's words (gettext source).
CATALOG = HERE / "locale" / "nl" / "LC_MESSAGES" / "sphinx.po"
#: Templates that replace the themes' few untranslatable ones (see the module note).
TEMPLATES = HERE / "templates"
#: Names under which the styles are registered (``_config.yml`` names them).
REFERENCE_STYLE = "author_year_nl"
BIBLIOGRAPHY_STYLE = "plain_nl"


def read_catalog(po_file: Path = CATALOG) -> dict[str, str]:
    """The translations of the gettext catalog ``po_file`` (message id -> Dutch), read with
    Babel; untranslated messages are left out."""
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


def compile_catalog(po_file: Path, target_dir: Path, language: str = "nl") -> Path:
    """Compile the gettext catalog ``po_file`` (domain: its file name without ``.po``) into
    ``target_dir/<language>/LC_MESSAGES/<domain>.mo`` with Babel and return ``target_dir``
    (the folder ``Sphinx.add_message_catalog`` reads it from)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    target = target_dir / language / "LC_MESSAGES" / f"{po_file.stem}.mo"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    return target_dir


def complete_js_catalog(script: str, translations: dict[str, str]) -> str:
    """Sphinx's JavaScript catalog ``script`` (``_static/translations.js``:
    ``Documentation.addTranslations({...});``) with the messages it leaves untranslated
    (empty) filled in from ``translations``; other messages stay as they are. Sphinx's Dutch
    leaves the search page's result line English ("Search finished, found ... page(s)")."""
    start, end = script.index("(") + 1, script.rindex(")")
    data = json.loads(script[start:end])
    messages = data.get("messages", {})
    for key, value in messages.items():
        if not value and translations.get(key):
            messages[key] = translations[key]
    return f"{script[:start]}{json.dumps(data, ensure_ascii=False)}{script[end:]}"


# --- citations and bibliography --------------------------------------------------------------


def _dutch_persons() -> PersonStyle:
    return PersonStyle(sep2=" en ", last_sep=" en ")


def _round_brackets() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class DutchAuthorYearStyle(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author-year citations the Dutch way: "en" between two authors
    and before the last one, round brackets, "; " between references ("(Florida et al.,
    2017; Katz en Bradley, 2013)"; textual: "Katz en Bradley (2013)")."""

    bracket_textual: BracketStyle = field(default_factory=_round_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=_round_brackets)
    bracket_author: BracketStyle = field(default_factory=_round_brackets)
    bracket_label: BracketStyle = field(default_factory=_round_brackets)
    bracket_year: BracketStyle = field(default_factory=_round_brackets)
    person: PersonStyle = field(default_factory=_dutch_persons)


class DutchPlainStyle(PlainStyle):
    """pybtex's plain bibliography style in Dutch (authors joined with "en", "Rapport",
    "(red.)", "druk", "deel", "hoofdstuk", "p.", "geraadpleegd op"), titles as written."""

    def format_names(self, role: str, as_sentence: bool = True) -> object:
        """The persons of ``role`` ("author", "editor"): "A, B en C"."""
        formatted = names(role, sep=", ", sep2=" en ", last_sep=" en ")
        return sentence[formatted] if as_sentence else formatted

    def format_title(self, e: object, which_field: str, as_sentence: bool = True) -> object:
        """The title as written in the bibliography file (no change of case)."""
        title = bib_field(which_field)
        return sentence[title] if as_sentence else title

    def format_editor(self, e: object, as_sentence: bool = True) -> object:
        """The editors followed by "(red.)"."""
        result = join(sep=" ")[self.format_names("editor", as_sentence=False), "(red.)"]
        return sentence[result] if as_sentence else result

    def format_edition(self, e: object) -> object:
        """The edition as "<edition> druk" ("2e druk")."""
        return optional[words[bib_field("edition"), "druk"]]

    def format_volume_and_series(self, e: object, as_sentence: bool = True) -> object:
        """Volume and series as "Deel 3 van <series>", "nummer 4 in <series>" or the
        series."""
        volume = optional[
            words[
                together["Deel" if as_sentence else "deel", bib_field("volume")],
                optional[words["van", bib_field("series")]],
            ]
        ]
        number = optional[
            words[
                join(sep=Symbol("nbsp"))[
                    "Nummer" if as_sentence else "nummer", bib_field("number")
                ],
                optional[words["in", bib_field("series")]],
            ]
        ]
        result = first_of[volume, number, optional_field("series")]
        return sentence(capfirst=True)[result] if as_sentence else result

    def format_chapter_and_pages(self, e: object) -> object:
        """Chapter and pages as "hoofdstuk 3, p. 86–96"."""
        return join(sep=", ")[
            optional[together["hoofdstuk", bib_field("chapter")]],
            optional[together["p.", page_range]],
        ]

    def get_techreport_template(self, e: object) -> object:
        """A report: authors, title, its type (the ``type`` field, else "Rapport") and number,
        institution, place, date, note, links."""
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            sentence[
                words[first_of[optional_field("type"), "Rapport"], optional_field("number")],
                bib_field("institution"),
                optional_field("address"),
                date,
            ],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e: object) -> object:
        """URL (with the date it was consulted), arXiv, PubMed and DOI links."""
        return sentence[
            optional[self.format_url(e), optional[" (geraadpleegd op ", bib_field("urldate"), ")"]],
            optional[self.format_eprint(e)],
            optional[self.format_pubmed(e)],
            optional[self.format_doi(e)],
        ]


# --- Sphinx ----------------------------------------------------------------------------------


def _templates_first(app: Sphinx, config: Config) -> None:
    """Put ``templates/`` before the themes' component folders in ``templates_path``."""
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def _complete_translations_js(app: Sphinx, exception: Exception | None) -> None:
    script = Path(app.outdir) / "_static" / "translations.js"
    if exception is None and app.builder.format == "html" and script.is_file():
        text = script.read_text(encoding="utf-8")
        completed = complete_js_catalog(text, read_catalog())
        if completed != text:
            script.write_text(completed, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    """Sphinx entry point (``_config.yml``, ``extra_extensions``): adds the Dutch catalog of
    the theme's words (:data:`CATALOG`) to Sphinx's and fills in the messages Sphinx's Dutch
    JavaScript catalog leaves empty (:func:`complete_js_catalog`), puts :data:`TEMPLATES`
    first in the template path and registers the citation style ``author_year_nl`` and the
    bibliography style ``plain_nl``. Returns the extension metadata (parallel read and write
    safe)."""
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, DutchAuthorYearStyle, force=True
    )
    register_pybtex_plugin(
        "pybtex.style.formatting", BIBLIOGRAPHY_STYLE, DutchPlainStyle, force=True
    )
    if (app.config.language or "").split("_")[0] == "nl":
        # Sphinx reads the compiled catalog here and now: it need not outlive this call
        with tempfile.TemporaryDirectory() as folder:
            app.add_message_catalog("sphinx", str(compile_catalog(CATALOG, Path(folder))))
        app.connect("build-finished", _complete_translations_js)
    app.connect("config-inited", _templates_first)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
