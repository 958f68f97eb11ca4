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
