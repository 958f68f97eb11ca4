"""Validation renders what the build renders: Markdown nested beyond the renderer's limits is a
located error at validate time, and the renderer never dies with a traceback."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.text import MAX_DEPTH, markdown_depth
from generator.errors import GongkaiError
from generator.portal import markdown
from tests.conftest import BASE, run, write
from tests.test_build import small_project

ENTRY = "catalog/alpha/entries/2024/deep.yaml"
HEAD = """index_no: 11449950MB2C93010F/2024-00020
title: 测试市关于嵌套正文的通知
summary: 测试。
date: 2024-04-12
disclosure: 主动公开
published: 2024-04-19
"""
LOCATED = re.compile(r"^\S+:\d+:\d+: (error|warning): .+$")


def nested_list(levels: int) -> str:
    """A list nested ``levels`` deep, items apart (the shape that exhausts Python-Markdown's stack)."""
    return "\n\n".join("    " * i + "- 第" for i in range(levels))


def as_block(text: str) -> str:
    return "body: |\n" + "\n".join("  " + line if line else "" for line in text.split("\n")) + "\n"


def first_body_file_line(project, name: str, content: str | bytes) -> str:
    """The first line ``validate`` prints for an entry whose body_file is ``content/<name>``."""
    write(project, {ENTRY: HEAD + f"body_file: {name}\n", f"content/{name}": content})
    return run("validate", str(project)).stdout.splitlines()[0]


def test_a_body_nested_too_deep_is_a_located_error(project):
    write(project, {ENTRY: HEAD + as_block(nested_list(450))})
    result = run("validate", str(project))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"{ENTRY}:7:7: error: 正文从第 41 行起列表或引用的嵌套超过了 20 层（最深 450 层），网页无法这样显示："
        "请减少行首的缩进（每 4 个空格算一层）或“>”“-”“1.”的层数"
    )


def test_twenty_levels_pass(project):
    write(project, {ENTRY: HEAD + as_block(nested_list(MAX_DEPTH))})
    assert run("validate", str(project)).exit_code == 0


def test_a_body_file_nested_too_deep_is_located_at_body_file(project):
    assert first_body_file_line(project, "deep.md", "> " * 30 + "引用\n") == (
        f"{ENTRY}:7:12: error: 正文文件 content/deep.md 从第 1 行起列表或引用的嵌套超过了 20 层（最深 30 层），"
        "网页无法这样显示：请减少行首的缩进（每 4 个空格算一层）或“>”“-”“1.”的层数"
    )


def test_a_body_file_over_the_size_limit_is_an_error(project):
    assert first_body_file_line(project, "big.md", "字" * 400_000) == (
        f"{ENTRY}:7:12: error: 正文文件 content/big.md 有 1,200,000 字节，超过了 1,048,576 字节（1 MiB）的上限："
        "请把正文拆分，或把全文作为附件"
    )


def test_a_body_file_not_in_utf8_is_an_error(project):
    assert first_body_file_line(project, "gbk.md", "正文".encode("gbk")) == (
        f"{ENTRY}:7:12: error: 正文文件 content/gbk.md 不是 UTF-8 编码（第 1 个字节无法解码）：请用 UTF-8 编码另存这个文件"
    )


def test_a_guide_section_nested_too_deep_is_an_error(project):
    guide = project / "catalog/alpha/guide.yaml"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(
        re.sub(r"^remedies: .*$", 'remedies: "' + "> " * 25 + '复议"', text, flags=re.M), "utf-8"
    )
    result = run("validate", str(project))
    assert result.exit_code == 1
    assert result.stdout == (
        "catalog/alpha/guide.yaml:18:11: error: 监督和救济从第 1 行起列表或引用的嵌套超过了 20 层（最深 25 层），"
        "网页无法这样显示：请减少行首的缩进（每 4 个空格算一层）或“>”“-”“1.”的层数\n"
    )


def test_a_paragraph_with_too_many_links_is_an_error(project):
    links = "".join(f"[第{i}号](https://x.example/{i})" for i in range(201))
    write(project, {ENTRY: HEAD + as_block("前言\n\n" + links)})
    result = run("validate", str(project))
    assert result.stdout.splitlines()[0] == (
        f"{ENTRY}:7:7: error: 正文第 2 行起的段落有 201 个链接，超过了一段 200 个的上限，生成网页会非常慢："
        "请把链接分成多段，或写成列表（每项一行）"
    )


