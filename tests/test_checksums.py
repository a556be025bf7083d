"""Committed data files carry checksums (data/CHECKSUMS.tsv) that are verified on read: a
truncated or damaged file fails with its name instead of being read as if complete."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import config

ROOT = config.ROOT


def _data_files() -> set[str]:
    """Files under data/ in the working tree that git tracks or would track."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", "data"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {
        Path(name).relative_to("data").as_posix()
        for name in out.split("\0")
        if name and (ROOT / name).is_file() and config.checksummed(ROOT / name)
    }


def test_checksums_cover_exactly_the_committed_data_files():
    sums = config.read_checksums()
    assert set(sums) == _data_files()
    for name, (sha, size) in sums.items():
        path = config.DATA_DIR / name
        assert path.stat().st_size == size, name
        assert config.file_sha256(path) == sha, name


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """config pointed at a copy of data/ (files and checksums), so a test may damage it."""
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target)
    monkeypatch.setattr(config, "DATA_DIR", target)
    monkeypatch.setattr(config, "_VERIFIED", {})
    return target


def test_intact_file_is_read(data_copy: Path):
    from helpers.geography import nl

    assert len(nl.boundaries("gemeente", 2016)) == 390


def test_truncated_file_is_refused_by_name(data_copy: Path):
    from helpers.geography import nl

    path = data_copy / "processed" / "geo" / "nl_gemeente_2016.geojson"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(config.DataIntegrityError, match=r"data/processed/geo/nl_gemeente_2016"):
        nl.boundaries("gemeente", 2016)


def test_changed_file_of_same_size_is_refused(data_copy: Path):
    from helpers.data.published import load_published

    path = data_copy / "published" / "ris2017_tabel1.csv"
    text = path.read_bytes()
    digit = next(i for i, b in enumerate(text) if chr(b).isdigit() and chr(b) != "9")
    path.write_bytes(text[:digit] + b"9" + text[digit + 1 :])
    with pytest.raises(config.DataIntegrityError, match="ris2017_tabel1.csv does not match"):
        load_published("ris2017_tabel1")


def test_file_without_checksum_is_refused_with_the_remedy(data_copy: Path):
    extra = data_copy / "processed" / "rd" / "extra.csv"
    extra.write_text("a\n1\n")
    with pytest.raises(config.DataIntegrityError, match=r"extra.csv has no checksum.*make"):
        config.data_file("processed", "rd", "extra.csv")
    config.write_checksums()
    assert config.data_file("processed", "rd", "extra.csv") == extra


def test_damaged_checksums_line_is_named(data_copy: Path):
    with open(data_copy / "CHECKSUMS.tsv", "a", encoding="utf-8") as handle:
        handle.write("processed/x.csv\tabc\n")
    with pytest.raises(config.DataIntegrityError, match=r"CHECKSUMS.tsv, line \d+"):
        config.data_file("processed", "rd", "gdp_nl.csv")


def test_missing_file_is_left_to_the_reader(data_copy: Path):
    path = config.data_file("processed", "rd", "absent.csv")
    assert not path.exists()


@pytest.mark.slow
def test_chapter_on_truncated_file_fails_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_notebook
):
    """A chapter executed on a checkout whose processed table was cut short stops with the
    file's name (it used to publish whatever rows were left)."""
    from papermill.exceptions import PapermillExecutionError

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    path = project / "data" / "processed" / "cbs" / "new_establishments_83631ned.csv"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    monkeypatch.setenv("RI_ROOT", str(project))
    with pytest.raises(PapermillExecutionError) as caught:
        run_notebook("startups")
    message = str(caught.value)
    assert "DataIntegrityError" in message
    assert "data/processed/cbs/new_establishments_83631ned.csv does not match" in message


def test_a_damaged_table_behind_a_parameter_rule_is_one_line(data_copy: Path):
    """The runner checks parameters against processed tables before anything runs; a damaged
    table there is a ParameterError (one line naming it), not a traceback."""
    from helpers.build import params, runner

    rd = runner.load_params()["rd"]
    table = data_copy / "processed" / "cbs" / "rd_82352ned.csv"
    table.write_bytes(table.read_bytes()[:100])
    with pytest.raises(params.ParameterError, match="rd_82352ned.csv does not match"):
        params.validate("rd", rd.parameters, rd.valid)
