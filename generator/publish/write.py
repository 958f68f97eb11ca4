"""Write the portal's record pages and files into an output directory, and swap it into place.

``write_portal`` renders every entry page, listing page, agency page and guide into the shell and
copies the files that may be published (attachments of 主动公开 entries, guides' application
forms), in worker processes when there are many pages. ``swap_into_place`` replaces the live site
only once a build has fully succeeded.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator import cache, search
from generator.annual import export
from generator.annual import pages as annual_pages
from generator.annual.pdf import to_pdf
from generator.exports import feeds, opendata, sitemaps
from generator.portal import hant, render, urls
from generator.portal.plan import PublicEntry, SitePlan
from generator.portal.shell import Shell
from generator.publish import archive, tidy
from generator.records import clock
from generator.records.project import Project
from generator.safety import audit

PARALLEL_THRESHOLD = 2000
DATA_NICENESS = 10  # the open data process's, in a rebuild (see write_portal)
BATCH = 500
BUILD_CACHE = "build.pickle"  # in .gongkai-cache/: what the live site was built from


@dataclass
class StageTimes:
    """What each stage took, for the benchmark and the log."""

    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteInfo:
    """What the portal's files need from the site configuration."""

    name: str = "政府信息公开"
    url: str | None = None  # site_url: absolute links in sitemaps and feeds; none without it
    editorial: frozenset[str] = frozenset()  # URLs of the pages built from content/
    # Written by the plugin once the site is complete and audited: the zip of the whole site, and
    # SHA256SUMS. Pages link to them only when they will be there.
    archive: bool = False
    manifest: bool = False
    archive_date: str = ""  # the date of the archive: this build's (it is rewritten by every build)
    traditional: bool = False  # every page also in traditional characters, under zh-hant/


# A page job: ("entry", index in plan.entries) | ("listing", listing index, page, ascending) | ...
Job = tuple


@dataclass
class PreviousBuild:
    """What the last successful build left in the live site: each record page's key, every output
    file, and a digest of all its inputs. A page whose key is unchanged is byte-identical, so an
    incremental build leaves it where it is."""

    site: Path
    keys: dict[str, str]
    manifest: frozenset[str]
    inputs: str
    withheld: str  # key of the withheld set the live site was audited against
    search: dict = field(default_factory=dict)  # shard name -> (fingerprint, bundle files)
    digests: dict = field(default_factory=dict)  # file -> SHA-256, for SHA256SUMS
    archive_stamp: tuple = ()  # the live site's archive as the build left it (see archive_stamp)


@dataclass
class _State:
    plan: SitePlan
    shell: Shell
    out: Path
    previous: PreviousBuild | None
    base_key: str
    report_sizes: dict[str, int] = field(default_factory=dict)  # download URL -> bytes
    site: SiteInfo = field(default_factory=lambda: SiteInfo())
    data_sizes: dict[str, int] = field(default_factory=dict)  # open data URL -> bytes


_STATE: _State | None = None


def page_jobs(plan: SitePlan) -> list[Job]:
    jobs: list[Job] = [("report" if e.report else "entry", i) for i, e in enumerate(plan.entries)]
    for i, listing in enumerate(plan.listings):
        jobs.extend(("listing", i, n, asc) for n, asc in render.listing_pages(listing))
    for agency_id in plan.agencies:
        jobs += [("agency", agency_id), ("guide", agency_id), ("catalog", agency_id)]
        jobs.append(("reports", agency_id))
        years = plan.changes.years(agency_id)
        jobs.append(("changes", agency_id, None))
        jobs.extend(("changes", agency_id, year) for year in years[1:])
    jobs.extend(("withdrawn", i) for i in range(len(plan.changes.withdrawn)))
    jobs += [("search",), ("reports-data",), ("opendata",)]
    return jobs


