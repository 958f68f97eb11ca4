"""Rules on record text itself: Markdown the renderer can render, and text a spreadsheet would run.

**Markdown limits.** Python-Markdown recurses once per level of nested lists and block quotes: a body
nested about 500 levels deep exhausts Python's stack (``RecursionError``), fewer when the renderer
is called from deep in a build. No document needs more than a few levels, so validation counts
them, line by line, as the renderer will see them (every 4 columns of indentation, every ``>`` and
every list marker opening a line is one level: an upper bound of the renderer's nesting) and
refuses more than :data:`MAX_DEPTH`; it also bounds the links of a paragraph and of a text and the
``<`` of a text, which the renderer's inline patterns handle in time that grows faster than
linearly. ``body_file`` is held to the YAML files' size limit and must be UTF-8.
The renderer itself stops on a ``RecursionError`` too (:mod:`generator.portal.markdown`).

**Formula starts.** Spreadsheets run a CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return; the open data's CSV neutralises such cells (:mod:`generator.exports.cells`), and
validation warns, so the clerk knows that the CSV shows such a value with a leading ``'``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.exports.cells import FORMULA_START
from generator.models.entry import Entry
from generator.records.yamlreader import MAX_FILE_BYTES, Document

MAX_DEPTH = 20
# Python-Markdown's inline patterns take time that grows faster than linearly with the links of one
# paragraph (200: 0.5 s, 2,000: 61 s) and with the "<" of a text that no ">" closes (20,000: 12-33 s).
MAX_PARAGRAPH_LINKS = 200
MAX_LINKS = 2000
MAX_ANGLES = 2000
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


def inline_problem(text: str, label: str) -> str | None:
    """Why rendering ``text`` would take far too long, or None."""
    angles = text.count("<")
    if angles > MAX_ANGLES:
        return (
            f"{label}有 {angles:,} 个“<”，超过了 {MAX_ANGLES:,} 个的上限，生成网页会非常慢："
            "请删去多余的“<”，或把这部分内容作为附件"
        )
    links = text.count("](")
    if links > MAX_LINKS:
        return f"{label}有 {links:,} 个链接，超过了 {MAX_LINKS:,} 个的上限，生成网页会非常慢：请把链接列表作为附件"
    if links > MAX_PARAGRAPH_LINKS:
        for line, count in _paragraph_links(text):
            if count > MAX_PARAGRAPH_LINKS:
                return (
                    f"{label}第 {line} 行起的段落有 {count} 个链接，超过了一段 {MAX_PARAGRAPH_LINKS} 个的上限，"
                    "生成网页会非常慢：请把链接分成多段，或写成列表（每项一行）"
                )
    return None


def _paragraph_links(text: str):
    """(first line, links) of each paragraph: lines up to a blank line, a list item, a quote or a
    table row, which the renderer handles on their own."""
    start, count = 1, 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if not stripped or _CONTAINER.match(stripped) or stripped.startswith("|"):
            yield start, count
            start, count = number, 0
        count += line.count("](")
    yield start, count


def markdown_problem(text: str, label: str) -> str | None:
    """Why ``text`` cannot be rendered, or rendered in reasonable time; None when it can."""
    return depth_problem(text, label) or inline_problem(text, label)


def check_markdown(text: str | None, doc: Document, loc: tuple, label: str) -> list[Diagnostic]:
    """The Markdown at ``loc`` of ``doc`` within the renderer's limits."""
    if not text:
        return []
    problem = markdown_problem(text, label)
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
    return markdown_problem(text, f"正文文件 {shown} ")


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
            found.append(doc.warning(loc, _formula_message(label, start)))
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
