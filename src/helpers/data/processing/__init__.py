"""Processing steps: raw files (via the registry) -> tidy tables and geometries in
``data/processed/``.

Each step is a module with ``SOURCES`` (the source ids it reads), ``OUTPUTS`` (paths relative
to the output directory) and ``run(out_dir) -> list[Path]``, structured as *load inputs ->
process -> save outputs* with sanity assertions on what the data must contain. Outputs are
written deterministically, so re-running a step reproduces the committed files byte for byte.
Run all steps with ``make data`` (``python -m helpers.data.processing``).
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from helpers.data.processing import (
    cbs_regional,
    cordis,
    eurostat_regional,
    firms,
    gebieden,
    horizon_europe,
    kerncijfers,
    nl,
    nuts,
    rd,
    ris,
    woonplaatsen,
)
from helpers.data.processing.outputs import write_csv

__all__ = ["STEPS", "run_all", "write_csv"]

STEPS: dict[str, ModuleType] = {
    "ris": ris,
    "nuts": nuts,
    "nl": nl,
    "gebieden": gebieden,
    "rd": rd,
    "kerncijfers": kerncijfers,
    "firms": firms,
    "cordis": cordis,
    "horizon_europe": horizon_europe,
    "cbs_regional": cbs_regional,
    "eurostat_regional": eurostat_regional,
    "woonplaatsen": woonplaatsen,
}


def run_all(out_dir: Path, steps: list[str] | None = None) -> list[Path]:
    """Run the named steps (all by default) into ``out_dir``; returns the written files."""
    written: list[Path] = []
    for name in steps or list(STEPS):
        print(f"[data] {name}: processing ...", flush=True)
        paths = STEPS[name].run(Path(out_dir))
        for path in paths:
            print(f"[data] {name}: wrote {path} ({path.stat().st_size:,} bytes)", flush=True)
        written.extend(paths)
    return written
