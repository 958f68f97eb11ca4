"""Reading a catalogue sheet (XLSX or CSV) row by row, every cell with its place.

A place is what the clerk finds in the sheet: ``Sheet1!D17`` in a workbook (``Sheet1!17:17`` for
a whole row), the line number in a CSV file, where a cell may span lines (a record is placed at its
first line). Problems are :class:`CellProblem`, printed ``FILE:PLACE: error: MESSAGE``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError

from generator.diagnostics import Severity
from generator.errors import GongkaiError
from generator.exports.cells import from_spreadsheet

WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")
ENCODINGS = ("utf-8", "gb18030")  # tried in this order when there is no byte-order mark


@dataclass(frozen=True, order=True)
class CellProblem:
    """A problem at a row (``col`` 0) or a cell of a sheet; rows and columns are 1-based."""

    row: int
    col: int
    place: str
    severity: Severity
    message: str

    def format_text(self, file: str) -> str:
        return f"{file}:{self.place}: {self.severity.value}: {self.message}"


@dataclass
class Table:
    """An open sheet: its rows as (row number, cells), read once, in order."""

    file: str  # as the clerk named it, for messages
    sheet: str | None  # None for CSV
    rows: Iterator[tuple[int, list[object]]]
    total: int | None = None  # the number of rows, when known before reading them
    closers: list = field(default_factory=list)

    def place(self, row: int, col: int = 0) -> str:
        if self.sheet is None:
            return str(row)
        if col == 0:
            return f"{self.sheet}!{row}:{row}"
        return f"{self.sheet}!{get_column_letter(col)}{row}"

    def named(self, row: int, col: int = 0) -> str:
        """A place as a message names it: ``Sheet1!B5``, or ``第 5 行`` in a CSV file."""
        return f"第 {row} 行" if self.sheet is None else self.place(row, col)

    def problem(self, row: int, col: int, message: str, severity: Severity = Severity.ERROR) -> CellProblem:
        return CellProblem(row, col, self.place(row, col), severity, message)

    def close(self) -> None:
        for close in self.closers:
            close()


def open_table(path: Path, sheet: str | None = None) -> Table:
    """The sheet to import from ``path``: a workbook (.xlsx, .xls or .ods; its first sheet, or
    ``sheet``) or a .csv file in UTF-8 (with or without a byte-order mark) or GB18030."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise GongkaiError(f"文件不存在：{path}")
    if suffix in WORKBOOKS:
        return _open_workbook(path, sheet)
    if suffix == ".csv":
        if sheet is not None:
            raise GongkaiError("--sheet 只用于工作簿，CSV 文件只有一张表")
        return _open_csv(path)
    if suffix in (".xls", ".et", ".ods", ".wps"):
        raise GongkaiError(
            f"不能读取 {suffix} 文件：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV（UTF-8）后再导入"
        )
    raise GongkaiError(f"只能导入 .xlsx 或 .csv 文件，实为“{path.name}”")


def _open_workbook(path: Path, sheet: str | None) -> Table:
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, PasswordError, XmlError, ZipError, OSError, ValueError) as exc:
        raise GongkaiError(
            f"无法读取工作簿 {path.name}：{exc}。请在 Excel 或 WPS 中打开后另存为 .xlsx"
        ) from None
    names = book.sheet_names
    if sheet is not None and sheet not in names:
        book.close()
        raise GongkaiError(f"工作簿 {path.name} 中没有工作表“{sheet}”；已有的工作表：{'、'.join(names)}")
    ws = book.get_sheet_by_name(sheet) if sheet is not None else book.get_sheet_by_index(0)
    # Without skipping the empty rows and columns before the first used cell, row i is row i + 1.
    cells = ws.to_python(skip_empty_area=False)
    rows = (
        (number, [None if cell == "" else cell for cell in line])
        for number, line in enumerate(cells, start=1)
    )
    return Table(str(path), ws.name, rows, len(cells), [book.close])


def decode_csv(raw: bytes, name: str) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GongkaiError(f"无法识别 {name} 的编码：请另存为“CSV UTF-8（逗号分隔）”后再导入")


def _open_csv(path: Path) -> Table:
    text = decode_csv(path.read_bytes(), path.name)
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    return Table(str(path), None, _csv_rows(text), total)


def _csv_rows(text: str) -> Iterator[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for cells in reader:
            yield start, [from_spreadsheet(cell) for cell in cells]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise GongkaiError(
            f"CSV 文件第 {start} 行格式有误：{exc}。请在 Excel 或 WPS 中打开后重新另存为 CSV"
        ) from None
