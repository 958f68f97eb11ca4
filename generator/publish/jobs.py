"""The portal's record pages as jobs: one small typed record per kind of page, and a table from each
kind to how its page is rendered and how it is keyed.

A page's key is a digest of everything its HTML is made from; a page whose key is unchanged since the
previous build is byte-identical to what rendering it would give, so an incremental build leaves it
in place. A kind without a key function is rendered in every build (those pages are few and cheap).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import ClassVar

from generator import cache
from generator.annual import pages as annual_pages
from generator.exports import normative, opendata
from generator.portal import listings, render, urls
from generator.portal.plan import LANDING, SitePlan
from generator.portal.shell import Shell
from generator.publish import archive
from generator.publish.state import PreviousBuild, SiteInfo
from generator.search import sharding


@dataclass
class Context:
    """What rendering and keying the pages need besides their jobs. Forked workers inherit it."""

    plan: SitePlan
    shell: Shell
    out: Path
    previous: PreviousBuild | None
    site: SiteInfo = field(default_factory=SiteInfo)
    report_sizes: dict[str, int] = field(default_factory=dict)  # download URL -> bytes
    data_sizes: dict[str, int] = field(default_factory=dict)  # open data URL -> bytes
    # Where each indexed page's search view is laid out as it is written (<shard>/<path>), in a
    # full build that indexes shards as their pages are written (see bundles.Indexer).
    views: Path | None = None

    @cached_property
    def base_key(self) -> str:
        return base_key(self.plan, self.shell, self.site)


def base_key(plan: SitePlan, shell: Shell, site: SiteInfo) -> str:
    """What every record page depends on besides its own data: the shell, the agencies, and the
    site's address (in canonical links) and scripts (the 繁體 toggle)."""
    agencies = [a.model_dump_json() for a in plan.agencies.values()]
    return cache.key(*shell.pieces, *agencies, str(site.url), str(site.traditional))


# -- the kinds of page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryPage:
    kind: ClassVar[str] = "entry"
    index: int  # in plan.entries


@dataclass(frozen=True)
class ReportPage:
    kind: ClassVar[str] = "report"
    index: int  # in plan.entries


@dataclass(frozen=True)
class ListingPage:
    kind: ClassVar[str] = "listing"
    listing: int  # in plan.listings
    page: int  # plan.LANDING or a stable page's number


@dataclass(frozen=True)
class AgencyPage:
    """An agency's own page, or its guide, catalogue, annual reports or 机构职能 page (``kind``)."""

    kind: str  # "agency" | "guide" | "catalog" | "reports" | "normative" | "profile"
    agency: str


@dataclass(frozen=True)
class ChangesPage:
    kind: ClassVar[str] = "changes"
    agency: str
    year: int | None  # None: the newest year, at the change log's own URL


@dataclass(frozen=True)
class WithdrawnPage:
    kind: ClassVar[str] = "withdrawn"
    index: int  # in plan.changes.withdrawn


@dataclass(frozen=True)
class PortalPage:
    """One of the portal's own pages: search, the annual reports' data, the open data."""

    kind: str  # "search" | "reports-data" | "opendata"


Job = EntryPage | ReportPage | ListingPage | AgencyPage | ChangesPage | WithdrawnPage | PortalPage


def page_jobs(plan: SitePlan) -> list[Job]:
    """Every record page of the portal, in a stable order."""
    jobs: list[Job] = [ReportPage(i) if e.report else EntryPage(i) for i, e in enumerate(plan.entries)]
    for i, listing in enumerate(plan.listings):
        jobs.extend(ListingPage(i, n) for n in listing.numbers())
    for agency_id in plan.agencies:
        kinds = ("agency", "guide", "catalog", "reports", "normative")
        jobs += [AgencyPage(kind, agency_id) for kind in kinds]
        if plan.agencies[agency_id].profile is not None:
            jobs.append(AgencyPage("profile", agency_id))
        years = plan.changes.years(agency_id)
        jobs.append(ChangesPage(agency_id, None))
        jobs.extend(ChangesPage(agency_id, year) for year in years[1:])
    jobs.extend(WithdrawnPage(i) for i in range(len(plan.changes.withdrawn)))
    jobs += [PortalPage("search"), PortalPage("reports-data"), PortalPage("opendata")]
    return jobs


