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
from dataclasses import dataclass
from pathlib import Path

import yaml

from .convert import Converter
from .errors import ContentError, Problem
from .models import Disclosure, Mark, Region, RegionInfo, Site, SiteConfig, Unit, UnitInfo

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
YEAR_FILE = re.compile(r"(\d{4})\.yml")
NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# URLs the site itself uses at its top level (theme/, docs/, the search index, MkDocs' 404 page):
# a region folder with one of these names would replace them or lose its pages.
RESERVED = frozenset(("search", "format", "css", "js", "pagefind", "404", "assets"))


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml's parser with a minimal resolver: a plain scalar is null or text.

    The converter reads every value from its source text according to the model, so
    YAML's implicit typing (ints, floats, booleans, dates) is not needed, and skipping
    it saves a regex pass per scalar.
    """

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return "tag:yaml.org,2002:null" if implicit[0] and value in NULLS else "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)


def display_path(path: Path) -> str:
    """The path as an editor typed it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


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


def compose(path: Path, shown: str, problems: list[Problem]) -> yaml.Node | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(Mark(shown, line, col),
                                f"file is not UTF-8 text (byte 0x{data[error.start]:02x}); "
                                f"save it as UTF-8"))
        return None
    try:
        node = yaml.compose(text.lstrip("\ufeff"), Loader=Loader)
    except yaml.MarkedYAMLError as error:
        problems.append(yaml_problem(error, shown, text))
        return None
    if node is None:
        problems.append(Problem(Mark(shown, 1, 1), "file is empty (expected a mapping of keys)"))
    return node