def _render_job(plan: SitePlan, job: Job) -> render.Page:
    kind = job[0]
    if kind == "entry":
        return render.render_entry(plan, plan.entries[job[1]])
    if kind == "listing":
        return render.render_listing(plan, plan.listings[job[1]], job[2], job[3])
    if kind == "agency":
        return render.render_agency(plan, job[1])
    if kind == "guide":
        return render.render_guide(plan, job[1])
    if kind == "search":
        return render.render_search(plan)
    if kind == "report":
        assert _STATE is not None
        return annual_pages.render_report(plan, plan.entries[job[1]], _STATE.report_sizes)
    if kind == "reports":
        return annual_pages.render_agency_reports(plan, job[1])
    if kind == "reports-data":
        return annual_pages.render_data_page(plan)
    if kind == "changes":
        return render.render_changes(plan, job[1], job[2])
    if kind == "withdrawn":
        return render.render_withdrawn(plan, plan.changes.withdrawn[job[1]])
    if kind == "opendata":
        assert _STATE is not None
        site = _STATE.site
        offered = (archive.ARCHIVE, site.archive_date) if site.archive else None
        return opendata.render_data_page(
            plan, site.name, site.url, _STATE.data_sizes, offered, manifest=site.manifest
        )
    return render.render_catalog(plan, job[1])


def base_key(plan: SitePlan, shell: Shell, site: SiteInfo = SiteInfo()) -> str:
    """What every record page depends on besides its own data: the shell, the agencies, and the
    site's address and scripts (in the pages' alternate links)."""
    agencies = [a.model_dump_json() for a in plan.agencies.values()]
    return cache.digest(
        cache.code_fingerprint(), *shell.pieces, *agencies, str(site.url), str(site.traditional)
    )


def _page_key(state: _State, job: Job) -> tuple[str, str | None]:
    """The page's URL, and a digest of everything its HTML is made from (None: always render)."""
    plan = state.plan
    if job[0] == "entry":
        e = plan.entries[job[1]]
        index_no = e.entry.index_no
        links = [
            (link.label, link.target.url, link.target.entry.title, link.target.entry.doc_no or "")
            for link in (*plan.outgoing.get(index_no, ()), *plan.incoming.get(index_no, ()))
        ]
        files = (
            [
                (a.file, (plan.project.catalog_dir / e.agency_id / "files" / a.file).stat().st_size)
                for a in e.entry.attachments
            ]
            if e.proactive
            else []
        )
        body_file = ""
        if e.proactive and e.entry.body_file:
            body_file = cache.digest((plan.project.root / "content" / e.entry.body_file).read_bytes())
        shard = search.shard_of(plan)[e.url]  # named in the page, for sorting search results by date
        changed = str(plan.changes.changed.get(index_no))
        key = cache.digest(
            state.base_key, e.agency_id, e.record.digest, repr(links), repr(files), body_file, shard, changed
        )
        return e.url, key
    if job[0] == "listing":
        listing = plan.listings[job[1]]
        key = cache.digest(
            state.base_key,
            listing.url,
            listing.title,
            repr(job),
            str(listing.page_count),
            str(len(listing.entries)),
            "\n".join(listing.page_row_keys(job[2], job[3])),
        )
        return urls.page_url(listing.url, job[2], job[3]), key
    if job[0] == "changes":  # a change log holds every event of its year: thousands of rows
        agency_id, year = job[1], job[2]
        years = plan.changes.years(agency_id)
        shown = year or (years[0] if years else None)
        events = "\n".join(
            f"{e.day}\t{e.kind}\t{e.index_no}\t{e.title}\t{e.index_no in plan.by_index}"
            for e in plan.changes.events.get(agency_id, [])
            if e.day.year == shown
        )
        key = cache.digest(state.base_key, repr(job), plan.changes.source, repr(years), events)
        return urls.changes_url(agency_id, year), key
    return "", None


def _unchanged(previous: PreviousBuild | None, url: str, key: str | None) -> bool:
    return (
        key is not None
        and previous is not None
        and previous.keys.get(url) == key
        and urls.output_file(url) in previous.manifest
    )


@dataclass
class Written:
    """What writing the portal's pages and files produced: each cacheable page's and file's key by
    URL, and, for the files checked as they were written (record pages, the open data files written),
    their SHA-256 (for SHA256SUMS) and the output audit's findings in them, so that neither the
    audit stage nor the manifest reads them again."""

    keys: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # output path -> SHA-256
    findings: list = field(default_factory=list)  # Diagnostics of the audit

    def update(self, other: Written) -> None:
        self.keys.update(other.keys)
        self.digests.update(other.digests)
        self.findings.extend(other.findings)


