"""Coverage by statutory item (Art. 20/21 of the 2019 regulation, the 公开制度 column), the agency
profile (its 机构职能 page) and review_by on withheld entries: each rule with its exact located
message, the pages rendered without the site engine, and the sample's pages."""

from __future__ import annotations

import zipfile

import pytest

from generator.checks.validate import validate_project
from generator.portal import render
from generator.portal.plan import plan_site
from tests.conftest import run, write

ALPHA = "测试市人民政府办公室"
BETA = "测试市东湖区人民政府"

PROFILE = """    profile:
      functions: |
        负责市政府机关的**日常运转**。
      departments: [秘书科, 政务公开科]
      head: 张三（主任）
      address: 测试市政务大道1号
      hours: 工作日9:00—17:00
      phone: 0999-81230000
"""

BUDGET = """index_no: 11449950MB2C93010F/2024-00018
title: 测试市人民政府办公室2024年部门预算
summary: 公开2024年部门预算。
date: 2024-02-20
disclosure: 主动公开
published: 2024-02-22
category: 财政预决算
"""

NO_RULES = """index_no: 11449950MB2C93010F/2024-00019
title: 关于本机关暂无单独制定的政府信息公开制度的说明
summary: 本机关执行市政府信息公开工作制度，未单独制定。
date: 2024-03-01
disclosure: 主动公开
published: 2024-03-04
category: 政府信息公开制度
keywords: [本机关无此类信息]
"""


def messages(root) -> list[str]:
    _, report = validate_project(root)
    return [d.format_text() for d in report.diagnostics]


def with_default_taxonomy(project):
    """The base project with Gongkai's default taxonomy (the base's own leaves out ``required``)."""
    (project / "catalog/taxonomy.yaml").unlink()
    return project


def add_profile(project, agency: str = "alpha"):
    path = project / "catalog/agencies.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = (
        "      email: gk@test.example\n"
        if agency == "alpha"
        else "      website: https://donghu.test.example/ysqgk/\n"
    )
    path.write_text(text.replace(anchor, anchor + PROFILE, 1), encoding="utf-8")


def empty(agency: str, line: int, name: str, item: str) -> str:
    return (
        f"catalog/agencies.yaml:{line}:9: warning: {agency}没有公开“{name}”（{item}）的信息：每个政府都应主动公开这类信息；"
        f"确实没有的，公开一条主题分类为“{name}”、主题词含“本机关无此类信息”的说明"
    )


def no_functions(agency: str, line: int) -> str:
    return (
        f"catalog/agencies.yaml:{line}:9: warning: {agency}没有公开机构职能（第二十条第（二）项）：请在 agencies.yaml 中"
        "为本机构填写 profile（机构职能、内设机构、负责人、办公地址、办公时间、联系电话），"
        "或公开一条主题分类为“机构职能”的信息"
    )


# -- the rules -----------------------------------------------------------------------------------


def test_default_taxonomy_requires_what_every_government_must_publish(project):
    with_default_taxonomy(project)
    assert messages(project) == [
        empty(ALPHA, 2, "政府信息公开制度", "公开制度"),
        empty(ALPHA, 2, "财政预决算", "第二十条第（七）项"),
        no_functions(ALPHA, 2),
        empty(BETA, 13, "政府信息公开制度", "公开制度"),
        empty(BETA, 13, "法规文件", "第二十条第（一）项"),
        empty(BETA, 13, "财政预决算", "第二十条第（七）项"),
        no_functions(BETA, 13),
    ]


def test_profile_entry_and_no_such_information_fill_the_columns(project):
    with_default_taxonomy(project)
    add_profile(project)
    write(
        project,
        {"catalog/alpha/entries/2024/00018.yaml": BUDGET, "catalog/alpha/entries/2024/00019.yaml": NO_RULES},
    )
    assert [m for m in messages(project) if ALPHA in m] == []


def test_a_department_is_not_required_what_only_governments_must_publish(project):
    with_default_taxonomy(project)
    edit = project / "catalog/agencies.yaml"
    edit.write_text(
        edit.read_text(encoding="utf-8").replace(
            '    kind: 政府\n    code: "007482532"', '    kind: 部门\n    code: "007482532"'
        ),
        encoding="utf-8",
    )
    assert [m for m in messages(project) if BETA in m] == [
        empty(BETA, 13, "政府信息公开制度", "公开制度").replace("每个政府", "每个部门"),
        empty(BETA, 13, "财政预决算", "第二十条第（七）项").replace("每个政府", "每个部门"),
        no_functions(BETA, 13),
    ]


