"""The personal-data scanner on its own: kinds, forms, masks, no false alarms, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.privacy import WithheldIndex, id18_check_char, mask, scan

ID = "11010119900307123" + id18_check_char("11010119900307123")  # a well-formed, fictional number
FULLWIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"身份证号{ID}。", [("id18", ID)]),
        (f"身份证号：{ID[:6]} {ID[6:14]} {ID[14:]}", [("id18", f"{ID[:6]} {ID[6:14]} {ID[14:]}")]),
        (f"证件号 {ID[:6]}-{ID[6:14]}-{ID[14:]}", [("id18", f"{ID[:6]}-{ID[6:14]}-{ID[14:]}")]),
        (f"身份证{ID.translate(FULLWIDTH)}", [("id18", ID.translate(FULLWIDTH))]),
        (f"号码{ID[:9]}\u200b{ID[9:]}", [("id18", f"{ID[:9]}\u200b{ID[9:]}")]),
        ("身份证号110101199003071234（校验位不对也算）", [("id18", "110101199003071234")]),
        ("旧证号110101900307123", [("id15", "110101900307123")]),
        ("手机13800138000", [("mobile", "13800138000")]),
        ("手机 138 0013 8000", [("mobile", "138 0013 8000")]),
        ("电话+86-139-1234-5678", [("mobile", "86-139-1234-5678")]),
        ("手机１３９１２３４５６７８", [("mobile", "１３９１２３４５６７８")]),
        ("卡号 6222 0212 3456 7894", [("bankcard", "6222 0212 3456 7894")]),
        (f"{ID} 13800138000", [("id18", ID), ("mobile", "13800138000")]),
        ("邮箱 zhang.san@qq.com", [("email", "zhang.san@qq.com")]),
        ("邮箱 ｌｉｓｉ＠１６３．ｃｏｍ", [("email", "ｌｉｓｉ＠１６３．ｃｏｍ")]),
        ("护照号码：E12345678", [("passport", "E12345678")]),
    ],
)
def test_finds_each_kind_in_each_form(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "索引号 11449950MB2C93010F/2024-00017，文号 示府办〔2024〕12号",
        "索引号 007482532-03-2014-1194357",
        "成文日期 2024-04-12，公开日期 2024-04-19，施行日期 2024-05-01",
        "总投资 1234567890.50 万元，合计 98765432 元",
        "联系电话 0999-81230001，传真 0999-81230002，邮编 599001",
        "统一社会信用代码 11449950MB2C93010F，政务邮箱 zwgk@shili.example",
        "编号 12345678901（不是手机号：2 开头的 11 位数）",
        "坐标 1 1 0 0 1 1 1 1 0 0 1 1",
    ],
)
def test_no_false_alarm_on_what_portals_publish(text):
    assert kinds(text) == []


def test_unbroken_runs_only_in_code():
    assert scan("M12 3a1 1 0 0 1 1 1 1 1 0 0 1-1 1", code=True) == []
    assert [f.kind for f in scan(f'var x="{ID}"', code=True)] == ["id18"]


def test_masks():
    assert mask(ID) == "110**************" + ID[-1]
    assert mask("13800138000") == "138*******0"
    assert mask("zhang.san@qq.com") == "z***@qq.com"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789０１２ Xx-+@.a中\u200b\n")), max_size=80))
def test_scanning_never_crashes_is_idempotent_and_masks(text):
    first = scan(text)
    assert scan(text) == first
    for finding in first:
        assert finding.masked != finding.value
        assert finding.value not in finding.masked
        assert 0 <= finding.start < finding.end <= len(text)


def test_withheld_content_is_found_across_line_breaks():
    index = WithheldIndex(
        [("A/2024-00001", "关于机构编制调整的内部请示")],
        [("B/2024-00002", "项目用地预审意见涉及第三方商业信息，依法不予公开全文。")],
    )
    text = "参见关于机构编制\n调整的内部请示，以及A/2024-00001；项目用地预审意见涉及第三方\n商业信息，依法不予公开全文"
    assert [(h.kind, h.index_no) for h in index.scan(text)] == [
        ("title", "A/2024-00001"),
        ("index_no", "A/2024-00001"),
        ("body", "B/2024-00002"),
    ]
    assert index.scan("编号A/2024-000012不是那条") == []


def _regex_of(words: list[str]):
    """The reference: one regex alternation of the words, as a trie (longest word first at each
    position), which is how the index matched before it used an Aho-Corasick automaton."""
    import re

    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        branches = [re.escape(c) + build(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return re.compile(build(trie))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(alphabet="ab公开甲", min_size=1, max_size=6), min_size=1, max_size=12, unique=True),
    st.text(alphabet="ab公开甲 c", max_size=60),
)
def test_the_automaton_finds_the_matches_a_regex_of_the_words_finds(words, text):
    from generator.privacy import _automaton, _leftmost_longest

    expected = [m.span() for m in _regex_of(words).finditer(text)]
    assert _leftmost_longest(_automaton(words), text) == expected


def test_overlapping_withheld_texts_are_each_found_where_the_longest_begins():
    index = WithheldIndex(
        [("A/2024-00001", "国家知识产权局的内部请示"), ("A/2024-00002", "知识产权局的内部请示稿")], []
    )
    hits = index.scan("见国家知识产权局的内部请示稿。另见知识产权局的内部请示稿")
    assert [(h.kind, h.index_no, h.start) for h in hits] == [
        ("title", "A/2024-00001", 1),
        ("title", "A/2024-00002", 17),
    ]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789０ -\t\n\u200bXa中,@")), max_size=120))
def test_the_quick_number_test_misses_nothing_the_scan_finds(text):
    """The bytes test that lets most text skip the number scan holds wherever a number is found
    (the scan alone, without the test, is the reference)."""
    from generator import privacy

    found = [f for f in scan(text) if f.kind in ("id18", "id15", "mobile", "bankcard")]
    if found:
        assert privacy._may_hold_number(privacy.normalise(text)[0])


def test_the_quick_number_test():
    from generator.privacy import _may_hold_number

    assert _may_hold_number("电话 138-0013 8000")
    assert _may_hold_number("6222\t0212--3456 7894")
    assert not _may_hold_number("2024-05-06 至 2024-06-30，测府发〔2024〕12号")
    assert not _may_hold_number("1380013800")  # ten digits
    assert not _may_hold_number("138,0013,8000")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_squeezing_removes_what_the_regex_whitespace_class_matches(text):
    import re

    from generator.privacy import squeeze

    assert squeeze(text) == re.sub(r"\s+", "", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab.@-_%+ 中Q1")), max_size=60))
def test_addresses_found_from_each_at_sign_are_those_a_regex_search_finds(text):
    from generator.privacy import _EMAIL, _emails

    assert [m.span() for m in _emails(text)] == [m.span() for m in _EMAIL.finditer(text)]