def yaml_problem(error: yaml.MarkedYAMLError, shown: str, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = error.problem or "invalid YAML"
    lines = text.splitlines()
    at = lines[mark.line][mark.column:mark.column + 1] if mark.line < len(lines) else ""
    if at == "\t" or "'\\t'" in message:
        message = "tab character: YAML must be indented with spaces, not tabs"
    else:
        context = f" {error.context}" if error.context else ""
        message = f"invalid YAML: {message}{context}"
    return Problem(Mark(shown, mark.line + 1, mark.column + 1), message)


def load_content(root: Path, *, lenient: bool = False) -> Site:
    """Load the whole tree under ``root``, year files included.

    Raises :class:`ContentError` listing every problem, unless ``lenient`` (the editors'
    preview): then the site holds what loaded and ``site.problems`` the rest.
    """
    site = scan_content(root)
    for unit in site.all_units():
        site.problems += load_years(unit)
    if site.problems and not lenient:
        raise ContentError(site.problems)
    return site


@dataclass
class Part:
    """What ``publisher check PATH`` looks at: the tree that holds ``target``, read as far as
    the target needs. Every problem is kept in ``site.problems`` (nothing is raised), so that
    one broken file never hides the findings of the others."""

    site: Site
    target: Path  # resolved

    def holds(self, path: Path | str) -> bool:
        """Whether a file or folder (as shown in messages, or a Path) lies within the target."""
        resolved = Path(path).resolve()
        return resolved == self.target or self.target in resolved.parents


def load_part(path: Path) -> Part:
    """Load the content folder, region, unit folder or year file at ``path``.

    The regions and units of the whole tree are scanned (a unit needs its regions, and
    names must be unique), but only the year files of the units within ``path`` are read;
    of a single year file, its unit's other years are read too, as the previous year of
    its comparisons. Only problems within ``path`` are kept.
    """
    if not path.exists():
        raise ContentError([Problem(Mark(display_path(path), 1, 1),
                                    "找不到该路径（应为内容文件夹、地区或单位文件夹，或年度文件）")])
    part = Part(scan_content(content_root(path)), path.resolve())
    site = part.site
    site.problems = [p for p in site.problems if part.holds(p.mark.path)]
    for unit in site.all_units():
        if part.holds(unit.directory) or unit.directory.resolve() == part.target.parent:
            site.problems += [p for p in load_years(unit) if part.holds(p.mark.path)]
    return part


def content_root(path: Path) -> Path:
    """The content folder that holds ``path``: itself, or the first folder above it that is
    neither a region (region.yml) nor a unit (unit.yml)."""
    folder = path if path.is_dir() else path.parent
    while (folder / "region.yml").exists() or (folder / "unit.yml").exists():
        folder = folder.parent
    return folder


def scan_content(root: Path) -> Site:
    """The tree of regions and units (region.yml, unit.yml) with each unit's year files
    listed but not read: the site build reads those per unit, in parallel."""
    problems: list[Problem] = []
    site = Site(root=root, problems=problems)
    if not root.is_dir():
        raise ContentError([Problem(Mark(display_path(root), 1, 1), "找不到内容文件夹")])
    for child in sorted(p for p in root.iterdir() if p.is_dir()):
        if child.name in RESERVED:
            problems.append(Problem(Mark(display_path(child), 1, 1),
                                    f"文件夹名 {child.name!r} 是网站保留的路径 /{child.name}/，不能用作地区名"
                                    f"（应改用其他名称；保留的有：{'、'.join(sorted(RESERVED))}）"))
            continue
        region = load_region(child, (child.name,), None, problems)
        if region is not None:
            site.regions.append(region)
    report_stray_files(root, problems)
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


def load_region(directory: Path, slugs: tuple[str, ...], parent: Region | None,
                problems: list[Problem]) -> Region | None:
    check_slug(directory, problems)
    region_file = directory / "region.yml"
    if not region_file.exists():
        first = next(iter(sorted(directory.rglob("*.yml"))), None)
        if first is not None:
            problems.append(Problem(Mark(display_path(first), 1, 1),
                                    f"文件夹 '{display_path(directory)}' 缺少 region.yml"
                                    f"（应有一个写明 name: <地区名称> 的文件）"))
        return None
    info = read_model(region_file, RegionInfo, problems)
    region = Region(slugs, directory, info or RegionInfo(name=directory.name), parent)
    for child in sorted(p for p in directory.iterdir() if p.is_dir()):
        if (child / "region.yml").exists():
            sub = load_region(child, slugs + (child.name,), region, problems)
            if sub is not None:
                region.regions.append(sub)
        else:
            unit = load_unit(child, region, problems)
            if unit is not None:
                region.units.append(unit)
    report_stray_files(directory, problems, allowed={"region.yml"})
    region.regions.sort(key=region_key)
    region.units.sort(key=lambda u: u.slug)
    return region


def load_unit(directory: Path, region: Region, problems: list[Problem]) -> Unit | None:
    check_slug(directory, problems)
    year_files = sorted(p for p in directory.glob("*.yml") if YEAR_FILE.fullmatch(p.name))
    unit_file = directory / "unit.yml"
    if not unit_file.exists():
        where = display_path(year_files[0]) if year_files else display_path(directory)
        problems.append(Problem(Mark(where, 1, 1),
                                f"单位文件夹 '{display_path(directory)}' 缺少 unit.yml"
                                f"（应有一个写明 name: <单位全称> 的文件；"
                                f"'publisher new {'/'.join(region.slugs)}/{directory.name} <年度>' 会创建它）"))
        return None
    info = read_model(unit_file, UnitInfo, problems)
    if info is not None and info.name.strip() == directory.name:
        problems.append(Problem(info.where("name"),
                                f"单位全称仍是文件夹名（应为单位全称，如 株洲市石峰区人民政府办公室，"
                                f"实为 {info.name!r}）"))
    unit = Unit(directory.name, directory, region, info or UnitInfo(name=directory.name))
    for path in year_files:
        unit.files[int(YEAR_FILE.fullmatch(path.name).group(1))] = path
    for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
        problems.append(Problem(Mark(display_path(sub), 1, 1),
                                "单位文件夹里不应有子文件夹（若它是地区，应在其中放 region.yml）"))
    report_stray_files(directory, problems, allowed={"unit.yml"} | {p.name for p in year_files})
    return unit


def load_years(unit: Unit) -> list[Problem]:
    """Read the unit's year files into ``unit.years``; broken ones go to ``unit.broken``."""
    problems: list[Problem] = []
    for year, path in unit.files.items():
        before = len(problems)
        disclosure = read_model(path, Disclosure, problems)
        if disclosure is not None and disclosure.year != year:
            problems.append(Problem(disclosure.where("year"),
                                    f"年度与文件名不符（{path.name} 中应为 year: {year}，"
                                    f"实为 {disclosure.year}）"))
        if len(problems) > before:
            unit.broken[year] = problems[before:]
        else:
            unit.years[year] = disclosure
    return problems


def check_slug(directory: Path, problems: list[Problem]) -> None:
    if not SLUG.fullmatch(directory.name):
        problems.append(Problem(Mark(display_path(directory), 1, 1),
                                f"文件夹名不能用作网址（应为小写英文字母、数字和 '-'，如 'shifeng'，"
                                f"实为 {directory.name!r}）"))


def report_stray_files(directory: Path, problems: list[Problem], allowed: set[str] = frozenset()) -> None:
    for path in sorted(directory.glob("*.y*ml")):
        if path.name not in allowed:
            problems.append(Problem(Mark(display_path(path), 1, 1),
                                    f"多余的文件（应为 region.yml、unit.yml 或 2020.yml 这样的年度文件，"
                                    f"实为 {path.name!r}）"))


def region_key(region: Region) -> tuple:
    order = region.info.order
    return (order is None, order or 0, region.slugs[-1])
