"""Numbers in the narrative: format them the Dutch way, then glue them, so the text follows the
data on every re-run. Use ``{glue:text}`key``` in Markdown cells.

The glued output is exactly what ``myst_nb.glue(key, text, display=False)`` writes (the same
MIME bundle and metadata; tested), made with IPython alone: importing myst-nb in a kernel costs
about a second (it loads nbformat and jsonschema), which every chapter would pay.
"""

from __future__ import annotations

from numbers import Real

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
    0), everything else as text. ``glue_values({"rd_total": 13695.2, "rd_first": "Zuid-Holland"})``
    glues ``13.695`` and ``Zuid-Holland``."""
    decimals = decimals or {}
    for key, value in values.items():
        if isinstance(value, Real) and not isinstance(value, bool):
            glue_number(key, value, decimals.get(key, 0))
        else:
            glue_text(key, str(value))
