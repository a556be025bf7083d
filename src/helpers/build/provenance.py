"""The provenance page ("Bronnen en herkomst"), generated from the data registry.

For every registered raw file: publisher, title, upstream page, licence, retrieval date,
checksum, where the project gets it (commit-pinned URL or mirror-only, with the reason), its
status relative to the 2018 publication, and which chapters use it. The chain is followed
from the registry through the processing steps (``SOURCES`` -> ``OUTPUTS``) to the data
files each chapter notebook read in its last run (the runner's read trace).
"""

from __future__ import annotations

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
            "| Bestand | Status | Gebruikt in | Herkomst | sha256 |",
            "|:--|:--|:--|:--|:--|",
        ]
        for source in sources:
            chapters = used.get(source.id, [])
            where = ", ".join(titles.get(c, c) for c in chapters) or "–"
            origin = (
                f"vaste URL (commit `{(source.commit or '')[:10]}`): <{source.url}>"
                if source.url
                else f"alleen via spiegel: {_cell(source.mirror_only)}"
            )
            lines.append(
                f"| `{source.file}` (`{source.id}`) | {STATUSES[status_of(source)]} | "
                f"{_cell(where)} | {origin} | `{source.sha256}` |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def write_page(path: Path, reads: dict[str, list[str]], titles: dict[str, str]) -> Path:
    """Write the provenance page (:func:`page`, MyST Markdown, UTF-8) to ``path`` and return it.
    ``reads``: chapter -> data files its notebook read (relative to ``data/``, the runner's
    trace); ``titles``: chapter -> title. Source: ``data/sources.yml``; an invalid registry raises
    DataSourceError naming the file."""
    path.write_text(page(reads, titles), encoding="utf-8")
    return path
