"""After an import: load the written year file with the normal loader, run the normal checks
as if it were published, and tell the editor what to review (in Chinese)."""

from __future__ import annotations

from pathlib import Path

from ..build import check_part
from ..layout import Library
from ..load import scan_part
from ..models import SiteConfig
from ..source import display_path
from . import Doubt, Draft
from .draft import extracted


def review(
    out: Path,
    draft: Draft,
    placed: list[tuple[Doubt, int]],
    layouts: Library,
    config: SiteConfig | None,
) -> tuple[list[str], bool]:
    """The review report's lines, and whether the draft passes every check."""
    # reviewed as it will be published, through the pipeline of publisher check
    summary, _ = check_part(scan_part(out), config, layouts, as_published=True)
    summary.disclosures = 1
    shown = display_path(out)
    lines = [
        f"已写入 {shown}（草稿：status: draft，审阅前不会发布）",
        extracted(draft.data).line(),
        "",
        f"核对：{summary.headline}",
    ]
    lines += [str(p) for p in summary.problems + summary.lapsed]
    for finding in summary.findings:
        if finding.failing:  # the finding and its figure; publisher check lists the related cells
            lines += finding.lines[:2]
    lines.append(summary.counts)
    lines.append("")
    if placed:
        lines.append(f"待核对的单元格（{len(placed)} 处，文件中以“# 待核对”注明）：")
        lines += [
            f"{shown}:{line}: {doubt.why}" + (f"（原文第 {doubt.page} 页）" if doubt.page else "")
            for doubt, line in placed
        ]
    else:
        lines.append("没有读取时拿不准的单元格。")
    lines += ["", review_step(draft, shown)]
    return lines, summary.ok


def review_step(draft: Draft, shown: str) -> str:
    """What the editor does next: check the doubts and failing checks, add the parts the
    source did not give (a workbook has only tables), reread the text read from a PDF."""
    fa = draft.data.get("final_accounts") or {}
    parts = {
        "情况说明": fa.get("explanations"),
        "名词解释": draft.data.get("glossary"),
        "单位概况": draft.data.get("overview"),
    }
    missing = [name for name, value in parts.items() if not value]
    read = [name for name, value in parts.items() if value]
    step = "审阅：对照原文核对上面列出的单元格和未通过的核对；"
    if missing:
        step += f"补上原文中有、草稿中没有的内容（{'、'.join(missing)}）；"
    if read:
        step += f"通读读出的{'、'.join(read)}（标题和分段是按版式认出的）；"
    return step + f"再运行 publisher check {shown}，通过后删去 status: draft 即发布。"
