"""Helpers for the book *Regionale innovatie in Nederland*.

Notebooks hold narrative and a few calls; the logic lives here: data registry and loading
(:mod:`helpers.registry`), processing steps (:mod:`helpers.processing`), Dutch number
formatting (:mod:`helpers.formatting`), house style (:mod:`helpers.style`), figures, maps,
charts and tables (:mod:`helpers.figures`, :mod:`helpers.maps`, :mod:`helpers.charts`),
narrative numbers (:mod:`helpers.narrative`) and the build runner (:mod:`helpers.runner`).
"""

__version__ = "0.1.0"
