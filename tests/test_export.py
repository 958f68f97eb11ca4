"""`gongkai export`: the catalogue as a sheet that `gongkai import` reads back unchanged."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import run, write
from tests.test_import import HOSTILE, files, fresh, good_rows, make_xlsx

WITHHELD = {
    "catalog/alpha/entries/2024/00020.yaml": """index_no: 11449950MB2C93010F/2024-00020
title: 关于内部人事调整的请示
summary: 内部事务。
date: 2024-05-06
disclosure: 不予公开
withheld_reason: 属于内部事务信息，依据条例第十六条第一款不予公开。
"""
}


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sheet_rows(count: int) -> list[list[object]]:
    """Good rows with hostile strings in titles and keywords, and 正文 in some."""
    rows = good_rows(count)
    for row, text in zip(rows, HOSTILE, strict=False):
        row[1] = f"{text}的通知".replace("\t", " ")
        row[9] = f"{text.replace(chr(9), '')}；普通".replace(",", "").replace("、", "")
    rows[5][1] = "=SUM(A1:A9) 公式模样"
    return rows


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_import_export_import_changes_nothing(here, tmp_path, suffix):
    make_xlsx(here / "old.xlsx", sheet_rows(80))
    first, second = fresh(tmp_path, "first"), fresh(tmp_path, "second")
    assert run("import", "old.xlsx", "-a", "alpha", "-p", str(first)).exit_code == 0
    exported = run("export", "-p", str(first), "--agency", "alpha", "--output", f"out.{suffix}")
    assert exported.stdout == f"已导出 82 条到 out.{suffix}\n"
    again = run("import", f"out.{suffix}", "-a", "alpha", "-p", str(second))
    # The base project's two alpha entries are in both copies already, with the same content.
    lines = again.stdout.splitlines()
    assert (
        lines[-1] == "已导入 80 条到 catalog/alpha/entries/；2 行已导入过（内容与已有条目相同），未重复写入"
    )
    # The sheet's hostile values (a title starting with "=", "-" or "@") come back with their warnings.
    assert len(lines) == 6 and all(": warning: " in line and "开头" in line for line in lines[:-1])
    assert files(second) == files(first)


def test_export_is_deterministic_and_cells_are_text(here, project):
    make_xlsx(here / "old.xlsx", sheet_rows(10))
    run("import", "old.xlsx", "-a", "alpha", "-p", str(project))
    run("export", "-p", str(project), "-a", "alpha", "-o", "one.xlsx")
    run("export", "-p", str(project), "-a", "alpha", "-o", "two.xlsx")
    assert (here / "one.xlsx").read_bytes() == (here / "two.xlsx").read_bytes()
    sheet = load_workbook(here / "one.xlsx").active
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["索引号", "名称", "内容概述", "成文日期", "公开属性"]
    formula_like = next(c for c in sheet["B"] if c.value == "=SUM(A1:A9) 公式模样")
    assert formula_like.data_type == "s"


def test_csv_cells_are_spreadsheet_safe(here, project):
    make_xlsx(here / "old.xlsx", sheet_rows(10))
    run("import", "old.xlsx", "-a", "alpha", "-p", str(project))
    run("export", "-p", str(project), "-a", "alpha", "-o", "out.csv")
    raw = (here / "out.csv").read_bytes()
    assert raw.startswith("\ufeff索引号,名称,".encode())
    titles = [row[1] for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")))]
    assert "'=SUM(A1:A9) 公式模样" in titles
    assert "'- not a list的通知" in titles


def test_withheld_entries_only_when_asked(here, project):
    write(project, WITHHELD)
    result = run("export", "-p", str(project), "-a", "alpha", "-o", "out.csv")
    assert result.stdout == "已导出 2 条到 out.csv；不予公开的 1 条未导出（需要时加 --include-withheld）\n"
    assert "关于内部人事调整的请示" not in (here / "out.csv").read_text("utf-8-sig")
    result = run("export", "-p", str(project), "-a", "alpha", "-o", "all.csv", "--include-withheld")
    assert result.stdout == "已导出 3 条到 all.csv\n"
    text = (here / "all.csv").read_text("utf-8-sig")
    assert "关于内部人事调整的请示" in text and "属于内部事务信息" in text


def test_all_agencies_with_an_agency_column(here, project, tmp_path):
    result = run("export", "-p", str(project), "--all", "-o", "all.csv")
    assert result.stdout == "已导出 3 条到 all.csv；不予公开的 1 条未导出（需要时加 --include-withheld）\n"
    rows = list(csv.reader(io.StringIO((here / "all.csv").read_text("utf-8-sig"))))
    assert rows[0][:2] == ["机构标识", "索引号"]
    assert [r[0] for r in rows[1:]] == ["alpha", "alpha", "beta"]
    again = run("import", "all.csv", "-a", "beta", "-p", str(fresh(tmp_path, "copy")))
    assert again.stdout == (
        "已导入 0 条到 catalog/beta/entries/；1 行已导入过（内容与已有条目相同），未重复写入；2 行属于其他机构，未导入\n"
    )


def test_export_needs_one_agency_or_all(here, project):
    result = run("export", "-p", str(project), "-o", "x.csv")
    assert (result.exit_code, result.stderr) == (2, "error: 请给出 --agency 机构标识 或 --all（二者选一）\n")
    result = run("export", "-p", str(project), "-a", "alpha", "-o", "x.ods")
    assert result.stderr == "error: 只能导出为 .xlsx 或 .csv 文件，实为“x.ods”\n"


def test_export_refuses_a_catalogue_with_errors(here, project):
    write(project, {"catalog/alpha/entries/2024/bad.yaml": "index_no: x\n"})
    result = run("export", "-p", str(project), "-a", "alpha", "-o", "x.csv")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 有 ")
    assert result.stderr.endswith("请先运行 gongkai validate 改正后再导出\n")
    assert not (here / "x.csv").exists()


def test_export_refuses_more_entries_than_a_worksheet_holds(here, project, monkeypatch):
    from generator.tabular import exporter

    monkeypatch.setattr(exporter, "XLSX_ROW_LIMIT", 2)  # alpha has 2 public entries, beta 1
    assert run("export", "-p", str(project), "-a", "alpha", "-o", "alpha.xlsx").exit_code == 0
    result = run("export", "-p", str(project), "--all", "-o", "all.xlsx")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: 共 3 条，超过一个 Excel 工作表的上限（2 条）：请导出为 .csv，或用 --agency 按机构分别导出\n",
    )
    assert not (here / "all.xlsx").exists()
    assert run("export", "-p", str(project), "--all", "-o", "all.csv").exit_code == 0
