"""The command line as a user meets it: formats, exit codes, help, colour."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from generator.cli import main
from tests.conftest import BROKEN, REPO, run

CASE = "catalog/alpha/entries/2024/case.yaml"


def test_clean_project_prints_nothing_and_exits_zero(project):
    result = run("validate", str(project))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_json_format(project):
    shutil.copy(BROKEN / "missing-key.yaml", project / CASE)
    result = run("validate", str(project), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "errors": 1,
        "warnings": 0,
        "diagnostics": [
            {
                "path": CASE,
                "line": 1,
                "col": 1,
                "severity": "error",
                "message": "缺少必填的键 “summary”（内容概述）",
            }
        ],
    }


def test_json_format_on_a_clean_project(project):
    result = run("validate", str(project), "--format", "json")
    assert json.loads(result.stdout) == {"errors": 0, "warnings": 0, "diagnostics": []}


def test_github_format_annotates_the_line(project):
    shutil.copy(BROKEN / "index-year.yaml", project / CASE)
    result = run("validate", str(project), "--format", "github")
    assert result.stdout == (
        "::error file=catalog/alpha/entries/2024/case.yaml,line=1,col=11,title=gongkai::"
        "索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致：索引号的年份应为成文日期所在年份\n"
    )
    assert result.exit_code == 1


def test_missing_directory_is_a_usage_error(tmp_path):
    result = run("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr == f"error: 目录不存在：{tmp_path / 'nope'}\n"


def test_directory_without_catalog_is_a_usage_error(tmp_path):
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "找不到 catalog/agencies.yaml" in result.stderr


def test_unknown_option_is_a_usage_error(project):
    result = run("validate", str(project), "--format", "xml")
    assert result.exit_code == 2
    assert "'xml' is not one of 'text', 'json', 'github'" in result.stderr


@pytest.mark.parametrize("args", [[], ["validate"], ["new"], ["new", "entry"]])
def test_every_command_has_help(args):
    result = run(*args, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: ")


def test_every_command_is_documented_in_the_readme():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"gongkai {name}" in text
        for sub in getattr(command, "commands", {}):
            assert f"gongkai {name} {sub}" in text


def test_no_colour_when_not_a_terminal(project):
    shutil.copy(BROKEN / "missing-key.yaml", project / CASE)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(project)], capture_output=True, text=True
    )
    assert "\x1b[" not in result.stdout
    assert result.stdout.startswith(f"{CASE}:1:1: error: ")
    assert result.returncode == 1


def test_installed_console_script_runs(project):
    exe = shutil.which("gongkai", path=os.path.dirname(sys.executable))
    assert exe, "the gongkai console script is installed beside the interpreter"
    result = subprocess.run([exe, "validate", str(project)], capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (0, "")
