"""`gongkai import`: a sheet of a few hundred rows into a small project, all or nothing."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.checks.validate import validate_project
from generator.records.entryfile import dump_entry
from generator.records.yamlreader import parse_yaml
from generator.tabular.columns import values_of
from tests.conftest import BASE, run

HEADERS = [
    "索引号",
    "标题",
    "摘要",
    "发文日期",
    "公开方式",
    "发布日期",
    "发文字号",
    "信息分类",
    "体裁",
    "关键词",
    "有效性",
    "正文",
]
ROWS = 300
ACCEPTED = "2024-04-12、2024/4/12、2024.4.12、2024年4月12日、20240412"


def _date_cell(day: date, i: int) -> object:
    """The date as clerks and spreadsheets give it, a different form by row."""
    forms = [
        lambda d: datetime(d.year, d.month, d.day),
        lambda d: (d - date(1899, 12, 30)).days,  # an Excel date serial
        lambda d: f"{d.year}-{d.month}-{d.day}",
        lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
        lambda d: f"{d.year}.{d.month}.{d.day}",
        lambda d: f"{d.year}年{d.month}月{d.day}日",
        lambda d: d.strftime("%Y%m%d"),
        lambda d: f"{d.isoformat()} 00:00:00",
    ]
    return forms[i % len(forms)](day)


def good_rows(count: int = ROWS) -> list[list[object]]:
    rows = []
    for i in range(count):
        day = date(2023, 1, 2) + timedelta(days=i)
        disclosure = ["主动", "主动公开", "依申请公开"][i % 3]
        rows.append(
            [
                None,
                f"关于第{i + 1}批城市更新项目的通知",
                f"公布第{i + 1}批项目名单。",
                _date_cell(day, i),
                disclosure,
                _date_cell(day + timedelta(days=1), i + 3) if disclosure != "依申请公开" else None,
                f"测府办〔2023〕{i + 1}号" if i % 2 else None,
                ["政务公开", "规划计划", "民生保障"][i % 3],
                ["通知", "公告", "方案"][i % 3],
                "城市更新、项目；名单" if i % 4 == 0 else None,
                ["现行有效", None, "有效"][i % 3],
                f"第一条 第{i + 1}批项目如下。\n\n第二条 自公布之日起施行。" if i % 5 == 0 else None,
            ]
        )
    return rows


def bad_rows() -> list[list[object]]:
    rows = good_rows()
    rows[10][3] = "2024-02-30"  # impossible date: Sheet1!D12
    rows[20][4] = "部分公开"  # ambiguous: Sheet1!E22
    rows[30][1] = None  # missing title: Sheet1!B32
    rows[40][0] = rows[41][0] = "11449950MB2C93010F/2023-00900"  # duplicate: Sheet1!A43
    rows[50][0] = "11449950MB2C93010F/2024-00016"  # existing, other content: Sheet1!A52
    rows[60][7] = "交通运输类"  # not in the taxonomy: Sheet1!H62
    rows[70][2] = "联系人电话13912345678。"  # personal data: Sheet1!C72
    return rows


def make_xlsx(
    path: Path, rows: list[list[object]], headers: list[str] = HEADERS, title: str = "Sheet1"
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a clerk's '=… is stored
    book.save(path)
    return path


def fresh(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    shutil.copytree(BASE, root)
    return root


def files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "catalog").rglob("*.yaml"))
    }


@pytest.fixture
def here(tmp_path, monkeypatch):
    """Run in tmp_path, so messages name the sheet as the clerk typed it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_bad_row_is_located_and_nothing_is_written(here, project):
    make_xlsx(here / "旧目录.xlsx", bad_rows())
    before = files(project)
    result = run("import", "旧目录.xlsx", "--agency", "alpha", "--project", str(project))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"旧目录.xlsx:Sheet1!D12: error: 发文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“2024-02-30”",
        "旧目录.xlsx:Sheet1!E22: error: 公开方式应为 主动公开、依申请公开、不予公开 之一，实为“部分公开”",
        "旧目录.xlsx:Sheet1!B32: error: 标题：必填，不能空着",
        "旧目录.xlsx:Sheet1!A43: error: 索引号“11449950MB2C93010F/2023-00900”在表中重复："
        "Sheet1!A42 已经使用了它，一个索引号只能用于一个条目",
        "旧目录.xlsx:Sheet1!A52: error: 索引号“11449950MB2C93010F/2024-00016”已被 "
        "catalog/alpha/entries/2024/00016.yaml 使用，内容与本行不同：索引号在全门户必须唯一；如果要修改那个条目，请直接编辑该文件",
        "旧目录.xlsx:Sheet1!H62: error: 信息分类：主题分类“交通运输类”在 taxonomy.yaml 中不存在",
        "旧目录.xlsx:Sheet1!C72: error: 摘要：发现手机号码“139*******8”：个人信息不得公开，请删除或去标识化；"
        "确需公开的，经审核后在 catalog/privacy-allow.yaml 中登记（hash: "
        "ba6c167e885ea4be8252fb01c61fc55439089f389ee1b0592fc8c4f417196403，file: 本文件）",
        "7 行有错误，未写入任何文件：请改正后重新导入，或加 --skip-bad 只导入没有错误的行；7 行有错误未导入",
    ]
    assert files(project) == before


