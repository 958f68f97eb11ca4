"""Entry files as Gongkai writes them: where a new entry goes, and its YAML in the pinned style.

The style is the one of the sample catalogue and of ``gongkai new entry``: the keys in the model's
order, one ``key: value`` a line, lists of words in brackets (``keywords: [政务公开, 工作要点]``),
multi-line text as a literal block (``body: |``), Chinese as it is. A value is written plain unless
YAML would read it differently (a leading ``-`` or quote, ``: `` or `` #`` inside, ``null``, ``~``,
a trailing colon): then it is double-quoted. Gongkai's reader keeps every scalar a string, so
``2024-04-12``, ``yes`` and ``0123`` stay plain.
"""

from __future__ import annotations

import json
import re

from generator.checks.indexno import IndexPattern
from generator.models.entry import Entry
from generator.records.yamlreader import NULL_VALUES, Document

ENTRY_KEYS = tuple(Entry.model_fields)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_INDICATORS = frozenset(",[]{}:")
# What YAML cannot hold as it is (its printable set, less its other line breaks and the byte-order
# mark): escaped in double quotes, never written plain or in a block.
_ESCAPE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def entry_rel_path(agency_id: str, year: int, index_no: str, pattern: IndexPattern) -> str:
    """Where ``gongkai new entry`` puts the entry: ``catalog/<agency>/entries/<year>/<serial>.yaml``,
    ``year`` being its 成文日期's."""
    match = pattern.match(index_no)
    name = match["serial"] if match else "".join(c if c.isalnum() or c in "-." else "-" for c in index_no)
    return f"catalog/{agency_id}/entries/{year:04d}/{name}.yaml"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, Chinese unescaped."""
    return _ESCAPE.sub(_escape, json.dumps(text, ensure_ascii=False))


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def scalar(text: str, *, flow: bool = False) -> str:
    """``text`` as a one-line YAML scalar: plain when YAML reads it back as the same string."""
    plain = (
        text
        and text == text.strip()
        and text not in NULL_VALUES
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and "\t" not in text
        and "\n" not in text
        and not _ESCAPE.search(text)
        and not (flow and any(c in _FLOW_INDICATORS for c in text))
    )
    return text if plain else quoted(text)


def _block(key: str, text: str) -> list[str]:
    """A literal block (``key: |``) holding exactly ``text``, or a quoted line when none can."""
    if _ESCAPE.search(text) or text.strip("\n") == "":
        return [f"{key}: {quoted(text)}"]
    body = text[:-1] if text.endswith("\n") else text
    chomp = "+" if text.endswith("\n\n") else ("" if text.endswith("\n") else "-")
    indent = "2" if text[0] in " \n" else ""
    lines = [f"{key}: |{indent}{chomp}"]
    lines.extend(f"  {line}" if line else "" for line in body.split("\n"))
    return lines


def dump_entry(values: dict[str, str | list[str]]) -> str:
    """The entry file for ``values`` (model keys to strings, or lists of strings), keys in the
    model's order; absent keys are left out."""
    return "\n".join(line for lines in _key_lines(values).values() for line in lines) + "\n"


def entry_document(values: dict[str, str | list[str]], rel: str) -> tuple[str, Document]:
    """The entry file for ``values`` and the :class:`Document` the reader would make of it, with
    the position of every key and value: checking a file before it is written needs no parse."""
    doc = Document(rel, values, {(): (1, 1)})
    lines: list[str] = []
    for key, written in _key_lines(values).items():
        doc.key_marks[(key,)] = (len(lines) + 1, 1)
        doc.marks[(key,)] = (len(lines) + 1, len(key) + 3)
        lines.extend(written)
    return "\n".join(lines) + "\n", doc


def _key_lines(values: dict[str, str | list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key in ENTRY_KEYS:
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            out[key] = [f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"]
        elif "\n" in value:
            out[key] = _block(key, value)
        else:
            out[key] = [f"{key}: {scalar(value)}"]
    return out
