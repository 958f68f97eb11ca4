"""Map pydantic validation errors back to the YAML source: file, line, column, in plain Chinese.

Pydantic reports an error at a location such as ``("related", 0, "index_no")``; the
:class:`~generator.records.yamlreader.Document` knows where that value was written. The message names the
key with its Chinese label, says what was expected and what was received, and suggests the fix.
"""

from __future__ import annotations

import difflib
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.records.yamlreader import Document

T = typing.TypeVar("T", bound=BaseModel)


def validate_document(model: type[T], doc: Document, loc: tuple = ()) -> tuple[T | None, list[Diagnostic]]:
    """Validate the value at ``loc`` in ``doc`` against ``model``.

    Returns the instance, or None and located diagnostics.
    """
    data = _value_at(doc, loc)
    if not isinstance(data, dict):
        kind = "列表" if isinstance(data, list) else ("空值" if data is None else "一个值")
        where = "文件内容" if not loc else f"“{_dotted(loc)}”"
        return None, [doc.error(loc, f"{where}应为一组“键: 值”（映射），实为{kind}")]
    try:
        return model.model_validate(_without_blanks(data)), []
    except ValidationError as exc:
        errors = _drop_explained_missing(model, exc.errors(include_url=False))
        return None, [_diagnostic(model, doc, loc, err) for err in errors]


def _without_blanks(value: Any) -> Any:
    # A key left blank (``doc_no:``) counts as absent, as in a scaffold with optional keys unfilled.
    if isinstance(value, dict):
        return {k: _without_blanks(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_blanks(v) for v in value]
    return value


def _drop_explained_missing(model: type[BaseModel], errors: list[dict]) -> list[dict]:
    # "titel" unknown + "title" missing is one mistake: keep only the did-you-mean message.
    misspelt = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(err["loc"])
            owner = _owner(model, loc)
            close = _close_key(owner, str(loc[-1])) if owner is not None else None
            if close:
                misspelt.add(loc[:-1] + (close,))
    return [e for e in errors if not (e["type"] == "missing" and _clean_loc(e["loc"]) in misspelt)]


def _diagnostic(model: type[BaseModel], doc: Document, base: tuple, err: dict) -> Diagnostic:
    loc = _clean_loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return doc.error(base + loc, _unknown_key(model, loc), at_key=True)
    if kind == "missing":
        if base + loc in doc.marks:  # written, but left blank
            return doc.error(base + loc, f"{_named(model, loc)}：必填，不能空着")
        parent = loc[:-1]
        where = "" if not parent else f"（在 {_dotted(parent)} 中）"
        info = _field(model, loc)
        label = f"（{info.title}）" if info is not None and info.title else ""
        return doc.error(base + parent, f"缺少必填的键 “{loc[-1]}”{label}{where}")
    message = _explain(model, loc, err, doc, base)
    return doc.error(base + loc, f"{_named(model, loc)}：{message}")


def _clean_loc(loc: tuple) -> tuple:
    # Pydantic inserts validator names such as "function-after[...]" into some locations.
    return tuple(p for p in loc if isinstance(p, int) or "[" not in p)


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _field(model: type[BaseModel], loc: tuple):
    """The pydantic FieldInfo of the key at ``loc`` (list indexes skipped), or None."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if current is None:
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _model_of(info.annotation)
    return info


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _named(model: type[BaseModel], loc: tuple) -> str:
    info = _field(model, loc)
    title = info.title if info is not None and info.title else ""
    # A cell of a table row (annual reports) is named by its column too.
    columns = (info.json_schema_extra or {}).get("columns") if info is not None else None
    if columns and loc and isinstance(loc[-1], int) and loc[-1] < len(columns):
        title += f"，{columns[loc[-1]]}列"
    return f"“{_dotted(loc)}”（{title}）" if title else f"“{_dotted(loc)}”"


def _owner(model: type[BaseModel], loc: tuple) -> Any:
    """The model class that holds the key at ``loc``."""
    if len(loc) <= 1:
        return model
    info = _field(model, loc[:-1])
    return _model_of(info.annotation) if info is not None else None


def _unknown_key(model: type[BaseModel], loc: tuple) -> str:
    key = str(loc[-1])
    owner = _owner(model, loc)
    message = f"未知的键“{key}”"
    if owner is None:
        return message
    close = _close_key(owner, key)
    if close:
        title = owner.model_fields[close].title
        return f"{message}：你是不是想写“{close}”" + (f"（{title}）？" if title else "？")
    allowed = "、".join(owner.model_fields)
    return f"{message}：这里可用的键有 {allowed}"


def _close_key(owner: type[BaseModel], key: str) -> str | None:
    fields = owner.model_fields
    # A clerk may type the Chinese label (名称, 文号) instead of the key.
    for name, info in fields.items():
        if info.title and key == info.title:
            return name
    close = difflib.get_close_matches(key.lower(), list(fields), n=1, cutoff=0.6)
    return close[0] if close else None


def _explain(model: type[BaseModel], loc: tuple, err: dict, doc: Document, base: tuple) -> str:
    kind = err["type"]
    value = _received(doc, base + loc)
    if kind == "gongkai":  # our own validators already speak Chinese
        return err["msg"]
    if kind in ("literal_error", "enum"):
        choices = _choices(model, loc)
        text = f"应为 {'、'.join(choices)} 之一，实为{value}"
        raw = _value_at(doc, base + loc)
        if isinstance(raw, str):
            close = difflib.get_close_matches(raw, choices, n=1, cutoff=0.4)
            if close:
                text += f"：你是不是想写“{close[0]}”？"
        return text
    if kind == "string_type":
        return f"应为文字，实为{value}"
    if kind in ("list_type", "tuple_type"):
        return f"应为列表（如 [甲, 乙] 或每行一个“- 项”），实为{value}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"应为一组“键: 值”（映射），实为{value}"
    if kind == "too_short":
        return "至少要有一项"
    if kind == "string_pattern_mismatch":
        return f"格式不对，实为{value}"
    return f"{err['msg']}，实为{value}"


def _choices(model: type[BaseModel], loc: tuple) -> list[str]:
    info = _field(model, loc)
    if info is None:
        return []
    for arg in [info.annotation, *typing.get_args(info.annotation)]:
        if isinstance(arg, type) and issubclass(arg, Enum):
            return [m.value for m in arg]
        if typing.get_origin(arg) is typing.Literal:
            return list(typing.get_args(arg))
    return []


def _value_at(doc: Document, loc: tuple) -> Any:
    value: Any = doc.data
    for part in loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _received(doc: Document, loc: tuple) -> str:
    value = _value_at(doc, loc)
    if value is None:
        return "空值"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一组“键: 值”"
    text = str(value)
    return f"“{text if len(text) <= 40 else text[:40] + '…'}”"
