"""``sitemap.xml`` (a sitemap index), its sitemap files and ``robots.txt``, from the plan.

The sitemap protocol wants absolute URLs, so sitemaps are written only when the site's address
(``site_url`` in mkdocs.yml) is known. Each sitemap file holds at most ``MAX_URLS`` URLs; the index
at the site root lists them. A page's ``lastmod`` is the newest date among the records it shows,
never the build's clock (so a listing's stable pages keep theirs when entries are added).

Entry pages, nearly all of a large portal's, go in files of their own, counted from the oldest
entry as the listings' stable pages are (``sitemaps/entries-N.xml``): a new entry changes only the
newest file, so a rebuild writes, audits and uploads one file and not all of them (at 100,000
entries the sitemaps are 90 MB). The other pages are in ``sitemaps/pages-N.xml``, in URL order.

The sitemaps also pair each page with its 繁體 twin (``xhtml:link`` ``hreflang`` alternates, with
the absolute addresses the search engines require), and each folder of Atom feeds has a sitemap of
its feeds. Both for the same reason: Material for MkDocs' script takes every
``<link rel="alternate">`` in a page's head for another version of the site and fetches
``sitemap.xml`` next to it. So the pages' heads name no twin (a twin's folder has no sitemap, and
the script would also take over the link to the twin), and the feeds they announce find a sitemap
where it looks. See docs/design.md, "Alternates and sitemaps".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape

from generator.portal import urls
from generator.portal.chinese import PREFIX
from generator.portal.plan import SitePlan

MAX_URLS = 50_000
NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"  # hreflang alternates, as the search engines read them
INDEX = "sitemap.xml"


def sitemap_file(kind: str, number: int) -> str:
    return f"sitemaps/{kind}-{number}.xml"


Dated = list[tuple[str, date | None]]


def sitemap_pages(plan: SitePlan, editorial: set[str] | frozenset[str] = frozenset()) -> tuple[Dated, Dated]:
    """Every page worth a crawler's visit, with the date of the newest record on it: the entry
    pages, oldest first, and the others in URL order."""
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
    for agency_id in plan.agencies:
        events = plan.changes.events.get(agency_id, [])
        pages[urls.changes_url(agency_id)] = events[0].day if events else None
    for url in sorted(editorial):
        pages.setdefault(url, None)
    entries = []
    for e in reversed(plan.entries):  # oldest first
        changed = plan.changes.changed.get(e.entry.index_no)
        entries.append((e.url, max(e.sort_date, changed) if changed else e.sort_date))
    return entries, sorted(pages.items())


def _loc(site_url: str, url: str) -> str:
    base = site_url.rstrip("/") + "/"
    path = quote(url, safe="/~-._")
    # A site-relative page path (nearly all of them) joins by concatenation: urljoin, which gives
    # the same, costs seconds over a few hundred thousand pages.
    plain = not path.startswith("/") and "://" not in path and ".." not in path.split("/")
    return escape(base + path if plain else urljoin(base, path))


def _url(loc: str, lastmod: date | None, alternates: str = "") -> str:
    modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
    return f"<url><loc>{loc}</loc>{modified}{alternates}</url>\n"


def _lines(site_url: str, url: str, lastmod: date | None, traditional: bool) -> list[str]:
    """The page's ``<url>``, and its 繁體 twin's with both named as each other's alternates."""
    loc = _loc(site_url, url)
    if not traditional:
        return [_url(loc, lastmod)]
    twin = _loc(site_url, PREFIX + url)
    alternates = (
        f'<xhtml:link rel="alternate" hreflang="zh-Hans" href="{loc}"/>'
        f'<xhtml:link rel="alternate" hreflang="zh-Hant" href="{twin}"/>'
    )
    return [_url(loc, lastmod, alternates), _url(twin, lastmod, alternates)]


