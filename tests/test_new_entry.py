"""`gongkai new entry`: the next free 索引号 and a scaffold a clerk can fill in."""

from __future__ import annotations

import re

from generator.checks.validate import validate_project
from generator.models.entry import Entry
from generator.records.scaffold import ENTRY_HINTS
from tests.conftest import run, write


def test_every_entry_key_has_a_hint():
    assert set(ENTRY_HINTS) == set(Entry.model_fields)


def test_new_entry_takes_the_next_serial(project):
    result = run("new", "entry", str(project), "--agency", "alpha", "--date", "2024-06-03")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "已新建 catalog/alpha/entries/2024/00018.yaml（索引号 11449950MB2C93010F/2024-00018）：请填写后运行 gongkai validate\n"
    )
    text = (project / "catalog/alpha/entries/2024/00018.yaml").read_text(encoding="utf-8")
    for key in Entry.model_fields:
        assert re.search(rf"^{key}:.*# \S", text, re.MULTILINE), key


def test_new_entry_skips_a_number_an_annual_report_holds(project):
    write(project, {"catalog/alpha/reports/2023.yaml": "index_no: 11449950MB2C93010F/2024-00018\n"})
    result = run("new", "entry", str(project), "--agency", "alpha", "--date", "2024-06-03")
    assert "（索引号 11449950MB2C93010F/2024-00019）" in result.stdout


def test_new_entry_in_a_new_year_starts_at_one(project):
    run("new", "entry", str(project), "-a", "alpha", "--date", "2025-01-06")
    assert (project / "catalog/alpha/entries/2025/00001.yaml").is_file()


def test_new_entry_with_a_custom_pattern_keeps_the_category_code(project):
    result = run("new", "entry", str(project), "-a", "beta", "--date", "2024-07-01")
    assert "（索引号 007482532-01-2024-0000003）" in result.stdout


def test_scaffold_reports_only_what_is_left_to_fill_in(project):
    run("new", "entry", str(project), "-a", "alpha", "--date", "2024-06-03")
    _, report = validate_project(project)
    assert [d.format_text() for d in report.diagnostics] == [
        "catalog/alpha/entries/2024/00018.yaml:3:7: error: “title”（名称）：必填，不能空着",
        "catalog/alpha/entries/2024/00018.yaml:4:9: error: “summary”（内容概述）：必填，不能空着",
    ]


def test_filled_scaffold_validates(project):
    run(
        "new",
        "entry",
        str(project),
        "-a",
        "alpha",
        "--date",
        "2024-06-03",
        "--title",
        "关于开展安全生产检查的通知",
    )
    path = project / "catalog/alpha/entries/2024/00018.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^summary:", "summary: 部署全市安全生产检查。", text, flags=re.MULTILINE)
    text = re.sub(r"^published:", "published: 2024-06-05", text, flags=re.MULTILINE)
    text = re.sub(r"^category:", "category: 应急管理", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    _, report = validate_project(project)
    assert report.diagnostics == []


def test_unknown_agency(project):
    result = run("new", "entry", str(project), "-a", "gamma")
    assert result.exit_code == 1
    assert result.stderr == "error: agencies.yaml 中没有机构“gamma”；已有的机构：alpha、beta\n"


def test_bad_date_is_a_usage_error(project):
    result = run("new", "entry", str(project), "-a", "alpha", "--date", "2024-02-30")
    assert result.exit_code == 2
    assert "应为 YYYY-MM-DD 格式的真实日期，实为“2024-02-30”" in result.stderr
