"""The leak corpus: personal data and withheld content in every place a clerk could put them.

Each is caught before the build, at its file, line and column, with the value masked; and with the
pre-build gate switched off, the output audit catches each again in the built site.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import docx
import pytest
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.checks import validate as validate_module
from generator.safety import gate as gate_module
from generator.safety.privacy import id18_check_char
from tests.conftest import REPO, run, write
from tests.test_build import small_project

ID = "11010119900307123" + id18_check_char("11010119900307123")
ID_B = "44030119851231004" + id18_check_char("44030119851231004")
WITHHELD_TITLE = "东湖区机构编制调整情况的内部请示"
ON_REQUEST_SENTENCE = "依申请公开的正文不得发布：项目用地预审意见涉及第三方商业信息"

LEAKY_ENTRY = f"""index_no: 11449950MB2C93010F/2024-00020
title: 关于当事人（身份证号{ID}）违规行为的处理决定
summary: 当事人手机１３９１２３４５６７８，已依法处理。
date: 2024-05-06
disclosure: 主动公开
published: 2024-05-08
doc_no: 测府罚〔2024〕13800138000号
keywords: [处罚, 13612345678]
attachments:
  - {{file: 2024/leak.docx, title: 处理决定书}}
  - {{file: 2024/leak.xlsx, title: 名单}}
  - {{file: 2024/leak.pdf, title: 决定书全文}}
body: |
  当事人身份证号：{ID_B[:6]} {ID_B[6:14]} {ID_B[14:]}。

  | 姓名 | 银行卡 |
  |---|---|
  | 当事人 | 6222 0212 3456 7894 |

  另见{WITHHELD_TITLE}。
"""

NOTICE = f"""# 公告

![当事人 13800138000](assets/photo.png)

