"""长者模式 (the elderly-friendly mode) in Chromium: the header switch, what it changes, that the
browser remembers it, and that printing uses the same larger type."""

from __future__ import annotations

import pytest

ENTRY = "entries/11449950MB2C93010F/2024-00003/"
BODY_TEXT = "article.gk-entry p:not([class])"
MIN_BODY_PX = 18
MIN_TARGET_PX = 44  # WCAG 2.5.5's target size


def _font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


@pytest.mark.parametrize("width", [1280, 390])
def test_the_switch_enlarges_type_and_targets_and_is_remembered(served, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served + ENTRY)
    switch = page.get_by_role("button", name="长者模式")
    assert switch.get_attribute("aria-pressed") == "false"
    normal = _font_px(page, BODY_TEXT)
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    assert _font_px(page, BODY_TEXT) >= MIN_BODY_PX > normal
    for selector in (".gk-breadcrumbs a", ".gk-elder-toggle", ".gk-script"):
        height = page.locator(selector).first.evaluate("e => e.getBoundingClientRect().height")
        assert height >= MIN_TARGET_PX, f"{selector} is {height}px high"
    # Simpler chrome: no previous/next footer.
    assert page.locator(".md-footer__inner").first.is_hidden()
    # Remembered on the next page, in either script, before the page is drawn.
    page.goto(served + "catalog/")
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')")
    page.goto(served + "zh-hant/" + ENTRY)
    assert page.get_by_role("button", name="長者模式").get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="長者模式").click()
    page.goto(served + ENTRY)
    assert _font_px(page, BODY_TEXT) == normal
    context.close()


def test_the_switch_works_from_the_keyboard(served, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + ENTRY)
    page.get_by_role("button", name="长者模式").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.classList.contains('gk-elder')")
    page.keyboard.press("Space")
    assert not page.evaluate("document.documentElement.classList.contains('gk-elder')")
    context.close()


def test_printing_uses_the_larger_type(served, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served + ENTRY)
    page.emulate_media(media="print")
    assert _font_px(page, BODY_TEXT) >= MIN_BODY_PX
    assert page.locator(".md-header").first.is_hidden()
    context.close()


def test_without_javascript_there_is_no_switch_that_does_nothing(served, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served + ENTRY)
    assert page.locator("#gk-elder-toggle").is_hidden()
    assert page.get_by_role("link", name="繁體", exact=True).is_visible()
    context.close()
