"""Render, write, hash and audit the portal's record pages (and their 繁體 twins) into an output
directory, in forked worker processes when there are many. In a rebuild only the pages whose keys
changed (see :mod:`generator.publish.jobs`) are written."""

from __future__ import annotations

import collections
import hashlib
from collections.abc import Callable
from pathlib import Path

from generator import parallel, progress
from generator.errors import naming
from generator.exports import feeds
from generator.portal import hant, urls
from generator.portal.plan import SitePlan
from generator.portal.shell import Shell
from generator.publish.jobs import Context, Job, page_jobs, page_key, render_job
from generator.publish.state import PreviousBuild, SiteInfo, Written, unchanged
from generator.safety import audit
from generator.search import bundles, sharding

PARALLEL_THRESHOLD = 2000  # pages: below this, starting workers costs more than it saves
BATCH = 500
# Batches a page worker writes before a fresh fork replaces it: a worker copies, page by page, the
# records it reads (see generator.parallel), so at 1,000,000 entries one that lived through the
# whole build held 4 GB of its own. 40 batches cost a fork (tens of milliseconds) per 20,000 pages.
RECYCLE = 40


def changed_jobs(ctx: Context, jobs: list[Job], written: Written) -> list[Job]:
    """The jobs whose pages must be written again; records every page's key in ``written``."""
    traditional = ctx.site.traditional
    previous = ctx.previous
    keys = written.keys
    changed = []
    for job in jobs:
        url, key = page_key(ctx, job)
        if key is not None:
            keys[url] = key
            twin = hant.hant_url(url)
            if traditional:
                keys[twin] = key
            if unchanged(previous, url, key) and (not traditional or unchanged(previous, twin, key)):
                continue
        changed.append(job)
    return changed


def _key_and_write(ctx: Context, jobs: list[Job]) -> Written:
    """Key, and write those of ``jobs`` whose pages changed."""
    written = Written()
    written.update(_write_jobs(ctx, changed_jobs(ctx, jobs, written)))
    return written


def _write_jobs(ctx: Context, jobs: list[Job]) -> Written:
    """Render, write, hash and audit the pages of ``jobs``."""
    site = ctx.site
    written = Written()
    auditor = audit.Auditor(ctx.out, ctx.plan.withheld)
    for job in jobs:
        page = render_job(ctx, job)
        head = feeds.head_links(feeds.page_feeds(ctx.plan, page.url), page.url)
        if job.kind == "withdrawn":
            head += '<meta name="robots" content="noindex">'
        script = ""
        if site.traditional:
            script = hant.toggle(page.url, hant=False)
        text = ctx.shell.fill(page.url, page.title, page.html, head, script)
        data = _write_checked(written, auditor, page.url, text)
        shard = _shard_of(ctx.plan, job) if ctx.views is not None else None
        if shard is not None:
            path = urls.output_path(page.url)
            bundles.write_view(ctx.views / shard / path, data, ctx.out / path)
        if site.traditional:
            _write_checked(written, auditor, hant.hant_url(page.url), hant.page(text, page.url, site.url))
    return written


def _write_checked(written: Written, auditor: audit.Auditor, url: str, text: str) -> bytes:
    data = write_page(auditor.root, url, text)
    rel = urls.output_file(url)
    written.digests[rel] = hashlib.sha256(data).hexdigest()
    written.findings += auditor.audit_data(rel, data)
    return data