# -- rendering -------------------------------------------------------------------------------------


def _open_data_page(ctx: Context, job: Job) -> render.Page:
    site = ctx.site
    offered = (archive.PARTS, site.archive_date) if site.archive else None
    return opendata.render_data_page(
        ctx.plan, site.name, site.url, ctx.data_sizes, offered, manifest=site.manifest
    )


RENDER: dict[str, Callable[[Context, Job], render.Page]] = {
    "entry": lambda ctx, job: render.render_entry(ctx.plan, ctx.plan.entries[job.index]),
    "report": lambda ctx, job: annual_pages.render_report(
        ctx.plan, ctx.plan.entries[job.index], ctx.report_sizes
    ),
    "listing": lambda ctx, job: listings.render_listing(ctx.plan, ctx.plan.listings[job.listing], job.page),
    "agency": lambda ctx, job: render.render_agency(ctx.plan, job.agency),
    "guide": lambda ctx, job: render.render_guide(ctx.plan, job.agency),
    "catalog": lambda ctx, job: render.render_catalog(ctx.plan, job.agency),
    "reports": lambda ctx, job: annual_pages.render_agency_reports(ctx.plan, job.agency),
    "normative": lambda ctx, job: normative.render_page(ctx.plan, job.agency),
    "profile": lambda ctx, job: render.render_profile(ctx.plan, job.agency),
    "changes": lambda ctx, job: render.render_changes(ctx.plan, job.agency, job.year),
    "withdrawn": lambda ctx, job: render.render_withdrawn(ctx.plan, ctx.plan.changes.withdrawn[job.index]),
    "search": lambda ctx, job: render.render_search(ctx.plan),
    "reports-data": lambda ctx, job: annual_pages.render_data_page(ctx.plan),
    "opendata": _open_data_page,
}


def render_job(ctx: Context, job: Job) -> render.Page:
    return RENDER[job.kind](ctx, job)


# -- keys ------------------------------------------------------------------------------------------


def _entry_key(ctx: Context, job: EntryPage) -> tuple[str, str]:
    plan = ctx.plan
    e = plan.entries[job.index]
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
    shard = sharding.shard_of(plan)[e.url]  # named in the page, for sorting search results by date
    changed = str(plan.changes.changed.get(index_no))
    key = cache.digest(
        ctx.base_key, e.agency_id, e.record.digest, repr(links), repr(files), body_file, shard, changed
    )
    return e.url, key


def _listing_key(ctx: Context, job: ListingPage) -> tuple[str, str]:
    """Exactly what the page shows: its rows, and around them the listing's total and how far the
    landing page reaches (on the landing page) or whether the next newer chunk has a page (on a
    stable page, whose pager links to it; nothing else on a stable page depends on the others)."""
    listing = ctx.plan.listings[job.listing]
    if job.page == LANDING:
        around = f"{len(listing.entries)}\t{listing.stable_pages}"
    else:
        around = str(job.page < listing.stable_pages)
    key = cache.digest(
        ctx.base_key,
        listing.url,
        listing.title,
        repr(job),
        around,
        "\n".join(listing.page_row_keys(job.page)),
    )
    return urls.page_url(listing.url, job.page), key


def _changes_key(ctx: Context, job: ChangesPage) -> tuple[str, str]:
    """A change log holds every event of its year: thousands of rows, worth a key."""
    plan = ctx.plan
    years = plan.changes.years(job.agency)
    shown = job.year or (years[0] if years else None)
    events = "\n".join(
        f"{e.day}\t{e.kind}\t{e.index_no}\t{e.title}\t{e.index_no in plan.by_index}"
        for e in plan.changes.events.get(job.agency, [])
        if e.day.year == shown
    )
    key = cache.digest(ctx.base_key, repr(job), plan.changes.source, repr(years), events)
    return urls.changes_url(job.agency, job.year), key


KEY: dict[str, Callable] = {"entry": _entry_key, "listing": _listing_key, "changes": _changes_key}


def page_key(ctx: Context, job: Job) -> tuple[str, str | None]:
    """The page's URL and its key; ("", None) for a kind that is rendered in every build."""
    key = KEY.get(job.kind)
    return key(ctx, job) if key is not None else ("", None)
