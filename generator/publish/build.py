"""The build sequence after the engine has rendered its pages, in one place:

    write the portal (record pages, files, data) ─┬─ audit ─ seal (SHA256SUMS, archive) ─ swap or commit ─ record
    index the search shards (beside the writing) ─┘

A :class:`Build` carries what the sequence needs: the plan and the site's configuration, the
previous build, where it writes and what it replaces. Nothing here imports MkDocs: the plugin
(:mod:`generator.engine.plugin`) calls :func:`finish` from its ``on_post_build`` event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator import cache, progress
from generator.diagnostics import Report
from generator.errors import GongkaiError
from generator.portal import hant, urls
from generator.portal.plan import SitePlan
from generator.portal.shell import Shell
from generator.publish import archive, integrity, pages, staging, zipwriter
from generator.publish.partition import Partition, clear, write_part_manifest
from generator.publish.state import BUILD_CACHE, PreviousBuild, SiteInfo, StageTimes, Written
from generator.publish.write import write_portal
from generator.records.project import Project
from generator.safety import audit
from generator.search import bundles, sharding

log = logging.getLogger("mkdocs.plugins.gongkai")

COMMIT_JOURNAL = "commit.json"
ARCHIVE_MEMBERS = "archive-members"  # the live archive's parts: each one's digest and member table
SEARCH_VIEWS = "search-views"


@dataclass(frozen=True)
class Target:
    """The site a build writes: the names, in ``.gongkai-cache/``, of the state kept for it (the
    record of what it was built from, its commit journal, its search views), and what may wait
    until its pages are in place. The published site (``site/``) and the preview of
    ``gongkai serve`` each have their own state, so neither is ever taken for the other; only the
    preview, where a save should show at once, leaves work for later."""

    record: str = BUILD_CACHE
    journal: str = COMMIT_JOURNAL
    views: str = SEARCH_VIEWS
    tidy_later: bool = False  # remove an emptied staging directory in a thread (see tidy.remove_in_thread)
    index_later: bool = False  # a rebuild leaves the search index to generator.publish.later


PUBLISHED = Target()
PREVIEW = Target(
    f"preview-{BUILD_CACHE}",
    f"preview-{COMMIT_JOURNAL}",
    f"preview-{SEARCH_VIEWS}",
    tidy_later=True,
    index_later=True,
)
# A part of a build split across machines (``gongkai build --partition``): always a full build,
# with no record kept, so neither it nor the published site's state is taken for the other.
PART = Target(f"part-{BUILD_CACHE}", f"part-{COMMIT_JOURNAL}", f"part-{SEARCH_VIEWS}")


class BuildError(GongkaiError):
    """The build stopped before the new site went live; the live site is as it was."""


@dataclass
class Build:
    """What one build carries from stage to stage."""

    plan: SitePlan
    site: SiteInfo
    out: Path  # where this build writes: a staging directory, or a preview's own folder
    final: Path | None  # the live site it replaces; None for a preview (`serve`), written in place
    previous: PreviousBuild | None = None
    inputs: str = ""  # the digest of every input (see staging.input_fingerprint)
    engine_pages: list[str] = field(default_factory=list)  # the engine's page URLs, for their 繁體 twins
    times: StageTimes = field(default_factory=StageTimes)
    index: bundles.IndexResult | None = None  # the search index, once made
    target: Target = PUBLISHED  # the names of the state kept for ``final``
    partition: Partition | None = None  # write and index only this part of the site

    @property
    def root(self) -> Path:
        return self.plan.project.root


@dataclass
class Prepared:
    """What ``gongkai build`` has done before the engine runs, so the plugin does not do it again:
    the records validated and gated, the previous build found (None for a full build), the digest
    of every input, and the stages' times so far."""

    project: Project
    report: Report
    previous: PreviousBuild | None
    inputs: str
    times: StageTimes
    target: Target = PUBLISHED
    partition: Partition | None = None


def journal_path(root: Path, target: Target = PUBLISHED) -> Path:
    return cache.cache_path(root, target.journal)


