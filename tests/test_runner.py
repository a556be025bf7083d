"""Runner pieces that need no notebook run: parameters, plans, fingerprints."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import config
from helpers.build import runner


def test_parameters_cell_is_read_without_papermill():
    declared = runner.notebook_parameters(config.NOTEBOOKS_DIR / "rd.ipynb")
    assert declared == {"year": "2015", "patent_year": "2012", "corop_rd_file": '""'}


def test_yaml_dates_lists_and_dicts_reach_notebooks_as_plain_values():
    assert runner._plain(dt.date(2016, 1, 1)) == "2016-01-01"
    assert runner._plain([dt.date(2016, 1, 1), 3]) == ["2016-01-01", 3]
    assert runner._plain({2016: dt.datetime(2016, 1, 1, 12)}) == {"2016": "2016-01-01T12:00:00"}


def test_override_of_a_string_parameter_keeps_it_a_string():
    chapters = runner.load_params()
    runner.apply_overrides(chapters, ["rd.corop_rd_file=2016-01-01"])
    assert chapters["rd"].parameters["corop_rd_file"] == "2016-01-01"


def test_plan_runs_everything_without_a_manifest_and_records_reasons(tmp_path):
    chapters = runner.load_params()
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    plans = runner.plan(chapters, runner.load_manifest(target.manifest), target)
    assert [p.run for p in plans] == [True] * len(chapters)
    assert {p.reason for p in plans} == {"no previous run"}


def test_plan_detects_parameter_and_data_changes(tmp_path, monkeypatch):
    chapters = runner.load_params()
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    target.generated.mkdir()
    for name in chapters:
        (target.generated / f"{name}.ipynb").write_text("{}")
    data = tmp_path / "data"
    (data / "processed").mkdir(parents=True)
    (data / "processed" / "x.csv").write_text("a\n1\n")
    monkeypatch.setattr(config, "DATA_DIR", data)
    plans = runner.plan(chapters, {"chapters": {}}, target)
    results = {
        p.chapter.name: {"reads": ["processed/x.csv"] if p.chapter.name == "rd" else [],
                         "globs": [], "seconds": 1.0, "peak_mb": 1.0}
        for p in plans
    }  # fmt: skip
    runner.save_manifest(target, plans, results, {"chapters": {}}, None)
    manifest = runner.load_manifest(target.manifest)
    assert all(not p.run for p in runner.plan(chapters, manifest, target))

    (data / "processed" / "x.csv").write_text("a\n2\n")
    again = {p.chapter.name: p for p in runner.plan(chapters, manifest, target)}
    assert again["rd"].run and again["rd"].reason == "data changed: processed/x.csv"
    assert not again["europa"].run

    chapters["europa"].parameters["year"] = 2021
    changed = {p.chapter.name: p for p in runner.plan(chapters, manifest, target)}
    assert changed["europa"].reason == "parameters changed"


def test_every_data_read_in_the_helpers_goes_through_config():
    package = Path(runner.__file__).parent
    for path in package.glob("*.py"):
        if path.name == "config.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "PROCESSED_DIR" not in text and "PUBLISHED_DIR" not in text, (
            f"{path.name} reads data without config.data_file (the runner would miss it)"
        )