def test_skip_bad_writes_the_good_rows_which_load_back_as_imported(here, project):
    make_xlsx(here / "旧目录.xlsx", bad_rows())
    result = run("import", "旧目录.xlsx", "-a", "alpha", "-p", str(project), "--skip-bad")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "已导入 293 条到 catalog/alpha/entries/；7 行有错误未导入"
    loaded, report = validate_project(project)
    assert report.errors == []
    imported = [r for r in loaded.entries if r.entry.index_no.startswith("11449950MB2C93010F/2023-")]
    assert len(imported) == 293
    # The sheet's own 索引号 is kept; the others follow the highest one in use, in row order.
    by_title = {r.entry.title: r for r in imported}
    assert by_title["关于第41批城市更新项目的通知"].entry.index_no == "11449950MB2C93010F/2023-00900"
    first = by_title["关于第1批城市更新项目的通知"]
    assert (first.path, first.entry.index_no) == (
        "catalog/alpha/entries/2023/00901.yaml",
        "11449950MB2C93010F/2023-00901",
    )
    assert values_of(first.entry) == {
        "index_no": "11449950MB2C93010F/2023-00901",
        "title": "关于第1批城市更新项目的通知",
        "summary": "公布第1批项目名单。",
        "date": "2023-01-02",
        "disclosure": "主动公开",
        "published": "2023-01-03",
        "category": "政务公开",
        "genre": "通知",
        "keywords": ["城市更新", "项目", "名单"],
        "validity": "有效",
        "body": "第一条 第1批项目如下。\n\n第二条 自公布之日起施行。\n",
    }
    # Every date form, Excel serial and datetime cell became the date of its row.
    for i in range(ROWS):
        record = by_title.get(f"关于第{i + 1}批城市更新项目的通知")
        if record is not None and i not in (10,):
            assert record.entry.date == date(2023, 1, 2) + timedelta(days=i), i


def test_the_file_is_in_the_pinned_style(here, project):
    make_xlsx(here / "a.xlsx", good_rows(6))
    assert run("import", "a.xlsx", "-a", "alpha", "-p", str(project)).exit_code == 0
    assert (project / "catalog/alpha/entries/2023/00001.yaml").read_text(encoding="utf-8") == (
        "index_no: 11449950MB2C93010F/2023-00001\n"
        "title: 关于第1批城市更新项目的通知\n"
        "summary: 公布第1批项目名单。\n"
        "date: 2023-01-02\n"
        "disclosure: 主动公开\n"
        "published: 2023-01-03\n"
        "category: 政务公开\n"
        "genre: 通知\n"
        "keywords: [城市更新, 项目, 名单]\n"
        "validity: 有效\n"
        "body: |\n"
        "  第一条 第1批项目如下。\n"
        "\n"
        "  第二条 自公布之日起施行。\n"
    )


def test_dry_run_writes_nothing(here, project):
    make_xlsx(here / "a.xlsx", good_rows(20))
    before = files(project)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--dry-run")
    assert (result.exit_code, result.stdout) == (0, "检查完毕（--dry-run，未写入任何文件）：可导入 20 条\n")
    assert files(project) == before


