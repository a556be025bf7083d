"""Checks on chapter parameters, shared by the chapters: a value the data do not cover is an
error that lists the values that are there."""

from __future__ import annotations


class UnknownParameterError(ValueError):
    """A chapter parameter (year, edition) has a value the data do not cover."""


def check_year(year: object, available: list[int], what: str) -> int:
    """``year`` as int if ``available`` has it; otherwise an error listing what is there."""
    try:
        value = int(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = None
    if value not in available:
        raise UnknownParameterError(
            f"Year {year!r} is not in {what}; available years: {', '.join(map(str, available))}"
        )
    return value


class DataCheckError(ValueError):
    """A sanity check on data failed: the message names the check and the file or table."""


def require(condition: object, message: str) -> None:
    """A named sanity check on data (unlike ``assert``, it also runs under ``python -O``).

    Raises :class:`DataCheckError` with ``message`` when ``condition`` is false."""
    if not condition:
        raise DataCheckError(message)
