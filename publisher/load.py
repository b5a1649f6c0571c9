"""Load ``content/`` into the content tree, reporting every problem with its file:line:col.

Layout (folder names are ASCII slugs; they become URLs)::

    content/<region>/region.yml            名称, 上级, 财政部门
    content/<region>/<region>/region.yml   regions may nest (市 → 区)
    content/<region>/<unit>/unit.yml       the unit's stable facts
    content/<region>/<unit>/<year>.yml     one year's disclosure
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .convert import Converter
from .errors import ContentError, Problem
from .models import Disclosure, Mark, Region, RegionInfo, Site, SiteConfig, Unit, UnitInfo
from .source import compose, display_path, file_status, listing

# At most 64 characters: a URL segment and a file name (limit 255 bytes) at every level.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
YEAR_FILE = re.compile(r"([0-9]{4})\.yml")
MAX_REGION_DEPTH = 6  # 省 / 市 / 县 / 乡 with room to spare; bounds the length of paths
# URLs the site itself uses at its top level (theme/, docs/, the search index, MkDocs' 404 page):
# a region folder with one of these names would replace them or lose its pages.
RESERVED = frozenset(("search", "format", "css", "js", "pagefind", "404", "assets"))


class Memo:
    """Models already read, by file and its status (size, times, inode): ``mkdocs serve``
    rescans the tree on every edit, and most region.yml and unit.yml files have not changed."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, type], tuple[tuple[int, ...], object, list[Problem]]] = {}

    def read(self, path: Path, cls: type, problems: list[Problem]):
        status = file_status(path)
        if status is None:
            return read_model(path, cls, problems)
        seen = self.known.get((str(path), cls))
        if seen is not None and seen[0] == status:
            problems.extend(seen[2])
            return seen[1]
        found: list[Problem] = []
        model = read_model(path, cls, found)
        self.known[(str(path), cls)] = (status, model, found)
        problems.extend(found)
        return model


def read_model(path: Path, cls: type, problems: list[Problem]):
    """Read one YAML file into model ``cls``.

    Problems go to ``problems``; the (possibly partial) model is still returned so that
    checks across files, such as the year against the file name, can report theirs too.
    """
    shown = display_path(path)
    node = compose(path, shown, problems)
    if node is None:
        return None
    converter = Converter(shown)
    model = converter.model(node, cls)
    problems.extend(converter.problems)
    return model


def load_content(root: Path, *, lenient: bool = False) -> Site:
    """Load the whole tree under ``root``, year files included.

    Raises :class:`ContentError` listing every problem, unless ``lenient`` (the editors'
    preview): then the site holds what loaded and ``site.problems`` the rest.
    """
    site = scan_content(root)
    for unit in site.all_units():
        years = read_years(unit)
        unit.years.update(years.disclosures)
        site.problems += years.problems
    if site.problems and not lenient:
        raise ContentError(site.problems)
    return site


@dataclass
class Part:
    """What ``publisher check PATH`` looks at: the scanned tree that holds ``target``, and the
    units whose year files the check reads. Every problem is kept (nothing is raised), so that
    one broken file never hides the findings of the others."""

    site: Site
    target: Path  # absolute, symbolic links not followed

    def holds(self, path: Path | str) -> bool:
        """Whether a file or folder (as shown in messages, or a Path) lies within the target.
        Symbolic links are not followed: a link inside the target is within it, wherever it
        points."""
        absolute = Path(os.path.abspath(path))
        return absolute == self.target or self.target in absolute.parents

    @property
    def units(self) -> list[Unit]:
        """The units within the target; of a single year file, its unit (its other years are
        read too, as the previous year of its comparisons)."""
        return [
            unit
            for unit in self.site.all_units()
            if self.holds(unit.directory) or unit.directory.resolve() == self.target.parent
        ]


def scan_part(path: Path) -> Part:
    """Scan the content folder that holds the content folder, region, unit folder or year file
    at ``path``: the regions and units of the whole tree (a unit needs its regions, and names
    must be unique). Only problems within ``path`` are kept."""
    if not path.exists():
        raise ContentError(
            [
                Problem(
                    Mark(display_path(path), 1, 1),
                    "找不到该路径（应为内容文件夹、地区或单位文件夹，或年度文件）",
                )
            ]
        )
    part = Part(scan_content(content_root(path)), Path(os.path.abspath(path)))
    part.site.problems = [p for p in part.site.problems if part.holds(p.mark.path)]
    return part


