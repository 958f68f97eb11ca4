"""Benchmark: the search index for a synthetic catalogue of N entries, and queries in Chromium.

    python benchmarks/search.py [--entries 100000] [--agencies 20] [--queries-only]

Uses the synthetic project of benchmarks/build.py (.bench/build-N), building its site first when
there is none. Then:

1. indexes every page the build indexes, from scratch, into a scratch directory, and prints the
   time, the shards, and the peak resident memory of the whole process tree (this process and the
   Pagefind processes), sampled every 50 ms;
2. re-indexes after one entry page changed, which indexes only that page's shard;
3. serves the built site on localhost and, in Debian's Chromium driven by Playwright, measures how
   long each query takes from pressing Enter to its first results on screen (titles, dates and
   excerpts of the first 20; each query once the filter worker has counted the one before, as when
   a reader has looked at the results), and a search page opened with a query in its address, from
   navigation to results.

Targets on a 2-core machine for 100,000 entries: indexing in at most 120 s with at most 3 GB peak
RSS; a query's first results within 300 ms.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.util
import os
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.proctree import PeakSampler  # noqa: E402
from generator.checks.validate import validate_project  # noqa: E402
from generator.portal import urls  # noqa: E402
from generator.portal.plan import plan_site  # noqa: E402
from generator.search import bundles, sharding  # noqa: E402
from tests.browser import CHROMIUM, FLAGS  # noqa: E402

# The synthetic project and its build come from the build benchmark.
_spec = importlib.util.spec_from_file_location("build_benchmark", ROOT / "benchmarks" / "build.py")
build_benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_benchmark)

QUERIES = [
    "通知",
    "公开",
    "政务公开工作要点",
    "实施方案",
    "示合丁〔2023〕12号",
    "关于印发",
    "建设",
    "管理办法",
    "2024",
    "预算",
]


def measure_indexing(workdir: Path) -> None:
    site = workdir / "site"
    project, _ = validate_project(workdir, safety_gate=False)
    plan = plan_site(project)
    editorial = ["about/"]
    shards = sharding.plan_shards(plan, editorial)
    out = workdir / ".bench-search"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    def locate(url: str) -> Path:
        return site / urls.output_path(url)

    pages = sum(len(s.pages) for s in shards)
    print(f"indexing {pages:,} pages in {len(shards)} shards (at most {sharding.SHARD_PAGES:,} entries each)")
    sampler = PeakSampler(os.getpid(), 0.05)
    sampler.start()
    start = time.perf_counter()
    first = bundles.update_index(shards, out, locate=locate, page_key=lambda url: "0")
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"  full index       {seconds:8.1f} s  {pages / seconds:,.0f} pages/s")
    print(
        f"  peak RSS         {sampler.peak_rss / 2**30:8.2f} GiB  (this process and the Pagefind processes)"
    )
    print(f"  index size       {size / 2**20:8.1f} MiB in {sum(1 for _ in out.rglob('*')):,} files")

    changed = shards[len(shards) // 2].pages[0]
    start = time.perf_counter()
    again = bundles.update_index(
        shards,
        out,
        locate=locate,
        page_key=lambda url: "1" if url == changed else "0",
        previous=first.shards,
    )
    seconds = time.perf_counter() - start
    print(f"  one page changed {seconds:8.1f} s  re-indexed {again.indexed} ({again.pages:,} pages)")
    shutil.rmtree(out, ignore_errors=True)


def measure_queries(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    done = (
        "q => document.getElementById('gk-results').getAttribute('aria-busy') === 'false'"
        " && document.getElementById('gk-search-status').textContent.includes(q)"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(base + "search/")
        page.wait_for_function("document.documentElement.dataset.gkSearch === 'ready'")
        print(f"search page ready (index manifests loaded) in {(time.perf_counter() - start) * 1000:.0f} ms")
        timings = []
        for query in QUERIES:
            # The reader has read the previous results: the filter worker has finished counting.
            page.wait_for_function(
                "document.getElementById('gk-facets').getAttribute('aria-busy') !== 'true'"
            )
            elapsed = page.evaluate(
                """async (q) => {
                    const input = document.getElementById('gk-search-q');
                    input.value = q;
                    const t0 = performance.now();
                    document.getElementById('gk-search-form').requestSubmit();
                    const list = document.getElementById('gk-results');
                    const status = document.getElementById('gk-search-status');
                    while (!(list.getAttribute('aria-busy') === 'false' && status.textContent.includes(q))) {
                        await new Promise(r => setTimeout(r, 2));
                    }
                    return performance.now() - t0;
                }""",
                query,
            )
            count = page.inner_text("#gk-search-status")
            timings.append(elapsed)
            print(f"  {query:<24} {elapsed:7.0f} ms  {count}")
        print(
            f"queries typed on the page: median {statistics.median(timings):.0f} ms,"
            f" slowest {max(timings):.0f} ms (first query included)"
        )
        cold = []
        for query in QUERIES[:3]:
            fresh = browser.new_page()
            start = time.perf_counter()
            fresh.goto(base + "search/?q=" + quote(query))
            fresh.wait_for_function(done, arg=query)
            cold.append((time.perf_counter() - start) * 1000)
            fresh.close()
        print(
            f"search page opened with a query, navigation to results: {', '.join(f'{c:.0f}' for c in cold)} ms"
        )
        browser.close()
    server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--agencies", type=int, default=20)
    parser.add_argument("--queries-only", action="store_true", help="measure only the queries (step 3)")
    args = parser.parse_args()
    workdir = build_benchmark.prepare(args.entries, args.agencies)
    if not (workdir / "site" / "pagefind" / "shards.json").is_file():
        print("building the site first ...", flush=True)
        build_benchmark.run_build(workdir)
    if not args.queries_only:
        measure_indexing(workdir)
    measure_queries(workdir / "site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
