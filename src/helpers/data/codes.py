"""The one cleaner of CBS region codes: CBS tables pad codes with spaces (``'GM0363    '``)
and files written by hand mix case. Every layer cleans codes through :func:`clean_code`."""

from __future__ import annotations

import pandas as pd


def clean_code(value: object) -> str:
    """A CBS region code without padding, upper case: ``'GM0363    '`` -> ``'GM0363'``,
    ``' cr23'`` -> ``'CR23'``. Any value is turned into text first."""
    return str(value).strip().upper()


def clean_codes(codes: pd.Series) -> pd.Series:
    """:func:`clean_code` for a column of codes (missing values stay missing)."""
    return codes.map(clean_code, na_action="ignore")