def previous_build(root: Path, final: Path, target: Target = PUBLISHED) -> PreviousBuild | None:
    """The last successful build of ``final``, if the cache still describes the live site."""
    stored = cache.load(root, target.record)
    if not stored or stored.get("site") != site_name(root, final) or not (final / "index.html").is_file():
        return None
    if stored.get("sums") != manifest_stamp(final):
        return None  # the site is not the one recorded (say, restored from another CI cache)
    return PreviousBuild(
        final.resolve(),
        stored["keys"],
        frozenset(stored["manifest"]),
        stored["inputs"],
        stored.get("withheld", ""),
        stored.get("search", {}),
        stored.get("digests", {}),
        stored.get("archive_stamps") or {},
    )


def site_name(root: Path, final: Path) -> str:
    """How the record names the live site: its path from the project root when it is inside the
    project (as ``site/`` is), so a checkout elsewhere with the cache and the site restored (a CI
    job) still finds its previous build; else its absolute path."""
    final, root = final.resolve(), root.resolve()
    return final.relative_to(root).as_posix() if final.is_relative_to(root) else str(final)


def manifest_stamp(site: Path) -> str:
    """A digest of the site's SHA256SUMS, which names every file of the site and its digest: a
    site restored beside a cache it does not belong to is not taken for the recorded one."""
    try:
        return cache.digest((site / integrity.MANIFEST).read_bytes())
    except OSError:
        return ""


def archive_stamps(site: Path, digests: dict[str, str], previous: PreviousBuild | None) -> dict[str, str]:
    """What stands for each part of the site archive in ``site`` as the build left it (its size
    and central directory, see zipwriter.directory_digest): the next build copies members from a
    live part only while it is unchanged. Not its inode or time, which a restored copy does not
    keep. A part the build left as it was keeps its recorded stamp."""
    known = previous.archive_stamps if previous is not None else {}
    old = previous.digests if previous is not None else {}
    stamps = {}
    for part, digest in digests.items():
        if archive.is_archive(part) and part != archive.PARTS:
            kept = old.get(part) == digest and known.get(part)
            stamps[part] = kept or zipwriter.directory_digest(site / part)
    return stamps


def previous_archive(root: Path, previous: PreviousBuild | None) -> archive.Previous | None:
    """The live site's archive, to keep its unchanged parts and copy members from the others:
    each part's member table from the cache when the cache describes that part, else read from
    the part; members are copied only from a part that is as its build left it."""
    if previous is None or not previous.archive_stamps:
        return None
    stored = cache.load(root, ARCHIVE_MEMBERS)
    stored = stored if isinstance(stored, dict) else {}
    site, stamps, digests = previous.site, previous.archive_stamps, previous.digests
    tables: dict[str, dict | None] = {}
    copyable: dict[str, bool] = {}

    def table(part: str) -> dict | None:
        if part not in tables:
            entry = stored.get(part)
            if isinstance(entry, dict) and entry.get("digest") == digests.get(part):
                tables[part] = entry["members"]
            else:
                tables[part] = zipwriter.read_table(site / part)
        return tables[part]

    def is_copyable(part: str) -> bool:
        if part not in copyable:
            stamp = stamps.get(part)
            copyable[part] = bool(stamp) and zipwriter.directory_digest(site / part) == stamp
        return copyable[part]

    return archive.Previous(site, digests, table, is_copyable)


def finish(build: Build, shell: Shell) -> None:
    """Write, index, audit and seal the portal into ``build.out``; then, unless it is a preview,
    put it in place of ``build.final`` and record what was built. Raises :class:`BuildError`,
    with the live site untouched, when the search index or the output audit fails.

    A part of a split build (``build.partition``) writes and indexes only what it holds, audits
    it, and puts it in place with its manifest (see :mod:`generator.publish.partition`)."""
    part = build.partition
    if part is not None and not part.portal:
        clear(build.out)  # the engine's pages: part 1 holds them
        build.engine_pages = []
    written, times = write_and_index(build, shell)
    staged = staging.staged_files(build.out)  # every file this build wrote
    if part is not None:
        finish_part(build, part, written, staged)
        return
    audit_output(build, written, staged)
    if build.final is None:  # a preview (`serve`): the manifest, but no archive
        seal(build, set(staged), written.digests, staged=staged, archive_it=False)
        return
    manifest = staged | {urls.output_file(url) for url in written.keys}
    assert build.index is not None
    for name, (_, files) in build.index.shards.items():
        if name not in build.index.indexed:
            manifest.update(files)  # a shard left as it is in the live site
    digests = seal(build, manifest, written.digests, staged=staged, archive_it=build.site.archive)
    put_in_place(build, staged, manifest, digests, large=times.counts["pages"] >= pages.PARALLEL_THRESHOLD)
    save_record(build, written.keys, manifest, digests)


