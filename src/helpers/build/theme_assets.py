"""Sphinx extension that leaves out theme assets the book does not use, so a page on a phone
downloads what it shows (issue 15: every page carried about 2,4 MB of theme files).

- **Font Awesome as JavaScript** (``_static/scripts/fontawesome.js``, 1,5 MB; about 540 kB
  gzip-compressed on every page): the PyData theme loads it to turn each ``<i class="fa-...">``
  into an SVG, while its own stylesheet already draws the same icons from the Font Awesome web
  fonts. The script tag is taken out of every page and the script deleted; the icons come from
  the fonts.
- **The fonts** (``vendor/fontawesome/webfonts``, 300 kB in woff2): subset with fontTools
  (``fonttools[woff]`` in ``pyproject.toml``: WOFF2 needs Brotli) to the icons the book's pages
  and the theme's scripts name (about 20 glyphs, a few kB). A font that holds none of them
  (the brand icons, while no page shows a brand logo) is left out with its ``@font-face``: a
  subset without glyphs has an empty character map, which browsers refuse ("Failed to decode
  downloaded font"). The TrueType copies (only for browsers without WOFF2 support) are left
  out.
- **The theme's stylesheet**: the 2.000 ``.fa-<name>:before`` rules for icons no page uses are
  dropped (the theme CSS shrinks by about a third), and its source map (for theme developers) is
  left out, as are the theme scripts' source maps.
- **sphinx-thebe** (live code cells through an online service: the book has no code cells and
  works offline): its script and stylesheet are not linked.

Corrections to the theme's output (the first two in ``static/ri-theme.css``, linked on every
page):

- the search field's magnifier: the theme positions it for the SVG the icon script makes and
  drew it over the first letters of the field when the icon comes from the font; it now takes
  its place in the field's row;
- print: Jupyter Book's theme prints its own header above the text, the page title centred and
  the page's contents list ("Inhoud") indented differently from the text; print shows the
  page's own title instead, in line with the text (the PDF edition, :mod:`helpers.build.pdf`,
  has its own contents); code lines wrap instead of running off the paper;
- ``index.html``, the page that sends a visitor of the book's address to the first page
  (written by Jupyter Book's table-of-contents extension), names the book's icon
  (``html_favicon``), as every other page does: without it browsers ask for ``/favicon.ico``,
  which the book does not have (a failed request on the first visit).

The slimming is done after the HTML build (``build-finished``) on the output folder, so the
theme's own files stay untouched; rebuilding repeats it (the theme copies its files anew).
Icons keep working: which icons are used is read from the written pages themselves.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from sphinx.application import Sphinx

#: The icon script's tag as the PyData theme writes it (with its comment).
_ICON_SCRIPT = re.compile(
    r"[ \t]*(?:<!-- So that users can add custom icons -->\s*)?"
    r'<script[^>]*src="[^"]*_static/scripts/fontawesome\.js[^"]*"[^>]*></script>\n?'
)
#: ``.fa-a:before,.fa-b:before{content:"\f0c9"}`` rules of the minified theme stylesheet.
_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:before,?)+)\{content:"\\([0-9a-f]+)"\}')
_ICON_NAME = re.compile(r"fa-[a-z0-9-]+")
_FONT_SRC = re.compile(r"src:url\(\.\./vendor/fontawesome/webfonts/([a-z0-9-]+)\.woff2\)[^;}]*")
_SOURCE_MAP = re.compile(r"\n?/\*# sourceMappingURL=\S+ \*/|\n?//# sourceMappingURL=\S+")
#: One ``@font-face{...}`` rule of the minified theme stylesheet.
_FONT_FACE = re.compile(r"@font-face\{[^}]*\}")
#: The book's corrections to the theme's output (in ``static/``, see the module note).
STYLESHEET = "ri-theme.css"
STATIC_DIR = Path(__file__).parent / "static"
#: Scripts and stylesheets of extensions the book does not use (file names in ``_static``).
UNUSED_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}


def _drop_unused_files(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: object
) -> None:
    """Unlink sphinx-thebe's script, stylesheet and configuration script from every page."""
    for key in ("script_files", "css_files"):
        kept = []
        for asset in context.get(key, []):
            name = str(getattr(asset, "filename", asset) or "")
            body = str(getattr(asset, "attributes", {}).get("body", ""))
            if name.split("?")[0].rsplit("/", 1)[-1] not in UNUSED_FILES and "THEBE" not in body:
                kept.append(asset)
        if key in context:
            context[key][:] = kept


