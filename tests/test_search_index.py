"""The search index without a browser: shards, the extra terms, the exact tokens."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from generator.search import bundles, sharding, terms


def fake_plan(dates: list[date]):
    entries = [SimpleNamespace(url=f"entries/x/{i}/", sort_date=d) for i, d in enumerate(dates)]
    entries.sort(key=lambda e: e.sort_date, reverse=True)
    return SimpleNamespace(entries=entries, agencies={"a": SimpleNamespace(id="a", profile=None)})


def test_a_small_catalogue_is_one_shard_with_the_undated_pages():
    plan = fake_plan([date(2023, 5, 1), date(2024, 1, 2), date(2024, 12, 30), date(2021, 3, 3)])
    shards = sharding.plan_shards(plan, ["about/"])
    assert [(s.name, s.dated) for s in shards] == [("2021-2024", True)]
    assert set(sharding.shard_of(plan).values()) == {"2021-2024"}
    assert shards[0].pages[:4] == tuple(e.url for e in plan.entries)  # newest first
    assert shards[0].pages[-3:] == ("agencies/a/", "agencies/a/guide/", "about/")
    assert shards[0].weeks == ("2025-W01", "2024-W01", "2023-W18", "2021-W09")


def test_years_are_grouped_from_the_oldest_and_a_new_entry_changes_only_the_newest_shard():
    dates = [date(year, 3, d) for year in range(2019, 2026) for d in range(1, 11)]  # 10 a year
    shards = sharding.plan_shards(fake_plan(dates), limit=35)
    assert [(s.name, len(s.pages)) for s in shards] == [
        ("2025", 10 + 2),
        ("2022-2024", 30),
        ("2019-2021", 30),
    ]
    grown = sharding.plan_shards(fake_plan([*dates, date(2025, 12, 1)]), limit=35)
    assert grown[1:] == shards[1:] and len(grown[0].pages) == 11 + 2


def test_the_newest_year_leaves_its_run_when_the_run_is_larger_than_the_recent_limit(monkeypatch):
    monkeypatch.setattr(sharding, "RECENT_SHARD_PAGES", 25)
    dates = [date(year, 3, d) for year in (2023, 2024, 2025) for d in range(1, 11)]
    shards = sharding.plan_shards(fake_plan(dates), limit=100)
    assert [(s.name, len(s.pages)) for s in shards] == [("2025", 10 + 2), ("2023-2024", 20)]


def test_a_large_year_is_split_into_runs_of_whole_months():
    dates = [date(2024, m, d) for m in range(1, 13) for d in range(1, 11)]  # 120 entries, 10 a month
    shards = sharding.plan_shards(fake_plan(dates), limit=35)
    names = [s.name for s in shards]
    assert names == ["2024-10", "2024-07", "2024-04", "2024-01"]
    assert [len(s.pages) for s in shards] == [30 + 2, 30, 30, 30]  # the newest has the 2 agency pages
    # Runs of whole months, newest first: every entry of a month is in one shard.
    shard = sharding.shard_of(fake_plan(dates))
    months: dict[str, set[str]] = {}
    for e in fake_plan(dates).entries:
        months.setdefault(e.sort_date.isoformat()[:7], set()).add(shard[e.url])
    assert all(len(names) == 1 for names in months.values()) and len(months) == 12


def test_a_month_larger_than_the_limit_is_a_shard_of_its_own():
    dates = [date(2024, 1, 1)] * 5 + [date(2024, 2, 1)] * 50 + [date(2024, 3, 1)] * 5
    shards = sharding.plan_shards(fake_plan(dates), limit=10)
    assert [(s.name, len(s.pages)) for s in shards] == [("2024-03", 5 + 2), ("2024-02", 50), ("2024-01", 5)]


def test_no_entries_gives_one_shard_of_pages():
    shards = sharding.plan_shards(fake_plan([]), ["about/"])
    assert [(s.name, s.dated) for s in shards] == [("pages", False)]


def test_unigrams_space_chinese_characters_and_keep_latin_runs():
    assert terms.unigrams("示建规〔2021〕1号") == "示 建 规 〔2021〕1 号"
    assert terms.unigrams("一图读懂 GDP") == "一 图 读 懂 GDP"


def test_exact_tokens_ignore_bracket_style_width_and_spaces():
    token = terms.exact_token("wh", "示建规〔2021〕1号")
    assert token.startswith("wh") and len(token) == 10
    for variant in ("示建规[2021]1号", "示建规（2021）1号", "示建规【2021】1号", "示建规 〔2021〕 1号"):
        assert terms.exact_token("wh", variant) == token
    assert terms.exact_token("wh", "示建规〔2021〕2号") != token
    assert terms.exact_token("sy", "11449950mb2c93029c/2021-00012") == terms.exact_token(
        "sy", "11449950MB2C93029C/2021-00012"
    )
    # 32-bit FNV-1a of the normalised UTF-8 bytes: the browser computes the same value.
    assert terms.exact_token("sy", "A") == "sy" + format((0x811C9DC5 ^ 0x41) * 0x01000193 & 0xFFFFFFFF, "08x")


def test_entry_terms_hold_the_title_characters_and_both_tokens():
    made = terms.entry_terms("宏达化工", "东府〔2022〕33号", "007482532-06-2022-0000010", ["化工"])
    assert made.startswith(terms.TERMS_MARK + " 宏 达 化 工 ")
    assert terms.exact_token("wh", "东府〔2022〕33号") in made
    assert terms.exact_token("sy", "007482532-06-2022-0000010") in made


def test_a_build_writes_its_index_into_the_site_only(project, tmp_path, monkeypatch):
    from tests.conftest import run
    from tests.test_build import small_project

    root = small_project(project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("build", str(root)).exit_code == 0
    assert list(elsewhere.iterdir()) == []
    assert [p.name for p in root.iterdir() if p.name.startswith(".search-views")] == []
    manifest = (root / "site" / "pagefind" / "shards.json").read_text(encoding="utf-8")
    assert '"name": "2024"' in manifest
    assert (root / "site" / "pagefind" / "2024" / "pagefind-entry.json").is_file()


def test_views_are_kept_for_the_next_build_and_only_changed_pages_rewritten(tmp_path, year_shards):
    import re

    from generator import cache
    from generator.portal import urls
    from generator.publish.build import SEARCH_VIEWS
    from tests.conftest import copy_sample, run

    root = copy_sample(tmp_path / "p")
    leftover = root / f"{bundles.VIEWS_PREFIX}leftover" / "entries" / "x"  # left by an interrupted build
    leftover.mkdir(parents=True)
    assert run("build", str(root)).exit_code == 0
    assert not (root / f"{bundles.VIEWS_PREFIX}leftover").exists()
    views = cache.cache_path(root, SEARCH_VIEWS)
    edited, untouched = "11449950MB2C93029C/2024-00005", "11449950MB2C93010F/2024-00003"
    view = views / "2024"
    inode = (view / urls.output_path(urls.entry_url(untouched))).stat().st_ino
    entry = root / "catalog/fgw/entries/2024/00005.yaml"
    text = entry.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
    entry.write_text(text.replace(f"title: {title}", f"title: {title}（修订）"), encoding="utf-8")
    assert run("build", str(root)).exit_code == 0
    assert (view / urls.output_path(urls.entry_url(untouched))).stat().st_ino == inode
    page = (root / "site" / urls.output_path(urls.entry_url(edited))).read_bytes()
    assert (view / urls.output_path(urls.entry_url(edited))).read_bytes() == bundles.search_view(page)
    assert f"{title}（修订）".encode() in page


def test_a_view_without_its_record_is_made_anew(tmp_path, year_shards):
    """A build cut short while changing a view leaves it without its record: the next build lays
    the view out again, and a stray page in it is not indexed."""
    import re

    from generator import cache
    from generator.publish.build import SEARCH_VIEWS
    from tests.conftest import copy_sample, run

    root = copy_sample(tmp_path / "p")
    assert run("build", str(root)).exit_code == 0
    views = cache.cache_path(root, SEARCH_VIEWS)
    (views / "2024.keys").unlink()
    stray = views / "2024" / "entries" / "stray" / "index.html"
    stray.parent.mkdir(parents=True)
    stray.write_bytes((next((views / "2024" / "entries").rglob("index.html"))).read_bytes())
    entry = root / "catalog/fgw/entries/2024/00005.yaml"
    text = entry.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.MULTILINE).group(1)
    entry.write_text(text.replace(f"title: {title}", f"title: {title}（修订）"), encoding="utf-8")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output  # Pagefind indexed exactly the shard's pages
    assert not stray.exists() and (views / "2024.keys").is_file()


def test_the_pages_a_rebuild_writes_before_indexing_are_the_indexed_record_pages(tmp_path, monkeypatch):
    """A rebuild starts the search index once the jobs of sharding.INDEXED_JOBS are written: their
    pages must be exactly the record pages the shards hold (the others are the engine's pages,
    written before)."""
    from generator.checks.validate import validate_project
    from generator.portal.plan import plan_site
    from generator.publish import jobs
    from tests.conftest import copy_sample

    project, _ = validate_project(copy_sample(tmp_path))
    plan = plan_site(project)
    ctx = jobs.Context(plan, None, tmp_path, None)
    written = {
        jobs.render_job(ctx, job).url for job in jobs.page_jobs(plan) if job.kind in sharding.INDEXED_JOBS
    }
    assert written == {url for shard in sharding.plan_shards(plan) for url in shard.pages}
    assert any(e.report for e in plan.entries)  # annual reports are among them


def test_pages_trimmed_for_the_indexer_give_the_same_index_as_the_pages(tmp_path, monkeypatch):
    """Pagefind is given each page's head and search body only (see bundles.search_view): the
    bundle must come out byte for byte as from the whole pages, for every kind of indexed page."""
    from generator.portal import urls
    from tests.conftest import copy_sample, run

    root = copy_sample(tmp_path / "p")
    assert run("build", str(root)).exit_code == 0
    site = root / "site"
    pages = sorted(
        p.parent.relative_to(site).as_posix() + "/"
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith("zh-hant/")
        and b"data-pagefind-body" in p.read_bytes()
    )
    kinds = {url.split("/")[0] for url in pages}
    assert {"entries", "agencies", "about"} <= kinds, kinds  # entries, reports, agencies, guides, editorial
    for url in pages:
        assert bundles.search_view((site / urls.output_path(url)).read_bytes()) is not None, url
    shard = sharding.Shard("all", tuple(pages))

    def index(out: Path) -> dict[str, bytes]:
        out.mkdir(parents=True)
        bundles.update_index(
            [shard], out, locate=lambda url: site / urls.output_path(url), page_key=str, listed=False
        )
        bundle = out / sharding.BUNDLE_DIR / "all"
        return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}

    trimmed = index(tmp_path / "trimmed" / "site")
    monkeypatch.setattr(bundles, "search_view", lambda page: None)
    whole = index(tmp_path / "whole" / "site")
    assert len(trimmed) > 10 and trimmed == whole


def test_the_newest_year_is_split_at_a_smaller_size_than_the_years_before(monkeypatch):
    """A new entry re-indexes its shard whole: the newest year's shards are kept small, the older
    years' are whole years up to the larger limit."""
    monkeypatch.setattr(sharding, "RECENT_SHARD_PAGES", 40)
    dates = [date(year, m, d) for year in (2023, 2024) for m in range(1, 13) for d in range(1, 11)]
    shards = sharding.plan_shards(fake_plan(dates), limit=200)
    assert [s.name for s in shards] == ["2024-09", "2024-05", "2024-01", "2023"]
    assert [len(s.pages) for s in shards] == [40 + 2, 40, 40, 120]


