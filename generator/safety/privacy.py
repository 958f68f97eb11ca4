"""The personal-data scanner: finds resident ID numbers, mobile numbers, bank card numbers, private
e-mail addresses and passport numbers in text, however they are written.

Text is normalised first (full-width digits and letters to ASCII, zero-width characters dropped),
keeping a map back to the original positions. Numbers may be split by spaces or dashes: a run of
digit groups is searched for every span of groups that forms a number of a known kind, so
``110101 19900307 7777`` is found, and an ID number followed by a mobile number is found twice.

This module is the one piece the pre-build gate and the output audit share. It renders nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import ahocorasick

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

# Maximal runs of digit groups (an X may end an ID number), separated by at most two spaces or
# dashes, not glued to letters or digits (codes such as 11449950MB2C93010F are not personal data).
# At least 11 digits: shorter runs (dates, amounts, page numbers) are never personal numbers.
_RUN = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[ \t\-]{0,2})?[0-9](?:[ \t\-]{0,2}[0-9]){10,}(?:[Xx])?(?![0-9A-Za-z])"
)
# In code (stylesheets, scripts, vector paths) digits separated by spaces are coordinates, not
# numbers someone typed: only unbroken runs count there.
_CODE_RUN = re.compile(r"(?<![0-9A-Za-z.])[0-9]{11,19}[Xx]?(?![0-9A-Za-z.])")
# Every character of a match of _RUN or _CODE_RUN is one of these, so each match lies in a stretch
# of them at least 11 long. Such stretches are found at C speed (the pattern starts with a set of
# characters), where _RUN, which starts with a look-behind, would be tried at every position.
_STRETCH = re.compile(r"[0-9+ \t\-Xx]{11,}")
_GROUP = re.compile(r"[0-9]+[Xx]?")
# Every ASCII digit as "0", for the quick test below; UTF-8 holds no other byte below 0x80.
_DIGITS_AS_ZERO = bytes(0x30 if 0x30 <= b <= 0x39 else b for b in range(256))
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_LOCAL_PART = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
_PASSPORT = re.compile(r"护照(?:号码|号)?[ \t\n\r]*[：:]?[ \t\n\r]*([EeGgDdSsPp][0-9]{8})(?![0-9])")

# Mail providers for individuals; an agency's own domain is not personal data.
PERSONAL_MAIL_DOMAINS = frozenset(
    [
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "139.com",
        "189.cn",
        "wo.cn",
        "aliyun.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "msn.com",
    ]
)
# First two digits of a resident ID number: the province-level region.
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

KINDS = {
    "id18": "居民身份证号码",
    "id15": "居民身份证号码（15 位旧号码）",
    "mobile": "手机号码",
    "bankcard": "银行卡号",
    "email": "个人电子邮箱",
    "passport": "护照号码",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int  # in the original text
    end: int
    value: str  # canonical: digits (and X), or the lower-case address

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def masked(self) -> str:
        return mask(self.value)

    @property
    def digest(self) -> str:
        return value_digest(self.value)


def value_digest(value: str) -> str:
    """The hash an allow-list entry names: SHA-256 of the canonical value."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def mask(value: str) -> str:
    """Enough to recognise, never the whole value: ``110**************7`` / ``z***@qq.com``."""
    if "@" in value:
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    keep_head = 3 if len(value) > 8 else 1
    return value[:keep_head] + "*" * (len(value) - keep_head - 1) + value[-1:]


# Full-width digits, letters and @: only text holding one needs folding (full-width punctuation,
# everywhere in Chinese text, changes nothing the scanner looks for).
_FULLWIDTH_ALNUM_CLASS = "\uff10-\uff19\uff20-\uff3a\uff41-\uff5a"
_FULLWIDTH_ALNUM = re.compile(f"[{_FULLWIDTH_ALNUM_CLASS}]")
_INVISIBLE_RE = re.compile(f"[{''.join(sorted(_INVISIBLE))}]")
_FOLDED_OR_INVISIBLE = re.compile(f"[{_FULLWIDTH_ALNUM_CLASS}{''.join(sorted(_INVISIBLE))}]")


def normalise(text: str) -> tuple[str, list[int] | None]:
    """Text with full-width forms folded and invisible characters removed, and for each of its
    characters the index of the character it came from (None when positions did not change).

    Folding is one-to-one (``str.translate``), so only removing invisible characters, which is
    rare, needs a map.
    """
    if not _FOLDED_OR_INVISIBLE.search(text):  # most text: one pass, nothing to change
        return text, None
    folded = text.translate(_FULLWIDTH) if _FULLWIDTH_ALNUM.search(text) else text
    if not _INVISIBLE_RE.search(folded):
        return folded, None
    where = [i for i, char in enumerate(folded) if char not in _INVISIBLE]
    return "".join(folded[i] for i in where), where


