"""``gongkai federate``: three small portals built from synthetic catalogues, each served on its own
localhost port as its host would (with Access-Control-Allow-Origin), federated, and searched and
resolved in Chromium; a member that fails its checks is refused and keeps its last good copy; a
second run with nothing changed fetches nothing but the manifests.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.devtools.memberserver import serve_member
from generator.devtools.synth import add_entry, write_synthetic_project
from generator.federation.registry import REGISTRY
from generator.publish import integrity
from tests.conftest import REPO, run, write

NAMES = ("甲市人民政府", "乙县人民政府", "丙区人民政府")


@pytest.fixture(scope="session")
def member_sites(tmp_path_factory) -> list[Path]:
    """Three portals of 40 entries (two agencies each, agencies and 索引号 of their own), built once."""
    sites = []
    for i in range(3):
        root = tmp_path_factory.mktemp(f"member{i + 1}") / "p"
        write_synthetic_project(
            root, entries=40, agencies=2, first_agency=10 * (i + 1), seed=i + 1, years=(2023, 2025)
        )
        for name in ("content", "theme"):
            shutil.copytree(REPO / name, root / name)
        # No site_url: the open data's URLs are relative, joined to where each member is served.
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        (root / "mkdocs.yml").write_text(
            "".join(line for line in config.splitlines(True) if not line.startswith("site_url:")),
            encoding="utf-8",
        )
        result = run("build", str(root))
        assert result.exit_code == 0, result.output
        sites.append(root / "site")
    return sites


def registry(members: list[tuple[str, str]]) -> str:
    """A federation.yaml for (key, value) sources: ("url", ...) or ("path", ...)."""
    lines = ["name: 示例省政府信息公开平台", "members:"]
    for i, (key, value) in enumerate(members):
        lines += [f"  - id: m{i + 1}", f"    name: {NAMES[i]}", f"    {key}: {value}"]
        if key == "path":
            lines.append(f"    site_url: http://members.example/m{i + 1}/")
    return "\n".join(lines) + "\n"


@pytest.fixture
def served_copies(member_sites, tmp_path):
    """Copies of the three member sites (a test may change them), each on its own port with CORS."""
    copies = []
    for i, site in enumerate(member_sites):
        copy = tmp_path / f"host{i + 1}"
        shutil.copytree(site, copy)
        copies.append(copy)
    servers = [serve_member(copy) for copy in copies]
    yield copies, servers
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def federated(member_sites, tmp_path_factory):
    """The three members on three ports, federated once, the federation on a fourth port."""
    servers = [serve_member(site) for site in member_sites]
    folder = tmp_path_factory.mktemp("federation")
    write(folder, {REGISTRY: registry([("url", s.url) for s in servers])})
    result = run("federate", str(folder))
    assert result.exit_code == 0, result.output
    home = serve_member(folder / "site", cors=False)
    yield folder, servers, home
    for server in [*servers, home]:
        server.stop()


def rows_of(site: Path) -> list[dict]:
    return [
        json.loads(line)
        for line in (site / "data" / "catalog.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def numbered(site: Path) -> dict:
    """A 主动公开 entry of the member with a 文号."""
    return next(r for r in rows_of(site) if r["doc_no"] and r["disclosure"] == "主动公开")


# -- the registry ----------------------------------------------------------------------------------


def test_registry_errors_are_located_and_all_reported(tmp_path):
    write(
        tmp_path,
        {
            REGISTRY: """name: 示例省政府信息公开平台
members:
  - id: dongcheng
    name: 东城区
    url: https://dc.example.gov.cn/
  - id: dongcheng
    name: 西城区
    path: xc/site
  - id: Nan
    name: 南城区
    url: ftp://nc.example.gov.cn/
    public_key: 不是公钥
    colour: red
