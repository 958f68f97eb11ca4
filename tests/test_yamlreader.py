"""The strict reader: strings stay strings, positions are kept, unsafe YAML is refused."""

from __future__ import annotations

import pytest

from generator.records.yamlreader import MAX_DEPTH, YamlError, parse_yaml


def parse(text: str):
    return parse_yaml(text.encode("utf-8"), "f.yaml")


def refused(text: str) -> str:
    with pytest.raises(YamlError) as info:
        parse(text)
    return info.value.diagnostic.format_text()


def test_scalars_stay_strings_until_the_schema_decides():
    doc = parse("a: 2024-04-12\nb: no\nc: on\nd: 0123\ne: 1.50\nf: true\n")
    assert doc.data == {"a": "2024-04-12", "b": "no", "c": "on", "d": "0123", "e": "1.50", "f": "true"}


def test_plain_empty_and_null_are_none_but_quoted_empty_is_text():
    doc = parse("a:\nb: ~\nc: null\nd: ''\ne: \"null\"\n")
    assert doc.data == {"a": None, "b": None, "c": None, "d": "", "e": "null"}


def test_positions_of_values_and_keys_are_one_based():
    doc = parse("title: 名称\nrelated:\n  - {index_no: X, relation: 解读}\n")
    assert doc.position(("title",)) == (1, 8)
    assert doc.key_position(("title",)) == (1, 1)
    assert doc.position(("related", 0, "relation")) == (3, 29)
    assert doc.position(("related", 5, "nope")) == (3, 3)  # the list: nearest existing ancestor


def test_utf8_bom_is_accepted():
    assert parse_yaml("\ufeffa: 1\n".encode(), "f.yaml").data == {"a": "1"}


def test_anchor_alias_tag_and_duplicates_are_refused():
    assert (
        refused("a: &x 1\n") == "f.yaml:1:4: error: 不允许使用 YAML 锚点（&x）：请删除锚点，把内容直接写出来"
    )
    assert (
        refused("a: !custom 1\n")
        == "f.yaml:1:4: error: 不允许使用 YAML 标签（!custom）：请删除标签，只写值本身"
    )
    assert refused("a: 1\nb:\n  c: 1\n  c: 2\n") == (
        "f.yaml:4:3: error: 键“c”重复：第 3 行已经有“c”，同一个键只能写一次"
    )


def test_nesting_depth_is_capped():
    assert refused("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n").startswith(
        "f.yaml:1:23: error: 嵌套层次过深（超过 20 层）"
    )
    deep = parse("a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    assert deep.data["a"] is not None


def test_mapping_as_key_is_refused():
    assert refused("? [a, b]\n: c\n") == "f.yaml:1:3: error: 键必须是简单的文字，不能是列表或映射"


def test_several_documents_are_refused():
    assert refused("a: 1\n---\nb: 2\n") == (
        "f.yaml:2:1: error: YAML 格式错误：一个文件只能有一条记录，不能用“---”分隔多个文档（but found another document）"
    )


def test_value_starting_with_at_sign_is_explained():
    assert refused("a: @home\n") == (
        "f.yaml:1:4: error: YAML 格式错误：值不能以“@”开头：请给整个值加上引号（found character that cannot start any token）"
    )