def id18_check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _is_id18(digits: str) -> bool:
    # ID-shaped: a province, a real birth date. Flagged whether or not the check character fits.
    if len(digits) != 18 or not digits[:17].isdigit() or digits[:2] not in _PROVINCES:
        return False
    year, month, day = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    return 1900 <= year <= 2099 and _real_date(year, month, day)


def _is_id15(digits: str) -> bool:
    if len(digits) != 15 or not digits.isdigit() or digits[:2] not in _PROVINCES:
        return False
    return _real_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


def _is_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit()


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _classify(digits: str) -> str | None:
    if _is_id18(digits):
        return "id18"
    if _is_id15(digits):
        return "id15"
    if _is_mobile(digits):
        return "mobile"
    if 16 <= len(digits) <= 19 and digits.isdigit() and _luhn(digits):
        return "bankcard"
    return None


def _scan_run(run: re.Match, text: str) -> list[tuple[str, int, int, str]]:
    """Spans of digit groups inside one run that form a number of a known kind, longest first."""
    body_start = run.start()
    prefix = re.match(r"\+?86[ \t\-]{0,2}", run.group())
    groups = [
        (m.start() + body_start, m.end() + body_start, m.group().upper())
        for m in _GROUP.finditer(run.group())
    ]
    # "+86" before a mobile number is the country code, not part of the number.
    country = groups.pop(0) if prefix and len(groups) > 1 and groups[0][2] == "86" else None
    found = []
    taken: set[int] = set()
    spans = sorted(
        ((i, j) for i in range(len(groups)) for j in range(i, len(groups))),
        key=lambda span: (-(span[1] - span[0]), span[0]),
    )
    for i, j in spans:
        if any(k in taken for k in range(i, j + 1)):
            continue
        digits = "".join(g[2] for g in groups[i : j + 1])
        if not 11 <= len(digits) <= 19:
            continue
        kind = _classify(digits)
        if kind is None:
            continue
        start = country[0] if (kind == "mobile" and country and i == 0) else groups[i][0]
        found.append((kind, start, groups[j][1], digits))
        taken.update(range(i, j + 1))
    return found


def scan(text: str, *, code: bool = False) -> list[Finding]:
    """Every piece of personal data in ``text``, in order, with positions in the original text.

    With ``code``, numbers must be unbroken runs of digits (see ``_CODE_RUN``).
    """
    if not text:
        return []
    normal, where = normalise(text)
    raw: list[tuple[str, int, int, str]] = []
    if _may_hold_number(normal):
        for run in _runs(_CODE_RUN if code else _RUN, normal):
            raw.extend(_scan_run(run, normal))
    if "@" in normal:
        for m in _emails(normal):
            if m.group(1).lower() in PERSONAL_MAIL_DOMAINS:
                raw.append(("email", m.start(), m.end(), m.group().lower()))
    if "护照" in normal:
        for m in _PASSPORT.finditer(normal):
            raw.append(("passport", m.start(1), m.end(1), m.group(1).upper()))
    if where is None:
        findings = [Finding(kind, start, end, value) for kind, start, end, value in raw]
    else:
        findings = [Finding(kind, where[start], where[end - 1] + 1, value) for kind, start, end, value in raw]
    return sorted(set(findings), key=lambda f: (f.start, f.end, f.kind))


