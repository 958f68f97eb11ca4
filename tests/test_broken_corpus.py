"""Every broken file gives its exact, located message and a non-zero exit (or a warning).

Each file in tests/corpus/broken/ is dropped into a copy of the valid base project as
catalog/alpha/entries/2024/case.yaml; `gongkai validate` must print exactly the expected lines.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import BROKEN, run, write

CASE = "catalog/alpha/entries/2024/case.yaml"

EXPECTED = {
    "malformed.yaml": [
        "4:8: error: YAML 格式错误：方括号列表没有正确结束：缺少“,”或“]”（did not find expected ',' or ']'）"
    ],
    "tab-indent.yaml": [
        "4:1: error: YAML 格式错误：缩进只能用空格，不能用制表符（Tab）：请把 Tab 换成空格"
        "（found character that cannot start any token）"
    ],
    "duplicate-key.yaml": ["7:1: error: 键“title”重复：第 2 行已经有“title”，同一个键只能写一次"],
    "unknown-key.yaml": ["2:1: error: 未知的键“titel”：你是不是想写“title”（名称）？"],
    "missing-key.yaml": ["1:1: error: 缺少必填的键 “summary”（内容概述）"],
    "impossible-date.yaml": [
        "4:7: error: “date”（成文日期）：“2024-02-30”不是真实存在的日期：请核对年、月、日"
    ],
    "index-pattern.yaml": [
        "1:11: error: 索引号“11449950MB2C93010F-2024-00030”不符合测试市人民政府办公室的索引号格式 "
        "{code}/{year}-{serial:5}（如 11449950MB2C93010F/2024-00001）"
    ],
    "index-year.yaml": [
        "1:11: error: 索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致：索引号的年份应为成文日期所在年份"
    ],
    "withheld-no-reason.yaml": [
        "5:13: error: 不予公开的条目必须填写 withheld_reason（不公开理由），写明依据的条款，"
        "如 属于内部事务信息，依据条例第十六条第一款不予公开"
    ],
    "related-nowhere.yaml": [
        "8:16: error: 关联的条目“11449950MB2C93010F/2024-00061”不存在：你是不是想写“11449950MB2C93010F/2024-00016”？"
    ],
    "attachment-dotdot.yaml": [
        "8:12: error: 路径“../../agencies.yaml”含有“..”，超出了 catalog/alpha/files/ 目录："
        "文件只能放在 catalog/alpha/files/ 下"
    ],
    "attachment-absolute.yaml": [
        "8:12: error: 路径“/etc/passwd”是绝对路径：请写相对于 catalog/alpha/files/ 的路径"
    ],
    "python-tag.yaml": [
        "7:7: error: 不允许使用 YAML 标签（tag:yaml.org,2002:python/object/apply:os.system）：请删除标签，只写值本身"
    ],
    "alias-bomb.yaml": ["2:4: error: 不允许使用 YAML 锚点（&a）：请删除锚点，把内容直接写出来"],
    "empty.yaml": ["1:1: error: 文件是空的：应当是一组“键: 值”"],
    "list-not-mapping.yaml": ["1:1: error: 文件内容应为一组“键: 值”（映射），实为列表"],
    "published-before-date.yaml": [
        "6:12: error: 公开日期 2024-05-01 早于成文日期 2024-05-06：请核对两个日期"
    ],
    "repealed-missing.yaml": ["7:11: error: 有效性为“已废止”时必须填写 repealed（废止日期）"],
    "unknown-category.yaml": [
        "7:11: error: 主题分类“政务工开”在 taxonomy.yaml 中不存在：你是不是想写“政务公开”？"
    ],
    "bad-disclosure.yaml": [
        "5:13: error: “disclosure”（公开属性）：应为 主动公开、依申请公开、不予公开 之一，实为“主动公布”："
        "你是不是想写“主动公开”？"
    ],
    "keywords-not-list.yaml": [
        "7:11: error: “keywords”（主题词）：应为列表（如 [甲, 乙] 或每行一个“- 项”），实为“防汛”"
    ],
}


def validate(root, *extra):
    return run("validate", str(root), *extra)


def lines(result) -> list[str]:
    return [line.removeprefix(CASE + ":") for line in result.stdout.splitlines()]


def test_every_corpus_file_has_an_expectation():
    files = {p.name for p in BROKEN.glob("*.yaml")}
    assert files == set(EXPECTED) | {"late-publication.yaml"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_exact_located_error(project, name):
    shutil.copy(BROKEN / name, project / CASE)
    result = validate(project)
    assert lines(result) == EXPECTED[name]
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_late_publication_is_a_warning_with_the_count(project):
    shutil.copy(BROKEN / "late-publication.yaml", project / CASE)
    result = validate(project)
    assert lines(result) == [
        "6:12: warning: 公开日期 2024-06-20 在成文日期 2024-05-06 之后第 33 个工作日，超过条例第二十六条规定的 20 个工作日"
    ]
    assert result.exit_code == 0
    assert validate(project, "--strict").exit_code == 1


def test_non_utf8_file(project):
    write(project, {CASE: "index_no: x\ntitle: 关于做好防汛工作的通知\n".encode("gbk")})
    result = validate(project)
    assert lines(result) == [
        "2:8: error: 文件不是 UTF-8 编码（第 20 字节为 0xB9）：请用文本编辑器另存为 UTF-8（GBK/GB2312 等编码不被接受）"
    ]
    assert result.exit_code == 1


def test_nul_byte(project):
    write(project, {CASE: b"index_no: x\ntitle: a\x00b\n"})
    assert lines(validate(project)) == ["2:9: error: 文件含有空字符（NUL）：请用文本编辑器另存为 UTF-8"]


def test_control_character(project):
    write(project, {CASE: "index_no: x\ntitle: a\x07b\n"})
    assert lines(validate(project)) == ["2:9: error: 文件含有控制字符 U+0007：请删除它"]


def test_bidi_override_in_title(project):
    text = (
        (BROKEN / "unknown-key.yaml").read_text(encoding="utf-8").replace("titel: 关于", "title: 关于\u202e")
    )
    write(project, {CASE: text})
    assert lines(validate(project)) == [
        "2:8: error: “title”（名称）：含有不可见的控制字符 U+202E（第 3 个字符）：请删除后重新输入，不要从其他文档直接粘贴"
    ]


def test_bidi_character_in_key(project):
    write(project, {CASE: "index_no: x\nti\u200btle: y\n"})
    assert lines(validate(project)) == ["2:1: error: 键“title”含有不可见的控制字符 U+200B：请删除后重新输入"]


def test_fifty_megabyte_file_is_refused_without_reading(project):
    path = project / CASE
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: the reader must refuse it by size alone
    result = validate(project)
    assert lines(result) == [
        "1:1: error: 文件过大（52,428,800 字节，上限 1,048,576 字节）：正文过长请改用 body_file，附件请放在 files/ 目录"
    ]
    assert result.exit_code == 1


def test_attachment_symlink_out_of_folder(project, tmp_path):
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4\n")
    os.symlink(secret, project / "catalog/alpha/files/2024/link.pdf")
    text = (
        (BROKEN / "attachment-absolute.yaml")
        .read_text(encoding="utf-8")
        .replace("/etc/passwd", "2024/link.pdf")
    )
    write(project, {CASE: text})
    assert lines(validate(project)) == [
        "8:12: error: 路径“2024/link.pdf”是指向 catalog/alpha/files/ 以外的符号链接：文件只能放在 catalog/alpha/files/ 下"
    ]


def test_missing_attachment(project):
    text = (
        (BROKEN / "attachment-absolute.yaml")
        .read_text(encoding="utf-8")
        .replace("/etc/passwd", "2024/nope.pdf")
    )
    write(project, {CASE: text})
    assert lines(validate(project)) == ["8:12: error: 文件不存在：catalog/alpha/files/2024/nope.pdf"]


def test_duplicate_index_number_across_agencies(project):
    text = (project / "catalog/alpha/entries/2024/00017.yaml").read_text(encoding="utf-8")
    write(project, {"catalog/beta/entries/2024/copy.yaml": text})
    result = validate(project)
    assert result.stdout.splitlines() == [
        "catalog/beta/entries/2024/copy.yaml:1:11: error: 索引号“11449950MB2C93010F/2024-00017”不符合测试市东湖区人民政府的索引号格式 "
        "{code}-{num:2}-{year}-{serial:7}（如 007482532-00-2024-0000001）",
        "catalog/beta/entries/2024/copy.yaml:1:11: error: 索引号“11449950MB2C93010F/2024-00017”重复："
        "catalog/alpha/entries/2024/00017.yaml:1 已经使用了它，索引号在全门户必须唯一",
    ]
    assert result.exit_code == 1


def test_related_to_withheld_entry_is_an_error(project):
    text = (
        (BROKEN / "related-nowhere.yaml")
        .read_text(encoding="utf-8")
        .replace("11449950MB2C93010F/2024-00061", "007482532-01-2024-0000002")
    )
    write(project, {CASE: text})
    assert lines(validate(project)) == [
        "8:16: error: 关联的条目“007482532-01-2024-0000002”是不予公开的：公开的条目不能关联不予公开的条目"
    ]


def test_all_problems_in_all_files_are_reported_at_once(project):
    for name in ("malformed.yaml", "missing-key.yaml", "index-year.yaml"):
        shutil.copy(BROKEN / name, project / "catalog/alpha/entries/2024" / name)
    result = validate(project)
    assert len(result.stdout.splitlines()) == 3
    assert result.stderr == "3 个错误，0 个警告\n"


BODY_FILE_ENTRY = (
    (BROKEN / "missing-key.yaml")
    .read_text(encoding="utf-8")
    .replace("date:", "summary: 部署全市防汛工作。\ndate:")
)


def test_body_file_inside_content(project):
    write(
        project,
        {CASE: BODY_FILE_ENTRY + "body_file: notices/fangxun.md\n", "content/notices/fangxun.md": "# 正文\n"},
    )
    assert lines(validate(project)) == []


def test_body_file_outside_content_or_missing(project):
    write(project, {CASE: BODY_FILE_ENTRY + "body_file: ../catalog/agencies.yaml\n"})
    assert lines(validate(project)) == [
        "7:12: error: 路径“../catalog/agencies.yaml”含有“..”，超出了 content/ 目录：文件只能放在 content/ 下"
    ]
    write(project, {CASE: BODY_FILE_ENTRY + "body_file: notices/nope.md\n"})
    assert lines(validate(project)) == ["7:12: error: 文件不存在：content/notices/nope.md"]


def test_body_and_body_file_together(project):
    write(
        project,
        {
            CASE: BODY_FILE_ENTRY + "body: 正文\nbody_file: notices/fangxun.md\n",
            "content/notices/fangxun.md": "# 正文\n",
        },
    )
    assert lines(validate(project)) == [
        "8:12: error: body 和 body_file 只能二选一：正文要么写在 body 里，要么放在文件中"
    ]
