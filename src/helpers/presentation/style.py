"""House style: one colour-blind-safe palette, figure defaults, performance-group colours."""

from __future__ import annotations

import matplotlib as mpl

# Okabe & Ito (2008), safe for the common forms of colour blindness.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#BBBBBB",
}
CATEGORICAL: list[str] = [
    PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple")
]
MISSING_COLOUR = "#E6E6E6"
EDGE_COLOUR = "#FFFFFF"
# Sequential scheme for classed maps (ColorBrewer, colour-blind safe).
SEQUENTIAL_CMAP = "YlGnBu"

# RIS performance groups (Dutch labels, see helpers.chapters.europa.PERFORMANCE_GROUPS),
# coloured on a dark-to-light blue ramp so the order reads without colour vision too.
PERFORMANCE_COLOURS: dict[str, str] = {
    "Innovatieleider": "#08306B",
    "Sterke innovator": "#2171B5",
    "Gemiddelde innovator": "#6BAED6",
    "Opkomende innovator": "#C6DBEF",
}


def apply() -> None:
    """Set matplotlib/seaborn defaults for every figure in the book."""
    mpl.rcParams.update(
        {
            "figure.dpi": 110,
            "savefig.dpi": 150,
            "savefig.bbox": "tight",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=CATEGORICAL),
            "figure.facecolor": "white",
            "svg.hashsalt": "regionale-innovatie",
        }
    )
