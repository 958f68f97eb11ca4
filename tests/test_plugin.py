"""The MkDocs plugin, through a real `mkdocs build`: it validates first and stops on errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import BROKEN
from tests.test_build import MKDOCS_YML


def mkdocs_build(root):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def setup(project):
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (project / "content").mkdir(exist_ok=True)
    (project / "content" / "index.md").write_text("# 首页\n", encoding="utf-8")


def test_valid_project_builds(project):
    setup(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()


def test_invalid_project_stops_the_build_and_keeps_the_previous_site(project):
    setup(project)
    assert mkdocs_build(project).returncode == 0
    before = (project / "site" / "index.html").read_bytes()
    shutil.copy(BROKEN / "index-year.yaml", project / "catalog/alpha/entries/2024/case.yaml")
    (project / "content" / "index.md").write_text("# 新首页\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 1
    assert (
        "catalog/alpha/entries/2024/case.yaml:1:11: error: 索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致"
        in result.stderr
    )
    assert "gongkai: 1 个错误，构建已停止" in result.stderr
    assert (project / "site" / "index.html").read_bytes() == before
