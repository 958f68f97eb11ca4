"""Render the content of portal pages from the plan with Jinja2 (autoescaped).

Each ``render_*`` function returns a :class:`Page`: its URL, its title and the HTML of its content
area. The page chrome (header, navigation, footer) is not made here: it comes from the theme's shell
(``generator.portal.shell``) for fast pages, or from MkDocs for the few pages that sit in its navigation.
Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from generator.checks.coverage import coverage, tally
from generator.models.taxonomy import FUNCTIONS_ITEM, RULES_COLUMN
from generator.portal import urls
from generator.portal.markdown import render_markdown
from generator.portal.plan import PublicEntry, SitePlan
from generator.records.load import taxonomy_for
from generator.search import sharding, terms

HOME_LATEST = 10
AGENCY_LATEST = 10


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    html: str


@dataclass(frozen=True)
class FileLink:
    url: str
    title: str
    kind: str
    size: str


def json_ld(data: dict) -> Markup:
    """``data`` as the text of a ``<script type="application/ld+json">``: no "<" can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def schema_org(plan: SitePlan, e: PublicEntry, page_url: str) -> dict:
    """schema.org metadata of an entry page (a DigitalDocument published by a government body)."""
    entry, agency = e.entry, plan.agencies[e.agency_id]
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Report" if e.report else "DigitalDocument",
        "name": entry.title,
        "identifier": entry.index_no,
        "description": entry.summary.strip(),
        "dateCreated": entry.date.isoformat(),
        "inLanguage": "zh-CN",
        "isAccessibleForFree": True,
        "publisher": {"@type": "GovernmentOrganization", "name": agency.name, "identifier": agency.code},
    }
    if entry.published:
        data["datePublished"] = entry.published.isoformat()
    if entry.keywords:
        data["keywords"] = list(entry.keywords)
    if entry.genre:
        data["genre"] = entry.genre
    if entry.category:
        data["about"] = entry.category
    if entry.doc_no:
        data["alternateName"] = entry.doc_no
    if entry.repealed:
        data["expires"] = entry.repealed.isoformat()
    if e.proactive and entry.attachments:
        data["associatedMedia"] = [
            {
                "@type": "MediaObject",
                "name": a.title or Path(a.file).name,
                "contentUrl": urls.relative(page_url, urls.attachment_url(e.agency_id, a.file)),
            }
            for a in entry.attachments
        ]
    return data


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator.portal", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["tel"] = lambda phone: re.sub(r"[^0-9+]", "", phone)
    env.filters["jsonld"] = json_ld
    env.globals.update(
        agency_url=urls.agency_url,
        guide_url=urls.guide_url,
        catalog_url=urls.catalog_url,
        reports_url=urls.reports_url,
        changes_url=urls.changes_url,
        profile_url=urls.profile_url,
        undated=sharding.UNDATED,
        body_mark=terms.BODY_MARK,
    )
    return env


ENV = _environment()


def render_template(template: str, url: str, **context) -> str:
    return ENV.get_template(template).render(url=url, link=partial(urls.relative, url), **context)


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def file_link(plan: SitePlan, agency_id: str, file: str, title: str | None) -> FileLink:
    path = plan.project.catalog_dir / agency_id / "files" / file
    kind = Path(file).suffix.lstrip(".").upper() or "文件"
    return FileLink(
        urls.attachment_url(agency_id, file), title or Path(file).name, kind, human_size(path.stat().st_size)
    )


