"""The format reference cannot drift from the models, and every documented key is exercised."""

from pathlib import Path

from conftest import ROOT, make_tree

from publisher.load import load_content
from publisher.models import Disclosure, Node, RegionInfo, SiteConfig, UnitInfo
from publisher.models.base import schema_fields
from publisher.reference import EXAMPLE, models_under, reference_markdown
from publisher.scaffold import year_text

ALL_KEYS = Path(__file__).parent / "data" / "all_keys.yml"


def test_committed_reference_is_current():
    committed = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run: publisher reference > docs/format.md"


def test_every_field_is_documented():
    for root in (RegionInfo, UnitInfo, Disclosure, SiteConfig):
        for cls in models_under(root):
            assert cls.__doc__, cls
            for f in schema_fields(cls):
                assert f.metadata.get("label"), (cls.__name__, f.name)


def test_example_in_reference_loads(tmp_path):
    make_tree(tmp_path, EXAMPLE.read_text(encoding="utf-8"))
    site = load_content(tmp_path)
    assert site.all_units()[0].years[2020].self_evaluations[0].project.name == "值班工作经费"


def used_keys(node: Node, seen: set) -> None:
    seen.update((type(node).__name__, name) for name in node.marks)
    for f in schema_fields(type(node)):
        value = getattr(node, f.name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Node):
                used_keys(item, seen)


def test_every_documented_key_loads_somewhere(seed_site, tmp_path):
    """Each key is used by a seed, the scaffold, the reference example or tests/data/all_keys.yml."""
    seen: set = set()
    for region in seed_site.all_regions():
        used_keys(region.info, seen)
    for unit, disclosure in seed_site.disclosures():
        used_keys(unit.info, seen)
        used_keys(disclosure, seen)
    extra = [
        year_text(2020, "测试单位"),
        EXAMPLE.read_text(encoding="utf-8"),
        ALL_KEYS.read_text(encoding="utf-8"),
    ]
    for i, text in enumerate(extra):
        make_tree(tmp_path / str(i), text)
        for _, disclosure in load_content(tmp_path / str(i), lenient=True).disclosures():
            used_keys(disclosure, seen)
    missing = [
        (cls.__name__, f.name)
        for cls in models_under(Disclosure)
        for f in schema_fields(cls)
        if (cls.__name__, f.name) not in seen
    ]
    assert not missing, f"keys never loaded by any content or test file: {missing}"