def finish_part(build: Build, part: Partition, written: Written, staged: set[str]) -> None:
    """Audit the part, write its manifest and put it in place of ``build.final``; raises
    :class:`BuildError` after that when the audit found what may not be published (the part is
    kept, for a look at what was found, and ``gongkai merge`` refuses it)."""
    assert build.final is not None
    found = audit_output(build, written, staged, stop=False)
    with progress.stage("校验和"):
        digests = {
            rel: written.digests.get(rel) or integrity.sha256_file(build.out / rel) for rel in sorted(staged)
        }
    write_part_manifest(
        build.out,
        part,
        inputs=build.inputs,
        now=build.plan.project.now.seconds,
        archive_it=build.site.archive,
        shards=part.shards(build.plan),
        digests=digests,
        findings=found,
    )
    staging.swap_into_place(build.out, build.final)
    if errors := _errors(found):
        raise BuildError(f"输出检查发现 {len(errors)} 处不得公开的内容：部分 {part.k}/{part.n} 不能合并")


def _errors(found: list) -> list:
    """The audit's findings that keep a site (or a part) from being published."""
    return [d for d in found if d.severity.value == "error"]


def save_record(build: Build, keys: dict[str, str], manifest: set[str], digests: dict) -> None:
    """Record what the site in ``build.final`` now holds and was built from."""
    assert build.final is not None and build.index is not None
    record = {
        "site": site_name(build.root, build.final),
        "keys": keys,
        "manifest": list(manifest),  # a set again when read (previous_build)
        "inputs": build.inputs,
        "withheld": build.plan.withheld.key,
        "search": build.index.shards,
        "digests": digests,
        "archive_stamps": archive_stamps(build.final, digests, build.previous),
        "sums": manifest_stamp(build.final),
    }
    cache.save(build.root, build.target.record, record)


def index_early(build: Build, shards: list[sharding.Shard]) -> bool:
    """Whether this build hands each shard of the search index to Pagefind as soon as its pages
    are written, one Pagefind beside the page workers (see write_and_index).

    Pagefind keeps about one core busy, and once the pages are written two run at a time, so both
    cores are busy while the index is made, unless one shard holds most of the pages (a catalogue
    of a few years: one run of years and the newest year's shard): then one core idles while that
    shard is indexed, and indexing it beside the pages puts that core to work. With many shards
    both cores are busy either way, and a Pagefind beside the page workers only slows them: at
    100,000 entries (nine shards) it made a full build slower, not faster."""
    if build.previous is not None:
        return False
    pages = [len(shard.pages) for shard in shards]
    return max(pages, default=0) * 2 > sum(pages)


def write_and_index(build: Build, shell: Shell) -> tuple[Written, StageTimes]:
    """Write the portal and make its search index.

    In a full build where one search shard holds most of the pages (see index_early), each shard of the index is
    handed to Pagefind as soon as its pages are written (the pages are written shard by shard,
    largest first), one Pagefind process beside the page workers; in a rebuild, the index is
    started once every page it reads is written. Either way the rest is finished in a thread (its
    work is Pagefind's, in processes of its own) while the open data files, the feeds, the
    sitemaps and the engine pages' 繁體 twins are still being written."""
    keys: list[dict[str, str]] = [{}]  # the pages' keys as they are written
    shards = sharding.plan_shards(build.plan, build.site.editorial)
    early = index_early(build, shards)
    with (
        _indexer(build, shards, lambda: keys[0], fresh=early) as indexer,
        ThreadPoolExecutor(1) as background,
    ):
        indexing: list[Future] = []

        def shard_done(name: str, written: Written) -> None:
            keys[0] = written.keys  # as they grow
            indexer.ready(name)

        def start_index(written: Written) -> Callable[[], object]:
            if build.target.index_later and build.previous is not None:
                # The site's index is kept as it is until generator.publish.later brings it up to date.
                build.index = bundles.IndexResult(dict(build.previous.search), [], 0)
                indexing.append(background.submit(lambda: None))
            else:
                keys[0] = dict(written.keys)
                indexing.append(background.submit(finish_index, build, indexer))
            return indexing[0].result

        times, written = write_portal(
            build.plan,
            shell,
            build.out,
            previous=build.previous,
            site=build.site,
            pages_done=start_index,
            shard_done=shard_done if early else None,
            views=indexer.view_root() if early else None,
            partition=build.partition,
        )
        if build.site.traditional and (build.partition is None or build.partition.portal):
            write_traditional_twins(build)
        indexing[0].result()
    build.times.seconds.update(times.seconds)
    build.times.counts.update(times.counts)
    log.info(
        f"gongkai: {times.counts['pages']} pages in {times.seconds['pages']:.1f} s, "
        f"{times.counts['files']} files in {times.seconds['files']:.1f} s, "
        f"{times.counts['reports']} annual report downloads in {times.seconds['reports']:.1f} s"
    )
    return written, times


