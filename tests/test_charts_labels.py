"""Bar labels never sit on a chart's reference line (Europa, figure 2: 95,0 and 99,1 next to
EU = 100)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers.presentation.charts import bar_chart


@pytest.mark.parametrize("hue", [False, True])
def test_value_labels_stay_off_the_reference_line(hue):
    data = pd.DataFrame(
        {"provincie": ["A", "B", "C", "D"], "score": [95.0, 99.1, 130.0, 60.0], "bron": "x"}
    )
    if hue:  # two bars per province, as in the Europa chapter
        data = pd.concat([data, data.assign(score=data["score"] - 1.5, bron="y")])
    fig = bar_chart(
        data, value="score", category="provincie", hue="bron" if hue else None,
        reference=100, reference_label="EU = 100",
    )  # fmt: skip
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    line = ax.transData.transform((100, 0))[0]
    values = [t for t in ax.texts if t.get_text() != "EU = 100"]
    assert len(values) == len(data)
    for text in values:
        box = text.get_window_extent(renderer)
        assert not box.x0 <= line <= box.x1, text.get_text()
    # a label that did not touch the line stays at its bar's end
    far = next(t for t in values if t.get_text() == "60,0")
    assert far.xyann[0] == pytest.approx(2)
    plt.close(fig)
