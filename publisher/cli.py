"""The ``publisher`` command line: check, new, reference (and what editors need next)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentError, PublisherError

if TYPE_CHECKING:
    from .checks.report import Summary


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"共 {len(error.problems)} 个问题", file=sys.stderr)
        return 1
    except PublisherError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader stopped early (publisher check | head)
        sys.stderr.close()
        return 1
    except OSError as error:  # the file system refused: a missing folder, no permission, disk full
        print(f"error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 1
    except Exception:
        if args.debug:
            raise
        import traceback

        print(
            "内部错误（这是 publisher 的缺陷，不是内容的问题；加 --debug 重新运行可看到详情）：",
            file=sys.stderr,
        )
        print(traceback.format_exc().strip().splitlines()[-1], file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publisher", description="决算公开 publisher")
    parser.add_argument(
        "--debug", action="store_true", help="内部错误时显示完整的 traceback（供开发人员）"
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="检查内容，报告每一个问题和每一项不一致")
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("content")],
        metavar="PATH",
        help="内容文件夹、地区或单位文件夹，或一个年度文件（默认 content）",
    )
    check.add_argument(
        "-q", "--quiet", action="store_true", help="不列出已说明（数据说明）的发现和容差内的尾差"
    )
    check.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text：给人看（默认）；json：给工具读取",
    )
    check.add_argument(
        "--html", type=Path, metavar="FILE", help="另写一个给审核人员看的网页，发现按地区和单位分组"
    )
    check.add_argument(
        "--site-config",
        type=Path,
        default=Path("site_config.yml"),
        help="尾数容差从这里读取（默认 site_config.yml）",
    )
    check.add_argument(
        "--coverage",
        action="store_true",
        help="另列出每份文件情况说明中的数字有多少已与表内数字或算式相核对，以及未核对的数字",
    )
    check.set_defaults(run=run_check)

    new = commands.add_parser("new", help="为单位新建一个带注释的年度文件（以及 unit.yml）")
    new.add_argument("unit", help="content/ 下的 地区/…/单位 路径，如 zhuzhou/shifeng/zfb")
    new.add_argument("year", type=int)
    new.add_argument("--name", help="新单位的全称（不给出时会询问；已有 unit.yml 时取其中的名称）")
    new.add_argument("--content", type=Path, default=Path("content"))
    new.set_defaults(run=run_new)

    sample = commands.add_parser("sample", help="生成数字自洽的合成内容树，供性能测试")
    sample.add_argument("--units", type=int, required=True, help="单位年度的数目")
    sample.add_argument(
        "--out", type=Path, required=True, help="写入的文件夹（其中的 content/ 树）"
    )
    sample.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    sample.set_defaults(run=run_sample)

    export = commands.add_parser(
        "export", help="把一个年度文件的九张表导出为 Excel 工作簿（每表一张工作表，按表样印制）"
    )
    export.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="要写入的工作簿")
    export.add_argument(
        "year_file", type=Path, metavar="YEAR_FILE", help="年度文件，如 content/…/2024.yml"
    )
    export.add_argument("--force", action="store_true", help="覆盖已有的工作簿")
    export.add_argument("--site-config", type=Path, default=Path("site_config.yml"))
    export.set_defaults(run=run_export)

    imp = commands.add_parser(
        "import", help="从 Excel 工作簿（.xlsx、.xls）或 PDF 读取决算表，写成年度文件草稿并核对"
    )
    imp.add_argument("source", type=Path, metavar="FILE", help=".xlsx、.xls 或 .pdf 文件")
    imp.add_argument(
        "--out", type=Path, required=True, help="要写的年度文件：content/<地区>/<单位>/<年度>.yml"
    )
    imp.add_argument(
        "--layout", help="表样编号（不写则用目标文件夹所在地区的表样，与 publisher check 相同）"
    )
    imp.add_argument("--force", action="store_true", help="覆盖已有的年度文件")
    imp.add_argument(
        "--name", help="新单位（还没有 unit.yml）的全称（PDF 封面印有单位名称时，不写则取封面的）"
    )
    imp.add_argument(
        "--partial",
        action="store_true",
        help="PDF 中找不到表样所列的某些表时，仍写出已找到的部分（草稿中注明缺少哪些表）",
    )
    imp.add_argument("--site-config", type=Path, default=Path("site_config.yml"))
    imp.set_defaults(run=run_import)

    reference = commands.add_parser(
        "reference", help="输出内容格式说明（Markdown，即 docs/format.md）"
    )
    reference.set_defaults(run=run_reference)
    return parser


def run_check(args: argparse.Namespace) -> int:
    from .build import check_part
    from .checks.report import Summary
    from .layout import load_library
    from .load import load_site_config, scan_part

    config = load_site_config(args.site_config) if args.site_config.exists() else None
    root = args.site_config.resolve().parent
    layouts = load_library(root)
    summary = Summary(0, [])
    coverage_lines: list[str] = []
    for path in args.paths:
        found, lines = check_part(
            scan_part(path), config, layouts, cache_dir=check_cache(root), coverage=args.coverage
        )
        summary.disclosures += found.disclosures
        summary.problems += found.problems
        summary.lapsed += found.lapsed
        summary.findings += found.findings
        coverage_lines += lines
    return report(summary, args, coverage_lines)


def check_cache(root: Path) -> Path | None:
    """The build's cache folder beside ``site_config.yml``, if there is one to share."""
    folder = root / ".cache" / "publisher"
    return folder if folder.parent.is_dir() else None


