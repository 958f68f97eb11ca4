"""Annual reports: the model, the identities, the messages for broken reports, and the scaffold.

tests/corpus/reports/ holds two valid reports of the base project's agency alpha (2022, totals
left out; 2023, totals written). Each broken case edits the 2023 report and expects exact lines.
"""

from __future__ import annotations

import shutil

import pytest

from generator.annual.layout import request_layout, rows
from generator.checks.validate import validate_project
from generator.diagnostics import Report
from generator.models.report import Requests2019, Requests2021
from tests.conftest import HERE, run, write
from tests.test_build import MKDOCS_YML

REPORTS = HERE / "corpus" / "reports"
R2023 = "catalog/alpha/reports/2023.yaml"


@pytest.fixture
def reported(project):
    """The base project with alpha's 2022 and 2023 reports."""
    target = project / "catalog" / "alpha" / "reports"
    target.mkdir(parents=True)
    for path in REPORTS.glob("*.yaml"):
        shutil.copy(path, target / path.name)
    return project


def messages(root) -> list[str]:
    result = run("validate", str(root))
    return [line for line in result.stdout.splitlines() if ": error: " in line or ": warning: " in line]


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_valid_reports_validate_and_totals_are_computed(reported):
    assert messages(reported) == []
    project, report = validate_project(reported, safety_gate=False)
    assert not report.errors
    by_year = {r.year: r for r in project.reports}
    assert sorted(by_year) == [2022, 2023]
    requests = by_year[2022].tables.requests  # totals left out in 2022: computed
    assert requests["received"] == [20, 3, 1, 0, 1, 0, 25]
    assert requests["outcomes"]["total"] == [18, 3, 1, 0, 1, 0, 23]
    assert by_year[2022].tables.reviews["review"] == [1, 1, 0, 0, 2]
    assert by_year[2022].tables.proactive["coercion"] is None  # 不适用, not 0
    assert str(by_year[2022].tables.proactive["fees"]) == "12.50"


