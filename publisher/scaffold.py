"""``publisher new``: start a unit-year from a commented template that already passes check."""

from __future__ import annotations

from pathlib import Path

from .errors import PublisherError
from .load import SLUG

YEAR_TEMPLATE = Path(__file__).parent / "templates" / "new_year.yml"

UNIT_TEMPLATE = """\
# 单位信息：各年度不变的内容。
name: {name}            # 单位全称，如 株洲市石峰区人民政府办公室
# short_name:           # 文件中常用的简称，如 区政府办
# budget_code: "000000" # 预算编码（加引号）
# level: 一级预算单位
# kind: 行政单位
"""


def scaffold(content: Path, unit_path: str, year: int) -> list[Path]:
    """Create ``<unit>/<year>.yml`` (and ``unit.yml`` if missing); return the files written."""
    slugs = [s for s in unit_path.strip("/").split("/") if s]
    if len(slugs) < 2:
        raise PublisherError(f"expected <region>/<unit>, found {unit_path!r}")
    for slug in slugs:
        if not SLUG.fullmatch(slug):
            raise PublisherError(f"folder name {slug!r} is not a URL slug "
                                 f"(expected lowercase ASCII letters, digits and '-')")
    if not 1990 <= year <= 2100:
        raise PublisherError(f"expected a year such as 2024, found {year}")
    region_dir = content.joinpath(*slugs[:-1])
    if not (region_dir / "region.yml").exists():
        raise PublisherError(f"{region_dir}/region.yml not found: create the region first "
                             f"(a file with name: <地区名称>)")
    unit_dir = region_dir / slugs[-1]
    if (unit_dir / "region.yml").exists():
        raise PublisherError(f"{unit_dir} is a region (it has region.yml): expected <region>/<unit>, "
                             f"such as {'/'.join(slugs)}/<unit>")
    year_file = unit_dir / f"{year}.yml"
    if year_file.exists():
        raise PublisherError(f"{year_file} already exists; edit it instead")
    written = []
    unit_dir.mkdir(parents=True, exist_ok=True)
    unit_file = unit_dir / "unit.yml"
    if not unit_file.exists():
        unit_file.write_text(UNIT_TEMPLATE.format(name=slugs[-1]), encoding="utf-8")
        written.append(unit_file)
    template = YEAR_TEMPLATE.read_text(encoding="utf-8")
    year_file.write_text(template.replace("{year}", str(year)), encoding="utf-8")
    written.append(year_file)
    return written
