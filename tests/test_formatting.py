import math

import pytest

from helpers.presentation.formatting import (
    fmt_number,
    fmt_percent,
    fmt_signed,
    join_dutch,
    number_word,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (136.6, 1, "136,6"),
        (13695, 0, "13.695"),
        (1418820, 0, "1.418.820"),
        (95, 1, "95,0"),
        (0.59, 2, "0,59"),
        (-1234.5, 1, "-1.234,5"),
        (2.25, 1, "2,2"),  # round half to even, as Python does
        (151.05, 1, "151,1"),  # the float's exact value is just above 151.05, as in f"{x:.1f}"
    ],
)
def test_fmt_number_dutch_separators(value, decimals, expected):
    assert fmt_number(value, decimals) == expected


def test_fmt_number_missing_values():
    assert fmt_number(None) == "–"
    assert fmt_number(math.nan, 1) == "–"


def test_numpy_scalars_never_leak_repr():
    import numpy as np

    assert fmt_number(np.float64(143.51), 2) == "143,51"
    assert "np." not in fmt_number(np.int64(7))


def test_percent_signed_and_words():
    assert fmt_percent(24) == "24,0%"
    assert fmt_signed(6.6) == "+6,6"
    assert fmt_signed(-1.25, 2) == "\u22121,25"
    assert fmt_signed(0.0) == "0,0"
    assert (
        join_dutch(["Utrecht", "Noord-Brabant", "Limburg"]) == "Utrecht, Noord-Brabant en Limburg"
    )
    assert join_dutch(["Utrecht"]) == "Utrecht"
    assert number_word(7) == "zeven"
    assert number_word(30) == "30"


def test_decimals_tell_values_apart():
    from helpers.presentation.formatting import decimals_to_tell_apart

    assert decimals_to_tell_apart([0, 5000, 10000]) == 0
    assert decimals_to_tell_apart([0.21, 0.24]) == 2
    assert decimals_to_tell_apart([1.5, 2.0, 2.5]) == 1


def test_chart_axes_write_dutch_numbers():
    import matplotlib.pyplot as plt

    from helpers.presentation.formatting import axis_formatter

    fig, ax = plt.subplots()
    ax.plot([0, 12000], [0, 2.5])
    ax.xaxis.set_major_formatter(axis_formatter())
    ax.yaxis.set_major_formatter(axis_formatter())
    fig.canvas.draw()
    xs = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    ys = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    plt.close(fig)
    assert "10.000" in xs and not any("," in x for x in xs), xs
    assert "2,5" in ys and "0,0" in ys, ys


def test_map_legend_of_counts_has_no_decimals_and_classes_never_merge():
    import pandas as pd

    from helpers.presentation.maps import classify

    _, legend = classify(pd.Series([120, 130, 400, 800, 1367, 1500]), "quantiles", k=3)
    assert not any("," in label for label in legend), legend
    _, legend = classify(pd.Series([1.01, 1.02, 1.03, 1.04, 1.05, 1.06]), "quantiles", k=5)
    assert len(set(legend)) == len(legend), legend


def test_names_with_their_values():
    from helpers.presentation.formatting import join_with_values

    pairs = [("Amsterdam", 1200), ("Utrecht", 950.4)]
    assert join_with_values(pairs) == "Amsterdam (1.200) en Utrecht (950)"
    assert join_with_values(pairs, 1, percent=True) == "Amsterdam (1.200,0%) en Utrecht (950,4%)"
    assert join_with_values([("Delft", float("nan"))], percent=True) == "Delft (–)"
    assert join_with_values([]) == ""


# --- glue: what glue_text writes is what myst_nb.glue writes --------------------------------

GLUE_CASES = [
    ("plain", "13.695"),
    ("unicode", "Súdwest-Fryslân"),
    ("apostrophe", "'s-Gravenhage"),
    ("list", "Amsterdam, Rotterdam, 's-Gravenhage en Utrecht"),
    ("double", 'zij zei "ja"'),
    ("both", 'l\'été "chaud"'),
    ("newline", "regel een\nregel twee"),
    ("backslash", "C:\\data\\ris"),
    ("empty", ""),
    ("long", "Noord-Brabant, " * 12),
    ("symbols", "€ 1,5 mld – 56% (≈ 7.600)"),
]

# Runs in a fresh interpreter: a real IPython shell (as in a kernel) whose display publisher
# records every output instead of sending it; myst_nb is imported only after glue_text ran.
_GLUE_SCRIPT = r"""
import json, sys
from traitlets.config import Config
from IPython.core.interactiveshell import InteractiveShell

config = Config()
config.HistoryManager.hist_file = ":memory:"
shell = InteractiveShell.instance(config=config)
published = []
shell.display_pub.publish = lambda data, metadata=None, **kw: published.append(
    {"data": data, "metadata": metadata, **kw}
)
from helpers.presentation.narrative import glue_text, glue_values

cases = json.loads(sys.argv[1])
ours = []
for key, text in cases:
    glue_text(key, text)
    ours.append(published.pop())
glue_values({"number": 13695.2, "flag": True})
ours += [published.pop(0), published.pop(0)]
imported = sorted(m for m in sys.modules if m.split(".")[0] in ("myst_nb", "nbformat"))

from myst_nb import glue

theirs = []
for key, text in cases + [["number", "13.695"], ["flag", "True"]]:
    glue(key, text, display=False)
    theirs.append(published.pop())
print(json.dumps({"ours": ours, "theirs": theirs, "imported": imported}))
"""


@pytest.fixture(scope="module")
def glued(tmp_path_factory):
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, IPYTHONDIR=str(tmp_path_factory.mktemp("ipython")))
    result = subprocess.run(
        [sys.executable, "-c", _GLUE_SCRIPT, json.dumps(GLUE_CASES)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_glue_text_emits_what_myst_nb_glue_emits(glued):
    assert len(glued["ours"]) == len(glued["theirs"]) == len(GLUE_CASES) + 2
    for ours, theirs in zip(glued["ours"], glued["theirs"], strict=True):
        assert ours == theirs
    # what the book reads back: the repr under the record prefix, named in the metadata
    first = glued["ours"][1]
    assert first["data"] == {"application/papermill.record/text/plain": "'Súdwest-Fryslân'"}
    assert first["metadata"] == {
        "scrapbook": {"name": "unicode", "mime_prefix": "application/papermill.record/"}
    }


def test_glue_text_does_not_import_myst_nb(glued):
    assert glued["imported"] == []


def test_glued_values_read_back(glued, tmp_path):
    import json

    from conftest import read_glue

    outputs = [{"output_type": "display_data", **out} for out in glued["ours"]]
    notebook = {"cells": [{"cell_type": "code", "outputs": outputs}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    values = read_glue(path)
    assert values["unicode"] == "Súdwest-Fryslân"
    assert values["list"] == "Amsterdam, Rotterdam, 's-Gravenhage en Utrecht"
    assert values["number"] == "13.695"
