"""The sample portal served under a sub-path: a real ``wget --mirror`` of it holds every page and
browses without broken links, no page links from the site root, and a browser without JavaScript
can walk from the home page to an entry, its attachment and an annual report's downloads.

The site lives at ``http://127.0.0.1:PORT/portal/sub/``; the server's document root holds nothing
else, so a link that climbs out of the sub-path or starts at ``/`` fails instead of finding a page.
"""

from __future__ import annotations

import functools
import http.server
import posixpath
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

SUB = "portal/sub/"
WGET = "/usr/bin/wget"
# Attributes holding a URL the browser loads or follows (form actions are checked separately).
URL_ATTRS = {"href", "src", "poster", "data"}


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves quietly, remembering every error answer with the page that linked to it."""

    errors: list[str]

    def end_headers(self):
        # The handler closes every connection after one answer (HTTP/1.0) but does not say so; wget
        # then reuses the closed connection now and then, gets "No data received" and, with
        # --tries=1, exits 4 (seen in 2 of 60 runs). Saying it keeps the mirror deterministic.
        self.send_header("Connection", "close")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        if isinstance(code, int) and code >= 400:
            self.errors.append(f"{code} {self.path} (linked from {self.headers.get('Referer') or '-'})")

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def subpath(built_sample, tmp_path_factory):
    """The built sample on a local web server under /portal/sub/; yields (site URL, error log)."""
    root = tmp_path_factory.mktemp("subpath-root")
    (root / "portal").mkdir()
    (root / "portal" / "sub").symlink_to(built_sample / "site", target_is_directory=True)
    errors: list[str] = []
    handler_class = type("Handler", (_RecordingHandler,), {"errors": errors})
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{SUB}", errors
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def mirror(subpath, tmp_path_factory):
    """A real ``wget --mirror`` of the sub-path site; yields (wget result, mirror root, server errors)."""
    url, errors = subpath
    target = tmp_path_factory.mktemp("mirror")
    before = len(errors)
    result = subprocess.run(
        [
            WGET,
            "--mirror",
            "--no-parent",
            "--no-host-directories",
            "--page-requisites",
            "-e",
            "robots=off",
            "--no-verbose",
            "--tries=1",
            "--timeout=10",
            "-P",
            str(target),
            url,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result, target / SUB, errors[before:]


# -- reading links out of pages ----------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []  # href, src, ...
        self.actions: list[str] = []  # form actions

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRS:
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())
            elif tag == "form" and name == "action":
                self.actions.append(value)


def links(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    return parser


def is_local(url: str) -> bool:
    """A link into the site: no scheme (http:, mailto:, tel:, data:, javascript:, ...), no host, and
    more than a fragment or query on the same page."""
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc) and bool(parts.path)


def locate(root: Path, page: Path, url: str) -> str:
    """The file under ``root`` that ``url`` on ``page`` leads to (relative, POSIX), or why none."""
    path = urlsplit(url).path
    if path.startswith("/"):
        return "! starts at the site root"
    here = posixpath.dirname(page.relative_to(root).as_posix())
    rel = posixpath.normpath(posixpath.join(here, unquote(path)))
    if rel == ".." or rel.startswith("../"):
        return "! climbs out of the site"
    if (root / rel).is_dir():
        rel = posixpath.normpath(posixpath.join(rel, "index.html"))
    return rel if (root / rel).is_file() else "! missing"


def broken(root: Path, actions: bool = False) -> list[str]:
    found = []
    for page in sorted(root.rglob("*.html")):
        parsed = links(page)
        for url in parsed.actions if actions else parsed.urls:
            if is_local(url) and (found_at := locate(root, page, url)).startswith("!"):
                found.append(f"{page.relative_to(root)} → {url} ({found_at[2:]})")
    return found


def summary(lines: list[str], limit: int | None = None) -> str:
    shown = "\n".join(lines[:limit])
    more = f"\n… and {len(lines) - limit} more" if limit is not None and len(lines) > limit else ""
    return f"{len(lines)} problem(s):\n{shown}{more}"


# -- the mirror ---------------------------------------------------------------------------------------


def test_wget_mirrors_the_sub_path_site_without_errors(mirror):
    result, root, errors = mirror
    # wget exits 0 only when nothing went wrong; 8 means the server answered an error (a broken link).
    wget_errors = [line for line in result.stderr.splitlines() if "ERROR" in line or "failed" in line]
    assert result.returncode == 0, (
        f"wget exited {result.returncode}\n" + summary(errors + wget_errors) + "\n" + result.stderr[-2000:]
    )
    assert errors == [], summary(errors)
    assert (root / "index.html").is_file()


def test_every_link_in_the_mirror_leads_to_a_mirrored_file(mirror):
    _, root, _ = mirror
    pages = list(root.rglob("*.html"))
    assert len(pages) > 100
    problems = broken(root)
    assert problems == [], "broken links in the wget mirror (page → link):\n" + summary(problems)


# The page a server shows for a missing path: nothing links to it by design.
UNLINKED = {"404.html"}


def test_mirror_holds_every_page_and_download(mirror, built_sample):
    """wget followed plain links only, so whatever it fetched is reachable from the home page: every
    page of the build, and every file those pages link to (attachments, report downloads, data)."""
    _, root, _ = mirror
    site = built_sample / "site"
    mirrored = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    entries = {p.relative_to(site).as_posix() for p in (site / "entries").rglob("index.html")}
    assert len(entries) > 100
    assert sorted(entries - mirrored) == [], "entry pages wget did not reach by following links"

    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - UNLINKED
    linked = {
        found_at
        for page in pages
        for url in links(site / page).urls
        if is_local(url) and not (found_at := locate(site, site / page, url)).startswith("!")
    }
    missing_pages = sorted(pages - mirrored)
    missing_files = sorted(linked - pages - mirrored)
    assert missing_pages + missing_files == [], (
        "built but not reachable by plain links from the home page:\n"
        f"pages: {summary(missing_pages)}\nfiles linked from them: {summary(missing_files)}"
    )


def test_search_form_in_the_mirror_leads_to_a_page(mirror):
    """Every page's header search box submits to search/; in a mirror that page must exist too."""
    _, root, _ = mirror
    problems = broken(root, actions=True)
    assert problems == [], "form actions leading nowhere in the wget mirror (page → action):\n" + summary(
        problems, limit=10
    )


