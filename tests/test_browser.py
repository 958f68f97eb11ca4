"""The sample portal in a real browser (Debian's Chromium driven by Playwright), desktop and phone.

Screenshots of each page type at both widths are written to build/screenshots/ for review.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO

PAGES = {
    "home": "",
    "catalog": "catalog/",
    "listing": "catalog/all/",
    "entry": "entries/11449950MB2C93010F/2024-00003/",
    "on-request": "entries/11449950MB2C93010F/2025-00013/",
    "guide": "agencies/shizhengfu/guide/",
    "agency": "agencies/donghu/",
    "search": "search/?q=政务公开",
    "report": "agencies/shizhengfu/reports/2024/",
    "reports": "agencies/zjj/reports/",
    "reports-portal": "reports/",
}
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SHOTS = REPO / "build" / "screenshots"


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_fits_the_screen_and_loads_only_local_resources(served, browser, name, width):
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(served + PAGES[name])
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width} width"
    assert [u for u in requested if not u.startswith(served)] == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.close()


def test_on_request_page_in_the_browser_offers_the_guide(served, browser):
    page = browser.new_page()
    page.goto(served + PAGES["on-request"])
    assert page.get_by_text("本信息依申请公开").count() == 1
    page.get_by_role("link", name="示例市人民政府政府信息公开指南").click()
    assert page.url == served + "agencies/shizhengfu/guide/"
    page.close()


def test_listing_pages_work_without_javascript(served, browser):
    """The landing page leads to the stable pages, numbered from the oldest, and back."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + "catalog/all/")
    pager = page.get_by_role("navigation", name="分页")
    assert pager.locator('[aria-current="page"]').inner_text() == "最新"
    pager.get_by_role("link", name="较早").click()
    newest = int(page.url.removeprefix(served + "catalog/all/page/").rstrip("/"))
    assert newest > 1 and page.get_by_role("heading", level=1).inner_text().endswith(f"（第 {newest} 页）")
    pager.get_by_role("link", name="最早").click()
    assert page.url == served + "catalog/all/page/1/"
    pager.get_by_role("link", name="较新").click()
    assert page.url == served + "catalog/all/page/2/"
    pager.get_by_role("link", name="最新").click()
    assert page.url == served + "catalog/all/"
    context.close()


@pytest.mark.parametrize("path", ["", "catalog/all/", "catalog/all/page/1/", PAGES["entry"]])
def test_no_request_fails_and_the_script_toggle_goes_straight_to_the_twin(served, browser, path):
    """Material's script fetches sitemap.xml next to every <link rel="alternate"> and takes over
    clicks on links below one: no page may send it looking where there is none, and the 繁體/简体
    toggle must lead to the twin itself (not to its address without the final slash)."""
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    visited: list[str] = []
    page.on("request", lambda r: r.is_navigation_request() and visited.append(r.url))
    page.goto(served + path)
    page.wait_for_load_state("networkidle")
    for target, name in (("zh-hant/" + path, "繁體"), (path, "简体")):
        page.locator("a.gk-script").click()
        page.wait_for_url(served + target)
        page.wait_for_load_state("networkidle")
        assert page.locator("a.gk-script").inner_text() != name
    assert visited == [served + path, served + "zh-hant/" + path, served + path]
    assert failed == []
    page.close()


def test_report_tables_scroll_in_their_own_box_on_a_phone(served, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(served + PAGES["report"])
    box = page.locator(".gk-report-wrap").nth(1)  # table 3
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls sideways, not the page
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # Scrolling down inside the box keeps the column headings in view.
    head = box.locator("thead")
    box.evaluate("e => { e.scrollTop = 400; }")
    top = box.bounding_box()["y"]
    assert abs(head.bounding_box()["y"] - top) < 2  # stuck to the top of the box
    assert box.locator("tbody tr").nth(0).bounding_box()["y"] < top  # the rows moved up under it
    # Scrolling sideways keeps each row's own label in view at the left edge of the box.
    box.evaluate("e => { e.scrollTop = 0; e.scrollLeft = e.scrollWidth; }")
    left = box.bounding_box()["x"]
    label = box.locator('tbody th[scope="row"]').first
    assert abs(label.bounding_box()["x"] - left) < 2, "the row label scrolled away"
    assert box.evaluate("e => e.scrollLeft") > 20
    first_number = box.locator("tbody tr").first.locator("td").first
    edge = label.bounding_box()
    assert first_number.bounding_box()["x"] < edge["x"] + edge["width"] - 20  # it moved under the label
    page.close()


def test_report_downloads_are_served(served, browser):
    page = browser.new_page()
    page.goto(served + PAGES["report"])
    links = page.locator(".gk-downloads a[download]")
    assert links.count() == 4
    for i in range(4):
        href = links.nth(i).get_attribute("href")
        response = page.request.get(served + PAGES["report"] + href)
        assert response.status == 200 and len(response.body()) > 500, href
    page.close()


def test_the_colour_scheme_chosen_on_an_entry_page_holds_across_the_site(served, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served + PAGES["entry"])
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.get_by_title("切换到深色模式").click()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # From the entry page through the navigation to an engine page, and to a 繁體 record page.
    page.locator(".md-tabs").get_by_role("link", name="信息公开目录").click()
    assert page.url == served + "catalog/"
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.goto(served + "zh-hant/" + PAGES["listing"])
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    # The switch (written by gongkai-palette.js) speaks 繁體 on a 繁體 page.
    page.get_by_title("切換到淺色模式").click()
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    context.close()


def test_a_record_pages_drawer_lists_the_sections_of_its_tabs_and_without_scripts_the_tabs_show(
    served, browser
):
    # The record page carries the sections once, in its tabs (partials/gk-drawer.html).
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(served + PAGES["entry"])
    tabs = page.locator(".md-tabs__link").all_inner_texts()
    assert len(tabs) > 4 and page.locator(".md-tabs").is_hidden()  # a narrow screen: a drawer
    page.get_by_role("button", name="导航菜单").click()
    drawer = page.locator(".md-sidebar--primary")
    assert drawer.locator(".md-nav__link").all_inner_texts() == [t.strip() for t in tabs]
    catalog = drawer.get_by_role("link", name="信息公开目录")
    assert catalog.is_visible()
    catalog.click()
    assert page.url == served + "catalog/"
    context.close()
    plain = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = plain.new_page()
    page.goto(served + PAGES["entry"])
    assert page.locator(".md-tabs").get_by_role("link", name="信息公开目录").is_visible()
    assert page.locator('label.md-header__button[for="__drawer"]').is_hidden()
    plain.close()
