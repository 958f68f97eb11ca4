"""A build split across machines: ``gongkai build --partition K/N`` writes one part of the site,
``gongkai merge`` puts the parts together into the site one machine would have built.

How the site is split
    Every part validates and plans the whole project, then writes and indexes only what it holds:
    whole search shards (see :mod:`generator.search`), each with its entry pages in both scripts
    and its Pagefind bundle, balanced across the parts by page count (largest first, each to the
    part with the fewest pages so far); and, in part 1 only, everything that depends on the whole
    catalogue: the engine's pages, listings, agency pages, feeds, open data, sitemaps, report
    downloads, attachments and ``pagefind/shards.json``. The newest shard, which also indexes the
    agency, guide and editorial pages, goes with part 1. The split is made from the plan alone, so
    every part computes the same one.

Why the merged site is byte-identical
    A page's bytes depend only on the plan (every part makes the same plan from the same inputs and
    the same "now"); a shard's bundle only on its pages; and the files that sum up the whole site
    (``SHA256SUMS``, the site archive) are made by the merge with the same code as a build's
    (:func:`generator.publish.archive.seal_site`) from the union of the parts.

Each part holds a manifest (``PART.json``): its number, the digest of every input, the code's
fingerprint, the build's now, every file with its SHA-256 and the output audit's findings in them.
The merge refuses parts that do not fit together or were changed since. Nothing here imports MkDocs.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator import cache, progress
from generator.errors import GongkaiError, naming
from generator.portal.plan import SitePlan
from generator.publish import archive, integrity, staging
from generator.publish.jobs import Job, page_jobs
from generator.search import sharding

PART_FILE = "PART.json"
FORMAT = 1
_ENTRY_JOBS = frozenset({"entry", "report"})


class MergeError(GongkaiError):
    """The parts cannot be merged; the site at ``--out`` is as it was."""


@dataclass(frozen=True)
class Partition:
    """Part ``k`` of ``n`` (1 ≤ k ≤ n)."""

    k: int
    n: int

    @classmethod
    def parse(cls, text: str) -> Partition:
        try:
            k, n = (int(x) for x in text.split("/"))
        except ValueError:
            raise GongkaiError(f"--partition 应写成 K/N（如 2/3），实为 {text!r}") from None
        if not 1 <= k <= n:
            raise GongkaiError(f"--partition {text}：应满足 1 ≤ K ≤ N")
        return cls(k, n)

    @property
    def name(self) -> str:
        return f"{self.k}-of-{self.n}"

    @property
    def portal(self) -> bool:
        """Whether this part holds the portal-wide pages and files (part 1)."""
        return self.k == 1

    def shards(self, plan: SitePlan) -> frozenset[str]:
        """The names of the search shards this part indexes."""
        return frozenset(name for name, k in split(plan, self.n).items() if k == self.k)

    def holds(self, plan: SitePlan, job: Job) -> bool:
        """Whether this part writes the page (and its 繁體 twin) of ``job``."""
        if job.kind not in _ENTRY_JOBS:
            return self.portal
        return split(plan, self.n)[sharding.shard_of(plan)[plan.entries[job.index].url]] == self.k  # type: ignore[union-attr]


def split(plan: SitePlan, n: int) -> dict[str, int]:
    """Which part (1..n) indexes each search shard: the newest shard (which also holds the pages
    without a date) with part 1, whose load starts with it and the portal-wide pages; then the
    others, largest first (by name on a tie), each to the part with the fewest pages so far (the
    lowest number on a tie). Computed once per plan and ``n``."""
    cached = plan.__dict__.setdefault("_partition_split", {})
    if n in cached:
        return cached[n]
    shards = sharding.plan_shards(plan)
    loads = [0] * n
    assigned: dict[str, int] = {}
    if shards:
        first = shards[0]
        assigned[first.name] = 1
        portal_pages = sum(1 for job in page_jobs(plan) if job.kind not in _ENTRY_JOBS)
        loads[0] = len(first.pages) + portal_pages
    for shard in sorted(shards[1:], key=lambda s: (-len(s.pages), s.name)):
        k = min(range(n), key=lambda i: (loads[i], i))
        assigned[shard.name] = k + 1
        loads[k] += len(shard.pages)
    cached[n] = assigned
    return assigned


def write_part_manifest(
    out: Path,
    part: Partition,
    *,
    inputs: str,
    now: int,
    archive_it: bool,
    shards: frozenset[str],
    digests: dict[str, str],
    findings: list,
) -> None:
    """Write ``PART.json`` into the part's folder ``out``."""
    manifest = {
        "format": FORMAT,
        "part": part.k,
        "parts": part.n,
        "inputs": inputs,
        "code": cache.code_fingerprint(),
        "now": now,
        "archive": archive_it,
        "shards": sorted(shards),
        "files": dict(sorted(digests.items())),
        "findings": [{"severity": d.severity.value, "text": d.format_text()} for d in sorted(findings)],
    }
    with naming(out / PART_FILE):
        (out / PART_FILE).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


@dataclass
class Part:
    folder: Path
    manifest: dict

    @property
    def label(self) -> str:
        return f"部分 {self.manifest['part']}/{self.manifest['parts']}（{self.folder}）"