def _changed_jobs(state: _State, jobs: list[Job], written: Written) -> list[Job]:
    """The jobs whose pages must be written again; records every page's key in ``written``."""
    traditional = state.site.traditional
    previous = state.previous
    keys = written.keys
    changed = []
    for job in jobs:
        url, key = _page_key(state, job)
        if key is not None:
            keys[url] = key
            twin = hant.hant_url(url)
            if traditional:
                keys[twin] = key
            if _unchanged(previous, url, key) and (not traditional or _unchanged(previous, twin, key)):
                continue
        changed.append(job)
    return changed


def _write_jobs(jobs: list[Job]) -> Written:
    """Key, and write those of ``jobs`` whose pages changed."""
    assert _STATE is not None
    written = Written()
    written.update(_render_jobs(_changed_jobs(_STATE, jobs, written)))
    return written


def _render_jobs(jobs: list[Job]) -> Written:
    """Render, write, hash and audit the pages of ``jobs``."""
    state = _STATE
    assert state is not None
    site = state.site
    written = Written()
    auditor = audit.Auditor(state.out, state.plan.withheld)
    for job in jobs:
        page = _render_job(state.plan, job)
        head = feeds.head_links(feeds.page_feeds(state.plan, page.url), page.url)
        if job[0] == "withdrawn":
            head += '<meta name="robots" content="noindex">'
        script = ""
        if site.traditional:
            head += hant.alternates(page.url, hant=False)
            script = hant.toggle(page.url, hant=False)
        text = state.shell.fill(page.url, page.title, page.html, head, script)
        _write_checked(written, auditor, page.url, text)
        if site.traditional:
            _write_checked(written, auditor, hant.hant_url(page.url), hant.page(text, page.url, site.url))
    return written


def _write_checked(written: Written, auditor: audit.Auditor, url: str, text: str) -> None:
    data = write_page(auditor.root, url, text)
    rel = urls.output_file(url)
    written.digests[rel] = hashlib.sha256(data).hexdigest()
    written.findings += auditor.audit_data(rel, data)


def write_page(out: Path, url: str, text: str) -> bytes:
    """Write a page at its directory URL (``""`` is the home page) under ``out``; returns its bytes."""
    directory = out / url
    directory.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    (directory / "index.html").write_bytes(data)
    return data


def write_pages(
    plan: SitePlan,
    shell: Shell,
    out: Path,
    *,
    jobs: int | None = None,
    previous: PreviousBuild | None = None,
    sizes: dict[str, int] | None = None,
    site: SiteInfo = SiteInfo(),
    data_sizes: dict[str, int] | None = None,
    work: list[Job] | None = None,
    searched: Callable[[Written], Callable[[], object]] | None = None,
) -> tuple[int, Written]:
    """Render, write and audit every record page; returns the number of pages and what was
    written. ``sizes`` and ``data_sizes`` are the report downloads' and the open data files' sizes,
    shown on the pages that offer them. ``work``: only these jobs (default: every page).

    ``searched`` is called with what was written so far (every searched page's key among it) as
    soon as the pages the search index reads are written, and returns a function that waits for
    what it started. In a rebuild with few of them to write, that is before the other pages
    (listings, change logs) are keyed and written, which this process then does while the index is
    made: forking no workers until the index is done, as the index is made by a thread (a process
    forked while another thread runs may inherit a lock that thread holds, and wait on it forever).
    """
    global _STATE
    _STATE = _State(
        plan, shell, out, previous, base_key(plan, shell, site), sizes or {}, site, data_sizes or {}
    )
    search.shard_of(plan)  # computed once here, not again in every worker
    work = page_jobs(plan) if work is None else work
    count = len(work)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    written = Written()
    if previous is None:
        _run(_write_jobs, work, workers, written)
        if searched is not None:
            searched(written)
        return count, written
    # A rebuild: the keys are made here, and the workers (if any) get only the changed pages.
    # A forked worker that read every record for its keys would copy most of this process's
    # memory page by page as it touched them (about 2 s at 100,000 entries).
    wait = None
    changed = _changed_jobs(_STATE, [job for job in work if job[0] in search.INDEXED_JOBS], written)
    if searched is not None and _serial(changed, workers):
        written.update(_render_jobs(changed))
        wait = searched(written)
        changed = []
    changed += _changed_jobs(_STATE, [job for job in work if job[0] not in search.INDEXED_JOBS], written)
    if wait is not None and not _serial(changed, workers):
        wait()
    _run(_render_jobs, changed, workers, written)
    if searched is not None and wait is None:
        searched(written)
    return count, written