# (what is broken, old text in 2023.yaml, new text, the exact lines `gongkai validate` prints)
CASES = [
    (
        "table 3 row total off by one",
        "received: [30, 4, 0, 1, 0, 1, 36]",
        "received: [30, 4, 0, 1, 0, 1, 37]",
        [
            "26:33: error: 表三 一、本年新收政府信息公开申请数量（总计列）应为 36，实为 37："
            "自然人与法人或其他组织各列之和为 36"
        ],
    ),
    (
        "table 3 （七）总计 off by one in a column",
        "total: [29, 4, 0, 1, 0, 1, 35]",
        "total: [28, 4, 0, 1, 0, 1, 34]",
        ["54:13: error: 表三 第三项（七）总计（自然人列）应为 29，实为 28：（一）至（六）各项之和为 29"],
    ),
    (
        "table 3 outcome row changed: 一 + 二 no longer equals 三 + 四",
        "not_held: [6, 1, 0, 0, 0, 1, 8]",
        "not_held: [7, 1, 0, 0, 0, 1, 9]",
        [
            "54:13: error: 表三 第三项（七）总计（自然人列）应为 30，实为 29：（一）至（六）各项之和为 30",
            "55:21: error: 表三（自然人列）一 + 二 应等于 三（七）+ 四：本年新收 30 + 上年结转 3 = 33，"
            "而办理结果总计 30 + 结转下年度 4 = 34，相差 1",
        ],
    ),
    (
        "table 4 total off by one",
        "review: [2, 0, 1, 0, 3]",
        "review: [2, 0, 1, 0, 4]",
        [
            "57:24: error: 表四 行政复议（总计列）应为 3，实为 4：结果维持、结果纠正、其他结果、尚未审结之和为 3"
        ],
    ),
    (
        "table 2 in-force count that does not follow last year (warning)",
        "normative: [5, 3, 42]",
        "normative: [5, 3, 43]",
        [
            "20:21: warning: 表二 行政规范性文件 现行有效件数为 43：按 2022 年度报告的 40 件，"
            "加本年制发 5、减本年废止 3，应为 42"
        ],
    ),
    (
        "a negative count",
        "direct_litigation: [0, 0, 0, 0]",
        "direct_litigation: [0, -1, 0, 0]",
        [
            "58:26: error: “reviews.direct_litigation[2]”（行政诉讼·未经复议直接起诉，结果纠正列）："
            "件数不能为负数，实为“-1”"
        ],
    ),
    (
        "a fraction where a count belongs",
        "licensing: 410",
        "licensing: 410.5",
        ["21:14: error: “proactive.licensing”（行政许可）：件数应为整数，不能有小数，实为“410.5”"],
    ),
    (
        "a row with a column missing",
        "partly_disclosed: [3, 0, 0, 0, 0, 0, 3]",
        "partly_disclosed: [3, 0, 0, 0, 0]",
        [
            "30:23: error: “requests.outcomes.partly_disclosed”（（二）部分公开（区分处理的，只计这一情形，"
            "不计其他情形））：应有 7 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他、总计），"
            "最后的总计可以不写；实有 5 个"
        ],
    ),
    (
        "a missing row",
        "      third_party: [0, 0, 0, 0, 0, 0]",
        "",
        [
            "32:7: error: 缺少必填的键 “third_party”（4.保护第三方合法权益）（在 requests.outcomes.withheld 中）"
        ],
    ),
    (
        "an unknown row key",
        "      third_party: [0, 0, 0, 0, 0, 0]",
        "      third_parti: [0, 0, 0, 0, 0, 0]",
        ["35:7: error: 未知的键“third_parti”：你是不是想写“third_party”（4.保护第三方合法权益）？"],
    ),
    (
        "不适用 in table 3",
        "repeated: [2, 0, 0, 0, 0, 0, 2]",
        "repeated: [2, 不适用, 0, 0, 0, 0, 2]",
        [
            "46:21: error: “requests.outcomes.not_processed.repeated[2]”（2.重复申请，商业企业列）："
            "这一格不能填“不适用”：表三、表四的每一格都参与合计，没有就填 0"
        ],
    ),
    (
        "the year inside differs from the file name",
        "year: 2023 ",
        "year: 2022 ",
        [
            "3:7: error: 报告年度为 2022，与文件名 2023.yaml 中的年份不一致：请把 year 改为 2023，或把文件改名为 2022.yaml",
            "8:12: warning: 公开日期 2024-03-15 晚于规定期限 2023-03-31：人民政府的年度报告应在次年 3 月 31 日前公布"
            "（《条例》第五十条）",
        ],
    ),
    (
        "the 2019 trial format for a 2023 report",
        'format: "2021"',
        'format: "2019"',
        [
            "4:9: error: 2019 年试行格式只用于 2019、2020 年度的报告，本报告是 2023 年度：请用 2021 年格式（format: 2021）"
        ],
    ),
    (
        "carry-over that differs from last year's (warning)",
        ("carried_over: [3, 0, 0, 0, 0, 0]", "received: [30, 4, 0, 1, 0, 1, 36]"),
        ("carried_over: [2, 0, 0, 0, 0, 0]", "received: [31, 4, 0, 1, 0, 1, 37]"),
        [
            "15:18: warning: 正文写“新收政府信息公开申请36件”，与表格不一致：新收政府信息公开申请为 37 件。请核对正文或表格",
            "15:32: warning: 正文写“上年结转3件”，与表格不一致：上年结转为 2 件。请核对正文或表格",
            "27:18: warning: 表三 二、上年结转政府信息公开申请数量（自然人列）为 2，"
            "与 2022 年度报告中“四、结转下年度继续办理”的 3 不一致",
        ],
    ),
    (
        "a number in the prose that contradicts the tables (warning)",
        "予以公开19件",
        "予以公开18件",
        ["15:39: warning: 正文写“予以公开18件”，与表格不一致：予以公开为 19 件。请核对正文或表格"],
    ),
    (
        "published after the deadline (warning)",
        "published: 2024-03-15",
        "published: 2024-04-02",
        [
            "8:12: warning: 公开日期 2024-04-02 晚于规定期限 2024-03-31：人民政府的年度报告应在次年 3 月 31 日前公布"
            "（《条例》第五十条）"
        ],
    ),
]


