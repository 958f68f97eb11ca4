"""The portal in traditional characters (繁體) under zh-hant/: conversion, links, the toggle, the
audit, and search in both scripts in a real browser."""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from generator.portal import chinese, hant
from generator.safety import audit, privacy
from tests.conftest import REPO

ENTRY = "entries/11449950MB2C93010F/2024-00003/"
ON_REQUEST = "entries/11449950MB2C93010F/2025-00013/"


def _indexed_urls(bundle: Path) -> list[str]:
    """The URL of every page in the search index: each page's fragment holds it (gzip-compressed,
    Pagefind's signature, then JSON)."""
    found = []
    for path in sorted(bundle.glob("*/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        found.append(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return found


def _site_pages(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if not p.relative_to(site).as_posix().startswith(chinese.PREFIX)
    }


# -- the conversion of one page, without a build --------------------------------------------------


def test_a_page_is_converted_with_its_links_kept_in_their_version():
    url = "agencies/fgw/guide/"
    markup = (
        '<html lang="zh" class="no-js"><head>'
        '<link rel="canonical" href="https://gk.example/agencies/fgw/guide/">'
        '<link rel="stylesheet" href="../../../assets/stylesheets/gongkai.css">'
        '<script id="__config" type="application/json">{"base": "../../..", "x": "发展"}</script>'
        '<script type="application/json" id="gk-search-config">{"names": ["发展"]}</script>'
        "</head><body>"
        f"{hant.toggle(url, hant=False)}"
        "<h1>发展和改革委员会政府信息公开指南</h1>"
        '<a href="../../../catalog/">信息公开目录</a> <a href="../">机构</a>'
        '<a href="../../../files/fgw/申请表.docx">申请表</a>'
        '<a href="form.pdf#page=2">表格</a> <a href="https://other.example/发布">外部</a>'
        '<a href="#main">跳到正文</a>'
        "</body></html>"
    )
    out = hant.page(markup, url, "https://gk.example/")
    assert '<html class="no-js" lang="zh-Hant"' in out or '<html lang="zh-Hant" class="no-js"' in out
    assert "<h1>發展和改革委員會政府信息公開指南</h1>" in out
    # Other pages: the same relative link, which from zh-hant/ leads to their twins.
    assert '<a href="../../../catalog/">信息公開目錄</a>' in out
    assert '<a href="../">機構</a>' in out
    # Files: one level further up, to the one copy; a file name in Chinese is not converted.
    assert 'href="../../../../assets/stylesheets/gongkai.css"' in out
    assert 'href="../../../../files/fgw/申请表.docx"' in out
    assert 'href="../../../../agencies/fgw/guide/form.pdf#page=2"' in out
    assert 'href="https://other.example/发布"' in out and 'href="#main"' in out
    # Gongkai's data for scripts stays as written; the engine's base is the site root.
    assert '{"names": ["发展"]}' in out
    assert '{"base": "../../../..", "x": "發展"}' in out
    # The toggle and the canonical link point the other way.
    assert '<a class="gk-script" href="../../../../agencies/fgw/guide/" lang="zh-Hans"' in out
    assert ">简体</a>" in out
    assert '<link rel="canonical" href="https://gk.example/zh-hant/agencies/fgw/guide/">' in out


def test_the_character_tables_convert_both_ways():
    tables = json.loads(hant.character_map())
    t2s = dict(zip(*tables["t2s"], strict=True))
    s2t = dict(zip(*tables["s2t"], strict=True))
    assert "".join(t2s.get(c, c) for c in "政務公開工作要點") == "政务公开工作要点"
    assert "".join(s2t.get(c, c) for c in "政务公开") == "政務公開"
    # The same bytes in every build: each table in code-point order, and another interpreter, with
    # other hash seeds, writes them identically.
    for source, _ in (tables["t2s"], tables["s2t"]):
        assert list(source) == sorted(source)
    script = "import sys; from generator.portal import hant; sys.stdout.buffer.write(hant.character_map())"
    for seed in ("1", "2"):
        other = subprocess.run(
            [sys.executable, "-c", script],
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout
        assert other == hant.character_map()


def test_the_audit_reads_a_traditional_page_back_in_simplified_characters(tmp_path):
    title = "关于某某重大项目暂缓实施的内部请示"
    index = privacy.WithheldIndex([("X/2024-00001", title)], [])
    page = tmp_path / "zh-hant" / "about" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<p>{chinese.to_traditional(title)}</p>", encoding="utf-8")
    assert chinese.to_traditional(title) != title
    found = audit.audit_site(tmp_path, index)
    assert [d.path for d in found] == ["zh-hant/about/index.html"]
    assert "不予公开条目 X/2024-00001 的名称" in found[0].message


# -- the built sample ----------------------------------------------------------------------------


def test_every_page_has_its_twin_and_every_link_of_the_twins_resolves(built_sample):
    site = built_sample / "site"
    pages = _site_pages(site) - {"_gongkai/shell/index.html"}
    twins = {p.relative_to(site / "zh-hant").as_posix() for p in (site / "zh-hant").rglob("index.html")}
    assert twins == pages
    broken = []
    for rel in sorted(twins):
        text = (site / chinese.PREFIX / rel).read_text(encoding="utf-8")
        assert re.search(r'<html[^>]* lang="zh-Hant"', text), rel
        base = "http://x/" + chinese.PREFIX + rel
        for link in re.findall(r'\s(?:href|src|action)="([^"]*)"', text):
            link = html.unescape(link)
            if not link or re.match(r"^(?:[a-z]+:|#|/|\?)", link):
                continue
            target = urljoin(base, link).split("#")[0].split("?")[0][len("http://x/") :]
            path = site / unquote(target)
            if not (path / "index.html" if target.endswith("/") or not target else path).is_file():
                broken.append(f"{rel}: {link}")
    assert broken == []


def test_the_twin_of_an_entry_is_its_content_in_traditional_characters(built_sample):
    site = built_sample / "site"
    hans = (site / ENTRY / "index.html").read_text(encoding="utf-8")
    hant_text = (site / chinese.PREFIX / ENTRY / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", hans, re.S).group(1)
    assert chinese.to_traditional(title) in hant_text
    assert chinese.to_traditional(title) != title
    assert "hreflang" not in hans + hant_text  # the pairs are in the sitemaps (test_publishing)
    assert 'lang="zh-Hant" title="繁體中文版">繁體</a>' in hans
    assert 'lang="zh-Hans" title="简体中文版">简体</a>' in hant_text
    # Not indexed twice: the search index holds the simplified pages only.
    assert "data-pagefind-body" in hans
    indexed = _indexed_urls(site / "pagefind")
    shards = json.loads((site / "pagefind" / "shards.json").read_text(encoding="utf-8"))["shards"]
    assert len(indexed) == len(set(indexed)) == sum(shard["pages"] for shard in shards)
    assert "/" + ENTRY in indexed
    assert [url for url in indexed if chinese.PREFIX in url] == []


# -- in the browser -------------------------------------------------------------------------------


def test_the_toggle_leads_to_the_same_page_in_the_other_script_and_back(served, browser):
    page = browser.new_page()
    page.goto(served + ON_REQUEST)
    page.get_by_role("link", name="繁體", exact=True).click()
    assert page.url == served + chinese.PREFIX + ON_REQUEST
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert "依申請公開" in page.locator("article.gk-entry").inner_text()
    page.get_by_role("link", name="简体", exact=True).click()
    assert page.url == served + ON_REQUEST
    page.close()


def _first_result(page, url: str):
    page.goto(url)
    first = page.locator("#gk-results li a").first
    first.wait_for()
    return first.inner_text(), first.get_attribute("href")


@pytest.mark.parametrize("query", ["政务公开工作要点", "政務公開工作要點"])
def test_search_finds_a_query_in_either_script_on_either_page(served, browser, query):
    page = browser.new_page()
    hans_title, hans_href = _first_result(page, f"{served}search/?q={query}")
    hant_title, hant_href = _first_result(page, f"{served}{chinese.PREFIX}search/?q={query}")
    assert "政务公开工作要点" in hans_title
    assert "政務公開工作要點" in hant_title
    assert hant_href == hans_href.replace("/entries/", f"/{chinese.PREFIX}entries/", 1)
    # The result's page is there, in traditional characters.
    page.goto(urljoin(page.url, hant_href))
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    assert "政務公開工作要點" in page.locator("h1").inner_text()
    page.close()


def test_the_traditional_search_page_shows_its_filters_in_traditional_characters(served, browser):
    page = browser.new_page()
    page.goto(f"{served}{chinese.PREFIX}search/?q=公开")
    page.locator("#gk-results li").first.wait_for()
    page.locator("#gk-facets fieldset").first.wait_for()
    facets = page.locator("#gk-facets").inner_text()
    assert "機構" in facets and "主題分類" in facets
    assert "条结果" not in page.locator("#gk-search-status").inner_text()
    # Filtering by a value shown in traditional characters filters the simplified index.
    box = page.locator("#gk-facets input[type=checkbox]").first
    box.check()
    page.wait_for_function("location.search.includes('&')")
    page.locator("#gk-results li").first.wait_for()
    assert page.locator("#gk-results li").count() > 0
    page.close()
