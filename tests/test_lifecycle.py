"""The life of a normative document: its term against the build's date, clean-ups that agree with
the documents they name, jointly issued documents, 解读 in time, and a page that never says 有效
for a document whose term has ended."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.checks.lifecycle import shown_validity, stated_term
from generator.checks.validate import validate_project
from generator.checks.workdays import add_months
from generator.models.entry import Entry
from tests.conftest import run, write
from tests.test_build import small_project

DOC = "catalog/alpha/entries/2021/00003.yaml"
READING = "catalog/alpha/entries/2021/00004.yaml"
CLEANUP = "catalog/alpha/entries/2024/00020.yaml"


def _epoch(day: str) -> str:
    from datetime import date

    from generator.records.clock import seconds_of

    return str(seconds_of(date.fromisoformat(day)))


def _doc(extra: str = "", validity: str = "有效", body: str = "") -> str:
    text = (
        "index_no: 11449950MB2C93010F/2021-00003\n"
        "title: 测试市人民政府关于印发《测试市物业服务管理办法》的通知\n"
        "summary: 规范物业服务活动。\n"
        "date: 2021-03-05\n"
        "disclosure: 主动公开\n"
        "published: 2021-03-10\n"
        "doc_no: 测府规〔2021〕1号\n"
        "category: 行政规范性文件\n"
        "genre: 通知\n"
    )
    if validity:
        text += f"validity: {validity}\n"
    text += "effective: 2021-06-01\n" + extra
    if body:
        text += "body: |\n  " + body + "\n"
    return text


def _reading(published: str = "2021-03-10") -> str:
    return (
        "index_no: 11449950MB2C93010F/2021-00004\n"
        "title: 《测试市物业服务管理办法》政策解读\n"
        "summary: 解读物业服务管理办法。\n"
        "date: 2021-03-05\n"
        "disclosure: 主动公开\n"
        f"published: {published}\n"
        "category: 政策解读\n"
        "genre: 解读\n"
        "related:\n"
        "  - {index_no: 11449950MB2C93010F/2021-00003, relation: 解读}\n"
    )


def _messages(root: Path, monkeypatch, day: str, *paths: str) -> list[str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch(day))
    _, report = validate_project(root)
    wanted = paths or (DOC, READING, CLEANUP)
    return [d.format_text() for d in report.diagnostics if d.path in wanted]


# -- terms ---------------------------------------------------------------------------------------


def test_a_term_is_read_from_the_words_that_state_it():
    base = dict(index_no="x", title="t", summary="s", date="2021-04-13", disclosure="主动公开")
    cases = {
        "本办法自2021年6月1日起施行，有效期5年。": "2026-05-31",
        "本措施自印发之日起施行，有效期至2020年12月31日。": "2020-12-31",
        "本规定自2024年2月29日起施行，有效期五年。": "2029-02-28",
        "本办法自印发之日起执行，有效期三年。": "2024-04-12",
        "行政规范性文件有效期一般不超过5年。": None,
        "认定有效期三年。": None,
    }
    for body, expected in cases.items():
        term = stated_term(Entry(**base, body=body))
        assert (term[0].isoformat() if term else None) == expected, body
    assert add_months(__import__("datetime").date(2024, 8, 31), 6).isoformat() == "2025-02-28"


def test_a_document_past_its_term_is_shown_as_lapsed():
    from datetime import date

    base = dict(index_no="x", title="t", summary="s", date="2021-04-13", disclosure="主动公开")
    entry = Entry(**base, validity="有效", expires="2026-05-31")
    assert shown_validity(entry, date(2026, 5, 31)) == "有效"  # the last day is still in force
    assert shown_validity(entry, date(2026, 6, 1)) == "失效"
    assert shown_validity(Entry(**base, expires="2026-05-31"), date(2026, 6, 1)) == "失效"
    assert (
        shown_validity(Entry(**base, validity="已废止", expires="2026-05-31"), date(2027, 1, 1)) == "已废止"
    )


def test_the_term_warns_six_months_ahead_and_fails_once_ended(project, monkeypatch):
    write(project, {DOC: _doc("expires: 2026-05-31\n"), READING: _reading()})
    assert _messages(project, monkeypatch, "2025-11-30") == []
    assert _messages(project, monkeypatch, "2025-12-01") == [
        f"{DOC}:12:10: warning: 有效期至 2026-05-31，还有 181 天到期：请在到期前评估，决定延续、修改或废止；"
        "到期后门户将显示为“失效”"
    ]
    assert _messages(project, monkeypatch, "2026-06-01") == [
        f"{DOC}:10:11: error: 有效期至 2026-05-31，到 2026-06-01 已经届满，但 validity 仍是“有效”："
        "请改为 validity: 失效；如果有效期已经延长，请把 expires 改为新的日期"
    ]
    write(project, {DOC: _doc("expires: 2026-05-31\n", validity="已修改")})
    assert _messages(project, monkeypatch, "2026-06-01") == [
        f"{DOC}:10:11: warning: 有效期至 2026-05-31，到 2026-06-01 已经届满，门户显示为“失效”："
        "请把 validity 改为 失效，使记录与门户一致"
    ]
    write(project, {DOC: _doc("expires: 2026-05-31\n", validity="失效")})
    assert _messages(project, monkeypatch, "2026-06-01") == []


def test_a_term_before_the_document_and_a_stated_term_not_entered(project, monkeypatch):
    write(project, {DOC: _doc("expires: 2021-05-01\n"), READING: _reading()})
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:12:10: error: 有效期至 2021-05-01 早于施行日期 2021-06-01：请核对两个日期"
    ]
    write(project, {DOC: _doc(body="本办法自2021年6月1日起施行，有效期5年。")})
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:12:7: warning: 正文写明了有效期（“自2021年6月1日起施行，有效期5年”），但没有填写 expires（有效期至）："
        "请添加 expires: 2026-05-31，到期后门户才能显示为失效"
    ]
    write(project, {DOC: _doc(validity="")})
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:8:11: warning: 行政规范性文件请填写 validity（有效性）：有效、已修改、已废止 或 失效；"
        "不填写的文件不会列入现行有效规范性文件目录"
    ]


# -- 解读 --------------------------------------------------------------------------------------------


def test_a_normative_document_wants_its_interpretation_in_time(project, monkeypatch):
    write(project, {DOC: _doc()})
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:1:11: warning: 行政规范性文件“测试市人民政府关于印发《测试市物业服务管理办法》的通知”（测府规〔2021〕1号）"
        "没有关联的政策解读：规章和规范性文件应与解读同步公开。请在解读条目中添加 related: "
        "[{index_no: 11449950MB2C93010F/2021-00003, relation: 解读}]"
    ]
    # A 解读 that names the document but is not linked is offered as the likely one.
    unlinked = _reading().replace(
        "related:\n  - {index_no: 11449950MB2C93010F/2021-00003, relation: 解读}\n", ""
    )
    write(project, {READING: unlinked})
    assert _messages(project, monkeypatch, "2024-06-01")[0].endswith(
        f"。可能的解读：{READING}（11449950MB2C93010F/2021-00004）"
    )
    write(project, {READING: _reading("2021-03-15")})  # Wednesday to Monday: 3 working days
    assert _messages(project, monkeypatch, "2024-06-01") == []
    write(project, {READING: _reading("2021-03-16")})
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{READING}:10:16: warning: 解读“《测试市物业服务管理办法》政策解读”公开于 2021-03-16，比被解读的文件"
        "“测试市人民政府关于印发《测试市物业服务管理办法》的通知”（测府规〔2021〕1号）（2021-03-10 公开）"
        "晚 4 个工作日：解读应与文件同步公开，最迟不超过 3 个工作日"
    ]


# -- clean-ups -------------------------------------------------------------------------------------


def _cleanup(*decisions: str) -> str:
    return (
        "index_no: 11449950MB2C93010F/2024-00020\n"
        "title: 测试市人民政府关于公布行政规范性文件清理结果的决定\n"
        "summary: 公布清理结果。\n"
        "date: 2024-03-01\n"
        "disclosure: 主动公开\n"
        "published: 2024-03-05\n"
        "doc_no: 测府规〔2024〕2号\n"
        "category: 其他文件\n"
        "decisions:\n" + "".join(f"  - {d}\n" for d in decisions)
    )


def test_a_cleanup_and_the_documents_it_names_must_agree_both_ways(project, monkeypatch):
    write(
        project,
        {
            DOC: _doc(),
            READING: _reading(),
            CLEANUP: _cleanup("{index_no: 11449950MB2C93010F/2021-00003, result: 废止}"),
        },
    )
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:10:11: error: 清理结果公告“测试市人民政府关于公布行政规范性文件清理结果的决定”（测府规〔2024〕2号）"
        f"（{CLEANUP}:10）对本文件的决定是“废止”，但本文件的有效性是“有效”：请改为 validity: 已废止，"
        "并填写 repealed（废止日期），或更正清理结果",
        f"{CLEANUP}:10:16: error: 清理结果是“废止”，但“测试市人民政府关于印发《测试市物业服务管理办法》的通知”"
        f"（测府规〔2021〕1号）的有效性是“有效”（{DOC}）：二者须一致。清理决定已生效的，请在该文件中填写 "
        "validity: 已废止，并填写 repealed（废止日期）",
    ]
    write(project, {DOC: _doc("repealed: 2024-03-01\n", validity="已废止")})
    assert _messages(project, monkeypatch, "2024-06-01") == []
    # 继续有效 then, repealed after the clean-up: both are true.
    write(project, {CLEANUP: _cleanup("{index_no: 11449950MB2C93010F/2021-00003, result: 继续有效}")})
    write(project, {DOC: _doc("repealed: 2024-05-01\n", validity="已废止")})
    assert _messages(project, monkeypatch, "2024-06-01") == []
    write(project, {DOC: _doc("repealed: 2024-02-01\n", validity="已废止")})
    found = _messages(project, monkeypatch, "2024-06-01")
    assert [m.split(":")[0] for m in found] == [DOC, CLEANUP]
    assert all("“继续有效”" in m and ": error: " in m for m in found)


def test_a_cleanup_names_real_public_documents_once(project, monkeypatch):
    write(
        project,
        {
            DOC: _doc(),
            READING: _reading(),
            CLEANUP: _cleanup(
                "{index_no: 11449950MB2C93010F/2021-00009, result: 继续有效}",
                "{index_no: 11449950MB2C93010F/2021-00003, result: 继续有效}",
                "{index_no: 11449950MB2C93010F/2021-00003, result: 继续有效}",
                "{index_no: 11449950MB2C93010F/2024-00020, result: 继续有效}",
            ),
        },
    )
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{CLEANUP}:10:16: error: 清理的文件“11449950MB2C93010F/2021-00009”不存在：请核对索引号",
        f"{CLEANUP}:12:16: error: 文件“11449950MB2C93010F/2021-00003”已经在第 2 项清理结果中了",
        f"{CLEANUP}:13:16: error: 清理结果不能针对清理公告自身",
    ]


# -- co-issuers ----------------------------------------------------------------------------------


def test_co_issuers_are_other_agencies_by_id_or_by_name(project, monkeypatch):
    write(
        project,
        {
            DOC: _doc("co_issuers: [beta, 测试市财政局, alpha, bta, 测试市财政局]\n"),
            READING: _reading(),
        },
    )
    assert _messages(project, monkeypatch, "2024-06-01") == [
        f"{DOC}:12:28: error: 联合发文机关“alpha”就是本机关：只填写其他机关",
        f"{DOC}:12:35: error: 联合发文机关“bta”不是 agencies.yaml 中的机构标识：其他机关请写全称，"
        "本门户的机构请写它的标识（alpha、beta）",
        f"{DOC}:12:40: error: 联合发文机关“测试市财政局”重复",
    ]


# -- the portal ----------------------------------------------------------------------------------


def _page_text(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text(encoding="utf-8")


def test_a_lapsed_document_is_shown_as_lapsed_everywhere(project, monkeypatch):
    """A record that still says 已修改 after its term: every view shows 失效 with the date, and an
    incremental build after the term ended gives a clean build's bytes."""
    root = small_project(project)
    write(
        root,
        {
            DOC: _doc("expires: 2026-05-31\nco_issuers: [beta, 测试市财政局]\n", validity="已修改").replace(
                "category: 行政规范性文件\n", "category: 行政规范性文件\nreg_no: 测规登〔2021〕3号\n"
            ),
            READING: _reading(),
        },
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2025-06-01"))
    assert run("build", str(root)).exit_code == 0
    url = "entries/11449950MB2C93010F/2021-00003"
    page = _page_text(root, url)
    assert '<td data-pagefind-filter="有效性">已修改</td>' in page
    assert (
        "测规登〔2021〕3号" in page
        and '<a href="../../../agencies/beta/">测试市东湖区人民政府</a>、测试市财政局' in page
    )
    normative = _page_text(root, "agencies/alpha/normative")
    assert "测试市物业服务管理办法" in normative and "测规登〔2021〕3号" in normative
    assert "测试市物业服务管理办法" in _page_text(root, "agencies/beta/normative")  # co-issued

    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2026-06-01"))
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    page = _page_text(root, url)
    assert '<td data-pagefind-filter="有效性">失效</td>' in page
    assert '本文件有效期至 <time datetime="2026-05-31">2026-05-31</time>，有效期已届满。' in page
    assert '有效性">已修改' not in page
    listing = _page_text(root, "catalog/all")
    assert re.search(
        r"测试市物业服务管理办法》的通知</a> <span class=\"gk-tag gk-tag--void\">失效 2026-05-31</span>",
        listing,
    )
    assert "测试市物业服务管理办法" in _page_text(root, "catalog/validity/shixiao")
    assert not (root / "site/catalog/validity/yixiugai").exists()
    assert "测试市物业服务管理办法" not in _page_text(root, "agencies/alpha/normative")
    rows = [
        json.loads(line)
        for line in (root / "site/data/catalog.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    row = next(r for r in rows if r["index_no"] == "11449950MB2C93010F/2021-00003")
    assert (row["validity"], row["expires"], row["reg_no"], row["co_issuers"]) == (
        "失效",
        "2026-05-31",
        "测规登〔2021〕3号",
        ["测试市东湖区人民政府", "测试市财政局"],
    )
    assert "有效性：失效（有效期至 2026-05-31）" in (root / "site/feeds/all.xml").read_text(encoding="utf-8")
    listed = json.loads((root / "site/data/agencies/alpha/normative.json").read_text(encoding="utf-8"))
    assert listed["date"] == "2026-06-01" and listed["documents"] == []

    from tests.test_build import tree_digest

    incremental = tree_digest(root / "site")
    assert run("build", "--clean", str(root)).exit_code == 0
    assert tree_digest(root / "site") == incremental


def test_the_normative_list_downloads_agree_with_the_page(portal, monkeypatch):
    import csv
    import io

    from openpyxl import load_workbook

    root = small_project(portal)
    write(
        root,
        {
            DOC: _doc("expires: 2030-05-31\n").replace("doc_no:", "reg_no: 测规登〔2021〕3号\ndoc_no:"),
            READING: _reading(),
        },
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", _epoch("2025-06-01"))
    assert run("build", str(root)).exit_code == 0
    site = root / "site"
    listed = json.loads((site / "data/agencies/alpha/normative.json").read_text(encoding="utf-8"))
    titles = [d["title"] for d in listed["documents"]]
    assert "测试市人民政府关于印发《测试市物业服务管理办法》的通知" in titles
    page = _page_text(root, "agencies/alpha/normative")
    assert all(title in page for title in titles)
    with_csv = list(
        csv.reader(io.StringIO((site / "data/agencies/alpha/normative.csv").read_text(encoding="utf-8-sig")))
    )
    assert with_csv[0][:7] == ["序号", "文件名称", "文号", "登记号", "成文日期", "施行日期", "有效期至"]
    assert [row[1] for row in with_csv[1:]] == titles
    sheet = load_workbook(site / "data/agencies/alpha/normative.xlsx").active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == titles
    assert any(r[3] == "测规登〔2021〕3号" and r[6] == "2030-05-31" for r in with_csv[1:])
    # Repealed documents are not in force (the portal fixture has one).
    assert all(d["validity"] in ("有效", "已修改") for d in listed["documents"])


def test_no_page_of_the_sample_says_valid_for_a_lapsed_document(built_sample):
    project, _ = validate_project(built_sample)
    today = project.now.date
    # Past their term on the build's date, or recorded as lapsed at the end of their term.
    lapsed = [
        r.entry
        for r in project.entries
        if r.entry.expires and (r.entry.expires < today or r.entry.validity == "失效")
    ]
    assert any(e.doc_no == "示建规〔2021〕1号" for e in lapsed)
    assert {r.agency for r in project.entries if r.entry.decisions} >= {"fgw", "donghu", "shizhengfu"}
    for entry in lapsed:
        from generator.portal.urls import entry_url

        page = (built_sample / "site" / entry_url(entry.index_no) / "index.html").read_text(encoding="utf-8")
        assert '<td data-pagefind-filter="有效性">有效</td>' not in page, entry.index_no
        for agency in project.agencies:
            assert entry.title not in (
                built_sample / f"site/agencies/{agency}/normative/index.html"
            ).read_text(encoding="utf-8")
