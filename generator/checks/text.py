"""Rules on record text itself: Markdown the renderer can render, and text a spreadsheet would run.

**Markdown limits.** Python-Markdown recurses once per level of nested lists and block quotes: a body
nested about 500 levels deep exhausts Python's stack (``RecursionError``), fewer when the renderer
is called from deep in a build. No document needs more than a few levels, so validation counts
them, line by line, as the renderer will see them (every 4 columns of indentation, every ``>`` and
every list marker opening a line is one level: an upper bound of the renderer's nesting) and
refuses more than :data:`MAX_DEPTH`; ``body_file`` is also held to the YAML files' size limit.
The renderer itself stops on a ``RecursionError`` too (:mod:`generator.portal.markdown`).

**Formula starts.** Spreadsheets run a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return; the open data's CSV neutralises such cells (:mod:`generator.exports.cells`), and
validation warns, so the clerk knows that the CSV shows such a value with a leading ``'``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Diagnostic, warning
from generator.exports.cells import FORMULA_START
from generator.models.entry import Entry
from generator.records.yamlreader import MAX_FILE_BYTES, Document

MAX_DEPTH = 20
_CONTAINER = re.compile(r"(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$)) ?")
_START_NAMES = {"\t": "制表符", "\r": "回车符"}


def markdown_depth(text: str) -> tuple[int, int]:
    """The deepest nesting of lists and block quotes in ``text``, and the first line (1-based) that
    nests more than :data:`MAX_DEPTH` levels (0 when none does)."""
    deepest, first = 0, 0
    for number, line in enumerate(text.splitlines(), 1):
        depth, rest = 0, line.expandtabs(4)
        while True:
            stripped = rest.lstrip(" ")
            depth += (len(rest) - len(stripped)) // 4
            marker = _CONTAINER.match(stripped)
            if marker is None or not stripped:
                break
            depth += 1
            rest = stripped[marker.end() :]
        deepest = max(deepest, depth)
        if depth > MAX_DEPTH and not first:
            first = number
    return deepest, first


def depth_problem(text: str, label: str) -> str | None:
    """Why ``text`` (called ``label`` in the message) cannot be rendered, or None."""
    depth, line = markdown_depth(text)
    if not line:
        return None
    return (
        f"{label}从第 {line} 行起列表或引用的嵌套超过了 {MAX_DEPTH} 层（最深 {depth} 层），网页无法这样显示："
        "请减少行首的缩进（每 4 个空格算一层）或“>”“-”“1.”的层数"
    )


def check_markdown(text: str | None, doc: Document, loc: tuple, label: str) -> list[Diagnostic]:
    """The Markdown at ``loc`` of ``doc`` within the renderer's limits."""
    if not text:
        return []
    problem = depth_problem(text, label)
    return [doc.error(loc, problem)] if problem else []


def check_body_file(path: Path, shown: str) -> str | None:
    """Why the body file at ``path`` (shown as ``shown``) cannot be rendered, or None. Its existence
    is checked elsewhere; an unreadable file is the build's to report."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return (
                f"正文文件 {shown} 有 {size:,} 字节，超过了 {MAX_FILE_BYTES:,} 字节（1 MiB）的上限："
                "请把正文拆分，或把全文作为附件"
            )
        text = path.read_bytes().decode("utf-8")
    except OSError:
        return None
    except UnicodeDecodeError as exc:
        return f"正文文件 {shown} 不是 UTF-8 编码（第 {exc.start + 1} 个字节无法解码）：请用 UTF-8 编码另存这个文件"
    return depth_problem(text, f"正文文件 {shown} ")


FORMULA_FIELDS = (("title", "名称"), ("summary", "内容概述"), ("doc_no", "文号"))


def check_formula_starts(entry: Entry, doc: Document) -> list[Diagnostic]:
    """A warning for each title, summary, 文号 or keyword that a spreadsheet would read as a formula."""
    found = []
    values: list[tuple[tuple, str, str | None]] = [
        ((key,), label, getattr(entry, key)) for key, label in FORMULA_FIELDS
    ]
    values += [(("keywords", i), "主题词", word) for i, word in enumerate(entry.keywords)]
    for loc, label, value in values:
        start = _formula_start(value)
        if start is not None:
            line, col = doc.position(loc)
            found.append(warning(doc.path, line, col, _formula_message(label, start)))
    return found


def _formula_start(value: str | None) -> str | None:
    if not value:
        return None
    for text in (value, value.strip()):
        if text.startswith(FORMULA_START):
            return text[0]
    return None


def _formula_message(label: str, start: str) -> str:
    shown = _START_NAMES.get(start, f"“{start}”")
    return (
        f"{label}以{shown}开头：电子表格会把这样的单元格当作公式执行，因此开放数据的 CSV 文件会在它前面"
        "加一个英文单引号（'）；如果不是有意这样写，请删去开头的这个字符"
    )


def checked_texts(pairs: Iterable[tuple[tuple, str | None, str]], doc: Document) -> list[Diagnostic]:
    """:func:`check_markdown` over (location, text, label) triples."""
    found: list[Diagnostic] = []
    for loc, text, label in pairs:
        found.extend(check_markdown(text, doc, loc, label))
    return found
