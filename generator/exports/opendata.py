"""Open data: the public catalogue as JSON Lines, CSV and XLSX, for the portal and per agency, with a
JSON Schema and a CSVW description of the CSV files (the DCAT catalogue is :mod:`.dcat`).

Only what the portal publishes goes in: 不予公开 entries never reach the plan, an 依申请公开 entry
contributes its catalogue fields only (no body, no attachments), and a related entry is named only
when it is public itself. Every file is made from :data:`COLUMNS`, which also documents them on the
open-data page, so the formats cannot drift apart.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO
from urllib.parse import urljoin
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import unescape as xml_unescape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError

from generator.annual.export import saved_workbook, write_normalised_zip
from generator.exports.cells import WORKSHEET_ROWS, spreadsheet_safe
from generator.portal import urls
from generator.portal.plan import PublicEntry, SitePlan
from generator.safety import extract

DATA_PAGE = "data/"
SCHEMA = "data/catalog.schema.json"
CSVW = "data/csv-metadata.json"
DCAT = "data/dcat.jsonld"
FORMATS = (
    ("jsonl", "JSON Lines", "application/jsonl"),
    ("csv", "CSV", "text/csv"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # the CSV and XLSX header
    help: str
    type: str  # JSON Schema type of the value: string, date, array
    required: bool = False


COLUMNS = (
    Column("index_no", "索引号", "全门户唯一、永不改变的索引号。", "string", True),
    Column("title", "名称", "文件或信息的名称。", "string", True),
    Column("agency", "机构代码", "发布机构在本门户的代码（英文小写）。", "string", True),
    Column("agency_name", "发布机构", "发布机构的名称。", "string", True),
    Column("summary", "内容概述", "内容概述。", "string", True),
    Column("date", "成文日期", "YYYY-MM-DD。", "date", True),
    Column("published", "公开日期", "YYYY-MM-DD；依申请公开的条目没有公开日期。", "date"),
    Column("disclosure", "公开属性", "主动公开 或 依申请公开（不予公开的条目不在数据中）。", "string", True),
    Column("type", "类型", "目录条目 或 年度报告。", "string", True),
    Column("doc_no", "文号", "如 示府办〔2024〕12号。", "string"),
    Column("category", "主题分类", "主题分类名称。", "string"),
    Column("genre", "体裁分类", "体裁分类名称。", "string"),
    Column("keywords", "主题词", "主题词列表；CSV 和 XLSX 中以“；”分隔。", "array"),
    Column("validity", "有效性", "有效、已修改、已废止 或 失效；有效期已届满的文件为失效。", "string"),
    Column("effective", "施行日期", "YYYY-MM-DD。", "date"),
    Column("repealed", "废止日期", "YYYY-MM-DD。", "date"),
    Column("expires", "有效期至", "YYYY-MM-DD；过了这一天，文件失效。", "date"),
    Column("reg_no", "登记号", "规范性文件统一登记号。", "string"),
    Column("co_issuers", "联合发文机关", "联合发文的其他机关的名称列表；CSV 和 XLSX 中以“；”分隔。", "array"),
    Column(
        "url", "网址", "条目页面的网址（配置了网站地址时为完整网址，否则相对于门户根目录）。", "string", True
    ),
    Column(
        "attachments",
        "附件",
        "主动公开条目的附件网址列表；CSV 和 XLSX 中以空格分隔。依申请公开的条目没有附件。",
        "array",
    ),
    Column(
        "related",
        "关联条目",
        "本条目声明的关联：[{index_no, relation}]；CSV 和 XLSX 中写作“关系:索引号”，以“；”分隔。",
        "array",
    ),
)


def scopes(plan: SitePlan) -> list[tuple[str | None, str]]:
    """(agency id or None for the portal, the folder its files go in)."""
    return [(None, "data/"), *((a, f"data/agencies/{a}/") for a in plan.agencies)]


def file_url(folder: str, ext: str) -> str:
    return f"{folder}catalog.{ext}"


def absolute(site_url: str | None, url: str) -> str:
    return urljoin(site_url.rstrip("/") + "/", url) if site_url else url


def record(plan: SitePlan, e: PublicEntry, site_url: str | None) -> dict:
    entry = e.entry
    data = {
        "index_no": entry.index_no,
        "title": entry.title,
        "agency": e.agency_id,
        "agency_name": plan.agencies[e.agency_id].name,
        "summary": entry.summary.strip(),
        "date": entry.date.isoformat(),
        "published": entry.published.isoformat() if entry.published else None,
        "disclosure": entry.disclosure.value,
        "type": "年度报告" if e.report else "目录条目",
        "doc_no": entry.doc_no,
        "category": entry.category,
        "genre": entry.genre,
        "keywords": list(entry.keywords),
        "validity": entry.validity,
        "effective": entry.effective.isoformat() if entry.effective else None,
        "repealed": entry.repealed.isoformat() if entry.repealed else None,
        "expires": entry.expires.isoformat() if entry.expires else None,
        "reg_no": entry.reg_no,
        "co_issuers": [plan.agencies[c].name if c in plan.agencies else c for c in entry.co_issuers],
        "url": absolute(site_url, e.url),
        "attachments": [
            absolute(site_url, urls.attachment_url(e.agency_id, a.file)) for a in entry.attachments
        ]
        if e.proactive
        else [],
        "related": [
            {"index_no": r.index_no, "relation": r.relation}
            for r in entry.related
            if r.index_no in plan.by_index  # a withheld or missing entry is never named
        ],
    }
    return data


def _cell(column: Column, value) -> str:
    if value is None:
        return ""
    if column.key in ("keywords", "co_issuers"):
        return "；".join(value)
    if column.key == "attachments":
        return " ".join(value)
    if column.key == "related":
        return "；".join(f"{r['relation']}:{r['index_no']}" for r in value)
    return str(value)


def cells(data: dict) -> list[str]:
    """One record as the CSV and XLSX show it: a text per column ("" for no value)."""
    return [_cell(c, data[c.key]) for c in COLUMNS]


ROW_NUMBER = "\0"  # where a row's number goes in its cached sheet XML; XML has no NUL
_LETTERS = tuple(get_column_letter(i) for i in range(1, len(COLUMNS) + 1))
_XLSX_TEXT = re.compile(r"<t(?: xml:space=\"preserve\")?>(.*?)</t>", re.DOTALL)


def _csv_line(texts: list[str]) -> str:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow(texts)
    return line.getvalue()


@dataclass(frozen=True)
class Row:
    """One catalogue record in each open data format, as the bytes that go in the files: made once
    per record and reused by every file (and build) that lists it."""

    jsonl: bytes  # the line, with its line end
    csv: bytes  # the CSV record, with its line end (a field may hold line breaks)
    xlsx: bytes  # the sheet's <row>, with ROW_NUMBER for its number

    @classmethod
    def of(cls, data: dict) -> Row:
        texts = cells(data)
        return cls(
            (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode(),
            # A spreadsheet opens the CSV as formulas; the workbook holds its cells as text.
            _csv_line([spreadsheet_safe(text) for text in texts]).encode(),
            _sheet_row(texts),
        )

    def texts(self) -> list[str]:
        """What the output audit reads in each format: the JSON line and the CSV record as text,
        and the workbook row as its cells joined (as the audit reads a workbook's row)."""
        sheet = (xml_unescape(text) for text in _XLSX_TEXT.findall(self.xlsx.decode()))
        return [self.jsonl.decode(), self.csv.decode(), extract.ROW_SEPARATOR.join(sheet)]


def _sheet_row(texts: list[str]) -> bytes:
    """The row as openpyxl writes it (inline strings, a reference on every cell), in UTF-8 rather
    than character references; an empty text has no cell."""
    parts = [f'<row r="{ROW_NUMBER}">']
    for letter, text in zip(_LETTERS, texts, strict=True):
        if not text:
            continue
        if ILLEGAL_CHARACTERS_RE.search(text):
            raise IllegalCharacterError(f"{text!r} cannot be used in worksheets.")
        stripped = text.strip()
        space = ' xml:space="preserve"' if stripped and stripped != text else ""
        parts.append(
            f'<c r="{letter}{ROW_NUMBER}" t="inlineStr"><is><t{space}>{xml_escape(text)}</t></is></c>'
        )
    parts.append("</row>")
    return "".join(parts).encode()


def write(ext: str, target: BinaryIO, rows: Sequence[bytes], title: str, moment: datetime) -> None:
    """Write the file of format ``ext`` to ``target``, row by row from ``rows`` (each row's bytes
    in that format, see :class:`Row`): the files of a million entries are gigabytes, never held
    whole. ``rows`` is iterated twice for a workbook."""
    if ext == "jsonl":
        target.writelines(rows)
    elif ext == "csv":
        # UTF-8 with a BOM, so that Excel opens the Chinese text correctly; CRLF line ends (RFC 4180).
        target.write(("\ufeff" + _csv_line([c.title for c in COLUMNS])).encode())
        target.writelines(rows)
    else:
        write_xlsx(target, rows, title, moment)


def row_bytes(rows: list[Row], ext: str) -> list[bytes]:
    """The rows' bytes in the format ``ext``, as :func:`write` takes them."""
    return [getattr(r, ext) for r in rows]


def header_texts() -> list[str]:
    """What the output audit reads in the files' header rows (the CSV's, the workbook's)."""
    titles = [c.title for c in COLUMNS]
    return [_csv_line(titles), extract.ROW_SEPARATOR.join(titles)]


# The records a worksheet holds under its header (see cells.WORKSHEET_ROWS). A larger catalogue
# goes on as many sheets as it needs, each with the header row.
SHEET_ROWS = WORKSHEET_ROWS - 1
SHEET_NAME = "目录"
_SHEET_PATH = re.compile(r"xl/worksheets/sheet(\d+)\.xml")
_MARK = ROW_NUMBER.encode()
_BATCH = 512  # rows compressed at once
# The workbook's deflate level: at 100,000 records level 1 compresses the sheet in 0.26 s to
# 10.6 MB, zlib's default (6) in 0.78 s to 8.3 MB; the portal's workbook is made on every build
# that changes a record, and the catalogue is offered as CSV and JSON Lines too.
XLSX_LEVEL = 1


def sheet_names(count: int) -> list[str]:
    """The workbook's sheets for ``count`` records: 目录, or 目录1, 目录2, ... when one sheet cannot
    hold them all."""
    sheets = max(1, -(-count // SHEET_ROWS))
    return [SHEET_NAME] if sheets == 1 else [f"{SHEET_NAME}{k}" for k in range(1, sheets + 1)]


def write_xlsx(target: BinaryIO, rows: Sequence[bytes], title: str, moment: datetime) -> None:
    """The workbook: openpyxl makes the package (styles, the bold header row, the frozen pane, the
    properties), and the rows (each a sheet row as :class:`Row` makes it, for every record as
    openpyxl would write it) go into its sheets, numbered, :data:`SHEET_ROWS` to a sheet. Writing
    100,000 rows cell by cell through openpyxl (or XlsxWriter) takes about 12 s on every build;
    numbering the cached rows takes a fraction of that. ``rows`` is read twice, in order: once for
    the sheets' sizes, once for their bytes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    names = sheet_names(len(rows))
    for name in names:
        sheet = workbook.create_sheet(name)
        sheet.freeze_panes = "A2"
        header = []
        for column in COLUMNS:
            cell = WriteOnlyCell(sheet, column.title)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
    package = saved_workbook(workbook, title, "Gongkai", moment)

    # Each mark becomes the row's number: the sheets' sizes are known before they are written.
    sizes = [0] * len(names)
    for i, row in enumerate(rows):
        sizes[i // SHEET_ROWS] += len(row) + row.count(_MARK) * (len(b"%d" % (i % SHEET_ROWS + 2)) - 1)
    remaining = iter(rows)
    stored: list[int] = []

    def numbered(count: int) -> Iterator[bytes]:
        batch: list[bytes] = []
        for n, row in enumerate(itertools.islice(remaining, count), 2):
            batch.append(row.replace(_MARK, b"%d" % n))
            if len(batch) == _BATCH:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)

    def pieces(name: str, data: bytes) -> tuple[int, Iterable[bytes]]:
        m = _SHEET_PATH.fullmatch(name)
        if m is None:
            return len(data), (data,)
        # The sheets are stored in order, so each takes the next SHEET_ROWS rows.
        k = int(m.group(1)) - 1
        if k != len(stored):
            raise ValueError(f"worksheet {name} stored out of order")
        stored.append(k)
        end = data.rindex(b"</sheetData>")
        return len(data) + sizes[k], itertools.chain((data[:end],), numbered(SHEET_ROWS), (data[end:],))

    write_normalised_zip(target, package, moment, pieces, level=XLSX_LEVEL)


def json_schema() -> bytes:
    """The JSON Schema of one line of the JSON Lines files."""
    properties = {}
    for c in COLUMNS:
        if c.type == "date":
            spec: dict = {"type": "string", "format": "date"}
        elif c.key == "related":
            spec = {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "index_no": {"type": "string"},
                        "relation": {"enum": ["解读", "修改", "废止", "替代", "相关"]},
                    },
                    "required": ["index_no", "relation"],
                    "additionalProperties": False,
                },
            }
        elif c.type == "array":
            spec = {"type": "array", "items": {"type": "string"}}
        else:
            spec = {"type": "string"}
        if c.key == "disclosure":
            spec = {"enum": ["主动公开", "依申请公开"]}
        elif c.key == "type":
            spec = {"enum": ["目录条目", "年度报告"]}
        elif c.key == "validity":
            spec = {"enum": ["有效", "已修改", "已废止", "失效", None]}
        elif not c.required and c.type != "array":
            spec = {**spec, "type": [spec["type"], "null"]}
        properties[c.key] = {"title": c.title, "description": c.help, **spec}
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "政府信息公开目录条目",
        "description": "catalog.jsonl 中的一行：一条公开的目录条目或年度报告。",
        "type": "object",
        "properties": properties,
        "required": [c.key for c in COLUMNS],
        "additionalProperties": False,
    }
    return _json(schema)


CSV_NOTE = (
    "以 =、+、-、@、制表符或回车开头的文本单元格前加了一个英文单引号（'），防止电子表格把它当作公式执行"
    "（CSV 注入，OWASP 的建议做法）；读取时去掉这个单引号即得原值。JSON Lines 和 XLSX 保存原值。"
)


def csvw_column(
    name: str, title: str, help: str, datatype: str = "string", *, required: bool = False, separator=None
) -> dict:
    """A CSVW column description: ``titles`` is the CSV header's text; an empty cell is null."""
    column = {"name": name, "titles": title, "dc:description": help, "datatype": datatype}
    if required:
        column["required"] = True
    if separator:
        column["separator"] = separator
    return column


CSVW_DATATYPES = {"date": "date", "url": "anyURI", "attachments": "anyURI"}  # by key or type


def csvw(plan: SitePlan, site_url: str | None, more: list[tuple[str, str, dict]] = ()) -> bytes:
    """A CSV on the Web (W3C) description of every CSV file the portal publishes: the catalogue
    files share the group's schema; ``more`` adds (URL, title, table schema) for the others."""
    columns = []
    for c in COLUMNS:
        datatype = CSVW_DATATYPES.get(c.key) or CSVW_DATATYPES.get(c.type, "string")
        separator = (" " if c.key == "attachments" else "；") if c.type == "array" else None
        columns.append(
            csvw_column(c.key, c.title, c.help, datatype, required=c.required, separator=separator)
        )
    catalogues = [
        {"url": urls.relative(CSVW, file_url(folder, "csv")), "dc:title": scope_title(plan, agency_id)}
        for agency_id, folder in scopes(plan)
    ]
    group = {
        "@context": "http://www.w3.org/ns/csvw",
        # Cells are written as they are (no trimming); a UTF-8 BOM leads each file, for Excel.
        "dialect": {"encoding": "utf-8", "header": True, "lineTerminators": ["\r\n"], "trim": False},
        "dc:description": CSV_NOTE,
        "tableSchema": {"columns": columns, "primaryKey": "index_no"},
        "tables": [
            *catalogues,
            *(
                {"url": urls.relative(CSVW, url), "dc:title": title, "tableSchema": schema}
                for url, title, schema in more
            ),
        ],
    }
    return _json(group)


def scope_title(plan: SitePlan, agency_id: str | None) -> str:
    name = plan.agencies[agency_id].name if agency_id else "全部机构"
    return f"政府信息公开目录：{name}"


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def scope_entries(plan: SitePlan, agency_id: str | None) -> list[PublicEntry]:
    """The scope's public entries, in 索引号 order (stable across builds and easy to diff)."""
    scope = plan.entries_of(agency_id) if agency_id else plan.entries
    return sorted(scope, key=lambda e: e.entry.index_no)


def render_data_page(
    plan: SitePlan,
    site_name: str,
    site_url: str | None,
    sizes: dict[str, int],
    archive: tuple[str, str] | None,  # (URL, date made)
    *,
    manifest: bool = True,
):
    """The open-data page: every download with its size, the columns, feeds and integrity files."""
    from generator.annual.pages import SCHEMA_PAGE
    from generator.exports import feeds
    from generator.portal import render

    rows = []
    for agency_id, folder in scopes(plan):
        name = plan.agencies[agency_id].name if agency_id else f"全部机构（{site_name}）"
        count = len(plan.entries_of(agency_id) if agency_id else plan.entries)
        files = [
            (file_url(folder, ext), label, render.human_size(sizes.get(file_url(folder, ext), 0)))
            for ext, label, _ in FORMATS
        ]
        rows.append((name, count, files))
    feed_list = [(feed.title, feed.url) for feed in feeds.plan_feeds(plan, site_name)]
    html = render.render_template(
        "opendata.html",
        DATA_PAGE,
        crumbs=[("首页", ""), ("开放数据", DATA_PAGE)],
        formats=FORMATS,
        scopes=rows,
        columns=COLUMNS,
        schema=SCHEMA,
        csvw=CSVW,
        dcat=DCAT,
        reports_data=SCHEMA_PAGE,
        feeds=feed_list,
        archive=archive,
        manifest=manifest,
        sitemap=bool(site_url),
    )
    return render.Page(DATA_PAGE, "开放数据", html)
