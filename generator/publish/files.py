"""The portal's files besides its pages: the open data files (made row by row, each row audited
once and cached), the DCAT catalogue, the feeds, the sitemaps and the annual reports' downloads.
Each is keyed, so a rebuild leaves a file whose key is unchanged where it is in the live site."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import shutil
import tempfile
import time
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from generator import cache
from generator.annual import export
from generator.annual import pages as annual_pages
from generator.annual.pdf import PrintedReports
from generator.errors import naming
from generator.exports import dcat, feeds, normative, opendata, sitemaps
from generator.portal.plan import PublicEntry, SitePlan
from generator.publish import archive
from generator.publish.state import PreviousBuild, SiteInfo, StageTimes, Written, timed, unchanged
from generator.safety import audit


@dataclass
class DataResult:
    sizes: dict[str, int]  # open data URL -> bytes
    written: Written
    times: StageTimes


@dataclass(frozen=True)
class DataJob:
    """What writing the data files needs."""

    plan: SitePlan
    out: Path
    previous: PreviousBuild | None
    site: SiteInfo


def write_data_files(job: DataJob, _: None = None) -> DataResult:
    """Write the open data files, hashed and audited as they are made (see write_open_data), then
    the DCAT catalogue, the feeds and the sitemaps."""
    plan, out, previous, site = job.plan, job.out, job.previous, job.site
    times = StageTimes()
    start = time.perf_counter()
    sizes, written = write_open_data(plan, out, previous, site, audit.Auditor(out, plan.withheld))
    times.seconds["opendata"] = time.perf_counter() - start
    times.counts["opendata"] = len(sizes)

    def syndication() -> int:
        extra = []
        if site.archive:
            extra.append(
                dcat.Extra(
                    "archive",
                    f"{site.name}整站存档",
                    "本网站全部文件的 ZIP 存档，分为若干部分；此清单列出各部分的地址和 SHA-256。",
                    [(archive.PARTS, "text/plain")],
                )
            )
        about = dcat.Catalogue(site.name, site.url, sizes, site.publisher, site.license)
        catalogue = dcat.render_dcat(plan, about, extra)
        write_file(out, opendata.DCAT, catalogue)
        return write_syndication(plan, out, site, Unless(previous, written, withheld_key(plan))) + 1

    times.counts["feeds"] = timed(times, "feeds", syndication)
    unless = Unless(previous, written, withheld_key(plan))
    for agency_id in plan.agencies:  # 现行有效规范性文件目录
        source, makers = normative.downloads(plan, agency_id, site.url)
        for url, make in makers.items():
            unless.write_made(out, url, source, make)
    return DataResult(sizes, written, times)


def withheld_key(plan: SitePlan) -> str:
    return plan.withheld.key if plan.withheld is not None else ""


@dataclass(frozen=True)
class Unless:
    """Writes a file unless the live site holds it with the same bytes, audited against the same
    withheld set: it is made again every build (cheaply), but not written, audited and put in
    place again (the sitemaps of a large portal are 90 MB, nearly all unchanged by a new entry)."""

    previous: PreviousBuild | None
    written: Written
    withheld: str  # the withheld set's key

    def write(self, out: Path, url: str, data: bytes) -> bool:
        return self.write_made(out, url, data, lambda: data)

    def write_made(self, out: Path, url: str, source: bytes | str, make: Callable[[], bytes]) -> bool:
        """Write what ``make`` makes from ``source`` (all it is made from), unless the live site
        holds the file made from the same."""
        key = cache.digest(self.withheld, url, source)
        self.written.keys[url] = key
        if unchanged(self.previous, url, key):
            return False
        write_file(out, url, make())
        return True


def write_syndication(plan: SitePlan, out: Path, site: SiteInfo, unless: Unless) -> int:
    """The Atom feeds, the sitemaps (when the site's address is known) and robots.txt; returns
    how many were written."""
    made: dict[str, bytes] = {}
    planned = feeds.plan_feeds(plan, site.name)
    for feed in planned:
        made[feed.url] = feeds.render_feed(plan, feed, site.url, site.name)
    made["robots.txt"] = sitemaps.robots_txt(site.url)
    count = sum(unless.write(out, url, data) for url, data in made.items())
    if site.url:
        entries, pages = sitemaps.sitemap_pages(plan, site.editorial)
        dated = [(feed.url, max((e.sort_date for e in feed.entries), default=None)) for feed in planned]
        maps = sitemaps.plan_sitemaps(
            pages, site.url, entries=entries, traditional=site.traditional, feeds=dated
        )
        count += sum(unless.write_made(out, url, source, make) for url, (source, make) in maps.items())
    return count


def described_csv(plan: SitePlan) -> list[tuple[str, str, dict]]:
    """The CSV files besides the catalogues that the CSVW description lists, with their schemas:
    each agency's 现行有效规范性文件目录 and the annual reports' tables."""
    described = [
        (normative.file_url(a, "csv"), normative.title(plan, a), normative.csvw_schema())
        for a in plan.agencies
    ]
    for agency_id, reports in plan.reports.items():
        for e in reports:
            if e.report.tables is not None:  # as write_report_files writes them
                url = annual_pages.download_name(agency_id, e.report.year, "csv")
                described.append((url, e.entry.title, export.csvw_schema()))
    return described


def write_report_files(
    plan: SitePlan, out: Path, previous: PreviousBuild | None = None, *, jobs: int | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """Write each annual report's PDF, CSV, XLSX and JSON, and the JSON Schemas.

    Returns each download's size and its key by URL. A download whose key is unchanged since the
    previous build is left where it is in the live site (a PDF takes a fraction of a second); a PDF
    printed before under the same key is taken from the cache (see PrintedReports). The PDFs to
    print are printed together, in ``jobs`` worker processes (None: one per CPU) when several.
    """
    sizes: dict[str, int] = {}
    keys: dict[str, str] = {}
    printed = PrintedReports(plan.project.root)
    pdfs: dict[str, list[str]] = {}  # key -> the URLs of the PDFs to write
    to_print: dict[str, Callable[[], str]] = {}  # key -> the HTML of its report, to print if not kept
    for fmt in ("2021", "2019"):
        write_file(out, annual_pages.schema_url(fmt), export.json_schema(fmt))
    for agency_id, reports in plan.reports.items():
        agency = plan.agencies[agency_id]
        for e in reports:
            record = e.report
            attachments = [(a.file, a.title) for a in record.report.attachments]
            key = cache.key(record.digest, agency.model_dump_json(), repr(attachments), e.entry.title)
            for ext, _ in annual_pages.DOWNLOADS:
                if ext != "pdf" and record.tables is None:
                    continue
                url = annual_pages.download_name(agency_id, record.year, ext)
                keys[url] = key
                if previous is not None and unchanged(previous, url, key):
                    sizes[url] = (previous.site / url).stat().st_size
                    continue
                if ext == "pdf":
                    pdfs.setdefault(key, []).append(url)
                    to_print[key] = lambda e=e: annual_pages.print_html(plan, e)
                    continue
                data = _report_download(plan, e, ext)
                write_file(out, url, data)
                sizes[url] = len(data)
    for key, data in printed.pdfs(to_print, jobs):
        for url in pdfs[key]:
            write_file(out, url, data)
            sizes[url] = len(data)
    printed.keep_only(keys.values())
    return sizes, keys


def write_open_data(
    plan: SitePlan, out: Path, previous: PreviousBuild | None, site: SiteInfo, auditor: audit.Auditor
) -> tuple[dict[str, int], Written]:
    """The catalogue's open data files for the portal and each agency, with their schemas.

    Returns each file's size by URL, and what was written: each file's key, and the digests and
    audit findings of the files written. A scope whose entries did not change keeps its files from
    the live site. The DCAT catalogue is written later, once every size is known.

    Each record's row (its JSON line, CSV record and sheet row) is made and audited once, and kept
    in the cache, per agency, with the audit's verdict: a rebuild after one edit makes one row and
    joins the rest. A file made only of rows the audit passed is not audited again; a file with a
    row the audit flagged is audited whole, so the finding is reported at its line in the file. No
    finding can span two rows: each row begins with its 索引号 field, after the JSON or CSV syntax
    that ends the row before it, and a workbook is audited row by row anyway.

    Memory holds one agency's rows at a time: each agency's files are written from its rows, which
    are then put aside on disk (see :class:`_Spool`) for the portal's files, written last.
    """
    sizes: dict[str, int] = {}
    written = Written()

    def put(url: str, data: bytes) -> None:
        """Write, hash and audit the file."""
        write_file(out, url, data)
        written.digests[url] = hashlib.sha256(data).hexdigest()
        written.findings += auditor.audit_data(url, data)

    put(opendata.SCHEMA, opendata.json_schema())
    put(opendata.CSVW, opendata.csvw(plan, site.url, described_csv(plan)))
    # A row is made from its record, its page's URL and agency, and which of its related
    # documents are public: that text is its key (a digest of 100,000 of them cost a second).
    row_keys = {
        e.entry.index_no: e.row_key
        + "".join(f"\t{r.index_no}" for r in e.entry.related if r.index_no in plan.by_index)
        for e in plan.entries
    }
    rows = _RowCache(plan, site, auditor)
    headers_clean = not any(auditor.messages(text) for text in opendata.header_texts())
    scopes = []
    for agency_id, folder in opendata.scopes(plan):
        scope = _Scope(plan, site, agency_id, folder)
        # The rows' context: every row names its agency, and was audited against the withheld set.
        joined = "\n".join(row_keys[e.entry.index_no] for e in scope.entries)
        key = cache.key(rows.context, scope.name, joined)
        for url in scope.files:
            written.keys[url] = key
        scope.todo = not all(unchanged(previous, url, key) for url in scope.files)
        if not scope.todo:
            for url in scope.files:
                sizes[url] = (previous.site / url).stat().st_size  # type: ignore[union-attr]
        scopes.append(scope)

    def write_scope(scope: _Scope, rows_in: Callable[[str], Sequence[bytes]], clean: bool) -> None:
        for url, ext in scope.files.items():
            path = out / url
            path.parent.mkdir(parents=True, exist_ok=True)
            with naming(path), path.open("wb") as target:
                opendata.write(ext, target, rows_in(ext), scope.title, scope.moment)
            with path.open("rb") as made:
                written.digests[url] = hashlib.file_digest(made, "sha256").hexdigest()
            sizes[url] = path.stat().st_size
            if not clean:  # a workbook is read back as a spreadsheet program reads it, cell by cell
                written.findings += auditor.audit_file(url)

    portal, *agencies = scopes
    with _Spool(out) if portal.todo else contextlib.nullcontext() as spool:
        for scope in agencies:
            if scope.todo or spool is not None:
                made = [rows.get(e, row_keys[e.entry.index_no]) for e in scope.entries]
                if scope.todo:
                    agency_rows = [row for row, _ in made]
                    clean = headers_clean and all(passed for _, passed in made)
                    write_scope(scope, functools.partial(opendata.row_bytes, agency_rows), clean)
                if spool is not None:
                    spool.add(scope.entries, made)
            rows.done(scope.agency_id)  # type: ignore[arg-type]
        if spool is not None:
            assert len(spool) == len(portal.entries)  # the agencies' scopes share out the portal's
            write_scope(portal, spool.rows, headers_clean and spool.clean)
    return sizes, written


class _Scope:
    """The open data files of the portal (``agency_id`` None) or of one agency."""

    def __init__(self, plan: SitePlan, site: SiteInfo, agency_id: str | None, folder: str) -> None:
        self.agency_id = agency_id
        self.name = plan.agencies[agency_id].name if agency_id else site.name
        self.title = f"{self.name}政府信息公开目录"
        self.entries = opendata.scope_entries(plan, agency_id)
        self.files = {opendata.file_url(folder, ext): ext for ext, _, _ in opendata.FORMATS}
        by_date = plan.entries_of(agency_id) if agency_id else plan.entries
        newest = by_date[0].sort_date if by_date else plan.project.now.date
        self.moment = datetime.combine(newest, datetime.min.time())
        self.todo = True  # whether its files are to be written (else the live site's are kept)


_EXTS = tuple(ext for ext, _, _ in opendata.FORMATS)


class _Spool:
    """The portal's rows, put aside on disk as each agency's are made (a million rows are
    gigabytes), and read back in 索引号 order: one file per format, each row's length kept.
    It lives in a folder inside the output directory, removed once the portal's files are
    written; a build that fails before removes the staging directory, and the folder with it."""

    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=".open-data-rows-", dir=out))
        self.files = {ext: (self.folder / ext).open("w+b") for ext in _EXTS}
        self.lengths = {ext: array("Q") for ext in _EXTS}
        self.index_nos: list[str] = []
        self.clean = True  # whether the audit passed every row
        self._order: list[int] | None = None

    def __enter__(self) -> _Spool:
        return self

    def __exit__(self, *_) -> None:
        for handle in self.files.values():
            handle.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __len__(self) -> int:
        return len(self.index_nos)

    def add(self, entries: list[PublicEntry], made: list[tuple[opendata.Row, bool]]) -> None:
        for e, (row, passed) in zip(entries, made, strict=True):
            self.index_nos.append(e.entry.index_no)
            self.clean = self.clean and passed
            for ext in _EXTS:
                data = getattr(row, ext)
                self.files[ext].write(data)
                self.lengths[ext].append(len(data))

    def rows(self, ext: str) -> Sequence[bytes]:
        """The rows' bytes in the format ``ext``, in 索引号 order."""
        if self._order is None:
            self._order = sorted(range(len(self.index_nos)), key=self.index_nos.__getitem__)
        self.files[ext].flush()
        lengths = self.lengths[ext]
        starts = array("Q", itertools.accumulate(lengths, initial=0))
        return _SpooledRows(self.folder / ext, starts, lengths, self._order)


class _SpooledRows(Sequence[bytes]):
    """Rows read back from a spool file, in ``order``. Read, not mapped: a mapped file counts in
    the process's memory for as long as it is mapped. Rows in 索引号 order mostly follow each
    other in the file (an agency's numbers sort together), so most reads need no seek."""

    def __init__(self, path: Path, starts: array, lengths: array, order: list[int]) -> None:
        self.path, self.starts, self.lengths, self.order = path, starts, lengths, order

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, i):  # type: ignore[override]
        n = self.order[i]
        with self.path.open("rb") as handle:
            handle.seek(self.starts[n])
            return handle.read(self.lengths[n])

    def __iter__(self) -> Iterator[bytes]:
        starts, lengths = self.starts, self.lengths
        with self.path.open("rb", buffering=1 << 20) as handle:
            at = 0
            for n in self.order:
                if starts[n] != at:
                    handle.seek(starts[n])
                at = starts[n] + lengths[n]
                yield handle.read(lengths[n])