def test_importing_again_writes_nothing(here, project):
    rows = good_rows(30)
    rows[3][0] = "11449950MB2C93010F/2023-00040"
    make_xlsx(here / "a.xlsx", rows)
    first = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert first.stdout == "已导入 30 条到 catalog/alpha/entries/\n"
    after = files(project)
    again = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert (again.exit_code, again.stdout) == (
        0,
        "已导入 0 条到 catalog/alpha/entries/；30 行已导入过（内容与已有条目相同），未重复写入\n",
    )
    assert files(project) == after


HOSTILE = [
    "key: value",
    "# not a comment",
    "- not a list",
    "'single'",
    '"double"',
    "yes",
    "no",
    "null",
    "~",
    "2024-04-12",
    "0123",
    "trailing colon:",
    "a #b",
    "[1, 2]",
    "{a: b}",
    "@at",
    "`tick`",
    "%percent",
    "!tag",
    "&anchor",
    "*alias",
    "| pipe",
    "> fold",
    "? question",
    "tab\there",
    "反斜杠\\n不是换行",
    "全角：冒号　空格",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_load_back_exactly(text):
    values = {
        "index_no": "X/2024-00001",
        "title": text,
        "summary": text + "\n第二行 " + text,
        "keywords": [text, "普通"],
        "body": "  缩进开头\n" + text + "\n\n",
    }
    doc = parse_yaml(dump_entry(values).encode(), "x.yaml")
    assert doc.data == values


def test_hostile_strings_through_a_sheet(here, project):
    rows = good_rows(len(HOSTILE))
    for row, text in zip(rows, HOSTILE, strict=True):
        row[1] = f"{text}的通知"
        row[2] = text.replace("\t", " ") + "\n多行 " + text
        row[9] = None
    make_xlsx(here / "a.xlsx", rows)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.exit_code == 0, result.stdout
    loaded, _ = validate_project(project)
    titles = {r.entry.title: r.entry.summary for r in loaded.entries}
    for text in HOSTILE:
        assert titles[f"{text}的通知"] == text.replace("\t", " ") + "\n多行 " + text


def test_unknown_column_is_an_error_until_mapped(here, project):
    make_xlsx(here / "a.xlsx", [[*row, "张三"] for row in good_rows(3)], [*HEADERS, "录入人"])
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "a.xlsx:Sheet1!M1: error: 不认识的列名“录入人”：可识别的列名有 机构标识、索引号、名称、内容概述、成文日期、公开属性、"
        "公开日期、文号、主题分类、体裁分类、主题词、有效性、施行日期、废止日期、有效期至、登记号、联合发文机关、不公开理由、正文（及常见的别名）；"
        "要导入这一列，请加 --map 录入人=键；不需要导入，请加 --map 录入人=-",
        "表头有错误，未读取任何行：请改正表头，或用 --map 指明各列",
    ]
    ignored = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--map", "录入人=-")
    assert ignored.stdout == "已导入 3 条到 catalog/alpha/entries/\n"


def test_map_assigns_a_column(here, project):
    headers = [*HEADERS[:1], "文件题名", *HEADERS[2:]]
    make_xlsx(here / "a.xlsx", good_rows(2), headers)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--map", "文件题名=title")
    assert result.stdout == "已导入 2 条到 catalog/alpha/entries/\n"
    bad = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--map", "文件题名=titel")
    assert bad.exit_code == 2
    assert "--map 应写成 列名=键" in bad.stderr


def test_a_title_line_above_the_header_and_another_sheet(here, project):
    book = Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("目录")
    sheet.append(["测试市人民政府办公室政府信息公开目录"])
    sheet.append(HEADERS)
    for row in good_rows(2):
        sheet.append(row)
    book.save(here / "a.xlsx")
    missing = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--sheet", "目录2")
    assert missing.stderr == "error: 工作簿 a.xlsx 中没有工作表“目录2”；已有的工作表：说明、目录\n"
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project), "--sheet", "目录")
    assert result.stdout == "已导入 2 条到 catalog/alpha/entries/\n"


def test_unknown_agency(here, project):
    make_xlsx(here / "a.xlsx", good_rows(1))
    result = run("import", "a.xlsx", "-a", "gamma", "-p", str(project))
    assert result.exit_code == 1
    assert result.stderr == "error: agencies.yaml 中没有机构“gamma”；已有的机构：alpha、beta\n"


# -- CSV -------------------------------------------------------------------------------------------