def read_part(folder: Path) -> Part:
    path = folder / PART_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MergeError(
            f"{folder} 不是分部构建的结果：缺少 {PART_FILE}（应由 gongkai build --partition 生成）"
        ) from None
    except (OSError, ValueError) as exc:
        raise MergeError(f"{path} 无法读取：{exc}") from None
    keys = ("format", "part", "parts", "inputs", "code", "now", "archive", "files", "findings")
    if not isinstance(manifest, dict) or any(key not in manifest for key in keys):
        raise MergeError(f"{path} 不完整：应包含 {'、'.join(keys)}")
    if manifest["format"] != FORMAT:
        raise MergeError(f"{path} 的格式版本为 {manifest['format']}，本版 Gongkai 只能合并版本 {FORMAT}")
    return Part(folder, manifest)


def check_parts(parts: list[Part]) -> None:
    """Refuse parts that do not make one site: from other inputs, another Gongkai or another N, a
    part missing or given twice, a file in two parts, a part whose audit found what may not be
    published. (Each file's digest is checked as it is copied, see :func:`merge`.)"""
    if not parts:
        raise MergeError("没有给出要合并的部分")
    first = parts[0]
    code = cache.code_fingerprint()
    for part in parts:
        m = part.manifest
        if m["code"] != code:
            raise MergeError(
                f"{part.label} 由另一版本的 Gongkai 生成，与合并所用的版本不同：请用同一版本构建和合并"
            )
        for key, what in (
            ("parts", "部分总数 N"),
            ("inputs", "输入（记录、页面、主题、配置）"),
            ("now", "构建时间"),
        ):
            if m[key] != first.manifest[key]:
                raise MergeError(
                    f"{part.label} 与 {first.label} 的{what}不同：各部分须由同一份项目、同一次提交生成"
                )
        if m["archive"] != first.manifest["archive"]:
            raise MergeError(f"{part.label} 与 {first.label} 的 archive 设置不同")
    n = first.manifest["parts"]
    seen: dict[int, Part] = {}
    for part in parts:
        k = part.manifest["part"]
        if k in seen:
            raise MergeError(f"部分 {k}/{n} 出现了两次：{seen[k].folder} 和 {part.folder}")
        seen[k] = part
    missing = [str(k) for k in range(1, n + 1) if k not in seen]
    if missing:
        raise MergeError(f"缺少部分 {'、'.join(f'{k}/{n}' for k in missing)}：合并需要全部 {n} 个部分")
    owner: dict[str, Part] = {}
    for part in parts:
        for rel in part.manifest["files"]:
            if rel in owner:
                raise MergeError(f"文件 {rel} 同时出现在 {owner[rel].label} 和 {part.label} 中")
            owner[rel] = part
    for part in parts:
        errors = [f for f in part.manifest["findings"] if f["severity"] == "error"]
        if errors:
            shown = "；".join(f["text"] for f in errors[:3])
            raise MergeError(f"{part.label} 的输出检查发现 {len(errors)} 处不得公开的内容，不能合并：{shown}")


def merge(folders: list[Path], out: Path) -> tuple[int, list[str]]:
    """Check the parts in ``folders`` and write the site they make into ``out``, swapped into place
    whole. Returns the number of files in the site and the audit warnings the parts recorded.
    Raises :class:`MergeError`, leaving ``out`` as it was."""
    parts = sorted((read_part(folder) for folder in folders), key=lambda p: p.manifest["part"])
    check_parts(parts)
    out = out.resolve()
    build_dir = staging.staging_dir(out, out.parent / f".{out.name}.merge-journal")
    try:
        digests: dict[str, str] = {}
        total = sum(len(p.manifest["files"]) for p in parts)
        with progress.stage("合并", total, "个文件") as shown:
            for part in parts:
                digests.update(_copy_part(part, build_dir))
                progress.advance(shown, len(part.manifest["files"]))
        manifest = {rel for rel in digests if rel not in integrity.UNLISTED and not archive.is_archive(rel)}
        archive.seal_site(
            build_dir,
            {rel: digests[rel] for rel in manifest},
            source=lambda rel: build_dir / rel,
            archive_it=parts[0].manifest["archive"],
        )
        staging.swap_into_place(build_dir, out)
    except BaseException:
        staging.discard(build_dir)
        raise
    warnings = [f["text"] for p in parts for f in p.manifest["findings"] if f["severity"] != "error"]
    return len(staging.staged_files(out)), warnings


def _copy_part(part: Part, target: Path) -> dict[str, str]:
    """Copy the part's files into ``target``, each checked against the digest its manifest records."""
    expected: dict[str, str] = part.manifest["files"]
    present = staging.staged_files(part.folder) - {PART_FILE}
    extra = sorted(present - expected.keys())
    if extra:
        raise MergeError(f"{part.label} 中有清单（{PART_FILE}）未列出的文件：{extra[0]}")
    for rel in sorted(expected):
        source, destination = part.folder / rel, target / rel
        if not source.is_file():
            raise MergeError(f"{part.label} 缺少清单中的文件：{rel}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with naming(destination):
            try:
                # A link, not a copy: the site's files are never written in place (a build
                # replaces them, see staging.commit), so the part's stay as they were.
                os.link(source, destination)
            except OSError:
                shutil.copyfile(source, destination)  # another filesystem
        # What the site holds is checked, not the source: it is what was recorded.
        if integrity.sha256_file(destination) != expected[rel]:
            raise MergeError(f"{part.label} 中的文件 {rel} 与清单记录的 SHA-256 不符：生成后被改动过")
    return dict(expected)


def clear(out: Path) -> None:
    """Remove everything in ``out`` (the engine's pages, in a part that does not hold them)."""
    for child in out.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            os.unlink(child)