def test_a_column_not_updated_within_its_period_is_a_warning(project, monkeypatch):
    with_default_taxonomy(project)
    add_profile(project)
    write(
        project,
        {"catalog/alpha/entries/2024/00018.yaml": BUDGET, "catalog/alpha/entries/2024/00019.yaml": NO_RULES},
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01: 2024-04-22 is over 6 months ago
    assert [m for m in messages(project) if ALPHA in m] == [
        f"catalog/agencies.yaml:2:9: warning: {ALPHA}的“法规文件”栏目（第二十条第（一）项）最近一次公开是 2024-04-22，"
        "到 2025-01-01 已超过 6 个月没有更新：请及时公开新的信息；确实没有的，公开一条主题词含“本机关无此类信息”的说明"
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729555200")  # 2024-10-22: exactly six months
    assert [m for m in messages(project) if ALPHA in m] == []


def test_a_category_for_governments_used_by_a_department_is_a_warning_at_the_entry(project):
    with_default_taxonomy(project)
    path = project / "catalog/agencies.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '    kind: 政府\n    code: "007482532"', '    kind: 部门\n    code: "007482532"'
        ),
        encoding="utf-8",
    )
    entry = project / "catalog/beta/entries/2024/0000001.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("category: 应急管理", "category: 土地征收"),
        encoding="utf-8",
    )
    found = [m for m in messages(project) if m.startswith("catalog/beta/")]
    assert found == [
        "catalog/beta/entries/2024/0000001.yaml:7:11: warning: 主题分类“土地征收”只适用于机构类型为 政府 的机构"
        f"（taxonomy.yaml 中该分类的 kinds），{BETA}的机构类型是 部门：请改用其他分类；"
        "如果本门户的部门也公开这类信息，在该分类的 kinds 中加上 部门"
    ]


def test_required_kinds_must_be_kinds_the_category_applies_to(project):
    write(
        project,
        {
            "catalog/alpha/taxonomy.yaml": "categories:\n"
            "  - id: zhengshou\n    name: 征收公告\n    kinds: [政府]\n    children:\n"
            "      - {id: zs-bc, name: 征收补偿, item: 第二十一条, required: [部门]}\n"
        },
    )
    assert messages(project) == [
        "catalog/alpha/taxonomy.yaml:6:57: error: “required”（必须公开的机构类型）中的“部门”不在分类“征收补偿”"
        "适用的机构类型（kinds：政府）中：请删除它，或在 kinds 中加上它"
    ]


def test_an_unknown_item_is_an_error(project):
    write(
        project, {"catalog/alpha/taxonomy.yaml": "categories:\n  - {id: x, name: 新栏目, item: 第二十二条}\n"}
    )
    items = "、".join(
        f"第二十条第（{n}）项"
        for n in [
            "一",
            "二",
            "三",
            "四",
            "五",
            "六",
            "七",
            "八",
            "九",
            "十",
            "十一",
            "十二",
            "十三",
            "十四",
            "十五",
        ]
    )
    assert messages(project) == [
        f"catalog/alpha/taxonomy.yaml:2:30: error: “categories[1].item”（公开事项）：应为 {items}、第二十一条、公开制度 之一，"
        "实为“第二十二条”：你是不是想写“第二十一条”？"
    ]


def test_profile_placeholders_are_warned_where_they_are(project):
    add_profile(project)
    path = project / "catalog/agencies.yaml"
    text = (
        path.read_text(encoding="utf-8")
        .replace("张三（主任）", "【待填写】负责人")
        .replace("政务公开科]", "【待填写】]")
    )
    path.write_text(text, encoding="utf-8")
    assert messages(project) == [
        "catalog/agencies.yaml:16:26: warning: “departments”（内设机构）第 2 项还有【待填写】的内容：请改成真实信息，门户会原样发布",
        "catalog/agencies.yaml:17:13: warning: “head”（负责人）还有【待填写】的内容：请改成真实信息，门户会原样发布",
    ]


def test_review_by_only_on_withheld_entries(project):
    path = project / "catalog/alpha/entries/2024/00017.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "review_by: 2030-01-01\n", encoding="utf-8")
    assert messages(project) == [
        "catalog/alpha/entries/2024/00017.yaml:11:12: error: review_by（复核日期）只用于不予公开的条目，"
        "本条目是“主动公开”：请删除 review_by"
    ]


def test_a_passed_review_date_is_a_warning_at_it(project):
    path = project / "catalog/beta/entries/2024/0000002.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "review_by: 2024-05-09\n", encoding="utf-8")  # the newest record is of 2024-05-10
    line = text.count("\n") + 1
    assert messages(project) == [
        f"catalog/beta/entries/2024/0000002.yaml:{line}:12: warning: 不予公开的条目已过复核日期 2024-05-09："
        "请复核是否仍不予公开，复核后更新 review_by 或公开属性"
    ]
    path.write_text(text + "review_by: 2024-05-10\n", encoding="utf-8")  # due today: not yet passed
    assert messages(project) == []