def test_the_shard_size_can_be_set_from_the_environment_and_a_bad_value_is_refused():
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    def shard_pages(value: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONPATH": str(REPO), sharding.SHARD_ENV: value}
        code = "from generator.search import sharding; print(sharding.SHARD_PAGES)"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)

    assert shard_pages("300").stdout.strip() == "300"
    assert shard_pages("").stdout.strip() == "12000"
    refused = shard_pages("ten")
    assert refused.returncode != 0
    assert "GONGKAI_SHARD_PAGES must be a whole number of pages, at least 1; it is 'ten'" in refused.stderr


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_full_build_indexes_each_shard_as_soon_as_its_pages_are_written(tmp_path, year_shards, monkeypatch):
    """Pagefind starts on a shard once its pages (and their views) are written, before the
    listings, which no shard holds; the site is byte for byte the one a build that indexes after
    every page is written makes."""
    from generator.portal import urls
    from generator.publish import build as publish
    from tests.conftest import copy_sample, run

    started: list[tuple[str, int]] = []
    start = bundles._start_pagefind

    def recording(shard, out, view):
        for url in shard.pages:
            assert (out / urls.output_path(url)).is_file() and (view / urls.output_path(url)).is_file(), url
        listings = [p for p in (out / "catalog").rglob("index.html") if p.parent != out / "catalog"]
        started.append((shard.name, len(listings)))
        return start(shard, out, view)

    monkeypatch.setattr(bundles, "_start_pagefind", recording)
    monkeypatch.setattr(publish, "index_early", lambda build, shards: build.previous is None)  # any shards
    early = copy_sample(tmp_path / "early")
    result = run("build", str(early))
    assert result.exit_code == 0, result.output
    shards = [s["name"] for s in json.loads((early / "site/pagefind/shards.json").read_text())["shards"]]
    assert len(shards) >= 5 and sorted(name for name, _ in started) == sorted(shards)
    assert started[0][1] == 0  # before any listing page
    assert any(count > 0 for _, count in started) or len(started) == len(shards)

    monkeypatch.setattr(publish, "index_early", lambda build, shards: False)
    late = copy_sample(tmp_path / "late")
    assert run("build", str(late)).exit_code == 0
    assert _files(early / "site") == _files(late / "site")


