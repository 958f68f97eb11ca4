"""Write the portal's record pages and files into an output directory, and swap it into place.

``write_portal`` renders every entry page, listing page, agency page and guide into the shell and
copies the files that may be published (attachments of 主动公开 entries, guides' application
forms), in worker processes when there are many pages. ``swap_into_place`` replaces the live site
only once a build has fully succeeded.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import cache, render, urls
from generator.plan import SitePlan
from generator.shell import Shell

PARALLEL_THRESHOLD = 2000
BATCH = 500


@dataclass
class StageTimes:
    """What each stage took, for the benchmark and the log."""

    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


# A page job: ("entry", index in plan.entries) | ("listing", listing index, page, ascending) | ...
Job = tuple


@dataclass
class PreviousBuild:
    """The live site and the key of each record page in it: a page whose key is unchanged is
    byte-identical, so it is hard-linked from the live site instead of rendered again."""

    site: Path
    keys: dict[str, str]


@dataclass
class _State:
    plan: SitePlan
    shell: Shell
    out: Path
    previous: PreviousBuild | None
    base_key: str


_STATE: _State | None = None


def page_jobs(plan: SitePlan) -> list[Job]:
    jobs: list[Job] = [("entry", i) for i in range(len(plan.entries))]
    for i, listing in enumerate(plan.listings):
        jobs.extend(("listing", i, n, asc) for n, asc in render.listing_pages(listing))
    for agency_id in plan.agencies:
        jobs += [("agency", agency_id), ("guide", agency_id), ("catalog", agency_id)]
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
    return render.render_catalog(plan, job[1])


def base_key(plan: SitePlan, shell: Shell) -> str:
    """What every record page depends on besides its own data: the shell and the agencies."""
    agencies = [a.model_dump_json() for a in plan.agencies.values()]
    return cache.digest(cache.code_fingerprint(), *shell.pieces, *agencies)


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
        key = cache.digest(state.base_key, e.agency_id, e.record.digest, repr(links), repr(files), body_file)
        return e.url, key
    if job[0] == "listing":
        listing = plan.listings[job[1]]
        rows = [(e.url, e.agency_id, e.record.digest) for e in listing.page(job[2], job[3])]
        key = cache.digest(
            state.base_key,
            listing.url,
            listing.title,
            repr(job),
            str(listing.page_count),
            str(len(listing.entries)),
            repr(rows),
        )
        return urls.page_url(listing.url, job[2], job[3]), key
    return "", None


def _reuse(state: _State, url: str, key: str | None) -> bool:
    previous = state.previous
    if key is None or previous is None or previous.keys.get(url) != key:
        return False
    target = state.out / url
    target.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous.site / url / "index.html", target / "index.html")
    except OSError:  # gone from the live site, or another filesystem: render it
        return False
    return True


def _write_jobs(jobs: list[Job]) -> list[tuple[str, str]]:
    state = _STATE
    assert state is not None
    keys = []
    for job in jobs:
        url, key = _page_key(state, job)
        if key is not None:
            keys.append((url, key))
            if _reuse(state, url, key):
                continue
        page = _render_job(state.plan, job)
        directory = state.out / page.url
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "index.html").write_text(
            state.shell.fill(page.url, page.title, page.html), encoding="utf-8", newline="\n"
        )
    return keys


def write_pages(
    plan: SitePlan,
    shell: Shell,
    out: Path,
    *,
    jobs: int | None = None,
    previous: PreviousBuild | None = None,
) -> dict[str, str]:
    """Render and write every record page; returns each cacheable page's key by URL."""
    global _STATE
    _STATE = _State(plan, shell, out, previous, base_key(plan, shell))
    work = page_jobs(plan)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(work) < PARALLEL_THRESHOLD:
        return dict(_write_jobs(work))
    batches = [work[i : i + BATCH] for i in range(0, len(work), BATCH)]
    keys: dict[str, str] = {}
    # Fork: the workers inherit the plan and the shell instead of receiving them pickled.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for batch in pool.imap_unordered(_write_jobs, batches):
            keys.update(batch)
    return keys


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
) -> tuple[StageTimes, dict[str, str]]:
    """Write every record page and file; returns the stage times and the pages' keys."""
    times = StageTimes()
    keys: dict[str, str] = {}

    def pages() -> int:
        keys.update(write_pages(plan, shell, out, jobs=jobs, previous=previous))
        return len(page_jobs(plan))

    times.counts["pages"] = _timed(times, "pages", pages)
    times.counts["files"] = _timed(times, "files", lambda: copy_files(plan, out))
    return times, keys


def _timed(times: StageTimes, stage: str, action: Callable[[], int]) -> int:
    start = time.perf_counter()
    result = action()
    times.seconds[stage] = time.perf_counter() - start
    return result


# -- output directories --------------------------------------------------------------------------


def staging_dir(final: Path) -> Path:
    """A fresh directory beside ``final`` to build into (same filesystem, so the swap is a rename)."""
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in [
        *final.parent.glob(f".{final.name}.building-*"),
        *final.parent.glob(f".{final.name}.old-*"),
    ]:
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build or removal
    path = final.parent / f".{final.name}.building-{os.getpid()}"
    path.mkdir()
    return path


def swap_into_place(staging: Path, final: Path, *, remove_in_background: bool = False) -> None:
    """Replace ``final`` with the finished ``staging`` directory.

    The old site is renamed aside first, so ``final`` is never half-written. Removing a large old
    site takes longer than building it incrementally; with ``remove_in_background`` a detached
    process removes it, and the next build removes whatever that process did not.
    """
    final = final.resolve()
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if not old.exists():
        return
    if remove_in_background:
        code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
        subprocess.Popen(
            [sys.executable, "-c", code, str(old)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    else:
        shutil.rmtree(old)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