"""
        },
    )
    result = run("federate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: federation.yaml 有 5 处问题：",
        "federation.yaml:6:5: error: “members[2]”（成员）：用 path（本地目录）时要填 site_url（公开网址）：联合门户的链接指向成员自己的页面",
        "federation.yaml:9:9: error: “members[3].id”（成员代码）：只能由小写英文字母、数字和“-”组成（如 fgw、dong-hu），实为“Nan”",
        "federation.yaml:11:10: error: “members[3].url”（门户网址）：应为以 https:// 或 http:// 开头的网址，实为“ftp://nc.example.gov.cn/”",
        "federation.yaml:12:17: error: “members[3].public_key”（签名公钥）：应为一行 OpenSSH 公钥（.pub 文件的内容，形如“ssh-ed25519 AAAA... 注释”）",
        "federation.yaml:13:5: error: 未知的键“colour”：这里可用的键有 id、name、url、path、site_url、public_key",
    ]


def test_duplicate_member_ids_are_refused(tmp_path):
    write(
        tmp_path,
        {
            REGISTRY: "name: 省平台\nmembers:\n  - {id: a, name: 甲, url: 'http://a.example/'}\n  - {id: a, name: 乙, url: 'http://b.example/'}\n"
        },
    )
    result = run("federate", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: federation.yaml 有 1 处问题：",
        "federation.yaml:4:10: error: 成员代码“a”重复：第 3 行已经有这个成员",
    ]


# -- fetching: checked, refused, incremental -------------------------------------------------------


def test_federate_lists_every_member_and_verifies(federated, member_sites):
    folder, servers, _ = federated
    site = folder / "site"
    state = json.loads((site / "federation.json").read_text(encoding="utf-8"))
    assert [(m["id"], m["status"]) for m in state["members"]] == [
        ("m1", "ok"),
        ("m2", "ok"),
        ("m3", "ok"),
    ]
    for i, member in enumerate(member_sites):
        # The manifest of manifests: each member's SHA256SUMS, as published, listed with its digest.
        copy = site / "members" / f"m{i + 1}" / integrity.MANIFEST
        assert copy.read_bytes() == (member / integrity.MANIFEST).read_bytes()
        assert state["members"][i]["manifest_sha256"] == integrity.sha256_file(copy)
    listed = integrity.read_manifest(site)
    assert listed["members/m3/SHA256SUMS"] == state["members"][2]["manifest_sha256"]
    # Combined open data: every member's records, their URLs on the member's host.
    combined = rows_of(site)
    assert len(combined) == sum(len(rows_of(m)) for m in member_sites)
    third = numbered(member_sites[2])
    mine = next(r for r in combined if r["index_no"] == third["index_no"])
    assert (mine["member"], mine["member_name"]) == ("m3", "丙区人民政府")
    assert mine["url"] == servers[2].url + third["url"]
    csv = (site / "data" / "catalog.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].startswith("成员代码,成员名称,索引号,名称,")
    dcat = json.loads((site / "data" / "dcat.jsonld").read_text(encoding="utf-8"))
    assert [part["@id"] for part in dcat["dct:hasPart"]] == [s.url + "data/dcat.jsonld" for s in servers]
    # The catalogue pages link to the member's own entry page; nothing of it is re-rendered.
    agency_page = (site / "catalog" / "m3" / third["agency"] / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{servers[2].url}{third["url"]}">' in agency_page
    year = third["date"][:4]
    assert f'<h2 id="y{year}">' in agency_page
    year_page = (site / "years" / year / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../../catalog/m3/{third["agency"]}/#y{year}">' in year_page
    assert not (site / "entries").exists()
    assert run("verify", str(site)).exit_code == 0
    # A member's manifest copy altered on the federation's host: verify says so.
    tampered = folder / "tampered"
    shutil.copytree(site, tampered)
    (tampered / "members" / "m2" / integrity.MANIFEST).write_text(
        "0" * 64 + "  index.html\n", encoding="utf-8"
    )
    result = run("verify", str(tampered))
    assert result.exit_code == 1
    assert "被改动：members/m2/SHA256SUMS" in result.output


def test_a_second_run_fetches_only_the_manifests_and_writes_the_same_site(served_copies, tmp_path):
    _, servers = served_copies
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("url", s.url) for s in servers])})
    assert run("federate", str(folder)).exit_code == 0
    first = {p: integrity.sha256_file(folder / "site" / p) for p in integrity.site_files(folder / "site")}
    for server in servers:
        assert server.counts["/SHA256SUMS"] == 1
        assert server.counts["/data/catalog.jsonl"] == 1
        server.counts.clear()
    result = run("federate", str(folder))
    assert result.exit_code == 0
    assert result.output.count("未变化，沿用已核对的版本") == 3
    for server in servers:
        assert dict(server.counts) == {"/SHA256SUMS": 1}
    assert {
        p: integrity.sha256_file(folder / "site" / p) for p in integrity.site_files(folder / "site")
    } == first


def test_a_member_that_publishes_again_is_picked_up_by_the_next_run(member_sites, tmp_path):
    project = tmp_path / "m1"
    shutil.copytree(member_sites[0].parent, project)
    server = serve_member(project / "site")
    try:
        folder = tmp_path / "fed"
        write(folder, {REGISTRY: registry([("url", server.url)])})
        assert run("federate", str(folder)).exit_code == 0
        added = add_entry(project, agency=10)
        assert run("build", str(project)).exit_code == 0
        index_no = added.read_text(encoding="utf-8").split("index_no: ", 1)[1].split("\n", 1)[0]
        server.counts.clear()
        result = run("federate", str(folder))
        assert result.exit_code == 0
        assert "已更新：甲市人民政府（m1）" in result.output
        assert server.counts["/data/catalog.jsonl"] == 1
        assert index_no in {r["index_no"] for r in rows_of(folder / "site")}
    finally:
        server.stop()


def test_a_member_with_an_altered_file_is_refused_and_keeps_its_last_good_copy(served_copies, tmp_path):
    copies, servers = served_copies
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("url", s.url) for s in servers])})
    assert run("federate", str(folder)).exit_code == 0
    before = rows_of(folder / "site")
    # The second member publishes again, with one file that is not what its manifest says.
    host = copies[1]
    manifest = (host / integrity.MANIFEST).read_text(encoding="utf-8")
    first_line = manifest.splitlines()[0]
    (host / integrity.MANIFEST).write_text(
        manifest.replace(first_line, "f" * 64 + first_line[64:]), encoding="utf-8"
    )
    catalog = host / "data" / "catalog.jsonl"
    catalog.write_text(
        catalog.read_text(encoding="utf-8").replace("示例市合成机构020", "伪造机构", 1), encoding="utf-8"
    )
    result = run("federate", str(folder))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"未通过：乙县人民政府（m2）：{servers[1].url}data/catalog.jsonl 与 SHA256SUMS 中的校验值不符："
        "文件被改动或未发布完整；保留上次核对通过的版本"
    ]
    assert "未变化，沿用已核对的版本：甲市人民政府（m1）" in result.output
    assert "未变化，沿用已核对的版本：丙区人民政府（m3）" in result.output
    site = folder / "site"
    assert rows_of(site) == before  # the previous good copy of m2, and the others
    assert "伪造机构" not in (site / "data" / "catalog.jsonl").read_text(encoding="utf-8")
    state = json.loads((site / "federation.json").read_text(encoding="utf-8"))
    assert [m["status"] for m in state["members"]] == ["ok", "refused", "ok"]
    members_page = (site / "members" / "index.html").read_text(encoding="utf-8")
    assert "本次未能更新" in members_page and "显示的是上次核对通过的版本" in members_page
    assert run("verify", str(site)).exit_code == 0


def test_a_member_never_fetched_is_left_out_and_the_others_build(served_copies, tmp_path):
    _, servers = served_copies
    folder = tmp_path / "fed"
    gone = "http://127.0.0.1:9/"  # the discard port: nothing answers
    write(folder, {REGISTRY: registry([("url", servers[0].url), ("url", gone), ("url", servers[2].url)])})
    result = run("federate", str(folder))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"未通过：乙县人民政府（m2）：{gone}SHA256SUMS：无法连接（")
    assert result.stderr.rstrip().endswith("；暂不收录")
    assert {r["member"] for r in rows_of(folder / "site")} == {"m1", "m3"}


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("agency", "../../x", "的机构代码“../../x”不是小写英文字母、数字和“-”"),
        (
            "url",
            "javascript:alert(1)",
            "的网址“javascript:alert(1)”既不是 http(s) 网址，也不是门户内的相对网址",
        ),
    ],
)
def test_a_catalogue_that_would_write_outside_or_link_to_script_is_refused(
    member_sites, tmp_path, column, value, problem
):
    """A member's manifest vouches only for what the member published: an agency code names a
    folder of the federation's site and a URL becomes a link there, so both are checked."""
    forged = tmp_path / "m1"
    shutil.copytree(member_sites[0], forged)
    rows = rows_of(forged)
    rows[2][column] = value
    catalog = forged / "data" / "catalog.jsonl"
    catalog.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    digests = integrity.read_manifest(forged)
    digests["data/catalog.jsonl"] = integrity.sha256_file(catalog)
    (forged / integrity.MANIFEST).write_bytes(integrity.manifest_text(digests))
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("path", "../m1")])})
    result = run("federate", str(folder))
    assert result.exit_code == 1
    assert result.stderr == f"未通过：甲市人民政府（m1）：data/catalog.jsonl 第 3 行{problem}；暂不收录\n"
    assert not (folder / "site" / "catalog" / "m1").exists()