@pytest.mark.parametrize(("what", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_broken_report_messages(reported, what, old, new, expected):
    for before, after in zip(*((old, new) if isinstance(old, tuple) else ((old,), (new,))), strict=True):
        edit(reported, R2023, before, after)
    assert messages(reported) == [f"{R2023}:{line}" for line in expected]


def test_current_format_is_refused_for_a_trial_format_year(reported):
    text = (reported / R2023).read_text(encoding="utf-8").replace("year: 2023 ", "year: 2020 ")
    write(reported, {"catalog/alpha/reports/2020.yaml": text})
    (reported / R2023).unlink()
    assert messages(reported) == [
        "catalog/alpha/reports/2020.yaml:4:9: error: 2021 年格式（国办公开办函〔2021〕30号）从 2021 年度起使用，"
        "本报告是 2020 年度：请用 format: 2019（2019、2020 年度）或 format: 文件",
    ]


def test_a_report_for_a_year_not_yet_over(reported, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717200000")  # 2024-06-01: 2023 is over, 2024 is not
    text = (reported / R2023).read_text(encoding="utf-8").replace("year: 2023 ", "year: 2024 ")
    write(reported, {"catalog/alpha/reports/2024.yaml": text})
    (reported / R2023).unlink()
    found = messages(reported)
    assert (
        "catalog/alpha/reports/2024.yaml:3:7: error: 2024 年度还没有结束（今天是 2024-06-01）：年度报告在下一年编制和公布"
        in found
    )


def test_report_file_names_and_format(project):
    write(
        project,
        {"catalog/alpha/reports/2024.yaml": "year: 2024\n", "catalog/alpha/reports/report.yaml": "a: 1\n"},
    )
    assert messages(project) == [
        "catalog/alpha/reports/2024.yaml:1:1: error: 缺少必填的键 “format”（格式）：2021、2019 或 文件",
        "catalog/alpha/reports/report.yaml:1:1: error: 年度报告文件名应为四位年份，如 2024.yaml，实为“report.yaml”",
    ]


def test_report_index_number_must_be_unique_with_entries(reported):
    entry = next((reported / "catalog/alpha/entries/2024").glob("*.yaml"))
    index_no = next(
        line for line in entry.read_text(encoding="utf-8").splitlines() if line.startswith("index_no")
    )
    edit(reported, R2023, "index_no: 11449950MB2C93010F/2024-00018", index_no)
    found = messages(reported)
    assert len(found) == 1 and found[0].startswith(f"{R2023}:5:11: error: 索引号“")
    assert "已经使用了它，索引号在全门户必须唯一" in found[0]


def test_a_broken_report_stops_the_build_and_the_live_site_stays(reported):
    write(reported, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    assert run("build", str(reported)).exit_code == 0
    live = reported / "site" / "agencies" / "alpha" / "reports" / "2023" / "index.html"
    before = live.read_bytes()
    edit(reported, R2023, "review: [2, 0, 1, 0, 3]", "review: [2, 0, 1, 0, 4]")
    result = run("build", str(reported))
    assert result.exit_code == 1
    assert "表四 行政复议（总计列）应为 3，实为 4" in result.output
    assert live.read_bytes() == before


def test_layout_rows_follow_the_official_order():
    labels = [r.label for r in rows(Requests2021)]
    assert labels[:3] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
    ]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len(labels) == 2 + 2 + 8 + 3 + 5 + 3 + 1 + 1
    assert len(rows(Requests2019)) == 2 + 2 + 8 + 3 + 5 + 1 + 1 + 1
    layout = request_layout(Requests2021)
    first_outcome = layout[2][1]
    assert (first_outcome[0].text, first_outcome[0].rowspan) == ("三、本年度办理结果", 22)


def test_new_report_scaffold_has_every_cell_and_last_years_carry_over(reported):
    result = run("new", "report", str(reported), "--agency", "alpha", "--year", "2024")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "已新建 catalog/alpha/reports/2024.yaml（索引号 11449950MB2C93010F/2025-00001）"
    )
    text = (reported / "catalog/alpha/reports/2024.yaml").read_text(encoding="utf-8")
    assert "carried_over: [4, 0, 0, 0, 0, 0]" in text  # 2023's 结转下年度
    assert "normative: [0, 0, 42]" in text and "rules: [0, 0, 11]" in text
    for row in rows(Requests2021):
        if row.path[-1] != "total":
            assert f"{row.path[-1]}: [0, 0, 0, 0, 0, 0]" in text or row.path[-1] == "carried_over"
    again = run("new", "report", str(reported), "--agency", "alpha", "--year", "2024")
    assert again.exit_code != 0 and "文件已存在：catalog/alpha/reports/2024.yaml" in again.output
    # Left as scaffolded, it names what is still to be filled in, and nothing else.
    found = [line.split(": error: ")[1] for line in messages(reported) if "2024.yaml" in line]
    assert found == [
        "“date”（成文日期）：必填，不能空着",
        "“published”（公开日期）：必填，不能空着",
        "“overview”（一、总体情况）：必填，不能空着",
        "“problems”（五、存在的主要问题及改进情况）：必填，不能空着",
        "“other_matters”（六、其他需要报告的事项）：必填，不能空着",
    ]


def test_report_with_errors_is_not_loaded(reported):
    edit(reported, R2023, "review: [2, 0, 1, 0, 3]", "review: [2, 0, 1, 0, 4]")
    project, report = validate_project(reported, safety_gate=False)
    assert isinstance(report, Report) and report.errors
    assert [r.year for r in project.reports] == [2022]
