"""The output audit: the second lock. Re-read everything in a built site and fail on personal data
or withheld content, however it got there.

It reads the output as files, not records: HTML (text, and attribute values such as ``alt``), XML,
JSON, CSV, text, gzip-compressed files of any name (search index fragments), PDF, DOCX and XLSX, and
every member of a zip or tar archive (the site archive among them), reported as
``ARCHIVE!member:line``. It shares nothing with the renderer; with the records at hand
(``--project``) it also knows the titles and index numbers of 不予公开 records and the bodies of
依申请公开 ones.
"""

from __future__ import annotations

import bisect
import gzip
import html
import io
import os
import re
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from generator import parallel
from generator.diagnostics import Diagnostic, error, position_in_text, warning
from generator.editor.notices import is_notice
from generator.portal import chinese
from generator.safety import extract, privacy

PARALLEL_THRESHOLD = 2000
BATCH = 400
TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".xml",
    ".json",
    ".jsonl",
    ".csv",
    ".txt",
    ".js",
    ".css",
    ".svg",
    ".webmanifest",
    ".md",
}
CODE_SUFFIXES = {".css", ".js", ".mjs", ".map"}
BINARY_SUFFIXES = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".wasm",
}
# Containers: every member is read as a file of its own. A zip is read by its members' names (an
# XLSX or DOCX is a zip too, but is read as a document: see extract.SUPPORTED).
ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")
NESTING = 3  # containers inside containers read this deep; deeper ones are reported unchecked


def is_container(name: str) -> bool:
    return name.lower().endswith(ZIP_SUFFIXES + TAR_SUFFIXES)


# Inline elements join their text with what surrounds them (138<b>0013</b>8000 is one number);
# every other tag separates, so cells and paragraphs never run together. A comment's delimiters
# separate too, and what a comment holds is read as text: it is in the published file.
_INLINE = (
    "a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var"
)
_TAG = re.compile(r"<!--|-->|<(/?)([A-Za-z][A-Za-z0-9-]*)?[^>]*>")
_INLINE_NAMES = frozenset(_INLINE.split("|"))
_ATTRIBUTE = re.compile(
    r'[ \t\n\r](?:alt|title|aria-label|content|value|placeholder|href|data-[A-Za-z0-9_-]+)="([^"]*)"'
)


def html_text(markup: str) -> tuple[str, list[tuple[int, int]]]:
    """The readable text of ``markup``, then its attribute values (each on a line of its own), and
    pieces mapping offsets in that text back to offsets in the markup: (text offset, markup offset)."""
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    attributes: list[tuple[int, str]] = []  # (markup offset of the tag, value)
    length = 0
    pos = 0
    for m in _TAG.finditer(markup):
        if m.start() > pos:
            chunk = html.unescape(markup[pos : m.start()])
            pieces.append((length, pos))
            parts.append(chunk)
            length += len(chunk)
        attributes.extend((m.start(), value) for value in _ATTRIBUTE.findall(m.group()))
        if (m.group(2) or "").lower() not in _INLINE_NAMES:
            parts.append("\n")
            pieces.append((length, m.start()))
            length += 1
        pos = m.end()
    if pos < len(markup):
        pieces.append((length, pos))
        parts.append(html.unescape(markup[pos:]))
        length += len(parts[-1])
    # After the text, not where they stand: inside an inline tag, a value would split the words
    # around it (a withheld title with a link in it).
    for start, value in attributes:
        chunk = "\n" + html.unescape(value)
        pieces.append((length, start))
        parts.append(chunk)
        length += len(chunk)
    return "".join(parts), pieces


_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?![A-Za-z0-9-])[^>]*>", re.IGNORECASE)
# The same for markup whose tag names are all lower case (a built site's): more than twice as fast.
_INLINE_TAG_LOWER = re.compile(rf"</?(?:{_INLINE})(?![A-Za-z0-9-])[^>]*>")
_UPPER_CASE_TAG = re.compile(r"</?[a-z0-9-]*[A-Z]")
_SEPARATOR = re.compile(r"<!--|-->|<[^>]*>")


def quick_text(markup: str) -> str:
    """The text of :func:`html_text` without the position map, at C speed: a few regex passes."""
    inline = _INLINE_TAG if _UPPER_CASE_TAG.search(markup) else _INLINE_TAG_LOWER
    text = _SEPARATOR.sub("\n", inline.sub("", markup))
    return html.unescape("\n".join([text, *_ATTRIBUTE.findall(markup)]))


