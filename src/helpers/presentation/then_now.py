"""Wording for "then and now": a chapter keeps the publication's year as its reference and
adds a newer year. Both are parameters, so the reference may also lie before or after the
publication's year, the newer year may equal the reference or even precede it; these helpers
write sentences that read naturally in every case (no "sindsdien" when there is no since).
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.presentation.formatting import fmt_number, fmt_percent, fmt_signed, number_word


@dataclass(frozen=True)
class Period:
    """A chapter's reference year and the year it is compared with (its newest by default)."""

    reference: int
    newest: int

    @property
    def earlier(self) -> int:
        """The earlier of the two years."""
        return min(self.reference, self.newest)

    @property
    def later(self) -> int:
        """The later of the two years."""
        return max(self.reference, self.newest)

    @property
    def same(self) -> bool:
        """Whether both years are the same: there is no change to show."""
        return self.reference == self.newest

    @property
    def reversed(self) -> bool:
        """Whether the comparison year lies before the reference year."""
        return self.newest < self.reference

    @property
    def span(self) -> str:
        """``'2016-2023'``, or ``'2023'`` when both years are the same."""
        return str(self.earlier) if self.same else f"{self.earlier}-{self.later}"

    @property
    def years_text(self) -> str:
        """``'2016 en 2023'`` (earlier first), or ``'2023'`` when both years are the same."""
        return str(self.earlier) if self.same else f"{self.earlier} en {self.later}"

    def intro(self) -> str:
        """The opening of a comparison: how the two years relate (one sentence, or ``''`` when
        the comparison year is simply the later one)."""
        if self.same:
            return (
                f"Het vergelijkingsjaar is hier gelijk aan het referentiejaar ({self.reference}): "
                "er is geen verandering te tonen."
            )
        if self.reversed:
            return (
                f"Het vergelijkingsjaar ({self.newest}) ligt hier vóór het referentiejaar "
                f"({self.reference}); de vergelijking loopt daarom van {self.earlier} naar "
                f"{self.later}."
            )
        return ""


def year_range(years: list[int]) -> str:
    """The years data cover, as a range: ``[2014, ..., 2023] -> '2014-2023'`` (one year: that
    year). Raises ``ValueError`` for no years."""
    if not years:
        raise ValueError("year_range: no years")
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}-{last}"


def years_prose(years: list[int] | tuple[int, int]) -> str:
    """The years data cover, for a sentence: ``[2011, ..., 2016] -> '2011 tot en met 2016'``,
    one year: that year (``'2016'``). A range in running text is written out in Dutch, not as
    ``2011-2016`` (captions and table headers may keep the short form of :func:`year_range`).
    Raises ``ValueError`` for no years."""
    if not len(years):
        raise ValueError("years_prose: no years")
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first} tot en met {last}"


def between(first: int, last: int) -> str:
    """Two years as the span of a sentence: ``'tussen 2014 en 2020'`` (never ``'tussen
    2014-2020'``), ``'in 2016'`` when both are the same; the earlier year first."""
    first, last = sorted((int(first), int(last)))
    return f"in {first}" if first == last else f"tussen {first} en {last}"


def years_apart(year: int, other: int) -> str:
    """Where ``year`` lies from ``other``, in words: ``'hetzelfde jaar'``, ``'een jaar
    eerder'``, ``'zeven jaar later'``."""
    gap = int(year) - int(other)
    if gap == 0:
        return "hetzelfde jaar"
    words = "een" if abs(gap) == 1 else number_word(abs(gap))
    return f"{words} jaar {'later' if gap > 0 else 'eerder'}"


def _subject(subject: str) -> str:
    return f" {subject}" if subject else ""


def change_in_points(before: float, after: float, decimals: int = 1, subject: str = "") -> str:
    """A share's change, as a verb phrase with an optional ``subject`` after the verb (for a
    sentence that opens with a time or place): ``'steeg het aandeel van 28,1% naar 32,5% (+4,4
    procentpunt)'``, ``'daalde ...'``, or ``'bleef het aandeel 28,1%'`` when it is the same at
    ``decimals``."""
    diff = round(after, decimals) - round(before, decimals)
    if round(diff, decimals) == 0:
        return f"bleef{_subject(subject)} {fmt_percent(after, decimals)}"
    verb = "steeg" if diff > 0 else "daalde"
    return (
        f"{verb}{_subject(subject)} van {fmt_percent(before, decimals)} naar "
        f"{fmt_percent(after, decimals)} ({fmt_signed(diff, decimals)} procentpunt)"
    )


def change_in_count(before: float, after: float, subject: str = "") -> str:
    """A count's change, as a verb phrase with an optional ``subject`` after the verb:
    ``'steeg het aantal van 21.365 naar 34.230 (+60,2%)'``, ``'daalde ...'``, or ``'bleef het
    aantal 21.365'``."""
    if round(after) == round(before):
        return f"bleef{_subject(subject)} {fmt_number(after)}"
    verb = "steeg" if after > before else "daalde"
    growth = (after - before) / before * 100 if before else float("nan")
    return (
        f"{verb}{_subject(subject)} van {fmt_number(before)} naar {fmt_number(after)} "
        f"({fmt_signed(growth, 1)}%)"
    )


def region_growth(corop: object, subject: str, regions: str = "COROP-regio's") -> list[str]:
    """Two sentences on a change per region (a ``helpers.chapters.firms.RegionChange``:
    ``earlier``, ``later``, ``totals``, ``n_up``, ``table``, ``fastest``, ``slowest``): how
    the total of ``subject`` changed and in how many ``regions`` (plural noun, e.g.
    ``gemeenten``) it rose, and which region grew fastest and slowest (in %)."""
    n = len(corop.table)
    rising = (
        f"in alle {n} {regions}" if corop.n_up == n else f"in {corop.n_up} van de {n} {regions}"
    )
    return [
        f"Tussen {corop.earlier} en {corop.later} "
        f"{change_in_count(*corop.totals, subject=subject)}; het nam toe {rising}.",
        f"Relatief groeide {corop.fastest[0]} het sterkst ({fmt_signed(corop.fastest[1], 0)}%), "
        f"{corop.slowest[0]} het minst ({fmt_signed(corop.slowest[1], 0)}%).",
    ]


def region_slopes(corop: object, ylabel: str, highlight: int = 3, *, log: bool = True) -> object:
    """A slope chart (matplotlib figure) of the regions of a ``RegionChange`` in both years
    on a logarithmic axis (``log=False``: linear, for counts that may be 0); the ``highlight``
    largest and the fastest and slowest growing regions in colour."""
    from helpers.presentation.charts import slope_chart

    largest = corop.table.sort_values("later", ascending=False)["name"].head(highlight)
    names = list(dict.fromkeys([*largest, corop.fastest[0], corop.slowest[0]]))
    return slope_chart(
        corop.table, label="name", before="earlier", after="later",
        before_label=str(corop.earlier), after_label=str(corop.later), highlight=names,
        ylabel=ylabel, log=log,
    )  # fmt: skip


def region_slopes_alt(corop: object, regions: str = "COROP-regio's") -> str:
    """Alt text of :func:`region_slopes`: which ``regions`` (plural noun) grew fastest and
    slowest."""
    return (
        f"Hellingsgrafiek van de {len(corop.table)} {regions} van {corop.earlier} naar "
        f"{corop.later}; het sterkst gegroeid: {corop.fastest[0]}, het minst: {corop.slowest[0]}."
    )
