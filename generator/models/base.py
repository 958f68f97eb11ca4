"""Shared model base and value types.

Every YAML scalar arrives as a string (see yamlreader.py); these types decide what a string means
and say what was wrong in words a clerk understands. Messages raised here are Chinese and final;
pydantic's own messages are translated in ``generator.records.locate``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.records.yamlreader import UNSAFE_CHARS

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


class Model(BaseModel):
    """Base of every source model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


def fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("gongkai", message)


def parse_iso_date(value: object) -> object:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise fail("应为日期，格式 YYYY-MM-DD（如 2024-04-12）")
    text = value.strip()
    if not ISO_DATE.fullmatch(text):
        raise fail(f"日期格式应为 YYYY-MM-DD（如 2024-04-12），实为“{text}”")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(f"“{text}”不是真实存在的日期：请核对年、月、日") from None


def _check_text(value: str) -> str:
    if not value.strip():
        raise fail("不能为空")
    bad = UNSAFE_CHARS.search(value)
    if bad:
        raise fail(
            f"含有不可见的控制字符 U+{ord(bad.group()):04X}（第 {bad.start() + 1} 个字符）："
            "请删除后重新输入，不要从其他文档直接粘贴"
        )
    return value


def _check_line(value: str) -> str:
    if "\n" in value.strip():
        raise fail("只能写一行，不能换行")
    return _check_text(value).strip()


def _check_slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise fail(f"只能由小写英文字母、数字和“-”组成（如 fgw、dong-hu），实为“{value}”")
    return value


_DATE_SCHEMA = WithJsonSchema({"type": "string", "format": "date"})

IsoDate = Annotated[date, BeforeValidator(parse_iso_date), _DATE_SCHEMA]
"""A real calendar date written YYYY-MM-DD."""

Text = Annotated[str, AfterValidator(_check_text)]
"""Non-empty text, any number of lines, without control or bidi characters."""

Line = Annotated[str, AfterValidator(_check_line)]
"""Non-empty single-line text without control or bidi characters, surrounding spaces removed."""

Slug = Annotated[str, AfterValidator(_check_slug)]
"""An identifier: lowercase ASCII letters, digits and ``-``."""
