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
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import render, urls
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

_PLAN: SitePlan | None = None
_SHELL: Shell | None = None
_OUT: Path | None = None


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


def _write_jobs(jobs: list[Job]) -> int:
    assert _PLAN is not None and _SHELL is not None and _OUT is not None
    made: set[str] = set()
    for job in jobs:
        page = _render_job(_PLAN, job)
        directory = _OUT / page.url
        if page.url not in made:
            directory.mkdir(parents=True, exist_ok=True)
            made.add(page.url)
        (directory / "index.html").write_text(
            _SHELL.fill(page.url, page.title, page.html), encoding="utf-8", newline="\n"
        )
    return len(jobs)


def write_pages(plan: SitePlan, shell: Shell, out: Path, *, jobs: int | None = None) -> int:
    """Render and write every record page; returns the number of pages."""
    global _PLAN, _SHELL, _OUT
    _PLAN, _SHELL, _OUT = plan, shell, out
    work = page_jobs(plan)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 2 or len(work) < PARALLEL_THRESHOLD:
        return _write_jobs(work)
    batches = [work[i : i + BATCH] for i in range(0, len(work), BATCH)]
    # Fork: the workers inherit the plan and the shell instead of receiving them pickled.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.imap_unordered(_write_jobs, batches))


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


def write_portal(plan: SitePlan, shell: Shell, out: Path, *, jobs: int | None = None) -> StageTimes:
    times = StageTimes()
    for stage, action in (
        ("pages", lambda: write_pages(plan, shell, out, jobs=jobs)),
        ("files", lambda: copy_files(plan, out)),
    ):
        times.counts[stage] = _timed(times, stage, action)
    return times


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
    for stale in final.parent.glob(f".{final.name}.building-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build
    path = final.parent / f".{final.name}.building-{os.getpid()}"
    path.mkdir()
    return path


def swap_into_place(staging: Path, final: Path) -> None:
    """Replace ``final`` with the finished ``staging`` directory."""
    final = final.resolve()
    old = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    staging.rename(final)
    if old.exists():
        shutil.rmtree(old)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