def used_icons(outdir: Path) -> set[str]:
    """Font Awesome icon names (``fa-bars`` ...) that the written pages (``*.html``) and the
    theme's scripts (``_static/scripts/*.js``, not the icon script itself) name."""
    names: set[str] = set()
    files = [*outdir.rglob("*.html"), *(outdir / "_static" / "scripts").glob("*.js")]
    for path in files:
        if path.name != "fontawesome.js":
            names |= set(_ICON_NAME.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def slim_stylesheet(css: str, icons: set[str]) -> tuple[str, set[int]]:
    """The theme stylesheet with the icon rules of ``icons`` only, and their code points.
    Fonts are pointed at the WOFF2 subsets :func:`subset_fonts` writes; the source-map comment
    is removed (the map no longer matches)."""
    points: set[int] = set()

    def keep(match: re.Match[str]) -> str:
        names = {n[1:].removesuffix(":before") for n in match.group(1).split(",") if n}
        if names & icons:
            points.add(int(match.group(2), 16))
            return match.group(0)
        return ""

    css = _ICON_RULE.sub(keep, css)
    css = _FONT_SRC.sub(
        lambda m: (
            f'src:url(../vendor/fontawesome/webfonts/{m.group(1)}.subset.woff2) format("woff2")'
        ),
        css,
    )
    return _SOURCE_MAP.sub("", css), points


def subset_fonts(webfonts: Path, points: set[int]) -> list[Path]:
    """Write ``<font>.subset.woff2`` beside each full ``<font>.woff2`` of ``webfonts`` with only
    the glyphs of ``points`` (Unicode code points); delete the full fonts (and their TrueType
    copies). A font that has none of ``points`` gets no subset (it would have no glyphs and an
    empty character map, which browsers refuse). Returns the subsets written."""
    from fontTools import subset

    written = []
    full_fonts = [f for f in sorted(webfonts.glob("*.woff2")) if ".subset." not in f.name]
    for font_file in full_fonts:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(font_file), options, dontLoadGlyphNames=True)
        wanted = sorted(points & set(font.getBestCmap() or {}))
        target = font_file.with_name(font_file.stem + ".subset.woff2")
        if not wanted:
            target.unlink(missing_ok=True)  # one from an earlier build
            continue
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=wanted)
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
        written.append(target)
    for full in [*full_fonts, *webfonts.glob("*.ttf")]:
        full.unlink()
    return written


def drop_font_faces(css: str, fonts: set[str]) -> str:
    """``css`` without the ``@font-face`` rules whose source is one of ``fonts`` (file names,
    e.g. ``fa-brands-400.subset.woff2``)."""
    return _FONT_FACE.sub(
        lambda m: "" if any(f"/{name})" in m.group(0) for name in fonts) else m.group(0), css
    )


def slim_output(outdir: Path) -> None:
    """Leave the unused theme assets out of a built book in ``outdir`` (see the module note):
    no icon script on any page, icon rules and fonts for the used icons only, no source maps.
    Repeating it on an already slimmed folder changes nothing."""
    static = outdir / "_static"
    stylesheet = static / "styles" / "pydata-sphinx-theme.css"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        slim = _ICON_SCRIPT.sub("", text)
        if slim != text:
            page.write_text(slim, encoding="utf-8")
    if stylesheet.is_file() and _FONT_SRC.search(stylesheet.read_text(encoding="utf-8")):
        css, points = slim_stylesheet(stylesheet.read_text(encoding="utf-8"), used_icons(outdir))
        full = {f.stem for f in webfonts.glob("*.woff2") if ".subset." not in f.name}
        written = {f.name for f in subset_fonts(webfonts, points)}
        left_out = {f"{stem}.subset.woff2" for stem in full} - written
        stylesheet.write_text(drop_font_faces(css, left_out), encoding="utf-8")
    for folder in (static / "scripts", static / "styles"):
        for script in [*folder.glob("*.js"), *folder.glob("*.css")]:
            text = script.read_text(encoding="utf-8")
            if _SOURCE_MAP.search(text):
                script.write_text(_SOURCE_MAP.sub("", text), encoding="utf-8")
        for leftover in {*folder.glob("*.map"), *folder.glob("fontawesome.js*")}:
            leftover.unlink(missing_ok=True)


def redirect_page(target: str, title: str, favicon: str = "") -> str:
    """The HTML of the page that sends a visitor of the book's address to its first page
    ``target`` (a URL relative to the book's root), in Dutch, with the book's ``title`` and its
    icon ``favicon`` (a URL relative to the root; none when empty)."""
    icon = f'<link rel="icon" href="{html.escape(favicon)}">\n' if favicon else ""
    return (
        '<!DOCTYPE html>\n<html lang="nl">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Refresh" content="0; url={html.escape(target)}">\n'
        f"<title>{html.escape(title)}</title>\n{icon}</head>\n"
        f'<body><p><a href="{html.escape(target)}">{html.escape(title)}</a></p></body>\n'
        "</html>\n"
    )


def _favicon_url(app: Sphinx) -> str:
    """The book's icon as the pages link it (``_static/<name>``), or a URL as configured."""
    favicon = str(app.config.html_favicon or "")
    if not favicon or "://" in favicon:
        return favicon
    return f"_static/{Path(favicon).name}"


def _write_redirect(app: Sphinx) -> None:
    """Replace Jupyter Book's ``index.html`` (one ``<meta>`` line, see the module note) with
    :func:`redirect_page`, unless ``index`` is a page of the book itself."""
    if app.config.root_doc == "index":
        return
    page = redirect_page(
        app.builder.get_target_uri(app.config.root_doc),
        str(app.config.html_title or app.config.project),
        _favicon_url(app),
    )
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def _slim(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        slim_output(Path(app.outdir))


def _finish(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        _write_redirect(app)


def _add_static(app: Sphinx) -> None:
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def setup(app: Sphinx) -> dict:
    """Sphinx entry point (``_config.yml``, ``extra_extensions``): unlinks sphinx-thebe from
    every page, links ``static/ri-theme.css`` and, after an HTML build, leaves out the unused
    theme assets (:func:`slim_output`) and writes the redirect page ``index.html``
    (:func:`redirect_page`). Returns the extension metadata (parallel read and write safe)."""
    # early: emit_firstresult stops at the first handler that returns a template name
    app.connect("html-page-context", _drop_unused_files, priority=2)
    app.connect("builder-inited", _add_static)
    app.add_css_file(STYLESHEET)
    app.connect("build-finished", _slim)
    # after sphinx-external-toc's handler, which writes Jupyter Book's redirect
    app.connect("build-finished", _finish, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
