"""索引号 patterns: compile an agency's ``index_pattern``, match index numbers, make the next one.

A pattern is literal text with placeholders: ``{code}`` (the agency's code), ``{year}`` (four
digits, must equal the year of the entry's date), ``{serial}`` / ``{serial:N}`` (the running number,
any width / exactly N digits) and ``{num:N}`` (any other fixed-width number, such as a category
code). The national default is ``{code}/{year}-{serial:5}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{([a-z]+)(?::(\d+))?\}")
_KNOWN = {"code", "year", "serial", "num"}


class PatternError(ValueError):
    """The pattern itself is wrong; the message is for the clerk."""


@dataclass(frozen=True)
class IndexPattern:
    template: str
    code: str
    regex: re.Pattern

    def match(self, index_no: str) -> re.Match | None:
        return self.regex.fullmatch(index_no)

    def format(self, year: int, serial: int, nums: tuple[str, ...] = ()) -> str:
        """Render an index number; ``nums`` fills the ``{num:N}`` fields in order (zeros if absent)."""
        nums_left = list(nums)

        def fill(m: re.Match) -> str:
            name, width = m.group(1), int(m.group(2) or 0)
            if name == "code":
                return self.code
            if name == "year":
                return f"{year:04d}"
            if name == "serial":
                return f"{serial:0{width}d}" if width else str(serial)
            return nums_left.pop(0) if nums_left else "0" * width

        return _PLACEHOLDER.sub(fill, self.template)


def compile_pattern(template: str, code: str) -> IndexPattern:
    parts: list[str] = []
    pos = 0
    names: list[str] = []
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        pos = m.end()
        name, width = m.group(1), m.group(2)
        if name not in _KNOWN:
            raise PatternError(f"未知的占位符 {{{name}}}：只能用 {{code}} {{year}} {{serial}} {{num:N}}")
        if name in names and name != "num":
            raise PatternError(f"占位符 {{{name}}} 只能出现一次")
        names.append(name)
        if name == "code":
            parts.append(re.escape(code))
        elif name == "year":
            parts.append(r"(?P<year>\d{4})")
        elif name == "serial":
            parts.append(rf"(?P<serial>\d{{{width}}})" if width else r"(?P<serial>\d+)")
        else:
            if not width:
                raise PatternError("占位符 {num} 必须写明位数，如 {num:2}")
            parts.append(rf"(?P<num{names.count('num')}>\d{{{width}}})")
    parts.append(re.escape(template[pos:]))
    if "serial" not in names:
        raise PatternError("索引号格式必须包含流水号 {serial}")
    literal = _PLACEHOLDER.sub("", template)
    if "{" in literal or "}" in literal:
        raise PatternError("花括号只能用于占位符，如 {code}、{year}、{serial:5}")
    return IndexPattern(template, code, re.compile("".join(parts)))


def next_index_no(pattern: IndexPattern, year: int, existing: list[str]) -> str:
    """The next free index number in ``year``, after the highest serial already used."""
    return next(free_index_numbers(pattern, year, existing))


def free_index_numbers(pattern: IndexPattern, year: int, existing: list[str]) -> Iterator[str]:
    """The free index numbers in ``year`` after the highest serial already used, in order: what
    :func:`next_index_no` would give after each one is taken, without reading ``existing`` again."""
    serial = 0
    nums: tuple[str, ...] = ()
    for index_no in existing:
        m = pattern.match(index_no)
        if m is None or m.groupdict().get("year", f"{year:04d}") != f"{year:04d}":
            continue
        if int(m["serial"]) >= serial:
            serial = int(m["serial"])
            nums = tuple(v for k, v in m.groupdict().items() if k.startswith("num"))
    taken = set(existing)
    while True:
        serial += 1
        candidate = pattern.format(year, serial, nums)
        if candidate not in taken:
            yield candidate
