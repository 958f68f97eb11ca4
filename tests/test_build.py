"""`gongkai build` through the real site engine on the sample portal and on small projects."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import BROKEN, copy_sample, run, write
from tests.test_portal import check_links, tree_digest

MKDOCS_YML = """site_name: 测试市政府信息公开
docs_dir: content
theme:
  name: material
  language: zh
  font: false
plugins:
  - gongkai
nav:
  - 首页: index.md
  - 信息公开目录: catalog/index.md
  - 公开指南: guides/index.md
  - 年度报告: reports/index.md
"""


@pytest.fixture(scope="module")
def sample_site(built_sample) -> Path:
    """The sample as built once for the whole run (conftest's built_sample): these tests only read it."""
    return built_sample / "site"


def test_build_reports_where_the_site_is(sample_site):
    assert (sample_site / "index.html").is_file()


def test_no_mark_of_the_page_shell_is_left_and_the_header_names_the_page(sample_site):
    left = [
        p.relative_to(sample_site).as_posix()
        for p in sample_site.rglob("*.html")
        if "@@GONGKAI" in p.read_text(encoding="utf-8")
    ]
    assert left == []
    page = (sample_site / "apply/index.html").read_text(encoding="utf-8")
    topic = page.partition('data-md-component="header-topic">')[2]
    assert re.match(r'\s*<span class="md-ellipsis">\s*依申请公开\s*</span>', topic)


def test_sample_site_has_no_broken_links(sample_site):
    assert check_links(sample_site) == []


def test_sample_site_requests_nothing_from_another_host(sample_site):
    for page in sample_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", html):
            if 'rel="canonical"' in tag:
                continue  # names the page's address; nothing is fetched from it
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (page, tag)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    for css in sample_site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_every_public_entry_has_a_page_and_no_withheld_one_does(built_sample, sample_site):
    from generator.checks.validate import validate_project
    from generator.models.entry import Disclosure
    from generator.portal.urls import entry_url

    project, _ = validate_project(built_sample)  # the records the site was built from
    for record in project.entries:
        page = sample_site / entry_url(record.entry.index_no) / "index.html"
        assert page.is_file() == (record.entry.disclosure is not Disclosure.WITHHELD), record.path


def test_nothing_from_catalog_but_published_files(sample_site):
    assert not list(sample_site.rglob("*.yaml"))
    assert not (sample_site / "_gongkai").exists()
    # The engine's sitemap is replaced by Gongkai's index of sitemaps dated from the records.
    assert "<sitemapindex" in (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (sample_site / "sitemap.xml.gz").exists()


def test_two_builds_are_byte_identical(tmp_path):
    root = copy_sample(tmp_path)
    assert run("build", str(root)).exit_code == 0
    first = tree_digest(root / "site")
    assert run("build", str(root)).exit_code == 0
    assert tree_digest(root / "site") == first


def small_project(project: Path) -> Path:
    write(project, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    return project


def test_failed_build_keeps_the_previous_site(project):
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    before = tree_digest(root / "site")
    shutil.copy(BROKEN / "index-year.yaml", root / "catalog/alpha/entries/2024/case.yaml")
    result = run("build", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith("catalog/alpha/entries/2024/case.yaml:1:11: error: 索引号中的年份 2023")
    assert "error: 构建已停止，原来的网站保持不变：请先改正上面的问题" in result.stderr
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_a_strict_build_with_an_engine_warning_keeps_the_previous_site(project):
    """MkDocs aborts a strict build only after its last event, which is when the new site would
    be put in place: the plugin must stop it before."""
    root = small_project(project)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "strict: true\n", encoding="utf-8")
    assert run("build", str(root)).exit_code == 0
    before = tree_digest(root / "site")
    write(root, {"content/about.md": "# 关于\n\n[指南](nowhere.md)\n"})
    result = run("build", str(root))
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: 构建失败，原来的网站保持不变：1 个警告（mkdocs.yml 设置了 strict: true），构建已停止\n"
    )
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_interrupted_build_leaves_no_half_written_site(project, monkeypatch):
    from generator.publish import write as portal_writer

    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    before = tree_digest(root / "site")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(portal_writer, "copy_files", interrupted)
    write(root, {"content/about.md": "# 关于本站\n\n修订。\n"})
    result = run("build", str(root))
    assert result.exit_code == 1 and "Aborted!" in result.stderr  # Ctrl-C mid-build
    assert tree_digest(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site.building-")]
    monkeypatch.undo()
    assert run("build", str(root)).exit_code == 0  # the next build clears the leftover staging dir
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_only_pages_and_assets_from_content_are_published(project):
    root = small_project(project)
    write(
        root,
        {"content/notes.txt": "草稿", "content/assets/logo.svg": "<svg/>", "content/old/draft.docx": b"x"},
    )
    assert run("build", str(root)).exit_code == 0
    site = root / "site"
    assert (site / "assets" / "logo.svg").is_file()
    assert not (site / "notes.txt").exists() and not (site / "old").exists()
    assert (site / "about" / "index.html").is_file()


def test_content_index_becomes_the_home_introduction(project):
    root = small_project(project)
    write(root, {"content/index.md": "欢迎访问**测试市**政府信息公开门户。\n"})
    assert run("build", str(root)).exit_code == 0
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "欢迎访问<strong>测试市</strong>政府信息公开门户。" in home
    assert '<h2 id="gk-agencies-title">公开机构</h2>' in home


def test_build_needs_a_config(tmp_path):
    result = run("build", str(tmp_path))
    assert result.exit_code == 2
    assert "找不到" in result.stderr and "mkdocs.yml" in result.stderr


def test_rebuild_after_an_edit_equals_a_clean_build_and_reuses_unchanged_pages(tmp_path, year_shards):
    from generator.portal.urls import entry_url

    root = copy_sample(tmp_path / "incremental")
    assert run("build", str(root)).exit_code == 0
    site = root / "site"
    untouched = site / entry_url("11449950MB2C93010F/2024-00003") / "index.html"
    edited_url = entry_url("11449950MB2C93029C/2024-00005")
    inode = untouched.stat().st_ino
    # The search index: only the shard holding the edited entry is indexed again.
    shard_2019 = site / "pagefind" / "2019" / "pagefind-entry.json"
    shard_2024 = site / "pagefind" / "2024" / "pagefind-entry.json"
    shard_inodes = (shard_2019.stat().st_ino, shard_2024.stat().st_ino)
    entry = root / "catalog/fgw/entries/2024/00005.yaml"
    text = entry.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
    entry.write_text(text.replace(f"title: {title}", f"title: {title}（修订）"), encoding="utf-8")

    assert run("build", str(root)).exit_code == 0
    assert untouched.stat().st_ino == inode  # linked from the previous site, not rendered again
    assert shard_2019.stat().st_ino == shard_inodes[0]
    assert shard_2024.stat().st_ino != shard_inodes[1]
    assert f"{title}（修订）" in (site / edited_url / "index.html").read_text(encoding="utf-8")
    clean = copy_sample(tmp_path / "clean")
    shutil.copy(entry, clean / "catalog/fgw/entries/2024/00005.yaml")
    result = run("build", str(clean))
    assert result.exit_code == 0, result.output
    assert tree_digest(site) == tree_digest(clean / "site")


def test_rebuild_in_worker_processes_equals_a_clean_build(tmp_path, monkeypatch):
    """A rebuild makes the page keys in the main process and hands only the changed pages to the
    workers: renaming an agency changes every page."""
    from generator.publish import pages

    monkeypatch.setattr(pages, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(pages, "BATCH", 7)
    root = copy_sample(tmp_path / "incremental")
    assert run("build", str(root)).exit_code == 0
    agencies = root / "catalog/agencies.yaml"
    agencies.write_text(
        agencies.read_text(encoding="utf-8").replace(
            "name: 示例市人民政府\n", "name: 示例市人民政府（新）\n"
        ),
        encoding="utf-8",
    )
    assert run("build", str(root)).exit_code == 0
    site = root / "site"
    assert "示例市人民政府（新）" in (site / "index.html").read_text(encoding="utf-8")
    clean = copy_sample(tmp_path / "clean")
    shutil.copy(agencies, clean / "catalog/agencies.yaml")
    result = run("build", str(clean))
    assert result.exit_code == 0, result.output
    assert tree_digest(site) == tree_digest(clean / "site")


def test_unchanged_inputs_leave_the_site_as_it_is(project):
    root = small_project(project)
    first = run("build", str(root))
    assert first.stdout.startswith("已生成网站：")
    home = root / "site" / "index.html"
    inode = home.stat().st_ino
    again = run("build", str(root))
    assert again.exit_code == 0 and again.stdout.startswith("网站已是最新，无需重新生成：")
    assert home.stat().st_ino == inode
    assert run("build", str(root), "--clean").stdout.startswith("已生成网站：")
    assert home.stat().st_ino != inode


def test_no_input_file_changed_is_told_from_the_stamps_without_reading_a_record(portal, monkeypatch):
    """When every input file has the stamp it had when the live site's build began, the build is
    up to date at once and repeats that build's report; any change to a file, the site or the
    clock's sources sends it back to reading the records."""
    from generator.commands import build as command
    from generator.records import load

    root = small_project(portal)
    explained = root / "catalog/alpha/entries/2024/00014.yaml"
    explained.write_text(
        explained.read_text(encoding="utf-8").replace("title: ", "title: +"), encoding="utf-8"
    )
    monkeypatch.setattr(load, "RACY_NS", 0)  # the files were written just now; see the next test
    first = run("build", str(root))

    def warnings(result) -> list[str]:
        return [line for line in result.output.splitlines() if "warning:" in line]

    assert first.exit_code == 0 and warnings(first)  # the report to repeat
    real, calls = command.validate_project, []

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(command, "validate_project", counted)
    again = run("build", str(root))
    assert again.stdout.count("网站已是最新，无需重新生成：") == 1 and calls == []
    assert warnings(again) == warnings(first)

    entry = root / "catalog/alpha/entries/2024/00015.yaml"
    entry.write_bytes(entry.read_bytes())  # the same bytes: read again, found unchanged
    assert run("build", str(root)).stdout.count("网站已是最新，无需重新生成：") == 1 and len(calls) == 1
    assert run("build", str(root)).stdout.count("网站已是最新，无需重新生成：") == 1 and len(calls) == 1

    sums = root / "site" / "SHA256SUMS"
    sums.write_bytes(sums.read_bytes() + b"\n")  # not the site that build left
    assert run("build", str(root)).exit_code == 0 and len(calls) == 2

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # 2030: the clock decides dates shown
    assert run("build", str(root)).stdout.count("已生成网站：") == 1 and len(calls) == 3
    assert run("build", str(root)).stdout.count("网站已是最新，无需重新生成：") == 1 and len(calls) == 3

    entry.write_text(
        entry.read_text(encoding="utf-8").replace("占用挖掘管理办法", "占用挖掘管理规定"), encoding="utf-8"
    )
    assert run("build", str(root)).stdout.count("已生成网站：") == 1 and len(calls) == 4
    page = (root / "site" / "catalog").rglob("*.html")
    assert any("占用挖掘管理规定" in path.read_text(encoding="utf-8") for path in page)


def test_a_build_begun_just_after_a_change_records_no_stamps(project):
    """A file changed within the file system clock's tick of the build's start may change again
    without its stamp changing: nothing is recorded, and the next build reads the records."""
    from generator.publish import unchanged

    root = small_project(project)
    assert run("build", str(root)).exit_code == 0  # the project's files were written just now
    assert not (root / ".gongkai-cache" / unchanged.RECORD).exists()


def test_commit_cut_short_is_completed_by_the_next_build(portal, monkeypatch):
    from generator.publish import staging

    root = small_project(portal)
    assert run("build", str(root)).exit_code == 0
    entry = root / "catalog/alpha/entries/2024/00015.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("占用挖掘管理办法", "占用挖掘管理规定"), encoding="utf-8"
    )
    (root / "catalog/alpha/entries/2024/00017.yaml").unlink()  # a page to delete, too
    real = staging.finish_commit

    def killed_after_journal(journal, *args, **kwargs):
        if journal.exists():
            raise KeyboardInterrupt  # killed right after the journal was written
        return real(journal, *args, **kwargs)

    monkeypatch.setattr(staging, "finish_commit", killed_after_journal)
    assert run("build", str(root)).exit_code == 1
    assert (root / ".gongkai-cache" / "commit.json").exists()
    monkeypatch.setattr(staging, "finish_commit", real)
    write(root, {"content/about.md": "# 关于\n\n再次构建。\n"})
    assert run("build", str(root)).exit_code == 0
    assert not (root / ".gongkai-cache" / "commit.json").exists()
    clean = root.parent / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".gongkai-cache", ".site*"))
    assert run("build", str(clean)).exit_code == 0
    assert tree_digest(root / "site") == tree_digest(clean / "site")


NEWEST = """index_no: {index_no}
title: 关于印发示例市2025年新增事项工作要点的通知
summary: 新增的一条信息。
date: 2025-12-20
disclosure: 主动公开
published: 2025-12-22
category: 政务公开
genre: 通知
keywords: [新增, 工作要点]
body: |
  新增的一条信息。
"""


def _site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _listing_files(plan) -> dict[str, set[str]]:
    """Each listing's page files (both scripts), by the listing's URL."""
    from generator.portal import urls

    return {
        listing.url: {
            prefix + urls.output_path(urls.page_url(listing.url, n))
            for n in listing.numbers()
            for prefix in ("", "zh-hant/")
        }
        for listing in plan.listings
    }


def test_a_new_newest_entry_rewrites_only_the_landing_and_top_listing_pages(tmp_path, monkeypatch):
    """Listing pages are chunks counted from the oldest: an entry appended at the newest end
    changes each of its listings' landing page and, when it completes a chunk, the page below the
    new chunk's page; every other listing page stays byte for byte. The rebuild equals a clean build."""
    from dataclasses import replace

    from generator.commands.build import build_site
    from generator.devtools.synth import write_synthetic_project
    from generator.exports import sitemaps
    from generator.portal import plan as plan_module
    from generator.portal import urls
    from tests.test_portal import plan_of

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767139200")  # 2025-12-31: the new entry leaves "now" alone
    root = copy_sample(tmp_path / "incremental")
    shutil.rmtree(root / "catalog")
    write_synthetic_project(root, entries=160, agencies=3)
    # Small pages, of a size the new entry completes a chunk of the portal-wide listing with.
    count = len(plan_of(root).listing_at("catalog/all/").entries)
    monkeypatch.setattr(plan_module, "PAGE_SIZE", next(n for n in range(3, 20) if (count + 1) % n == 0))
    monkeypatch.setattr(sitemaps, "MAX_URLS", 100)  # entry sitemaps of 50 entries (and twins)
    assert run("build", str(root)).exit_code == 0
    before_plan = plan_of(root)
    before = _site_bytes(root / "site")
    code = before_plan.agencies["jg000"].code
    folder = root / "catalog/jg000/entries/2025"
    serial = max(int(p.stem) for p in folder.glob("*.yaml")) + 1
    index_no = f"{code}/2025-{serial:05d}"
    (folder / f"{serial:05d}.yaml").write_text(NEWEST.format(index_no=index_no), encoding="utf-8")
    # Feeds and sitemaps are made again every build, but those this entry leaves as they were are
    # not written again (nor audited, nor put in place).
    kept = ["robots.txt", "feeds/agencies/jg001.xml", "sitemaps/entries-1.xml"]
    inodes = {rel: (root / "site" / rel).stat().st_ino for rel in kept}
    made = [p for folder in ("feeds", "sitemaps") for p in (root / "site" / folder).rglob("*.xml")]
    made += [root / "site" / name for name in ("sitemap.xml", "robots.txt", "data/dcat.jsonld")]
    result = build_site(root)
    assert {rel: (root / "site" / rel).stat().st_ino for rel in kept} == inodes
    assert 3 <= result.times.counts["feeds"] < len(made) / 2
    after_plan = plan_of(root)
    after = _site_bytes(root / "site")
    assert after_plan.entries[0].entry.index_no == index_no  # the newest of the catalogue

    old_files, new_files = _listing_files(before_plan), _listing_files(after_plan)
    rewritten = {rel for rel in set().union(*new_files.values()) if before.get(rel) != after[rel]}
    expected = set()
    completed = 0
    listed_before = {listing.url: listing for listing in before_plan.listings}
    for new in after_plan.listings:
        if index_no not in {e.entry.index_no for e in new.entries}:
            continue
        old = listed_before.get(new.url, replace(new, entries=[]))  # or a listing it starts
        changed = [new.url]
        if new.stable_pages > old.stable_pages:  # the entry completed a chunk, which gets its page
            completed += 1
            changed.append(urls.page_url(new.url, new.stable_pages))
            if old.stable_pages:  # and the page below it links to it
                changed.append(urls.page_url(new.url, old.stable_pages))
        expected |= {prefix + urls.output_path(url) for url in changed for prefix in ("", "zh-hant/")}
    assert all(files <= new_files[url] for url, files in old_files.items())
    assert rewritten == expected
    landings = sum(1 for rel in expected if "/page/" not in rel)
    assert landings >= 2 * 8 and completed >= 1  # portal and agency listings; some chunks completed
    assert len(rewritten) < len(set().union(*new_files.values())) / 4

    clean = copy_sample(tmp_path / "clean")
    shutil.rmtree(clean / "catalog")
    shutil.copytree(root / "catalog", clean / "catalog")
    assert run("build", str(clean)).exit_code == 0
    assert tree_digest(root / "site") == tree_digest(clean / "site")


# A typical entry page (the median of the sample's), uncompressed. Every byte of a record page is
# written, audited, hashed, archived and indexed twice (简体 and 繁體). Before record pages carried
# only the top-level sections and a compact theme configuration it was 17,961 bytes, before the
# colour scheme's script moved to a file (with smaller icons, and without the theme's search texts)
# about 16.7 KB, before the drawer was filled from the tabs in the browser and the theme's base
# script became a file 14,952 bytes, before the colour scheme switch did 13,684; it is 12,301 bytes
# now, of which the chrome of Material's page (header, icons, tabs, footer, configuration) is 7,166.
ENTRY_PAGE_BUDGET = 13 * 1024


def test_a_typical_entry_page_stays_within_its_budget(sample_site):
    sizes = sorted(p.stat().st_size for p in (sample_site / "entries").rglob("index.html"))
    assert len(sizes) > 100
    assert sizes[len(sizes) // 2] <= ENTRY_PAGE_BUDGET, sizes[len(sizes) // 2]


NESTED_NAV = """  - 政策文件:
      - 解读汇编: policy/index.md
      - 历年文件:
          - 二〇二三年: policy/2023.md
          - 二〇二四年: policy/2024.md
  - 关于本站: about.md
"""


def test_record_pages_carry_the_top_level_sections_and_editorial_pages_the_whole_tree(project):
    pages = {
        f"content/{name}": f"# {name}\n"
        for name in ("policy/index.md", "policy/2023.md", "policy/2024.md", "about.md")
    }
    write(project, {"mkdocs.yml": MKDOCS_YML + NESTED_NAV, **pages})
    result = run("build", str(project))
    assert result.exit_code == 0, result.output
    site = project / "site"
    entry = next((site / "entries").rglob("index.html")).read_text(encoding="utf-8")
    depth = "../" * (next((site / "entries").rglob("index.html")).relative_to(site).as_posix().count("/"))
    drawer = entry.partition('class="md-sidebar md-sidebar--primary"')[2].partition("</nav>")[0]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link">([^<]*)</a>', drawer)
    assert links == [
        (depth, "首页"),
        (depth + "catalog/", "信息公开目录"),
        (depth + "guides/", "公开指南"),
        (depth + "reports/", "年度报告"),
        (depth + "policy/", "政策文件"),  # a section: its first page
        (depth + "about/", "关于本站"),
    ]
    assert "历年文件" not in entry and "二〇二三年" not in entry
    assert 'data-md-type="toc"' not in entry  # a record page has no table of contents
    # A page from content/ keeps the theme's whole navigation, and so does every other page it makes.
    editorial = (site / "policy/2023/index.html").read_text(encoding="utf-8")
    assert "历年文件" in editorial and "二〇二四年" in editorial
    # With tabs, a record page lists the sections once, in its tabs; its drawer is filled from them
    # in the browser (gongkai-header.js; tests/test_keyboard.py opens it).
    tabbed = MKDOCS_YML.replace("  font: false\n", "  font: false\n  features: [navigation.tabs]\n")
    write(project, {"mkdocs.yml": tabbed + NESTED_NAV})
    assert run("build", str(project)).exit_code == 0
    entry = next((site / "entries").rglob("index.html")).read_text(encoding="utf-8")
    drawer = entry.partition('class="md-sidebar md-sidebar--primary"')[2].partition("</nav>")[0]
    assert '<ul class="md-nav__list" data-md-scrollfix data-gk-nav="tabs"></ul>' in drawer
    assert "md-nav__link" not in drawer
    tabs = re.findall(r'<a href="([^"]*)" class="md-tabs__link">\s*([^<]*?)\s*</a>', entry)
    assert tabs == links


def test_a_commit_moves_only_the_changed_files_and_removes_the_rest_without_waiting(tmp_path):
    """A rebuild's staging directory holds the files it wrote; those equal to the live ones (a
    re-indexed search shard's) are left in it, and with many of them it is removed by a detached
    process once the changed files are in place."""
    import time

    from generator.publish import staging

    site, building = tmp_path / "site", tmp_path / ".site.building-1"
    for root in (site, building):
        for n in range(staging.MANY_LEFT + 5):
            write(root, {f"pagefind/shard/fragment/{n}.pf": "same"})
    write(site, {"index.html": "old", "gone.html": "withdrawn"})
    write(building, {"index.html": "new"})
    journal = tmp_path / ".gongkai-cache" / "commit.json"
    staging.commit(building, site, ["gone.html"], journal, move=["index.html"], left=staging.MANY_LEFT + 5)
    assert (site / "index.html").read_text() == "new" and not (site / "gone.html").exists()
    assert len(list((site / "pagefind/shard/fragment").iterdir())) == staging.MANY_LEFT + 5
    assert not building.exists() and not journal.exists()
    deadline = time.monotonic() + 60
    while list(tmp_path.glob(".site.old-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(tmp_path.glob(".site.old-*")) == []


PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: 切换到深色模式
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: 切换到浅色模式
"""


def test_the_colour_scheme_switch_is_written_from_the_portals_palette_into_a_script_file(project):
    import json

    config = MKDOCS_YML.replace("  font: false\n", "  font: false\n" + PALETTE)
    write(project, {"mkdocs.yml": config, "content/index.md": "# 首页\n"})
    assert run("build", str(project)).exit_code == 0
    site = project / "site"
    entry = next((site / "entries").rglob("index.html")).read_text(encoding="utf-8")
    assert 'data-md-component="palette"' not in entry and "切换到深色模式" not in entry
    assert re.search(r'<script src="(\.\./)+assets/javascripts/gongkai-palette\.js"></script>', entry)
    script = (site / "assets/javascripts/gongkai-palette.js").read_text(encoding="utf-8")
    # document.documentElement.lang==="zh-Hant"?HANT:HANS, each a JSON string.
    rest = script.partition('document.documentElement.lang==="zh-Hant"?')[2]
    decoder = json.JSONDecoder()
    hant, end = decoder.raw_decode(rest)
    assert rest[end] == ":"
    hans, _ = decoder.raw_decode(rest, end + 1)
    for form, names in (
        (hans, ("切换到深色模式", "切换到浅色模式")),
        (hant, ("切換到深色模式", "切換到淺色模式")),
    ):
        assert form.startswith('<form class="md-header__option" data-md-component="palette">')
        assert all(f'title="{name}"' in form for name in names)
        assert form.count("<svg") == 2 and form.count('type="radio"') == 2
    # With one colour scheme (a mapping), the theme shows no switch: neither does the script.
    one = "  palette:\n    scheme: default\n"
    write(project, {"mkdocs.yml": MKDOCS_YML.replace("  font: false\n", "  font: false\n" + one)})
    assert run("build", str(project)).exit_code == 0
    entry = next((site / "entries").rglob("index.html")).read_text(encoding="utf-8")
    assert "gongkai-palette.js" not in entry and 'data-md-component="palette"' not in entry
