"""Search over the built sample portal, in a real browser (Debian's Chromium driven by Playwright)
against the real Pagefind index served on localhost.

The query suite's precision at 3 is written to build/search-report.txt.
"""

from __future__ import annotations

import gzip
import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.conftest import REPO

# (query, the page that must be among the first three results, what kind of query it is)
QUERIES = [
    # titles and phrases from titles
    ("街道权责清单", "entries/007482532-01-2023-0000012/", "title"),
    ("社会信用体系建设规划", "entries/11449950MB2C93029C/2021-00011/", "title"),
    ("重要民生商品价格监测", "entries/11449950MB2C93029C/2024-00009/", "title"),
    ("一图读懂住房公积金", "entries/11449950MB2C930452/2022-00008/", "title"),
    ("宏达化工", "entries/007482532-06-2022-0000010/", "title"),
    ("学优优教育", "entries/11449950MB2C930377/2021-00011/", "title"),
    ("农村人居环境", "entries/007482532-02-2020-0000007/", "title"),
    ("2024年政务公开工作要点", "entries/11449950MB2C93010F/2024-00007/", "title"),
    ("物业服务企业信用信息管理办法", "entries/11449950MB2C930452/2021-00004/", "title"),
    ("东湖区2024年区级财政决算", "entries/007482532-07-2025-0000011/", "title"),
    ("义务教育阶段学校招生入学 2025", "entries/11449950MB2C930377/2025-00004/", "title"),
    ("防汛抗旱应急物资储备", "entries/007482532-02-2025-0000007/", "title"),
    # phrases from body text
    ("公务用车运行维护费", "entries/11449950MB2C930377/2022-00010/", "body"),
    ("惠企利民政策", "entries/11449950MB2C93010F/2024-00007/", "body"),
    ("复印纸", "entries/007482532-09-2022-0000002/", "body"),
    ("协议储备和产能储备", "entries/007482532-02-2025-0000007/", "body"),
    ("最短公示期", "entries/11449950MB2C93029C/2025-00003/", "body"),
    # 文号, as written and with other brackets
    ("东府〔2023〕41号", "entries/007482532-01-2023-0000012/", "文号"),
    ("示发改规〔2020〕3号", "entries/11449950MB2C93029C/2020-00010/", "文号"),
    ("示教〔2024〕15号", "entries/11449950MB2C930377/2024-00004/", "文号"),
    ("示府办函〔2020〕58号", "entries/11449950MB2C93010F/2020-00014/", "文号"),
    ("示教罚〔2021〕3号", "entries/11449950MB2C930377/2021-00011/", "文号"),
    ("示建规[2021]1号", "entries/11449950MB2C930452/2021-00004/", "文号"),
    ("东府（2022）33号", "entries/007482532-06-2022-0000010/", "文号"),
    # 索引号, both patterns in the sample
    ("11449950MB2C93029C/2021-00012", "entries/11449950MB2C93029C/2021-00012/", "索引号"),
    ("11449950MB2C930452/2022-00008", "entries/11449950MB2C930452/2022-00008/", "索引号"),
    ("11449950MB2C930377/2023-00010", "entries/11449950MB2C930377/2023-00010/", "索引号"),
    ("007482532-07-2025-0000011", "entries/007482532-07-2025-0000011/", "索引号"),
    ("007482532-03-2024-0000001", "entries/007482532-03-2024-0000001/", "索引号"),
    # agencies, guides, editorial pages
    ("示例市发展和改革委员会", "agencies/fgw/", "机构"),
    ("市教育局", "agencies/jyj/", "机构"),
    ("东湖区政府", "agencies/donghu/", "机构"),
    ("示例市人民政府政府信息公开指南", "agencies/shizhengfu/guide/", "指南"),
    ("关于本站", "about/", "栏目"),
    # two characters
    ("滨江", "entries/11449950MB2C930377/2024-00011/", "两字"),
    ("宏达", "entries/007482532-06-2022-0000010/", "两字"),
    ("学优", "entries/11449950MB2C930377/2021-00011/", "两字"),
    ("化工", "entries/007482532-06-2022-0000010/", "两字"),
    ("读懂", "entries/11449950MB2C930452/2022-00008/", "两字"),
]
TWO_CHARACTER = ["公开", "通知", "决算", "纪要", "人居", "预算"]
WITHHELD_TITLE = "东湖区2023年第一季度城乡最低生活保障对象家庭经济状况核对明细"
ON_REQUEST_BODY = "扬尘防治措施不到位"  # only in the body of an 依申请公开 entry
REPORT = REPO / "build" / "search-report.txt"


