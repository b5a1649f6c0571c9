"""The ``publisher`` command line: check, new, reference (and what editors need next)."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

from .errors import ContentError, PublisherError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} problem(s) found", file=sys.stderr)
        return 1
    except PublisherError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except Exception:
        if args.debug:
            raise
        import traceback
        print("internal error (this is a bug in publisher; rerun with --debug for details):",
              file=sys.stderr)
        print(traceback.format_exc().strip().splitlines()[-1], file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publisher", description="决算公开 publisher")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="load content and report every problem")
    check.add_argument("paths", nargs="*", type=Path, default=[Path("content")],
                       help="content folders (default: content)")
    check.add_argument("--format", choices=["text", "json"], default="text",
                       help="text for people (default) or json for tools")
    check.add_argument("--html", type=Path, metavar="FILE",
                       help="also write a report page for reviewers, findings grouped by region and unit")
    check.add_argument("--site-config", type=Path, default=Path("site_config.yml"),
                       help="where the rounding tolerance is read from (default: site_config.yml)")
    check.add_argument("--coverage", action="store_true",
                       help="also list, per document, the numbers of its 情况说明 that no check reads")
    check.set_defaults(run=run_check)

    new = commands.add_parser("new", help="scaffold a year file (and unit.yml) for a unit")
    new.add_argument("unit", help="region/.../unit path under content/, e.g. zhuzhou/shifeng/zfb")
    new.add_argument("year", type=int)
    new.add_argument("--content", type=Path, default=Path("content"))
    new.set_defaults(run=run_new)

    sample = commands.add_parser("sample", help="write a synthetic, consistent content tree for benchmarks")
    sample.add_argument("--units", type=int, required=True, help="number of unit-years")
    sample.add_argument("--out", type=Path, required=True, help="folder to write (its content/ tree)")
    sample.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    sample.set_defaults(run=run_sample)

    reference = commands.add_parser("reference", help="print the content format reference (Markdown)")
    reference.set_defaults(run=run_reference)
    return parser


def run_check(args: argparse.Namespace) -> int:
    from .checks import Outcome, check_site
    from .checks.report import text_lines, to_html, to_json
    from .layout import load_library
    from .load import load_content, load_site_config

    config = load_site_config(args.site_config) if args.site_config.exists() else None
    layouts = load_library(args.site_config.resolve().parent)
    problems, outcome, count, coverage_lines = [], Outcome(), 0, []
    for path in args.paths:
        try:
            site = load_content(path)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        count += len(site.disclosures())
        for unit, d in site.disclosures():
            problems += layouts.problems(d, unit, config)
        if problems:
            continue
        found = check_site(site, layouts, config, config.tolerance if config else None)
        outcome.findings += found.findings
        outcome.lapsed += found.lapsed
        if args.coverage:
            coverage_lines += prose_coverage(site, layouts, config)
    if args.html:
        args.html.write_text(to_html(outcome, problems, "决算公开数据核对报告"), encoding="utf-8")
    if args.format == "json":
        print(to_json(outcome, problems))
    else:
        for problem in problems + outcome.lapsed:
            print(problem, file=sys.stderr)
        for located in outcome.findings:
            print("\n".join(text_lines(located)), file=sys.stderr if located.failing else sys.stdout)
        if coverage_lines:
            print("\n".join(coverage_lines))
        acknowledged = sum(1 for f in outcome.findings if f.finding.acknowledgement)
        summary = (f"{count} disclosure(s), {len(problems) + len(outcome.lapsed)} problem(s), "
                   f"{len(outcome.findings)} finding(s): {len(outcome.failing)} failing, {acknowledged} acknowledged")
        print(summary, file=sys.stderr if problems or not outcome.ok else sys.stdout)
    return 0 if not problems and outcome.ok else 1


def prose_coverage(site, layouts, config) -> list[str]:
    """Per disclosure with 情况说明: how many of its numbers a check reads, and where the others are."""
    from .checks.kinds import Context
    from .checks.prose import context_of, coverage
    from .terms import DEFAULT_TOLERANCE

    lines, tied, total = [], 0, 0
    tolerance = config.tolerance if config and config.tolerance is not None else DEFAULT_TOLERANCE
    for unit, d in site.disclosures():
        ctx = Context(d, tolerance, layouts.choose(d, unit, config), unit.years.get(d.year - 1))
        found = coverage(ctx)
        if not found.total:
            continue
        tied, total = tied + len(found.tied), total + found.total
        where = found.tied[0][0].mark.path if found.tied else found.untied[0][0].mark.path
        lines.append(f"{where}: coverage {len(found.tied)}/{found.total} numbers of 情况说明 tied "
                     f"({found.share}%), {len(found.untied)} untied")
        lines += [f"{passage.at(n.start)}: untied {n.text}{n.unit} — “{context_of(passage, n)}”"
                  for passage, n in found.untied]
    if total:
        lines.append(f"coverage: {tied}/{total} numbers of 情况说明 tied "
                     f"({Decimal(tied * 100) / total:.1f}%)")
    return lines


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    for path in scaffold(args.content, args.unit, args.year):
        print(f"created {path}")
    return 0


def run_sample(args: argparse.Namespace) -> int:
    from .sample import generate

    if args.out.exists() and any(args.out.iterdir()):
        raise PublisherError(f"{args.out} is not empty; choose a new folder")
    count = generate(args.out, args.units, args.seed)
    print(f"wrote {count} unit-year(s) under {args.out}")
    return 0


def run_reference(args: argparse.Namespace) -> int:
    from .reference import reference_markdown

    sys.stdout.write(reference_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
