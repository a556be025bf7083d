"""One status vocabulary for figures, tables, maps and the provenance page."""

from __future__ import annotations

import re

import pytest

from helpers import config
from helpers.data.registry import load_registry
from helpers.presentation.status import STATUSES, status_label, status_of_role


def test_unknown_status_names_the_valid_ones():
    with pytest.raises(ValueError, match="nieuw") as info:
        status_label("nieuwe analyse")
    assert all(key in str(info.value) for key in STATUSES)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("proxy (new establishments for startups)", "benadering"),
        ("later edition of the source used by the publication (RIS 2017)", "latere editie"),
        ("same publisher, close concept (hbo/wo share)", "vergelijkbaar begrip"),
        ("same publisher and table as the publication (totals)", "origineel"),
        ("published figures (as stated on public pages)", "gepubliceerd"),
        ("geometry (gemeente boundaries 2017)", "ondersteunend"),
        (None, "ondersteunend"),
    ],
)
def test_registry_roles_map_to_statuses(role, status):
    assert status_of_role(role) == status


def test_every_registered_source_has_a_status_of_the_vocabulary():
    assert {status_of_role(s.role) for s in load_registry().values()} <= set(STATUSES)


def test_notebooks_use_only_statuses_of_the_vocabulary():
    used = set()
    for notebook in config.NOTEBOOKS_DIR.glob("*.ipynb"):
        used |= set(re.findall(r'status=\\"([^"\\]+)\\"', notebook.read_text(encoding="utf-8")))
    assert used, "no status found in the notebooks"
    assert used <= set(STATUSES), used - set(STATUSES)
