"""Bar charts in the house style (seaborn)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from helpers.presentation import style
from helpers.presentation.formatting import axis_formatter, fmt_number


def bar_chart(
    data: pd.DataFrame,
    *,
    value: str,
    category: str,
    hue: str | None = None,
    title: str = "",
    xlabel: str = "",
    reference: float | None = None,
    reference_label: str = "",
    decimals: int = 1,
    figsize: tuple[float, float] = (8, 5),
) -> plt.Figure:
    """Horizontal bar chart of ``value`` per ``category`` (in the order given), optionally
    grouped by ``hue``; bars are labelled with Dutch-formatted values and an optional
    vertical ``reference`` line (e.g. EU = 100)."""
    style.apply()
    fig, ax = plt.subplots(figsize=figsize)
    palette = style.CATEGORICAL[: data[hue].nunique()] if hue else [style.PALETTE["blue"]]
    sns.barplot(
        data=data, x=value, y=category, hue=hue, palette=palette if hue else None,
        color=None if hue else palette[0], ax=ax, orient="h",
    )  # fmt: skip
    for container in ax.containers:
        ax.bar_label(
            container,
            labels=[fmt_number(v, decimals) for v in container.datavalues],
            fontsize=7,
            padding=2,
        )
    if reference is not None:
        ax.axvline(reference, color=style.PALETTE["black"], linewidth=0.8, linestyle="--")
        if reference_label:
            ax.text(reference, -0.7, reference_label, fontsize=8, ha="center")
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(axis_formatter())
    ax.set_ylabel("")
    if title:
        ax.set_title(title, loc="left")
    if hue:
        ax.legend(title=None, loc="lower right", fontsize=8)
    return fig


def line_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str,
    highlight: list[str] | None = None,
    title: str = "",
    ylabel: str = "",
    marker_x: float | None = None,
    figsize: tuple[float, float] = (8, 5),
) -> plt.Figure:
    """Lines of ``y`` over ``x`` per ``hue``; the ``highlight`` series in colour with a label
    at the line end, the others in grey, so twelve provinces stay readable."""
    style.apply()
    fig, ax = plt.subplots(figsize=figsize)
    highlight = list(highlight or [])
    colours = dict(zip(highlight, style.CATEGORICAL, strict=False))
    for name, part in data.sort_values(x).groupby(hue, sort=False):
        colour = colours.get(name, "#bbbbbb")
        ax.plot(part[x], part[y], color=colour, linewidth=2 if name in colours else 1)
        if name in colours:
            last = part.iloc[-1]
            ax.annotate(
                str(name), (last[x], last[y]), xytext=(4, 0), textcoords="offset points",
                fontsize=8, color=colour, va="center",
            )  # fmt: skip
    if marker_x is not None:
        ax.axvline(marker_x, color=style.PALETTE["black"], linewidth=0.6, linestyle=":")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(axis_formatter())
    ax.set_xlabel("")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if title:
        ax.set_title(title, loc="left")
    return fig


def lorenz_chart(
    curves: dict[str, pd.DataFrame],
    *,
    xlabel: str,
    ylabel: str,
    figsize: tuple[float, float] = (6, 6),
) -> plt.Figure:
    """Lorenz curves (columns ``aandeel_regios``, ``aandeel_totaal``, shares 0-1) with the line
    of equal distribution."""
    style.apply()
    fig, ax = plt.subplots(figsize=figsize)
    ax.plot([0, 100], [0, 100], color="#999999", linewidth=0.8, linestyle="--",
            label="Gelijke spreiding")  # fmt: skip
    for (label, curve), colour in zip(curves.items(), style.CATEGORICAL, strict=False):
        ax.plot(curve["aandeel_regios"] * 100, curve["aandeel_totaal"] * 100, color=colour,
                linewidth=2, label=label)  # fmt: skip
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_formatter(axis_formatter())
    ax.yaxis.set_major_formatter(axis_formatter())
    ax.legend(loc="upper left", fontsize=8)
    return fig
