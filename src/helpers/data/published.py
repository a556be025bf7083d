"""Values as printed in publications (``data/published/<name>.csv``, described in
``data/published/README.md``): the one loader every chapter uses.

Files with a unique ``kenmerk`` column (one published statement per row: ``kenmerk``,
``waarde``, ``eenheid``, where it was printed) are indexed by ``kenmerk``; tables (e.g. Table 1 of 2018)
keep their rows. Values are read as text where a file says so (``text_columns``), so a
printed ``+`` or an empty cell stays what it was.
"""

from __future__ import annotations

import pandas as pd

from helpers import config


def available() -> list[str]:
    """Names of the published-value files (without ``.csv``)."""
    return sorted(p.stem for p in config.data_glob("published", "*.csv"))


def load_published(name: str, *, text_columns: tuple[str, ...] = ()) -> pd.DataFrame:
    """The published values in ``data/published/<name>.csv``.

    Returns one row per statement, indexed by ``kenmerk`` when the file has that column and
    it is unique (statements per province repeat it: those keep their rows), else the table as
    printed. ``text_columns`` are read as strings, other columns as pandas infers them; empty
    cells stay empty strings. Raises ``FileNotFoundError`` naming the valid names.
    """
    path = config.data_file("published", f"{name}.csv")
    if not path.is_file():
        raise FileNotFoundError(f"no published values {name!r}; available: {available()}")
    table = pd.read_csv(path, keep_default_na=False, dtype=dict.fromkeys(text_columns, str))
    if "kenmerk" in table.columns and table["kenmerk"].is_unique:
        table = table.set_index("kenmerk")
    return table
