"""The columns of a catalogue sheet: which header means which key of an entry file.

Each column has a primary header (the one ``gongkai export`` writes) and the variants old systems
use; a header may also be the entry's own key (``title``). Headers are compared without blanks, a
trailing colon or asterisk, or a note in brackets (``名称（必填）``). ``--map 列名=key`` assigns a
header to a key, or with ``-`` leaves the column out. An unknown header is an error: a column read
by no one is data lost without a word, and the fix (``--map``) is one option away.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.models.entry import Entry
from generator.tabular import values


@dataclass(frozen=True)
class Column:
    key: str  # the entry's key, or "agency" for the agency column of an export of all agencies
    header: str  # the primary header, written by export
    variants: tuple[str, ...]
    read: Callable[[object, str], str | list[str]]


AGENCY = "agency"
IGNORE = "-"

COLUMNS = (
    Column(AGENCY, "机构标识", ("机构",), values.read_text),
    Column("index_no", "索引号", ("索引编号",), values.read_text),
    Column("title", "名称", ("标题", "信息名称", "文件名称", "文件标题"), values.read_text),
    Column("summary", "内容概述", ("摘要", "内容摘要", "概述", "内容简介"), values.read_text),
    Column("date", "成文日期", ("生成日期", "发文日期", "印发日期"), values.read_date),
    Column("disclosure", "公开属性", ("公开方式", "公开类型"), values.read_disclosure),
    Column("published", "公开日期", ("发布日期", "发布时间", "公开时间"), values.read_date),
    Column("doc_no", "文号", ("发文字号", "发文文号"), values.read_text),
    Column("category", "主题分类", ("信息分类", "主题"), values.read_text),
    Column("genre", "体裁分类", ("体裁", "文种"), values.read_text),
    Column("keywords", "主题词", ("关键词", "关键字"), values.read_keywords),
    Column("validity", "有效性", ("效力状态", "时效性"), values.read_validity),
    Column("effective", "施行日期", ("实施日期", "生效日期"), values.read_date),
    Column("repealed", "废止日期", ("失效日期",), values.read_date),
    Column("expires", "有效期至", ("有效期", "有效期截止日期"), values.read_date),
    Column("reg_no", "登记号", ("统一登记号", "登记编号"), values.read_text),
    Column("co_issuers", "联合发文机关", ("联合发文单位",), values.read_keywords),
    Column("withheld_reason", "不公开理由", ("不予公开理由", "不公开依据"), values.read_text),
    Column("body", "正文", ("全文", "正文内容"), values.read_body),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED = ("title", "summary", "date", "disclosure")
_NOTE = re.compile(r"[（(][^）)]*[）)]$")


def normalise_header(text: str) -> str:
    text = re.sub(r"\s", "", text).rstrip("：:*")
    return _NOTE.sub("", text).rstrip("：:*") or text


_HEADERS = {normalise_header(h): c.key for c in COLUMNS for h in (c.header, *c.variants)}
_HEADERS.update({c.key: c.key for c in COLUMNS})
# Row numbers of the old sheet: no entry has them, so they are left out without a word.
_HEADERS.update({"序号": IGNORE, "行号": IGNORE})


def known_headers() -> str:
    return "、".join(c.header for c in COLUMNS)


def parse_map(items: tuple[str, ...]) -> dict[str, str]:
    """``--map 列名=key`` options as {normalised header: key or IGNORE}; a bad one is a ValueError
    whose message is for the clerk."""
    out = {}
    for item in items:
        header, sep, key = item.partition("=")
        key = key.strip()
        key = _HEADERS.get(normalise_header(key), key) if key != IGNORE else key
        if not sep or not header.strip() or (key != IGNORE and key not in BY_KEY):
            raise ValueError(
                f"--map 应写成 列名=键，键为 {'、'.join(BY_KEY)} 之一或它们的中文列名，"
                f"或者 - 表示不导入这一列，实为“{item}”"
            )
        out[normalise_header(header)] = key
    return out


def key_of(header: str, overrides: dict[str, str]) -> str | None:
    """The key a header means (IGNORE to leave the column out), or None when unknown."""
    name = normalise_header(header)
    return overrides.get(name) or _HEADERS.get(name)


def unknown_header_message(header: str) -> str:
    names = [name for name, key in _HEADERS.items() if key != IGNORE]
    close = difflib.get_close_matches(normalise_header(header), names, n=1, cutoff=0.6)
    hint = f"你是不是想写“{close[0]}”？" if close else ""
    return (
        f"不认识的列名“{header}”：{hint}可识别的列名有 {known_headers()}（及常见的别名）；"
        f"要导入这一列，请加 --map {header}=键；不需要导入，请加 --map {header}=-"
    )


def is_header_row(cells: list[object], overrides: dict[str, str]) -> bool:
    """Whether a row looks like the header row: at least two cells name known columns."""
    known = sum(1 for c in cells if isinstance(c, str) and c.strip() and key_of(c, overrides))
    return known >= 2


def values_of(entry: Entry) -> dict[str, str | list[str]]:
    """The entry's values that have a column, as an import of them would write them."""
    data = entry.model_dump(mode="json", include=set(BY_KEY), exclude_none=True)
    return {key: value for key, value in data.items() if value != []}
