"""The personal-data scanner on its own: kinds, forms, masks, no false alarms, properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.safety.privacy import WithheldIndex, id18_check_char, mask, scan

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


# -- generated text holding personal data -----------------------------------------------------------


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload`` + digit pass the Luhn check (as bank card numbers do)."""
    total = 0
    for i, char in enumerate(reversed(payload)):
        n = int(char)
        if i % 2 == 0:  # doubled once the check digit is appended
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str(-total % 10)


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


_REGIONS = st.sampled_from(["11", "31", "44", "65", "82"])
_BIRTH = st.dates(date(1900, 1, 1), date(2099, 12, 31))
# Resident ID numbers with their check character (an X written upper or lower case).
ID18S = st.builds(
    lambda region, area, birth, serial, lower: (
        (first := region + area + birth.strftime("%Y%m%d") + serial)
        + (id18_check_char(first).lower() if lower else id18_check_char(first))
    ),
    _REGIONS,
    _digits(4),
    _BIRTH,
    _digits(3),
    st.booleans(),
)
ID15S = st.builds(
    lambda region, area, birth, serial: region + area + birth.strftime("%y%m%d") + serial,
    _REGIONS,
    _digits(4),
    st.dates(date(1900, 1, 1), date(1999, 12, 31)),
    _digits(3),
)
MOBILES = st.builds(lambda second, rest: "1" + second + rest, st.sampled_from("3456789"), _digits(9))
# Bank card numbers, 16 to 19 digits, that pass the Luhn check.
CARDS = st.builds(
    lambda head, rest: head + rest + luhn_check_digit(head + rest),
    st.sampled_from(["62", "4", "5"]),
    st.integers(13, 17).flatmap(_digits),
)
FULLWIDTH_FORMS = {ord(c): ord(c) + 0xFEE0 for c in "0123456789Xx@.abcq"}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@st.composite
def written(draw, value: str) -> str:
    """``value`` as someone may have typed it: digit groups split by spaces, tabs or dashes (at most
    two), some characters full-width, now and then an invisible character inside."""
    cuts = draw(st.sets(st.integers(1, len(value) - 1), max_size=4))
    wide = draw(st.sets(st.integers(0, len(value) - 1), max_size=len(value)))
    out = []
    for i, char in enumerate(value):
        if i in cuts:
            out.append(draw(st.sampled_from([" ", "-", "\t", "  ", "--", " -"])))
        out.append(char.translate(FULLWIDTH_FORMS) if i in wide else char)
    if draw(st.integers(0, 3)) == 0:
        out.insert(draw(st.integers(1, len(out) - 1)), draw(st.sampled_from(INVISIBLE)))
    return "".join(out)


NUMBERS = st.one_of(
    ID18S.flatmap(written),
    ID15S.flatmap(written),
    MOBILES.flatmap(written),
    st.builds(
        lambda prefix, number: prefix + number,
        st.sampled_from(["+86 ", "+86-", "86"]),
        MOBILES.flatmap(written),
    ),
    CARDS.flatmap(written),
)
PERSONAL = st.one_of(
    NUMBERS,
    st.builds(
        lambda name, domain, wide: (name + "@" + domain).translate(FULLWIDTH_FORMS if wide else {}),
        st.text(alphabet="abcq._", min_size=1, max_size=8).filter(lambda name: name[0].isalpha()),
        st.sampled_from(["qq.com", "163.com", "gmail.com"]),
        st.booleans(),
    ),
    st.builds(
        lambda label, letter, digits: label + letter + digits,
        st.sampled_from(["护照", "护照号码：", "护照号 "]),
        st.sampled_from("EeGg"),
        _digits(8),
    ),
)


@st.composite
def text_holding(draw, values: st.SearchStrategy[str], noise: st.SearchStrategy[str]) -> str:
    """Text holding at least one of ``values`` among other values and ``noise``, each followed by
    nothing (so that neighbours run together), a space, a line break or a Chinese character."""
    pieces = draw(st.lists(st.one_of(noise, values), max_size=4))
    pieces.insert(draw(st.integers(0, len(pieces))), draw(values))
    return "".join(piece + draw(st.sampled_from(["", " ", "\n", "中", "，"])) for piece in pieces)


