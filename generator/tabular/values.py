"""Cell values as clerks type them, turned into the values of an entry file.

Each ``read_*`` function takes a cell's value (a string from CSV; a string, number or datetime from a
workbook) and the column's header, and returns the entry's value, or raises :class:`CellError` with
a message in Chinese naming the column, what was expected and what was received.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from openpyxl.utils.datetime import from_excel

from generator.models.entry import Disclosure

ACCEPTED_DATES = "2024-04-12、2024/4/12、2024.4.12、2024年4月12日、20240412"
# Year first, separated by -, /, . or 年月日; an optional time after it (old systems export one).
_DATE = re.compile(
    r"(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
    re.ASCII,
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_SEPARATORS = {"-": "-", "/": "/", ".": ".", "年": "月"}
# Dates a reader could take either way: the year not first, or two digits only.
_UNORDERED = re.compile(
    r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}|\d{2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}", re.ASCII
)
# Excel day numbers from 1927 to 2119: a number of five digits in a date column is one.
_SERIALS = range(10_000, 80_000)
_KEYWORD_SPLIT = re.compile(r"[；;，,、\s]+")

DISCLOSURE_VARIANTS = {
    "主动公开": Disclosure.PROACTIVE,
    "主动": Disclosure.PROACTIVE,
    "依申请公开": Disclosure.ON_REQUEST,
    "依申请": Disclosure.ON_REQUEST,
    "依申请提供": Disclosure.ON_REQUEST,
    "申请公开": Disclosure.ON_REQUEST,
    "不予公开": Disclosure.WITHHELD,
    "不公开": Disclosure.WITHHELD,
    "免予公开": Disclosure.WITHHELD,
}
VALIDITY_VARIANTS = {
    "有效": "有效",
    "现行有效": "有效",
    "继续有效": "有效",
    "已修改": "已修改",
    "已修订": "已修改",
    "修改": "已修改",
    "已废止": "已废止",
    "废止": "已废止",
    "失效": "失效",
    "已失效": "失效",
}


class CellError(ValueError):
    """A cell that cannot be read; the message is for the clerk and names the column."""


def cell_text(value: object) -> str:
    """Any cell as text: numbers without a trailing ``.0``, dates as YYYY-MM-DD, line breaks as
    ``\\n``, surrounding blanks removed. An empty cell is ``""``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def read_date(value: object, header: str) -> str:
    """A date in any of the forms clerks type, or an Excel date, as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(value, header)
    text = cell_text(value)
    typed = unicodedata.normalize("NFKC", text)  # full-width digits and separators
    if len(typed) == 5 and typed.isascii() and typed.isdigit():
        return _from_number(int(typed), header)
    parts = _date_parts(typed)
    if parts is None:
        if _UNORDERED.fullmatch(typed):
            raise CellError(
                f"{header}的年、月、日无法确定（年份应为四位并写在最前，写法如 {ACCEPTED_DATES}），实为“{text}”"
            )
        raise CellError(_date_message(header, text))
    try:
        return date(*parts).isoformat()
    except ValueError:
        raise CellError(_date_message(header, text)) from None


def _date_message(header: str, text: str) -> str:
    return f"{header}应为真实存在的日期（写法如 {ACCEPTED_DATES}），实为“{text}”"


def _date_parts(text: str) -> tuple[int, int, int] | None:
    m = _DATE.fullmatch(text)
    if m is not None and _SEPARATORS[m.group(2)] == m.group(4):
        return int(m.group(1)), int(m.group(3)), int(m.group(5))
    m = _COMPACT.fullmatch(text)
    if m is not None:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


def _from_number(number: float, header: str) -> str:
    if float(number).is_integer() and 19_000_000 < number < 30_000_000:  # 20240402 typed as a number
        return read_date(str(int(number)), header)
    if int(number) in _SERIALS:
        return from_excel(number).date().isoformat()
    raise CellError(_date_message(header, cell_text(number)))


def read_choice(value: object, header: str, variants: dict[str, str], choices: list[str]) -> str:
    """One of ``choices``, also when written as one of the unambiguous ``variants``."""
    text = cell_text(value)
    found = variants.get(re.sub(r"\s", "", text))
    if found is None:
        raise CellError(f"{header}应为 {'、'.join(choices)} 之一，实为“{text}”")
    return str(found)


def read_disclosure(value: object, header: str) -> str:
    return read_choice(value, header, DISCLOSURE_VARIANTS, [d.value for d in Disclosure])


def read_validity(value: object, header: str) -> str:
    return read_choice(value, header, VALIDITY_VARIANTS, ["有效", "已修改", "已废止", "失效"])


def read_keywords(value: object, header: str) -> list[str]:
    """主题词 separated by ；;，,、 or blanks."""
    return [word for word in _KEYWORD_SPLIT.split(cell_text(value)) if word]


def read_text(value: object, header: str) -> str:
    return cell_text(value)


def read_body(value: object, header: str) -> str:
    """正文 ends with one line break, as a ``body: |`` block written by hand does."""
    text = cell_text(value)
    return text + "\n" if text else ""
