"""``python -m helpers.data.processing [step ...] [--out DIR]``: run processing steps."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers import config
from helpers.data.processing import STEPS, run_all
from helpers.data.registry import DataSourceError


def main(argv: list[str] | None = None) -> int:
    """Command line of ``make data``: ``argv`` (default ``sys.argv[1:]``) names steps of
    :data:`~helpers.data.processing.STEPS` (all when none) and ``--out DIR`` (default
    ``data/processed``); output under ``data/`` refreshes ``data/CHECKSUMS.tsv``. Returns the
    exit status: 0, or 1 after printing a DataSourceError (a raw file missing, unreachable or
    failing its checksum); an unknown step exits through argparse (status 2) with the available
    steps. Other errors (DataCheckError) propagate."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "steps", nargs="*", help=f"steps to run (default: all of {', '.join(STEPS)})"
    )
    parser.add_argument("--out", default=str(config.PROCESSED_DIR), help="output directory")
    args = parser.parse_args(argv)
    unknown = [s for s in args.steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {unknown}; available: {', '.join(STEPS)}")
    try:
        run_all(args.out, args.steps or None)
    except DataSourceError as exc:
        print(f"[data] error: {exc}", file=sys.stderr)
        return 1
    if Path(args.out).resolve().is_relative_to(config.DATA_DIR.resolve()):
        print(f"[data] checksums: wrote {config.write_checksums()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
