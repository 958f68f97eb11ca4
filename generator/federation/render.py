"""Write the federation's site: its pages (Jinja2 templates shipped here), resolver maps, open
data, its own small search bundle, the members' manifests and its ``SHA256SUMS``.

Everything is written into a staging folder beside ``DIR/site`` and swapped in once complete.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import jinja2

from generator.federation import data
from generator.federation.plan import FederationPlan, MemberView, Row, category_slug
from generator.portal import urls
from generator.publish import integrity, staging
from generator.search import bundles, sharding, terms

HERE = Path(__file__).parent
NAV = (
    ("members/", "成员门户"),
    ("catalog/", "目录"),
    ("categories/", "主题分类"),
    ("search/", "搜索"),
    ("r/", "索引号查询"),
    ("data/", "开放数据"),
)
STATE = "federation.json"
SEARCH_FILTER = "成员"  # the Pagefind filter each member's bundle is merged under
# The pages of the federation's own Pagefind bundle: the home and members pages (the listings
# repeat the members' titles, which the members' own bundles index).
OWN_PAGES = ("", "members/")


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


class Writer:
    """Pages and files of one site, written under ``out``."""

    def __init__(self, plan: FederationPlan, out: Path) -> None:
        self.plan = plan
        self.out = out
        self.env = environment()

    def file(self, path: str, content: bytes) -> None:
        target = self.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    def page(self, url: str, template: str, title: str, **context) -> None:
        section = next((u for u, _ in NAV if url.startswith(u)), "")
        html = self.env.get_template(template).render(
            fed=self.plan.federation,
            nav=NAV,
            section=section,
            root="../" * url.count("/"),
            title=title,
            **context,
        )
        self.file(urls.output_file(url), html.encode("utf-8"))


def write_site(plan: FederationPlan, site: Path) -> int:
    """Write the whole site to a staging folder and swap it into ``site``; the number of files."""
    work = site.parent / f".{site.name}.new"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        writer = Writer(plan, work)
        render_pages(writer)
        render_resolver(writer)
        sizes = render_data(writer)
        writer.page("data/", "data.html", "开放数据", sizes=sizes)
        render_search(writer)
        render_members_state(writer)
        index_own_pages(work)
        digests = {path: integrity.sha256_file(work / path) for path in integrity.site_files(work)}
        (work / integrity.MANIFEST).write_bytes(integrity.manifest_text(digests))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    staging.swap_into_place(work, site)
    return len(digests) + 1


# -- pages -----------------------------------------------------------------------------------------


def render_pages(w: Writer) -> None:
    plan = w.plan
    listed = [v for v in plan.members if v.listed]
    names = {v.member.id: v.member.name for v in plan.members}
    categories = plan.categories()
    w.page(
        "",
        "index.html",
        "首页",
        heading=plan.federation.name,
        listed=listed,
        total=len(plan.rows),
        refused=[v for v in plan.members if v.status == "refused"],
    )
    w.page("members/", "members.html", "成员门户", members=plan.members)
    years = sorted({row.year for row in plan.rows}, reverse=True)
    by_year = {v.member.id: Counter(r.year for r in v.rows) for v in plan.members}
    w.page("catalog/", "catalog.html", "目录", members=listed, years=years, by_year=by_year)
    for year in years:
        counts = {v.member.id: Counter(r.agency for r in v.rows if r.year == year) for v in listed}
        rows = [
            (v, a, counts[v.member.id][a.code])
            for v in listed
            for a in v.agencies
            if counts[v.member.id][a.code]
        ]
        total = sum(count for _, _, count in rows)
        w.page(f"years/{year}/", "year.html", f"{year} 年的目录", year=year, rows=rows, total=total)
    for view in listed:
        render_member(w, view, names)
    w.page("categories/", "categories.html", "主题分类", categories=categories)
    by_category: dict[str, list[Row]] = defaultdict(list)
    for row in plan.rows:
        by_category[row.category].append(row)
    for slug, name, count in categories:
        rows = sorted(by_category[name], key=lambda r: (r.date, r.member, r.index_no), reverse=True)
        w.page(
            f"categories/{slug}/",
            "rows.html",
            f"主题分类：{name}",
            intro=f"各成员门户中主题分类为“{name}”的条目，共 {count} 条，按成文日期从新到旧排列。",
            groups=_by_year(rows),
            show_member=True,
            names=names,
        )


def render_member(w: Writer, view: MemberView, names: dict[str, str]) -> None:
    member = view.member
    counts = Counter(row.category for row in view.rows)
    categories = [(category_slug(n), n, counts[n]) for n in sorted(counts)]
    w.page(f"catalog/{member.id}/", "member.html", member.name, view=view, categories=categories)
    by_agency: dict[str, list[Row]] = defaultdict(list)
    for row in view.rows:
        by_agency[row.agency].append(row)
    for agency in view.agencies:
        w.page(
            f"catalog/{member.id}/{agency.code}/",
            "rows.html",
            f"{agency.name}（{member.name}）",
            intro=f"{member.name}的{agency.name}公开的目录条目，共 {agency.entries} 条，按成文日期从新到旧排列。",
            groups=_by_year(by_agency[agency.code]),
            show_member=False,
            names=names,
        )


def _by_year(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:  # already newest first
        groups.setdefault(row.year, []).append(row)
    return list(groups.items())


# -- the resolver ----------------------------------------------------------------------------------

RESOLVER = "r/"
_CODE = re.compile(r"[0-9A-Z]{1,40}")


def resolver_key(index_no: str) -> str:
    """The map file a 索引号 is looked up in: its leading code (before the first ``/`` or ``-``),
    upper case; ``resolverKey`` in federation-resolve.js must give the same."""
    text = unicodedata.normalize("NFKC", index_no).strip().upper()
    head = re.split(r"[/\-]", text, maxsplit=1)[0]
    return head if _CODE.fullmatch(head) else "other"


def render_resolver(w: Writer) -> None:
    names = {v.member.id: v.member.name for v in w.plan.members}
    maps: dict[str, dict[str, list[list[str]]]] = defaultdict(dict)
    for row in w.plan.rows:
        key = unicodedata.normalize("NFKC", row.index_no).strip().upper()
        maps[resolver_key(row.index_no)].setdefault(key, []).append([names[row.member], row.url])
    for code in sorted(maps):
        body = json.dumps(dict(sorted(maps[code].items())), ensure_ascii=False, separators=(",", ":"))
        w.file(f"{RESOLVER}codes/{code}.json", body.encode("utf-8"))
    w.page(RESOLVER, "resolve.html", "按索引号查找")
    _asset(w, "federation-resolve.js")


# -- open data, search, state ----------------------------------------------------------------------


def render_data(w: Writer) -> dict[str, int]:
    items = data.records(w.plan)
    w.file(data.JSONL, data.to_jsonl(items))
    w.file(data.CSV, data.to_csv(items))
    sizes = {path: (w.out / path).stat().st_size for path in (data.JSONL, data.CSV)}
    w.file(data.DCAT, data.dcat(w.plan, sizes))
    return sizes


def search_config(plan: FederationPlan) -> dict:
    return {
        "filter": SEARCH_FILTER,
        "marks": {"terms": terms.TERMS_MARK, "body": terms.BODY_MARK},
        "own": plan.federation.name,
        "members": [
            {
                "id": v.member.id,
                "name": v.member.name,
                "base": v.member.public_url,
                "tag": v.digest[:16],
                "shards": [f"pagefind/{s['path']}" for s in v.shards],
            }
            for v in plan.members
            if v.listed
        ],
    }


def render_search(w: Writer) -> None:
    config = json.dumps(search_config(w.plan), ensure_ascii=False).replace("</", "<\\/")
    w.page("search/", "search.html", "搜索", members=[v for v in w.plan.members if v.listed], config=config)
    _asset(w, "federation-search.js")
    # What a query names exactly, shared with the portals' own search page (which it imports).
    query = resources.files("generator.portal").joinpath("theme", "assets", "javascripts", "gongkai-query.js")
    w.file("assets/gongkai-query.js", query.read_bytes())
    _asset(w, "federation.css")


def render_members_state(w: Writer) -> None:
    """Each member's manifest (and signature) under ``members/<id>/``, and ``federation.json``."""
    state = []
    for view in w.plan.members:
        entry = {"id": view.member.id, "name": view.member.name, "url": view.member.public_url}
        # Whether the member was fetched or unchanged is not written: the same good copies make
        # the same site.
        status = "refused" if view.status == "refused" else "ok"
        entry |= {"status": status, "problem": view.problem, "manifest_sha256": view.digest}
        entry["entries"] = len(view.rows)
        state.append(entry)
        for name in (integrity.MANIFEST, integrity.SIGNATURE):
            if view.folder is not None and (view.folder / name).is_file():
                w.file(f"members/{view.member.id}/{name}", (view.folder / name).read_bytes())
    w.file(STATE, (json.dumps({"members": state}, ensure_ascii=False, indent=1) + "\n").encode())


def index_own_pages(out: Path) -> None:
    """The federation's own Pagefind bundle (its home and members pages): it ships the
    ``pagefind.js`` and WebAssembly that load and search the members' bundles."""
    shard = sharding.Shard("federation", OWN_PAGES, dated=False)
    bundles.update_index(
        [shard],
        out,
        locate=lambda url: out / urls.output_file(url),
        page_key=lambda url: integrity.sha256_file(out / urls.output_file(url)),
        listed=False,
    )


def _asset(w: Writer, name: str) -> None:
    w.file(f"assets/{name}", resources.files("generator.federation").joinpath("assets", name).read_bytes())
