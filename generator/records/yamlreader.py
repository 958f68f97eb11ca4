"""The strict YAML reader: PyYAML's composer with guards, every value kept with its position.

Records are written by people, so the reader is stricter than YAML: no tags, no anchors or
aliases, no duplicate keys, no control or bidi characters in keys, bounded size and nesting. Every
scalar stays a string (``2024-04-12``, ``no``, ``0123``); the models decide what it means. A plain
empty value, ``~`` or ``null`` is ``None``, so a scaffolded key left blank counts as absent.

The composer is PyYAML's own (``yaml.composer.Composer``), fed by libyaml's C parser when PyYAML
was built with it: the events come from C, the tree is built by the well-tested Python composer,
and the guards hook into its ``compose_*`` methods.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.diagnostics import Diagnostic, error, position_in_text, warning

try:
    from yaml.cyaml import CParser as _EventSource
except ImportError:  # PyYAML built without libyaml: same behaviour, slower.
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _EventSource(Reader, Scanner, Parser):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)


MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 20

# C0/C1 controls (tab, newline and carriage return are YAML's own), DEL, and the invisible
# characters that reorder or hide text: bidi embeddings/overrides/isolates, marks, zero-width ones.
UNSAFE_CHARS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
# Controls YAML forbids anywhere in the file; checked before parsing to give a clear position.
FILE_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NULL_VALUES = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass
class Document:
    """A parsed YAML file: plain Python data plus the 1-based position of every value and key."""

    path: str
    data: Any
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def position(self, loc: tuple) -> tuple[int, int]:
        """Position of the value at ``loc``, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while loc:
            if loc in self.marks:
                return self.marks[loc]
            loc = loc[:-1]
        return self.marks.get((), (1, 1))

    def key_position(self, loc: tuple) -> tuple[int, int]:
        """Position of the key that names ``loc`` (falls back to the value's position)."""
        loc = tuple(loc)
        return self.key_marks.get(loc) or self.position(loc)

    def error(self, loc: tuple, message: str, *, at_key: bool = False) -> Diagnostic:
        line, col = self.key_position(loc) if at_key else self.position(loc)
        return error(self.path, line, col, message)

    def warning(self, loc: tuple, message: str) -> Diagnostic:
        line, col = self.position(loc)
        return warning(self.path, line, col, message)


class YamlError(Exception):
    """A file that cannot be read as a record; carries its located diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format_text())
        self.diagnostic = diagnostic


class _Rejected(Exception):
    def __init__(self, mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictComposer(Composer):
    """PyYAML's composer with the guards: no anchors, aliases or tags; bounded depth."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if event.__class__ is AliasEvent:
            raise _Rejected(
                event.start_mark,
                f"不允许使用 YAML 别名（*{event.anchor}）：请把内容直接写出来",
            )
        if event.anchor is not None:
            raise _Rejected(
                event.start_mark,
                f"不允许使用 YAML 锚点（&{event.anchor}）：请删除锚点，把内容直接写出来",
            )
        if event.tag is not None:
            raise _Rejected(
                event.start_mark,
                f"不允许使用 YAML 标签（{event.tag}）：请删除标签，只写值本身",
            )
        if self._depth >= MAX_DEPTH:
            raise _Rejected(event.start_mark, f"嵌套层次过深（超过 {MAX_DEPTH} 层）：请检查缩进")
        # No try/finally: any exception abandons the whole document.
        self._depth += 1
        node = Composer.compose_node(self, parent, index)
        self._depth -= 1
        return node


class _Loader(_StrictComposer, _EventSource, BaseResolver):
    def __init__(self, stream: str) -> None:
        _EventSource.__init__(self, stream)
        Composer.__init__(self)
        BaseResolver.__init__(self)

    def resolve(self, kind, value, implicits):
        # Every node keeps the plain default tag: meaning is decided by the models, not by YAML.
        return (
            self.DEFAULT_SCALAR_TAG
            if kind is ScalarNode
            else (self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG)
        )


# libyaml's and PyYAML's messages, in the words a clerk understands.
_PROBLEMS = {
    "found character that cannot start any token": "这里有无法识别的字符",
    "found a tab character that violates indentation": "缩进里有制表符（Tab）",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”，多半是缩进不对或值里有未加引号的冒号",
    "did not find expected ',' or ']'": "方括号列表没有正确结束：缺少“,”或“]”",
    "did not find expected ',' or '}'": "花括号映射没有正确结束：缺少“,”或“}”",
    "found unexpected end of stream": "文件在引号或括号闭合之前就结束了",
    "did not find expected key": "这里应当是一个“键:”，多半是缩进不对",
    "did not find expected '-' indicator": "这里应当是列表项“- ”，多半是缩进不对",
    "but found another document": "一个文件只能有一条记录，不能用“---”分隔多个文档",
    "could not find expected ':'": "缺少冒号“:”",
    "found unknown escape character": "双引号字符串里有无效的转义（\\）",
    "found undefined alias": "不允许使用 YAML 别名",
    "found unexpected ':'": "这里有多余的冒号“:”",
    "did not find expected node content": "这里缺少值",
    "block sequence entries are not allowed in this context": "这里不能出现列表项“- ”，多半是缩进不对",
}


