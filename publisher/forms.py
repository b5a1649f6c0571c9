"""Grids for performance self-evaluation forms: 资金情况, indicator trees, 收支情况."""

from __future__ import annotations

from .grid import Cell, Grid, head, num, percent, score, simple_grid
from .models import evaluations as p

# Column labels of an indicator tree, per kind of form.
INDICATOR_COLUMNS = {
    "indicators": {
        "target": "年度指标值",
        "actual": "实际完成值",
        "points": "分值",
        "score": "得分",
        "remark": "偏差原因分析及改进措施",
    },
    "goals": {"target": "绩效目标", "actual": "完成情况"},
    "sheet": {
        "target": "具体指标",
        "criteria": "评分标准",
        "points": "分值",
        "score": "自评得分",
        "remark": "扣分原因和其他说明",
    },
}
LEVEL_NAMES = ("一级指标", "二级指标", "三级指标", "四级指标", "五级指标")


def depth(nodes: list[p.Indicator]) -> int:
    return max((1 + depth(n.children) for n in nodes), default=0)


def leaves(node: p.Indicator) -> int:
    return sum(leaves(c) for c in node.children) if node.children else 1


def used_columns(nodes: list[p.Indicator], columns: dict[str, str]) -> list[str]:
    """Detail columns that carry a value somewhere in the tree (others are left out)."""
    used: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        used.update(k for k in columns if getattr(node, k) not in (None, ""))
        stack.extend(node.children)
    return [k for k in columns if k in used or k in ("points", "score")]


def level_text(node: p.Indicator) -> str:
    """A non-leaf indicator shows its own points in its cell: 产出指标（50分）."""
    text = node.name or ""
    if node.children and node.points is not None:
        text += f"（{score(node.points)}分"
        text += f"，得分 {score(node.score)}）" if node.score is not None else "）"
    return text


def indicator_grid(
    anchor: str, title: str, nodes: list[p.Indicator], kind: str, total: tuple | None = None
) -> Grid:
    """An indicator tree as a table: one column per level (rowspans), then detail columns."""
    columns = INDICATOR_COLUMNS[kind]
    levels = max(depth(nodes), 1)
    details = used_columns(nodes, columns)
    if total is not None and total[3] and "remark" in columns and "remark" not in details:
        details.append("remark")  # the 等级 is printed in the last column of the 总分 row
    grid = Grid(anchor=anchor, title=title, unit_line=None)
    grid.head = [head(*LEVEL_NAMES[:levels], *[columns[k] for k in details])]
    for node in nodes:
        emit(node, 1, levels, details, [], grid.body)
    if total is not None:
        label_text, points, got, grade = total
        row = [Cell(label_text, "head", levels)]
        for k in details:
            value = {"points": points, "score": got}.get(k)
            row.append(Cell(score(value), "num") if k in ("points", "score") else Cell(""))
        if grade:
            row[-1] = Cell(grade)
        grid.body.append(row)
    return grid


def emit(
    node: p.Indicator,
    level: int,
    levels: int,
    details: list[str],
    pending: list[Cell],
    out: list[list[Cell]],
) -> None:
    cell = Cell(level_text(node), rowspan=leaves(node))
    if node.children:
        for i, child in enumerate(node.children):
            emit(child, level + 1, levels, details, pending + [cell] if i == 0 else [], out)
        return
    cell.colspan = levels - level + 1
    row = pending + [cell]
    for k in details:
        value = getattr(node, k)
        if k in ("points", "score"):
            row.append(Cell(score(value), "num"))
        else:
            row.append(Cell(value or "", "md"))
    out.append(row)


def funds_grid(funds: p.Funds, anchor: str) -> Grid:
    """资金情况: amounts by row, with 分值 / 执行率 / 得分 printed once beside 合计."""
    grid = Grid(anchor=anchor, title="资金情况", unit_line="单位：万元")
    grid.head = [
        head(
            "年度资金总额",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分（分值×执行率）",
        )
    ]
    for i, row in enumerate(funds.rows):
        cells = [Cell(row.name)] + [
            num(getattr(row, n)) for n in ("initial_budget", "budget", "executed")
        ]
        if i == 0:
            span = len(funds.rows)
            cells += [
                Cell(score(funds.points), "num", 1, span),
                Cell(percent(funds.rate), "num", 1, span),
                Cell(score(funds.score), "num", 1, span),
            ]
        grid.body.append(cells)
    return grid


def finance_grids(finances: p.OrgFinances, anchor: str) -> list[Grid]:
    specs = [
        ("income", "年度收入情况", p.OrgIncomeRow),
        ("spending", "年度支出和结余情况", p.OrgSpendingRow),
        ("sangong", "三公经费", p.OrgSangongRow),
        ("assets", "固定资产", p.OrgAssetsRow),
    ]
    grids = []
    for key, title, cls in specs:
        rows = getattr(finances, key)
        if rows:
            grids.append(simple_grid(f"{anchor}-{key}", title, rows, cls, "机构名称", "org"))
    return grids
