"""Every field case (../shared/field-cases/<folder>: a real-world input the book once
mishandled) has its inputs copied into tests/fixtures/field_cases and a test that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import config

FIXTURES = Path(__file__).parent / "fixtures" / "field_cases"
SHARED = config.ROOT.parent / "shared" / "field-cases"


def _folders(root: Path) -> set[str]:
    return {p.name for p in root.iterdir() if p.is_dir() and p.name[:2].isdigit()}


def _tests_naming(folder: str) -> list[str]:
    here = Path(__file__)
    return [
        p.name
        for p in here.parent.glob("test_*.py")
        if p != here and folder in p.read_text(encoding="utf-8")
    ]


def test_every_shared_field_case_is_copied_into_the_fixtures():
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not beside the project")
    assert _folders(SHARED) <= _folders(FIXTURES), _folders(SHARED) - _folders(FIXTURES)


@pytest.mark.parametrize("folder", sorted(_folders(FIXTURES)))
def test_every_field_case_has_a_test_that_uses_it(folder: str):
    assert _tests_naming(folder), f"no test uses tests/fixtures/field_cases/{folder}"
