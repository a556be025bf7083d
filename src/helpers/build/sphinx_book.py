"""Sphinx extension for the book's HTML: serve Leaflet and the interactive map pages from the
book itself, so maps draw without the internet, add the book's CSS (``static/ri-book.css``:
tables that scroll on small screens, print rules) and its map script and style
(``static/ri-maps.js``, ``static/ri-maps.css``: on screen each map figure shows its interactive
map in place of the static image, loaded when scrolled into view; print shows the image) and
drop a duplicated inline script of the theme.

folium pages load Leaflet from a CDN by default; offline (or in an archived copy of the book)
the maps stay blank. :func:`helpers.presentation.maps.choropleth` points its maps at
``_static/leaflet/`` (``RI_LEAFLET=cdn`` switches to the CDN, see :mod:`helpers.config`) and this
extension copies Leaflet 1.9.3 (the version folium 0.20 uses) into the built HTML from the
``XStatic-Leaflet`` package, installed from PyPI with the project, never copied by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx

from helpers import config


def leaflet_dir() -> Path:
    """Leaflet's folder in the ``XStatic-Leaflet`` package: the one
    :func:`helpers.presentation.maps.leaflet_dir` names, found without importing the maps
    module (which loads the mapping libraries: seconds at the start of every book build)."""
    import xstatic.pkg.leaflet as leaflet

    return Path(leaflet.BASE_DIR)


MAPS_DIR = "maps"  # in _static: the interactive map pages


def map_pages(srcdir: Path) -> dict[str, Path]:
    """The interactive map pages the executed chapters wrote
    (:func:`helpers.presentation.maps.map_figure`: ``_assets/<chapter>/<name>.html`` beside a
    notebook under ``srcdir``), by the name they get in ``_static/maps/``:
    ``<chapter>-<name>.html``."""
    return {
        f"{path.parent.name}-{path.name}": path
        for path in sorted(Path(srcdir).glob("**/_assets/*/*.html"))
    }


def _copy(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    maps = Path(app.outdir) / "_static" / MAPS_DIR
    maps.mkdir(parents=True, exist_ok=True)
    for name, page in map_pages(Path(app.srcdir)).items():
        shutil.copy2(page, maps / name)
    if config.leaflet_from_cdn():
        return
    target = Path(app.outdir) / "_static" / "leaflet"
    source = leaflet_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(source / name, target / name)
    shutil.copytree(source / "images", target / "images", dirs_exist_ok=True)


def _dedupe_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Drop repeated inline scripts: Jupyter Book registers sphinx-thebe's configuration
    script twice, and the second ``const THEBE_JS_URL`` is a JavaScript error on every page."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for script in context.get("script_files", []):
        name = getattr(script, "filename", script) or ""  # the copies differ: None and ''
        key = (str(name), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


STATIC_DIR = Path(__file__).parent / "static"


def _add_static(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict:
    """Sphinx entry point (``_config.yml``, ``extra_extensions``): adds ``static/`` to the static
    path, ``ri-book.css``, ``ri-maps.css`` and ``ri-maps.js``; after an HTML build copies the
    interactive map pages (:func:`map_pages`) into ``_static/maps/`` and ``leaflet.js``/
    ``leaflet.css`` from XStatic-Leaflet into ``_static/leaflet/`` (not with
    ``RI_LEAFLET=cdn``); drops duplicated inline scripts on every page. Returns the extension
    metadata (parallel read and write safe)."""
    app.connect("builder-inited", _add_static)
    app.add_css_file("ri-book.css")
    app.add_css_file("ri-maps.css")
    app.add_js_file("ri-maps.js", loading_method="defer")
    app.connect("build-finished", _copy)
    # early: emit_firstresult stops at the first handler that returns a template name
    app.connect("html-page-context", _dedupe_scripts, priority=1)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