def _serial(work: list[Job], workers: int) -> bool:
    return workers < 2 or len(work) < PARALLEL_THRESHOLD


def _run(write: Callable[[list[Job]], Written], work: list[Job], workers: int, written: Written) -> None:
    if _serial(work, workers):
        written.update(write(work))
        return
    batches = [work[i : i + BATCH] for i in range(0, len(work), BATCH)]
    # Fork: the workers inherit the plan and the shell instead of receiving them pickled.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for batch in pool.imap_unordered(write, batches):
            written.update(batch)


def published_files(plan: SitePlan) -> list[tuple[Path, str]]:
    """(source, output path) of every file that may be published, in a stable order."""
    files: dict[str, Path] = {}
    for e in plan.entries:
        if not e.proactive:
            continue  # an on-request entry's attachments are never published
        for attachment in e.entry.attachments:
            url = urls.attachment_url(e.agency_id, attachment.file)
            files[url] = plan.project.catalog_dir / e.agency_id / "files" / attachment.file
    for agency_id, guide in plan.project.guides.items():
        form = guide.on_request.application_form
        if form:
            files[urls.attachment_url(agency_id, form)] = (
                plan.project.catalog_dir / agency_id / "files" / form
            )
    return [(files[url], url) for url in sorted(files)]


def copy_files(plan: SitePlan, out: Path) -> int:
    copied = 0
    for source, url in published_files(plan):
        target = out / url
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied += 1
    return copied


def write_portal(
    plan: SitePlan,
    shell: Shell,
    out: Path,
    *,
    jobs: int | None = None,
    previous: PreviousBuild | None = None,
    site: SiteInfo = SiteInfo(),
    pages_done: Callable[[Written], Callable[[], object]] | None = None,
) -> tuple[StageTimes, Written]:
    """Write every record page and file; returns the stage times and what was written: every
    page's and cacheable file's key, and the digests and audit findings of the record pages and
    the open data files. ``pages_done`` is called with what was written so far (every searched
    page's key among it) as soon as every page the search index reads is written, before the open
    data files, the feeds and the sitemaps may be, and returns a function that waits for what it
    started: the search index can be made meanwhile (see ``write_pages``).

    On a large site the open data files (the whole catalogue as JSON Lines, CSV and XLSX, a third
    of a minute at 100,000 entries), and after them the DCAT catalogue (which gives their sizes),
    the feeds and the sitemaps, are written (the open data also hashed and audited as it is made)
    by a process of their own while the pages are written; the open-data page, which shows their
    sizes, is written once they are. Meanwhile this process has nothing to do but wait, so the
    search index (in a thread of its own, see ``pages_done``) is not slowed by it.
    """
    times = StageTimes()
    result = Written()
    keys = result.keys

    sizes: dict[str, int] = {}
    data_sizes: dict[str, int] = {}
    work = page_jobs(plan)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    beside = workers >= 2 and len(work) >= PARALLEL_THRESHOLD

    def reports() -> int:
        written, file_keys = write_report_files(plan, out, previous)
        sizes.update(written)
        keys.update(file_keys)
        return len(written)

    def pages(work: list[Job], searched: Callable[[Written], Callable[[], object]] | None = None) -> int:
        count, written = write_pages(
            plan,
            shell,
            out,
            jobs=jobs,
            previous=previous,
            sizes=sizes,
            site=site,
            data_sizes=data_sizes,
            work=work,
            searched=searched,
        )
        result.update(written)
        return count

    def take(data: _DataResult) -> None:
        data_sizes.update(data.sizes)
        result.update(data.written)
        times.seconds.update(data.times.seconds)
        times.counts.update(data.times.counts)

    times.counts["reports"] = _timed(times, "reports", reports)
    global _DATA
    _DATA = (plan, out, previous, site)
    later = [job for job in work if job[0] == "opendata"]  # shows the open data files' sizes
    if beside:
        # In a rebuild, the search index is what the build waits for: the open data files, done
        # seconds before it, take what processor time Pagefind leaves.
        lower = (DATA_NICENESS,) if previous is not None else (0,)
        with multiprocessing.get_context("fork").Pool(1, initializer=os.nice, initargs=lower) as pool:
            pending = pool.apply_async(_data_files)
            count = _timed(times, "pages", lambda: pages([j for j in work if j[0] != "opendata"], pages_done))
            times.counts["files"] = _timed(times, "files", lambda: copy_files(plan, out))
            waited = time.perf_counter()
            take(pending.get())
            count += pages(later)
            times.seconds["pages"] += time.perf_counter() - waited
    else:
        take(_data_files())
        count = _timed(times, "pages", lambda: pages(work, pages_done))
        times.counts["files"] = _timed(times, "files", lambda: copy_files(plan, out))
    times.counts["pages"] = count
    return times, result