def test_no_built_page_links_from_the_site_root(built_sample):
    """Any link starting with / leaves the sub-path: every page of the build, mirrored or not.

    Except the 404 page: a server shows it at any depth, so its links must start from the root; the
    engine takes that root from site_url's path, which is the deployment's sub-path."""
    site = built_sample / "site"
    rooted = []
    for page in sorted(site.rglob("*.html")):
        if page == site / "404.html":
            continue
        parsed = links(page)
        for url in parsed.urls + parsed.actions:
            if is_local(url) and urlsplit(url).path.startswith("/"):
                rooted.append(f"{page.relative_to(site)} → {url}")
    assert rooted == [], "links from the site root (page → link):\n" + summary(rooted)


# -- a browser without JavaScript -----------------------------------------------------------------------

AGENCY = "示例市东湖区人民政府"
CATEGORY = "重大建设项目"
ENTRY = "东湖区人民政府关于东湖大道南延（湖滨南路至环湖路段）道路工程建设项目国有土地上房屋征收的决定"
ATTACHMENT = "东湖大道南延道路工程房屋征收补偿方案"
REPORT = "示例市人民政府2024年政府信息公开工作年度报告"
DOWNLOADS = ["报告全文（PDF）", "表格数据（CSV）", "表格数据（XLSX）", "表格数据（JSON）"]


def test_walk_from_home_to_an_attachment_and_report_downloads_without_javascript(subpath, browser):
    base, _ = subpath
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    requested: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    def record_failure(response):
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", record_failure)
    tabs = page.get_by_role("navigation", name="标签")

    page.goto(base)
    tabs.get_by_role("link", name="信息公开目录", exact=True).click()
    assert page.url == base + "catalog/"
    page.get_by_role("link", name=AGENCY, exact=True).click()
    assert page.url == base + "agencies/donghu/catalog/"
    page.get_by_role("link", name=CATEGORY, exact=True).click()
    assert page.url == base + "agencies/donghu/catalog/category/zhongda-xiangmu/"
    page.get_by_role("link", name=ENTRY, exact=True).click()
    assert page.url == base + "entries/007482532-10-2023-0000009/"
    assert page.get_by_role("heading", level=1).inner_text() == ENTRY

    link = page.get_by_role("link", name=ATTACHMENT, exact=True)
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.url == base + "files/donghu/2023/donghu-dadao-nanyan-buchang-fangan.pdf"
    assert download.failure() is None
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    response = context.request.get(download.url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"

    tabs.get_by_role("link", name="年度报告", exact=True).click()
    assert page.url == base + "reports/"
    page.get_by_role("link", name=REPORT, exact=True).click()
    assert page.url == base + "agencies/shizhengfu/reports/2024/"
    downloads = page.get_by_role("region", name="下载")
    for name in DOWNLOADS:
        href = downloads.get_by_role("link", name=name, exact=True).get_attribute("href")
        response = context.request.get(urljoin(page.url, href))
        assert response.status == 200 and len(response.body()) > 500, (name, href, response.status)
    with page.expect_download() as started:
        downloads.get_by_role("link", name=DOWNLOADS[0], exact=True).click()
    assert Path(started.value.path()).read_bytes()[:5] == b"%PDF-"

    assert failed == []
    assert [u for u in requested if not u.startswith(base)] == []  # nothing outside the sub-path
    context.close()


def test_phone_menu_opens_and_navigates_without_javascript(subpath, browser):
    base, _ = subpath
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base)
    assert not page.get_by_role("navigation", name="标签").is_visible()  # no tabs on a phone
    link = page.get_by_role("navigation", name="导航栏").get_by_role("link", name="年度报告", exact=True)
    assert link.bounding_box()["x"] < 0  # the drawer starts closed, off the screen
    # The menu button is a <label> for the drawer's checkbox: it works with CSS alone.
    page.locator('label.md-header__button[for="__drawer"]').click()
    assert page.locator("#__drawer").is_checked()
    link.click()
    assert page.url == base + "reports/"
    context.close()
