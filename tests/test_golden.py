"""Golden output: the content HTML of a small fixture portal, compared byte for byte.

After an intended template change, regenerate and review the diff:

    GONGKAI_UPDATE_GOLDEN=1 scripts/test tests/test_golden.py
"""

from __future__ import annotations

import os

import pytest

from generator.checks.validate import validate_project
from generator.portal import listings, render
from generator.portal import plan as plan_module
from generator.portal.plan import LANDING, plan_site
from tests.conftest import HERE

GOLDEN = HERE / "golden"
UPDATE = os.environ.get("GONGKAI_UPDATE_GOLDEN") == "1"


def pages(root):
    project, report = validate_project(root)
    assert report.errors == []
    plan = plan_site(project)
    by_index = plan.by_index
    all_listing = next(x for x in plan.listings if x.url == "catalog/all/")
    return {
        "home": render.render_home(plan, "测试市政府信息公开", "<p>欢迎。</p>"),
        "catalog": render.render_catalog(plan),
        "catalog-beta": render.render_catalog(plan, "beta"),
        "guides": render.render_guides(plan),
        "agency-alpha": render.render_agency(plan, "alpha"),
        "guide-alpha": render.render_guide(plan, "alpha"),
        "entry-document": render.render_entry(plan, by_index["11449950MB2C93010F/2024-00016"]),
        "entry-interpretation": render.render_entry(plan, by_index["11449950MB2C93010F/2024-00017"]),
        "entry-repealed": render.render_entry(plan, by_index["11449950MB2C93010F/2023-00005"]),
        "entry-on-request": render.render_entry(plan, by_index["007482532-05-2024-0000003"]),
        "listing-all": listings.render_listing(plan, all_listing, LANDING),
        **paged(plan, all_listing),
    }


def paged(plan, listing) -> dict:
    """The listing's landing page and its oldest page, in pages of two entries (seven entries: the
    landing page holds three, pages 1 and 2 two each)."""
    size = plan_module.PAGE_SIZE
    plan_module.PAGE_SIZE = 2
    try:
        assert listing.numbers() == [LANDING, 1, 2]
        return {
            "listing-paged-landing": listings.render_listing(plan, listing, LANDING),
            "listing-paged-1": listings.render_listing(plan, listing, 1),
            "listing-paged-2": listings.render_listing(plan, listing, 2),
        }
    finally:
        plan_module.PAGE_SIZE = size


NAMES = [
    "home",
    "catalog",
    "catalog-beta",
    "guides",
    "agency-alpha",
    "guide-alpha",
    "entry-document",
    "entry-interpretation",
    "entry-repealed",
    "entry-on-request",
    "listing-all",
    "listing-paged-landing",
    "listing-paged-1",
    "listing-paged-2",
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    import shutil

    from tests.conftest import BASE, PORTAL_EXTRAS, write

    root = tmp_path_factory.mktemp("golden") / "project"
    shutil.copytree(BASE, root)
    write(root, PORTAL_EXTRAS)
    return pages(root)


def test_golden_set_is_complete(rendered):
    assert sorted(rendered) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_page_matches_golden(rendered, name):
    page = rendered[name]
    text = f"<!-- url: {page.url} | title: {page.title} -->\n{page.html}"
    path = GOLDEN / f"{name}.html"
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"regenerate with GONGKAI_UPDATE_GOLDEN=1 if intended: {name}"
    )
