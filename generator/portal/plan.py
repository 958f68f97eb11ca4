"""Plan the portal: which entries are public, their URLs, the links between them, and every listing.

The plan is plain data computed from a validated :class:`~generator.records.load.Project`; nothing here
renders or writes. A 不予公开 entry is dropped here, at the first step after loading, so no later step
can link to it, list it or render it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from generator.annual.checks import litigation
from generator.checks.lifecycle import is_normative, shown_validity
from generator.models.agency import Agency
from generator.models.entry import Disclosure, Entry
from generator.models.taxonomy import Category
from generator.portal import urls
from generator.records.history import Event, project_history, safe_title
from generator.records.load import taxonomy_for
from generator.records.project import EntryRecord, Project, ReportRecord
from generator.safety.privacy import WithheldIndex

PAGE_SIZE = 50
LANDING = 0  # the number of a listing's landing page (its stable pages are numbered from 1)

# How a relation reads on the entry that states it, and on the entry it points to.
RELATION_LABELS = {
    "解读": ("解读的文件", "政策解读"),
    "修改": ("修改的文件", "修改本文件的文件"),
    "废止": ("废止的文件", "废止本文件的文件"),
    "替代": ("替代的文件", "替代本文件的文件"),
    "相关": ("相关文件", "相关文件"),
}
IN_FORCE = ("有效", "已修改")  # the validities of a normative document still in force (as amended)
FACETS = (("category", "主题分类"), ("year", "年份"), ("genre", "体裁分类"), ("validity", "有效性"))


@dataclass(frozen=True)
class PublicEntry:
    """An entry that may appear in the portal (主动公开 or 依申请公开)."""

    record: EntryRecord
    url: str
    sort_date: date
    report: ReportRecord | None = None  # an annual report, listed as an entry; its page is the report

    @property
    def entry(self) -> Entry:
        return self.record.entry

    @property
    def agency_id(self) -> str:
        return self.record.agency

    @property
    def proactive(self) -> bool:
        return self.entry.disclosure is Disclosure.PROACTIVE

    @cached_property
    def row_key(self) -> str:
        """All a listing's row is made from (the entry's page, agency and record): a listing page's
        key joins those of its rows, and an entry is listed on a dozen pages."""
        return f"{self.url}\t{self.record.agency}\t{self.record.digest}"


@dataclass(frozen=True)
class Link:
    label: str
    target: PublicEntry


@dataclass
class Listing:
    """A paginated table of entries, newest first.

    Its pages are chunks of ``PAGE_SIZE`` entries counted from the oldest: chunk k holds entries
    ``[(k-1)*PAGE_SIZE, k*PAGE_SIZE)`` of the oldest-first order, so appending an entry at the newest
    end leaves every full chunk as it was. The landing page at ``url`` (``LANDING``) shows the
    chunks from ``landing_chunk`` up, newest first: the newest full chunk and the partial one above
    it, between ``PAGE_SIZE`` and ``2 * PAGE_SIZE - 1`` entries (all of them in a shorter listing).
    Every chunk below it has a page of its own at ``url + 'page/k/'`` (``stable_pages``), whose
    rows never change when an entry is appended (see docs/design.md, "Listing pages").
    """

    url: str
    title: str
    agency_id: str | None
    facet: str  # "all", "category", "year", "genre" or "validity"
    value: str  # the category or genre name, the year, the validity; "" for "all"
    entries: list[PublicEntry]  # newest first

    @property
    def landing_chunk(self) -> int:
        """The oldest chunk shown on the landing page: the newest full chunk (or chunk 1)."""
        return max(len(self.entries) // PAGE_SIZE, 1)

    @property
    def stable_pages(self) -> int:
        """How many chunks have a page of their own (chunks 1 to ``landing_chunk - 1``)."""
        return self.landing_chunk - 1

    def numbers(self) -> list[int]:
        """Every page of the listing: ``LANDING``, then the stable pages from the oldest."""
        return [LANDING, *range(1, self.stable_pages + 1)]

    def page(self, number: int) -> list[PublicEntry]:
        """The entries of a page (``LANDING`` or a chunk number), newest first."""
        return self.entries[self._bounds(number)]

    def page_row_keys(self, number: int) -> list[str]:
        """The ``row_key`` of each entry of a page (a listing page's key joins them)."""
        return self.row_keys[self._bounds(number)]

    def _bounds(self, number: int) -> slice:
        count = len(self.entries)
        if number == LANDING:
            return slice(0, count - (self.landing_chunk - 1) * PAGE_SIZE)
        if not 1 <= number <= self.stable_pages:
            raise IndexError(f"{self.url}: no page {number}")
        return slice(count - number * PAGE_SIZE, count - (number - 1) * PAGE_SIZE)

    @cached_property
    def row_keys(self) -> list[str]:
        return [e.row_key for e in self.entries]


@dataclass
class Facet:
    """One way to browse a scope (the portal or an agency): its values with counts and URLs."""

    key: str
    label: str
    values: list[tuple[str, int, str, int]] = field(default_factory=list)  # (label, count, url, depth)


@dataclass
class ChangeLog:
    """The catalogue's history as the portal shows it (see :mod:`generator.records.history`)."""

    changed: dict[str, date] = field(default_factory=dict)  # index_no -> last addition or change
    events: dict[str, list[Event]] = field(default_factory=dict)  # by agency, newest first
    withdrawn: list[Event] = field(default_factory=list)  # entries withdrawn and not back
    source: str = "none"

    def years(self, agency_id: str) -> list[int]:
        return sorted({e.day.year for e in self.events.get(agency_id, [])}, reverse=True)


@dataclass
class SitePlan:
    project: Project
    entries: list[PublicEntry]  # newest first
    by_index: dict[str, PublicEntry]
    outgoing: dict[str, list[Link]]
    incoming: dict[str, list[Link]]
    listings: list[Listing]
    facets: dict[str | None, list[Facet]]  # by agency id; None is the whole portal
    by_agency: dict[str, list[PublicEntry]]  # newest first
    reports: dict[str, list[PublicEntry]] = field(default_factory=dict)  # by agency, newest year first
    changes: ChangeLog = field(default_factory=lambda: ChangeLog())
    withheld: WithheldIndex | None = None  # what must never appear in the output (see generator.safety.gate)

    @property
    def agencies(self) -> dict[str, Agency]:
        return self.project.agencies

    @property
    def source_date_epoch(self) -> int:
        """The build's now in seconds (see :mod:`generator.records.clock`): never the wall clock."""
        return self.project.now.seconds

    @cached_property
    def _listings_by_url(self) -> dict[str, Listing]:
        return {listing.url: listing for listing in self.listings}

    def listing_at(self, url: str) -> Listing | None:
        """The listing whose first page is at ``url``."""
        return self._listings_by_url.get(url)

    def entries_of(self, agency_id: str) -> list[PublicEntry]:
        return self.by_agency[agency_id]

    @cached_property
    def in_force(self) -> dict[str, list[PublicEntry]]:
        """Each agency's normative documents in force (有效 or 已修改 as shown on the build's date),
        newest first: its own and those it co-issued. One pass over the catalogue for all agencies."""
        lists: dict[str, list[PublicEntry]] = {agency_id: [] for agency_id in self.agencies}
        for e in self.entries:
            entry = e.entry
            if e.report is None and entry.validity in IN_FORCE and is_normative(entry):
                for agency_id in dict.fromkeys([e.agency_id, *entry.co_issuers]):
                    if agency_id in lists:
                        lists[agency_id].append(e)
        return lists


def plan_changes(project: Project, public: dict[str, PublicEntry], withheld: WithheldIndex) -> ChangeLog:
    """The change log: past titles are checked again, as they may hold what is withheld today."""
    history = project_history(project)
    checked: dict[str, str] = {}

    def shown(event: Event) -> Event:
        current = public.get(event.index_no)
        if current is not None and current.entry.title == event.title:
            return event  # the title the portal shows today: gated already
        if event.title not in checked:
            checked[event.title] = safe_title(event.title, withheld)
        return replace(event, title=checked[event.title])

    events: dict[str, list[Event]] = {agency_id: [] for agency_id in project.agencies}
    for event in reversed(history.events):
        if event.agency in events:
            events[event.agency].append(shown(event))
    withdrawn = [
        shown(e)
        for index_no, e in sorted(history.withdrawn().items())
        if index_no not in public and e.agency in project.agencies
    ]
    changed = {k: v for k, v in history.last_changed().items() if k in public}
    return ChangeLog(changed, events, withdrawn, history.source)


def as_shown(record: EntryRecord, today: date) -> EntryRecord:
    """The record as the portal shows it on ``today``: a document whose term has ended is 失效,
    whatever its file says (the validator asks for the file to say so too)."""
    validity = shown_validity(record.entry, today)
    if validity == record.entry.validity:
        return record
    entry = record.entry.model_copy(update={"validity": validity})
    return replace(record, entry=entry, digest=f"{record.digest}:{validity}")


def plan_site(project: Project) -> SitePlan:
    today = project.now.date
    public = [
        PublicEntry(as_shown(r, today), urls.entry_url(r.entry.index_no), r.entry.published or r.entry.date)
        for r in project.entries
        if r.entry.disclosure is not Disclosure.WITHHELD
    ]
    reports = plan_reports(project)
    public.extend(e for listed in reports.values() for e in listed)
    public.sort(key=lambda e: (e.sort_date, e.entry.index_no), reverse=True)
    by_index = {e.entry.index_no: e for e in public}
    outgoing, incoming = _plan_links(public, by_index)
    by_agency: dict[str, list[PublicEntry]] = {agency_id: [] for agency_id in project.agencies}
    for e in public:
        by_agency[e.record.agency].append(e)
    listings: list[Listing] = []
    facets: dict[str | None, list[Facet]] = {}
    for agency_id in [None, *project.agencies]:
        scope = public if agency_id is None else by_agency[agency_id]
        scope_listings, scope_facets = _plan_scope(project, agency_id, scope)
        listings.extend(scope_listings)
        facets[agency_id] = scope_facets
    withheld = project.withheld
    changes = plan_changes(project, by_index, withheld)
    return SitePlan(
        project, public, by_index, outgoing, incoming, listings, facets, by_agency, reports, changes, withheld
    )


def plan_reports(project: Project) -> dict[str, list[PublicEntry]]:
    """Each annual report as a catalogue entry of its agency, whose page is the report itself.

    A report is proactively disclosed by law, carries its own 索引号, and is listed, browsed and
    searched like any entry; its title, summary, category and genre are derived from it.
    """
    reports: dict[str, list[PublicEntry]] = {agency_id: [] for agency_id in project.agencies}
    for record in sorted(project.reports, key=lambda r: (r.agency, -r.year)):
        entry = report_entry(project, record)
        entry_record = EntryRecord(
            record.agency, record.path, entry, record.doc.position(("index_no",)), (), record.digest
        )
        url = urls.report_url(record.agency, record.year)
        reports[record.agency].append(PublicEntry(entry_record, url, entry.published or entry.date, record))
    return reports


def report_title(project: Project, record: ReportRecord) -> str:
    return (
        record.report.title
        or f"{project.agencies[record.agency].name}{record.year}年政府信息公开工作年度报告"
    )


def report_entry(project: Project, record: ReportRecord) -> Entry:
    report = record.report
    taxonomy = taxonomy_for(project, record.agency)
    summary = f"{record.year}年度政府信息公开工作年度报告"
    if record.tables is not None:
        requests, reviews = record.tables.requests, record.tables.reviews
        summary += (
            f"：本年新收政府信息公开申请{requests['received'][6]}件，予以公开"
            f"{requests['outcomes']['disclosed'][6]}件；政府信息公开行政复议{reviews['review'][4]}件，"
            f"行政诉讼{litigation(reviews)}件。"
        )
    else:
        summary += "（报告文件）。"
    return Entry(
        index_no=report.index_no,
        title=report_title(project, record),
        summary=summary,
        date=report.date,
        disclosure=Disclosure.PROACTIVE,
        published=report.published,
        category="政务公开" if "政务公开" in taxonomy.categories else None,
        genre="报告" if "报告" in taxonomy.genres else None,
        keywords=["政府信息公开", "年度报告"],
        attachments=list(report.attachments),
    )


def _plan_links(public: list[PublicEntry], by_index: dict[str, PublicEntry]):
    outgoing: dict[str, list[Link]] = defaultdict(list)
    incoming: dict[str, list[Link]] = defaultdict(list)
    for source in public:
        for related in source.entry.related:
            target = by_index.get(related.index_no)
            if target is None:  # withheld or missing: never linked
                continue
            forward, backward = RELATION_LABELS[related.relation]
            outgoing[source.entry.index_no].append(Link(forward, target))
            incoming[target.entry.index_no].append(Link(backward, source))
    return outgoing, incoming


def _category_paths(categories: list[Category]) -> dict[str, list[Category]]:
    """Each category name with the chain of categories from the top down to it."""
    paths: dict[str, list[Category]] = {}
    stack = [(c, [c]) for c in reversed(categories)]
    while stack:
        category, chain = stack.pop()
        paths.setdefault(category.name, chain)
        stack.extend((child, [*chain, child]) for child in reversed(category.children))
    return paths


def _plan_scope(project: Project, agency_id: str | None, scope: list[PublicEntry]):
    base = urls.catalog_url(agency_id)
    owner = f"{project.agencies[agency_id].name} · " if agency_id else ""
    listings = [Listing(base + "all/", f"{owner}全部信息", agency_id, "all", "", scope)]
    facets = []

    taxonomy = taxonomy_for(project, agency_id) if agency_id else project.taxonomy
    top = list(taxonomy.categories.values())
    roots = [c for c in top if not any(c in p.children for p in top)]
    paths = _category_paths(roots)
    # One pass over the scope sorts every entry into its facets' groups, keeping the scope's order.
    by_category: dict[str, list[PublicEntry]] = defaultdict(list)
    grouped: dict[str, dict[str, list[PublicEntry]]] = {
        "year": defaultdict(list),
        "genre": defaultdict(list),
        "validity": defaultdict(list),
    }
    by_year, by_genre, by_validity = grouped.values()
    for e in scope:
        entry = e.record.entry
        for category in paths.get(entry.category or "", ()):
            by_category[category.name].append(e)
        by_year[str(entry.date.year)].append(e)
        if entry.genre:
            by_genre[entry.genre].append(e)
        if entry.validity:
            by_validity[entry.validity].append(e)
    facet = Facet("category", "主题分类")
    for name, chain in paths.items():
        members = by_category.get(name, [])
        if not members:
            continue
        category = chain[-1]
        url = f"{base}category/{category.id}/"
        listings.append(Listing(url, f"{owner}主题分类：{name}", agency_id, "category", name, members))
        facet.values.append((name, len(members), url, len(chain) - 1))
    facets.append(facet)

    for key, label, url_of in (
        ("year", "年份", lambda v: v),
        ("genre", "体裁分类", lambda v: taxonomy.genres[v].id),
        ("validity", "有效性", lambda v: urls.VALIDITY_SLUGS[v]),
    ):
        groups = grouped[key]
        order = sorted(groups, reverse=True) if key == "year" else _ordered(key, groups, taxonomy)
        facet = Facet(key, label)
        for value in order:
            url = f"{base}{key}/{url_of(value)}/"
            suffix = "年" if key == "year" else ""
            title = f"{owner}{label}：{value}{suffix}"
            listings.append(Listing(url, title, agency_id, key, value, groups[value]))
            facet.values.append((f"{value}{suffix}", len(groups[value]), url, 0))
        facets.append(facet)
    return listings, facets


def _ordered(key: str, groups: dict, taxonomy) -> list[str]:
    reference = list(taxonomy.genres) if key == "genre" else list(urls.VALIDITY_SLUGS)
    return [v for v in reference if v in groups]
