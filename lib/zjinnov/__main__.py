"""Command line: `python -m zjinnov validate [--data DIR]`, `changes OLD [NEW]`,
`import WORKBOOK ...`, `overlay EXTRA DEST`."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from zjinnov.data.paths import BUILD, DATA

SHOWN = 30  # rows of a long listing printed


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
    imp = sub.add_parser(
        "import", help="read a monitoring workbook into raw rows in a folder of your own"
    )
    imp.add_argument("workbook", type=Path, help=".xlsx or .csv file, or a folder of them")
    imp.add_argument(
        "--source-id", required=True, help="the document's id (its row in <out>/sources.csv)"
    )
    imp.add_argument("--out", type=Path, required=True, help="your data folder (DATA_EXTRA)")
    doc = imp.add_argument_group(
        "the document (the import writes or completes its row in <out>/sources.csv)"
    )
    doc.add_argument("--title", help="title of the report or table, e.g. 2023年度…统计监测报告")
    doc.add_argument("--publisher", help="who published it, e.g. 浙江省科学技术厅")
    doc.add_argument("--date", help="date published: YYYY, YYYY-MM or YYYY-MM-DD")
    doc.add_argument("--url", help="where it can be found (default: file:<workbook name>)")
    doc.add_argument("--accessed", help="date obtained, YYYY-MM-DD (default: today)")
    doc.add_argument("--kind", choices=["official", "news", "mirror", "repository"])
    doc.add_argument("--note", help="a note on the document")
    imp.add_argument("--name", help="table name (default: the workbook's file name)")
    imp.add_argument(
        "--mapping", type=Path, help="CSV header,target for headers not in the registry"
    )
    imp.add_argument(
        "--partial", action="store_true", help="allow a subset of indicators and counties"
    )
    imp.add_argument("--confidence", default="high", choices=["high", "medium", "low"])
    lay = sub.add_parser("overlay", help="lay an extra data folder over data/ (for the book)")
    lay.add_argument("extra", type=Path)
    lay.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    if args.command == "changes":
        return _changes(args.old, args.new, args.output)
    if args.command == "import":
        return _import(args)
    if args.command == "overlay":
        return _overlay(args)

    from zjinnov.data.validate import validate_all
    from zjinnov.engine.normalise import NORMALISERS

    report = validate_all(args.data, sorted(NORMALISERS))
    if report.ok:
        n_raw = len(list(Path(args.data).glob("raw/*.csv")))
        print(
            f"validate: no problems in {args.data} ({n_raw} raw tables, sources, targets, framework)"
        )
        return 0
    return _fail(report, f"validate: {len(report.problems)} problem(s) in {args.data}")


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


def _fail(report, message: str) -> int:
    for problem in report.problems:
        print(_line(problem))
    print(message, file=sys.stderr)
    return 1


def _import(args) -> int:
    """Import, validate the result laid over data/ in a scratch folder, and only then write."""
    import re

    from zjinnov.data import importer, overlay, paths
    from zjinnov.data.errors import DataValidationError
    from zjinnov.data.importing import source_row
    from zjinnov.data.validate import validate_all
    from zjinnov.engine.normalise import NORMALISERS

    name = args.name or re.sub(r"[^a-z0-9_-]+", "_", args.workbook.stem.lower()).strip("_")
    flags = {
        "title": args.title,
        "publisher": args.publisher,
        "date_published": args.date,
        "url": args.url,
        "date_accessed": args.accessed,
        "kind": args.kind,
        "note": args.note,
    }
    if any(flags.values()):
        flags["confidence"] = args.confidence
    result = importer.import_workbook(
        args.workbook,
        args.source_id,
        sources_dir=args.out,
        mapping=args.mapping,
        complete=not args.partial,
        confidence=args.confidence,
        source_flags=flags,
    )
    if not result.ok:
        return _fail(
            result.report, f"import: {len(result.report.problems)} problem(s); nothing written"
        )
    plan = result.source
    scratch = paths.output_dir("import-check")
    shutil.rmtree(scratch)
    (scratch / "extra" / "raw").mkdir(parents=True)
    for p in sorted((args.out / "raw").glob("*.csv")):
        if p.stem != name:
            (scratch / "extra" / "raw" / p.name).symlink_to(p.resolve())
    if (args.out / "sources.csv").exists():
        shutil.copy(args.out / "sources.csv", scratch / "extra" / "sources.csv")
    source_row.write(plan, scratch / "extra")
    importer.write(result, scratch / "extra", name)
    try:
        overlay.lay_out(scratch / "extra", scratch / "data")
    except DataValidationError as err:
        return _fail(err.report, "import: the folder cannot be laid over data/; nothing written")
    report = validate_all(scratch / "data", sorted(NORMALISERS))
    if not report.ok:
        return _fail(
            report, f"import: validation found {len(report.problems)} problem(s); nothing written"
        )
    path = importer.write(result, args.out, name)
    written = source_row.write(plan, args.out)
    print(result.sheets.to_string(index=False))
    for table, what in (
        (result.notes, "passed over (not data)"),
        (result.missing, "missing in county rows, imported without them (--partial)"),
    ):
        if len(table):
            more = f" (the first {SHOWN} shown)" if len(table) > SHOWN else ""
            print(f"{what}: {len(table)}{more}")
            print(table.head(SHOWN).to_string(index=False))
    print(
        f"import: {len(result.rows)} rows from {args.workbook.name} -> {path} (validated over data/)"
    )
    if written is not None:
        print(f"sources.csv: row {plan.action} in {written}:")
        print(source_row.as_text(plan))
    else:
        where = "data/sources.csv" if plan.action == "public" else args.out / "sources.csv"
        print(f"sources.csv: {args.source_id} as it stands in {where}")
    return 0


def _overlay(args) -> int:
    from zjinnov.data import overlay
    from zjinnov.data.errors import DataValidationError

    try:
        laid = overlay.lay_out(args.extra, args.dest)
    except DataValidationError as err:
        return _fail(err.report, "overlay: the extra folder cannot be laid over data/")
    kind = " (SIMULATED data)" if laid.simulated else ""
    print(
        f"overlay: {len(laid.tables)} extra table(s), {laid.rows} rows, {len(laid.sources)} source(s){kind}"
    )
    return 0


def _line(p) -> str:
    """file:row | column | county | year | rule | found (blank fields shown as -)."""
    where = f"{p.file}:{p.row}" if p.row is not None else p.file
    fields = [
        where,
        p.column or "-",
        p.county or "-",
        "-" if p.year in (None, "") else str(p.year),
        p.rule,
        "-" if p.value is None else repr(p.value),
    ]
    return " | ".join(fields)


if __name__ == "__main__":
    sys.exit(main())