def test_a_folder_member_is_named_as_the_registry_names_it(member_sites, tmp_path):
    """A refusal is written into the site: it names the folder as federation.yaml does, never by
    the machine's path."""
    copy = tmp_path / "m1"
    shutil.copytree(member_sites[0], copy)
    (copy / "pagefind" / "shards.json").write_text('{"shards": []}', encoding="utf-8")
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("path", "../m1")])})
    result = run("federate", str(folder))
    assert result.stderr == (
        "未通过：甲市人民政府（m1）：../m1/pagefind/shards.json 与 SHA256SUMS 中的校验值不符："
        "文件被改动或未发布完整；暂不收录\n"
    )
    published = "".join(p.read_text(encoding="utf-8") for p in (folder / "site").rglob("*.html"))
    assert "../m1/pagefind/shards.json" in published
    assert str(tmp_path) not in published + (folder / "site" / "federation.json").read_text(encoding="utf-8")


def test_signed_members_from_local_folders(member_sites, tmp_path):
    """Members read from folders; a key in the registry makes the signature mandatory."""
    key = tmp_path / "agency"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "m1", "-f", str(key)], check=True)
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "x", "-f", str(other)], check=True)
    signed = tmp_path / "m1"
    shutil.copytree(member_sites[0], signed)
    assert run("sign", str(signed), "--key", str(key)).exit_code == 0
    public = key.with_suffix(".pub").read_text(encoding="utf-8").strip()
    folder = tmp_path / "fed"
    text = registry([("path", "../m1"), ("path", "../m1")])
    text = text.replace(
        "    site_url: http://members.example/m1/\n",
        f"    site_url: http://members.example/m1/\n    public_key: {public}\n",
    )
    wrong = other.with_suffix(".pub").read_text(encoding="utf-8").strip()
    text = text.replace(
        "    site_url: http://members.example/m2/\n",
        f"    site_url: http://members.example/m2/\n    public_key: {wrong}\n",
    )
    write(folder, {REGISTRY: text})
    result = run("federate", str(folder))
    assert result.exit_code == 1
    assert "已更新：甲市人民政府（m1）" in result.output
    assert result.stderr.startswith("未通过：乙县人民政府（m2）：签名未通过：签名与 SHA256SUMS 或公钥不符")
    site = folder / "site"
    assert (site / "members" / "m1" / integrity.SIGNATURE).is_file()
    row = next(r for r in rows_of(site) if r["member"] == "m1")
    assert row["url"].startswith("http://members.example/m1/entries/")


