"""Broad queries in a real browser: a query that matches more pages than the search page ranks at
once is listed a run of weeks at a time, newest first (see gongkai-search.js).

The site is a synthetic catalogue with the thresholds and the shard size lowered, so that every
query about its titles is broad and the index has a shard per year; the 100,000-entry timings are in benchmarks/search.py.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import date

import pytest

from generator.devtools.synth import write_synthetic_project
from generator.portal.urls import entry_url
from generator.search import sharding, terms
from tests.conftest import REPO, run, serve_dir
from tests.test_search import open_search, result_paths, show_all, wait_done

BROAD = 10
SPARSE = 4
SHARD = 40


@pytest.fixture(scope="module")
def broad_site(tmp_path_factory):
    root = write_synthetic_project(tmp_path_factory.mktemp("broad") / "p", entries=240, agencies=3)
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(terms, "BROAD_RESULTS", BROAD)
        patch.setattr(terms, "SPARSE_RESULTS", SPARSE)
        patch.setattr(sharding, "SHARD_PAGES", SHARD)  # a shard a year, as a large portal has
        result = run("build", str(root))
    assert result.exit_code == 0, result.output
    server, url = serve_dir(root / "site")
    yield root, url
    server.shutdown()


def weeks_and_dates(page) -> list[tuple[str, str]]:
    """(ISO week, date) of every dated result, in the order shown."""
    found = []
    for meta in page.locator("#gk-results .gk-result-meta").all_inner_texts():
        m = re.search(r"\d{4}-\d{2}-\d{2}", meta)
        if m:
            found.append((terms.week_of(date.fromisoformat(m.group(0))), m.group(0)))
    return found


def total_of(page) -> int:
    return int(re.search(r"找到 (\d+) 条结果", page.inner_text("#gk-search-status")).group(1))


def test_a_broad_query_lists_every_match_newest_week_first(browser, broad_site):
    _, served = broad_site
    page = open_search(browser, served, "通知")
    status = page.inner_text("#gk-search-status")
    assert "结果较多，较新的排在前面" in status
    total = total_of(page)
    assert total > BROAD
    assert page.locator("#gk-results li").count() == 20  # a page of results, not all of them
    show_all(page)
    paths = result_paths(page)
    assert len(paths) == len(set(paths)) == total
    weeks = [week for week, _ in weeks_and_dates(page)]
    assert len(weeks) > BROAD
    assert weeks == sorted(weeks, reverse=True)
    assert page.errors == []
    page.close()


def test_a_broad_query_sorted_by_date_and_filtered(browser, broad_site):
    _, served = broad_site
    page = open_search(browser, served, "通知", sort="date-asc", agency="示例市合成机构001")
    # With a filter, the count comes from the filter worker, after the first results.
    page.wait_for_function("/找到 \\d+ 条结果/.test(document.getElementById('gk-search-status').textContent)")
    total = total_of(page)
    show_all(page)
    metas = page.locator("#gk-results .gk-result-meta").all_inner_texts()
    assert len(metas) == total > 20
    assert all(m.startswith("示例市合成机构001") for m in metas)
    dates = [day for _, day in weeks_and_dates(page)]
    assert dates == sorted(dates)
    page.close()


def test_the_page_a_broad_query_names_exactly_comes_first(browser, broad_site):
    _, served = broad_site
    # An agency's name is in every one of its pages, and names its agency page exactly.
    page = open_search(browser, served, "示例市合成机构001")
    assert "结果较多" in page.inner_text("#gk-search-status")
    assert result_paths(page)[0] == "agencies/jg001/"
    page.close()


def test_a_narrow_query_is_ranked_over_the_whole_index(browser, broad_site):
    root, served = broad_site
    # The oldest published record of an agency with a title of its own: its page is in the oldest
    # shard, which a search by week reaches last, and its title is a query few pages match.
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "catalog").glob("*/entries/*/*.yaml"))]
    titles = Counter(re.search(r"^title: (.+)$", text, re.M).group(1) for text in texts)
    entry = next(
        text
        for path in sorted((root / "catalog" / "jg002" / "entries").glob("*/*.yaml"))
        if "\ndisclosure: 主动公开\n" in (text := path.read_text(encoding="utf-8"))
        and titles[re.search(r"^title: (.+)$", text, re.M).group(1)] == 1
    )
    title = re.search(r"^title: (.+)$", entry, re.M).group(1)
    index_no = re.search(r"^index_no: (.+)$", entry, re.M).group(1)
    page = open_search(browser, served, title)
    wait_done(page)
    status = page.inner_text("#gk-search-status")
    assert status.startswith("找到 ") and "结果较多" not in status, status
    total = total_of(page)
    paths = result_paths(page)
    assert 1 <= total <= BROAD and len(paths) == total
    assert paths[0] == entry_url(index_no)
    assert page.errors == []
    page.close()


def test_a_broad_query_about_an_older_year_skips_the_shards_it_matches_rarely(browser, broad_site):
    root, served = broad_site
    shards = json.loads((root / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    years = sorted({s["name"][:4] for s in shards if s["dated"]})
    assert len(years) >= 3
    oldest = years[0]  # in its own pages' dates and 索引号; in few newer pages, if any
    page = open_search(browser, served, oldest)
    wait_done(page)
    assert "结果较多，较新的排在前面" in page.inner_text("#gk-search-status")
    show_all(page)
    paths = result_paths(page)
    total = total_of(page)
    assert total > BROAD and len(paths) == len(set(paths)) == total
    weeks = [week for week, _ in weeks_and_dates(page)]
    assert weeks == sorted(weeks, reverse=True)
    assert page.errors == []
    page.close()
