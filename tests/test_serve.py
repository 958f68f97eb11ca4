"""`gongkai serve`: the live preview, with a real server process and Debian's Chromium.

The module serves one copy of the built sample: a saved entry shows after the live reload without
printing the annual reports again, the search index follows, a validation error shows in the
terminal and on the page over the last good preview until it is fixed, a second preview of the
project is refused, and `gongkai build` afterwards gives a clean build's bytes.
"""

from __future__ import annotations

import contextlib
import gzip
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.commands.serve import parse_address
from generator.diagnostics import error
from generator.errors import UsageError
from generator.portal.overlay import render_overlay
from generator.publish.state import BUILD_CACHE
from tests.conftest import copy_sample, run
from tests.preview import SAMPLE_ENTRY_FILE, SAMPLE_ENTRY_URL, free_port, retitle, serving
from tests.test_accessibility import AXE, run_axe
from tests.test_portal import tree_digest

PREVIEW = ".gongkai-cache/preview"
REPORT_PDFS = ".gongkai-cache/report-pdfs"
DATE_ERROR = "catalog/fgw/entries/2024/00001.yaml:4:7: error: “date”（成文日期）：“2024-02-30”不是真实存在的日期：请核对年、月、日"


def stamps(folder: Path, pattern: str) -> dict[str, tuple[int, int]]:
    """Each matching file's inode and modification time: a file written again changes them."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.glob(pattern)
    }


def build_state(root: Path) -> dict[str, str]:
    """What `gongkai build` relies on: the published site and the record of its build."""
    cache = root / ".gongkai-cache"
    state = {"site": tree_digest(root / "site"), "views": tree_digest(cache / "search-views")}
    state["record"] = (cache / BUILD_CACHE).read_bytes().hex()
    state["journal"] = str((cache / "commit.json").exists())
    return state


@pytest.fixture(scope="module")
def project(built_sample, tmp_path_factory) -> Path:
    """A copy of the built sample (its caches with it), built again where it now is, so that it
    has a site and a record of its own."""
    root = tmp_path_factory.mktemp("serve") / "sample"
    shutil.copytree(built_sample, root, symlinks=True, ignore=shutil.ignore_patterns("site", ".site*"))
    assert run("build", str(root)).exit_code == 0
    return root


@pytest.fixture(scope="module")
def preview(project):
    """`gongkai serve` on the project: (URL, process), with the build state from before it."""
    before = build_state(project)
    with serving(project) as (url, process, _):
        yield url, process, before


@pytest.fixture
def entry_page(browser, preview):
    url, _, _ = preview
    page = browser.new_page()
    page.goto(url + SAMPLE_ENTRY_URL)
    yield page
    page.close()


def reload_after(page, change) -> None:
    """Make ``change`` and wait for the live reload it causes."""
    with page.expect_navigation(timeout=120_000):
        change()
    page.wait_for_load_state("domcontentloaded")


def test_a_saved_entry_shows_after_the_reload_without_printing_reports_again(project, entry_page):
    reports = stamps(project / PREVIEW, "agencies/*/reports/*/*.pdf")
    printed = stamps(project / REPORT_PDFS, "*.pdf")
    assert len(reports) == len(printed) == 23  # the sample's annual reports, printed once by the build
    entry = project / SAMPLE_ENTRY_FILE
    started = time.perf_counter()
    reload_after(
        entry_page, lambda: retitle(entry, "关于示例市2024年国民经济和社会发展计划的报告（预览修改）")
    )
    assert (
        entry_page.locator("h1").first.inner_text()
        == "关于示例市2024年国民经济和社会发展计划的报告（预览修改）"
    )
    assert time.perf_counter() - started < 10  # a rebuild of a few pages (the benchmark times it)
    assert entry_page.get_by_role("alert").count() == 0
    assert stamps(project / PREVIEW, "agencies/*/reports/*/*.pdf") == reports
    assert stamps(project / REPORT_PDFS, "*.pdf") == printed


def test_an_edited_report_alone_is_printed_again(project, entry_page):
    reports = stamps(project / PREVIEW, "agencies/*/reports/*/*.pdf")
    printed = stamps(project / REPORT_PDFS, "*.pdf")
    report = project / "catalog/fgw/reports/2024.yaml"
    text = report.read_text(encoding="utf-8")
    assert text.count("本报告所列数据") == 1
    reload_after(
        entry_page, lambda: report.write_text(text.replace("本报告所列数据", "本报告列出的数据"), "utf-8")
    )
    now = stamps(project / PREVIEW, "agencies/*/reports/*/*.pdf")
    pdf = "agencies/fgw/reports/2024/fgw-2024-nianbao.pdf"
    assert {rel for rel in reports if now[rel] != reports[rel]} == {pdf}
    kept = stamps(project / REPORT_PDFS, "*.pdf")
    assert len(kept) == 23 and len(kept.keys() - printed.keys()) == 1  # one printed, its old one gone


def test_the_search_index_follows_the_saved_entry(project, entry_page):
    title = "关于示例市2024年国民经济和社会发展计划的报告（检索修改）"
    reload_after(entry_page, lambda: retitle(project / SAMPLE_ENTRY_FILE, title))
    bundles = project / PREVIEW / "pagefind"  # the sample's index is one shard (2019-2025)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        texts = []
        for path in bundles.glob("*/fragment/*"):
            # A stale fragment may be deleted by the index's commit between listing and reading.
            with contextlib.suppress(FileNotFoundError):
                texts.append(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
        if any(title in text.replace("\u200b", "") for text in texts):
            return
        time.sleep(0.2)
    pytest.fail("the preview's search index did not take the new title")


def test_a_validation_error_shows_on_the_page_over_the_last_good_preview(project, preview, entry_page):
    entry = project / SAMPLE_ENTRY_FILE
    good = entry.read_text(encoding="utf-8")
    shown = entry_page.locator("h1").first.inner_text()
    reload_after(
        entry_page, lambda: entry.write_text(good.replace("date: 2024-01-26", "date: 2024-02-30"), "utf-8")
    )
    alert = entry_page.get_by_role("alert")
    assert alert.count() == 1
    assert alert.locator("p").first.inner_text() == "预览没有更新：发现 1 个错误"
    assert [item.inner_text() for item in alert.locator("li").all()] == [
        "catalog/fgw/entries/2024/00001.yaml:4:7 “date”（成文日期）：“2024-02-30”不是真实存在的日期：请核对年、月、日"
    ]
    assert entry_page.locator("h1").first.inner_text() == shown  # the last good page, beneath
    assert [v["id"] for v in run_axe(entry_page, AXE.read_text(encoding="utf-8"))] == []
    log = (project / "serve.log").read_text(encoding="utf-8")
    assert DATE_ERROR in log.splitlines()
    reload_after(entry_page, lambda: entry.write_text(good, "utf-8"))
    assert entry_page.get_by_role("alert").count() == 0
    assert entry_page.locator("h1").first.inner_text() == shown


def test_a_second_preview_of_the_project_is_refused(project, preview):
    _, process, _ = preview
    result = run("serve", str(project), "-a", f"127.0.0.1:{free_port()}")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"error: 这个项目已经在预览中（进程 {process.pid}）：请使用已经打开的预览，或先停止它（Ctrl+C）"
    )


def test_the_preview_leaves_the_site_and_the_build_alone(project, preview, tmp_path):
    """After the tests that edit the preview: the published site and the state of its build are
    as they were, and the next `gongkai build` gives what a clean build gives."""
    _, _, before = preview
    assert build_state(project) == before
    retitle(project / SAMPLE_ENTRY_FILE, "关于示例市2024年国民经济和社会发展计划的报告（发布）")
    assert run("build", str(project)).exit_code == 0
    clean = tmp_path / "clean"
    shutil.copytree(
        project, clean, ignore=shutil.ignore_patterns("site", ".gongkai-cache", ".site*", "serve.log")
    )
    assert run("build", str(clean)).exit_code == 0
    assert tree_digest(project / "site") == tree_digest(clean / "site")


def test_with_no_good_preview_yet_every_page_is_the_overlay(tmp_path):
    root = copy_sample(tmp_path)
    entry = root / SAMPLE_ENTRY_FILE
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("date: 2024-01-26", "date: 2024-02-30"), "utf-8"
    )
    with serving(root) as (url, _, _):
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(url + SAMPLE_ENTRY_URL)
        page = answer.value.read().decode("utf-8")
    assert answer.value.code == 404
    assert 'role="alert"' in page
    assert "还没有可以预览的网站。请按提示改正并保存，页面会自动刷新。" in page
    assert "catalog/fgw/entries/2024/00001.yaml:4:7</code> “date”（成文日期）" in page
    assert "/livereload/" in page  # it reloads itself once the error is fixed


def test_the_overlay_lists_located_errors_escaped_and_at_most_fifty():
    errors = [error("catalog/a.yaml", n, 1, f"第 {n} 个 <错误>") for n in range(1, 53)]
    html = render_overlay(errors)
    assert html.count("<li") == 50
    assert "第 1 个 &lt;错误&gt;" in html
    assert "预览没有更新：发现 52 个错误" in html
    assert "还有 2 个错误，见运行 gongkai serve 的终端窗口。" in html
    assert "下面显示的是上一次没有错误时的网站。" in html


def test_a_taken_address_is_refused_before_anything_is_built(project, preview):
    url, _, _ = preview
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    result = run("serve", str(project), "-a", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"error: 无法在 127.0.0.1:{port} 上提供预览：Address already in use。请用 -a 换一个地址或端口"
    )


def test_the_address_is_ip_and_port():
    assert parse_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_address("[::1]:8080") == ("::1", 8080)
    with pytest.raises(UsageError) as problem:
        parse_address("8000")
    assert str(problem.value) == "地址应为 IP:端口，例如 127.0.0.1:8000，实为 8000"
