"""Rules on agencies.yaml, taxonomy files, guides and the folder layout."""

from __future__ import annotations

import shutil

from generator.checks.validate import validate_project
from tests.conftest import write


def messages(root) -> list[str]:
    _, report = validate_project(root)
    return [d.format_text() for d in report.diagnostics]


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


AG = "catalog/agencies.yaml"


def test_bad_code_and_check_character(project):
    edit(project, AG, "code: 11449950MB2C93010F", "code: 11449950MB2C93010X")
    edit(project, AG, 'code: "007482532"', 'code: "0074825"')
    assert messages(project)[:2] == [
        "catalog/agencies.yaml:5:11: warning: 机构代码“11449950MB2C93010X”的校验位应为“F”，请核对是否抄错",
        "catalog/agencies.yaml:16:11: error: “code”（机构代码）：应为 18 位统一社会信用代码或 9 位组织机构代码，实为 7 位“0074825”",
    ]


def test_duplicate_agency_id(project):
    edit(project, AG, "  - id: beta", "  - id: alpha")
    assert "catalog/agencies.yaml:13:9: error: 机构标识“alpha”重复：第 2 行已经有这个机构" in messages(
        project
    )


def test_bad_index_pattern(project):
    edit(project, AG, '"{code}-{num:2}-{year}-{serial:7}"', '"{code}-{yr}-{serial}"')
    assert messages(project)[0] == (
        "catalog/agencies.yaml:17:20: error: “index_pattern”（索引号格式）：未知的占位符 {yr}：只能用 {code} {year} {serial} {num:N}"
    )


def test_unknown_parent_and_cycle(project):
    edit(project, AG, "parent: alpha", "parent: alfa")
    assert messages(project) == [
        "catalog/agencies.yaml:18:13: error: 上级机构“alfa”在 agencies.yaml 中不存在：你是不是想写“alpha”？"
    ]
    edit(project, AG, "parent: alfa", "parent: beta")
    assert messages(project) == ["catalog/agencies.yaml:18:13: error: 上级机构形成循环：beta → … → beta"]


def test_office_needs_an_internet_contact(project):
    edit(project, AG, "      email: gk@test.example\n", "")
    assert messages(project) == [
        "catalog/agencies.yaml:7:7: error: “office”（政府信息公开工作机构）：email 和 website 至少填一项，条例要求公布互联网联系方式"
    ]


def test_unknown_key_in_agency(project):
    edit(project, AG, "    kind: 政府\n    code: 11449950", "    kind: 政府\n    cod: x\n    code: 11449950")
    assert messages(project) == [
        "catalog/agencies.yaml:5:5: error: 未知的键“cod”：你是不是想写“code”（机构代码）？"
    ]


def test_agency_without_guide(project):
    (project / "catalog/beta/guide.yaml").unlink()
    assert messages(project) == [
        "catalog/agencies.yaml:13:9: error: 机构“beta”缺少政府信息公开指南：请新建 catalog/beta/guide.yaml"
    ]


def test_folder_that_is_not_an_agency(project):
    shutil.copytree(project / "catalog/beta", project / "catalog/betta")
    assert messages(project)[0] == (
        "catalog/betta:1:1: error: 文件夹 catalog/betta/ 不属于 agencies.yaml 中的任何机构：你是不是想用“beta”？"
    )


def test_guide_missing_item_and_deadline(project):
    edit(project, "catalog/beta/guide.yaml", "  fees: 依照国家规定收取信息处理费。\n", "")
    edit(
        project,
        "catalog/alpha/guide.yaml",
        "自收到申请之日起20个工作日内答复；需要延长的，经批准可延长不超过20个工作日。",
        "自收到申请之日起15个工作日内答复。",
    )
    assert messages(project) == [
        "catalog/alpha/guide.yaml:16:13: warning: 答复期限中没有写明 20 个工作日：条例第三十三条规定，"
        "不能当场答复的，自收到申请之日起 20 个工作日内答复，经批准可延长不超过 20 个工作日",
        "catalog/beta/guide.yaml:8:3: error: 缺少必填的键 “fees”（收费）（在 on_request 中）",
    ]


def test_guide_form_outside_files(project):
    edit(
        project,
        "catalog/alpha/guide.yaml",
        "application_form: 2024/shenqingbiao.pdf",
        "application_form: ../guide.yaml",
    )
    assert messages(project) == [
        "catalog/alpha/guide.yaml:13:21: error: 路径“../guide.yaml”含有“..”，超出了 catalog/alpha/files/ 目录："
        "文件只能放在 catalog/alpha/files/ 下"
    ]


def test_agency_taxonomy_extends_only_that_agency(project):
    write(project, {"catalog/beta/taxonomy.yaml": "genres:\n  - {id: jianbao, name: 简报}\n"})
    edit(project, "catalog/beta/entries/2024/0000001.yaml", "genre: 方案", "genre: 简报")
    assert messages(project) == []
    edit(project, "catalog/alpha/entries/2024/00017.yaml", "genre: 解读", "genre: 简报")
    assert messages(project) == [
        "catalog/alpha/entries/2024/00017.yaml:8:8: error: 体裁分类“简报”在 taxonomy.yaml 中不存在：你是不是想写“通报”？"
    ]


def test_agency_taxonomy_may_not_redefine_a_portal_name(project):
    write(project, {"catalog/beta/taxonomy.yaml": "genres:\n  - {id: tz2, name: 通知}\n"})
    assert messages(project) == ["catalog/beta/taxonomy.yaml:2:21: error: 体裁名称“通知”重复"]


def test_default_taxonomy_is_used_when_the_project_has_none(project):
    (project / "catalog/taxonomy.yaml").unlink()  # the base's own: the default without `required`
    found = messages(project)
    # The entries' categories all exist; what the default taxonomy requires is missing (test_coverage).
    assert not any(": error: " in m for m in found)
    assert sum("没有公开“财政预决算”（第二十条第（七）项）的信息" in m for m in found) == 2


def test_broken_taxonomy_is_reported_once_not_in_every_entry(project):
    write(project, {"catalog/taxonomy.yaml": "categories:\n  - {id: a, nam: 政务公开}\n"})
    assert messages(project) == [
        "catalog/taxonomy.yaml:2:13: error: 未知的键“nam”：你是不是想写“name”（分类名称）？"
    ]