# -- in the browser --------------------------------------------------------------------------------


def open_federation_search(browser, home, query: str = "", **params: str):
    page = browser.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    url = home.url + "search/"
    params = {"q": query, **params} if query else params
    if params:
        url += "?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
    page.goto(url)
    page.wait_for_function("document.documentElement.dataset.searchReady === 'true'")
    if query:
        page.wait_for_function(
            "document.getElementById('gkf-results').getAttribute('aria-busy') === 'false'"
            " && /结果/.test(document.getElementById('gkf-status').textContent)"
        )
    return page


def test_cross_portal_search_finds_the_third_member_and_opens_its_page(browser, federated, member_sites):
    _, servers, home = federated
    entry = numbered(member_sites[2])
    page = open_federation_search(browser, home, entry["doc_no"])
    first = page.locator("#gkf-results li").first
    assert first.locator("a").inner_text() == entry["title"]
    assert first.locator(".gkf-result-meta").inner_text().startswith("丙区人民政府")
    # Every member's bundle was read from the member's own host.
    assert all(any(path.startswith("/pagefind/") for path in s.counts) for s in servers)
    assert page.errors == []
    first.locator("a").click()
    page.wait_for_url(servers[2].url + entry["url"])
    assert page.locator("h1").first.inner_text() == entry["title"]
    page.close()
    # Scope: the first member only. The entry of the third is not among the results.
    page = open_federation_search(browser, home, entry["doc_no"], scope="chosen", member="甲市人民政府")
    assert page.locator('input[name="scope"][value="chosen"]').is_checked()
    metas = page.locator("#gkf-results .gkf-result-meta").all_inner_texts()
    assert metas and all(meta.startswith("甲市人民政府") for meta in metas)
    links = page.eval_on_selector_all("#gkf-results a", "links => links.map(a => a.href)")
    assert servers[2].url + entry["url"] not in links
    assert all(link.startswith(servers[0].url) for link in links)
    # The reader adds the third member with its check box: the search runs again within both.
    page.get_by_label("丙区人民政府").check()
    page.wait_for_function(
        "document.getElementById('gkf-results').getAttribute('aria-busy') === 'false'"
        " && new URLSearchParams(location.search).getAll('member').length === 2"
    )
    links = page.eval_on_selector_all("#gkf-results a", "links => links.map(a => a.href)")
    assert links[0] == servers[2].url + entry["url"]
    assert all(link.startswith((servers[0].url, servers[2].url)) for link in links)
    page.close()