class Auditor:
    def __init__(self, root: Path, index: privacy.WithheldIndex | None = None) -> None:
        self.root = root
        self.index = index

    def messages(self, text: str, *, code: bool = False) -> list[tuple[int, str]]:
        out = [(f.start, f"输出中有{f.label}“{f.masked}”") for f in privacy.scan(text, code=code)]
        if self.index:
            for hit in self.index.scan(text):
                what = {"title": "名称", "index_no": "索引号", "body": "正文"}[hit.kind]
                kind = "依申请公开" if hit.kind == "body" else "不予公开"
                out.append((hit.start, f"输出中有{kind}条目 {hit.index_no} 的{what}"))
        return out

    def audit_file(self, rel: str) -> list[Diagnostic]:
        path = self.root / rel
        suffix = path.suffix.lower()
        if is_container(rel):
            with path.open("rb") as handle:
                return self._audit_container(rel, rel, handle, 1)
        if suffix in BINARY_SUFFIXES:
            return []
        if suffix in extract.SUPPORTED:
            return self._audit_document(path, rel)
        return self.audit_data(rel, path.read_bytes())

    def audit_members(self, rel: str, names: list[str]) -> list[Diagnostic]:
        """The findings in the members ``names`` of the zip archive ``rel``."""
        with zipfile.ZipFile(self.root / rel) as archive:
            return [
                d for name in names for d in self._audit_member(f"{rel}!{name}", name, archive.read(name), 1)
            ]

    def _audit_container(self, where: str, name: str, handle, depth: int) -> list[Diagnostic]:
        """Every member of the zip or tar archive ``name`` (open as ``handle``), each reported as
        ``where!member``."""
        if depth > NESTING:
            return [warning(where, 1, 1, f"存档嵌套超过 {NESTING} 层，未能检查其中的文件")]
        try:
            return [
                d
                for member, data in _members(name, handle)
                for d in self._audit_member(f"{where}!{member}", member, data, depth)
            ]
        except (
            OSError,
            EOFError,
            zlib.error,
            zipfile.BadZipFile,
            tarfile.TarError,
            NotImplementedError,
        ) as exc:
            return [warning(where, 1, 1, f"存档无法读取（{type(exc).__name__}），未能检查其中的文件")]

    def _audit_member(self, where: str, name: str, data: bytes, depth: int) -> list[Diagnostic]:
        """A file read from inside an archive, as :meth:`audit_file` reads one in the site."""
        suffix = Path(name).suffix.lower()
        if PRINTED_REPORT.fullmatch(name):
            return []  # as in the site (see audit_site)
        if is_container(name):
            return self._audit_container(where, name, io.BytesIO(data), depth + 1)
        if suffix in BINARY_SUFFIXES:
            return []
        if suffix in extract.SUPPORTED:  # the document parsers read files
            with tempfile.TemporaryDirectory() as tmp:
                copy = Path(tmp) / f"member{suffix}"
                copy.write_bytes(data)
                return self._audit_document(copy, where)
        return self._audit_bytes(where, name, data)

    def audit_data(self, rel: str, data: bytes) -> list[Diagnostic]:
        """The findings in ``data``, the bytes of the text file ``rel`` (as :meth:`audit_file`
        reads it): how the build audits a page it has just written without reading it back."""
        return self._audit_bytes(rel, rel, data)

    def _audit_bytes(self, where: str, name: str, data: bytes) -> list[Diagnostic]:
        """The findings in ``data``, the bytes of the file at ``name`` in the site, reported as ``where``."""
        if is_notice(name, data):
            return []  # the editor's vendored licence notices, exactly as packaged
        suffix = Path(name).suffix.lower()
        if data[:2] == b"\x1f\x8b":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError, zlib.error):
                return [warning(where, 1, 1, "压缩文件无法解压，未能检查")]
            if b"\x00asm" in data[:64]:
                return []  # compiled code (the search engine's WebAssembly)
            return self._audit_text(data.decode("utf-8", "replace"), where, markup=False)
        if suffix not in TEXT_SUFFIXES and b"\x00" in data[:1024]:
            return []  # some other binary file
        text = data.decode("utf-8", "replace")
        if name.startswith(chinese.PREFIX):
            # A 繁體 page is read back in simplified characters, as the records were written, so
            # withheld text converted to traditional characters is still recognised.
            text = chinese.to_simplified(text)
        return self._audit_text(
            text, where, markup=suffix in (".html", ".htm", ".svg", ".xml"), code=suffix in CODE_SUFFIXES
        )

    def _workbook_cells(self, path: Path):
        """A workbook's cells that need a look: a row is scanned as one text (an open-data export
        has a million cells), and only a row with a finding is read again cell by cell."""
        for sheet, cells in extract.xlsx_rows(path):
            if self.messages(extract.ROW_SEPARATOR.join(text for _, text in cells)):
                for coordinate, text in cells:
                    yield f"工作表“{sheet}”单元格 {coordinate}", text

    def _audit_text(self, raw: str, rel: str, *, markup: bool, code: bool = False) -> list[Diagnostic]:
        if not markup:
            return [
                error(rel, *position_in_text(raw, start), message)
                for start, message in self.messages(raw, code=code)
            ]
        # Most pages hold nothing: a quick pass decides, and only a page with a finding is read
        # again with a map from its text back to its lines and columns.
        if not self.messages(quick_text(raw)):
            return []
        text, pieces = html_text(raw)
        found = []
        keys = [p[0] for p in pieces]
        for start, message in self.messages(text):
            i = bisect.bisect_right(keys, start) - 1
            offset = pieces[i][1] + (start - pieces[i][0]) if i >= 0 else 0
            found.append(error(rel, *position_in_text(raw, min(offset, len(raw))), message))
        return found

    def _audit_document(self, path: Path, rel: str) -> list[Diagnostic]:
        pieces = self._workbook_cells(path) if path.suffix.lower() == ".xlsx" else extract.extract(path)
        try:
            return [
                error(rel, 1, 1, f"{where}：{message}")
                for where, text in pieces
                for _, message in self.messages(text)
            ]
        except extract.Unreadable as exc:
            return [warning(rel, 1, 1, f"无法检查：{exc}")]


