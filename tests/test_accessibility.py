"""Every page type of the sample portal passes axe-core's WCAG 2.1 A and AA rules in Chromium, at
desktop and phone widths, in the light and the dark colour scheme.

axe-core is installed by npm from tests/package.json (``npm ci --prefix tests``, as scripts/test
does). Screenshots of each page type (light at both widths, dark at desktop width) are written to
$GONGKAI_SCREENSHOTS, or else build/screenshots/, for review.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.checks.validate import validate_project
from generator.portal import urls
from generator.portal.plan import plan_site
from tests.conftest import HERE, REPO
from tests.test_search import wait_done

AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
SCHEMES = {"light": "default", "dark": "slate"}  # Playwright's colour scheme -> Material's palette
SHOTS = Path(os.environ.get("GONGKAI_SCREENSHOTS") or REPO / "build" / "screenshots")
PAGE_TYPES = [
    "apply",
    "home",
    "catalog",
    "listing",
    "listing-page",
    "category",
    "agency",
    "entry",
    "on-request",
    "guide",
    "guides",
    "reports-portal",
    "reports",
    "report",
    "search",
    "search-empty",
    "editorial",
    "opendata",
    "changes",
    "not-found",
]
SEARCHES = {"search": "公开", "search-empty": "qzxjvkw"}  # a query with results, one with none


@pytest.fixture(scope="module")
def axe_source() -> str:
    # Fails, not skips: without axe-core this file would prove nothing.
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci --prefix tests` to install axe-core"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def paths(built_sample) -> dict[str, str]:
    """A page of each type, chosen from the sample's own catalogue so that the choice follows it."""
    project, report = validate_project(built_sample)
    assert report.errors == []
    plan = plan_site(project)
    agency = max(plan.reports, key=lambda a: len(plan.reports[a]))  # the longest run of reports
    editorial = sorted(p.stem for p in (built_sample / "content").glob("*.md") if p.stem != "index")
    found = {
        "home": "",
        "catalog": urls.catalog_url(),
        "listing": urls.catalog_url() + "all/",
        "listing-page": urls.page_url(urls.catalog_url() + "all/", 1),  # a stable page, the oldest
        "category": next(x.url for x in plan.listings if x.facet == "category" and x.agency_id is None),
        "agency": urls.agency_url(agency),
        "entry": next(e.url for e in plan.entries if e.proactive and e.report is None),
        "on-request": next(e.url for e in plan.entries if not e.proactive),
        "guide": urls.guide_url(agency),
        "guides": "guides/",
        "reports-portal": urls.reports_url(),
        "reports": urls.reports_url(agency),
        "report": plan.reports[agency][0].url,
        "editorial": editorial[0] + "/",
        "opendata": "data/",
        "apply": "apply/",
        "changes": urls.changes_url(agency),
        "not-found": "404.html",
    }
    found.update({name: "search/?q=" + quote(q) for name, q in SEARCHES.items()})
    assert sorted(found) == sorted(PAGE_TYPES)
    return found


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab per width and colour scheme, reused by every page type."""
    opened = {}

    def get(width: str, scheme: str):
        if (width, scheme) not in opened:
            w, h = WIDTHS[width]
            context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
            opened[width, scheme] = context.new_page()
        return opened[width, scheme]

    yield get
    for page in opened.values():
        page.context.close()


def open_page(page, served: str, path: str, name: str, scheme: str) -> None:
    response = page.goto(served + path)
    assert response is not None and response.status == 200, f"{name}: {path}"
    # The theme follows the reader's system preference (mkdocs.yml's palette).
    page.wait_for_function(f"document.body.dataset.mdColorScheme === {SCHEMES[scheme]!r}")
    if name in SEARCHES:
        wait_done(page)
        assert (page.locator("#gk-results li").count() > 0) == (name == "search"), page.url


def run_axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
        TAGS,
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {' '.join(node['target'])}")
            summary = node["failureSummary"].splitlines()
            lines += [f"      {line.strip()}" for line in summary[1:3]]  # the first reasons
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_has_no_wcag_violations(served, tab, paths, axe_source, name, width, scheme):
    page = tab(width, scheme)
    open_page(page, served, paths[name], name, scheme)
    if scheme == "light" or width == "desktop":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"a11y-{name}-{width}-{scheme}.png"), full_page=True)
    violations = run_axe(page, axe_source)
    assert violations == [], (
        f"{name} ({paths[name]}) at {width} width, {scheme} scheme:\n{describe(violations)}"
    )


def test_table_boxes_scroll_from_the_keyboard_and_have_names(served, tab, paths):
    page = tab("phone", "light")
    for name in ("reports", "report", "listing", "opendata"):
        open_page(page, served, paths[name], name, "light")
        boxes = page.locator(".gk-table-wrap")
        assert boxes.count() > 0, name
        for i in range(boxes.count()):
            box = boxes.nth(i)
            assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
            label = box.evaluate(
                "e => e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')"
                ".split(' ').map(id => document.getElementById(id).textContent).join(' ')"
            )
            assert label.strip(), f"{name}: table box {i} has no name"


FOCUS = """() => {
    // The colour scheme toggle is a pair of hidden radio buttons; the visible label shows the focus.
    let e = document.activeElement;
    if (e.matches("input.md-option")) e = e.parentElement.querySelector("label:not([hidden])");
    const style = getComputedStyle(e), box = e.getBoundingClientRect();
    // The outline is drawn around the element, over what is behind it.
    let back = e.parentElement, background;
    while ((background = getComputedStyle(back).backgroundColor) === "rgba(0, 0, 0, 0)") back = back.parentElement;
    return {
        element: `${e.tagName.toLowerCase()}.${e.className} ${e.textContent.trim().slice(0, 20)}`,
        outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
        colours: [style.outlineColor, background],
        seen: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
    };
}"""


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two computed colours, rgb(...) or rgba(...) (alpha is ignored)."""

    def luminance(colour: str) -> float:
        channels = [float(x) / 255 for x in colour[colour.index("(") + 1 : -1].split(",")[:3]]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_keyboard_focus_is_visible(served, tab, paths, width, scheme):
    """Tabbing through the header and into a page, each focused element is on screen and has an
    outline that stands out (3:1) from what is behind it. On a phone the closed navigation drawer
    is inert, so the walk does not go into it off screen."""
    page = tab(width, scheme)
    open_page(page, served, paths["agency"], "agency", scheme)
    problems, seen = [], set()
    for _ in range(30):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        seen.add(focused["element"])
        if not (focused["seen"] and focused["outline"] > 0 and contrast(*focused["colours"]) >= 3):
            problems.append(focused)
    assert problems == [], "\n".join(map(str, problems))
    assert len(seen) > 20  # the walk went through the header and the tabs into the page


