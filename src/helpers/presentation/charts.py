"""Charts in the house style (seaborn and matplotlib): bars, lines, Lorenz curves and slope
charts. Legends never cover data (they sit outside the axes or in a part the data cannot
reach) and no chart prints its source: the figure caption carries it ("Bron: ...")."""

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
    vertical ``reference`` line (e.g. EU = 100). The legend of ``hue`` sits below the chart,
    outside the axes, so it never covers a bar or its label."""
    style.apply()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained" if hue else None)
    palette = style.CATEGORICAL[: data[hue].nunique()] if hue else [style.PALETTE["blue"]]
    sns.barplot(
        data=data, x=value, y=category, hue=hue, palette=palette if hue else None,
        color=None if hue else palette[0], ax=ax, orient="h",
    )  # fmt: skip
    labels = []
    for container in ax.containers:
        labels += ax.bar_label(
            container,
            labels=[fmt_number(v, decimals) for v in container.datavalues],
            fontsize=7,
            padding=2,
        )
    if reference is not None:
        ax.axvline(reference, color=style.PALETTE["black"], linewidth=0.8, linestyle="--")
        if reference_label:
            ax.text(reference, -0.7, reference_label, fontsize=8, ha="center")
        _labels_off_line(fig, ax, labels, reference)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_formatter(axis_formatter())
    ax.set_ylabel("")
    if title:
        ax.set_title(title, loc="left")
    if hue:
        handles, labels = ax.get_legend_handles_labels()
        if ax.get_legend() is not None:
            ax.get_legend().remove()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 3),
                   fontsize=8, frameon=False)  # fmt: skip
    return fig


def _labels_off_line(fig: plt.Figure, ax: plt.Axes, labels: list, reference: float) -> None:
    """Move every bar label that would sit on the vertical ``reference`` line (a bar ending
    just short of it: 95,0 or 99,1 against EU = 100) to just past the line, so that a value
    is never crossed out by the line. ``labels`` are the annotations of ``ax.bar_label``
    (offset in points from the bar's end); the others stay where they are."""
    fig.canvas.draw()  # final positions (layout, limits) before measuring
    renderer = fig.canvas.get_renderer()
    line = ax.transData.transform((reference, 0))[0]
    gap = 3  # points between the line and a moved label
    for label in labels:
        box = label.get_window_extent(renderer)
        if box.x0 - 1 <= line <= box.x1 + 1:
            end = ax.transData.transform(label.xy)[0]  # the bar's end, pixels
            label.xyann = ((line - end) * 72 / fig.dpi + gap, label.xyann[1])
            label.set_horizontalalignment("left")


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


def slope_chart(
    data: pd.DataFrame,
    *,
    label: str,
    before: str,
    after: str,
    before_label: str,
    after_label: str,
    highlight: list[str] | None = None,
    ylabel: str = "",
    log: bool = False,
    decimals: int = 0,
    figsize: tuple[float, float] = (6, 7),
) -> plt.Figure:
    """One line per row from its ``before`` value (left, under ``before_label``) to its
    ``after`` value (right); the ``highlight`` rows (by their ``label``) in colour and named with
    both values, the others in grey, so forty regions stay readable (labels that would overlap
    are moved apart). With ``log`` the axis is logarithmic: lines of regions that grew at the
    same rate are then parallel."""
    style.apply()
    fig, ax = plt.subplots(figsize=figsize)
    colours = dict(zip(highlight or [], style.CATEGORICAL, strict=False))
    for row in data.sort_values(after).itertuples(index=False):
        name = getattr(row, label)
        ax.plot([0, 1], [getattr(row, before), getattr(row, after)],
                color=colours.get(name, "#bbbbbb"), linewidth=2 if name in colours else 0.8,
                marker="o", markersize=3 if name in colours else 0)  # fmt: skip
    if log:
        from matplotlib.ticker import LogLocator, NullFormatter

        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(axis_formatter())
    ax.set_xticks([0, 1], [before_label, after_label])
    ax.set_xlim(-0.35, 1.6)
    ax.set_ylabel(ylabel)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="x", length=0)
    shown = data[data[label].isin(colours)]
    for x, column, side in ((0, before, "right"), (1, after, "left")):
        texts = [
            fmt_number(v, decimals) if x == 0 else f"{name} ({fmt_number(v, decimals)})"
            for name, v in zip(shown[label], shown[column], strict=True)
        ]
        places = _spread(ax, shown[column].to_numpy(dtype=float), gap_points=10)
        for name, value, place, text in zip(
            shown[label], shown[column], places, texts, strict=True
        ):
            ax.annotate(text, (x, value), xytext=(x + (0.04 if x else -0.04), place),
                        textcoords="data", fontsize=8, color=colours[name], va="center",
                        ha=side)  # fmt: skip
    return fig


def _spread(ax: plt.Axes, values: object, gap_points: float) -> list[float]:
    """Label heights (data units) near ``values`` at least ``gap_points`` apart on the page."""
    transform = ax.transData
    pixels = gap_points * ax.figure.dpi / 72
    ys = [transform.transform((0, v))[1] for v in values]
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = list(ys)
    for previous, current in zip(order, order[1:], strict=False):
        placed[current] = max(placed[current], placed[previous] + pixels)
    inverse = transform.inverted()
    return [float(inverse.transform((0, y))[1]) for y in placed]
