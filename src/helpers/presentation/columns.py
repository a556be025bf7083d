"""What the columns of the book's CSV downloads mean, in Dutch, with their units.

Every figure and table comes with a CSV of the data behind it (``helpers.presentation.figures``):
a plain CSV (comma, dot as decimal sign, full values, one header row) that any program reads
without options. What each column holds is said once here, per chapter (the same name means
the same thing within a chapter; names shared by all chapters in :data:`COMMON`), and printed
under the figure or table next to its download link ("Kolommen: ``code``: CBS-code van de
gemeente (GMxxxx); ..."). A view can pass its own descriptions (``columns=`` of ``book_figure``/``book_table``).

Columns whose name depends on a parameter (``bbp_2023``, ``pct_bbp_2023``) are described by a
regular expression in :data:`PATTERNS` (its first group is put into the text as ``{0}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

#: Columns that mean the same in every chapter.
COMMON: dict[str, str] = {
    "code": "CBS-code van de gemeente (GMxxxx)",
    "gemeente": "CBS-code van de gemeente (GMxxxx)",
    "corop": "COROP-code CBS (CRxx)",
    "provincie": "provinciecode CBS (PVxx)",
    "provincie_naam": "naam van de provincie",
    "nuts2": "NUTS 2-code (Eurostat; provincie)",
    "nuts3": "NUTS 3-code (Eurostat; COROP-regio)",
    "name": "naam van de regio",
    "naam": "naam van de plaats",
    "year": "jaar",
    "klasse": "klasse op de kaart (tekst van de legenda)",
    "klasse_van": "ondergrens van de klasse op de kaart (eenheid van de waarde)",
    "klasse_tot": "bovengrens van de klasse op de kaart (eenheid van de waarde)",
    "aandeel_pct": "aandeel in het Nederlandse totaal (%)",
    "earlier": "waarde in het eerste jaar van de vergelijking (aantal)",
    "later": "waarde in het laatste jaar van de vergelijking (aantal)",
    "change_pct": "verandering van het eerste naar het laatste jaar (%)",
    "change_pp": "verandering van het eerste naar het laatste jaar (procentpunten)",
}

#: Per chapter (its name as in ``params.yml``, or the slug of ``book_figure``'s ``chapter``):
#: column -> meaning and unit.
CHAPTERS: dict[str, dict[str, str]] = {
    "europa": {
        "provincie": "naam van de provincie",
        "region": "NUTS 2-code (Eurostat) van de regio",
        "nuts_code": "NUTS 2-code (Eurostat) van de provincie",
        "region_name": "naam van de regio",
        "country": "landcode (Eurostat)",
        "index": "RIS-index zoals de database hem geeft (EU in het basisjaar = 100)",
        "score_eu": "RIS-score ten opzichte van de EU in hetzelfde jaar (EU = 100)",
        "score_eu_pub": "RIS-score 2017 zoals gepubliceerd (EU = 100)",
        "score_nl": "RIS-score 2017 zoals gepubliceerd, ten opzichte van Nederland (NL = 100)",
        "score_nl_gem": "RIS-score ten opzichte van het gemiddelde van de provincies (= 100)",
        "group": "prestatiegroep van het RIS (Engelse naam, zoals in de database)",
        "group_nl": "prestatiegroep (Nederlandse naam)",
        "prestatiegroep": "prestatiegroep (Nederlandse naam)",
        "subgroep": "subgroep zoals gepubliceerd (+ of -; leeg: geen)",
        "pps_jaar": "bbp per inwoner in koopkrachtstandaarden in het RIS-jaar (EU = 100)",
        "pps_gdp_jaar": "bbp per inwoner in koopkrachtstandaarden in het bbp-jaar (EU = 100)",
        "rang_ris": "rang naar RIS-score (1 = hoogste)",
        "rang_pps": "rang naar bbp per inwoner (1 = hoogste)",
        "rang_verschil": "rang RIS min rang bbp (positief: rijker dan innovatief)",
    },
    "hoogopgeleiden": {
        "hbo_wo_pct": "hoogopgeleiden (hbo/wo) als % van de bevolking van 15-75 jaar",
        "bevolking_15_75": "bevolking van 15-75 jaar (personen)",
        "bevolking_later": "bevolking van 15-75 jaar in het laatste jaar (personen)",
        "pct_earlier": "aandeel hoogopgeleiden in het eerste jaar (%)",
        "pct_later": "aandeel hoogopgeleiden in het laatste jaar (%)",
        "tertiary_pct_25_64": "bevolking van 25-64 jaar met hoger onderwijs, ISCED 5-8 (%)",
        "flag": "Eurostat-kenmerk van de waarde (b: breuk in de reeks; leeg: geen)",
        "ris_score": "RIS-score van de provincie (EU = 100)",
    },
    "innovatieve_bedrijven": {
        "aantal": "bedrijfsvestigingen (aantal)",
        "vestigingen": "bedrijfsvestigingen (aantal)",
        "klasse": "grootteklasse van de gemeente (vestigingen)",
        "aantal_gemeenten": "gemeenten in de klasse (aantal)",
        "aandeel_regios": "aandeel van de gemeenten, van klein naar groot (0-1)",
        "aandeel_totaal": "cumulatief aandeel van het totaal (0-1)",
        "reeks": "welke reeks (curve)",
        "indicator": "RIS-indicator (Engelse naam, zoals in de database)",
        "region": "NUTS 2-code (Eurostat) van de provincie",
        "country": "landcode (Eurostat)",
        "value": "score van de indicator (EU = 100)",
        "verschillende_waarden": "verschillende waarden over de provincies (1: één landelijke waarde)",  # noqa: E501
    },
    "rd": {
        "status": "status van het CBS-cijfer (definitief of voorlopig)",
        "rd_mln_euro": "R&D-uitgaven (miljoen euro)",
        "rd_arbeidsjaren": "R&D-personeel (arbeidsjaren)",
        "rang": "rang naar R&D-uitgaven (1 = hoogste)",
        "bbp_cbs": "regionaal bbp volgens CBS (miljoen euro)",
        "pct_bbp_cbs": "R&D-uitgaven als % van het bbp volgens CBS",
        "pct_bbp_eurostat": "R&D-uitgaven als % van het bbp volgens Eurostat (eigen enquête)",
        "verschil_eurostat": "verschil met Eurostats eigen percentage (procentpunten)",
        "waarde": "octrooiaanvragen bij het EOB (aantal)",
        "kenmerk": "wat de waarde is",
        "eenheid": "eenheid van de waarde",
        "bron": "bron van de waarde",
        "plaats": "plaats in de publicatie",
    },
    "scale_ups": {
        "vestigingen_10_plus": "vestigingen met 10 of meer werkzame personen (aantal)",
        "vestigingen": "vestigingen, alle groottes (aantal)",
        "aandeel_pct": "aandeel in het Nederlandse totaal van vestigingen met 10+ personen (%)",
        "pct_10_plus": "vestigingen met 10 of meer werkzame personen als % van alle vestigingen",  # noqa: E501
        "scaleups": "scale-ups (aantal)",
        "aantal": "scale-ups (aantal)",
        "indicator": "wat het cijfer is (zoals de bron het noemt)",
        "geography": "gebied",
        "value_as_stated": "het cijfer zoals de bron het noemt",
        "unit": "eenheid",
        "from_rathenau_2018_report": "staat het cijfer in de publicatie van 2018",
        "source_url": "webadres van de bron",
        "note": "opmerking",
    },
    "startups": {
        "totaal": "nieuwe vestigingen (aantal)",
        "vestigingen_totaal": "vestigingen op 1 januari (aantal)",
        "per_1000": "nieuwe vestigingen per 1.000 bestaande vestigingen",
        "totaal_earlier": "nieuwe vestigingen in het eerste jaar (aantal)",
        "totaal_later": "nieuwe vestigingen in het laatste jaar (aantal)",
        "startups": "startups (aantal)",
        "actief_10_plus": "actieve ondernemingen met 10 of meer werknemers (aantal)",
        "actief_totaal": "actieve ondernemingen (aantal)",
        "oprichtingen_10_plus": "oprichtingen met 10 of meer werknemers (aantal)",
        "oprichtingen_totaal": "oprichtingen (aantal)",
        "oprichtingsgraad_pct_10_plus": "oprichtingen als % van de actieve ondernemingen, 10+ werknemers",  # noqa: E501
        "oprichtingsgraad_pct_totaal": "oprichtingen als % van de actieve ondernemingen",
    },
    "topsectoren": {
        "projecten": "projecten (aantal)",
        "bedrag": "EU-bijdrage (euro)",
        "mln": "EU-bijdrage (miljoen euro)",
        "degree": "plaatsen waarmee de plaats samenwerkt (aantal)",
        "strength": "samenwerkingen van de plaats, opgeteld over haar verbindingen (aantal)",
        "a": "CBS-code van de gemeente van de ene plaats",
        "b": "CBS-code van de gemeente van de andere plaats",
        "naam_a": "naam van de ene plaats",
        "naam_b": "naam van de andere plaats",
        "thema": "thema",
        "plaatsen": "plaatsen met deelnemers (aantal)",
        "verbindingen": "verbindingen tussen plaatsen (aantal)",
        "knooppunten": "de drie plaatsen met de meeste samenwerkingen (gescheiden door ;)",
        "grensoverschrijdend_pct": "samenwerkingen over een provinciegrens (%)",
    },
}

#: Columns whose name carries a parameter: regular expression -> meaning (``{0}``: group 1).
PATTERNS: dict[str, str] = {
    r"bbp_(\d{4})": "regionaal bbp volgens Eurostat, editie {0} (miljoen euro)",
    r"pct_bbp_(\d{4})": "R&D-uitgaven als % van het bbp volgens Eurostat, editie {0}",
}


def _chapter_key(chapter: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", chapter.lower()).strip("_")


def describe(chapter: str, column: str, extra: Mapping[str, str] | None = None) -> str | None:
    """The meaning of ``column`` in ``chapter`` (``extra``, a view's own descriptions, first;
    then the chapter's, :data:`COMMON` and :data:`PATTERNS`); None when nowhere described."""
    if extra and column in extra:
        return extra[column]
    own = CHAPTERS.get(_chapter_key(chapter), {})
    if column in own:
        return own[column]
    if column in COMMON:
        return COMMON[column]
    for pattern, text in PATTERNS.items():
        match = re.fullmatch(pattern, column)
        if match:
            return text.format(*match.groups())
    return None


def undescribed(chapter: str, columns: Iterable[str]) -> list[str]:
    """The ``columns`` that :func:`describe` does not know in ``chapter``."""
    return [str(c) for c in columns if describe(chapter, str(c)) is None]


def column_line(
    chapter: str, columns: Iterable[str], extra: Mapping[str, str] | None = None
) -> str:
    """The line under a figure or table that says what its CSV holds: ``Kolommen: `code`:
    CBS-code van de gemeente (GMxxxx); `name`: naam van de regio; ...`` (MyST Markdown;
    column names as code). A column without a description is named only."""
    parts = []
    for column in columns:
        text = describe(chapter, str(column), extra)
        name = f"`{str(column).replace('`', '')}`"
        parts.append(f"{name}: {_plain(text)}" if text else name)
    return "Kolommen: " + "; ".join(parts) + "." if parts else ""


def _plain(text: str) -> str:
    """``text`` safe inside a MyST paragraph (characters it reads as markup escaped)."""
    return re.sub(r"([\\`*_\[\]<>|{}])", r"\\\1", " ".join(text.split()))