def test_summary_prints_each_agency_s_columns(project):
    add_profile(project)
    result = run("validate", str(project), "--summary")
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert lines[0] == "已检查 2 个机构、2 份公开指南、4 条目录条目、0 份年度报告"
    assert lines[1:6] == [
        "",
        f"{ALPHA}（政府）法定主动公开内容：",
        "  公开事项              栏目                信息数  最近公开",
        "  第二十条第（一）项    法规文件                 1  2024-04-22",
        "  第二十条第（二）项    机构职能                 0  —           有机构概况",
    ]
    assert "  第二十一条            土地征收                 0  —" in lines
    assert "  第二十条第（十二）项  应急管理                 1  2024-05-10" in lines


# -- the pages, without the site engine ----------------------------------------------------------


@pytest.fixture
def plan(project):
    with_default_taxonomy(project)
    add_profile(project)
    write(project, {"catalog/alpha/entries/2024/00019.yaml": NO_RULES})
    project_, report = validate_project(project)
    assert report.errors == []
    return plan_site(project_)


def test_agency_page_shows_its_columns_with_counts_dates_and_links(plan):
    html = render.render_agency(plan, "alpha").html
    assert '<a href="profile/">机构职能</a>' in html
    assert (
        '<td data-label="栏目"><a href="catalog/category/fagui-wenjian/">法规文件</a></td>\n'
        '      <td data-label="主动公开信息数">1</td>\n'
        '      <td data-label="最近公开"><time datetime="2024-04-22">2024-04-22</time></td>'
    ) in html
    assert '<td data-label="栏目">机构职能 · <a href="profile/">机构概况</a></td>' in html
    assert '政府信息公开制度</a> <span class="gk-tag">本机关无此类信息</span>' in html
    assert "土地征收" in html  # Art. 21: a government's
    # 财政预决算 is required of every government and empty; nothing under it is linked.
    assert '<td data-label="栏目">财政预决算</td>' in html
    assert html.count("应当公开，尚无信息") == 1


def test_profile_page_is_searchable_and_shows_every_fact(plan):
    page = render.render_profile(plan, "alpha")
    assert (page.url, page.title) == ("agencies/alpha/profile/", f"{ALPHA}机构职能")
    assert "<div data-pagefind-body>" in page.html
    assert 'data-pagefind-filter="类型:机构"' in page.html
    assert "<p>负责市政府机关的<strong>日常运转</strong>。</p>" in page.html
    for fact in (
        "<li>秘书科</li>",
        "<li>政务公开科</li>",
        "张三（主任）",
        "测试市政务大道1号",
        "工作日9:00—17:00",
    ):
        assert fact in page.html
    assert '<a href="tel:099981230000">0999-81230000</a>' in page.html


def test_statutory_and_rules_pages_list_every_agency(plan):
    statutory = render.render_statutory(plan).html
    assert statutory.count('<table class="gk-list gk-coverage">') == 2
    assert '<a href="../agencies/alpha/catalog/category/fagui-wenjian/">法规文件</a>' in statutory
    rules = render.render_rules(plan).html
    assert "关于本机关暂无单独制定的政府信息公开制度的说明" in rules
    assert "测试市人民政府办公室关于印发" not in rules


# -- the sample ----------------------------------------------------------------------------------


def test_sample_has_the_platform_columns_and_a_profile_page_per_agency(built_sample):
    site = built_sample / "site"
    for agency in ("shizhengfu", "fgw", "jyj", "zjj", "donghu"):
        for prefix in ("", "zh-hant/"):
            assert (site / prefix / "agencies" / agency / "profile/index.html").is_file()
        assert "法定主动公开内容" in (site / "agencies" / agency / "index.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    for url, label in (
        ("guides/", "公开指南"),
        ("rules/", "公开制度"),
        ("statutory/", "法定主动公开内容"),
        ("reports/", "年度报告"),
        ("apply/", "依申请公开"),
    ):
        assert (site / url / "index.html").is_file() and (site / "zh-hant" / url / "index.html").is_file()
        assert f'<a href="{url}" class="md-tabs__link">\n{label}\n</a>' in home
    shards = (site / "pagefind").rglob("*")
    assert any(p.is_file() for p in shards)


def test_a_review_date_and_its_withheld_record_never_reach_the_output(built_sample):
    """catalog/donghu/entries/2025/0000008.yaml is 不予公开 with review_by: 2031-06-30."""
    needles = [
        b"2031-06-30",
        "东湖区重要供水和水利设施安全防护工作方案".encode(),
        b"007482532-12-2025-0000008",
    ]
    site = built_sample / "site"
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not any(n in data for n in needles), path
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    member = archive.read(name)
                    assert not any(n in member for n in needles), (path, name)