_DATA: tuple | None = None  # (plan, out, previous, site) for the open data process


@dataclass
class _DataResult:
    sizes: dict[str, int]  # open data URL -> bytes
    written: Written
    times: StageTimes


def _data_files() -> _DataResult:
    """Write the open data files, hashed and audited as they are made (see write_open_data), then
    the DCAT catalogue, the feeds and the sitemaps."""
    assert _DATA is not None
    plan, out, previous, site = _DATA
    times = StageTimes()
    start = time.perf_counter()
    sizes, written = write_open_data(plan, out, previous, site, audit.Auditor(out, plan.withheld))
    times.seconds["opendata"] = time.perf_counter() - start
    times.counts["opendata"] = len(sizes)

    def syndication() -> int:
        extra = []
        if site.archive:
            extra.append(
                (
                    f"{site.name}整站存档",
                    "本网站全部文件的 ZIP 存档。",
                    [(archive.ARCHIVE, "application/zip")],
                )
            )
        _write_file(out, opendata.DCAT, opendata.dcat(plan, site.name, site.url, sizes, extra))
        return write_syndication(plan, out, site) + 1

    times.counts["feeds"] = _timed(times, "feeds", syndication)
    return _DataResult(sizes, written, times)


def write_syndication(plan: SitePlan, out: Path, site: SiteInfo) -> int:
    """The Atom feeds, the sitemaps (when the site's address is known) and robots.txt."""
    written = 0
    for feed in feeds.plan_feeds(plan, site.name):
        _write_file(out, feed.url, feeds.render_feed(plan, feed, site.url, site.name))
        written += 1
    if site.url:
        pages = sitemaps.sitemap_pages(plan, site.editorial)
        if site.traditional:  # the 繁體 twins, dated as their pages
            pages += [(hant.hant_url(url), day) for url, day in pages]
        for path, data in sitemaps.render_sitemaps(pages, site.url).items():
            _write_file(out, path, data)
            written += 1
    _write_file(out, "robots.txt", sitemaps.robots_txt(site.url))
    return written + 1


