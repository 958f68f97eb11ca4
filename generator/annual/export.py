"""An annual report's tables as downloads: CSV, XLSX and JSON, and the JSON Schema of the JSON.

- CSV (UTF-8 with a byte order mark, so Excel opens the Chinese text correctly): one line per
  table cell, long format, so all three tables fit one file and every value is labelled.
- XLSX (openpyxl): one sheet per table laid out as the official format prints it, merged header
  cells included, plus the long-format sheet of the CSV.
- JSON: the report as published, every total filled in, following ``report-<format>.schema.json``.

Every file is byte-identical for the same input: the XLSX's timestamps are fixed to the report's
publication date and its zip entries are written in a fixed order with fixed times.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

from generator.annual import layout
from generator.annual.layout import Grid, value_at
from generator.exports.cells import spreadsheet_safe
from generator.models.report import NOT_APPLICABLE, REPORT_MODELS

CSV_HEADER = ("机构", "机构代码", "年度", "表", "项目", "指标", "数值", "键")
CSV_HEADER_HELP = (
    "发布机构名称",
    "统一社会信用代码或组织机构代码",
    "报告年度",
    "表二、表三或表四",
    "表格中的行，含所属分组，如“三、本年度办理结果 / （三）不予公开 / 4.保护第三方合法权益”",
    "表格中的列，如“自然人”“总计”“本年制发件数”",
    "整数（件数）、金额（万元）或“不适用”",
    "数据在 JSON 文件中的位置，如 requests.outcomes.withheld.third_party[0]",
)


def csvw_schema() -> dict:
    """The CSVW table schema of a report's CSV: 数值 is a number, or null where it is 不适用."""
    names = ("agency", "code", "year", "table", "row", "column", "value", "key")
    columns = []
    for name, title, help in zip(names, CSV_HEADER, CSV_HEADER_HELP, strict=True):
        column = {"name": name, "titles": title, "dc:description": help, "required": True}
        column["datatype"] = {"year": "integer", "value": "decimal"}.get(name, "string")
        if name == "value":
            column.update(required=False, null=NOT_APPLICABLE)
        columns.append(column)
    return {"columns": columns, "primaryKey": "key"}


def cells(record) -> list[tuple[str, str, str, str, str]]:
    """(table, row label, column label, value, key) for every cell of the three tables."""
    report, tables = record.report, record.tables
    out = []
    for block in layout.proactive_blocks(type(report.proactive)):
        for row in block.rows:
            values = value_at(tables.proactive, row.path)
            values = values if isinstance(values, list | tuple) else [values]
            for i, (column, value) in enumerate(zip(block.columns, values, strict=True)):
                key = row.key + (f"[{i}]" if len(block.columns) > 1 else "")
                out.append(
                    (
                        "表二",
                        f"{block.heading} / {row.label}",
                        column,
                        layout.cell_text(value),
                        "proactive." + key,
                    )
                )
    for row in layout.rows(type(report.requests)):
        label = " / ".join([*row.groups, row.label])
        for i, value in enumerate(value_at(tables.requests, row.path)):
            out.append(("表三", label, layout.REQUEST_COLUMNS[i], str(value), f"requests.{row.key}[{i}]"))
    for key, info in type(report.reviews).model_fields.items():
        for i, value in enumerate(tables.reviews[key]):
            out.append(
                ("表四", info.title or key, layout.REVIEW_COLUMNS[i], str(value), f"reviews.{key}[{i}]")
            )
    return out


