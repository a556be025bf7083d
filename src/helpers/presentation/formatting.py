"""Dutch number formatting with babel (locale ``nl_NL``): decimal comma, thousands dot
(``13.695``, ``136,6``). Narrative, tables, chart axes and map legends all format through
:func:`fmt_number`, so the book writes numbers one way."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from numbers import Real

from babel.numbers import format_decimal

LOCALE = "nl_NL"


def fmt_number(value: Real | None, decimals: int = 0, missing: str = "–") -> str:
    """Format a number the Dutch way with exactly ``decimals`` decimals (round half to even):
    ``fmt_number(13695) == '13.695'``, ``fmt_number(136.6, 1) == '136,6'``.
    ``None``/NaN gives ``missing``; a value that rounds to zero has no minus sign."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    number = float(value)
    if round(number, decimals) == 0:
        number = 0.0
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # Decimal(float) is the float's exact binary value, rounded half to even as Python's own
    # formatting does (151.05 is stored as 151.0500000000000114, so it becomes 151,1).
    return format_decimal(Decimal(number), format=pattern, locale=LOCALE)


def decimals_to_tell_apart(values: list[float], most: int = 3) -> int:
    """The fewest decimals (up to ``most``) with which ``values`` are all written
    differently: whole numbers need none, ``[0.21, 0.24]`` needs two."""
    distinct = sorted(set(float(v) for v in values if v is not None and not math.isnan(v)))
    for decimals in range(most + 1):
        texts = [fmt_number(v, decimals) for v in distinct]
        if len(set(texts)) == len(texts):
            return decimals
    return most


def axis_formatter(decimals: int | None = None) -> object:
    """A matplotlib tick formatter writing Dutch numbers (``5.000``, ``2,5``); without
    ``decimals`` each axis uses the fewest decimals that tell its ticks apart."""
    from matplotlib.ticker import FuncFormatter

    class DutchFormatter(FuncFormatter):
        def set_locs(self, locs: object) -> None:
            super().set_locs(locs)
            self.decimals = decimals if decimals is not None else decimals_to_tell_apart(locs)

    formatter = DutchFormatter(lambda x, pos=None: fmt_number(x, formatter.decimals))
    formatter.decimals = decimals or 0
    return formatter


def fmt_percent(value: Real | None, decimals: int = 1) -> str:
    """A percentage with Dutch decimals: ``fmt_percent(24.0) == '24,0%'``."""
    text = fmt_number(value, decimals)
    return text if text == "–" else f"{text}%"


def fmt_signed(value: Real, decimals: int = 1) -> str:
    """A difference with explicit sign: ``+6,6`` / ``−1,2`` (true minus sign)."""
    text = fmt_number(abs(value), decimals)
    if round(float(value), decimals) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def join_dutch(items: list[str]) -> str:
    """``['a', 'b', 'c'] -> 'a, b en c'``."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " en " + items[-1]


def join_with_values(
    items: Iterable[tuple[object, Real]], decimals: int = 0, percent: bool = False
) -> str:
    """Names with their value in brackets, joined the Dutch way:
    ``[('Amsterdam', 1200), ('Utrecht', 950)] -> 'Amsterdam (1.200) en Utrecht (950)'``;
    values with ``decimals`` decimals, as percentages (``24,0%``) when ``percent``."""
    fmt = fmt_percent if percent else fmt_number
    return join_dutch([f"{name} ({fmt(value, decimals)})" for name, value in items])


NUMBER_WORDS = {
    0: "geen", 1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes",
    7: "zeven", 8: "acht", 9: "negen", 10: "tien", 11: "elf", 12: "twaalf",
}  # fmt: skip


def number_word(n: int) -> str:
    """Dutch word for small counts (``7 -> 'zeven'``), digits from 13 on."""
    return NUMBER_WORDS.get(int(n), fmt_number(n))