def test_without_the_cors_header_a_member_cannot_be_searched(browser, member_sites, tmp_path):
    servers = [serve_member(member_sites[0]), serve_member(member_sites[2], cors=False)]
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("url", s.url) for s in servers])})
    # federate reads with urllib, which CORS does not concern: both members are listed.
    assert run("federate", str(folder)).exit_code == 0
    home = serve_member(folder / "site", cors=False)
    try:
        entry = numbered(member_sites[2])
        page = open_federation_search(browser, home, entry["doc_no"])
        status = page.inner_text("#gkf-status")
        assert "以下成员门户的搜索索引无法读取，未包含在结果中：乙县人民政府" in status
        assert any("Access-Control-Allow-Origin" in e for e in page.errors)
        links = page.eval_on_selector_all("#gkf-results a", "links => links.map(a => a.href)")
        assert links and all(link.startswith(servers[0].url) for link in links)
        page.close()
    finally:
        for server in [*servers, home]:
            server.stop()


def test_the_resolver_sends_a_reader_to_the_member_holding_the_index_number(browser, federated, member_sites):
    folder, servers, home = federated
    entry = numbered(member_sites[1])
    page = browser.new_page()
    page.goto(home.url + "r/?i=" + quote(entry["index_no"].lower()))
    page.wait_for_url(servers[1].url + entry["url"])
    assert page.locator("h1").first.inner_text() == entry["title"]
    page.goto(home.url + "r/?i=" + quote("11449960MC0000100Y/1999-99999"))
    page.wait_for_function("/没有找到/.test(document.getElementById('gkf-resolve-status').textContent)")
    page.close()
    # Without JavaScript the page says what to do instead.
    html = (folder / "site" / "r" / "index.html").read_text(encoding="utf-8")
    assert "<noscript><p>按索引号跳转需要 JavaScript。" in html