def write_traditional_twins(build: Build) -> None:
    """The 繁體 twins of the engine's pages (the record pages' are written with them), and the
    character tables the search page converts queries and results with."""
    start = time.perf_counter()
    out = build.out
    with progress.stage("繁體页面", len(build.engine_pages), "页") as shown:
        for url in build.engine_pages:
            source = (out / urls.output_file(url)).read_text(encoding="utf-8")
            pages.write_page(out, hant.hant_url(url), hant.page(source, url, build.site.url))
            progress.advance(shown)
    (out / hant.CHARACTER_MAP).write_bytes(hant.character_map())
    build.times.seconds["traditional"] = time.perf_counter() - start
    build.times.counts["traditional"] = len(build.engine_pages)


def _indexer(
    build: Build, shards: list[sharding.Shard], keys: Callable[[], dict[str, str]], *, fresh: bool = False
) -> bundles.Indexer:
    """The search index's ``shards``, made from the pages whose keys ``keys()`` gives (the others are
    read and digested) and from the live site's index (``build.previous``). ``fresh``: the views
    are laid out anew, by the page writer (see bundles.Indexer.view_root)."""
    out, previous = build.out, build.previous
    live = previous.site if previous is not None else None

    def locate(url: str) -> Path:
        path = out / urls.output_path(url)
        if live is not None and not path.exists():
            path = live / urls.output_path(url)
        return path

    def page_key(url: str) -> str:
        return keys().get(url) or cache.digest(locate(url).read_bytes())

    part = build.partition
    # A build keeps the views for the next; a preview (`serve`) and a part make their own.
    kept = build.final is not None and part is None
    return bundles.Indexer(
        shards,
        out,
        locate=locate,
        page_key=page_key,
        previous=previous.search if previous is not None else None,
        views=cache.cache_path(build.root, build.target.views) if kept else None,
        only=part.shards(build.plan) if part is not None else None,
        listed=part is None or part.portal,
        at_once=1,  # beside the page workers, until finish()
        fresh=fresh,
    )


def index_search(build: Build, keys: dict[str, str]) -> None:
    """Index the shards of the search index whose pages changed (all of them in a full build); the
    pages' keys are ``keys`` (the others are read)."""
    with _indexer(build, sharding.plan_shards(build.plan, build.site.editorial), lambda: keys) as indexer:
        finish_index(build, indexer)


def finish_index(build: Build, indexer: bundles.Indexer) -> None:
    """Index the shards whose pages changed that ``indexer`` has not indexed yet, and wait for
    every one."""
    start = time.perf_counter()
    try:
        with progress.stage("搜索索引"):
            build.index = indexer.finish()
    except bundles.SearchIndexError as exc:
        raise BuildError(f"搜索索引生成失败，网站未更新：{exc}") from None
    build.times.seconds["search"] = time.perf_counter() - start
    build.times.counts["search"] = build.index.pages
    log.info(
        f"gongkai: search index: {len(build.index.indexed)} of {len(indexer.listing)} shards, "
        f"{build.index.pages} pages, in {build.times.seconds['search']:.1f} s"
    )