def csv_text(rows: list[list[object]], headers: list[str] = HEADERS) -> str:
    import csv
    import io

    from generator.exports.cells import spreadsheet_safe

    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([spreadsheet_safe("" if v is None else str(v)) for v in row])
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_each_encoding_gives_the_files_a_workbook_gives(here, tmp_path, encoding):
    rows = good_rows(40)
    rows[7][1] = "=1+1 公式模样的标题"
    make_xlsx(here / "a.xlsx", rows)
    (here / "a.csv").write_bytes(csv_text(rows).encode(encoding))
    from_xlsx, from_csv = fresh(tmp_path, "x"), fresh(tmp_path, "c")
    assert run("import", "a.xlsx", "-a", "alpha", "-p", str(from_xlsx)).exit_code == 0
    result = run("import", "a.csv", "-a", "alpha", "-p", str(from_csv))
    # The formula-like title is kept as written, and placed in the sheet like any other warning.
    assert result.stdout == (
        "a.csv:13: warning: 标题：名称以“=”开头：电子表格会把这样的单元格当作公式执行，因此开放数据的 CSV 文件"
        "会在它前面加一个英文单引号（'）；如果不是有意这样写，请删去开头的这个字符\n"
        "已导入 40 条到 catalog/alpha/entries/\n"
    )
    assert files(from_csv) == files(from_xlsx)
    assert "title: =1+1 公式模样的标题\n" in (from_csv / "catalog/alpha/entries/2023/00008.yaml").read_text(
        "utf-8"
    )


def test_csv_problems_are_placed_at_the_line_a_record_starts(here, project):
    rows = good_rows(6)  # the first row's 正文 spans three lines
    rows[2][3] = "2023-13-01"
    rows[4][4] = None
    (here / "a.csv").write_text(csv_text(rows), encoding="utf-8")
    result = run("import", "a.csv", "-a", "alpha", "-p", str(project))
    assert result.stdout.splitlines()[:2] == [
        f"a.csv:6: error: 发文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“2023-13-01”",
        "a.csv:8: error: 公开方式：必填，不能空着",
    ]


def test_csv_in_another_encoding_is_refused(here, project):
    (here / "a.csv").write_bytes(csv_text(good_rows(1)).encode("utf-16"))
    result = run("import", "a.csv", "-a", "alpha", "-p", str(project))
    assert result.stderr == "error: 无法识别 a.csv 的编码：请另存为“CSV UTF-8（逗号分隔）”后再导入\n"


# -- values ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "2024-4-2",
        "2024/04/02",
        "2024.4.2",
        "2024年4月2日",
        "20240402",
        20240402,
        "２０２４－０４－０２",
        datetime(2024, 4, 2, 15, 30),
        45384,
        45384.6,
        "45384",
        "2024-04-02 09:00:00",
    ],
)
def test_dates_as_clerks_type_them(cell):
    from generator.tabular.values import read_date

    assert read_date(cell, "成文日期") == "2024-04-02"


@pytest.mark.parametrize("cell", ["2024-02-30", "2024-4", "2024/4-2", "12345678", 3, "明年", "2024年13月1日"])
def test_impossible_dates(cell):
    from generator.tabular.values import CellError, read_date

    with pytest.raises(CellError) as caught:
        read_date(cell, "成文日期")
    assert str(caught.value) == f"成文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“{cell}”"


@pytest.mark.parametrize("cell", ["4/2/2024", "02-04-2024", "24.4.2"])
def test_dates_whose_order_is_unknown(cell):
    from generator.tabular.values import CellError, read_date

    with pytest.raises(CellError) as caught:
        read_date(cell, "发文日期")
    assert str(caught.value) == (
        f"发文日期的年、月、日无法确定（年份应为四位并写在最前，写法如 {ACCEPTED}），实为“{cell}”"
    )


def test_choices_are_normalised_only_where_unambiguous():
    from generator.tabular.values import CellError, read_disclosure, read_keywords, read_validity

    assert [read_disclosure(v, "公开属性") for v in ("主动", " 依申请 ", "不公开")] == [
        "主动公开",
        "依申请公开",
        "不予公开",
    ]
    assert [read_validity(v, "有效性") for v in ("现行有效", "废止", "已失效")] == ["有效", "已废止", "失效"]
    with pytest.raises(CellError, match=r"^有效性应为 有效、已修改、已废止、失效 之一，实为“无效”$"):
        read_validity("无效", "有效性")
    assert read_keywords("甲；乙;丙，丁,戊、己 庚\n辛", "主题词") == [
        "甲",
        "乙",
        "丙",
        "丁",
        "戊",
        "己",
        "庚",
        "辛",
    ]


