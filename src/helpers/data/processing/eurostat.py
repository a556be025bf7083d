"""Reading Eurostat TSV cells, shared by the processing steps."""

from __future__ import annotations

import re


def eurostat_number(value: object) -> float | None:
    """Eurostat cell -> number: flags (p, e, b, ...) dropped, ':' (missing) -> ``None``."""
    text = re.sub(r"[^0-9.\-]", "", str(value))
    return float(text) if text not in {"", "-", "."} else None
