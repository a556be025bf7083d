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
