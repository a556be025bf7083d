"""Helpers of the book *Regionale innovatie in Nederland*, in layers imported one way only
(an ``import-linter`` contract in ``pyproject.toml`` enforces it, ``make test`` checks it):

``helpers.config``
    Paths and settings (one place); every layer may use it.
``helpers.data``
    Data access: the source registry and raw-file fetching (:mod:`~helpers.data.registry`),
    processing steps raw -> ``data/processed`` (:mod:`~helpers.data.processing`), loaders of
    processed tables shared by chapters (:mod:`~helpers.data.tables`), the CBS StatLine
    client (:mod:`~helpers.data.cbs`), parameter checks (:mod:`~helpers.data.checks`) and
    reading the CSV and Excel files analysts have (:mod:`~helpers.data.reading`).
``helpers.geography``
    Dutch geography: boundaries, crosswalks, recoding of gemeente codes, place names, joins
    (:mod:`~helpers.geography.nl`); files analysts supply, placed in gemeenten
    (:mod:`~helpers.geography.userfiles`).
``helpers.chapters``
    Chapter logic, one module per chapter notebook with the same name: returns tables and
    small result objects, never draws. Chapter modules do not import one another; the three
    firm chapters share :mod:`~helpers.chapters.firms` (concentration, shared proxies).
``helpers.presentation``
    Dutch formatting, house style, numbered figures and tables, charts, maps and narrative
    glue.
``helpers.build``
    The build runner (``make book``), the provenance page and the Sphinx extension. It knows
    no chapter: chapters and their parameters are declared in ``params.yml``.

A layer imports only the layers listed above it here (data -> geography -> chapters ->
presentation -> build).
"""

from helpers import config as _config

# In a kernel the build runner started: note which helper modules the notebook imports (the
# runner re-executes it only when one of them changes; see config.trace_imports).
_config.trace_imports()