# -- progress --------------------------------------------------------------------------------------


def test_an_import_in_a_ci_log_names_its_stages(project, monkeypatch):
    """The import reports through generator.progress: in a CI log, a line per stage that took a while."""
    from generator import progress

    monkeypatch.setenv("GONGKAI_PROGRESS", "plain")
    monkeypatch.setattr(progress, "PLAIN_AFTER", 0)
    sheet = project / "sheet.csv"
    sheet.write_text(
        "名称,内容概述,成文日期,公开属性,公开日期\n"
        + "".join(f"测试通知{i},内容{i},2024-03-0{i},主动公开,2024-03-0{i + 1}\n" for i in range(1, 6)),
        encoding="utf-8",
    )
    result = run("import", str(sheet), "--agency", "alpha", "--project", str(project))
    assert result.exit_code == 0, result.output
    stages = [line.split(" ")[0].split("（")[0] for line in result.stderr.splitlines()]
    assert stages[:2] == ["读取", "检查"], result.stderr
    assert "写入临时文件" in stages and "移入目录" in stages


# -- any text -------------------------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1)


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, summary=_TEXT, keywords=st.lists(_TEXT, max_size=3), body=_TEXT)
def test_any_text_loads_back_exactly(title, summary, keywords, body):
    values = {
        "index_no": "X/2024-00001",
        "title": title,
        "summary": summary,
        "keywords": keywords,
        "body": body,
    }
    assert parse_yaml(dump_entry(values).encode(), "x.yaml").data == values


# -- writing ---------------------------------------------------------------------------------------


def test_a_file_appearing_meanwhile_undoes_the_whole_import(here, project):
    from generator.errors import GongkaiError
    from generator.tabular.importer import plan_import
    from generator.tabular.writing import write_import

    make_xlsx(here / "a.xlsx", good_rows(5))
    plan = plan_import(project, here / "a.xlsx", "alpha")
    assert [p.rel for p in plan.good][-1] == "catalog/alpha/entries/2023/00005.yaml"
    (project / "catalog/alpha/entries/2023").mkdir(parents=True)
    (project / "catalog/alpha/entries/2023/00005.yaml").write_text("written meanwhile\n", encoding="utf-8")
    with pytest.raises(GongkaiError) as caught:
        write_import(project, plan.good)
    assert str(caught.value) == (
        "文件 catalog/alpha/entries/2023/00005.yaml 在导入过程中被另一个程序创建：未写入任何文件，请重新导入"
    )
    left = sorted(p.name for p in (project / "catalog/alpha/entries").rglob("*"))
    assert left == ["00005.yaml", "00016.yaml", "00017.yaml", "2023", "2024"]
    assert (project / "catalog/alpha/entries/2023/00005.yaml").read_text(
        encoding="utf-8"
    ) == "written meanwhile\n"


def test_validation_after_importing_is_what_a_fresh_validation_finds(here, project):
    rows = good_rows(40)
    rows[3][5] = _date_cell(date(2023, 3, 30), 0)  # published long after: a warning, not an error
    make_xlsx(here / "a.xlsx", rows)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "a.xlsx:Sheet1!F5: warning: 发布日期：公开日期 2023-03-30 在成文日期 2023-01-05 之后第 57 个工作日，"
        "超过条例第二十六条规定的 20 个工作日",
        "已导入 40 条到 catalog/alpha/entries/",
    ]
    _, cached = validate_project(project)
    shutil.rmtree(project / ".gongkai-cache")
    _, fresh_report = validate_project(project)
    assert [d.format_text() for d in cached.diagnostics] == [
        d.format_text() for d in fresh_report.diagnostics
    ]
    assert len(fresh_report.warnings) == 1


