"""Print an annual report to PDF with WeasyPrint, and keep what was printed.

WeasyPrint lays out the same HTML and CSS the portal uses (no browser at build time), embeds
subsets of the fonts it uses (Debian's fonts-noto-cjk: Noto Serif CJK SC for the text, Noto Sans
CJK SC for headings), keeps the text selectable, and writes the document metadata from the
page's ``<title>`` and ``<meta>`` tags. Its output is byte-identical for the same input. It is
imported only when a PDF is made: importing it takes a second.

The PDF is tagged as PDF/UA-1 (``pdf_variant="pdf/ua-1"``): a structure tree built from the HTML
(headings, lists, and tables with their header cells), the document language from ``<html lang>``,
and the title shown in the reader's window, so screen readers can read the official tables.

Printing takes about 0.3 to 0.7 s a report, so printed reports are kept in
``.gongkai-cache/report-pdfs/`` by the key of the report they print (:class:`PrintedReports`):
``gongkai build`` and the preview of ``gongkai serve`` print a report only when it changed,
whichever of them printed it last. The reports that must be printed are printed together
(:meth:`PrintedReports.pdfs`), by forked worker processes when there are several.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path

from generator import cache, parallel

PDF_CACHE = "report-pdfs"
# Reports to print: from this many on, and with two workers or more, they are printed by forked
# worker processes. A fork costs milliseconds; a report, a few tenths of a second.
PARALLEL_THRESHOLD = 2


def to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


class PrintedReports:
    """The report PDFs printed by the last build or preview, each named by the key of its report
    (a digest of everything the report's downloads are made from, the code among it) and
    WeasyPrint's version. Keys are content: a PDF found under its key is the one printing would
    give, so sharing the folder between builds and previews is safe."""

    def __init__(self, root: Path) -> None:
        self.folder = cache.cache_path(root, PDF_CACHE)
        self.printed = 0  # PDFs printed (not found in the folder) by this build

    def pdfs(
        self, reports: dict[str, Callable[[], str]], jobs: int | None = None
    ) -> Iterator[tuple[str, bytes]]:
        """Each report's key and PDF, as they come: kept, or printed from its ``html()`` and kept.
        The reports not kept are printed in ``jobs`` forked worker processes (None: one per CPU)
        when there are at least PARALLEL_THRESHOLD of them; a PDF is the same bytes whichever
        process printed it."""
        missing: list[str] = []
        for key in reports:
            try:
                data = self._path(key).read_bytes()
            except OSError:
                missing.append(key)
                continue
            yield key, data
        if not missing:
            return
        pages = (reports[key]() for key in missing)  # the HTML is made here, from the plan
        workers = min(parallel.workers(jobs), len(missing))
        if workers < 2 or len(missing) < PARALLEL_THRESHOLD:
            printed = map(to_pdf, pages)
        else:
            import weasyprint  # noqa: F401  # imported once, here: the forked workers inherit it

            printed = parallel.fork_map(_print, None, pages, workers, ordered=True)
        for key, data in zip(missing, printed, strict=True):
            self.printed += 1
            self._keep(key, data)
            yield key, data

    def _path(self, key: str) -> Path:
        return self.folder / f"{self._name(key)}.pdf"

    def _keep(self, key: str, data: bytes) -> None:
        path = self._path(key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # a reader sees the whole PDF or none
        except OSError:
            pass  # a read-only checkout prints every time

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget the PDFs of reports that are no longer as ``keys`` say (edited or removed)."""
        wanted = {f"{self._name(key)}.pdf" for key in keys}
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(".pdf") and name not in wanted:
                (self.folder / name).unlink(missing_ok=True)

    @staticmethod
    def _name(key: str) -> str:
        return cache.digest(key, _weasyprint_version())


def _print(_: None, html: str) -> bytes:
    """A worker's part of :meth:`PrintedReports.pdfs`: one report printed."""
    return to_pdf(html)


def _weasyprint_version() -> str:
    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "-"
