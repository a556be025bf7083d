"""Sphinx extension that links every page of the book to where it is made in the project's
repository, and gives the Markdown pages the repository's address.

The address is written in one place only: ``repository: url:`` (and ``branch:``) in
``_config.yml``, which Jupyter Book hands to the theme as ``repository_url`` (the theme's
repository button in the header reads it too). This extension reads it from there and

- sets the MyST substitution ``{{ repository }}`` (a link to the repository), used by the
  introduction to say where the code and data live;
- ends every page with one line naming its source in the repository: a chapter page (an
  executed copy in ``book/_generated/``) links to its notebook ``notebooks/<chapter>.ipynb``
  (never to the generated copy, which is not in the repository); the generated provenance page
  to the module that writes it; every other page to its own source file (``book/intro.md``).

While no address is configured (``url: ""``, e.g. before the repository is published), the
book does not invent one: each page links to a copy of its source file that the build puts
beside the pages (``_bron/<path in the repository>``), the introduction speaks of "de
repository van dit project", and the theme's repository button stays off (``_config.yml``
keeps ``use_repository_button: false``, which Jupyter Book requires without an address; this
extension switches the button on when an address is set).
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from helpers import config

#: Generated pages that are no chapter: the file in the repository that writes them.
GENERATED_BY = {"book/_generated/bronnen": "src/helpers/build/provenance.py"}
#: Folder of the HTML build that holds copies of the source files while no address is set.
COPIES = "_bron"


def repository_url(app_config: Config) -> tuple[str, str]:
    """The repository's address (without a trailing slash) and branch from the theme options
    that Jupyter Book fills from ``_config.yml`` (``repository: url:``, ``branch:``; branch
    ``main`` when not given); ``("", "main")`` when no address is configured."""
    options = app_config.html_theme_options or {}
    url = str(options.get("repository_url") or "").rstrip("/")
    return url, str(options.get("repository_branch") or "main")


def source_in_repository(pagename: str, source_suffix: str = ".md") -> tuple[str, str]:
    """What a page is made from, relative to the repository root, and how the book names it:
    ``("notebooks/europa.ipynb", "notebook")`` for the chapter page
    ``book/_generated/europa``; the writing module for other generated pages
    (:data:`GENERATED_BY`); else the page's own file (``pagename`` + ``source_suffix``)."""
    if pagename.startswith("book/_generated/"):
        chapter = pagename.rsplit("/", 1)[-1]
        notebook = f"notebooks/{chapter}.ipynb"
        if (config.ROOT / notebook).is_file():
            return notebook, "notebook"
        if pagename in GENERATED_BY:
            return GENERATED_BY[pagename], "module"
    return pagename + source_suffix, "file"


def _set_substitution(app: Sphinx, app_config: Config) -> None:
    url, _ = repository_url(app_config)
    substitutions = dict(app_config.myst_substitutions or {})
    options = dict(app_config.html_theme_options or {})
    if url:
        shown = url.split("://", 1)[-1]
        substitutions.setdefault("repository", f"[{shown}]({url})")
    else:
        substitutions.setdefault("repository", "van dit project")
    # Jupyter Book refuses `use_repository_button: true` without an address (before Sphinx
    # starts), so _config.yml keeps it off and the button follows the address here.
    options["use_repository_button"] = bool(url)
    app_config.html_theme_options = options
    app_config.myst_substitutions = substitutions


_SENTENCES = {
    "notebook": "Deze pagina is gemaakt met het notebook {link} {where}.",
    "module": "Deze pagina wordt gemaakt door {link} {where}.",
    "file": "De tekst van deze pagina staat in {link} {where}.",
}
_WHERE = {
    True: "in de repository van het boek",
    False: "(een kopie uit de repository van het boek)",
}


def _link_source(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    url, branch = repository_url(app.config)
    if doctree is None or "body" not in context:
        return
    suffix = Path(app.env.doc2path(pagename, False)).suffix or ".md"
    path, kind = source_in_repository(pagename, suffix)
    if url:
        href = f"{url}/blob/{branch}/{path}"
    else:  # no address yet: a copy of the source file beside the pages
        source = config.ROOT / path
        if not source.is_file():
            return
        target = Path(app.outdir) / COPIES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        depth = pagename.count("/")
        href = "../" * depth + f"{COPIES}/{path}"
    link = (
        f'<a class="reference external" href="{html.escape(href)}">'
        f"<code>{html.escape(path)}</code></a>"
    )
    context["body"] += (
        f'<p class="ri-source-link">{_SENTENCES[kind].format(link=link, where=_WHERE[bool(url)])}</p>\n'
    )


def setup(app: Sphinx) -> dict:
    """Sphinx entry point (``_config.yml``, ``extra_extensions``): the ``{{ repository }}``
    substitution and the source line at the end of every page (see the module note). Returns
    the extension metadata (parallel read and write safe)."""
    app.connect("config-inited", _set_substitution)
    # early: emit_firstresult stops at the first handler that returns a template name
    app.connect("html-page-context", _link_source, priority=3)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