def test_a_sheet_that_does_not_start_at_a1(here, project):
    book = Workbook()
    sheet = book.active
    for j, header in enumerate(HEADERS):
        sheet.cell(row=3, column=2 + j, value=header)
    for i, row in enumerate(good_rows(3)):
        for j, value in enumerate(row):
            sheet.cell(row=4 + i, column=2 + j, value=value)
    sheet.cell(row=5, column=5, value="2023-02-29")
    book.save(here / "a.xlsx")
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.stdout.splitlines()[0] == (
        f"a.xlsx:Sheet!E5: error: 发文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“2023-02-29”"
    )


def test_map_takes_a_key_or_a_known_header():
    from generator.tabular.columns import key_of, parse_map

    overrides = parse_map(("文件题名=名称", " 录入人 =-", "发布机构=category"))
    assert overrides == {"文件题名": "title", "录入人": "-", "发布机构": "category"}
    assert [key_of(h, overrides) for h in ("文件题名", "录入人：", "标题（必填）", "点击量")] == [
        "title",
        "-",
        "title",
        None,
    ]
    with pytest.raises(ValueError, match="实为“文件题名”"):
        parse_map(("文件题名",))


def test_a_withheld_row_whose_title_a_published_entry_shows(here, project):
    rows = [[*row, None] for row in good_rows(2)]
    rows[1][1] = "现将《2024年政务公开工作要点》印发给你们"  # in the body of 2024/00016.yaml
    rows[1][4], rows[1][5], rows[1][12] = "不公开", None, "属于内部事务信息，依据条例第十六条第一款不予公开。"
    make_xlsx(here / "a.xlsx", rows, [*HEADERS, "不公开理由"])
    before = files(project)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.stdout.splitlines()[0] == (
        "a.xlsx:Sheet1!B3: error: 标题：已公开的条目 catalog/alpha/entries/2024/00016.yaml 中有这段文字，"
        "不予公开的信息不得发布：请修改其中之一"
    )
    assert files(project) == before


def test_two_rows_alike_without_index_numbers(here, project):
    rows = good_rows(4)
    rows[3] = list(rows[1])  # lines 5 and 7: the first row takes three
    (here / "a.csv").write_text(csv_text(rows), encoding="utf-8")
    result = run("import", "a.csv", "-a", "alpha", "-p", str(project))
    assert result.stdout.splitlines() == [
        "a.csv:7: error: 本行与 第 5 行 的内容完全相同：同一条目只应导入一次；确实是两个条目的，请分别填写索引号",
        "1 行有错误，未写入任何文件：请改正后重新导入，或加 --skip-bad 只导入没有错误的行；1 行有错误未导入",
    ]


def test_a_row_with_a_bad_cell_shows_its_other_problems_too(here, project):
    rows = good_rows(3)
    rows[1][3] = rows[2][3] = "2023-02-29"
    rows[1][7] = "交通运输类"
    rows[2][1] = "第一行\n第二行"
    make_xlsx(here / "a.xlsx", rows)
    result = run("import", "a.xlsx", "-a", "alpha", "-p", str(project))
    assert result.stdout.splitlines() == [
        f"a.xlsx:Sheet1!D3: error: 发文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“2023-02-29”",
        "a.xlsx:Sheet1!H3: error: 信息分类：主题分类“交通运输类”在 taxonomy.yaml 中不存在",
        "a.xlsx:Sheet1!B4: error: 标题：只能写一行，不能换行",
        f"a.xlsx:Sheet1!D4: error: 发文日期应为真实存在的日期（写法如 {ACCEPTED}），实为“2023-02-29”",
        "2 行有错误，未写入任何文件：请改正后重新导入，或加 --skip-bad 只导入没有错误的行；2 行有错误未导入",
    ]


def test_numbers_held_by_annual_reports_are_not_given_out(here, project):
    """An annual report takes its 索引号 from the agency's sequence: the 2022 report holds 2023-00001."""
    reports = project / "catalog/alpha/reports"
    reports.mkdir()
    shutil.copy(Path(__file__).parent / "corpus/reports/2022.yaml", reports / "2022.yaml")
    (here / "a.csv").write_text(csv_text(good_rows(2)), encoding="utf-8")
    result = run("import", "a.csv", "-a", "alpha", "-p", str(project))
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (project / "catalog/alpha/entries/2023").glob("*.yaml"))
    assert written == ["00002.yaml", "00003.yaml"]
    _, report = validate_project(project)
    assert report.errors == []
