"""The one status vocabulary: what kind of source a figure, table or raw file is, relative to
the 2018 publication. Figures, tables, interactive maps and the provenance page all use it;
an unknown key is an error that lists the valid ones.
"""

from __future__ import annotations

#: Status key -> the reader's wording (shown as "Status: ..." next to every figure and table).
STATUSES: dict[str, str] = {
    "origineel": "origineel (dezelfde bron als de publicatie)",
    "latere editie": "dezelfde bron, latere editie",
    "vergelijkbaar begrip": "dezelfde uitgever, vergelijkbaar begrip",
    "benadering": "benadering (open vervanging voor een niet-openbare bron)",
    "ander begrip": "vervanging door een ander begrip",
    "gepubliceerd": "gepubliceerde waarden (niet herberekend)",
    "aangeleverd": "origineel, aangeleverd door de gebruiker",
    "nieuw": "nieuwe analyse (niet in de publicatie)",
    "ondersteunend": "ondersteunend (kaartgrenzen, indelingen, hulpgegevens)",
}


def status_label(status: str) -> str:
    """The reader's wording of a status key.

    Raises ``ValueError`` naming the valid keys when ``status`` is not one of them."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    return STATUSES[status]


def status_of_role(role: str | None) -> str:
    """Status key of a raw source from its ``role`` in ``data/sources.yml`` (English prose:
    "proxy (...)", "later edition ...", "same publisher and table ...", "same publisher,
    close concept ...", "published ..."; anything else, such as geometry, crosswalks and
    denominators, is "ondersteunend")."""
    role = (role or "").lower()
    if role.startswith("proxy"):
        return "benadering"
    if role.startswith("later edition"):
        return "latere editie"
    if role.startswith("same publisher, close concept"):
        return "vergelijkbaar begrip"
    if role.startswith(("same publisher", "original")):
        return "origineel"
    if role.startswith("published"):
        return "gepubliceerd"
    return "ondersteunend"
