"""Atom feeds of new disclosures: the portal's, each agency's, each topic category's, and the annual
reports'. Written with feedgen (a maintained Atom/RSS writer on lxml) from the plan alone.

A feed holds the newest ``FEED_SIZE`` items of its scope, newest first. Its ``updated`` is the date of
its newest item, never the clock, so the same records give the same bytes. Ids are ``urn:uuid:``
names derived from the 索引号 (entries) or the feed's path (feeds): they stay the same when the
portal moves to another host. Links are absolute when ``site_url`` is configured, else relative to
the feed's own URL (which RFC 4287 resolves against the feed document).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from html import escape
from urllib.parse import urljoin

from feedgen.feed import FeedGenerator

from generator.portal import urls
from generator.portal.plan import PublicEntry, SitePlan

FEED_SIZE = 50
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://gongkai.invalid/ns")  # a fixed namespace of our own


@dataclass(frozen=True)
class Feed:
    url: str  # e.g. feeds/all.xml
    title: str
    subtitle: str
    page: str  # the HTML page this feed follows
    entries: list[PublicEntry]


def feed_url(kind: str, key: str | None = None) -> str:
    """``all`` (every new disclosure), ``reports``, ``agency`` (key: agency id) or ``category``
    (key: the category's id in taxonomy.yaml)."""
    if kind in ("all", "reports"):
        return f"feeds/{kind}.xml"
    return f"feeds/{'agencies' if kind == 'agency' else 'categories'}/{key}.xml"


def plan_feeds(plan: SitePlan, site_name: str) -> list[Feed]:
    feeds = [
        Feed(
            feed_url("all"),
            f"{site_name}：最新公开信息",
            "本门户各机构最新主动公开和依申请公开目录信息",
            urls.catalog_url() + "all/",
            plan.entries[:FEED_SIZE],
        ),
        Feed(
            feed_url("reports"),
            f"{site_name}：政府信息公开工作年度报告",
            "各机构最新公布的政府信息公开工作年度报告",
            urls.reports_url(),
            sorted(
                (e for reports in plan.reports.values() for e in reports),
                key=lambda e: (e.sort_date, e.entry.index_no),
                reverse=True,
            )[:FEED_SIZE],
        ),
    ]
    for agency_id, agency in plan.agencies.items():
        feeds.append(
            Feed(
                feed_url("agency", agency_id),
                f"{agency.name}：最新公开信息",
                f"{agency.name}最新公开的政府信息",
                urls.catalog_url(agency_id) + "all/",
                plan.entries_of(agency_id)[:FEED_SIZE],
            )
        )
    for listing in plan.listings:
        if listing.agency_id is None and listing.facet == "category":
            category_id = listing.url.rstrip("/").rsplit("/", 1)[-1]
            feeds.append(
                Feed(
                    feed_url("category", category_id),
                    f"{site_name}：{listing.value}",
                    f"主题分类“{listing.value}”下最新公开的政府信息",
                    listing.url,
                    listing.entries[:FEED_SIZE],
                )
            )
    return feeds


SITE_FEEDS = (("最新公开信息", feed_url("all")), ("政府信息公开工作年度报告", feed_url("reports")))


def page_feeds(plan: SitePlan, url: str) -> list[tuple[str, str]]:
    """The feeds a record page announces besides the portal's: its agency's, or its category's."""
    parts = url.split("/")
    if parts[0] == "agencies" and len(parts) > 2 and parts[1] in plan.agencies:
        return [(f"{plan.agencies[parts[1]].name}最新公开信息", feed_url("agency", parts[1]))]
    if url.startswith("catalog/category/") and len(parts) > 3:
        listing = plan.listing_at(f"catalog/category/{parts[2]}/")
        if listing is not None:
            return [(f"主题分类：{listing.value}", feed_url("category", parts[2]))]
    return []


CHINA_STANDARD_TIME = timezone(timedelta(hours=8))


def timestamp(day: date) -> datetime:
    """A record's date as a time: midnight, China Standard Time (written ``…T00:00:00+08:00``).
    A datetime, not text: feedgen parses text with dateutil, which took most of a feed's time."""
    return datetime.combine(day, time(), CHINA_STANDARD_TIME)


def link_to(site_url: str | None, feed: str, target: str) -> str:
    if site_url:
        return urljoin(site_url.rstrip("/") + "/", target)
    return urls.relative(feed, target)


def entry_id(e: PublicEntry) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, 'entry:' + e.entry.index_no)}"


def render_feed(plan: SitePlan, feed: Feed, site_url: str | None, site_name: str) -> bytes:
    fg = FeedGenerator()
    fg.id(f"urn:uuid:{uuid.uuid5(NAMESPACE, 'feed:' + feed.url)}")
    fg.title(feed.title)
    fg.subtitle(feed.subtitle)
    fg.language("zh-CN")
    fg.generator("Gongkai")
    fg.author(name=site_name)
    fg.link(href=link_to(site_url, feed.url, feed.url), rel="self", type="application/atom+xml")
    fg.link(href=link_to(site_url, feed.url, feed.page), rel="alternate", type="text/html")
    updated = {
        e.url: max(e.sort_date, plan.changes.changed.get(e.entry.index_no, e.sort_date)) for e in feed.entries
    }
    fg.updated(timestamp(max(updated.values(), default=plan.project.now.date)))
    for e in feed.entries:
        item = fg.add_entry(order="append")
        item.id(entry_id(e))
        item.title(e.entry.title)
        item.link(href=link_to(site_url, feed.url, e.url), rel="alternate", type="text/html")
        item.updated(timestamp(updated[e.url]))
        item.published(timestamp(e.sort_date))
        item.author(name=plan.agencies[e.agency_id].name)
        item.summary(_summary(e))
        for term in (e.entry.category, e.entry.genre):
            if term:
                item.category(term=term)
    return fg.atom_str(pretty=True)


def _summary(e: PublicEntry) -> str:
    parts = [e.entry.summary.strip()]
    if e.entry.doc_no:
        parts.append(f"文号：{e.entry.doc_no}")
    parts.append(f"索引号：{e.entry.index_no}")
    if e.entry.validity:
        parts.append(f"有效性：{_validity(e.entry)}")
    if not e.proactive:
        parts.append("本信息依申请公开。")
    return "\n".join(parts)


def _validity(entry) -> str:
    if entry.repealed and entry.validity in ("已废止", "失效"):
        return f"{entry.validity}（{entry.repealed}）"
    if entry.expires and entry.validity == "失效":
        return f"失效（有效期至 {entry.expires}）"
    if entry.expires:
        return f"{entry.validity}（有效期至 {entry.expires}）"
    return entry.validity


def head_links(feeds: list[tuple[str, str]] | tuple, page_url: str) -> str:
    """Autodiscovery ``<link>`` tags for a page: (title, feed URL) pairs, linked relatively."""
    return "".join(
        f'<link rel="alternate" type="application/atom+xml" title="{escape(title)}" '
        f'href="{escape(urls.relative(page_url, url))}">'
        for title, url in feeds
    )
