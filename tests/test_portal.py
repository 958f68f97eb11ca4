"""Record pages rendered without MkDocs: content, safety, links and determinism."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from generator.checks.validate import validate_project
from generator.portal import hant, listings, urls
from generator.portal.plan import plan_site
from generator.portal.shell import CONTENT_MARK, TITLE_MARK, Shell, compact, compact_config
from generator.publish import pages
from generator.publish import write as portal_writer
from tests.conftest import write

SHELL_HTML = (
    "<!doctype html><html><head><title>" + TITLE_MARK + "</title>"
    '<link rel="stylesheet" href="../../assets/site.css"></head><body>'
    '<a href="../../">首页</a><a href="../../catalog/">目录</a><a href="#main">跳到正文</a>'
    '<main id="main">' + CONTENT_MARK + "</main></body></html>"
)


def plan_of(root: Path):
    project, report = validate_project(root)
    assert report.errors == []
    return plan_site(project)


def engine_pages(out: Path) -> None:
    """What the site engine would have written before the record pages: assets, nav pages."""
    (out / "assets").mkdir(parents=True)
    (out / "assets" / "site.css").write_text("", encoding="utf-8")
    (out / "assets" / "javascripts").mkdir()
    for script in ("gongkai-search.js", "gongkai-apply.js"):  # the theme's
        (out / "assets" / "javascripts" / script).write_text("", encoding="utf-8")
    for url in ("", "catalog/", "guides/", "rules/", "statutory/", "reports/", "apply/"):
        (out / url).mkdir(parents=True, exist_ok=True)
        (out / url / "index.html").write_text("<h1>x</h1>", encoding="utf-8")


def build(root: Path, out: Path, *, jobs: int = 1):
    return build_written(root, out, jobs=jobs)[0]


def build_written(root: Path, out: Path, *, jobs: int = 1):
    plan = plan_of(root)
    engine_pages(out)
    _, written = portal_writer.write_portal(
        plan, Shell.from_html(SHELL_HTML, "_gongkai/shell/"), out, jobs=jobs
    )
    return plan, written


def site_text(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html")))


def test_entry_urls_are_stable_and_reversible():
    assert urls.entry_url("11449950MB2C93010F/2024-00017") == "entries/11449950MB2C93010F/2024-00017/"
    assert urls.entry_url("007482532-03-2014-1194357") == "entries/007482532-03-2014-1194357/"
    odd = "测试/2024 00017~x"
    assert urls.entry_url(odd) == "entries/~E6~B5~8B~E8~AF~95/2024~2000017~7Ex/"
    assert urls.index_no_from_url(urls.entry_url(odd)) == odd


def test_withheld_entry_has_no_page_row_or_link(portal, tmp_path):
    plan = build(portal, tmp_path / "out")
    assert "007482532-01-2024-0000002" not in plan.by_index
    text = site_text(tmp_path / "out")
    assert "东湖区机构编制调整情况的内部请示" not in text
    assert "007482532-01-2024-0000002" not in text
    assert not (tmp_path / "out" / urls.entry_url("007482532-01-2024-0000002")).exists()


def test_on_request_entry_shows_metadata_only(portal, tmp_path):
    out = tmp_path / "out"
    build(portal, out)
    page = (out / urls.entry_url("007482532-05-2024-0000003") / "index.html").read_text(encoding="utf-8")
    assert "关于东湖区某建设项目用地预审意见的函" in page
    assert "本信息依申请公开" in page
    assert 'href="../../agencies/beta/guide/"' in page
    assert "依申请公开的正文不得发布" not in site_text(out)
    assert "yushen.pdf" not in site_text(out)
    assert not (out / "files" / "beta" / "2024" / "yushen.pdf").exists()


def test_published_files_are_exactly_the_allowed_ones(portal, tmp_path):
    out = tmp_path / "out"
    build(portal, out)
    files = sorted(p.relative_to(out).as_posix() for p in (out / "files").rglob("*") if p.is_file())
    assert files == ["files/alpha/2024/shenqingbiao.pdf", "files/alpha/2024/yaodian.pdf"]
    assert not list(out.rglob("*.yaml"))


def test_related_entries_both_ways_and_repeal_banner(portal, tmp_path):
    out = tmp_path / "out"
    build(portal, out)
    old = (out / urls.entry_url("11449950MB2C93010F/2023-00005") / "index.html").read_text(encoding="utf-8")
    assert "本文件已废止" in old and "本文件已于 2024-06-01 废止" in old
    assert '<a href="../2024-00015/">测试市城市道路占用挖掘管理办法</a>' in old
    document = (out / urls.entry_url("11449950MB2C93010F/2024-00016") / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<h2>政策解读</h2>" in document and "《2024年政务公开工作要点》政策解读" in document
    reading = (out / urls.entry_url("11449950MB2C93010F/2024-00017") / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<h2>解读的文件</h2>" in reading


def test_record_text_is_escaped_and_bodies_are_sanitised(portal, tmp_path):
    evil = (portal / "catalog/alpha/entries/2024/00017.yaml").read_text(encoding="utf-8")
    evil = evil.replace("title: 《2024年", "title: <script>alert('t')</script>《2024年")
    evil += (
        "body: |\n  <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        '  [点我](javascript:alert(3)) <a href="https://e.example" onclick="alert(4)">外链</a>\n'
        '  <iframe src="https://e.example"></iframe><style>body{}</style>\n'
    )
    write(portal, {"catalog/alpha/entries/2024/00017.yaml": evil})
    out = tmp_path / "out"
    build(portal, out)
    # The search page and the application form are the only ones with scripts of their own (the
    # theme's); record text never brings any. Entry pages carry their metadata as JSON-LD, in which
    # no "<" can close the script element.
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
        if p.parent.name not in ("search", "apply")
    )
    metadata = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text)
    assert any('"name":"\\u003cscript\\u003ealert(\'t\')\\u003c/script\\u003e' in m for m in metadata)
    assert all("<" not in m for m in metadata)
    text = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text)
    assert "<script" in (out / "search" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in text
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "<style"):
        assert bad not in text.lower()
    assert '<a href="https://e.example" rel="noopener noreferrer">外链</a>' in text


def _links(html: str):
    return re.findall(r'\s(?:href|src)="([^"]*)"', html)


def check_links(out: Path) -> list[str]:
    """Every relative link in the site resolves to a file or a page, and every anchor exists."""
    broken = []
    ids: dict[Path, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for link in _links(html):
            if re.match(r"^[a-z][a-z0-9+.-]*:", link):
                continue
            path, _, anchor = link.partition("#")
            # Only the engine's 404 page uses root-absolute links: it is served at any URL.
            base = out if path.startswith("/") else page.parent
            target = (base / path.lstrip("/")).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(out)} -> {link}")
                continue
            # A fragment of name=value pairs is for the page's script (the application form's
            # fields), not an anchor.
            if anchor and "=" not in anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = set(re.findall(r'\sid="([^"]+)"', target.read_text(encoding="utf-8")))
                if anchor not in ids[target]:
                    broken.append(f"{page.relative_to(out)} -> {link} (no such anchor)")
    return broken


def test_no_broken_links(portal, tmp_path):
    out = tmp_path / "out"
    build(portal, out)
    assert check_links(out) == []


def tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def test_output_is_deterministic_serial_or_parallel(portal, tmp_path, monkeypatch):
    _, serial = build_written(portal, tmp_path / "a")
    monkeypatch.setattr(pages, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(pages, "BATCH", 3)
    _, parallel = build_written(portal, tmp_path / "b", jobs=2)
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    # Every record page's digest, taken as it was written, is the digest of the file on disk.
    assert serial.digests == parallel.digests and len(serial.digests) > 50
    for rel, digest in parallel.digests.items():
        assert hashlib.sha256((tmp_path / "b" / rel).read_bytes()).hexdigest() == digest, rel
    assert serial.findings == parallel.findings == []


def test_listing_pages_are_chunks_counted_from_the_oldest(tmp_path, monkeypatch):
    from dataclasses import replace

    from generator.devtools.synth import write_synthetic_project
    from generator.portal import plan as plan_module

    monkeypatch.setattr(plan_module, "PAGE_SIZE", 7)
    root = write_synthetic_project(tmp_path / "p", entries=40, agencies=1)
    plan = plan_of(root)
    listing = next(x for x in plan.listings if x.url == "catalog/all/")
    count = len(listing.entries)
    oldest_first = listing.entries[::-1]
    assert count >= 28 and count % 7  # a partial chunk on top of four full ones at least
    stable = count // 7 - 1
    assert listing.numbers() == [0, *range(1, stable + 1)]
    # The landing page: the partial top chunk and the newest full one, newest first.
    assert listing.page(0) == listing.entries[: count - stable * 7]
    assert 7 < len(listing.page(0)) < 14
    for k in range(1, stable + 1):
        assert listing.page(k) == oldest_first[(k - 1) * 7 : k * 7][::-1]
    assert [e for n in [0, *range(stable, 0, -1)] for e in listing.page(n)] == listing.entries

    landing = listings.render_listing(plan, listing, 0)
    first = listings.render_listing(plan, listing, 1)
    top = listings.render_listing(plan, listing, stable)
    assert (landing.url, first.url, top.url) == (
        "catalog/all/",
        "catalog/all/page/1/",
        f"catalog/all/page/{stable}/",
    )
    assert f"共 {count} 条" in landing.html and '<span aria-current="page">最新</span>' in landing.html
    assert f'<a href="page/{stable}/" rel="next">较早</a>' in landing.html
    assert '<a href="../1/">最早</a>' in top.html and '<a href="../../" rel="prev">较新</a>' in top.html
    assert '<span aria-current="page">1</span>' in first.html and "较早" not in first.html
    assert '<a href="../2/" rel="prev">较新</a>' in first.html
    for page in (first, top):
        info = re.sub(r"<[^>]+>", "", re.search(r'<p class="gk-listing-info">(.*?)</p>', page.html).group(1))
        assert "共" not in info and str(count) not in info and "/" not in info
    assert first.title == "全部信息（第 1 页）"

    # An entry appended at the newest end: no stable page changes until the top chunk is full,
    # and then only the previous top page (its 较新 link leads to the new page).
    def appended(n: int):
        newer = [replace(listing.entries[0], url=f"entries/new-{i}/") for i in range(n)]
        return replace(listing, entries=newer + listing.entries)

    for n in range(1, 8):
        grown = appended(n)
        for k in range(1, stable + 1):
            same = (
                listings.render_listing(plan, grown, k).html == listings.render_listing(plan, listing, k).html
            )
            keys = grown.page_row_keys(k) == listing.page_row_keys(k)
            assert keys and (same or (k == stable and grown.stable_pages == stable + 1)), (n, k)
        assert listings.render_listing(plan, grown, 0).html != landing.html
    full = appended(7 - count % 7)
    assert full.stable_pages == stable + 1
    assert full.page(stable + 1) == listing.page(0)[-7:]


def test_shell_links_follow_page_depth():
    shell = Shell.from_html(SHELL_HTML, "_gongkai/shell/")
    page = shell.fill("entries/A/2024-1/", "标题 <b>", "<p>正文</p>")
    assert '<link rel="stylesheet" href="../../../assets/site.css">' in page
    assert '<a href="../../../catalog/">目录</a><a href="#main">' in page
    assert "<title>标题 &lt;b&gt;</title>" in page
    assert shell.fill("", "t", "").count('href="./"') == 1


def test_the_theme_s_storage_scope_is_the_site_root_on_every_page():
    # The theme keeps what the reader chose (light or dark) under its scope: the shell's own
    # ``../..`` left as written put an entry page's choice under /entries/, apart from the rest.
    scoped = SHELL_HTML.replace("<title>", '<script>__md_scope=new URL("../..",location)</script><title>')
    shell = Shell.from_html(scoped, "_gongkai/shell/")
    assert 'new URL("../../../",location)' in shell.fill("entries/A/2024-1/", "t", "")
    assert 'new URL("../",location)' in shell.fill("search/", "t", "")
    page = shell.fill("entries/A/2024-1/", "t", "")
    assert 'new URL("../../../..",location)' in hant.page(page, "entries/A/2024-1/")
    assert 'new URL("..",location)' in hant.page('<script>__md_scope=new URL(".",location)</script>', "")


def test_the_theme_s_configuration_is_the_same_json_in_fewer_bytes():
    config = (
        '{"base": "../..", "features": ["navigation.tabs"], "translations": {"clipboard.copied": '
        '"\\u5df2\\u590d\\u5236", "x": "\\u003c/script>"}, "version": null}'
    )
    markup = f'<p>a, b</p><script id="__config" type="application/json">{config}</script>'
    compacted = compact_config(markup)
    inner = compacted.partition('type="application/json">')[2].rpartition("</script>")[0]
    assert json.loads(inner) == json.loads(config)
    assert '"clipboard.copied":"已复制"' in inner and "</script>" not in inner
    assert compacted.startswith("<p>a, b</p>") and len(compacted.encode()) < len(markup.encode())


def test_the_theme_s_configuration_leaves_out_its_own_search_s_translations():
    """The portal is searched with Pagefind: the theme's search, whose texts every page carried, is
    never set up. The rest of the configuration is as the theme wrote it."""
    config = {
        "base": ".",
        "translations": {
            "clipboard.copy": "复制",
            "search.result.none": "没有找到",
            "search.result.one": "1",
        },
        "search": "assets/javascripts/workers/search.min.js",
    }
    markup = f'<script id="__config" type="application/json">{json.dumps(config)}</script>'
    inner = compact_config(markup).partition('type="application/json">')[2].rpartition("</script>")[0]
    assert json.loads(inner) == {**config, "translations": {"clipboard.copy": "复制"}}


@pytest.mark.parametrize("bad", ["<html>no marks</html>", SHELL_HTML + CONTENT_MARK])
def test_shell_needs_each_mark_once(bad):
    with pytest.raises(ValueError):
        Shell.from_html(bad, "_gongkai/shell/")


def test_compact_removes_layout_whitespace_and_keeps_what_is_shown_as_written():
    verbatim = (
        "<pre>  a\n    b</pre>",
        "<script>\n  const s = `a\n   b`;\n</script>",
        "<style>\n  p { margin: 0 }\n</style>",
        "<TEXTAREA>\n  x\n</TEXTAREA>",
        "<!--\n  note\n-->",
    )
    markup = (
        '<div class="a">\n    <span>\n      首页\n    </span>  \n\n  </div>\n  '
        + "\n  ".join(verbatim)
        + '\n<p title="a\n   b">x  y\tz</p>'
    )
    assert compact(markup) == (
        '<div class="a">\n<span>\n首页\n</span>\n</div>\n'
        + "\n".join(verbatim)
        + '\n<p title="a\n   b">x  y\tz</p>'
    )
