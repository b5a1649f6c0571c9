"""``publisher new``: start a unit-year from a commented template.

The template's figures are blank and its texts are ``（填写…）`` placeholders, so
``publisher check`` fails, naming each one, until the editor has filled them in
(rule C-PLACEHOLDER, publisher/checks/completeness.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .errors import ContentError, PublisherError
from .load import RESERVED, SLUG, read_model
from .models import UnitInfo

YEAR_TEMPLATE = Path(__file__).parent / "templates" / "new_year.yml"

UNIT_TEMPLATE = """\
# 单位信息：各年度不变的内容。
name: {name}            # 单位全称，如 株洲市石峰区人民政府办公室
# short_name:           # 文件中常用的简称，如 区政府办
# budget_code: "000000" # 预算编码（加引号）
# level: 一级预算单位
# kind: 行政单位
"""


def scaffold(content: Path, unit_path: str, year: int, ask_name: Callable[[], str]) -> list[Path]:
    """Create ``<unit>/<year>.yml`` (and ``unit.yml`` if missing); return the files written.

    The unit's name comes from its ``unit.yml``; for a new unit, from ``ask_name()``.
    """
    slugs = [s for s in unit_path.strip("/").split("/") if s]
    if len(slugs) < 2:
        raise PublisherError(f"应为 <地区>/<单位>，实为 {unit_path!r}")
    for slug in slugs:
        if not SLUG.fullmatch(slug):
            raise PublisherError(
                f"文件夹名不能用作网址（应为小写英文字母、数字和 '-'，实为 {slug!r}）"
            )
    if slugs[0] in RESERVED:
        raise PublisherError(f"{slugs[0]!r} 是网站保留的路径，不能用作地区名")
    if not 1990 <= year <= 2100:
        raise PublisherError(f"年度应如 2024，实为 {year}")
    region_dir = content.joinpath(*slugs[:-1])
    if not (region_dir / "region.yml").exists():
        raise PublisherError(
            f"找不到 {region_dir}/region.yml：请先建立地区（一个写明 name: <地区名称> 的文件）"
        )
    unit_dir = region_dir / slugs[-1]
    if (unit_dir / "region.yml").exists():
        raise PublisherError(
            f"{unit_dir} is a region (it has region.yml): expected <region>/<unit>, "
            f"such as {'/'.join(slugs)}/<unit>"
        )
    year_file = unit_dir / f"{year}.yml"
    if year_file.exists():
        raise PublisherError(f"{year_file} 已存在，请直接编辑它")
    unit_file = unit_dir / "unit.yml"
    written = []
    if unit_file.exists():
        name = unit_name(unit_file)
    else:
        name = ask_name().strip()
        if not name or name == slugs[-1]:
            raise PublisherError(f"需要单位全称，如 株洲市石峰区人民政府办公室（实为 {name!r}）")
        write_unit_file(unit_dir, name)
        written.append(unit_file)
    year_file.write_text(year_text(year, name), encoding="utf-8")
    written.append(year_file)
    return written


def write_unit_file(unit_dir: Path, name: str) -> None:
    """A new unit's commented ``unit.yml`` (also written by ``publisher import --name``)."""
    unit_dir.mkdir(parents=True, exist_ok=True)
    (unit_dir / "unit.yml").write_text(UNIT_TEMPLATE.format(name=name), encoding="utf-8")


def year_text(year: int, name: str) -> str:
    """The commented year file for unit ``name``."""
    template = YEAR_TEMPLATE.read_text(encoding="utf-8")
    return template.replace("{year}", str(year)).replace("{name}", name)


def unit_name(unit_file: Path) -> str:
    problems: list = []
    info = read_model(unit_file, UnitInfo, problems)
    if problems or info is None:
        raise ContentError(problems)
    return info.name
