"""A page's size does not depend on how many units the site has (local navigation only)."""

import shutil

import pytest
from conftest import build_site, copy_project

FIXED = "zhuzhou/shifeng/zhengfu-bangongshi/2020/index.html"


def multiply_units(content, copies: int) -> int:
    """Copy every unit folder ``copies`` times beside itself; returns the number of units added."""
    units = [p.parent for p in content.rglob("unit.yml")]
    for unit in units:
        for i in range(copies):
            shutil.copytree(unit, unit.parent / f"{unit.name}-{i:03d}")
    return len(units) * copies


@pytest.mark.parametrize(
    "copies",
    [20, pytest.param(200, marks=pytest.mark.slow)],  # 100 units; 1,000 (scale test)
)
def test_unit_page_size_is_independent_of_site_size(tmp_path, copies):
    small = copy_project(tmp_path / "small")
    assert build_site(small, small / "site").returncode == 0
    large = copy_project(tmp_path / "large")
    assert multiply_units(large / "content", copies) == 5 * copies
    result = build_site(large, large / "site")
    assert result.returncode == 0, result.stderr
    assert len(list((large / "site").rglob("index.html"))) > 10 * copies
    small_page = (small / "site" / FIXED).read_bytes()
    large_page = (large / "site" / FIXED).read_bytes()
    assert len(small_page) == len(large_page)
    assert small_page == large_page
    assert len(large_page) < 150_000
