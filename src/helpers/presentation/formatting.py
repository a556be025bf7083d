"""Dutch number formatting: decimal comma, thousands dot (``13.695``, ``136,6``)."""

from __future__ import annotations

import math
from numbers import Real


def fmt_number(value: Real | None, decimals: int = 0, missing: str = "–") -> str:
    """Format a number the Dutch way: ``fmt_number(13695) == '13.695'``,
    ``fmt_number(136.6, 1) == '136,6'``. ``None``/NaN gives ``missing``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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


NUMBER_WORDS = {
    0: "geen", 1: "één", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes",
    7: "zeven", 8: "acht", 9: "negen", 10: "tien", 11: "elf", 12: "twaalf",
}  # fmt: skip


def number_word(n: int) -> str:
    """Dutch word for small counts (``7 -> 'zeven'``), digits from 13 on."""
    return NUMBER_WORDS.get(int(n), fmt_number(n))