ROWS_CACHE = "opendata-rows"


class _RowCache:
    """Each record's open data row, kept per agency between builds with the audit's verdict on it:
    rows are reused only under the same code, site address, agency names and withheld set. An
    agency's rows are held from its first row asked for until :meth:`done`."""

    def __init__(self, plan: SitePlan, site: SiteInfo, auditor: audit.Auditor) -> None:
        self.plan, self.site, self.auditor = plan, site, auditor
        names = repr(sorted((a, agency.name) for a, agency in plan.agencies.items()))
        withheld = withheld_key(plan)
        self.context = cache.digest(repr(site.url), names, withheld)
        self.stored: dict[str, dict[str, tuple[bytes, bytes, bytes]]] = {}
        self.kept: dict[str, dict[str, tuple[bytes, bytes, bytes]]] = {}

    def _stored(self, agency_id: str) -> dict[str, tuple[bytes, bytes, bytes]]:
        if agency_id not in self.stored:
            value = cache.load(self.plan.project.root, f"{ROWS_CACHE}-{agency_id}")
            ok = isinstance(value, dict) and value.get("context") == self.context
            self.stored[agency_id] = value["rows"] if ok else {}
            self.kept[agency_id] = {}
        return self.stored[agency_id]

    def get(self, e: PublicEntry, key: str) -> tuple[opendata.Row, bool]:
        """The entry's row, and whether the audit passed it."""
        stored = self._stored(e.agency_id)
        if key in stored:
            self.kept[e.agency_id][key] = stored[key]
            return opendata.Row(*stored[key]), True
        row = opendata.Row.of(opendata.record(self.plan, e, self.site.url))
        passed = not any(self.auditor.messages(text) for text in row.texts())
        if passed:  # a row with a finding is never kept: every build reports it until fixed
            self.kept[e.agency_id][key] = (row.jsonl, row.csv, row.xlsx)
        return row, passed

    def done(self, agency_id: str) -> None:
        """Save the agency's rows if they changed, and let them go."""
        if agency_id not in self.stored:
            return  # none asked for: its cache is as it was
        kept, stored = self.kept.pop(agency_id), self.stored.pop(agency_id)
        if kept.keys() != stored.keys():
            value = {"context": self.context, "rows": kept}
            cache.save(self.plan.project.root, f"{ROWS_CACHE}-{agency_id}", value)


def _report_download(plan: SitePlan, e, ext: str) -> bytes:
    record, agency = e.report, plan.agencies[e.agency_id]
    if ext == "csv":
        return export.to_csv(record, agency)
    if ext == "xlsx":
        return export.to_xlsx(record, agency, annual_pages.grids(e), e.entry.title)
    return export.to_json(record, agency, e.url)


def write_file(out: Path, url: str, data: bytes) -> None:
    path = out / url
    path.parent.mkdir(parents=True, exist_ok=True)
    with naming(path):
        path.write_bytes(data)
