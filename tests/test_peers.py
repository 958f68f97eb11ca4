"""benchmarks/peers.py: the records Gongkai publishes, as a Hugo site built by the real Hugo and
indexed by the real Pagefind, so that the comparison is between sites that publish the same."""

from __future__ import annotations

import gzip
import html
import json
import shutil
from pathlib import Path

import yaml

from benchmarks.peers import executables, run_hugo, run_pagefind, same_work_config, write_hugo_project
from generator.devtools.synth import write_synthetic_project
from generator.portal.urls import entry_url

ROOT = Path(__file__).resolve().parent.parent


def _records(project: Path) -> list[dict]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((project / "catalog").glob("*/entries/*/*.yaml"))
    ]


def _fragments(bundle: Path) -> list[dict]:
    found = []
    for path in sorted((bundle / "fragment").iterdir()):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(b"pagefind_dcd"), path
        found.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return found


def test_the_hugo_site_has_a_page_for_each_entry_gongkai_publishes_and_pagefind_indexes_them(tmp_path):
    # One agency and one year, so that the serials reach the 依申请公开 and 不予公开 entries of the mix.
    project = write_synthetic_project(tmp_path / "project", entries=50, agencies=1, years=(2024, 2024))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    records = _records(project)
    shown = [r for r in records if r["disclosure"] != "不予公开"]
    withheld = [r for r in records if r["disclosure"] == "不予公开"]
    on_request = [r for r in records if r["disclosure"] == "依申请公开"]
    assert withheld and on_request and len(shown) > 40

    pages, not_shown = write_hugo_project(project, tmp_path / "hugo")
    assert (pages, not_shown) == (len(shown), len(withheld))
    hugo, pagefind = executables()
    run_hugo(hugo, tmp_path / "hugo")
    site = tmp_path / "hugo" / "public"

    # One page per public entry, at Gongkai's URL of the entry, with its 索引号 and title.
    assert len(list((site / "entries").rglob("index.html"))) == len(shown)
    for record in shown:
        page = (site / entry_url(record["index_no"]) / "index.html").read_text(encoding="utf-8")
        assert f'data-pagefind-meta="indexno" data-pagefind-weight="10">{record["index_no"]}</td>' in page
        assert f'<h1 data-pagefind-meta="title">{html.escape(record["title"])}</h1>' in page
        assert f'<li aria-current="page">{html.escape(record["title"])}</li>' in page
        assert f'data-pagefind-filter="公开属性">{record["disclosure"]}</td>' in page
        if record["disclosure"] == "主动公开":
            first = record["body"].split("\n")[0]
            assert f"<p>{first}</p>" in page
        else:  # the body withheld, as Gongkai withholds it
            assert "本信息依申请公开" in page
            assert not any(part in page for part in record["body"].split("\n") if part)
    # Nothing of a 不予公开 entry anywhere in the site.
    text = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml"))
    for record in withheld:
        assert record["title"] not in text and record["index_no"] not in text

    measured, indexed = run_pagefind(pagefind, site)
    assert indexed == len(shown)
    assert measured.seconds > 0 and measured.peak_rss > 0
    bundle = site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["zh"]["page_count"] == len(shown)
    fragments = _fragments(bundle)
    assert sorted((f["meta"]["indexno"], f["meta"]["title"]) for f in fragments) == sorted(
        (r["index_no"], r["title"]) for r in shown
    )
    assert {f["url"] for f in fragments} == {"/" + entry_url(r["index_no"]) for r in shown}


def test_same_work_turns_off_the_traditional_copy_and_the_archive_only():
    sample = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(same_work_config(sample))
    plugin = next(p["gongkai"] for p in config["plugins"] if isinstance(p, dict) and "gongkai" in p)
    assert plugin["traditional"] is False and plugin["archive"] is False
    assert {k: v for k, v in plugin.items() if k not in ("traditional", "archive")} == next(
        p["gongkai"] for p in yaml.safe_load(sample)["plugins"] if isinstance(p, dict) and "gongkai" in p
    )