def report(summary: Summary, args: argparse.Namespace, coverage_lines: list[str]) -> int:
    from .checks.report import to_html, to_json

    if args.html:
        args.html.write_text(to_html(summary, "决算公开数据核对报告"), encoding="utf-8")
    if args.format == "json":
        print(to_json(summary, quiet=args.quiet))
        return 0 if summary.ok else 1
    problems = sys.stderr if not summary.ok else sys.stdout
    print(summary.headline, file=problems, flush=True)
    for problem in summary.problems + summary.lapsed:
        print(problem, file=sys.stderr)
    for finding in summary.findings:
        if not (args.quiet and finding.settled):
            print("\n".join(finding.lines), file=sys.stderr if finding.failing else sys.stdout)
    if coverage_lines:
        print("\n".join(coverage_lines))
    sys.stdout.flush()
    print(summary.counts, file=problems)
    return 0 if summary.ok else 1


def run_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    def ask_name() -> str:
        if args.name:
            return args.name
        try:
            return input("单位全称（如 株洲市石峰区人民政府办公室）：")
        except EOFError:
            return ""

    for path in scaffold(args.content, args.unit, args.year, ask_name):
        print(f"已创建 {path}")
    check = args.content / args.unit
    print(f"把其中每一处“（填写…）”换成公开文本的内容，再运行 publisher check {check}")
    return 0


def run_sample(args: argparse.Namespace) -> int:
    from .sample import generate

    if args.out.exists() and any(args.out.iterdir()):
        raise PublisherError(f"{args.out} 不是空文件夹，请另选一个新文件夹")
    count = generate(args.out, args.units, args.seed)
    print(f"已在 {args.out} 下写入 {count} 个单位年度")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from .importer.commands import export

    print(export(args.workbook, args.year_file, args.site_config, force=args.force))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from .importer.commands import import_file
    from .scaffold import write_unit_file

    lines, _ = import_file(
        args.source,
        args.out,
        args.site_config,
        args.layout,
        force=args.force,
        name=args.name,
        new_unit=write_unit_file,
        partial=args.partial,
    )
    print("\n".join(lines))
    return 0


def run_reference(args: argparse.Namespace) -> int:
    from .reference import reference_markdown

    sys.stdout.write(reference_markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