def _urlset(lines: list[str]) -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}" xmlns:xhtml="{XHTML}">\n'
    return (head + "".join(lines) + "</urlset>\n").encode("utf-8")


def render_sitemaps(
    pages: Dated,
    site_url: str,
    *,
    entries: Dated = (),
    traditional: bool = False,
    feeds: Dated = (),
) -> dict[str, bytes]:
    """The sitemap index and its sitemap files, by output path: ``entries`` (the entry pages,
    oldest first) in runs of a fixed number counted from the first, and the other ``pages``.

    With ``traditional``, every page is listed with its 繁體 twin beside it, and each of the two
    names both as its ``hreflang`` alternates: the pages' heads hold no
    ``<link rel="alternate" hreflang>`` (see docs/design.md, "Alternates and sitemaps"). ``feeds``
    (the Atom feeds) are listed in a sitemap in each of their folders, next to them.
    """
    planned = plan_sitemaps(pages, site_url, entries=entries, traditional=traditional, feeds=feeds)
    return {path: make() for path, (_, make) in planned.items()}


def plan_sitemaps(
    pages: Dated,
    site_url: str,
    *,
    entries: Dated = (),
    traditional: bool = False,
    feeds: Dated = (),
) -> dict[str, tuple[str | bytes, Callable[[], bytes]]]:
    """The files :func:`render_sitemaps` makes, each as all it is made from (a text, or the file's
    bytes where they are made already: the index and the feeds' sitemaps, which are small) and a
    function that makes it, so that a rebuild makes only the sitemaps whose pages or dates
    changed: a new entry changes one file of entry pages, and formatting the 230,000 addresses of
    a 100,000-entry portal took 0.6 s on every build."""
    per_page = 2 if traditional else 1
    files: dict[str, tuple[str | bytes, Callable[[], bytes]]] = {}
    index: list[tuple[str, list[date | None]]] = []
    for kind, listed in (("entries", entries), ("pages", pages)):
        if kind == "entries" and not listed:
            continue
        run = MAX_URLS // per_page
        chunks = [listed[i : i + run] for i in range(0, len(listed), run)] or [[]]
        for number, chunk in enumerate(chunks, 1):
            path = sitemap_file(kind, number)
            source = "".join(f"{url}\t{lastmod}\n" for url, lastmod in chunk)
            files[path] = (
                f"{site_url}\t{traditional}\n{source}",
                partial(_chunk, chunk, site_url, traditional),
            )
            index.append((path, [lastmod for _, lastmod in chunk]))
    folders: dict[str, list[tuple[str, date | None]]] = {}
    for url, lastmod in feeds:
        folders.setdefault(url.rsplit("/", 1)[0] + "/" + INDEX, []).append((url, lastmod))
    for path, listed_feeds in sorted(folders.items()):
        _made(files, path, _urlset([_url(_loc(site_url, url), lastmod) for url, lastmod in listed_feeds]))
        index.append((path, [lastmod for _, lastmod in listed_feeds]))
    lines = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NS}">\n']
    for path, lastmods in index:
        dates = [d for d in lastmods if d is not None]
        modified = f"<lastmod>{max(dates).isoformat()}</lastmod>" if dates else ""
        lines.append(f"<sitemap><loc>{_loc(site_url, path)}</loc>{modified}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    _made(files, INDEX, "".join(lines).encode("utf-8"))
    return files


def _chunk(chunk: Dated, site_url: str, traditional: bool) -> bytes:
    return _urlset([line for url, lastmod in chunk for line in _lines(site_url, url, lastmod, traditional)])


def _made(files: dict[str, tuple[str | bytes, Callable[[], bytes]]], path: str, data: bytes) -> None:
    """A file made already: it is all it is made from."""
    files[path] = (data, lambda: data)


def robots_txt(site_url: str | None) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {urljoin(site_url.rstrip('/') + '/', INDEX)}")
    return ("\n".join(lines) + "\n").encode("utf-8")
