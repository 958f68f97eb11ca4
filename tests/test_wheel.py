"""The package as an agency gets it: the wheel, installed with its dependencies into a fresh virtual
environment outside this repository, makes a new portal and builds it styled and searchable.

Nothing of the repository is on the path of the installed command: it runs from a temporary folder,
and the test checks that ``generator`` is imported from the new environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.editor.site import STATIC
from tests.conftest import REPO, serve_dir

CODE = "11449950MB2C93010F"
# Checked in Chromium on the installed portal's home page.
STYLED = """() => ({
  sheet: [...document.styleSheets].some(s => (s.href || "").endsWith("/assets/stylesheets/gongkai.css")),
  skipTarget: document.getElementById("gk-content") !== null,
  header: getComputedStyle(document.querySelector(".md-header")).position,
})"""


def _run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of the repository as it is, built once for both tests."""
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)], dist)
    (built,) = dist.glob("gongkai-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A virtual environment outside the repository with only the built wheel (and its
    dependencies) installed; returns its bin/ folder."""
    where = tmp_path_factory.mktemp("wheel")
    assert not where.is_relative_to(REPO)
    _run([sys.executable, "-m", "venv", str(where / "venv")], where)
    bin_dir = where / "venv" / "bin"
    _run([str(bin_dir / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)], where)
    return bin_dir


def test_the_wheel_holds_what_a_portal_needs_and_nothing_of_the_sample(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "generator/data/taxonomy.yaml",
        "generator/data/starter/mkdocs.yml.j2",
        "generator/data/starter/guide.yaml.j2",
        "generator/data/starter/github-workflow.yml",
        "generator/portal/theme/main.html",
        "generator/portal/theme/assets/stylesheets/gongkai.css",
        "generator/portal/templates/entry.html",
        "generator/federation/templates/search.html",
        "generator/federation/assets/federation-search.js",
        # The browser editor (editor: true): the vendored Decap CMS bundle, its licences, Gongkai's script,
        # the vendored YAML library it imports and that library's licence.
        "generator/editor/assets/decap-cms.js",
        "generator/editor/assets/decap-cms.js.LICENSE.txt",
        "generator/editor/assets/LICENSE",
        "generator/editor/assets/gongkai-editor.js",
        "generator/editor/assets/yaml/index.js",
        "generator/editor/assets/yaml/LICENSE",
    ):
        assert needed in names, needed
    # Every packaged file the editor publishes under admin/ (the yaml modules' names carry hashes).
    for name in STATIC:
        assert f"generator/editor/assets/{name}" in names, name
    assert not [n for n in names if n.startswith(("catalog/", "content/", "tests/", "theme/"))]
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "gongkai = generator.cli:main" in text
    assert "gongkai = generator.engine.plugin:GongkaiPlugin" in text


def test_an_installed_gongkai_makes_and_builds_a_new_portal(installed, tmp_path, browser):
    version = _run([str(installed / "gongkai"), "--version"], tmp_path).stdout
    assert version.strip() == "gongkai, version 0.1.0"
    where = _run([str(installed / "python"), "-c", "import generator; print(generator.__file__)"], tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)

    init = [str(installed / "gongkai"), "init", "portal", "--name", "某某县人民政府", "--code", CODE]
    _run(init, tmp_path)
    root = tmp_path / "portal"
    _run([str(installed / "gongkai"), "new", "entry", "--agency", "zhengfu", "--date", "2026-05-06",
          "--title", "某某县人民政府关于印发政务公开工作要点的通知"], root)  # fmt: skip
    entry = next((root / "catalog/zhengfu/entries/2026").glob("*.yaml"))
    text = entry.read_text(encoding="utf-8").replace("summary:", "summary: 印发本年度政务公开工作要点。", 1)
    entry.write_text(text.replace("published:", "published: 2026-05-08", 1), encoding="utf-8")
    built = _run([str(installed / "gongkai"), "build"], root)
    assert "已生成网站" in built.stdout
    assert "Traceback" not in built.stderr and "WARNING" not in built.stderr

    site = root / "site"
    rows = [
        json.loads(line) for line in (site / "data/catalog.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [row["title"] for row in rows] == ["某某县人民政府关于印发政务公开工作要点的通知"]
    shards = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))["shards"]
    assert all((site / "pagefind" / shard["path"] / "pagefind-entry.json").is_file() for shard in shards)
    _run([str(installed / "gongkai"), "verify", "site"], root)

    server, url = serve_dir(site)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(STYLED) == {"sheet": True, "skipTarget": True, "header": "sticky"}
        assert "某某县人民政府关于印发政务公开工作要点的通知" in page.inner_text("main")
        shots = REPO / "build" / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "new-portal-home.png"), full_page=True)
        page.close()
    finally:
        server.shutdown()
