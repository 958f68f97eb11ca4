"""Text of attachments, for the privacy scanner: PDF (pypdf), DOCX (python-docx), XLSX (openpyxl).

Each yields ``(where, text)`` pieces, ``where`` naming the page, paragraph or cell in Chinese. A file
whose text cannot be read (an encrypted PDF, a scanned image with no text layer, a broken file)
raises :class:`Unreadable`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

SUPPORTED = {".pdf", ".docx", ".xlsx"}


class Unreadable(Exception):
    pass


def extract(path: Path) -> Iterator[tuple[str, str]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            yield from _pdf(path)
        elif suffix == ".docx":
            yield from _docx(path)
        elif suffix == ".xlsx":
            yield from _xlsx(path)
    except Unreadable:
        raise
    except Exception as exc:  # any parser failure means: this file was not checked
        raise Unreadable(f"无法读取（{type(exc).__name__}）") from None


def _pdf(path: Path) -> Iterator[tuple[str, str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        raise Unreadable("PDF 已加密")
    found_text = False
    for number, page in enumerate(reader.pages, 1):
        # pypdf may interleave NULs in CID-font text; the characters themselves are intact.
        text = page.extract_text().replace("\x00", "")
        found_text = found_text or bool(text.strip())
        yield f"第 {number} 页", text
    if not found_text:
        raise Unreadable("PDF 没有文字层（可能是扫描件）")


def _docx(path: Path) -> Iterator[tuple[str, str]]:
    import docx

    document = docx.Document(str(path))
    for number, paragraph in enumerate(document.paragraphs, 1):
        yield f"第 {number} 段", paragraph.text
    for t, table in enumerate(document.tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                yield f"表格 {t} 第 {r} 行第 {c} 列", cell.text


def _xlsx(path: Path) -> Iterator[tuple[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield f"工作表“{sheet.title}”单元格 {cell.coordinate}", str(cell.value)
    workbook.close()


_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
ROW_SEPARATOR = " ｜ "  # between cells: no number, sentence or title runs across it


def xlsx_rows(path: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """An XLSX file's cells row by row, straight from its XML: for large workbooks, where reading
    cell by cell through openpyxl costs seconds per ten thousand rows. Yields the sheet's name and
    the row's (coordinate, text) pairs; a cell's text is its shared or inline string, or its value.
    """
    import posixpath
    import zipfile
    from xml.etree.ElementTree import fromstring, iterparse

    try:
        archive = zipfile.ZipFile(path)
        names = set(archive.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            with archive.open("xl/sharedStrings.xml") as handle:
                for _, element in iterparse(handle):
                    if element.tag == f"{_SHEET}si":
                        shared.append("".join(t.text or "" for t in element.iter(f"{_SHEET}t")))
                        element.clear()
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "") for r in rels}
        workbook = fromstring(archive.read("xl/workbook.xml"))
        for sheet in workbook.iter(f"{_SHEET}sheet"):
            target = targets.get(sheet.get(f"{_REL}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            with archive.open(part) as handle:
                for _, element in iterparse(handle):
                    if element.tag != f"{_SHEET}row":
                        continue
                    cells = []
                    for cell in element.iter(f"{_SHEET}c"):
                        if cell.get("t") == "s":
                            value = cell.findtext(f"{_SHEET}v")
                            text = shared[int(value)] if value and value.isdigit() else ""
                        elif cell.get("t") == "inlineStr":
                            text = "".join(t.text or "" for t in cell.iter(f"{_SHEET}t"))
                        else:
                            text = cell.findtext(f"{_SHEET}v") or ""
                        if text:
                            cells.append((cell.get("r", ""), text))
                    yield sheet.get("name", ""), cells
                    element.clear()
    except Exception as exc:  # any parser failure means: this file was not checked
        raise Unreadable(f"无法读取（{type(exc).__name__}）") from None
