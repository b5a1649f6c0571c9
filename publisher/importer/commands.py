"""``publisher import`` and ``publisher export``: the steps, from file to checked draft and back.

Import: find the target's unit and region and the layout they use (``--layout``, else the
one ``publisher check`` would choose for a year file there: the nearest region's, else
``site_config.yml``'s, else the default); read the source by its type (workbook or PDF);
write the draft; load and check it; report.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import PublisherError
from ..layout import Library, chosen_id, load_library
from ..load import YEAR_FILE, content_root, load_site_config, read_years, scan_content, scan_part
from ..models import Disclosure, Region, SiteConfig, Unit, UnitInfo
from ..source import display_path
from . import Draft
from .draft import write_draft
from .pdf import MissingTables
from .review import review
from .xlsx import WorkbookError

WORKBOOKS = (".xlsx", ".xlsm", ".xls")


def settings(site_config: Path) -> tuple[SiteConfig | None, Library]:
    config = load_site_config(site_config) if site_config.exists() else None
    return config, load_library(site_config.resolve().parent)


# ------------------------------------------------------------------ export


def export(workbook: Path, year_file: Path, site_config: Path, *, force: bool = False) -> str:
    """Write ``year_file``'s tables to ``workbook``; returns the line to print."""
    from ..errors import ContentError
    from ..workbook import sheet_names, table_grids, workbook_bytes

    if workbook.suffix.lower() != ".xlsx":
        raise PublisherError(f"导出的文件名应以 .xlsx 结尾，实为 {workbook.name!r}")
    if workbook.exists() and not force:
        raise PublisherError(f"{workbook} 已存在，未写入（要覆盖它，加 --force）")
    if not YEAR_FILE.fullmatch(year_file.name) or not year_file.is_file():
        raise PublisherError(f"应为一个年度文件（如 content/…/2024.yml），实为 {year_file}")
    config, layouts = settings(site_config)
    part = scan_part(year_file)
    unit = next(
        u for u in part.site.all_units() if part.holds(u.files.get(int(year_file.stem), ""))
    )
    years = read_years(unit)
    problems = part.site.problems + [p for p in years.problems if part.holds(p.mark.path)]
    if problems:
        raise ContentError(problems)
    d = years.disclosures[int(year_file.stem)]
    problems = layouts.problems(d, unit, config)
    if problems:
        raise ContentError(problems)
    grids = table_grids(d, layouts.choose(d, unit, config))
    if not grids:
        raise PublisherError(f"{display_path(year_file)} 没有决算表，没有可导出的内容")
    replace(workbook, workbook_bytes(grids))
    return f"已写入 {workbook}：{len(grids)} 张工作表（{'、'.join(sheet_names(grids))}）"