def open_search(browser, served, query: str = "", **params: str):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    url = served + "search/"
    params = {"q": query, **params} if query else params
    if params:
        url += "?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.gkSearch === 'ready'")
    wait_done(page)
    page.errors = errors
    return page


def wait_done(page) -> None:
    page.wait_for_function(
        "document.getElementById('gk-results').getAttribute('aria-busy') === 'false'"
        " && document.getElementById('gk-facets').getAttribute('aria-busy') !== 'true'"
        " && (document.getElementById('gk-search-status').textContent !== ''"
        "     || !new URLSearchParams(location.search).toString())"
    )


def result_paths(page) -> list[str]:
    return page.eval_on_selector_all(
        "#gk-results li h3 a", "links => links.map(a => new URL(a.href).pathname.slice(1))"
    )


def result_titles(page) -> list[str]:
    return page.eval_on_selector_all("#gk-results li h3 a", "links => links.map(a => a.textContent)")


def test_query_suite_finds_the_right_page_in_the_top_three(browser, served):
    assert len(QUERIES) >= 30
    misses, lines = [], []
    page = browser.new_page()
    for query, expected, kind in QUERIES:
        page.goto(served + "search/?q=" + quote(query))
        wait_done(page)
        found = result_paths(page)
        rank = found.index(expected) + 1 if expected in found else None
        lines.append(f"{'hit ' if rank and rank <= 3 else 'MISS'} {kind}\t{query}\trank {rank or '-'}")
        if not rank or rank > 3:
            misses.append(f"{query} ({kind}): {expected} at rank {rank}, top three {found[:3]}")
    page.close()
    hits = len(QUERIES) - len(misses)
    precision = hits / len(QUERIES)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(
        f"precision at 3: {hits}/{len(QUERIES)} = {precision:.3f}\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    assert not misses, "\n".join(misses)


@pytest.fixture(scope="module")
def sample_plan(built_sample):
    from generator.checks.validate import validate_project
    from generator.portal.plan import plan_site

    project, _ = validate_project(built_sample, safety_gate=False)
    return plan_site(project)


def show_all(page) -> None:
    for _ in range(100):
        if not page.locator("#gk-more").is_visible():
            return
        shown = page.locator("#gk-results li").count()
        page.locator("#gk-more").click()
        page.wait_for_function(f"document.querySelectorAll('#gk-results li').length > {shown}")
        wait_done(page)
    pytest.fail("more than 100 pages of results")


@pytest.mark.parametrize("word", TWO_CHARACTER)
def test_two_character_queries_find_every_title_containing_them(browser, served, sample_plan, word):
    titled = {e.url for e in sample_plan.entries if word in e.entry.title}
    assert titled
    page = open_search(browser, served, word)
    titles = result_titles(page)
    first = min(3, len(titled))
    assert all(word in title for title in titles[:first]), titles[:first]
    show_all(page)
    missing = titled - set(result_paths(page))
    assert not missing
    page.close()


def test_results_show_title_agency_date_document_number_and_a_highlighted_excerpt(browser, served):
    page = open_search(browser, served, "示教〔2024〕15号")
    first = page.locator("#gk-results li").first
    assert (
        first.locator("h3 a").inner_text() == "示例市教育局关于做好2024年义务教育阶段学校招生入学工作的通知"
    )
    meta = first.locator(".gk-result-meta").inner_text()
    assert "示例市教育局" in meta and "示教〔2024〕15号" in meta and re.search(r"\d{4}-\d{2}-\d{2}", meta)
    assert "11449950MB2C930377/2024-00004" in first.locator(".gk-result-index").inner_text()
    page.close()
    page = open_search(browser, served, "政策文件库")
    marks = page.locator("#gk-results li").first.locator(".gk-result-excerpt mark").all_inner_texts()
    assert marks and all(m in "政策文件库" for m in marks)
    assert "gkterms" not in page.locator("#gk-results").inner_text()
    assert page.errors == []
    page.close()


def test_filters_narrow_results_and_show_counts(browser, served):
    page = open_search(browser, served, "通知")
    total = int(re.search(r"找到 (\d+) 条", page.inner_text("#gk-search-status")).group(1))
    agencies = page.locator("#gk-facets fieldset", has_text="发布机构")
    box = agencies.get_by_role("checkbox", name=re.compile("^示例市教育局"))
    count = int(agencies.locator("label", has_text="示例市教育局").locator(".gk-count").inner_text())
    assert 0 < count < total
    box.check()
    wait_done(page)
    assert "agency=" in page.url
    status = page.inner_text("#gk-search-status")
    assert f"找到 {count} 条" in status
    metas = page.locator("#gk-results .gk-result-meta").all_inner_texts()
    assert metas and all(m.startswith("示例市教育局") for m in metas)
    # A second filter narrows further; the URL carries both, so the search can be bookmarked.
    page.locator("#gk-facets fieldset", has_text="成文年份").get_by_role(
        "checkbox", name=re.compile("^2024")
    ).check()
    wait_done(page)
    query = parse_qs(urlsplit(page.url).query)
    assert query["agency"] == ["示例市教育局"] and query["year"] == ["2024"]
    assert all("2024" in m or "2025" in m for m in page.locator(".gk-result-meta").all_inner_texts())
    reopened = open_search(browser, served, "通知", agency="示例市教育局", year="2024")
    assert result_paths(reopened) == result_paths(page)
    assert reopened.get_by_role("checkbox", name=re.compile("^示例市教育局")).is_checked()
    page.get_by_role("button", name="清除全部筛选").click()
    wait_done(page)
    assert f"找到 {total} 条" in page.inner_text("#gk-search-status")
    page.close()
    reopened.close()


@pytest.mark.parametrize("order", ["date-desc", "date-asc"])
def test_sorting_by_date_orders_every_result(browser, served, order):
    page = open_search(browser, served, "通知", sort=order)
    total = int(re.search(r"找到 (\d+) 条", page.inner_text("#gk-search-status")).group(1))
    show_all(page)
    dates = [
        re.search(r"\d{4}-\d{2}-\d{2}", m).group(0)
        for m in page.locator(".gk-result-meta").all_inner_texts()
        if re.search(r"\d{4}-\d{2}-\d{2}", m)
    ]
    assert page.locator("#gk-results li").count() == total
    assert len(dates) > 40
    assert dates == sorted(dates, reverse=order == "date-desc")
    assert page.locator("#gk-search-sort").input_value() == order
    page.close()


def test_withheld_and_on_request_text_cannot_be_found(browser, served, built_sample):
    page = open_search(browser, served, WITHHELD_TITLE)
    assert WITHHELD_TITLE not in result_titles(page)
    assert "007482532-11-2023-0000004" not in " ".join(result_paths(page))
    page.close()
    page = open_search(browser, served, ON_REQUEST_BODY)
    assert result_paths(page) == []
    assert "没有找到" in page.inner_text("#gk-search-status")
    page.close()
    # Nor is either anywhere in the index files themselves.
    for path in (built_sample / "site" / "pagefind").rglob("*"):
        if path.is_file() and path.suffix in (".pf_fragment", ".pf_index", ".pf_meta", ".pf_filter"):
            text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            assert WITHHELD_TITLE not in text and ON_REQUEST_BODY not in text, path


def test_search_by_keyboard_from_the_header_to_an_entry(browser, served):
    page = browser.new_page()
    page.goto(served + "catalog/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "gk-header-q":
            break
    else:
        pytest.fail("the header's search box cannot be reached with the Tab key")
    page.keyboard.type("宏达化工")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_function("document.documentElement.dataset.gkSearch === 'ready'")
    wait_done(page)
    assert page.input_value("#gk-search-q") == "宏达化工"
    assert page.get_attribute("#gk-search-status", "role") == "status"
    for _ in range(200):  # past the filters, which come first
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#gk-results') !== null"):
            break
    else:
        pytest.fail("the results cannot be reached with the Tab key")
    # Filters come before the results in tab order; a checkbox toggles with the space bar.
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/entries/007482532-06-2022-0000010/$"))
    page.close()


def test_filters_toggle_from_the_keyboard(browser, served):
    page = open_search(browser, served, "通知")
    box = page.locator("#gk-facets input[type=checkbox]").first
    box.focus()
    page.keyboard.press("Space")
    wait_done(page)
    assert page.locator("#gk-facets input[type=checkbox]").first.is_checked()
    assert page.evaluate("document.activeElement.type") == "checkbox"
    page.close()


def test_typing_updates_results_and_the_address(browser, served):
    page = open_search(browser, served)
    assert page.evaluate("document.activeElement.id") == "gk-search-q"
    page.keyboard.type("复印纸")
    page.wait_for_function("location.search.includes('q=')")
    wait_done(page)
    assert "entries/007482532-09-2022-0000002/" in result_paths(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == ["复印纸"]
    page.close()


def test_a_query_submitted_while_the_index_loads_waits_for_it(browser, served):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The shard list is held back (the request stays pending, nothing blocks) until the query has
    # been submitted, so the index cannot finish loading before it.
    held = []

    def hold(route):
        held.append(route)

    page.route("**/pagefind/shards.json", hold)
    page.goto(served + "search/", wait_until="domcontentloaded")
    page.evaluate("window.gkSamePage = true")  # gone if the form reloads the page instead
    page.fill("#gk-search-q", "复印纸")
    page.press("#gk-search-q", "Enter")
    deadline = time.monotonic() + 10
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert len(held) == 1, "the index never asked for its shard list"
    # The query is taken and waits: no index yet, the results busy, the address already updated.
    assert page.evaluate("document.documentElement.dataset.gkSearch") is None
    assert page.get_attribute("#gk-results", "aria-busy") == "true"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["复印纸"]
    held[0].continue_()
    page.wait_for_function("document.documentElement.dataset.gkSearch === 'ready'")
    wait_done(page)
    assert "entries/007482532-09-2022-0000002/" in result_paths(page)
    assert page.evaluate("window.gkSamePage") is True
    assert page.is_hidden("#gk-search-failed") and errors == []
    page.close()


def test_every_page_has_the_header_search_box(browser, served):
    page = browser.new_page()
    for path in ("", "catalog/all/", "entries/11449950MB2C93010F/2024-00003/", "about/"):
        page.goto(served + path)
        form = page.locator("form.gk-header-search")
        assert form.count() == 1
        action = page.evaluate("new URL(document.querySelector('form.gk-header-search').action).pathname")
        assert action == "/search/", path
    page.close()


def test_offline_copy_says_search_needs_a_server(browser, built_sample):
    page = browser.new_page()
    page.goto((built_sample / "site" / "search" / "index.html").as_uri())
    notice = page.locator("#gk-search-offline")
    notice.wait_for(state="visible")
    assert "file://" in notice.inner_text()
    notice.get_by_role("link", name="政府信息公开目录").click()
    assert page.url.endswith("/catalog/index.html") or page.url.endswith("/catalog/")
    page.close()


def test_search_page_without_javascript_points_to_the_catalogue(browser, served):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "search/?q=通知")
    text = page.inner_text("article")
    assert "搜索需要启用 JavaScript" in text and "政府信息公开目录" in text
    context.close()


def test_the_index_lists_its_shards_and_leaves_out_pagefinds_ready_made_ui(built_sample):
    bundle = built_sample / "site" / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text(encoding="utf-8"))
    names = [s["name"] for s in manifest["shards"]]
    assert names == ["2019-2025"]  # 440 entries over seven years: one shard (see search._year_runs)
    assert (
        sum(s["pages"] for s in manifest["shards"])
        == len(list(Path(built_sample / "site" / "entries").rglob("index.html")))
        + len(list(Path(built_sample / "site" / "agencies").glob("*/reports/*/index.html")))
        + 5
        + 5
        + 5
        + 1
    )  # entries, annual reports, agencies, guides, 机构职能 pages, the about page
    for shard in names:
        assert (bundle / shard / "pagefind-entry.json").is_file()
        assert not (bundle / shard / "pagefind-ui.js").exists()
