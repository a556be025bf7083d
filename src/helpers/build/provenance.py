"""The provenance page ("Bronnen en herkomst"), generated from the data registry.

The page is for readers, in Dutch: the registry's reader-facing fields (``title``,
``publisher``, ``licence``, ``mirror_only``) are written in Dutch in ``data/sources.yml``;
a ``citation`` is given as published.

For every registered raw file: publisher, title, upstream page, licence, retrieval date,
checksum, where the project gets it (commit-pinned URL or mirror-only, with the reason), its
status relative to the 2018 publication, and which chapters use it. The chain is followed
from the registry through the processing steps (``SOURCES`` -> ``OUTPUTS``) to the data
files each chapter notebook read in its last run (the runner's read trace).
"""

from __future__ import annotations

import html
from pathlib import Path

from helpers.data.registry import Source, load_registry
from helpers.presentation.status import STATUSES, status_of_role


def status_of(source: Source) -> str:
    """Status key of a raw source (see :func:`helpers.presentation.status.status_of_role`)."""
    return status_of_role(source.role)


def outputs_by_source() -> dict[str, list[str]]:
    """Source id -> processed files (relative to ``data/``) made from it."""
    from helpers.data.processing import STEPS

    mapping: dict[str, list[str]] = {}
    for step in STEPS.values():
        for source_id in step.SOURCES:
            mapping.setdefault(source_id, []).extend(f"processed/{o}" for o in step.OUTPUTS)
    return mapping


def chapters_by_source(reads: dict[str, list[str]]) -> dict[str, list[str]]:
    """Source id -> chapters whose notebooks read a file made from it."""
    outputs = outputs_by_source()
    used: dict[str, list[str]] = {}
    for source_id, files in outputs.items():
        chapters = sorted(c for c, read in reads.items() if set(files) & set(read))
        if chapters:
            used[source_id] = chapters
    return used


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


#: Characters of a checksum shown; the full value is one click away (``<details>``).
SHORT_HASH = 12


def _source_entry(source: Source, chapters: list[str], titles: dict[str, str]) -> list[str]:
    """One bronbestand as a definition-list entry (a card on the page, ``ri-book.css``): file
    and id, then status, chapters, origin and checksum, each on its own line, so nothing is
    squeezed into narrow table columns on a phone. The checksum shows its first
    :data:`SHORT_HASH` characters; the full value opens with a click."""
    where = ", ".join(titles.get(c, c) for c in chapters) or "–"
    origin = (
        f"[{_cell(source.repo or 'vast webadres')}]({source.url}), versie (commit) "
        f"`{(source.commit or '')[:10]}`"
        if source.url
        else f"alleen via spiegel: {_cell(source.mirror_only)}"
    )
    digest = html.escape(source.sha256)
    return [
        f"`{source.file}` (`{source.id}`)",
        f": **Status:** {STATUSES[status_of(source)]}",
        f": **Gebruikt in:** {_cell(where)}",
        f": **Herkomst:** {origin}",
        f': <details class="ri-hash"><summary>sha256 <code>{digest[:SHORT_HASH]}…</code>'
        f"</summary><code>{digest}</code></details>",
        "",
    ]


def page(reads: dict[str, list[str]], titles: dict[str, str]) -> str:
    """MyST Markdown of the provenance page. ``reads``: chapter -> data files read;
    ``titles``: chapter -> title shown."""
    registry = load_registry()
    used = chapters_by_source(reads)
    lines = [
        "# Bronnen en herkomst",
        "",
        "Deze pagina wordt bij elke bouw van het boek opnieuw gemaakt uit het bronnenregister "
        "(`data/sources.yml`). Per bronbestand staat hier wie het publiceert, waar het vandaan "
        "komt, onder welke licentie, wanneer het is opgehaald, de controlesom (sha256) waarmee "
        "elke bouw het bestand controleert, welke hoofdstukken het gebruiken en wat het is ten "
        "opzichte van de uitgave van 2018: dezelfde bron, een latere editie, een benadering of "
        "ondersteunend materiaal.",
        "",
    ]
    counts: dict[str, int] = {}
    for source in registry.values():
        counts[status_of(source)] = counts.get(status_of(source), 0) + 1
    lines.append(
        "In totaal "
        + str(len(registry))
        + " bestanden: "
        + ", ".join(f"{n} {STATUSES[k]}" for k, n in sorted(counts.items()))
        + "."
    )
    lines.append("")
    by_dataset: dict[str, list[Source]] = {}
    for source in registry.values():
        by_dataset.setdefault(source.dataset, []).append(source)
    for dataset, sources in by_dataset.items():
        first = sources[0]
        lines += [
            f"## {_cell(first.title)}",
            "",
            f"- Uitgever: {_cell(first.publisher)}",
            f"- Oorspronkelijke vindplaats: <{first.upstream_url}>",
            f"- Licentie: {_cell(first.licence)}",
            f"- Verwijzing: {_cell(first.citation)}",
            f"- Opgehaald: {_cell(first.retrieved or 'onbekend')}; map in de spiegel: `{dataset}`",
            "",
            ":::{container} ri-sources",
            "",
        ]
        for source in sources:
            lines += _source_entry(source, used.get(source.id, []), titles)
        lines += [":::", ""]
    return "\n".join(lines) + "\n"


def write_page(path: Path, reads: dict[str, list[str]], titles: dict[str, str]) -> Path:
    """Write the provenance page (:func:`page`, MyST Markdown, UTF-8) to ``path`` and return it.
    ``reads``: chapter -> data files its notebook read (relative to ``data/``, the runner's
    trace); ``titles``: chapter -> title. Source: ``data/sources.yml``; an invalid registry raises
    DataSourceError naming the file."""
    path.write_text(page(reads, titles), encoding="utf-8")
    return path