def test_the_generated_numbers_are_what_the_scanner_looks_for():
    from generator.safety.privacy import _luhn

    card = "622202123456789" + luhn_check_digit("622202123456789")
    assert _luhn(card) and [f.kind for f in scan(f"卡号{card}")] == ["bankcard"]
    assert luhn_check_digit("7992739871") == "3"  # the textbook example


@settings(max_examples=300, deadline=None)
@given(
    text_holding(
        PERSONAL, st.text(alphabet=st.sampled_from(list("0123456789０１２ Xx-+@.a中\u200b\n")), max_size=30)
    )
)
def test_scanning_never_crashes_is_idempotent_and_masks(text):
    first = scan(text)
    event(f"findings: {bool(first)}")
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
    from generator.safety.privacy import _automaton, _leftmost_longest

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
@given(
    text_holding(
        NUMBERS, st.text(alphabet=st.sampled_from(list("0123456789０ -\t\n\u200bXa中,@")), max_size=40)
    )
)
def test_the_quick_number_test_misses_nothing_the_scan_finds(text):
    """The bytes test that lets most text skip the number scan holds wherever a number is found
    (the reference is the number scan run here without the test, which ``scan`` applies first)."""
    from generator.safety import privacy

    normal = privacy.normalise(text)[0]
    found = [hit for run in privacy._RUN.finditer(normal) for hit in privacy._scan_run(run, normal)]
    event(f"numbers found: {bool(found)}")
    if found:
        assert privacy._may_hold_number(normal)


def test_the_quick_number_test():
    from generator.safety.privacy import _may_hold_number

    assert _may_hold_number("电话 138-0013 8000")
    assert _may_hold_number("6222\t0212--3456 7894")
    assert not _may_hold_number("2024-05-06 至 2024-06-30，测府发〔2024〕12号")
    assert not _may_hold_number("1380013800")  # ten digits
    assert not _may_hold_number("138,0013,8000")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_squeezing_removes_what_the_regex_whitespace_class_matches(text):
    import re

    from generator.safety.privacy import squeeze

    assert squeeze(text) == re.sub(r"\s+", "", text)


# Addresses run together with each other and with text around them, so that where one match ends
# and the next begins matters.
ADDRESSES = st.builds(
    lambda name, labels: name + "@" + ".".join(labels),
    st.text(alphabet="ab.-_%+Q1", min_size=1, max_size=5),
    st.lists(st.text(alphabet="ab-Q1", min_size=1, max_size=4), min_size=2, max_size=3),
)


@settings(max_examples=500, deadline=None)
@given(text_holding(ADDRESSES, st.text(alphabet=st.sampled_from(list("ab.@-_%+ 中Q1")), max_size=8)))
def test_addresses_found_from_each_at_sign_are_those_a_regex_search_finds(text):
    from generator.safety.privacy import _EMAIL, _emails

    expected = [m.span() for m in _EMAIL.finditer(text)]
    event(f"addresses: {bool(expected)}")
    assert [m.span() for m in _emails(text)] == expected


# Numbers of several kinds run together: groups of digits, country codes, separators, an X, and
# letters, dots and Chinese glued on.
NUMBER_TEXT = st.lists(
    st.one_of(
        st.text(alphabet="0123456789", min_size=1, max_size=12),
        st.sampled_from(
            ["+86", "86", " ", "  ", "\t", "-", "--", "X", "x", "a", ".", "中", "（", "　", "\n"]
        ),
    ),
    max_size=12,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(NUMBER_TEXT)
def test_runs_found_in_stretches_are_those_a_regex_search_finds(text):
    from generator.safety.privacy import _CODE_RUN, _RUN, _runs

    for pattern in (_RUN, _CODE_RUN):
        expected = [m.span() for m in pattern.finditer(text)]
        event(f"runs: {bool(expected)}")
        assert [m.span() for m in _runs(pattern, text)] == expected
