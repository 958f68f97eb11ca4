"""Which pages each shard of the search index holds (see :mod:`generator.search`)."""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from generator.portal import urls
from generator.portal.plan import SitePlan
from generator.search.terms import week_of

BUNDLE_DIR = "pagefind"
SHARDS_FILE = f"{BUNDLE_DIR}/shards.json"
PAGES_SHARD = "pages"
# Every indexed page has a 分片 filter: the shard of an entry page, or this for pages without a date
# (the search page sorts by date one shard at a time).
UNDATED = "undated"
SHARD_ENV = "GONGKAI_SHARD_PAGES"


def _shard_pages() -> int:
    """Pages a shard holds at most: 12,000, or ``GONGKAI_SHARD_PAGES`` (a smaller number keeps each
    Pagefind process smaller on a runner with little memory, and gives a split build of a small
    catalogue shards to share out; the tests use it so)."""
    given = os.environ.get(SHARD_ENV, "").strip()
    if not given:
        return 12_000
    if not given.isdigit() or int(given) < 1:
        raise SystemExit(f"{SHARD_ENV} must be a whole number of pages, at least 1; it is {given!r}")
    return int(given)


SHARD_PAGES = _shard_pages()
# The newest year's shards are smaller: a new entry (an agency publishes daily) re-indexes its
# shard whole, and Pagefind takes about a second per thousand pages.
RECENT_SHARD_PAGES = 2_000


@dataclass(frozen=True)
class Shard:
    name: str
    pages: tuple[str, ...]  # page URLs ("entries/…/"), in a stable order
    dated: bool = True  # holds entry pages (sorted by date); the undated pages may join it
    weeks: tuple[str, ...] = ()  # the 周 values of its dated pages, newest first


# The record pages plan_shards indexes, by the kind of job that writes them (see publish.page_jobs):
# a rebuild starts the index once these are written.
INDEXED_JOBS = frozenset({"entry", "report", "agency", "guide", "profile"})


def plan_shards(plan: SitePlan, other_pages: Iterable[str] = (), limit: int | None = None) -> list[Shard]:
    """The shards of the search index, entry shards newest first, then the ``pages`` shard
    (``limit``: pages a shard holds at most; ``SHARD_PAGES`` when not given)."""
    shards = list(_entry_shards(plan, SHARD_PAGES if limit is None else limit))
    pages = [urls.agency_url(a) for a in plan.agencies] + [urls.guide_url(a) for a in plan.agencies]
    pages += [urls.profile_url(a.id) for a in plan.agencies.values() if a.profile is not None]
    pages += sorted(set(other_pages))
    # Pages without a date go with the newest entries: word weights (how rare a word is) are
    # computed per shard, and in a shard of their own these few pages would all share most words.
    if shards:
        shards[0] = replace(shards[0], pages=shards[0].pages + tuple(pages))
    else:
        shards.append(Shard(PAGES_SHARD, tuple(pages), dated=False))
    return shards


def _entry_shards(plan: SitePlan, limit: int) -> tuple[Shard, ...]:
    """The shards of the entry pages (computed once per plan and limit)."""
    cached = plan.__dict__.setdefault("_entry_shards", {})
    if limit in cached:
        return cached[limit]
    by_year: dict[int, list] = defaultdict(list)
    for e in plan.entries:  # newest first
        by_year[e.sort_date.year].append(e)
    shards: list[Shard] = []
    for years in reversed(_year_runs({year: len(entries) for year, entries in by_year.items()}, limit)):
        entries = [e for year in reversed(years) for e in by_year[year]]  # newest first
        most = min(limit, RECENT_SHARD_PAGES) if years[-1] == max(by_year) else limit
        if len(entries) <= most:
            name = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
            groups = [(name, entries)]
        else:  # one year (see _year_runs)
            groups = _split_by_month(years[0], entries, most)
        shards.extend(
            Shard(
                name,
                tuple(e.url for e in group),
                weeks=tuple(sorted({week_of(e.sort_date) for e in group}, reverse=True)),
            )
            for name, group in groups
        )
    cached[limit] = tuple(shards)
    return cached[limit]


def _year_runs(sizes: dict[int, int], limit: int) -> list[list[int]]:
    """Runs of consecutive years, oldest first, each of at most ``limit`` pages (a larger year is a
    run of its own, split by month later); the run of the newest year holds at most
    ``RECENT_SHARD_PAGES``, else that year is a run of its own.

    Runs are formed from the oldest year, so that a new entry (nearly always in the newest year)
    changes only the newest run: the older shards, and their index, stay as they are. A small
    portal is one shard: the search page, and a federation's, loads a bundle per shard."""
    runs: list[list[int]] = []
    for year in sorted(sizes):
        if runs and sum(sizes[y] for y in runs[-1]) + sizes[year] <= limit:
            runs[-1].append(year)
        else:
            runs.append([year])
    if runs and len(runs[-1]) > 1 and sum(sizes[y] for y in runs[-1]) > min(limit, RECENT_SHARD_PAGES):
        runs.append([runs[-1].pop()])
    return runs


def undated_shard(plan: SitePlan) -> str:
    """The shard the pages without a date join (see plan_shards)."""
    shards = _entry_shards(plan, SHARD_PAGES)
    return shards[0].name if shards else PAGES_SHARD


def shard_of(plan: SitePlan) -> dict[str, str]:
    """The shard of each entry page, by URL (computed once per plan)."""
    cached = plan.__dict__.get("_search_shards")
    if cached is None:
        cached = {url: s.name for s in _entry_shards(plan, SHARD_PAGES) for url in s.pages}
        plan.__dict__["_search_shards"] = cached
    return cached


def _split_by_month(year: int, entries: list, limit: int) -> list[tuple[str, list]]:
    """Runs of whole months of about equal size (at most ``limit`` where a month allows), newest
    first, each named by its first month."""
    by_month: dict[int, list] = defaultdict(list)
    for e in entries:
        by_month[e.sort_date.month].append(e)
    target = len(entries) / math.ceil(len(entries) / limit)
    runs: list[tuple[int, list]] = []  # (first month, entries newest first), oldest run first
    for month in sorted(by_month):
        if runs and len(runs[-1][1]) < target and len(runs[-1][1]) + len(by_month[month]) <= limit:
            runs[-1] = (runs[-1][0], by_month[month] + runs[-1][1])
        else:
            runs.append((month, list(by_month[month])))
    return [(f"{year}-{month:02d}", group) for month, group in reversed(runs)]