def _describe_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = (exc.problem or "").strip()
    mark = exc.problem_mark
    char = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    if char == "\t" or "tab character" in problem:
        explained = "缩进只能用空格，不能用制表符（Tab）：请把 Tab 换成空格"
    elif char in ("@", "`") and "cannot start any token" in problem:
        explained = f"值不能以“{char}”开头：请给整个值加上引号"
    else:
        explained = _PROBLEMS.get(problem, "无法解析")
    detail = f"（{problem}）" if problem else ""
    return f"YAML 格式错误：{explained}{detail}"


def _decode(raw: bytes, rel: str) -> str:
    if b"\x00" in raw:
        head = raw[: raw.index(b"\x00")].decode("utf-8", "replace")
        line, col = position_in_text(head, len(head))
        raise YamlError(error(rel, line, col, "文件含有空字符（NUL）：请用文本编辑器另存为 UTF-8"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        head = raw[: exc.start].decode("utf-8", "replace")
        line, col = position_in_text(head, len(head))
        raise YamlError(
            error(
                rel,
                line,
                col,
                f"文件不是 UTF-8 编码（第 {exc.start + 1} 字节为 0x{raw[exc.start]:02X}）："
                "请用文本编辑器另存为 UTF-8（GBK/GB2312 等编码不被接受）",
            )
        ) from None
    bad = FILE_CONTROL_CHARS.search(text)
    if bad:
        line, col = position_in_text(text, bad.start())
        raise YamlError(error(rel, line, col, f"文件含有控制字符 U+{ord(bad.group()):04X}：请删除它"))
    return text


def read_bytes(path: Path, rel: str) -> bytes:
    """Read a record file, refusing oversized ones before reading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlError(
                error(
                    rel,
                    1,
                    1,
                    f"文件过大（{size:,} 字节，上限 {MAX_FILE_BYTES:,} 字节）："
                    "正文过长请改用 body_file，附件请放在 files/ 目录",
                )
            )
        return path.read_bytes()
    except OSError as exc:
        raise YamlError(error(rel, 1, 1, f"无法读取文件：{exc.strerror}")) from None


def load_yaml(path: Path, rel: str) -> Document:
    """Read ``path`` (reported as ``rel``) into a :class:`Document`, or raise :class:`YamlError`."""
    return parse_yaml(read_bytes(path, rel), rel)


def parse_yaml(raw: bytes, rel: str) -> Document:
    text = _decode(raw, rel)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Rejected as exc:
        raise YamlError(error(rel, exc.mark.line + 1, exc.mark.column + 1, exc.message)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlError(error(rel, line, col, _describe_yaml_error(exc, text))) from None
    except yaml.YAMLError as exc:
        raise YamlError(error(rel, 1, 1, f"YAML 格式错误：{exc}")) from None
    finally:
        loader.dispose()
    if node is None:
        raise YamlError(error(rel, 1, 1, "文件是空的：应当是一组“键: 值”"))
    doc = Document(rel, None)
    doc.data = _construct(node, (), doc)
    return doc


def _construct(node: Node, loc: tuple, doc: Document) -> Any:
    mark = node.start_mark
    doc.marks[loc] = (mark.line + 1, mark.column + 1)
    if isinstance(node, ScalarNode):
        if not node.style and node.value in NULL_VALUES:  # plain, not quoted
            return None
        return node.value
    if isinstance(node, SequenceNode):
        return [_construct(child, loc + (i,), doc) for i, child in enumerate(node.value)]
    return _construct_mapping(node, loc, doc)


def _construct_mapping(node: MappingNode, loc: tuple, doc: Document) -> dict:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key_mark = key_node.start_mark
        where = (key_mark.line + 1, key_mark.column + 1)
        if not isinstance(key_node, ScalarNode):
            raise YamlError(error(doc.path, *where, "键必须是简单的文字，不能是列表或映射"))
        key = key_node.value
        bad = UNSAFE_CHARS.search(key)
        if bad:
            raise YamlError(
                error(
                    doc.path,
                    *where,
                    f"键“{UNSAFE_CHARS.sub('', key)}”含有不可见的控制字符 U+{ord(bad.group()):04X}："
                    "请删除后重新输入",
                )
            )
        if key in result:
            first = doc.key_marks[loc + (key,)]
            raise YamlError(
                error(
                    doc.path,
                    *where,
                    f"键“{key}”重复：第 {first[0]} 行已经有“{key}”，同一个键只能写一次",
                )
            )
        doc.key_marks[loc + (key,)] = where
        result[key] = _construct(value_node, loc + (key,), doc)
    return result
