"""The main tasks with the keyboard alone, in Chromium: the skip link, and finding an entry by its
topic category, opening it and downloading its attachment; every stop has a visible focus."""

from __future__ import annotations

import pytest

from generator.checks.validate import validate_project
from generator.portal.plan import LANDING, plan_site

TAB_LIMIT = 250


@pytest.fixture(scope="module")
def task(built_sample):
    """A topic category whose first listing page shows an entry with an attachment."""
    project, report = validate_project(built_sample)
    assert not report.errors
    plan = plan_site(project)
    for listing in plan.listings:
        if listing.agency_id is None and listing.facet == "category":
            for e in listing.page(LANDING):
                if e.proactive and e.entry.attachments:
                    return listing.value, e.entry.title, e.entry.attachments[0]
    pytest.fail("the sample has no category listing with an attachment on its first page")


def _tab_to(page, name: str) -> None:
    """Press Tab until the focused element's accessible text is ``name``; check its focus shows."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        text = page.evaluate("(document.activeElement.innerText || '').trim()")
        if text == name:
            outline = page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0"
                " || s.boxShadow !== 'none'; })()"
            )
            assert outline, f"no visible focus on {name!r}"
            return
    pytest.fail(f"{name!r} not reached with {TAB_LIMIT} presses of Tab on {page.url}")


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(served, browser):
    page = browser.new_page()
    page.goto(served + "catalog/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    assert page.evaluate("document.activeElement.innerText.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gk-content"
    # The next stop is in the content, past the header and the tabs.
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#gk-content')")
    page.close()


def test_find_an_entry_by_category_open_it_and_download_its_attachment(served, browser, task):
    category, title, attachment = task
    page = browser.new_page(accept_downloads=True)
    page.goto(served)
    _tab_to(page, "信息公开目录")
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/")
    _tab_to(page, category)
    page.keyboard.press("Enter")
    page.wait_for_url("**/catalog/category/**")
    _tab_to(page, title)
    page.keyboard.press("Enter")
    page.wait_for_url("**/entries/**")
    assert page.locator("h1").inner_text() == title
    _tab_to(page, attachment.title or attachment.file)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == attachment.file.rsplit("/", 1)[-1]
    page.close()


def test_the_navigation_drawer_on_a_phone_opens_and_closes_from_the_keyboard(served, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(served + "catalog/")
    menu = page.get_by_role("button", name="导航菜单")
    assert menu.get_attribute("aria-expanded") == "false"
    # Closed, the drawer's links are not Tab stops: the walk reaches the menu, then the page.
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        assert not page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
        if page.evaluate("document.activeElement.getAttribute('aria-label')") == "导航菜单":
            break
    else:
        pytest.fail("the menu button is not reached with Tab")
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
    assert page.locator(".md-sidebar--primary").get_by_role("link", name="信息公开目录").first.is_visible()
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "导航菜单"
    # On a wide screen the navigation is no drawer, and there is no menu button.
    page.set_viewport_size({"width": 1280, "height": 900})
    assert menu.is_hidden()
    context.close()
