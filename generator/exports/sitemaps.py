"""``sitemap.xml`` (a sitemap index), its sitemap files and ``robots.txt``, from the plan.

The sitemap protocol wants absolute URLs, so sitemaps are written only when the site's address
(``site_url`` in mkdocs.yml) is known. Each sitemap file holds at most ``MAX_URLS`` URLs; the index
at the site root lists them. A page's ``lastmod`` is the newest date among the records it shows,
never the build's clock (so a listing's stable pages keep theirs when entries are added).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape

from generator.portal import urls
from generator.portal.plan import SitePlan

MAX_URLS = 50_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
INDEX = "sitemap.xml"


def sitemap_file(number: int) -> str:
    return f"sitemaps/sitemap-{number}.xml"


def sitemap_pages(
    plan: SitePlan, editorial: set[str] | frozenset[str] = frozenset()
) -> list[tuple[str, date | None]]:
    """Every page worth a crawler's visit, with the date of the newest record on it."""
    newest = plan.entries[0].sort_date if plan.entries else None
    pages: dict[str, date | None] = {"": newest, urls.catalog_url(): newest, urls.reports_url(): None}
    pages["guides/"] = None
    pages[urls.STATUTORY_URL] = newest
    pages[urls.RULES_URL] = None
    reports = [e for listed in plan.reports.values() for e in listed]
    if reports:
        pages[urls.reports_url()] = max(e.sort_date for e in reports)
    for agency_id in plan.agencies:
        own = plan.entries_of(agency_id)
        latest = own[0].sort_date if own else None
        pages[urls.agency_url(agency_id)] = latest
        pages[urls.catalog_url(agency_id)] = latest
        pages[urls.guide_url(agency_id)] = None
        if plan.agencies[agency_id].profile is not None:
            pages[urls.profile_url(agency_id)] = None
        own_reports = plan.reports.get(agency_id, [])
        pages[urls.reports_url(agency_id)] = own_reports[0].sort_date if own_reports else None
    for listing in plan.listings:
        for number in listing.numbers():
            rows = listing.page(number)  # newest first
            pages[urls.page_url(listing.url, number)] = rows[0].sort_date if rows else None
    for e in plan.entries:
        changed = plan.changes.changed.get(e.entry.index_no)
        pages[e.url] = max(e.sort_date, changed) if changed else e.sort_date
    for agency_id in plan.agencies:
        events = plan.changes.events.get(agency_id, [])
        pages[urls.changes_url(agency_id)] = events[0].day if events else None
    for url in sorted(editorial):
        pages.setdefault(url, None)
    return sorted(pages.items())


def _loc(site_url: str, url: str) -> str:
    base = site_url.rstrip("/") + "/"
    path = quote(url, safe="/~-._")
    # A site-relative page path (nearly all of them) joins by concatenation: urljoin, which gives
    # the same, costs seconds over a few hundred thousand pages.
    plain = not path.startswith("/") and "://" not in path and ".." not in path.split("/")
    return escape(base + path if plain else urljoin(base, path))


def render_sitemaps(pages: list[tuple[str, date | None]], site_url: str) -> dict[str, bytes]:
    """The sitemap index and its sitemap files, by output path."""
    files: dict[str, bytes] = {}
    chunks = [pages[i : i + MAX_URLS] for i in range(0, len(pages), MAX_URLS)] or [[]]
    index = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n']
    for number, chunk in enumerate(chunks, 1):
        lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}">\n']
        for url, lastmod in chunk:
            modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
            lines.append(f"<url><loc>{_loc(site_url, url)}</loc>{modified}</url>\n")
        lines.append("</urlset>\n")
        files[sitemap_file(number)] = "".join(lines).encode("utf-8")
        dates = [d for _, d in chunk if d is not None]
        modified = f"<lastmod>{max(dates).isoformat()}</lastmod>" if dates else ""
        index.append(f"<sitemap><loc>{_loc(site_url, sitemap_file(number))}</loc>{modified}</sitemap>\n")
    index.append("</sitemapindex>\n")
    files[INDEX] = "".join(index).encode("utf-8")
    return files


def robots_txt(site_url: str | None) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {urljoin(site_url.rstrip('/') + '/', INDEX)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