def test_identical_pages_of_two_members_are_both_listed(browser, member_sites, tmp_path):
    """Pagefind names a result after its page's content: the same page on two hosts (a portal and
    its mirror, registered as two members) is still two results, one on each host."""
    servers = [serve_member(member_sites[0]), serve_member(member_sites[0])]
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("url", s.url) for s in servers])})
    assert run("federate", str(folder)).exit_code == 0
    home = serve_member(folder / "site", cors=False)
    try:
        entry = numbered(member_sites[0])
        page = open_federation_search(browser, home, entry["index_no"])
        links = page.eval_on_selector_all("#gkf-results a", "links => links.map(a => a.href)")
        assert links[:2] == [servers[0].url + entry["url"], servers[1].url + entry["url"]]
        assert len(links) == len(set(links))
        page.close()
    finally:
        for server in [*servers, home]:
            server.stop()


def test_federation_pages_pass_axe(browser, federated, member_sites):
    """WCAG 2.1 A and AA (axe-core, as tests/test_accessibility.py runs it) on every page type."""
    from tests.test_accessibility import AXE, describe, run_axe

    folder, _, home = federated
    entry = numbered(member_sites[2])
    category = next(p.parent.name for p in sorted((folder / "site" / "categories").glob("*/index.html")))
    paths = [
        "",
        "members/",
        "catalog/",
        "catalog/m3/",
        f"catalog/m3/{entry['agency']}/",
        "categories/",
        f"categories/{category}/",
        f"years/{entry['date'][:4]}/",
        "search/?q=" + quote(entry["doc_no"]),
        "r/",
        "data/",
    ]
    source = AXE.read_text(encoding="utf-8")
    page = browser.new_page()
    for path in paths:
        response = page.goto(home.url + path)
        assert response is not None and response.status == 200, path
        if path.startswith("search/"):
            page.wait_for_function("/结果/.test(document.getElementById('gkf-status').textContent)")
        assert page.locator("a.gkf-skip").get_attribute("href") == "#main"
        violations = run_axe(page, source)
        assert not violations, f"{path}:\n{describe(violations)}"
    page.close()


def test_a_key_added_to_the_registry_fetches_the_signature(member_sites, tmp_path):
    """The manifest did not change, but the registry now asks for a signature: the member is
    fetched again with its signature, not accepted on the unsigned copy."""
    key = tmp_path / "agency"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "m1", "-f", str(key)], check=True)
    signed = tmp_path / "m1"
    shutil.copytree(member_sites[0], signed)
    assert run("sign", str(signed), "--key", str(key)).exit_code == 0
    folder = tmp_path / "fed"
    write(folder, {REGISTRY: registry([("path", "../m1")])})
    assert run("federate", str(folder)).exit_code == 0
    assert not (folder / "site" / "members" / "m1" / integrity.SIGNATURE).exists()
    public = key.with_suffix(".pub").read_text(encoding="utf-8").strip()
    write(folder, {REGISTRY: registry([("path", "../m1")]) + f"    public_key: {public}\n"})
    result = run("federate", str(folder))
    assert result.exit_code == 0
    assert "已更新：甲市人民政府（m1）" in result.output
    assert (folder / "site" / "members" / "m1" / integrity.SIGNATURE).is_file()
    result = run("federate", str(folder))
    assert "未变化，沿用已核对的版本：甲市人民政府（m1）" in result.output