def test_a_failing_indexer_stops_the_build_and_leaves_the_site_and_no_process(
    tmp_path, year_shards, monkeypatch
):
    """Pagefind failing on a shard it was given while the pages were still being written: the
    build fails with the shard named, the live site stays as it was, and no Pagefind is left
    running."""
    import pagefind.service

    from generator.publish import build as publish
    from tests.conftest import copy_sample, run

    monkeypatch.setattr(publish, "index_early", lambda build, shards: build.previous is None)
    root = copy_sample(tmp_path / "p")
    assert run("build", str(root)).exit_code == 0
    before = _files(root / "site")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: out of disk space' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind.service, "get_executable", lambda: failing)
    result = run("build", "--clean", str(root))
    assert result.exit_code == 1
    assert (
        "搜索索引生成失败，网站未更新" in result.output
        and "Pagefind failed: Error: out of disk space" in result.output
    )
    assert _files(root / "site") == before
    assert not [p for p in root.parent.iterdir() if p.name.startswith(bundles.VIEWS_PREFIX)]


def test_shards_are_indexed_beside_the_pages_only_when_one_holds_most_of_them(tmp_path, monkeypatch):
    """Two Pagefind processes keep both cores busy after the pages unless one shard holds most of
    the pages: only then is it worth indexing beside the page workers, and never in a rebuild."""
    from generator.checks.validate import validate_project
    from generator.portal.plan import plan_site
    from generator.publish.build import index_early
    from generator.publish.state import SiteInfo
    from tests.conftest import copy_sample

    project, _ = validate_project(copy_sample(tmp_path))
    plan = plan_site(project)
    full = SimpleNamespace(plan=plan, site=SiteInfo(), previous=None)
    one = sharding.plan_shards(plan)
    assert len(one) == 1 and index_early(full, one)  # the sample: one shard
    assert not index_early(SimpleNamespace(plan=plan, site=SiteInfo(), previous=object()), one)  # a rebuild
    monkeypatch.setattr(sharding, "SHARD_PAGES", 100)  # a shard a year
    yearly = sharding.plan_shards(plan)
    sizes = [len(s.pages) for s in yearly]
    assert len(sizes) >= 5 and max(sizes) * 2 < sum(sizes) and not index_early(full, yearly)