def audit_output(build: Build, written: Written, staged: set[str], *, stop: bool = True) -> list:
    """The second lock: read what this build wrote (``staged``: every file in its output) and,
    with ``stop``, stop before it goes live; the findings are returned either way. The record pages
    and open data were audited as they were written (``written``); every other file is read back
    here, unless the live site holds it byte for byte and was audited against the same withheld
    set."""
    start = time.perf_counter()
    out, previous = build.out, build.previous
    same = previous is not None and previous.withheld == build.plan.withheld.key
    files = staged - written.digests.keys()
    if same:
        assert previous is not None
        # A file byte for byte as the live site has it was audited by the build that wrote it:
        # re-indexing a shard for one changed page writes the whole shard again, and nearly
        # all of its files come out the same. Their digests serve SHA256SUMS too.
        for rel in sorted(files):
            if rel in previous.digests:
                digest = integrity.sha256_file(out / rel)
                written.digests[rel] = digest
                if digest == previous.digests[rel]:
                    files.discard(rel)
    with progress.stage("输出检查", len(files), "个文件") as shown:
        found = sorted([*audit.audit_site(out, build.plan.withheld, sorted(files)), *written.findings])
        progress.advance(shown, len(files))
    build.times.seconds["audit"] = time.perf_counter() - start
    build.times.counts["audit"] = len(files)
    errors = _errors(found)
    progress.current().clear()
    for diagnostic in found:
        (log.error if diagnostic in errors else log.warning)(f"site/{diagnostic.format_text()}")
    if errors and stop:
        raise BuildError(f"输出检查发现 {len(errors)} 处不得公开的内容，网站未更新")
    return found


def seal(
    build: Build, manifest: set[str], written: dict[str, str], *, staged: set[str], archive_it: bool
) -> dict:
    """Write the site archive and SHA256SUMS into the build's output; adds them to ``manifest``.

    Returns every file's digest. The record pages' digests were taken as they were written
    (``written``); files this build did not write keep the digests recorded by the build that
    wrote them. The archive's parts whose files changed are written anew from the new site's
    files, copying from the live site's archive the members that hold the same bytes; the others
    stay as they are. ``staged``: the files in the output.
    """
    start = time.perf_counter()
    out, previous = build.out, build.previous
    manifest.difference_update(
        [rel for rel in manifest if rel in integrity.UNLISTED or archive.is_archive(rel)]
    )
    known = previous.digests if previous is not None else {}

    def source(rel: str) -> Path:
        return out / rel if rel in staged or previous is None else previous.site / rel

    def digest(rel: str) -> str:
        if rel in written:
            return written[rel]
        if rel in staged or rel not in known:
            return integrity.sha256_file(source(rel))
        return known[rel]

    with progress.stage("校验和"):
        digests = {rel: digest(rel) for rel in sorted(manifest)}
    sealed = archive.seal_site(
        out,
        digests,
        source=source,
        archive_it=archive_it,
        previous=(lambda: previous_archive(build.root, previous)),
    )
    if archive_it:
        tables = sealed.tables
        stored = {part: {"digest": digests[part], "members": table} for part, table in tables.items()}
        cache.save(build.root, ARCHIVE_MEMBERS, stored)
        manifest.update(rel for rel in digests if archive.is_archive(rel))
        build.times.counts["archive copied"] = sealed.copied
        build.times.counts["archive parts written"] = sealed.written
    manifest.add(integrity.MANIFEST)
    build.times.seconds["seal"] = time.perf_counter() - start
    build.times.counts["seal"] = len(digests)
    log.info(f"gongkai: SHA256SUMS of {len(digests)} files in {build.times.seconds['seal']:.1f} s")
    return digests


def put_in_place(build: Build, staged: set[str], manifest: set[str], digests: dict, *, large: bool) -> None:
    """Commit what an incremental build staged, or swap a full build's site in."""
    start = time.perf_counter()
    with progress.stage("上线"):
        _put_in_place(build, staged, manifest, digests, large=large)
    build.times.seconds["swap"] = time.perf_counter() - start


def _put_in_place(build: Build, staged: set[str], manifest: set[str], digests: dict, *, large: bool) -> None:
    previous = build.previous
    assert build.final is not None
    if previous is not None:
        staged = staging.staged_files(build.out)  # with what sealing wrote
        move = staging.changed_files(staged, previous, digests)
        # A signature of the previous manifest no longer holds: the agency signs again.
        delete = sorted((previous.manifest | {integrity.SIGNATURE}) - manifest)
        target = build.target
        journal = journal_path(build.root, target)
        staging.commit(
            build.out,
            build.final,
            delete,
            journal,
            move=move,
            left=len(staged) - len(move),
            record=target.record,
            tidy_later=target.tidy_later,
        )
    else:
        # The record of the live site's build stops describing it once the new site is in
        # place: it goes first, so a build stopped before the new record is saved starts
        # the next from scratch.
        cache.cache_path(build.root, build.target.record).unlink(missing_ok=True)
        staging.swap_into_place(build.out, build.final, remove_in_background=large)