def to_csv(record, agency) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for table, row, column, value, key in cells(record):
        # Labels are text a spreadsheet could read as a formula; the value is a number (a signed
        # change starts with "-") or 不适用, and stays as it is.
        texts = (agency.name, agency.code, record.year, table, row, column)
        writer.writerow((*(spreadsheet_safe(str(t)) for t in texts), value, key))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(record, agency, url: str) -> bytes:
    report, tables = record.report, record.tables
    data = {"agency": {"id": agency.id, "name": agency.name, "code": agency.code}, "url": url}
    dumped = report.model_dump(mode="python", exclude_none=True)
    dumped.update(proactive=tables.proactive, requests=tables.requests, reviews=tables.reviews)
    data.update(_plain(dumped))
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None:
        return NOT_APPLICABLE  # inside the tables, None is a cell that does not apply
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def json_schema(fmt: str) -> bytes:
    """The JSON Schema of the JSON download of a ``fmt`` report, generated from the report model."""
    schema = REPORT_MODELS[fmt].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"政府信息公开工作年度报告（{fmt} 年格式）"
    schema["properties"] = {
        "agency": {
            "type": "object",
            "title": "发布机构",
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "code": {"type": "string"}},
            "required": ["id", "name", "code"],
            "additionalProperties": False,
        },
        "url": {"type": "string", "title": "报告页面", "description": "相对于门户根目录的网址。"},
        **schema["properties"],
    }
    schema["required"] = ["agency", "url", *schema.get("required", [])]
    return (json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# -- XLSX ----------------------------------------------------------------------------------------


def to_xlsx(record, agency, grids: list[Grid], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    first = True
    for grid in grids:
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = grid.number
        sheet.cell(1, 1, f"{grid.number}　{grid.caption}").font = Font(bold=True)
        _write_grid(sheet, grid, 2, border, Alignment(wrap_text=True, vertical="center", horizontal="center"))
        sheet.column_dimensions["A"].width = 24
    data = workbook.create_sheet("数据")
    data.append(CSV_HEADER)
    for table, row, column, value, key in cells(record):
        data.append((agency.name, agency.code, record.year, table, row, column, _number(value), key))
    moment = datetime.combine(record.report.published, datetime.min.time())
    return normalise_zip(saved_workbook(workbook, title, agency.name, moment), moment)


def saved_workbook(workbook, title: str, creator: str, moment: datetime) -> bytes:
    """The workbook's bytes, its properties dated ``moment`` (normalise_zip dates its entries)."""
    workbook.properties.creator = creator
    workbook.properties.title = title
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def _write_grid(sheet, grid: Grid, start: int, border, align) -> None:
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate([*grid.head, *grid.body]):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            target = sheet.cell(start + r, 1 + c, _number(cell.text) if cell.scope is None else cell.text)
            target.border, target.alignment = border, align
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=start + r,
                    start_column=1 + c,
                    end_row=start + r + cell.rowspan - 1,
                    end_column=c + cell.colspan,
                )
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan


def normalise_zip(data: bytes, moment: datetime, fill: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same archive with every entry's time set to ``moment``: openpyxl stamps the clock.
    ``fill(name, data)`` may change an entry's content on the way."""
    out = io.BytesIO()

    def whole(name: str, data: bytes) -> tuple[int, Iterable[bytes]]:
        made = fill(name, data) if fill else data
        return len(made), (made,)

    write_normalised_zip(out, data, moment, whole)
    return out.getvalue()


def write_normalised_zip(
    target: BinaryIO,
    data: bytes,
    moment: datetime,
    pieces: Callable[[str, bytes], tuple[int, Iterable[bytes]]],
    *,
    level: int | None = None,
) -> None:
    """Write to ``target`` the archive ``data`` with every entry's time set to ``moment``, each
    entry's content given by ``pieces(name, content)`` as its size and its bytes in pieces: an
    entry larger than memory (the sheet of a million rows) is compressed as it is made. The
    size, known before, decides as :meth:`zipfile.ZipFile.writestr` does whether the entry needs
    ZIP64, so the archive is the one writestr would write with the joined pieces. ``level``: the
    deflate level (zlib's default when None)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            # ZipFile.open takes the level from the ZipInfo, not from the ZipFile, and has no
            # public way to set it before Python 3.13 (compress_level); _compresslevel is kept
            # there as an alias.
            fixed._compresslevel = level  # type: ignore[attr-defined]
            fixed.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl sets the modified time on save
                stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            fixed.file_size, parts = pieces(info.filename, content)
            with archive.open(fixed, "w") as entry:
                for part in parts:
                    entry.write(part)
