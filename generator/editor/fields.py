"""Decap CMS form fields made from Gongkai's record models, so the editor cannot drift from them.

Each model field becomes one editor field with the model's name, its title as the label and its
description as the hint; a required model field is a required editor field. The widget follows
the field's type:

    date (IsoDate)                  datetime widget, date only, written YYYY-MM-DD
    enum or Literal                 select with the allowed values
    Text (several lines)            text (a plain text area: Decap's markdown widget rewrites Markdown)
    list of models                  list with the model's fields
    list of anything else           list (one text box, comma-separated)
    model                           object with the model's fields
    anything else (Line, counts)    string

Gongkai's reader keeps every scalar a string, so a count typed into a string field is read as the
model reads it. A type this table does not know raises :class:`UnsupportedField`: a model key never
silently goes without an editor field (``tests/test_editor.py`` compares the two).
"""

from __future__ import annotations

import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.models.base import Text

TEXT_CHECK = Text.__metadata__[0]  # the validator that marks a field of several lines
DATE_FORMAT = "YYYY-MM-DD"
DATE_WIDGET = {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}


class UnsupportedField(TypeError):
    """A model field whose type has no editor widget: add one to this module."""


# A field's widget may be replaced for one key of one model (the index number's default and
# pattern, the attachment's file picker): (model, key) -> extra settings merged into the field.
Overrides = dict[tuple[type[BaseModel], str], dict[str, Any]]


def unwrap(annotation: Any) -> tuple[Any, list]:
    """The type under ``Optional[...]`` and ``Annotated[...]``, with the metadata collected on the way."""
    metadata: list = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            metadata.extend(annotation.__metadata__)
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(inner) != 1:
                raise UnsupportedField(f"a union of {inner} has no editor widget")
            annotation = inner[0]
        else:
            return annotation, metadata


def model_fields(model: type[BaseModel], overrides: Overrides | None = None) -> list[dict]:
    """The editor fields of ``model``, in the model's key order."""
    return [editor_field(model, name, info, overrides or {}) for name, info in model.model_fields.items()]


def editor_field(model: type[BaseModel], name: str, info: FieldInfo, overrides: Overrides) -> dict:
    field: dict[str, Any] = {"name": name, "label": info.title or name}
    hint = _hint(info)
    if hint:
        field["hint"] = hint
    field.update(widget_for(info.annotation, [*info.metadata], overrides))
    if field["widget"] == "list" and "fields" not in field and "逗号" not in field.get("hint", ""):
        field["hint"] = f"{field.get('hint', '')}多项之间用逗号分隔。"
    field["required"] = info.is_required()
    default = info.default
    if isinstance(default, str | Enum) and field["widget"] in ("select", "string"):
        field["default"] = str(default.value if isinstance(default, Enum) else default)
    pattern = next((m.pattern for m in info.metadata if getattr(m, "pattern", None)), None)
    if pattern:
        field["pattern"] = [pattern, f"：应符合 {pattern}"]
    field.update(overrides.get((model, name), {}))
    return field


def widget_for(annotation: Any, metadata: list, overrides: Overrides) -> dict:
    base, more = unwrap(annotation)
    metadata = [*metadata, *more]
    origin = typing.get_origin(base)
    if base is date:
        return dict(DATE_WIDGET)
    if isinstance(base, type) and issubclass(base, Enum):
        return {"widget": "select", "options": [str(member.value) for member in base]}
    if origin is Literal:
        return {"widget": "select", "options": [str(value) for value in typing.get_args(base)]}
    if isinstance(base, type) and issubclass(base, BaseModel):
        return {"widget": "object", "collapsed": False, "fields": model_fields(base, overrides)}
    if origin is list:
        item, _ = unwrap(typing.get_args(base)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            # An empty list by default: else Decap starts a new record with one item made of the
            # items' defaults (a 关联条目 of relation 相关 and no 索引号), which cannot be saved.
            return {"widget": "list", "default": [], "fields": model_fields(item, overrides)}
        return {"widget": "list"}
    if base in (str, int, float, Decimal):
        return {"widget": "text" if TEXT_CHECK in metadata else "string"}
    raise UnsupportedField(f"{base!r} has no editor widget")


def _hint(info: FieldInfo) -> str:
    """The model's description, with the columns of a table row or cell (annual reports)."""
    hint = info.description or ""
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "columns" in extra:
        hint = f"{hint}用逗号分隔，依次填写：{'、'.join(extra['columns'])}。".lstrip()
    elif "column" in extra:
        hint = f"{hint}{extra['column']}。".lstrip()
    return hint
