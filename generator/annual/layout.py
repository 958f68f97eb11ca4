"""The tables of the national annual report format as rows, in the official order.

Everything here is derived from the field titles and column declarations of the report models,
so the report page, the PDF, the CSV and XLSX files and the scaffold lay the tables out the same
way.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.models.report import REQUEST_COLUMNS, REVIEW_COLUMNS


def nested_model(info: FieldInfo) -> type[BaseModel] | None:
    """The model a field holds (itself or as ``Model | None``); None for values and lists."""
    annotation = info.annotation
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    for candidate in (annotation, *options):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def columns_of(info: FieldInfo) -> tuple[str, ...]:
    extra = info.json_schema_extra or {}
    if "columns" in extra:
        return tuple(extra["columns"])
    return (extra["column"],) if "column" in extra else ()


def blank_value(info: FieldInfo):
    """What a scaffold writes in a cell: zeros in every column (totals left out)."""
    columns = columns_of(info)
    if len(columns) == 1 and "columns" not in (info.json_schema_extra or {}):
        return 0
    if columns in (REQUEST_COLUMNS, REVIEW_COLUMNS):
        return [0] * (len(columns) - 1)
    return [0] * len(columns)


@dataclass(frozen=True)
class Row:
    """One row of a table: its key path in the record, its label, and the groups it belongs to."""

    path: tuple[str, ...]
    label: str
    groups: tuple[str, ...]  # enclosing group labels, outermost first ("三、本年度办理结果", ...)

    @property
    def key(self) -> str:
        return ".".join(self.path)


def rows(model: type[BaseModel], prefix: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> list[Row]:
    """Every leaf row of a table model, depth first in declaration order."""
    out: list[Row] = []
    for key, info in model.model_fields.items():
        inner = nested_model(info)
        if inner is not None:
            out.extend(rows(inner, (*prefix, key), (*groups, info.title or key)))
        else:
            out.append(Row((*prefix, key), info.title or key, groups))
    return out


@dataclass(frozen=True)
class Block:
    """A block of table 2: the article it discloses under, its columns and its rows."""

    heading: str  # 第二十条第（一）项
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


def proactive_blocks(model: type[BaseModel]) -> list[Block]:
    """Table 2's blocks: consecutive rows under the same article, with the same columns."""
    blocks: list[Block] = []
    for key, info in model.model_fields.items():
        heading = (info.description or "").rstrip("。")
        row = Row((key,), info.title or key, (heading,))
        if blocks and blocks[-1].heading == heading:
            last = blocks[-1]
            blocks[-1] = Block(last.heading, last.columns, (*last.rows, row))
        else:
            blocks.append(Block(heading, columns_of(info), (row,)))
    return blocks


def value_at(data: dict, path: tuple[str, ...]):
    for part in path:
        data = data[part]
    return data


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    scope: str | None = None  # "col", "row", "colgroup", "rowgroup" for a header cell; None for data


@dataclass(frozen=True)
class Grid:
    """A table as the official format prints it: header rows, then body rows, each a list of
    cells with their spans."""

    number: str  # 表二
    caption: str
    head: list[list[Cell]]
    body: list[list[Cell]]


def request_layout(model: type[BaseModel]) -> list[tuple[Row, list[Cell]]]:
    """Table 3's rows, each with the label cells the official layout puts before its numbers:
    three label columns, with 三、本年度办理结果 and each outcome group spanning their rows."""
    all_rows = rows(model)
    outcome_count = sum(1 for r in all_rows if r.path[0] == "outcomes")
    group_sizes: dict[tuple[str, ...], int] = {}
    for r in all_rows:
        if len(r.groups) == 2:
            group_sizes[r.path[:-1]] = group_sizes.get(r.path[:-1], 0) + 1
    out = []
    seen: set = set()
    for r in all_rows:
        cells: list[Cell] = []
        if not r.groups:
            cells.append(Cell(r.label, colspan=3))
        else:
            if "outcomes" not in seen:
                seen.add("outcomes")
                cells.append(Cell(r.groups[0], rowspan=outcome_count))
            if len(r.groups) == 1:
                cells.append(Cell(r.label, colspan=2))
            else:
                if r.path[:-1] not in seen:
                    seen.add(r.path[:-1])
                    cells.append(Cell(r.groups[1], rowspan=group_sizes[r.path[:-1]]))
                cells.append(Cell(r.label))
        out.append((r, cells))
    return out


def cell_text(value) -> str:
    """A table value as printed: 不适用 for not applicable, amounts as written."""
    from generator.models.report import NOT_APPLICABLE

    return NOT_APPLICABLE if value is None else str(value)


def _numbers(values) -> list[Cell]:
    values = values if isinstance(values, list | tuple) else [values]
    return [Cell(cell_text(v)) for v in values]


def proactive_grid(model: type[BaseModel], data: dict) -> Grid:
    blocks = proactive_blocks(model)
    width = 1 + max(len(b.columns) for b in blocks)
    body: list[list[Cell]] = []
    for block in blocks:
        body.append([Cell(block.heading, colspan=width, scope="colgroup")])
        spans = _spread(len(block.columns), width - 1)
        body.append(
            [Cell("信息内容", scope="col")]
            + [Cell(c, colspan=n, scope="col") for c, n in zip(block.columns, spans, strict=True)]
        )
        for row in block.rows:
            values = _numbers(value_at(data, row.path))
            body.append(
                [Cell(row.label, scope="row")]
                + [Cell(v.text, colspan=n) for v, n in zip(values, spans, strict=True)]
            )
    return Grid("表二", "主动公开政府信息情况", [], body)


def _spread(count: int, width: int) -> list[int]:
    """Column spans for ``count`` cells across ``width`` columns: the last takes what is left."""
    return [1] * (count - 1) + [width - count + 1]


def request_grid(model: type[BaseModel], data: dict) -> Grid:
    head = [
        [
            Cell(
                "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3
            ),
            Cell("申请人情况", colspan=7, scope="colgroup"),
        ],
        [
            Cell(REQUEST_COLUMNS[0], rowspan=2, scope="col"),
            Cell("法人或其他组织", colspan=5, scope="colgroup"),
            Cell(REQUEST_COLUMNS[6], rowspan=2, scope="col"),
        ],
        [Cell(c, scope="col") for c in REQUEST_COLUMNS[1:6]],
    ]
    body = []
    for row, labels in request_layout(model):
        heads = [Cell(c.text, c.rowspan, c.colspan, "rowgroup" if c.rowspan > 1 else "row") for c in labels]
        body.append(heads + _numbers(value_at(data, row.path)))
    return Grid("表三", "收到和处理政府信息公开申请情况", head, body)


def review_grid(model: type[BaseModel], data: dict) -> Grid:
    fields = model.model_fields
    review, *litigation = fields
    head = [
        [
            Cell(fields[review].title or review, colspan=5, scope="colgroup"),
            Cell("行政诉讼", colspan=10, scope="colgroup"),
        ],
        [Cell(c, rowspan=2, scope="col") for c in REVIEW_COLUMNS]
        + [Cell((fields[k].title or k).split("·")[-1], colspan=5, scope="colgroup") for k in litigation],
        [Cell(c, scope="col") for _ in litigation for c in REVIEW_COLUMNS],
    ]
    body = [[cell for key in fields for cell in _numbers(data[key])]]
    return Grid("表四", "政府信息公开行政复议、行政诉讼情况", head, body)