def _runs(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for ``_RUN`` or ``_CODE_RUN``, looked for only inside the
    stretches where a match can be (see ``_STRETCH``). The character after a stretch is left in
    what the pattern sees, for its look-ahead; it cannot be part of a match."""
    for stretch in _STRETCH.finditer(text):
        yield from pattern.finditer(text, stretch.start(), stretch.end() + 1)


def _emails(text: str) -> list[re.Match]:
    """``_EMAIL.finditer(text)``, found from each "@" instead of tried at every position: a match
    holds one "@" and starts where the run of address characters before it starts."""
    found = []
    floor = 0  # the end of the last match: finditer looks on from there
    at = text.find("@")
    while at != -1:
        start = at
        while start > floor and text[start - 1] in _LOCAL_PART:
            start -= 1
        m = _EMAIL.match(text, start)
        if m:
            found.append(m)
            floor = m.end()
        at = text.find("@", max(at + 1, floor))
    return found


def _may_hold_number(text: str) -> bool:
    """Whether ``text`` may hold eleven digits with nothing but spaces, tabs and dashes between
    them, as every number the scanner looks for has. Most text holds none and needs nothing more.

    A test at C speed on bytes: with those separators deleted and every digit made a "0", eleven
    "0"s in a row. A page full of dates and codes takes a tenth of the time a regex search for the
    same takes, which counts for hundreds of thousands of pages."""
    data = text.encode("utf-8", "surrogatepass").translate(_DIGITS_AS_ZERO, b" \t-")
    return b"00000000000" in data


# -- withheld content ----------------------------------------------------------------------------


def squeeze(text: str) -> str:
    """``text`` without whitespace (the characters ``str.isspace`` and the regex ``\\s`` mean)."""
    return "".join(text.split())


_SENTENCE_END = re.compile(r"[。；！？!?;\n]")
MIN_TITLE = 6  # shorter withheld titles ("通知") would match everywhere
MIN_SENTENCE = 12


def _automaton(words: list[str]) -> ahocorasick.Automaton | None:
    """An Aho-Corasick automaton of many literal strings (pyahocorasick, in C): built in
    milliseconds for tens of thousands of strings, where one regex of them took seconds to compile
    on every build, and matching is linear in the text."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _leftmost_longest(automaton: ahocorasick.Automaton, text: str) -> list[tuple[int, int]]:
    """(start, end) of the matches a regex alternation of the words would find, scanning left to
    right: the longest word at the leftmost position, then on from its end. The automaton reports
    every occurrence; the choice is made here (matches are rare), not by the library's
    ``iter_long``, which has missed matches in released versions."""
    longest: dict[int, int] = {}
    for last, length in automaton.iter(text):
        start = last + 1 - length
        if length > longest.get(start, 0):
            longest[start] = length
    chosen = []
    position = 0
    for start in sorted(longest):
        if start >= position:
            position = start + longest[start]
            chosen.append((start, position))
    return chosen


def sentences(text: str) -> list[str]:
    """The clauses of ``text`` long enough to recognise, whitespace removed."""
    return [s for s in (squeeze(part) for part in _SENTENCE_END.split(text)) if len(s) >= MIN_SENTENCE]


@dataclass(frozen=True)
class WithheldHit:
    kind: str  # "title", "index_no" or "body"
    index_no: str  # the record whose content leaked
    start: int
    end: int


class WithheldIndex:
    """What must never appear in published text: 不予公开 titles and index numbers, and the text of
    依申请公开 bodies, sentence by sentence. Whitespace is ignored on both sides."""

    def __init__(self, withheld: list[tuple[str, str]], on_request: list[tuple[str, ...]]) -> None:
        # withheld: (index_no, title); on_request: (index_no, body[, what the entry publishes])
        owner: dict[str, tuple[str, str]] = {}
        for index_no, title in withheld:
            compact = squeeze(title)
            if len(compact) >= MIN_TITLE:
                owner.setdefault(compact, ("title", index_no))
            owner.setdefault(squeeze(index_no), ("index_no", index_no))
        for index_no, body, *published in on_request:
            public = squeeze(published[0]) if published else ""
            for sentence in sentences(body):
                if sentence not in public:
                    owner.setdefault(sentence, ("body", index_no))
        self._owner = owner
        self._automaton = _automaton(sorted(owner))
        self.key = hashlib.sha256(repr(sorted(owner.items())).encode("utf-8")).hexdigest()

    def __bool__(self) -> bool:
        return bool(self._owner)

    def scan(self, text: str) -> list[WithheldHit]:
        if self._automaton is None or not text:
            return []
        compact = squeeze(text)
        matches = [m for m in _leftmost_longest(self._automaton, compact) if _standalone(*m, compact)]
        if not matches:
            return []
        where = _compact(text)[1]  # the position map is built only when something matched
        return [
            WithheldHit(*self._owner[compact[start:end]], where[start], where[end - 1] + 1)
            for start, end in matches
        ]


def _standalone(start: int, end: int, text: str) -> bool:
    # An index number inside a longer code is not that index number.
    if not text[start : start + 1].isascii():
        return True
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 1]
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def _compact(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and where each remaining character came from."""
    where = [i for i, char in enumerate(text) if not char.isspace()]
    return "".join(text[i] for i in where), where
