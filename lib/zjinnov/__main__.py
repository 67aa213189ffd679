"""Command line: `python -m zjinnov validate [--data DIR]`, `python -m zjinnov changes OLD [NEW]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from zjinnov.data.paths import BUILD, DATA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="zjinnov", description="Zhejiang county innovation-index study tools"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check every data file and list all problems")
    check.add_argument(
        "--data", type=Path, default=DATA, help="data folder (default: the repository's data/)"
    )
    diff = sub.add_parser(
        "changes",
        help="what changed between two builds: the book's numbers and the data rows (in Chinese)",
    )
    diff.add_argument("old", type=Path, help="the earlier build's facts.json (or its build folder)")
    diff.add_argument(
        "new",
        type=Path,
        nargs="?",
        default=BUILD,
        help="the later build's facts.json or build folder (default: this build, _build/)",
    )
    diff.add_argument("-o", "--output", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.command == "changes":
        return _changes(args.old, args.new, args.output)

    from zjinnov.data.validate import validate_all
    from zjinnov.engine.normalise import NORMALISERS

    report = validate_all(args.data, sorted(NORMALISERS))
    if report.ok:
        n_raw = len(list(Path(args.data).glob("raw/*.csv")))
        print(
            f"validate: no problems in {args.data} ({n_raw} raw tables, sources, targets, framework)"
        )
        return 0
    for problem in report.problems:
        print(_line(problem))
    print(f"validate: {len(report.problems)} problem(s) in {args.data}", file=sys.stderr)
    return 1


def _changes(old: Path, new: Path, output: Path | None) -> int:
    from zjinnov.present import changes, facts

    try:
        before, after = facts.read(old), facts.read(new)
    except (FileNotFoundError, ValueError) as err:
        print(f"changes: {err}", file=sys.stderr)
        return 2
    report = changes.between(before, after)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
    print(report, end="")
    return 0


def _line(p) -> str:
    """file:row | column | county | year | rule | found (blank fields shown as -)."""
    where = f"{p.file}:{p.row}" if p.row is not None else p.file
    fields = [where, p.column or "-", p.county or "-", "-" if p.year in (None, "") else str(p.year), p.rule,
              "-" if p.value is None else repr(p.value)]  # fmt: skip
    return " | ".join(fields)


if __name__ == "__main__":
    sys.exit(main())
