"""Export the catalogue as a sheet that ``gongkai import`` reads back unchanged.

One row per entry, the columns of :data:`generator.tabular.columns.COLUMNS` under their primary
headers (with the agency column when every agency is exported), dates as YYYY-MM-DD, 主题词
joined by “；”. The file is the agency's own record, not a publication: 依申请公开 entries keep
their 正文, and 不予公开 entries are left out unless asked for, as they must not travel by accident.
Attachments, related entries and ``body_file`` have no column and are not exported.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from generator.annual.export import normalise_zip
from generator.diagnostics import Report
from generator.errors import GongkaiError
from generator.exports.cells import WORKSHEET_ROWS, spreadsheet_safe
from generator.models.entry import Disclosure
from generator.progress import Steps
from generator.records.load import find_root, load_project
from generator.records.project import EntryRecord, Project
from generator.tabular import columns

XLSX_CELL_LIMIT = 32_767  # characters: Excel's limit for one cell
XLSX_ROW_LIMIT = WORKSHEET_ROWS - 1  # entries: a worksheet's rows, less the header
SHEET_NAME = "目录"
WIDTHS = {"index_no": 30, "title": 50, "summary": 40, "body": 60}


@dataclass(frozen=True)
class ExportResult:
    rows: int
    withheld_left_out: int


def export_catalog(
    directory: Path,
    output: Path,
    agency_id: str | None,
    *,
    include_withheld: bool = False,
    progress: Steps | None = None,
) -> ExportResult:
    """Write the entries of ``agency_id`` (None: every agency) to ``output`` (.xlsx or .csv)."""
    suffix = output.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise GongkaiError(f"只能导出为 .xlsx 或 .csv 文件，实为“{output.name}”")
    root = find_root(directory)
    project = _load(root, agency_id)
    records = [r for r in project.entries if agency_id is None or r.agency == agency_id]
    withheld = [r for r in records if r.entry.disclosure is Disclosure.WITHHELD]
    if not include_withheld:
        records = [r for r in records if r.entry.disclosure is not Disclosure.WITHHELD]
    keys = [c.key for c in columns.COLUMNS if agency_id is None or c.key != columns.AGENCY]
    rows = [[_cell(r, key) for key in keys] for r in records]
    if suffix == ".csv":
        data = _csv(keys, rows)
    else:
        data = _xlsx(keys, rows, records, project, progress or Steps("行"))
    output.write_bytes(data)
    return ExportResult(len(rows), 0 if include_withheld else len(withheld))


def _load(root: Path, agency_id: str | None) -> Project:
    report = Report()
    project = load_project(root, report)
    if agency_id is not None and agency_id not in project.agencies:
        raise GongkaiError(
            f"agencies.yaml 中没有机构“{agency_id}”；已有的机构：{'、'.join(project.agencies)}"
        )
    prefix = "catalog/" if agency_id is None else f"catalog/{agency_id}/"
    errors = [d for d in report.errors if d.path.startswith(prefix)]
    if errors:
        # An entry with an error is not loaded: exporting without it would lose it silently.
        raise GongkaiError(
            f"有 {len(errors)} 个错误（第一个：{errors[0].format_text()}）：请先运行 gongkai validate 改正后再导出"
        )
    return project


def _cell(record: EntryRecord, key: str) -> str:
    if key == columns.AGENCY:
        return record.agency
    value = columns.values_of(record.entry).get(key, "")
    if isinstance(value, list):
        return "；".join(value)
    return value.removesuffix("\n") if key == "body" else value


def _csv(keys: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([columns.BY_KEY[k].header for k in keys])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    # With a byte-order mark, Excel opens the file as UTF-8 instead of the system's code page.
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _xlsx(keys: list[str], rows: list[list[str]], records: list[EntryRecord], project, progress) -> bytes:
    if len(rows) > XLSX_ROW_LIMIT:
        # `gongkai import` reads one sheet back: a catalogue split over several would not round-trip.
        raise GongkaiError(
            f"共 {len(rows):,} 条，超过一个 Excel 工作表的上限（{XLSX_ROW_LIMIT:,} 条）："
            "请导出为 .csv，或用 --agency 按机构分别导出"
        )
    too_long = [
        r.path
        for r, row in zip(records, rows, strict=True)
        if max(map(len, row), default=0) > XLSX_CELL_LIMIT
    ]
    if too_long:
        raise GongkaiError(
            f"{too_long[0]} 等 {len(too_long)} 个条目的正文超过 Excel 单元格的上限（{XLSX_CELL_LIMIT:,} 字）："
            "请导出为 .csv"
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_NAME)
    sheet.freeze_panes = "A2"
    for i, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = WIDTHS.get(key, 14)
    sheet.append([columns.BY_KEY[k].header for k in keys])
    progress.stage("导出", len(rows))
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
        progress.advance()
    progress.finish()
    moment = project.now.datetime.replace(tzinfo=None)
    book.properties.created = book.properties.modified = moment
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue(), moment)


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """Always a text cell: openpyxl would make ``=…`` a formula, and Excel ``2024-04-12`` a date."""
    cell = WriteOnlyCell(sheet, value=value or None)
    if value:
        cell.data_type = "s"
    return cell