def write_report_files(
    plan: SitePlan, out: Path, previous: PreviousBuild | None = None
) -> tuple[dict[str, int], dict[str, str]]:
    """Write each annual report's PDF, CSV, XLSX and JSON, and the JSON Schemas.

    Returns each download's size and its key by URL. A download whose key is unchanged since the
    previous build is left where it is in the live site (a PDF takes a fraction of a second).
    """
    sizes: dict[str, int] = {}
    keys: dict[str, str] = {}
    code = cache.code_fingerprint()
    for fmt in ("2021", "2019"):
        _write_file(out, annual_pages.schema_url(fmt), export.json_schema(fmt))
    for agency_id, reports in plan.reports.items():
        agency = plan.agencies[agency_id]
        for e in reports:
            record = e.report
            attachments = [(a.file, a.title) for a in record.report.attachments]
            key = cache.digest(
                code, record.digest, agency.model_dump_json(), repr(attachments), e.entry.title
            )
            for ext, _ in annual_pages.DOWNLOADS:
                if ext != "pdf" and record.tables is None:
                    continue
                url = annual_pages.download_name(agency_id, record.year, ext)
                keys[url] = key
                if previous is not None and _unchanged(previous, url, key):
                    sizes[url] = (previous.site / url).stat().st_size
                    continue
                data = _report_download(plan, e, ext)
                _write_file(out, url, data)
                sizes[url] = len(data)
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
    joins the rest. A file made only of rows the audit passed is not read again; a file with a row
    the audit flagged is audited whole, so the finding is reported at its line in the file. No
    finding can span two rows: each row begins with its 索引号 field, after the JSON or CSV syntax
    that ends the row before it, and a workbook is audited row by row anyway.
    """
    sizes: dict[str, int] = {}
    written = Written()
    code = cache.code_fingerprint()

    def put(url: str, data: bytes, *, checked: bool = False) -> None:
        """Write, hash and (unless its rows were ``checked``) audit the file."""
        _write_file(out, url, data)
        written.digests[url] = hashlib.sha256(data).hexdigest()
        if checked:
            return
        # A workbook is read back as a spreadsheet program reads it, cell by cell.
        written.findings += (
            auditor.audit_file(url) if url.endswith(".xlsx") else auditor.audit_data(url, data)
        )

    put(opendata.SCHEMA, opendata.json_schema())
    put(opendata.CSVW, opendata.csvw(plan, site.url))
    # A row is made from its record, its page's URL and agency, and which of its related
    # documents are public: that text is its key (a digest of 100,000 of them cost a second).
    row_keys = {
        e.entry.index_no: e.row_key
        + "".join(f"\t{r.index_no}" for r in e.entry.related if r.index_no in plan.by_index)
        for e in plan.entries
    }
    rows = _RowCache(plan, site, auditor)
    headers_clean = not any(auditor.messages(text) for text in opendata.header_texts())
    for agency_id, folder in opendata.scopes(plan):
        name = plan.agencies[agency_id].name if agency_id else site.name
        scope = opendata.scope_entries(plan, agency_id)
        # The rows' context: every row names its agency, and was audited against the withheld set.
        joined = "\n".join(row_keys[e.entry.index_no] for e in scope)
        key = cache.digest(code, rows.context, name, joined)
        files = {opendata.file_url(folder, ext): ext for ext, _, _ in opendata.FORMATS}
        for url in files:
            written.keys[url] = key
        if all(_unchanged(previous, url, key) for url in files):
            for url in files:
                sizes[url] = (previous.site / url).stat().st_size  # type: ignore[union-attr]
            continue
        made = [rows.get(e, row_keys[e.entry.index_no]) for e in scope]
        clean = headers_clean and all(passed for _, passed in made)
        scope_rows = [row for row, _ in made]
        by_date = plan.entries_of(agency_id) if agency_id else plan.entries
        newest = by_date[0].sort_date if by_date else plan.project.now.date
        moment = datetime.combine(newest, datetime.min.time())
        for url, ext in files.items():
            if ext == "jsonl":
                data = opendata.to_jsonl(scope_rows)
            elif ext == "csv":
                data = opendata.to_csv(scope_rows)
            else:
                data = opendata.to_xlsx(scope_rows, f"{name}政府信息公开目录", moment)
            put(url, data, checked=clean)
            sizes[url] = len(data)
    rows.save()
    return sizes, written


ROWS_CACHE = "opendata-rows"


class _RowCache:
    """Each record's open data row, kept per agency between builds with the audit's verdict on it:
    rows are reused only under the same code, site address, agency names and withheld set."""

    def __init__(self, plan: SitePlan, site: SiteInfo, auditor: audit.Auditor) -> None:
        self.plan, self.site, self.auditor = plan, site, auditor
        names = repr(sorted((a, agency.name) for a, agency in plan.agencies.items()))
        withheld = plan.withheld.key if plan.withheld is not None else ""
        self.context = cache.digest(repr(site.url), names, withheld)
        self.stored: dict[str, dict[str, tuple[bytes, bytes, bytes]]] = {}
        self.kept: dict[str, dict[str, tuple[bytes, bytes, bytes]]] = {}
        self.made: dict[str, tuple[opendata.Row, bool]] = {}  # this build's, for the next scope

    def _stored(self, agency_id: str) -> dict[str, tuple[bytes, bytes, bytes]]:
        if agency_id not in self.stored:
            value = cache.load(self.plan.project.root, f"{ROWS_CACHE}-{agency_id}")
            ok = isinstance(value, dict) and value.get("context") == self.context
            self.stored[agency_id] = value["rows"] if ok else {}
            self.kept[agency_id] = {}
        return self.stored[agency_id]

    def get(self, e: PublicEntry, key: str) -> tuple[opendata.Row, bool]:
        """The entry's row, and whether the audit passed it."""
        if key in self.made:
            return self.made[key]
        stored = self._stored(e.agency_id)
        if key in stored:
            self.kept[e.agency_id][key] = stored[key]
            self.made[key] = opendata.Row(*stored[key]), True
        else:
            row = opendata.Row.of(opendata.record(self.plan, e, self.site.url))
            passed = not any(self.auditor.messages(text) for text in row.texts())
            if passed:  # a row with a finding is never kept: every build reports it until fixed
                self.kept[e.agency_id][key] = (row.jsonl, row.csv, row.xlsx)
            self.made[key] = row, passed
        return self.made[key]

    def save(self) -> None:
        for agency_id, kept in self.kept.items():
            if kept.keys() != self.stored[agency_id].keys():
                value = {"context": self.context, "rows": kept}
                cache.save(self.plan.project.root, f"{ROWS_CACHE}-{agency_id}", value)