{ON_REQUEST_SENTENCE}。
"""


def seed(root):
    write(
        root,
        {
            "catalog/alpha/entries/2024/00020.yaml": LEAKY_ENTRY,
            "content/notice.md": NOTICE,
            "content/assets/photo.png": b"\x89PNG\r\n\x1a\n",
        },
    )
    guide = (root / "catalog/alpha/guide.yaml").read_text(encoding="utf-8")
    write(
        root,
        {
            "catalog/alpha/guide.yaml": guide.replace(
                "通过网上申请平台或信函提出申请。", "通过网上申请平台、信函或邮件 wangwu@163.com 提出申请。"
            )
        },
    )
    files = root / "catalog/alpha/files/2024"
    document = docx.Document()
    document.add_paragraph("处理决定书")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "身份证号"
    table.rows[0].cells[1].text = ID
    document.save(files / "leak.docx")
    workbook = Workbook()
    workbook.active.title = "名单"
    workbook.active["A1"] = "手机"
    workbook.active["B2"] = "13712345678"
    workbook.save(files / "leak.xlsx")
    pdf = FPDF()
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, f"ID: {ID_B}")
    pdf.output(str(files / "leak.pdf"))
    return root


def findings(root) -> list[str]:
    result = run("validate", str(root))
    assert result.exit_code == 1
    return result.stdout.splitlines()


E = "catalog/alpha/entries/2024/00020.yaml"
MASK_ID = "110**************" + ID[-1]
MASK_ID_B = "440**************" + ID_B[-1]


def test_every_leak_is_caught_before_the_build_at_its_place(portal):
    lines = findings(seed(small_project(portal)))
    located = sorted({re.sub(r"（hash: [0-9a-f]{64}，file: 本文件）$", "", line) for line in lines})
    tail = "：个人信息不得公开，请删除或去标识化；确需公开的，经审核后在 catalog/privacy-allow.yaml 中登记"
    assert located == sorted(
        [
            f"{E}:2:18: error: 发现居民身份证号码“{MASK_ID}”{tail}",
            f"{E}:3:15: error: 发现手机号码“139*******8”{tail}",
            f"{E}:7:18: error: 发现手机号码“138*******0”{tail}",
            f"{E}:8:16: error: 发现手机号码“136*******8”{tail}",
            f"{E}:14:11: error: 发现居民身份证号码“{MASK_ID_B}”{tail}",
            f"{E}:18:11: error: 发现银行卡号“622************4”{tail}",
            f"{E}:20:5: error: 出现了不予公开条目 007482532-01-2024-0000002 的名称：不予公开的信息不得出现在门户的任何地方",
            f"catalog/alpha/files/2024/leak.docx:1:1: error: 表格 1 第 1 行第 2 列：发现居民身份证号码“{MASK_ID}”{tail}",
            f"catalog/alpha/files/2024/leak.xlsx:1:1: error: 工作表“名单”单元格 B2：发现手机号码“137*******8”{tail}",
            f"catalog/alpha/files/2024/leak.pdf:1:1: error: 第 1 页：发现居民身份证号码“{MASK_ID_B}”{tail}",
            f"catalog/alpha/guide.yaml:12:32: error: 发现个人电子邮箱“w***@163.com”{tail}",
            f"content/notice.md:3:7: error: 发现手机号码“138*******0”{tail}",
            "content/notice.md:5:1: error: 这段文字与依申请公开条目 007482532-05-2024-0000003 的正文相同：依申请公开的正文不得发布",
        ]
    )
    assert ID not in "\n".join(lines) and ID_B not in "\n".join(lines)


@pytest.mark.parametrize("parallel", [False, True])
def test_the_audit_catches_them_again_when_the_gate_is_off(portal, monkeypatch, caplog, parallel):
    root = seed(small_project(portal))
    monkeypatch.setattr(validate_module, "scan_project", lambda project: [])
    monkeypatch.setattr(gate_module, "scan_project", lambda project: [])
    if parallel:  # record pages written and audited by worker processes
        from generator.publish import pages

        monkeypatch.setattr(pages, "PARALLEL_THRESHOLD", 1)
        monkeypatch.setattr(pages, "BATCH", 5)
    result = run("build", str(root))
    assert result.exit_code == 1  # the output audit stops it; no site was written
    assert not (root / "site").exists()
    assert result.stderr.splitlines()[-1].startswith(
        "error: 构建失败，原来的网站保持不变：输出检查发现 "
    )  # the cause, not the engine's generic "Aborted with a BuildError!"
    # The entry page and its 繁體 twin were audited as they were written, and located.
    page = "entries/11449950MB2C93010F/2024-00020/index.html"
    for written in (page, f"zh-hant/{page}"):
        assert re.search(
            rf"site/{written}:\d+:\d+: error: 输出中有居民身份证号码“{re.escape(MASK_ID)}”", caplog.text
        )
        assert re.search(
            rf"site/{written}:\d+:\d+: error: 输出中有不予公开条目 007482532-01-2024-0000002", caplog.text
        )
    # So were the open data files, by the process that wrote them (beside the pages, in parallel).
    for data in ("data/catalog.jsonl", "data/catalog.csv", "data/agencies/alpha/catalog.csv"):
        assert re.search(rf"site/{data}:\d+:\d+: error: 输出中有居民身份证号码", caplog.text), data
    assert re.search(
        r"site/data/catalog\.xlsx:1:1: error: 工作表“目录”单元格 [A-Z]+\d+：输出中有居民身份证号码",
        caplog.text,
    )
    if parallel:
        return

    from generator.publish import build as build_sequence

    monkeypatch.setattr(build_sequence, "audit_output", lambda *args: None)
    assert run("build", str(root)).exit_code == 0  # both locks off: the leaky site exists
    audit = run("audit", str(root / "site"), "--project", str(root))
    assert audit.exit_code == 1
    report = audit.stdout
    for expected in [
        f"居民身份证号码“{MASK_ID}”",
        f"居民身份证号码“{MASK_ID_B}”",
        "手机号码“139*******8”",
        "手机号码“138*******0”",
        "手机号码“136*******8”",
        "银行卡号“622************4”",
        "个人电子邮箱“w***@163.com”",
        "不予公开条目 007482532-01-2024-0000002 的名称",
        "依申请公开条目 007482532-05-2024-0000003 的正文",
        "files/alpha/2024/leak.docx:1:1: error: 表格 1 第 1 行第 2 列",
        "files/alpha/2024/leak.xlsx:1:1: error: 工作表“名单”单元格 B2",
        "files/alpha/2024/leak.pdf:1:1: error: 第 1 页",
        "notice/index.html:",
    ]:
        assert expected in report, expected
    assert ID not in report and ID_B not in report


def test_reviewed_exception_allows_a_value_and_an_unused_one_warns(portal):
    from generator.safety.privacy import value_digest

    root = small_project(portal)
    write(root, {"content/hotline.md": "# 热线\n\n值班手机 13900001111。\n"})
    assert findings(root)[0].startswith("content/hotline.md:3:6: error: 发现手机号码")
    allow = (
        "allow:\n"
        f"  - {{hash: {value_digest('13900001111')}, file: content/hotline.md, reason: 值班手机依法公开, reviewer: 王五, date: 2024-06-01}}\n"
        f"  - {{hash: {value_digest('13900002222')}, file: content/hotline.md, reason: 已停用, reviewer: 王五, date: 2024-06-01}}\n"
    )
    write(root, {"catalog/privacy-allow.yaml": allow})
    result = run("validate", str(root))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "catalog/privacy-allow.yaml:3:12: warning: 这条例外已不再匹配任何内容（file: content/hotline.md）：请确认后删除"
    ]


def test_unreadable_attachment_is_a_warning_and_strict_makes_it_fail(portal):
    root = small_project(portal)
    write(root, {"catalog/alpha/files/2024/yaodian.pdf": b"%PDF-1.4\n%%EOF\n"})
    result = run("validate", str(root))
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "catalog/alpha/files/2024/yaodian.pdf:1:1: warning: 附件无法检查是否含有个人信息："
    )
    assert run("validate", str(root), "--strict").exit_code == 1


def test_audit_of_a_clean_built_site_and_of_a_tampered_one(portal):
    root = small_project(portal)
    assert run("build", str(root)).exit_code == 0
    clean = run("audit", str(root / "site"), "--project", str(root))
    assert (clean.exit_code, clean.stdout) == (0, "")
    page = root / "site" / "about" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("</h1>", f"</h1><p>联系人身份证&#x20;{ID}</p>", 1),
        encoding="utf-8",
    )
    tampered = run("audit", str(root / "site"))
    assert tampered.exit_code == 1
    assert re.match(
        rf"about/index\.html:\d+:\d+: error: 输出中有居民身份证号码“{re.escape(MASK_ID)}”", tampered.stdout
    )


@pytest.mark.parametrize("name", ["safety.gate", "safety.audit"])
def test_the_two_locks_do_not_share_the_renderer(name):
    """Importing either lock, in a fresh interpreter, loads no module of the renderer, directly or
    through the modules it imports, and not the site engine."""
    import json
    import subprocess
    import sys

    # The portal's pages, writing them out and the engine; the character conversion is shared.
    renderer = ("generator.portal.", "generator.publish.", "generator.engine.", "mkdocs.")
    script = f"import json, sys, generator.{name}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True, timeout=120
    )
    loaded = json.loads(result.stdout)
    assert f"generator.{name}" in loaded
    shared = {"generator.portal.chinese"}
    assert [m for m in loaded if (m.startswith(renderer) and m not in shared) or m == "mkdocs"] == []


def test_cached_gate_reports_the_same_and_keeps_exceptions_in_use(portal):
    from generator.safety.privacy import value_digest

    root = seed(small_project(portal))
    first = run("validate", str(root)).stdout
    assert run("validate", str(root)).stdout == first
    write(
        root,
        {
            "catalog/alpha/entries/2024/00021.yaml": (portal / "catalog/alpha/entries/2024/00016.yaml")
            .read_text(encoding="utf-8")
            .replace("2024-00016", "2024-00021")
            .replace("summary: 印发", "summary: 值班手机 13900001111。印发"),
            "catalog/privacy-allow.yaml": "allow:\n"
            f"  - {{hash: {value_digest('13900001111')}, file: catalog/alpha/entries/2024/00021.yaml, "
            "reason: 值班手机依法公开, reviewer: 王五, date: 2024-06-01}\n",
        },
    )
    second = run("validate", str(root)).stdout
    assert "00021.yaml" not in second and "不再匹配" not in second
    assert run("validate", str(root)).stdout == second  # from the cache: the exception still counts


def test_an_on_request_summary_may_quote_its_own_body_and_both_locks_agree(portal):
    root = small_project(portal)
    path = root / "catalog/beta/entries/2024/0000003.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("商业信息。\n", "商业信息。另附十二项审查意见的具体内容和依据说明。\n")
    text = text.replace("summary: 对某建设项目用地预审申请提出意见。", f"summary: {ON_REQUEST_SENTENCE}。")
    path.write_text(text, encoding="utf-8")
    assert run("validate", str(root)).stdout == ""
    assert run("build", str(root)).exit_code == 0  # the output audit agrees: the summary is public
    write(root, {"content/copy.md": "# 转载\n\n另附十二项审查意见的具体内容和依据说明。\n"})
    assert run("validate", str(root)).stdout.startswith(
        "content/copy.md:3:1: error: 这段文字与依申请公开条目"
    )


def test_the_audit_shares_large_files_among_workers_and_finds_the_same(tmp_path):
    from generator.safety import audit

    filler = "一般信息，" * 100_000  # about 1.5 MB each: two large files go to two workers
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text(filler + f"\n身份证号{ID}\n", encoding="utf-8")
    (tmp_path / "data" / "b.jsonl").write_text(filler + "\n手机13912345678\n", encoding="utf-8")
    (tmp_path / "index.html").write_text(f"<p>联系人{ID_B}</p>", encoding="utf-8")
    serial = audit.audit_site(tmp_path, jobs=1)
    parallel = audit.audit_site(tmp_path, jobs=2)
    assert [d.format_text() for d in parallel] == [d.format_text() for d in serial]
    assert [d.path for d in serial] == ["data/a.csv", "data/b.jsonl", "index.html"]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>手机 138<B>0013</B>8000</p>", "1:7: error: 输出中有手机号码“138*******0”"),  # upper-case tags
        ("<p>邮箱 wangwu<span>@163.com</span></p>", "1:7: error: 输出中有个人电子邮箱“w***@163.com”"),
        ("<p>正文</p><!-- 联系人 13800138000 -->", "1:19: error: 输出中有手机号码“138*******0”"),  # a comment
        (  # a link with a title inside a withheld title
            f"<p>{WITHHELD_TITLE[:4]}<a href='x' title=\"说明\">{WITHHELD_TITLE[4:]}</a></p>",
            "1:4: error: 输出中有不予公开条目 X/2024-00001 的名称",
        ),
    ],
)
def test_the_output_audit_reads_markup_as_a_reader_would(tmp_path, markup, expected):
    from generator.safety import audit
    from generator.safety.privacy import WithheldIndex

    index = WithheldIndex([("X/2024-00001", WITHHELD_TITLE)], [])
    found = audit.Auditor(tmp_path, index).audit_data("page.html", markup.encode("utf-8"))
    assert [d.format_text() for d in found] == [f"page.html:{expected}"]


TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<td>",
        "</td>",
        "<b>",
        "</b>",
        '<SPAN class="x">',
        "</Span>",
        "<br>",
        '<img alt="图 138" src="a.png">',
        '<a href="mailto:x@163.com" title="联系">',
        "</a>",
        "<!-- ",
        " -->",
        "<b-x>",
        "<span2>",
        "<!DOCTYPE html>",
        '<meta content="0013">',
    ]
)
TEXT = st.text(alphabet=st.sampled_from(list("0123456789 -中文@.a\n&;")), max_size=12).map(
    lambda t: __import__("html").escape(t, quote=False)
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(TAGS, TEXT), max_size=30))
def test_the_quick_pass_reads_the_same_text_as_the_located_one(pieces):
    """The output audit decides from quick_text whether a page needs the slow, located reading
    (html_text): for markup as pages hold it, both read the same text."""
    from generator.safety import audit

    markup = "".join(pieces)
    assert audit.quick_text(markup) == audit.html_text(markup)[0]
