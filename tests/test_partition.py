"""A build split across machines: ``gongkai build --partition K/N`` in separate processes and
separate copies of the project (as CI jobs on separate runners, with no shared cache), then
``gongkai merge``, gives byte for byte the site one clean ``gongkai build`` gives; and the merge
refuses parts that do not make one site, leaving the site it would replace as it was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.checks import validate as validate_module
from generator.checks.validate import validate_project
from generator.portal.plan import plan_site
from generator.publish import partition
from generator.safety import gate as gate_module
from generator.search import sharding
from tests.conftest import REPO, copy_sample, run
from tests.test_leaks import ID
from tests.test_withdrawal import snapshot

# A record of the sample (the newest shard's year: part 1 holds it) and one of an older year.
NEWEST_ENTRY = "catalog/shizhengfu/entries/2025"
OLDER_ENTRY = "catalog/shizhengfu/entries/2019/00009.yaml"


# The sample's 440 entries are one search shard by default; a split build shares out whole shards,
# so the parts, and the single build they are compared with, use shards of a year each.
SHARD_PAGES = "100"


@pytest.fixture(scope="module")
def single_build(tmp_path_factory) -> Path:
    """One clean build of the sample with the parts' shard size."""
    root = copy_sample(tmp_path_factory.mktemp("single"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sharding, "SHARD_PAGES", int(SHARD_PAGES))
        result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def _start_part(root: Path, k: int, n: int, out: Path, ceiling: Path) -> subprocess.Popen:
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(
        PYTHONPATH=str(REPO), GIT_CEILING_DIRECTORIES=str(ceiling), **{sharding.SHARD_ENV: SHARD_PAGES}
    )
    command = [sys.executable, "-m", "generator", "build", str(root), "--partition", f"{k}/{n}"]
    return subprocess.Popen(
        [*command, "--out", str(out)],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def build_parts(base: Path, n: int) -> list[Path]:
    """Parts 1..n, each from its own copy of the sample, two processes at a time."""
    folders, running = [], []
    for k in range(1, n + 1):
        root = copy_sample(base / f"checkout-{k}-of-{n}")
        folders.append(base / f"part-{k}-of-{n}")
        running.append((root, _start_part(root, k, n, folders[-1], base)))
        if len(running) == 2 or k == n:
            for root, process in running:
                output, _ = process.communicate(timeout=900)
                assert process.returncode == 0, output
                # A part is a build of its own: no site/, no record of the published site's build.
                assert not (root / "site").exists()
                assert not (root / ".gongkai-cache" / "build").exists()
            running = []
    return folders


@pytest.fixture(scope="module")
def parts_of_two(tmp_path_factory) -> list[Path]:
    return build_parts(tmp_path_factory.mktemp("parts-2"), 2)


@pytest.mark.parametrize("n", [2, 3])
def test_merged_parts_are_byte_identical_to_one_clean_build(n, single_build, parts_of_two, tmp_path):
    folders = parts_of_two if n == 2 else build_parts(tmp_path, 3)
    manifests = [json.loads((f / partition.PART_FILE).read_text(encoding="utf-8")) for f in folders]
    # Every part holds some of the search index; only part 1 the portal-wide files.
    assert all(m["shards"] for m in manifests)
    assert "index.html" in manifests[0]["files"] and "pagefind/shards.json" in manifests[0]["files"]
    for m in manifests[1:]:
        assert all(rel.startswith(("entries/", "zh-hant/", "pagefind/", "agencies/")) for rel in m["files"])
        assert any(rel.startswith("zh-hant/entries/") for rel in m["files"])
    out = tmp_path / "site"
    result = run("merge", *map(str, reversed(folders)), "--out", str(out))  # in any order
    assert result.exit_code == 0, result.output
    merged, single = snapshot(out), snapshot(single_build / "site")
    assert merged.keys() == single.keys(), f"in one site only: {sorted(merged.keys() ^ single.keys())}"
    differing = sorted(rel for rel in merged if merged[rel] != single[rel])
    assert not differing, f"{len(differing)} of {len(merged)} files differ: {differing[:20]}"
    assert {"SHA256SUMS", "data/site-archive/SHA256SUMS", "sitemap.xml"} <= merged.keys()
    assert run("verify", str(out)).exit_code == 0


def _copy(folder: Path, target: Path) -> Path:
    shutil.copytree(folder, target)
    return target


def _refused(tmp_path: Path, folders: list[Path], *expected: str) -> str:
    """Merge ``folders`` into an existing site, which must be left as it was."""
    out = tmp_path / "live"
    out.mkdir(exist_ok=True)
    (out / "index.html").write_text("the live site", encoding="utf-8")
    result = run("merge", *map(str, folders), "--out", str(out))
    assert result.exit_code != 0, result.output
    for text in expected:
        assert text in result.stderr, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "the live site"
    assert not list(tmp_path.glob(".live.building-*"))  # nothing left of the merge
    return result.stderr


def test_merge_refuses_a_missing_or_a_duplicated_part(parts_of_two, tmp_path):
    first, second = parts_of_two
    _refused(tmp_path, [first], "缺少部分 2/2")
    twin = _copy(second, tmp_path / "again")
    _refused(tmp_path, [first, second, twin], "部分 2/2 出现了两次", str(second), str(twin))
    _refused(tmp_path, [first, tmp_path / "live"], "缺少 PART.json")


def test_merge_refuses_a_tampered_or_an_added_file(parts_of_two, tmp_path):
    first, second = parts_of_two
    tampered = _copy(second, tmp_path / "tampered")
    manifest = json.loads((tampered / partition.PART_FILE).read_text(encoding="utf-8"))
    page = next(rel for rel in manifest["files"] if rel.startswith("entries/"))
    (tampered / page).write_text((tampered / page).read_text(encoding="utf-8") + "<!-- -->", encoding="utf-8")
    _refused(tmp_path, [first, tampered], "部分 2/2", str(tampered), f"文件 {page} 与清单记录的 SHA-256 不符")
    added = _copy(second, tmp_path / "added")
    (added / "entries" / "extra.html").write_text("x", encoding="utf-8")
    _refused(tmp_path, [first, added], "部分 2/2", "未列出的文件：entries/extra.html")
    (tampered / page).unlink()
    _refused(tmp_path, [first, tampered], f"缺少清单中的文件：{page}")


def test_merge_refuses_a_file_in_two_parts_and_parts_of_another_split(parts_of_two, tmp_path):
    first, second = parts_of_two
    doubled = _copy(second, tmp_path / "doubled")
    manifest = json.loads((doubled / partition.PART_FILE).read_text(encoding="utf-8"))
    shutil.copy(first / "index.html", doubled / "index.html")
    manifest["files"]["index.html"] = json.loads((first / partition.PART_FILE).read_text(encoding="utf-8"))[
        "files"
    ]["index.html"]
    (doubled / partition.PART_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    _refused(tmp_path, [first, doubled], "文件 index.html 同时出现在")
    other = _copy(second, tmp_path / "other-n")
    manifest = json.loads((other / partition.PART_FILE).read_text(encoding="utf-8"))
    manifest["parts"] = 3
    (other / partition.PART_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    _refused(tmp_path, [first, other], "部分总数 N不同")


def test_merge_refuses_a_part_built_from_other_inputs(parts_of_two, tmp_path):
    # Part 2 of a copy where one record was edited after part 1 was built.
    root = copy_sample(tmp_path / "edited")
    record = root / OLDER_ENTRY
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("政策解读\n", "政策解读（修订）\n", 1), encoding="utf-8")
    process = _start_part(root, 2, 2, tmp_path / "edited-part-2", tmp_path)
    output, _ = process.communicate(timeout=900)
    assert process.returncode == 0, output
    _refused(tmp_path, [parts_of_two[0], tmp_path / "edited-part-2"], "的输入（记录、页面、主题、配置）不同")


def test_a_part_with_an_audit_finding_fails_and_is_refused(monkeypatch, tmp_path):
    root = copy_sample(tmp_path)
    record = next((root / NEWEST_ENTRY).glob("*.yaml"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("\ntitle: ", f"\ntitle: 当事人（身份证号{ID}）", 1), encoding="utf-8")
    # The gate before the build would stop it: switched off, the output audit must catch it.
    monkeypatch.setattr(validate_module, "scan_project", lambda project: [])
    monkeypatch.setattr(gate_module, "scan_project", lambda project: [])
    out = tmp_path / "part-1"
    result = run("build", str(root), "--partition", "1/1", "--out", str(out))
    assert result.exit_code == 1
    assert "输出检查发现" in result.stderr and "部分 1/1 不能合并" in result.stderr
    manifest = json.loads((out / partition.PART_FILE).read_text(encoding="utf-8"))
    assert any("居民身份证号码" in f["text"] and f["severity"] == "error" for f in manifest["findings"])
    assert ID not in (out / partition.PART_FILE).read_text(encoding="utf-8")  # masked, as in the log
    _refused(tmp_path, [out], "部分 1/1", "不得公开的内容，不能合并", "居民身份证号码")


def test_every_part_refuses_bad_input_as_a_build_does(tmp_path):
    root = copy_sample(tmp_path)
    record = root / OLDER_ENTRY
    record.write_text(
        record.read_text(encoding="utf-8").replace("date: 2019-07-12", "date: 2019-13-45"), "utf-8"
    )
    whole = run("build", str(root))
    assert whole.exit_code != 0
    for k in (1, 2):
        part = run("build", str(root), "--partition", f"{k}/2")
        assert part.exit_code == whole.exit_code
        assert part.stdout == whole.stdout and part.stderr == whole.stderr
        assert not (root / "parts").exists()


@pytest.mark.parametrize("given", ["0/2", "3/2", "2", "a/b"])
def test_a_partition_must_be_k_of_n(given, tmp_path):
    result = run("build", str(tmp_path), "--partition", given)
    assert result.exit_code != 0 and "--partition" in result.stderr


def test_a_part_is_never_written_into_the_site(tmp_path):
    root = copy_sample(tmp_path)
    result = run("build", str(root), "--partition", "1/2", "--out", str(root / "site"))
    assert result.exit_code != 0 and "分部构建不能写入网站目录" in result.stderr
    assert not (root / "site").exists()


def test_the_split_is_balanced_and_deterministic(built_sample, year_shards):
    project, _ = validate_project(built_sample)
    plan = plan_site(project)
    shards = sharding.plan_shards(plan)
    for n in (1, 2, 3, len(shards) + 1):
        split = partition.split(plan, n)
        assert sorted(split) == sorted(s.name for s in shards)  # every shard in exactly one part
        assert split[shards[0].name] == 1
        assert set(split.values()) <= set(range(1, n + 1))
        assert split == partition.split(plan_site(validate_project(built_sample)[0]), n)
    # Largest first to the least loaded part: no part exceeds another by more than one shard.
    from generator.publish.jobs import page_jobs

    portal = sum(1 for job in page_jobs(plan) if job.kind not in ("entry", "report"))
    for n in (2, 3):
        split = partition.split(plan, n)
        loads = [0] * n
        for shard in shards:
            loads[split[shard.name] - 1] += len(shard.pages)
        loads[0] += portal
        largest = max(len(s.pages) for s in shards[1:])
        # Part 1 starts with the newest shard and every portal-wide page (more than the sample's
        # other shards together at N = 2); the others are within one shard of each other.
        assert max(loads[1:]) - min(loads[1:]) <= largest, loads
        assert len(set(split.values())) == n
