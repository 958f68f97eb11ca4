"""A portal that is not the sample, with no theme/ of its own (its mkdocs.yml names only Material and
the gongkai plugin), is styled like the sample: the portal's look ships in the package. Checked in
Chromium against the sample, element by element."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BASE, REPO, run, serve_dir

MINIMAL_YML = """site_name: 测试县政府信息公开
docs_dir: content
theme:
  name: material
  language: zh
plugins:
  - gongkai
"""
# An entry page of each portal, and what is compared there.
MINIMAL_ENTRY = "entries/11449950MB2C93010F/2024-00016/"
SAMPLE_ENTRY = "entries/11449950MB2C93010F/2024-00003/"
STYLE = """() => {
  const style = (selector, property) => {
    const element = document.querySelector(selector);
    return element ? getComputedStyle(element)[property] : null;
  };
  return {
    sheet: [...document.styleSheets].some(s => (s.href || "").endsWith("/assets/stylesheets/gongkai.css")),
    skipTarget: document.getElementById("gk-content") !== null,
    skipLink: document.querySelector('a.md-skip[href="#gk-content"]') !== null,
    crumbs: style(".gk-breadcrumbs ol", "listStyleType"),
    crumbsDisplay: style(".gk-breadcrumbs ol", "display"),
    cellBorder: style("table.gk-meta th", "borderTopStyle"),
    cellBorderWidth: style("table.gk-meta th", "borderTopWidth"),
    tableWidth: style("table.gk-meta", "display"),
  };
}"""


@pytest.fixture(scope="module")
def minimal(tmp_path_factory) -> Path:
    """A portal of two agencies with the default taxonomy, made in an empty folder."""
    root = tmp_path_factory.mktemp("minimal") / "portal"
    shutil.copytree(BASE / "catalog", root / "catalog")
    (root / "content").mkdir()
    (root / "mkdocs.yml").write_text(MINIMAL_YML, encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    assert not (root / "theme").exists()
    return root / "site"


def _styles(browser, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    found = page.evaluate(STYLE)
    shot = REPO / "build" / "screenshots"
    shot.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot / f"minimal-portal-{url.rstrip('/').rsplit('/', 1)[-1]}.png"))
    page.close()
    return found


def test_a_portal_without_a_theme_folder_is_styled_like_the_sample(minimal, served, browser):
    server, url = serve_dir(minimal)
    try:
        mine = _styles(browser, url + MINIMAL_ENTRY)
    finally:
        server.shutdown()
    sample = _styles(browser, served + SAMPLE_ENTRY)
    assert sample["sheet"] and sample["skipTarget"] and sample["cellBorderWidth"] != "0px"
    assert mine == sample
