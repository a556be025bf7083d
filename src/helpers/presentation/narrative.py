"""Numbers in the narrative: format them the Dutch way, then glue them (myst-nb), so the text
follows the data on every re-run. Use ``{glue:text}`key``` in Markdown cells."""

from __future__ import annotations

from numbers import Real

from helpers.presentation.formatting import fmt_number


def glue_text(key: str, text: str) -> None:
    """Glue a ready-made string (not displayed in the cell)."""
    from myst_nb import glue

    text = str(text)
    glue(key, text, display=False)


def glue_number(key: str, value: Real, decimals: int = 0) -> None:
    """Glue a number formatted with Dutch separators (never a NumPy repr)."""
    glue_text(key, fmt_number(float(value), decimals))
