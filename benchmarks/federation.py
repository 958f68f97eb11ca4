"""Benchmark: ``gongkai federate`` over M members of 1,000 entries, and its search page in Chromium.

    python benchmarks/federation.py [--members 1 10 30] [--entries 1000]

One synthetic portal of N entries (generator.devtools.synth, 5 agencies, 2019–2025: one search
shard at 1,000 entries) is built once into .bench/federation-N/member/. Building 30 distinct
portals would take longer than the measurement itself, so **the M members are that one site
served M times**, each from its own localhost port (its own origin, with
Access-Control-Allow-Origin, as a member's host must send it), registered under its own id. The
federation therefore merges M times the member's shards, of M × N pages, as M distinct members of that size would; what differs from M distinct members is
that every 索引号 is held by M members (the resolver lists them rather than redirecting) and that a
query matches M copies of each page.

For each M it prints:

1. federate, cold (an empty cache: every member's manifest, open data and search manifests
   fetched and checked) and warm (a second run, nothing changed: only the manifests are read);
2. search page ready: from navigation to every member's shards merged (``data-search-ready``), in
   a fresh browser context (nothing cached);
3. query latency: from submitting the form to the first 20 results on screen (titles and
   excerpts), each query three times: the first time (the index chunks it needs are fetched from
   the members then; a reader who types sees less, as the page preloads them while typing) and
   twice again.

Targets (the Federation issue): M ≤ 10 within 300 ms per query and 1 s to ready; M = 30 reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.devtools.memberserver import serve_member  # noqa: E402
from generator.devtools.synth import write_synthetic_project  # noqa: E402
from generator.federation.build import CACHE, federate  # noqa: E402
from tests.browser import CHROMIUM, FLAGS  # noqa: E402

# A word in every title, two narrower ones, a 文号; the 索引号 of one entry is added per run.
QUERIES = ("通知", "义务教育", "管理办法", "示合甲〔2023〕1号")

SUBMIT = """async (query) => {
  const input = document.getElementById("gkf-q");
  const list = document.getElementById("gkf-results");
  input.value = query;
  const start = performance.now();
  const done = new Promise((resolve) => {
    const watch = new MutationObserver(() => {
      if (list.getAttribute("aria-busy") === "false") { watch.disconnect(); resolve(); }
    });
    watch.observe(list, { attributes: true });
  });
  document.getElementById("gkf-search-form").requestSubmit();
  await done;
  return [performance.now() - start, list.children.length];
}"""


def build_member(entries: int) -> Path:
    root = REPO / ".bench" / f"federation-{entries}" / "member"
    if (root / "site" / "SHA256SUMS").is_file():
        return root / "site"
    shutil.rmtree(root, ignore_errors=True)
    write_synthetic_project(root, entries=entries, agencies=5)
    for name in ("content", "theme"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "".join(line for line in config.splitlines(True) if not line.startswith("site_url:")),
        encoding="utf-8",
    )
    from click.testing import CliRunner

    from generator.cli import main

    started = time.perf_counter()
    result = CliRunner().invoke(main, ["build", str(root)])
    if result.exit_code != 0:
        raise SystemExit(result.output)
    print(f"member portal built: {entries} entries in {time.perf_counter() - started:.1f} s")
    return root / "site"


def registry(servers) -> str:
    lines = ["name: 基准测试省政府信息公开平台", "members:"]
    for i, server in enumerate(servers):
        lines += [f"  - id: m{i:02d}", f"    name: 基准成员{i:02d}", f"    url: {server.url}"]
    return "\n".join(lines) + "\n"


def measure(m: int, site: Path, entries: int, browser) -> None:
    servers = [serve_member(site) for _ in range(m)]
    folder = REPO / ".bench" / f"federation-{entries}" / f"fed-{m}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "federation.yaml").write_text(registry(servers), encoding="utf-8")
    started = time.perf_counter()
    result = federate(folder)
    cold = time.perf_counter() - started
    assert not result.refused, [o.problem for o in result.refused]
    started = time.perf_counter()
    federate(folder)
    warm = time.perf_counter() - started
    assert (folder / CACHE).is_dir()
    home = serve_member(folder / "site", cors=False)
    try:
        context = browser.new_context()
        page = context.new_page()
        started = time.perf_counter()
        page.goto(home.url + "search/")
        page.wait_for_function("document.documentElement.dataset.searchReady === 'true'", timeout=120_000)
        ready = time.perf_counter() - started
        print(
            f"M = {m:2d}: {result.entries} entries; federate cold {cold:.2f} s, warm {warm:.2f} s; search ready {ready:.2f} s"
        )
        catalog = (site / "data" / "catalog.jsonl").read_text(encoding="utf-8").splitlines()
        for query in (*QUERIES, json.loads(catalog[len(catalog) // 2])["index_no"]):
            times = []
            for _ in range(3):
                elapsed, shown = page.evaluate(SUBMIT, query)
                times.append(elapsed)
            print(
                f"        {query}: first {times[0]:.0f} ms, again {times[1]:.0f} and {times[2]:.0f} ms ({shown} shown)"
            )
        context.close()
    finally:
        for server in [*servers, home]:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--entries", type=int, default=1000)
    args = parser.parse_args()
    site = build_member(args.entries)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        for m in args.members:
            measure(m, site, args.entries, browser)
        browser.close()


if __name__ == "__main__":
    main()