def write_page(out: Path, url: str, text: str) -> bytes:
    """Write a page at its directory URL (``""`` is the home page) under ``out``; returns its bytes."""
    directory = out / url
    directory.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    with naming(directory / "index.html"):
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
    site: SiteInfo | None = None,
    data_sizes: dict[str, int] | None = None,
    work: list[Job] | None = None,
    searched: Callable[[Written], Callable[[], object]] | None = None,
    shard_done: Callable[[str, Written], None] | None = None,
    views: Path | None = None,
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

    ``shard_done`` (a full build only) is called, in this thread, with the name of each shard of
    the search index and what was written so far, as soon as every page of the shard is written:
    the pages are then written shard by shard, the largest shard first, and the pages the index
    does not read last, so that Pagefind can index a shard while the others are written; each
    page's search view is laid out in ``views/<shard>/`` as the page is written.
    """
    ctx = Context(plan, shell, out, previous, site or SiteInfo(), sizes or {}, data_sizes or {})
    if previous is None and shard_done is not None:
        ctx.views = views
    sharding.shard_of(plan)  # computed once here, not again in every worker
    work = page_jobs(plan) if work is None else work
    count = len(work)
    workers = parallel.workers(jobs)
    written = Written()
    if previous is None:
        if shard_done is None:
            _run(_key_and_write, ctx, [(None, work)], workers, written)
        else:
            _run(
                _key_and_write,
                ctx,
                by_shard(plan, work),
                workers,
                written,
                lambda name: shard_done(name, written),
            )
        if searched is not None:
            searched(written)
        return count, written
    # A rebuild: the keys are made here, and the workers (if any) get only the changed pages.
    # A forked worker that read every record for its keys would copy most of this process's
    # memory page by page as it touched them (about 2 s at 100,000 entries).
    wait = None
    changed = changed_jobs(ctx, [job for job in work if job.kind in sharding.INDEXED_JOBS], written)
    if searched is not None and _serial(changed, workers):
        written.update(_write_jobs(ctx, changed))
        wait = searched(written)
        changed = []
    changed += changed_jobs(ctx, [job for job in work if job.kind not in sharding.INDEXED_JOBS], written)
    if wait is not None and not _serial(changed, workers):
        wait()
    _run(_write_jobs, ctx, [(None, changed)], workers, written)
    if searched is not None and wait is None:
        searched(written)
    return count, written


def _serial(work: list[Job], workers: int) -> bool:
    return workers < 2 or len(work) < PARALLEL_THRESHOLD


def by_shard(plan: SitePlan, work: list[Job]) -> list[tuple[str | None, list[Job]]]:
    """``work`` in groups: the pages of each search shard (largest first), then the pages no shard
    holds (named None)."""
    groups: dict[str | None, list[Job]] = {}
    rest = []
    for job in work:
        shard = _shard_of(plan, job)
        if shard is None:
            rest.append(job)
        else:
            groups.setdefault(shard, []).append(job)
    ordered = sorted(groups.items(), key=lambda group: -len(group[1]))
    return [*ordered, (None, rest)]


def _shard_of(plan: SitePlan, job: Job) -> str | None:
    """The search shard that holds the job's page; None for a page the index does not read."""
    if job.kind not in sharding.INDEXED_JOBS:
        return None
    if job.kind in ("entry", "report"):
        return sharding.shard_of(plan)[plan.entries[job.index].url]
    return sharding.undated_shard(plan)  # agency pages, guides and 机构职能 join the newest shard


def _run(
    write: Callable[[Context, list[Job]], Written],
    ctx: Context,
    groups: list[tuple[str | None, list[Job]]],
    workers: int,
    written: Written,
    done: Callable[[str], None] | None = None,
) -> None:
    """Write the pages of ``groups`` ((name, jobs)); ``done(name)`` once a named group's are all
    written."""
    batches = [(name, batch) for name, jobs in groups for batch in parallel.batches(jobs, BATCH)]
    left = collections.Counter(name for name, _ in batches)
    total = sum(len(batch) for _, batch in batches)
    with progress.stage("生成页面", total, "页") as shown:
        if workers < 2 or total < PARALLEL_THRESHOLD:
            results = (_counted((write, ctx), batch) for batch in batches)
        else:
            # Forked workers inherit the plan and the shell instead of receiving them pickled.
            results = parallel.fork_map(_counted, (write, ctx), batches, workers, recycle=RECYCLE)
        for name, count, batch in results:
            written.update(batch)
            progress.advance(shown, count)
            left[name] -= 1
            if name is not None and not left[name] and done is not None:
                done(name)


def _counted(
    state: tuple[Callable[[Context, list[Job]], Written], Context], work: tuple[str | None, list[Job]]
) -> tuple[str | None, int, Written]:
    write, ctx = state
    name, jobs = work
    return name, len(jobs), write(ctx, jobs)