def breadcrumb_trail(plan: SitePlan, agency_id: str | None, *tail: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [("首页", ""), ("信息公开目录", urls.catalog_url())]
    if agency_id:
        crumbs.append((plan.agencies[agency_id].name, urls.catalog_url(agency_id)))
    return crumbs + list(tail)


# -- entry pages ---------------------------------------------------------------------------------


def entry_body(plan: SitePlan, e: PublicEntry) -> str:
    """The entry's full text as safe HTML; never for an on-request entry."""
    if not e.proactive:
        return ""
    if e.entry.body is not None:
        return render_markdown(e.entry.body, e.record.path)
    if e.entry.body_file is not None:
        text = (plan.project.root / "content" / e.entry.body_file).read_text(encoding="utf-8")
        return render_markdown(text, f"content/{e.entry.body_file}")
    return ""


def render_entry(plan: SitePlan, e: PublicEntry) -> Page:
    index_no = e.entry.index_no
    incoming = plan.incoming.get(index_no, [])
    related: dict[str, list] = {}
    for link in [*plan.outgoing.get(index_no, []), *incoming]:
        related.setdefault(link.label, []).append(link)
    attachments = (
        [file_link(plan, e.agency_id, a.file, a.title) for a in e.entry.attachments] if e.proactive else []
    )
    html = render_template(
        "entry.html",
        e.url,
        e=e,
        agency=plan.agencies[e.agency_id],
        agencies=plan.agencies,
        crumbs=breadcrumb_trail(plan, e.agency_id, (e.entry.title, e.url)),
        body=entry_body(plan, e),
        attachments=attachments,
        related=list(related.items()),
        replaced_by=[link for link in incoming if link.label in ("废止本文件的文件", "替代本文件的文件")],
        modified_by=[link for link in incoming if link.label == "修改本文件的文件"],
        guide_url=urls.guide_url(e.agency_id),
        apply_url=apply_link(e.agency_id, e.entry),
        shard=sharding.shard_of(plan)[e.url],
        week=terms.week_of(e.sort_date),
        search_terms=terms.entry_terms(
            e.entry.title,
            e.entry.doc_no,
            e.entry.index_no,
            list(e.entry.keywords or []),
            e.entry.reg_no,
        ),
        metadata=schema_org(plan, e, e.url),
        changed=plan.changes.changed.get(index_no),
        changes_url=urls.changes_url(e.agency_id),
    )
    return Page(e.url, e.entry.title, html)


# -- change history ------------------------------------------------------------------------------


def render_changes(plan: SitePlan, agency_id: str, year: int | None = None) -> Page:
    """An agency's change log for ``year`` (None: the newest year, at the log's own URL)."""
    agency = plan.agencies[agency_id]
    years = plan.changes.years(agency_id)
    shown_year = year or (years[0] if years else None)
    newest = years[0] if years else None
    url = urls.changes_url(agency_id, None if year == newest else year)
    groups: dict = {}
    for event in plan.changes.events.get(agency_id, []):
        if event.day.year == shown_year:
            groups.setdefault(event.day, []).append(event)
    title = f"{agency.name}更新记录"
    html = render_template(
        "changes.html",
        url,
        agency=agency,
        year=year if year != newest else None,
        shown_year=shown_year,
        years=years,
        year_url=lambda y: urls.changes_url(agency_id, None if y == newest else y),
        groups=list(groups.items()),
        live=plan.by_index,
        entry_url=urls.entry_url,
        source=plan.changes.source,
        crumbs=breadcrumb_trail(plan, agency_id, ("更新记录", urls.changes_url(agency_id))),
    )
    return Page(url, title if year in (None, newest) else f"{title}（{year}年）", html)


def render_withdrawn(plan: SitePlan, event) -> Page:
    """The page left at a withdrawn entry's URL."""
    url = urls.entry_url(event.index_no)
    html = render_template(
        "withdrawn.html",
        url,
        ev=event,
        agency=plan.agencies[event.agency],
        guide_url=urls.guide_url(event.agency),
        changes_url=urls.changes_url(event.agency),
        catalog_url=urls.catalog_url(event.agency),
        crumbs=breadcrumb_trail(plan, event.agency, ("已撤回的信息", url)),
    )
    return Page(url, f"已撤回：{event.title}", html)


# -- pages in the MkDocs navigation --------------------------------------------------------------


def render_home(plan: SitePlan, site_name: str, intro_html: str = "") -> Page:
    categories = next(f for f in plan.facets[None] if f.key == "category").values
    html = render_template(
        "home.html",
        "",
        site_name=site_name,
        intro=intro_html,
        agencies=plan.agencies,
        latest=plan.entries[:HOME_LATEST],
        categories=categories,
    )
    return Page("", site_name, html)


def render_catalog(plan: SitePlan, agency_id: str | None = None) -> Page:
    url = urls.catalog_url(agency_id)
    scope = plan.entries_of(agency_id) if agency_id else plan.entries
    owner = plan.agencies[agency_id].name if agency_id else "本门户"
    title = f"{plan.agencies[agency_id].name}政府信息公开目录" if agency_id else "政府信息公开目录"
    counts = {a: len(plan.entries_of(a)) for a in plan.agencies} if agency_id is None else {}
    crumbs = breadcrumb_trail(plan, agency_id)
    crumbs[-1] = (crumbs[-1][0] if agency_id is None else title, url)
    html = render_template(
        "catalog.html",
        url,
        title=title,
        owner=owner,
        count=len(scope),
        all_url=url + "all/",
        facets=plan.facets[agency_id],
        agency_links=[(plan.agencies[a], n) for a, n in counts.items()],
        crumbs=crumbs,
    )
    return Page(url, title, html)


def page_names(agency) -> list[str]:
    return [agency.name] + ([agency.short_name] if agency.short_name else [])


def guide_title(plan: SitePlan, agency_id: str) -> str:
    return plan.project.guides[agency_id].title or f"{plan.agencies[agency_id].name}政府信息公开指南"


def guide_titles(plan: SitePlan) -> list[str]:
    return [guide_title(plan, a) for a in plan.agencies if a in plan.project.guides]


def render_agency(plan: SitePlan, agency_id: str) -> Page:
    agency = plan.agencies[agency_id]
    url = urls.agency_url(agency_id)
    html = render_template(
        "agency.html",
        url,
        agency=agency,
        latest=plan.entries_of(agency_id)[:AGENCY_LATEST],
        reports=plan.reports.get(agency_id, []),
        columns=coverage(plan.project, agency_id, plan_tallies(plan)),
        crumbs=[("首页", ""), (agency.name, url)],
        search_terms=terms.page_terms(*page_names(agency)),
    )
    return Page(url, agency.name, html)


def plan_tallies(plan: SitePlan) -> dict:
    """The catalogue's coverage tallies (:func:`generator.checks.coverage.tally`), made once per plan:
    every agency page needs them, and a tally is a pass over the whole catalogue."""
    cached = plan.__dict__.get("_coverage_tallies")
    if cached is None:
        cached = plan.__dict__["_coverage_tallies"] = tally(plan.project)
    return cached


def entries_in_item(plan: SitePlan, agency_id: str, item: str) -> list[PublicEntry]:
    """The agency's public entries (newest first) in the categories that cover ``item``."""
    taxonomy = taxonomy_for(plan.project, agency_id)
    names = set()
    for name, category in taxonomy.categories.items():
        if category.item == item:
            names |= taxonomy.members(name)
    return [e for e in plan.entries_of(agency_id) if e.entry.category in names]


def profile_title(agency) -> str:
    return f"{agency.name}机构职能"


def render_profile(plan: SitePlan, agency_id: str) -> Page:
    """The agency's 机构职能 page from its ``profile`` (条例第二十条第（二）项), with its entries
    under that item."""
    agency = plan.agencies[agency_id]
    url = urls.profile_url(agency_id)
    title = profile_title(agency)
    html = render_template(
        "profile.html",
        url,
        title=title,
        agency=agency,
        profile=agency.profile,
        functions=render_markdown(agency.profile.functions, "catalog/agencies.yaml"),
        entries=entries_in_item(plan, agency_id, FUNCTIONS_ITEM),
        crumbs=[("首页", ""), (agency.name, urls.agency_url(agency_id)), ("机构职能", url)],
        search_terms=terms.page_terms(title),
    )
    return Page(url, title, html)


def render_statutory(plan: SitePlan) -> Page:
    """法定主动公开内容: every agency's columns by statutory item."""
    scopes = [(a, coverage(plan.project, a.id, plan_tallies(plan))) for a in plan.agencies.values()]
    url = urls.STATUTORY_URL
    html = render_template(
        "statutory.html", url, scopes=scopes, crumbs=[("首页", ""), ("法定主动公开内容", url)]
    )
    return Page(url, "法定主动公开内容", html)


def render_rules(plan: SitePlan) -> Page:
    """公开制度: every agency's public entries in its 政府信息公开制度 columns, newest first."""
    shown = {e.url for a in plan.agencies for e in entries_in_item(plan, a, RULES_COLUMN)}
    url = urls.RULES_URL
    html = render_template(
        "rules.html",
        url,
        entries=[e for e in plan.entries if e.url in shown],
        agencies=plan.agencies,
        crumbs=[("首页", ""), ("政府信息公开制度", url)],
    )
    return Page(url, "政府信息公开制度", html)


def render_guide(plan: SitePlan, agency_id: str) -> Page:
    agency = plan.agencies[agency_id]
    guide = plan.project.guides[agency_id]
    url = urls.guide_url(agency_id)
    title = guide_title(plan, agency_id)
    sections = {
        "preface": guide.preface,
        **guide.proactive.model_dump(),
        **{
            k: v
            for k, v in guide.on_request.model_dump().items()
            if k not in ("application_form", "channels")
        },
        "remedies": guide.remedies,
    }
    form = guide.on_request.application_form
    html = render_template(
        "guide.html",
        url,
        title=title,
        guide=guide,
        agency=agency,
        sections={
            k: render_markdown(v, f"catalog/{agency_id}/guide.yaml") if v else "" for k, v in sections.items()
        },
        form=file_link(plan, agency_id, form, "政府信息公开申请表") if form else None,
        apply_url=apply_link(agency_id),
        crumbs=[("首页", ""), ("政府信息公开指南", "guides/"), (title, url)],
        search_terms=terms.page_terms(title),
    )
    return Page(url, title, html)


def render_guides(plan: SitePlan) -> Page:
    html = render_template(
        "guides.html",
        "guides/",
        agencies=plan.agencies,
        crumbs=[("首页", ""), ("政府信息公开指南", "guides/")],
    )
    return Page("guides/", "政府信息公开指南", html)


# -- search --------------------------------------------------------------------------------------

# The search page's filters: Pagefind filter name, URL parameter, label. The entry, agency and guide
# templates mark these filters up (data-pagefind-filter).
SEARCH_FILTERS = (
    ("机构", "agency", "发布机构"),
    ("主题分类", "category", "主题分类"),
    ("年份", "year", "成文年份"),
    ("体裁分类", "genre", "体裁分类"),
    ("有效性", "validity", "有效性"),
    ("公开属性", "disclosure", "公开属性"),
    ("类型", "type", "信息类型"),
)


def searchable_page(html: str) -> str:
    """An editorial page's content, marked for the search index."""
    return (
        '<div data-pagefind-body><span hidden data-pagefind-filter="类型:栏目页面"></span>'
        f'<span hidden data-pagefind-filter="分片:{sharding.UNDATED}"></span>\n' + html + "\n</div>"
    )


SEARCH_SCRIPT = "assets/javascripts/gongkai-search.js"


APPLY_URL = "apply/"


def render_apply(plan: SitePlan) -> Page:
    """依申请公开: every agency's application channels, and the application form to fill in and
    print, filled in from the link's fragment by a script when it carries an entry."""
    agencies = [(a, plan.project.guides[a.id].on_request.channels) for a in plan.agencies.values()]
    html = render_template(
        "apply.html", APPLY_URL, agencies=agencies, crumbs=[("首页", ""), ("依申请公开", APPLY_URL)]
    )
    return Page(APPLY_URL, "依申请公开", html)


def apply_link(agency_id: str, entry=None) -> str:
    """The application form's URL (from the site root), filled in for ``entry`` when given."""
    fields = {"agency": agency_id}
    if entry is not None:
        fields |= {"title": entry.title, "index_no": entry.index_no}
        if entry.doc_no:
            fields["doc_no"] = entry.doc_no
    return APPLY_URL + "#" + urlencode(fields, quote_via=quote)


def render_search(plan: SitePlan) -> Page:
    """The search page: the form, the filters' order and the shards' location; the results come
    from the search index in the browser."""
    portal = {facet.key: [value[0] for value in facet.values] for facet in plan.facets.get(None, [])}
    order = {
        "机构": [agency.name for agency in plan.agencies.values()],
        "主题分类": portal.get("category", []),
        "年份": [value.removesuffix("年") for value in portal.get("year", [])],
        "体裁分类": portal.get("genre", []),
        "有效性": portal.get("validity", []),
        "公开属性": ["主动公开", "依申请公开"],
        "类型": ["目录信息", "年度报告", "公开指南", "机构", "栏目页面"],
    }
    config = {
        # Relative to the search script, which the page in either script loads from one place.
        "index": urls.relative(SEARCH_SCRIPT, "pagefind/"),
        "marks": {"undated": sharding.UNDATED, "terms": terms.TERMS_MARK, "body": terms.BODY_MARK},
        "week": terms.WEEK_FILTER,
        "broad": terms.BROAD_RESULTS,
        "sparse": terms.SPARSE_RESULTS,
        "filters": [
            {"key": k, "param": p, "label": label, "order": order[k]} for k, p, label in SEARCH_FILTERS
        ],
        # A query that is exactly an agency's name or a guide's title leads to that page.
        "names": sorted({n for a in plan.agencies.values() for n in page_names(a)} | set(guide_titles(plan))),
    }
    html = render_template(
        "search.html", "search/", config=config, crumbs=[("首页", ""), ("站内搜索", "search/")]
    )
    return Page("search/", "站内搜索", html)
