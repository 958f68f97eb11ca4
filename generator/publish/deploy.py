"""Deploying a built site: upload only the files whose SHA-256 differs from the live site's
``SHA256SUMS``, in an order that never shows readers a page whose assets are not there yet.

The plan compares two manifests and touches nothing; the run carries it out phase by phase, each
phase finished before the next begins:

1. new and changed files whose names carry their content's hash (other files name them);
2. the other new and changed files that are not HTML (assets, search shards, attachments, data);
3. HTML pages, which link to all of the above;
4. ``SHA256SUMS`` and its signature: from here on, the target says it holds the new site;
5. deletions of the files the old manifest listed and the new one does not.

Stopped anywhere before 4, the target keeps the old ``SHA256SUMS``, so the next deploy uploads
again whatever it had not confirmed. The deletions are written to a journal on the target before
phase 4 and the journal is removed after phase 5, so deletions cut short are finished by the next
deploy. Only files a manifest listed are ever deleted: what else the target holds is left alone.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generator import progress
from generator.publish import headers
from generator.publish.integrity import MANIFEST, SIGNATURE, ManifestError, parse_manifest

# On the target only while a deploy is deleting: the files it still has to delete, one a line.
JOURNAL = ".gongkai-deploy-deletions"


class Target(Protocol):
    """Where a site is deployed. ``put`` replaces a file whole (a reader sees the old or the new),
    ``delete`` of a missing file succeeds; both may be called from several threads at once."""

    name: str

    def read(self, path: str) -> bytes | None: ...

    def put(self, path: str, source: Path) -> None: ...

    def put_bytes(self, path: str, data: bytes) -> None: ...

    def delete(self, path: str) -> None: ...


@dataclass(frozen=True)
class Upload:
    path: str
    size: int


@dataclass(frozen=True)
class Phase:
    label: str  # the progress display's, and the dry run's
    uploads: tuple[Upload, ...] = ()
    deletions: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        return len(self.uploads) + len(self.deletions)

    @property
    def size(self) -> int:
        return sum(upload.size for upload in self.uploads)


@dataclass(frozen=True)
class Plan:
    phases: tuple[Phase, ...]  # fingerprinted, assets, pages, manifest, deletions: see above
    unchanged: int
    first: bool  # the target had no SHA256SUMS

    @property
    def uploads(self) -> tuple[Upload, ...]:
        return tuple(upload for phase in self.phases for upload in phase.uploads)

    @property
    def deletions(self) -> tuple[str, ...]:
        return self.phases[-1].deletions

    @property
    def empty(self) -> bool:
        return not any(phase.count for phase in self.phases)


@dataclass(frozen=True)
class Live:
    """What the target holds now, as far as a deploy needs to know."""

    manifest: bytes | None
    signature: bytes | None
    pending: tuple[str, ...]  # deletions a deploy cut short left in the journal

    @functools.cached_property
    def digests(self) -> dict[str, str] | None:
        if self.manifest is None:
            return None
        return parse_manifest(self.manifest.decode("utf-8"), "SHA256SUMS")


def read_live(target: Target) -> Live:
    """What ``target`` holds. Its manifest and journal name the files a deploy deletes, so a path
    that could leave the target (``..``, ``/`` at the start) stops the deploy before it starts."""
    try:
        journal = target.read(JOURNAL)
        live = Live(
            manifest=target.read(MANIFEST),
            signature=target.read(SIGNATURE),
            pending=tuple(journal.decode("utf-8").splitlines()) if journal else (),
        )
        for path in [*(live.digests or ()), *live.pending]:
            if not _inside(path):
                raise ManifestError(f"路径 {path!r} 会超出部署目标")
    except (ManifestError, UnicodeDecodeError) as exc:
        raise ManifestError(
            f"{target.name}: 目标中的 {MANIFEST} 或 {JOURNAL} 无法使用（{exc}）：删除它后再部署，将上传全部文件"
        ) from None
    return live


def _inside(path: str) -> bool:
    parts = path.split("/")
    return "\\" not in path and all(part not in ("", ".", "..") for part in parts)


def plan_deploy(site: Path, digests: dict[str, str], live: Live) -> Plan:
    """The uploads and deletions that turn the target's site into ``site`` (``digests``: its
    verified ``SHA256SUMS``)."""
    old = live.digests
    changed = [path for path in sorted(digests) if old is None or old.get(path) != digests[path]]
    fingerprinted, assets, pages = [], [], []
    for path in changed:
        upload = Upload(path, (site / path).stat().st_size)
        if path.endswith(".html"):
            pages.append(upload)
        elif headers.is_fingerprinted(path):
            fingerprinted.append(upload)
        else:
            assets.append(upload)
    manifest = []
    if (site / MANIFEST).read_bytes() != live.manifest:
        manifest.append(Upload(MANIFEST, (site / MANIFEST).stat().st_size))
    signature = site / SIGNATURE
    if signature.is_file() and signature.read_bytes() != live.signature:
        manifest.append(Upload(SIGNATURE, signature.stat().st_size))
    gone = (set(old or ()) | set(live.pending)) - set(digests)
    if live.signature is not None and not signature.is_file():
        gone.add(SIGNATURE)  # it signs a manifest that is being replaced
    return Plan(
        phases=(
            Phase("上传带指纹的资源文件", tuple(fingerprinted)),
            Phase("上传其他资源文件", tuple(assets)),
            Phase("上传页面", tuple(pages)),
            Phase("上传校验清单", tuple(manifest)),
            Phase("删除旧文件", deletions=tuple(sorted(gone))),
        ),
        unchanged=len(digests) - len(changed),
        first=old is None,
    )


def run_deploy(site: Path, plan: Plan, target: Target, *, jobs: int = 8) -> None:
    """Carry out ``plan`` on ``target``, phase by phase (see the module's description)."""
    upload_phases, deletion = plan.phases[:-1], plan.phases[-1]
    for phase in upload_phases[:-1]:
        _run_phase(phase, phase.uploads, lambda u: target.put(u.path, site / u.path), jobs)
    if deletion.deletions:
        target.put_bytes(JOURNAL, "".join(f"{path}\n" for path in deletion.deletions).encode("utf-8"))
    manifest = upload_phases[-1]
    # One after the other: the signature must never arrive before the manifest it signs.
    _run_phase(manifest, manifest.uploads, lambda u: target.put(u.path, site / u.path), 1)
    _run_phase(deletion, deletion.deletions, target.delete, jobs)
    if deletion.deletions:
        target.delete(JOURNAL)


def _run_phase(phase: Phase, items: Iterable, act: Callable, jobs: int) -> None:
    items = list(items)
    if not items:
        return
    with progress.stage(phase.label, len(items), "个文件") as stage:
        for _ in _map_all(act, items, jobs):
            progress.advance(stage)


def _map_all(act: Callable, items: list, jobs: int) -> Iterator[None]:
    """Apply ``act`` to every item on ``jobs`` threads, yielding as each one ends. At most two per
    thread wait in line (a phase may have 365,000 items); the first failure stops the phase: items
    not started are dropped, and the failure is raised once the running ones have ended."""
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        running: set[Future] = set()
        try:
            for item in items:
                if len(running) >= 2 * jobs:
                    done, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                        yield
                running.add(pool.submit(act, item))
            for future in as_completed(running):
                future.result()
                yield
        finally:
            for future in running:
                future.cancel()


def default_jobs() -> int:
    """Uploads wait on the network, not the CPU: several at once, a few per core."""
    return min(16, 4 * (os.cpu_count() or 1))
