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

from generator.checks.indexno import IndexPattern
from generator.models.entry import Entry
from generator.records.yamlreader import NULL_VALUES

ENTRY_KEYS = tuple(Entry.model_fields)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_INDICATORS = frozenset(",[]{}:")
# Line breaks YAML knows besides \n, which JSON does not escape.
_YAML_BREAKS = {"\x85": "\\x85", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def entry_rel_path(agency_id: str, year: int, index_no: str, pattern: IndexPattern) -> str:
    """Where ``gongkai new entry`` puts the entry: ``catalog/<agency>/entries/<year>/<serial>.yaml``,
    ``year`` being its 成文日期's."""
    match = pattern.match(index_no)
    name = match["serial"] if match else "".join(c if c.isalnum() or c in "-." else "-" for c in index_no)
    return f"catalog/{agency_id}/entries/{year:04d}/{name}.yaml"


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, Chinese unescaped."""
    out = json.dumps(text, ensure_ascii=False)
    for char, escape in _YAML_BREAKS.items():
        out = out.replace(char, escape)
    return out


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
        and text.isprintable()
        and not (flow and any(c in _FLOW_INDICATORS for c in text))
    )
    return text if plain else quoted(text)


def _block(key: str, text: str) -> list[str]:
    """A literal block (``key: |``) holding exactly ``text``, or a quoted line when none can."""
    if not all(c.isprintable() or c in "\n\t" for c in text) or text.strip("\n") == "":
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
    lines: list[str] = []
    for key in ENTRY_KEYS:
        value = values.get(key)
        if value is None:
            continue
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]")
        elif "\n" in value:
            lines.extend(_block(key, value))
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"
