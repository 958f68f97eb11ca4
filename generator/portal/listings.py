"""A listing's pages: its landing page with the newest entries and its stable pages, one per
chunk counted from the oldest, and the pager between them (see :class:`generator.portal.plan.Listing`
and docs/design.md, "Listing pages")."""

from __future__ import annotations

from dataclasses import dataclass

from generator.portal import urls
from generator.portal.plan import LANDING, Listing, SitePlan
from generator.portal.render import Page, breadcrumb_trail, render_template


@dataclass(frozen=True)
class PagerLink:
    text: str
    url: str | None = None  # None: the page itself (aria-current) or a gap
    rel: str | None = None
    current: bool = False


NEARBY = 3  # older pages linked from a page besides the next older one's neighbours


def pager(listing: Listing, number: int) -> list[PagerLink]:
    """The links between a listing's pages, newest on the left.

    A stable page's pager depends on its own number only, and on whether the next newer chunk has
    a page yet: adding an entry never changes it, and completing a chunk changes only the page
    below the new one (its "较新" link leads to the new page instead of the landing page). It
    links to the newest (the landing page), the next newer and older pages, the nearest older pages
    and the oldest; the landing page links to the newest stable pages and the oldest.
    """
    newest = listing.stable_pages
    if newest == 0:
        return []

    def page(n: int, **kwargs) -> PagerLink:
        return PagerLink(str(n), urls.page_url(listing.url, n), **kwargs)

    links: list[PagerLink] = []
    if number == LANDING:
        links.append(PagerLink("最新", current=True))
        top = newest
    else:
        links.append(PagerLink("最新", listing.url))
        newer = number + 1 if number < newest else LANDING
        links.append(PagerLink("较新", urls.page_url(listing.url, newer), rel="prev"))
        if newer != LANDING:
            links.append(page(newer))
        links.append(PagerLink(str(number), current=True))
        top = number - 1
    nearest = list(range(top, max(top - NEARBY, 0), -1))
    links += [page(n) for n in nearest]
    if nearest and nearest[-1] > 2:
        links.append(PagerLink("…"))
    if top >= 1 and 1 not in nearest:
        links.append(page(1))
    if top >= 1:
        links.append(PagerLink("较早", urls.page_url(listing.url, top), rel="next"))
        links.append(PagerLink("最早", urls.page_url(listing.url, 1)))
    return links


def render_listing(plan: SitePlan, listing: Listing, number: int) -> Page:
    """A listing page: its landing page (``LANDING``) or the stable page of a chunk. A stable
    page shows nothing that depends on how many entries the listing has."""
    url = urls.page_url(listing.url, number)
    title = listing.title if number == LANDING else f"{listing.title}（第 {number} 页）"
    rows = listing.page(number)
    html = render_template(
        "listing.html",
        url,
        listing=listing,
        number=number,
        landing=number == LANDING,
        total=len(listing.entries) if number == LANDING else None,
        rows=rows,
        span=(rows[-1].sort_date, rows[0].sort_date) if rows else None,
        pager=pager(listing, number),
        agencies=plan.agencies,
        crumbs=breadcrumb_trail(plan, listing.agency_id, (listing.title.split(" · ", 1)[-1], listing.url)),
    )
    return Page(url, title, html)