def test_a_list_of_many_links_passes(project):
    links = "\n".join(f"- [第{i}号](https://x.example/{i})" for i in range(300))
    write(project, {ENTRY: HEAD + as_block(links)})
    assert run("validate", str(project)).exit_code == 0


def test_too_many_unclosed_angle_brackets_is_an_error(project):
    assert first_body_file_line(project, "angles.md", "<a" * 2001) == (
        f"{ENTRY}:7:12: error: 正文文件 content/angles.md 有 2,001 个“<”，超过了 2,000 个的上限，生成网页会非常慢："
        "请删去多余的“<”，或把这部分内容作为附件"
    )


def test_the_renderer_stops_with_a_message_not_a_traceback():
    with pytest.raises(GongkaiError) as caught:
        markdown.render_markdown(nested_list(700), "catalog/alpha/entries/2024/deep.yaml")
    assert str(caught.value) == (
        "catalog/alpha/entries/2024/deep.yaml：Markdown 嵌套过深，无法生成网页：请减少列表或引用的层数"
        "（运行 gongkai validate 可找到所在的行）"
    )
    assert markdown.render_markdown("- 正常") == "<ul>\n<li>正常</li>\n</ul>"  # the converter recovers


def test_depth_counts_every_kind_of_container():
    assert markdown_depth("- a\n    - b\n        - c") == (3, 0)
    assert markdown_depth("> > > x") == (3, 0)
    assert markdown_depth("- - 1. > x") == (4, 0)
    assert markdown_depth("---\n**粗体**\n-1 和 +2") == (0, 0)
    assert markdown_depth("\t" * 21 + "x") == (21, 1)


# -- any Markdown: a located error or a page -----------------------------------------------------

LINE = st.text(alphabet=st.sampled_from(list("公开文件ab1 *_`#|-:>[]()!<>/=+@\\")), max_size=40)
HTML = st.sampled_from(["<div>", "</div>", "<script>alert(1)</script>", "<b>粗</b>", "<table><tr><td>格"])


@st.composite
def markdown_bodies(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["list", "quote", "table", "html", "long", "text", "mixed"]))
        depth = draw(st.one_of(st.integers(0, 25), st.integers(26, 600)))
        if kind == "list":
            blocks.append(nested_list(depth))
        elif kind == "quote":
            blocks.append("> " * depth + draw(LINE))
        elif kind == "table":
            cols = draw(st.integers(1, 30))
            rows = draw(st.integers(0, 40))
            blocks.append("\n".join(["|" + "a|" * cols, "|" + "-|" * cols] + ["|" + "格|" * cols] * rows))
        elif kind == "html":
            blocks.append("".join(draw(st.lists(HTML, max_size=depth))))
        elif kind == "long":
            blocks.append("文字" * draw(st.integers(1, 60_000)))
        elif kind == "mixed":
            blocks.append(
                "".join(draw(st.sampled_from(["- ", "> ", "1. ", "    "])) for _ in range(depth)) + "x"
            )
        else:
            blocks.append("\n".join(draw(st.lists(LINE, max_size=8))))
    return "\n\n".join(blocks)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(body=markdown_bodies())
def test_any_markdown_gives_a_located_error_or_a_page(tmp_path_factory, body):
    root = tmp_path_factory.mktemp("md") / "project"
    shutil.copytree(BASE, root)
    small_project(root)
    write(root, {"content/deep.md": body, ENTRY: HEAD + "body_file: deep.md\n"})
    validated = run("validate", str(root))
    assert validated.exit_code in (0, 1)
    lines = [line for line in validated.stdout.splitlines() if line and not line.endswith("个警告")]
    assert all(LOCATED.match(line) for line in lines), validated.stdout
    built = run("build", str(root))
    assert built.exit_code == validated.exit_code, built.stdout + built.stderr
    assert "Traceback" not in built.stdout + built.stderr
    page = root / "site/entries/11449950MB2C93010F/2024-00020/index.html"
    assert page.is_file() == (validated.exit_code == 0)
    if page.is_file():  # record HTML is cleaned: nothing from the body runs
        html = page.read_text(encoding="utf-8")
        assert "alert(1)" not in html and "<script>alert" not in html