def _members(name: str, handle) -> Iterator[tuple[str, bytes]]:
    """The files in the zip or tar archive ``name`` open as ``handle``: (path in it, bytes)."""
    if name.lower().endswith(ZIP_SUFFIXES):
        with zipfile.ZipFile(handle) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, archive.read(info)
        return
    with tarfile.open(fileobj=handle, mode="r:*") as archive:
        for member in archive:
            if member.isfile():
                extracted = archive.extractfile(member)
                if extracted is not None:
                    yield member.name, extracted.read()


def site_files(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = Path(dirpath).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found.extend(prefix + name for name in sorted(filenames))
    return found


def _audit_batch(auditor: Auditor, items: list) -> list[Diagnostic]:
    """Audit files (a path) and members of zip archives ((path, member names))."""
    found = []
    for item in items:
        found += auditor.audit_file(item) if isinstance(item, str) else auditor.audit_members(*item)
    return found


def _zip_batches(root: Path, rel: str) -> list | None:
    """The members of the large zip archive ``rel`` in batches, for the workers to share; None if it
    cannot be opened (it is then audited whole, which reports why)."""
    try:
        with zipfile.ZipFile(root / rel) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (OSError, zipfile.BadZipFile):
        return None
    return [[(rel, batch)] for batch in parallel.batches(names, BATCH)]


LARGE_FILE = 1 << 20  # bytes

PRINTED_REPORT = re.compile(r"agencies/([a-z0-9-]+)/reports/(\d{4})/\1-\2-nianbao\.pdf")


def audit_site(
    root: Path,
    index: privacy.WithheldIndex | None = None,
    files: list[str] | None = None,
    *,
    jobs: int | None = None,
) -> list[Diagnostic]:
    """Every finding in the built site at ``root`` (or in ``files`` of it), sorted.

    The annual reports' PDFs that Gongkai prints (``PRINTED_REPORT``) are not re-read: text extracted
    from a PDF runs table cells together ("15 2 0 0 ...") into what reads as phone or ID numbers.
    Everything in them came from report files the safety gate scanned (their prose and attachments)
    and from numbers the model admits as counts, and the same text is on the report's HTML page,
    which is audited. Only Gongkai writes files at that path: attachments are published under
    ``files/``, and content/ publishes only pages and ``assets/``."""
    auditor = Auditor(root, index)
    files = site_files(root) if files is None else sorted(files)
    files = [f for f in files if not PRINTED_REPORT.fullmatch(f)]
    workers = parallel.workers(jobs)
    if workers < 2:
        return sorted(_audit_batch(auditor, files))
    # A large file (an open-data export of the whole catalogue) is a batch of its own, handed out
    # first, so the workers share the big files instead of one of them reading them all; a few
    # large files are worth the workers too (a rebuild after one edit audits the portal's).
    sizes = {f: (root / f).stat().st_size for f in files}
    large = sorted((f for f in files if sizes[f] >= LARGE_FILE), key=lambda f: -sizes[f])
    if len(files) < PARALLEL_THRESHOLD and len(large) < 2:
        return sorted(_audit_batch(auditor, files))
    small = [f for f in files if sizes[f] < LARGE_FILE]
    batches: list[list] = []
    for f in large:
        members = _zip_batches(root, f) if f.lower().endswith(ZIP_SUFFIXES) else None
        batches += members if members is not None else [[f]]
    batches += parallel.batches(small, BATCH)
    return sorted(d for batch in parallel.fork_map(_audit_batch, auditor, batches, workers) for d in batch)