def _report_download(plan: SitePlan, e, ext: str) -> bytes:
    record, agency = e.report, plan.agencies[e.agency_id]
    if ext == "pdf":
        return to_pdf(annual_pages.print_html(plan, e))
    if ext == "csv":
        return export.to_csv(record, agency)
    if ext == "xlsx":
        return export.to_xlsx(record, agency, annual_pages.grids(e), e.entry.title)
    return export.to_json(record, agency, e.url)


def _write_file(out: Path, url: str, data: bytes) -> None:
    path = out / url
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _timed(times: StageTimes, stage: str, action: Callable[[], int]) -> int:
    start = time.perf_counter()
    result = action()
    times.seconds[stage] = time.perf_counter() - start
    return result


# -- output directories --------------------------------------------------------------------------
#
# A full build writes a complete site into a staging directory beside the live one and swaps it in
# with two renames. An incremental build writes only what changed into the staging directory, then
# commits it: a journal names the staging directory and the files to delete, every staged file
# replaces its live counterpart (each os.replace is atomic), stale files are deleted, and the
# journal is removed. A commit cut short is completed by the next build before anything else, so
# the live site never keeps a mix of two builds and never holds a half-written file.


def input_fingerprint(project: Project, config_file: Path) -> str:
    """A digest of everything a build reads: records, pages, theme, configuration, code."""
    # The build's now and the commit it stands on decide dates the pages show (report deadlines,
    # the change history), though no file changes with them.
    now = project.now
    parts: list[bytes | str] = [cache.code_fingerprint(), config_file.read_bytes(), f"{now.seconds}"]
    parts.append(clock.git_head(project.root))
    entries = {r.path: r.digest for r in project.entries}
    root = str(project.root) + os.sep
    for folder in ("content", "theme", "catalog"):
        # Plain strings, not Path objects: this runs for every file of the portal.
        for dirpath, dirnames, filenames in os.walk(root + folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = dirpath.removeprefix(root).replace(os.sep, "/")
            for name in sorted(filenames):
                rel = f"{rel_dir}/{name}"
                if rel in entries:
                    parts += [rel, entries[rel]]
                elif "/files/" in rel:  # attachments can be large: their size and time stand in
                    stat = os.stat(os.path.join(dirpath, name))
                    parts += [rel, f"{stat.st_size}:{stat.st_mtime_ns}"]
                else:
                    with open(os.path.join(dirpath, name), "rb") as handle:
                        parts += [rel, handle.read()]
    return cache.digest(*parts)


def staging_dir(final: Path, journal: Path) -> Path:
    """A fresh directory beside ``final`` to build into (same filesystem, so moves are renames)."""
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    finish_commit(journal)
    for stale in [
        *final.parent.glob(f".{final.name}.building-*"),
        *final.parent.glob(f".{final.name}.old-*"),
        *final.parent.glob(f"{search.VIEWS_PREFIX}*"),
    ]:
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build or removal
    path = final.parent / f".{final.name}.building-{os.getpid()}"
    path.mkdir()
    return path


def swap_into_place(staging: Path, final: Path, *, remove_in_background: bool = False) -> None:
    """Replace ``final`` with the finished, complete ``staging`` directory.

    The two are exchanged in one atomic step (see :func:`exchange`), so ``final`` always holds one
    whole site, the old or the new, whenever a reader looks and wherever the build is stopped. The
    old site, left at ``staging``'s path, is then removed: with ``remove_in_background`` by a
    detached process (a large tree takes long to delete); the next build removes whatever is left.
    Where the system cannot exchange, the old site is renamed aside first, and for that moment
    there is no ``final``.
    """
    final = final.resolve()
    if not final.exists():
        staging.rename(final)
        return
    if exchange(staging, final):
        old = staging
    else:
        old = final.parent / f".{final.name}.old-{os.getpid()}"
        final.rename(old)
        staging.rename(final)
    if remove_in_background:
        tidy.remove_detached(old)
    else:
        shutil.rmtree(old)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Exchange the paths ``a`` and ``b`` atomically (Linux's ``renameat2`` with
    ``RENAME_EXCHANGE``). False, with nothing changed, where the system or the filesystem cannot."""
    libc = _libc()
    rename = getattr(libc, "renameat2", None) if libc is not None else None
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def staged_files(staging: Path) -> set[str]:
    found = set()
    for dirpath, _, filenames in os.walk(staging):
        rel = Path(dirpath).relative_to(staging).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + name for name in filenames)
    return found


def unstage_unchanged(
    staging: Path, staged: set[str], previous: PreviousBuild, digests: dict[str, str]
) -> int:
    """Delete the staged files whose bytes the live site already holds at the same path (the
    previous build recorded the same digest for it); returns how many. Pagefind writes every file
    of a shard it indexes again, most of them as they were (named after their content), and
    moving thousands of files over their equals costs most of a second. ``staged``: the files in
    ``staging``."""
    dropped = 0
    for rel in staged:
        digest = digests.get(rel)
        if digest is not None and rel in previous.manifest and previous.digests.get(rel) == digest:
            (staging / rel).unlink()
            dropped += 1
    return dropped


def commit(staging: Path, final: Path, delete: list[str], journal: Path) -> None:
    """Move the staged files into the live site and delete ``delete`` from it, journalled."""
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".tmp")
    tmp.write_text(
        json.dumps({"staging": str(staging), "site": str(final.resolve()), "delete": delete}),
        encoding="utf-8",
    )
    os.replace(tmp, journal)
    finish_commit(journal)


def finish_commit(journal: Path) -> None:
    """Apply the journalled commit, if there is one; applying it twice changes nothing."""
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    staging, site = Path(plan["staging"]), Path(plan["site"])
    for dirpath, _, filenames in os.walk(staging):
        target = site / Path(dirpath).relative_to(staging)
        target.mkdir(parents=True, exist_ok=True)
        for name in filenames:
            os.replace(Path(dirpath, name), target / name)
    for rel in plan["delete"]:
        path = site / rel
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != site and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    shutil.rmtree(staging, ignore_errors=True)
    # The build that wrote the journal was cut short before it recorded what it built: the record
    # of the previous build no longer describes the live site (its search index files, named after
    # their content, differ), so the next build starts from scratch.
    (journal.parent / BUILD_CACHE).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