def load_part(path: Path) -> Part:
    """:func:`scan_part`, with the year files of the units within it read into ``unit.years``
    (for tools and tests, as :func:`load_content`); their problems within the target go to
    ``site.problems``. ``publisher check`` leaves the reading to the pipeline's workers."""
    part = scan_part(path)
    for unit in part.units:
        years = read_years(unit)
        unit.years.update(years.disclosures)
        part.site.problems += [p for p in years.problems if part.holds(p.mark.path)]
    return part


def content_root(path: Path) -> Path:
    """The content folder that holds ``path``: itself, or the first folder above it that is
    neither a region (region.yml) nor a unit (unit.yml)."""
    folder = path if path.is_dir() else path.parent
    while (folder / "region.yml").exists() or (folder / "unit.yml").exists():
        folder = folder.parent
    return folder


def scan_content(root: Path, memo: Memo | None = None) -> Site:
    """The tree of regions and units (region.yml, unit.yml) with each unit's year files
    listed but not read: the site build reads those per unit, in parallel. With ``memo``,
    files read before and unchanged since are not read again."""
    read = memo.read if memo is not None else read_model
    problems: list[Problem] = []
    site = Site(root=root, problems=problems)
    if not root.is_dir():
        raise ContentError([Problem(Mark(display_path(root), 1, 1), "找不到内容文件夹")])
    folders, files = listing(root, root, problems)
    for child in folders:
        if child.name in RESERVED:
            problems.append(
                Problem(
                    Mark(display_path(child), 1, 1),
                    f"文件夹名 {child.name!r} 是网站保留的路径 /{child.name}/，不能用作地区名"
                    f"（应改用其他名称；保留的有：{'、'.join(sorted(RESERVED))}）",
                )
            )
            continue
        region = load_region(child, (child.name,), None, problems, root, read)
        if region is not None:
            site.regions.append(region)
    report_stray_files(files, problems)
    site.regions.sort(key=region_key)
    return site


def load_site_config(path: Path) -> SiteConfig:
    """Read ``site_config.yml``; raise :class:`ContentError` on any problem."""
    problems: list[Problem] = []
    if not path.exists():
        raise ContentError([Problem(Mark(display_path(path), 1, 1), "找不到站点设置文件")])
    config = read_model(path, SiteConfig, problems)
    if problems:
        raise ContentError(problems)
    return config


def load_region(
    directory: Path,
    slugs: tuple[str, ...],
    parent: Region | None,
    problems: list[Problem],
    root: Path,
    read=read_model,
) -> Region | None:
    check_slug(directory, problems)
    if len(slugs) > MAX_REGION_DEPTH:
        problems.append(
            Problem(
                Mark(display_path(directory), 1, 1),
                f"regions nested too deeply (expected at most {MAX_REGION_DEPTH} levels)",
            )
        )
        return None
    folders, files = listing(directory, root, problems)
    region_file = directory / "region.yml"
    if region_file not in files:
        first = first_yaml(directory)
        if first is not None:
            problems.append(
                Problem(
                    Mark(display_path(first), 1, 1),
                    f"文件夹 '{display_path(directory)}' 缺少 region.yml"
                    f"（应有一个写明 name: <地区名称> 的文件）",
                )
            )
        return None
    info = read(region_file, RegionInfo, problems)
    region = Region(slugs, directory, info or RegionInfo(name=directory.name), parent)
    for child in folders:
        if os.path.lexists(child / "region.yml"):
            sub = load_region(child, slugs + (child.name,), region, problems, root, read)
            if sub is not None:
                region.regions.append(sub)
        else:
            unit = load_unit(child, region, problems, root, read)
            if unit is not None:
                region.units.append(unit)
    report_stray_files(files, problems, allowed={"region.yml"})
    region.regions.sort(key=region_key)
    region.units.sort(key=lambda u: u.slug)
    return region