def test_menu_button_has_a_name(served, tab, paths, browser):
    page = tab("phone", "light")
    open_page(page, served, paths["home"], "home", "light")
    # With scripts, the theme's menu label is replaced by a button (see tests/test_keyboard.py).
    assert page.get_by_role("button", name="导航菜单").is_visible()
    # Without them, the label remains, named by its title (a <label> may not carry aria-label).
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    plain = context.new_page()
    plain.goto(served + paths["home"])
    menu = plain.locator('label.md-header__button[for="__drawer"]')
    assert menu.is_visible()
    assert menu.get_attribute("title") == "导航菜单"
    context.close()


@pytest.mark.parametrize("name", ["editorial", "catalog"])  # with and without a table of contents
def test_the_first_stop_is_a_skip_link_in_chinese(served, tab, paths, name):
    page = tab("desktop", "light")
    open_page(page, served, paths[name], name, "light")
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip:focus")
    assert skip.is_visible()  # shown when focused
    assert re.search(r"[\u4e00-\u9fff]", skip.inner_text())
    assert page.locator(skip.get_attribute("href")).count() == 1


VARIANTS = {
    # 繁體: the twin of each page under zh-hant/; 长者模式: as remembered from an earlier visit.
    "traditional": ("zh-hant/", False),
    "elder": ("", True),
}
VARIANT_PAGES = ["home", "catalog", "entry", "on-request", "report", "search", "opendata"]


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_traditional_and_elder_pages_have_no_wcag_violations(
    served, browser, paths, axe_source, variant, width, scheme
):
    prefix, elder = VARIANTS[variant]
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
    if elder:
        context.add_init_script("localStorage.setItem('gongkai-elder', '1')")
    page = context.new_page()
    found = {}
    for name in VARIANT_PAGES:
        open_page(page, served, prefix + paths[name], name, scheme)
        assert page.evaluate("document.documentElement.classList.contains('gk-elder')") == elder
        if prefix:
            assert page.evaluate("document.documentElement.lang") == "zh-Hant"
        if scheme == "light":
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"a11y-{variant}-{name}-{width}.png"), full_page=True)
        violations = run_axe(page, axe_source)
        if violations:
            found[name] = describe(violations)
    context.close()
    assert found == {}, "\n".join(
        f"{variant} {name} at {width}, {scheme}:\n{text}" for name, text in found.items()
    )
