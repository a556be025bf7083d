"""Chart legends never cover data (issue 15): the legend of a grouped bar chart sits outside
the axes, below the chart."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from helpers.presentation.charts import bar_chart  # noqa: E402


def test_grouped_bar_legend_is_outside_the_axes():
    data = pd.DataFrame(
        {
            "regio": ["A", "A", "B", "B", "C", "C"],
            "bron": ["toen", "nu"] * 3,
            "score": [136.6, 142.6, 103.6, 103.3, 95.0, 99.1],  # long bars at the bottom too
        }
    )
    fig = bar_chart(data, value="score", category="regio", hue="bron", reference=100)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert ax.get_legend() is None and len(fig.legends) == 1
    legend = fig.legends[0].get_window_extent()
    assert not legend.overlaps(ax.get_window_extent())
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["toen", "nu"]