def load_unit(
    directory: Path, region: Region, problems: list[Problem], root: Path, read=read_model
) -> Unit | None:
    check_slug(directory, problems)
    folders, files = listing(directory, root, problems)
    year_files = [p for p in files if YEAR_FILE.fullmatch(p.name)]
    unit_file = directory / "unit.yml"
    if unit_file not in files:
        where = display_path(year_files[0]) if year_files else display_path(directory)
        problems.append(
            Problem(
                Mark(where, 1, 1),
                f"单位文件夹 '{display_path(directory)}' 缺少 unit.yml"
                f"（应有一个写明 name: <单位全称> 的文件；"
                f"'publisher new {'/'.join(region.slugs)}/{directory.name} <年度>' 会创建它）",
            )
        )
        return None
    info = read(unit_file, UnitInfo, problems)
    if info is not None and info.name.strip() == directory.name:
        problems.append(
            Problem(
                info.where("name"),
                f"单位全称仍是文件夹名（应为单位全称，如 株洲市石峰区人民政府办公室，"
                f"实为 {info.name!r}）",
            )
        )
    unit = Unit(directory.name, directory, region, info or UnitInfo(name=directory.name))
    for path in year_files:
        unit.files[int(path.stem)] = path  # year_files match YEAR_FILE
    for sub in folders:
        problems.append(
            Problem(
                Mark(display_path(sub), 1, 1),
                "单位文件夹里不应有子文件夹（若它是地区，应在其中放 region.yml）",
            )
        )
    report_stray_files(
        files, problems, allowed={"unit.yml"} | {p.name for p in year_files}, years=True
    )
    return unit


@dataclass
class Years:
    """A unit's year files as read: the disclosures that loaded, and the problems of the others."""

    disclosures: dict[int, Disclosure]
    broken: dict[int, list[Problem]]

    @property
    def problems(self) -> list[Problem]:
        return [p for problems in self.broken.values() for p in problems]


def read_years(unit: Unit) -> Years:
    """Read the unit's year files (the unit is left as it is)."""
    years = Years({}, {})
    for year, path in unit.files.items():
        problems: list[Problem] = []
        disclosure = read_model(path, Disclosure, problems)
        if disclosure is not None and disclosure.year != year:
            problems.append(
                Problem(
                    disclosure.where("year"),
                    f"年度与文件名不符（{path.name} 中应为 year: {year}，实为 {disclosure.year}）",
                )
            )
        if problems:
            years.broken[year] = problems
        else:
            years.disclosures[year] = disclosure
    return years


def check_slug(directory: Path, problems: list[Problem]) -> None:
    if not SLUG.fullmatch(directory.name):
        problems.append(
            Problem(
                Mark(display_path(directory), 1, 1),
                f"文件夹名不能用作网址（应为小写英文字母、数字和 '-'，如 'shifeng'，"
                f"实为 {directory.name!r}）",
            )
        )


def report_stray_files(
    files: list[Path],
    problems: list[Problem],
    allowed: Collection[str] = frozenset(),
    *,
    years: bool = False,
) -> None:
    """Report YAML files that are not content files, and names that nearly are (2023.YML,
    "2023.yml ", ２０２３.yml): read as nothing, they would be silently left out."""
    for path in files:
        if path.name in allowed:
            continue
        intended = unicodedata.normalize("NFKC", path.name).strip().casefold()
        if intended in allowed or (years and YEAR_FILE.fullmatch(intended)):
            problems.append(
                Problem(
                    Mark(display_path(path), 1, 1),
                    f"文件名不准确（应为 {intended!r}：小写、半角数字、无空格，"
                    f"实为 {path.name!r}）",
                )
            )
        elif intended.endswith((".yml", ".yaml")):
            problems.append(
                Problem(
                    Mark(display_path(path), 1, 1),
                    f"多余的文件（应为 region.yml、unit.yml 或 2020.yml 这样的年度文件，"
                    f"实为 {path.name!r}）",
                )
            )


def first_yaml(directory: Path) -> Path | None:
    """The first YAML file under ``directory`` (symbolic links to folders not followed)."""
    for folder, subfolders, names in sorted(os.walk(directory)):
        subfolders.sort()
        for name in sorted(names):
            if name.endswith(".yml"):
                return Path(folder) / name
    return None


def region_key(region: Region) -> tuple:
    order = region.info.order
    return (order is None, order or 0, region.slugs[-1])
