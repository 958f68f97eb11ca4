"""Write a build's portal into its output directory: the annual reports' downloads, the record
pages (see :mod:`generator.publish.pages`), the files that may be published (attachments of 主动公开
entries, guides' application forms) and, beside the pages on a large site, the data files (see
:mod:`generator.publish.files`)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator import parallel
from generator.errors import naming
from generator.portal import urls
from generator.portal.plan import SitePlan
from generator.portal.shell import Shell
from generator.publish import files as data
from generator.publish import pages
from generator.publish.jobs import Job, page_jobs
from generator.publish.partition import Partition
from generator.publish.state import PreviousBuild, SiteInfo, StageTimes, Written, timed


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
        with naming(target):
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
    site: SiteInfo | None = None,
    pages_done: Callable[[Written], Callable[[], object]] | None = None,
    shard_done: Callable[[str, Written], None] | None = None,
    views: Path | None = None,
    partition: Partition | None = None,
) -> tuple[StageTimes, Written]:
    """Write every record page and file; returns the stage times and what was written: every
    page's and cacheable file's key, and the digests and audit findings of the record pages and
    the open data files. ``pages_done`` is called with what was written so far (every searched
    page's key among it) as soon as every page the search index reads is written, before the open
    data files, the feeds and the sitemaps may be, and returns a function that waits for what it
    started: the search index can be made meanwhile (see ``write_pages``). In a full build,
    ``shard_done`` is called with the name of each shard of the search index (and what was written
    so far) as soon as its pages are written, and each page's search view laid out in ``views``
    as it is written (see ``write_pages``).

    In a full build of a large site the open data files (the whole catalogue as JSON Lines, CSV
    and XLSX, a third of a minute at 100,000 entries), and after them the DCAT catalogue (which
    gives their sizes), the feeds and the sitemaps, are written (the open data also hashed and
    audited as it is made) by a process of their own while the pages are written; the open-data
    page, which shows their sizes, is written once they are. Meanwhile this process has nothing to
    do but wait, so the search index (in a thread of its own, see ``pages_done``) is not slowed by
    it. A rebuild writes them here, after the pages, while the search index is made: a forked
    process touching every record of the catalogue copies them page by page from this one (4 s of
    a new entry's 100,000-entry rebuild), and this process would otherwise only wait for Pagefind.

    ``partition``: write only the pages (and files) that part holds (see
    :mod:`generator.publish.partition`): a part other than the first writes only entry pages.
    """
    site = site or SiteInfo()
    times = StageTimes()
    result = Written()
    keys = result.keys

    sizes: dict[str, int] = {}
    data_sizes: dict[str, int] = {}
    work = page_jobs(plan)
    portal = partition is None or partition.portal
    if partition is not None:
        work = [job for job in work if partition.holds(plan, job)]
    workers = parallel.workers(jobs)
    beside = previous is None and workers >= 2 and len(work) >= pages.PARALLEL_THRESHOLD

    def reports() -> int:
        if not portal:
            if any(job.kind == "report" for job in work):
                # Its report pages show the downloads' sizes; the downloads are part 1's.
                with tempfile.TemporaryDirectory(dir=out.parent) as scratch:
                    sizes.update(data.write_report_files(plan, Path(scratch), jobs=jobs)[0])
            return 0
        written, file_keys = data.write_report_files(plan, out, previous, jobs=jobs)
        sizes.update(written)
        keys.update(file_keys)
        return len(written)

    def write_some(work: list[Job], searched: Callable[[Written], Callable[[], object]] | None = None) -> int:
        count, written = pages.write_pages(
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
            shard_done=shard_done if searched is not None else None,
            views=views,
        )
        result.update(written)
        return count

    def take(made: data.DataResult) -> None:
        data_sizes.update(made.sizes)
        result.update(made.written)
        times.seconds.update(made.times.seconds)
        times.counts.update(made.times.counts)

    times.counts["reports"] = timed(times, "reports", reports)
    job = data.DataJob(plan, out, previous, site)
    later = [j for j in work if j.kind == "opendata"]  # shows the open data files' sizes
    first = [j for j in work if j.kind != "opendata"]
    if not portal:  # no attachments, data files, feeds or sitemaps: part 1 writes them
        count = timed(times, "pages", lambda: write_some(first, pages_done))
        times.counts["files"], times.seconds["files"] = 0, 0.0
        waited = time.perf_counter()
    elif beside:
        with parallel.fork_call(data.write_data_files, job) as made:
            count = timed(times, "pages", lambda: write_some(first, pages_done))
            times.counts["files"] = timed(times, "files", lambda: copy_files(plan, out))
            waited = time.perf_counter()
            take(made())
    else:
        # The data files are written after the pages the search index reads, while it is made.
        count = timed(times, "pages", lambda: write_some(first, pages_done))
        times.counts["files"] = timed(times, "files", lambda: copy_files(plan, out))
        take(data.write_data_files(job))
        waited = time.perf_counter()
    count += write_some(later)
    times.seconds["pages"] += time.perf_counter() - waited
    times.counts["pages"] = count
    return times, result