def replace(path: Path, data: bytes) -> None:
    """Write ``path`` whole: beside it first, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as f:
            f.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# ------------------------------------------------------------------ import


def target_unit(out: Path) -> tuple[Unit, bool]:
    """The unit the year file ``out`` belongs to (made up from its folder if it has no
    unit.yml yet), and whether its unit.yml exists."""
    if not YEAR_FILE.fullmatch(out.name):
        raise PublisherError(f"--out 应为 content/<地区>/<单位>/<年度>.yml，实为 {out}")
    unit_dir = out.parent
    region_dir = unit_dir.parent
    if not (region_dir / "region.yml").is_file():
        raise PublisherError(
            f"找不到 {region_dir / 'region.yml'}：--out 应在一个地区之下的单位文件夹中"
            f"（content/<地区>/<单位>/<年度>.yml）"
        )
    site = scan_content(content_root(region_dir))
    region = find_region(site.regions, region_dir)
    if region is None:
        raise PublisherError(
            f"{region_dir} 不是 content/ 中的地区（其上级文件夹缺少 region.yml？）"
        )
    existing = next((u for u in region.units if u.directory.resolve() == unit_dir.resolve()), None)
    if existing is not None:
        return existing, True
    return Unit(unit_dir.name, unit_dir, region, UnitInfo(name=unit_dir.name)), False


def find_region(regions: list[Region], folder: Path) -> Region | None:
    for region in regions:
        if region.directory.resolve() == folder.resolve():
            return region
        found = find_region(region.regions, folder)
        if found is not None:
            return found
    return None


def read_source(source: Path, layout, *, partial: bool = False) -> Draft:
    """The draft of ``source``, by its type (``partial``: a PDF's found tables, when some
    are missing)."""
    if not source.is_file():
        raise PublisherError(f"找不到要导入的文件 {source}")
    suffix = source.suffix.lower()
    if suffix in WORKBOOKS:
        from .xlsx import read

        return read(source, layout)
    if suffix == ".pdf":
        from . import pdf

        return pdf.read(source, layout, partial=partial)
    raise PublisherError(
        f"不能导入 {source.name}：应为 Excel 工作簿（.xlsx、.xls）或 PDF 文件（.pdf）"
    )


def fitting(source: Path, layouts: Library, tried: str) -> list[str]:
    """A hint naming the other layouts the workbook (or PDF) can be read with, if any."""
    from .xlsx import read

    fits = []
    if source.suffix.lower() == ".pdf":
        from .pdf import layouts_that_fit

        found = layouts_that_fit(source, [layouts.get(k) for k in sorted(layouts.layouts)])
        best = sorted((k for k in found if k != tried), key=lambda k: found[k])
        fits = [k for k in best if tried not in found or found[k] < found[tried]]
    for other in sorted(layouts.layouts):
        if other == tried or source.suffix.lower() not in WORKBOOKS:
            continue
        try:
            read(source, layouts.get(other))
        except PublisherError:
            continue
        fits.append(other)
    if not fits:
        return []
    return [
        f"用表样 {'、'.join(fits)} 可以读出全部表（本次用的是 {tried}）："
        f"是不是应加 --layout {fits[0]}？"
    ]


def import_file(
    source: Path,
    out: Path,
    site_config: Path,
    layout_id: str | None = None,
    *,
    force: bool = False,
    name: str | None = None,
    new_unit: Callable[[Path, str], None] | None = None,
    partial: bool = False,
) -> tuple[list[str], bool]:
    """Read ``source`` into the year file ``out`` and check it; returns the report's lines and
    whether every check passes. Nothing is written when reading fails. For a unit folder
    without unit.yml, ``new_unit(folder, name)`` writes it (``publisher new``'s template);
    the name is ``name``, else the one the source prints (a PDF's cover)."""
    config, layouts = settings(site_config)
    unit, has_unit_file = target_unit(out)
    year = int(YEAR_FILE.fullmatch(out.name).group(1))  # type: ignore[union-attr]
    folder_layout = chosen_id(Disclosure(year=year), unit, config)
    chosen = layout_id or folder_layout
    if chosen not in layouts.layouts:
        raise PublisherError(
            f"没有这个表样（应为其一：{'、'.join(sorted(layouts.layouts))}，实为 {chosen!r}）"
        )
    if out.exists() and not force:
        raise PublisherError(f"{out} 已存在，未写入（要覆盖它，加 --force）")
    try:
        draft = read_source(source, layouts.get(chosen), partial=partial)
    except WorkbookError as error:
        raise WorkbookError(error.problems + fitting(source, layouts, chosen)) from None
    except MissingTables as error:
        raise MissingTables(
            "\n".join([str(error), *fitting(source, layouts, chosen)]), error.draft
        ) from None
    hint = fitting(source, layouts, chosen) if guessed_columns(draft) else []
    name = (name or "").strip() or (draft.unit or "")
    if not has_unit_file and not (name and name != unit.slug):
        raise PublisherError(
            f"{unit.directory} 还没有 unit.yml：新单位请用 --name 给出单位全称"
            f"（如 --name 上海市普陀区财政局）"
        )
    draft.data = {
        "year": year,
        **({"layout": chosen} if chosen != folder_layout else {}),
        "status": "draft",
        **{k: v for k, v in draft.data.items() if k not in ("year", "layout", "status")},
    }
    if not has_unit_file and new_unit is not None:
        new_unit(unit.directory, name)
    placed = write_draft(draft, out, force=force)
    lines, ok = review(out, draft, placed, layouts, config)
    return lines + hint, ok


def guessed_columns(draft: Draft) -> bool:
    """Whether a PDF's columns were placed otherwise than by their labels."""
    from .pdfheader import GUESSED

    return any(d.why.startswith(GUESSED) for d in draft.doubts)
