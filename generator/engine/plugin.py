"""The MkDocs plugin ``gongkai``: a thin router from MkDocs events to the generator.

Only this module (and the build/serve commands) import MkDocs. MkDocs builds the editorial pages
from ``content/`` and the few portal pages in its navigation; every record page is written by
``generator.publish.write`` into the theme's shell, which MkDocs renders once.

A build goes to a fresh staging directory beside ``site_dir`` and replaces it only when every stage
succeeded, so a failed or interrupted build leaves the previous site as it was.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel

from generator import cache, search
from generator.annual import pages as annual_pages
from generator.checks.validate import validate_project
from generator.exports import feeds
from generator.portal import hant, render, urls
from generator.portal.plan import plan_site
from generator.portal.shell import HEAD_MARK, SCRIPT_MARK, URL_MARK, Shell, compact
from generator.publish import archive as site_archive
from generator.publish import integrity
from generator.publish import write as publish
from generator.safety import audit, gate

log = logging.getLogger("mkdocs.plugins.gongkai")

PACKAGE_THEME = Path(__file__).parent.parent / "portal" / "theme"
SHELL_SRC = "_gongkai/shell.md"
SHELL_URL = "_gongkai/shell/"
BUILD_CACHE = publish.BUILD_CACHE
COMMIT_JOURNAL = "commit.json"
SEARCH_VIEWS = "search-views"
NAV_PAGES = {
    "index.md": "home",
    "catalog/index.md": "catalog",
    "guides/index.md": "guides",
    "reports/index.md": "reports",
}


class GongkaiConfig(Config):
    project_dir = config_options.Optional(config_options.Type(str))
    """The project directory holding catalog/ (default: the directory of mkdocs.yml)."""
    archive = config_options.Type(bool, default=True)
    """Offer a zip archive of the whole site on the open-data page (data/site-archive.zip)."""
    traditional = config_options.Type(bool, default=True)
    """Publish every page in traditional characters too, under zh-hant/ (繁體)."""


def project_root(config) -> Path:
    plugin = config.plugins.get("gongkai")
    configured = plugin.config.project_dir if plugin is not None else None
    return Path(configured or Path(config.config_file_path).parent)


def journal_path(root: Path) -> Path:
    return cache.cache_path(root, COMMIT_JOURNAL)


def previous_build(root: Path, final: Path) -> publish.PreviousBuild | None:
    """The last successful build of ``final``, if the cache still describes the live site."""
    stored = cache.load(root, BUILD_CACHE)
    if not stored or stored.get("site") != str(final.resolve()) or not (final / "index.html").is_file():
        return None
    return publish.PreviousBuild(
        final.resolve(),
        stored["keys"],
        frozenset(stored["manifest"]),
        stored["inputs"],
        stored.get("withheld", ""),
        stored.get("search", {}),
        stored.get("digests", {}),
        tuple(stored.get("archive_stamp", ())),
    )


def archive_stamp(path: Path) -> list[int]:
    """The site archive's size, modification time and inode: the next build copies members from
    the live archive only while it is as this build left it."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return []
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def previous_archive(
    previous: publish.PreviousBuild | None, digests: dict[str, str]
) -> site_archive.Previous | None:
    """The live site's archive to copy unchanged members from, if it is as its build left it."""
    if previous is None or not previous.archive_stamp:
        return None
    path = previous.site / site_archive.ARCHIVE
    if archive_stamp(path) != list(previous.archive_stamp):
        return None
    return site_archive.reusable(path, digests)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.staging: Path | None = None
        self.final: Path | None = None
        self.generated: dict[str, str] = {}
        self.editorial: set[str] = set()  # URLs of the pages from content/ that search indexes
        self.engine_pages: list[str] = []  # URLs of the pages the engine wrote, for their 繁體 twins
        self.times = publish.StageTimes()
        self.preloaded = None  # (project, report, times) validated already by `gongkai build`
        self.preloaded_previous: tuple[publish.PreviousBuild | None] | None = None  # and its previous build
        self.clean = False  # ignore the previous build: write and swap in a complete site
        self.inputs = ""
        self._saved_epoch: tuple[str | None] | None = None

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        root = project_root(config)
        if self.preloaded is not None:
            project, report, self.times = self.preloaded
        else:
            self.times = publish.StageTimes()
            start = time.perf_counter()
            project, report = validate_project(root)
            self.times.seconds["validate"] = time.perf_counter() - start
            self.times.counts["validate"] = len(project.entries)
            for diagnostic in report.warnings:
                log.warning(diagnostic.format_text())
            for diagnostic in report.errors:
                log.error(diagnostic.format_text())
        if report.errors:
            raise PluginError(f"gongkai: {len(report.errors)} 个错误，构建已停止：请先改正上面的问题")
        start = time.perf_counter()
        self.plan = plan_site(project)
        self.times.seconds["plan"] = time.perf_counter() - start
        self.times.counts["plan"] = len(self.plan.listings)
        # The engine dates what it writes by SOURCE_DATE_EPOCH: give it the build's now for this
        # build only (see generator.records.clock), never the wall clock.
        if self._saved_epoch is None:
            self._saved_epoch = (os.environ.get("SOURCE_DATE_EPOCH"),)
        os.environ["SOURCE_DATE_EPOCH"] = str(self.plan.source_date_epoch)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
        # Sitemaps are written by Gongkai from the records, not by the theme (see on_files).
        config.theme.static_templates.discard("sitemap.xml")
        config.watch.append(str(project.catalog_dir))
        if self.command == "build":
            self.final = Path(config.site_dir)
            self.staging = publish.staging_dir(self.final, journal_path(root))
            if not self.inputs:
                self.inputs = publish.input_fingerprint(project, Path(config.config_file_path))
            config.site_dir = str(self.staging)
        self._engine_start = time.perf_counter()
        return config

    def on_files(self, files, config):
        self.generated = {}
        self.editorial = set()
        self.engine_pages = []
        theme_sitemap = files.get_file_from_path("sitemap.xml")
        if theme_sitemap is not None and not theme_sitemap.is_documentation_page():
            files.remove(theme_sitemap)
        record_text = gate.body_files(self.plan.project)
        for file in list(files):
            if file.src_uri in record_text:
                files.remove(file)  # an entry's body: published on its entry page only, if at all
                continue
            # From content/, only pages and what sits under content/assets/ are published:
            # no stray drafts, notes or exports left beside the pages.
            if (
                not file.generated_by
                and not file.is_documentation_page()
                and file.abs_src_path
                and Path(file.abs_src_path).is_relative_to(Path(config.docs_dir).resolve())
                and not file.src_uri.startswith("assets/")
            ):
                log.info(f"gongkai: not published (only pages and content/assets/ are): {file.src_uri}")
                files.remove(file)
        for src, kind in NAV_PAGES.items():
            if files.get_file_from_path(src) is None:
                files.append(File.generated(config, src, content=""))
                self.generated[src] = kind
            elif kind == "home":
                self.generated[src] = kind  # content/index.md becomes the home page's introduction
        files.append(
            File.generated(
                config,
                SHELL_SRC,
                content="---\ntemplate: gongkai_shell.html\nhide: [navigation, toc]\n---\n",
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
        return files

    def on_page_markdown(self, markdown, page, config, files):
        if page.file.src_uri in self.generated:
            # Portal pages use the full width for their tables: no sidebars.
            page.meta.setdefault("hide", ["navigation", "toc"])
        return markdown

    def on_page_content(self, html, page, config, files):
        kind = self.generated.get(page.file.src_uri)
        if kind == "home":
            return render.render_home(self.plan, config.site_name, html).html
        if kind == "catalog":
            return render.render_catalog(self.plan).html
        if kind == "guides":
            return render.render_guides(self.plan).html
        if kind == "reports":
            return annual_pages.render_portal_reports(self.plan).html
        if kind is None and page.file.src_uri != SHELL_SRC:
            self.editorial.add(page.url)
            return render.searchable_page(html)
        return html

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri == SHELL_SRC and page.canonical_url:
            page.canonical_url = page.canonical_url.removesuffix(SHELL_URL) + URL_MARK
        return context

    def on_post_page(self, output, page, config):
        """Announce the portal's feeds (and the page in the other script) in every page's head;
        record pages add their own links, and their script toggle, when the shell is filled."""
        links = feeds.head_links(feeds.SITE_FEEDS, page.url)
        if page.file.src_uri == SHELL_SRC:
            links += HEAD_MARK
        elif self.config.traditional and (page.url == "" or page.url.endswith("/")):
            links += hant.alternates(page.url, hant=False)
            output = output.replace(SCRIPT_MARK, hant.toggle(page.url, hant=False))
            self.engine_pages.append(page.url)
        if page.file.src_uri != SHELL_SRC:
            output = output.replace(SCRIPT_MARK, "")
        head_end = output.find("</head>")
        if head_end >= 0:
            output = output[:head_end] + links + output[head_end:]
        return compact(output)  # the shell too: every record page inherits its chrome

    def on_post_build(self, config):
        self.times.seconds["engine"] = time.perf_counter() - self._engine_start
        site = Path(config.site_dir)
        shell_dir = site / SHELL_URL
        shell = Shell.from_html((shell_dir / "index.html").read_text(encoding="utf-8"), SHELL_URL)
        shutil.rmtree(site / SHELL_URL.split("/")[0])
        previous = None
        if self.preloaded_previous is not None:
            (previous,) = self.preloaded_previous
        elif self.final is not None and not self.clean:
            previous = previous_build(self.plan.project.root, self.final)
        archive = self.config.archive and self.staging is not None  # not in `serve` previews
        info = publish.SiteInfo(
            config.site_name,
            config.site_url,
            frozenset(self.editorial),
            archive=archive,
            manifest=True,
            archive_date=self.plan.project.now.date.isoformat() if archive else "",
            traditional=self.config.traditional,
        )
        if not config.site_url:
            log.info("gongkai: no site_url in mkdocs.yml: no sitemaps; the feeds link relatively")
        # The search index is made in a thread (its work is Pagefind's, in processes of its own)
        # from the moment the pages it reads are written, while the open data files, the feeds,
        # the sitemaps and the engine pages' 繁體 twins are still being written.
        with ThreadPoolExecutor(1) as background:
            indexing: list[Future] = []

            def start_index(written: publish.Written) -> Callable[[], object]:
                indexing.append(background.submit(self._index, site, previous, dict(written.keys)))
                return indexing[0].result

            written, pages = publish.write_portal(
                self.plan, shell, site, previous=previous, site=info, pages_done=start_index
            )
            if info.traditional:
                self._traditional(site, config.site_url)
            indexing[0].result()
        keys = pages.keys
        self.times.seconds.update(written.seconds)
        self.times.counts.update(written.counts)
        log.info(
            f"gongkai: {written.counts['pages']} pages in {written.seconds['pages']:.1f} s, "
            f"{written.counts['files']} files in {written.seconds['files']:.1f} s, "
            f"{written.counts['reports']} annual report downloads in {written.seconds['reports']:.1f} s"
        )
        self._audit(site, previous, pages)
        if self.staging is None:  # a preview (`serve`): the manifest, but no archive
            self._seal(site, None, set(integrity.site_files(site)), pages.digests, archive=False)
        if self.staging is not None and self.final is not None:
            start = time.perf_counter()
            staged = publish.staged_files(self.staging)
            manifest = staged | {urls.output_file(url) for url in keys}
            for name, (_, files) in self.search.shards.items():
                if name not in self.search.indexed:
                    manifest.update(files)  # a shard left as it is in the live site
            root = self.plan.project.root
            digests = self._seal(
                self.staging,
                previous,
                manifest,
                pages.digests,
                archive=self.config.archive,
                staged=staged,
            )
            start = time.perf_counter()  # the swap's own time: the seal's is counted apart
            if previous is not None:
                publish.unstage_unchanged(self.staging, staged, previous, digests)
                # A signature of the previous manifest no longer holds: the agency signs again.
                delete = sorted((previous.manifest | {integrity.SIGNATURE}) - manifest)
                publish.commit(self.staging, self.final, delete, journal_path(root))
            else:
                # The record of the live site's build stops describing it once the new site is in
                # place: it goes first, so a build stopped before the new record is saved starts
                # the next from scratch.
                cache.cache_path(root, BUILD_CACHE).unlink(missing_ok=True)
                large = written.counts["pages"] >= publish.PARALLEL_THRESHOLD
                publish.swap_into_place(self.staging, self.final, remove_in_background=large)
            self.times.seconds["swap"] = time.perf_counter() - start
            record = {
                "site": str(self.final.resolve()),
                "keys": keys,
                "manifest": sorted(manifest),
                "inputs": self.inputs,
                "withheld": self.plan.withheld.key,
                "search": self.search.shards,
                "digests": digests,
                "archive_stamp": archive_stamp(self.final / site_archive.ARCHIVE),
            }
            cache.save(root, BUILD_CACHE, record)
            config.site_dir = str(self.final)
            self.staging = None

    def _traditional(self, site: Path, site_url: str | None) -> None:
        """The 繁體 twins of the engine's pages (the record pages' are written with them), and the
        character tables the search page converts queries and results with."""
        start = time.perf_counter()
        for url in self.engine_pages:
            source = (site / urls.output_file(url)).read_text(encoding="utf-8")
            publish.write_page(site, hant.hant_url(url), hant.page(source, url, site_url))
        (site / hant.CHARACTER_MAP).write_bytes(hant.character_map())
        self.times.seconds["traditional"] = time.perf_counter() - start
        self.times.counts["traditional"] = len(self.engine_pages)

    def _seal(
        self,
        staging: Path,
        previous: publish.PreviousBuild | None,
        manifest: set[str],
        written: dict[str, str],
        *,
        archive: bool,
        staged: set[str] | None = None,
    ) -> dict:
        """Write the site archive and SHA256SUMS into ``staging``; adds them to ``manifest``.

        Returns every file's digest. The record pages' digests were taken as they were written
        (``written``); files this build did not write keep the digests recorded by the build that
        wrote them. The archive is written anew from the new site's files, copying from the live
        site's archive the members that hold the same bytes. ``staged``: the files in ``staging``
        (default: found there).
        """
        start = time.perf_counter()
        manifest -= integrity.UNLISTED | {site_archive.ARCHIVE}
        staged = publish.staged_files(staging) if staged is None else staged
        known = previous.digests if previous is not None else {}

        def source(rel: str) -> Path:
            return staging / rel if rel in staged or previous is None else previous.site / rel

        def digest(rel: str) -> str:
            if rel in written:
                return written[rel]
            if rel in staged or rel not in known:
                return integrity.sha256_file(source(rel))
            return known[rel]

        digests = {rel: digest(rel) for rel in sorted(manifest)}
        if archive:
            files = [(rel, source(rel)) for rel in sorted(manifest)]
            target = staging / site_archive.ARCHIVE
            copied = site_archive.write_archive(
                target,
                files,
                integrity.manifest_text(digests),
                self.plan.project.now.datetime,
                previous_archive(previous, digests),
            )
            digests[site_archive.ARCHIVE] = integrity.sha256_file(target)
            manifest.add(site_archive.ARCHIVE)
            self.times.counts["archive copied"] = copied
        (staging / integrity.MANIFEST).write_bytes(integrity.manifest_text(digests))
        manifest.add(integrity.MANIFEST)
        self.times.seconds["seal"] = time.perf_counter() - start
        self.times.counts["seal"] = len(digests)
        log.info(f"gongkai: SHA256SUMS of {len(digests)} files in {self.times.seconds['seal']:.1f} s")
        return digests

    def _index(self, site: Path, previous: publish.PreviousBuild | None, keys: dict[str, str]) -> None:
        """Index the shards of the search index whose pages changed (all of them in a full build)."""
        start = time.perf_counter()
        live = previous.site if previous is not None else None

        def locate(url: str) -> Path:
            path = site / urls.output_path(url)
            if live is not None and not path.exists():
                path = live / urls.output_path(url)
            return path

        def page_key(url: str) -> str:
            return keys.get(url) or cache.digest(locate(url).read_bytes())

        shards = search.plan_shards(self.plan, self.editorial)
        try:
            self.search = search.update_index(
                shards,
                site,
                locate=locate,
                page_key=page_key,
                previous=previous.search if previous is not None else None,
                # A build keeps the views for the next; a preview (`serve`) makes its own.
                views=cache.cache_path(self.plan.project.root, SEARCH_VIEWS) if self.staging else None,
            )
        except search.SearchIndexError as exc:
            raise PluginError(f"gongkai: 搜索索引生成失败，网站未更新：{exc}") from None
        self.times.seconds["search"] = time.perf_counter() - start
        self.times.counts["search"] = self.search.pages
        log.info(
            f"gongkai: search index: {len(self.search.indexed)} of {len(shards)} shards, "
            f"{self.search.pages} pages, in {self.times.seconds['search']:.1f} s"
        )

    def _audit(self, site: Path, previous: publish.PreviousBuild | None, pages: publish.Written) -> None:
        """The second lock: read what this build wrote and stop before it goes live. The record
        pages and open data were audited as they were written (``pages``); every other file is
        read back here, unless the live site holds it byte for byte."""
        start = time.perf_counter()
        same = previous is not None and previous.withheld == self.plan.withheld.key
        # Unchanged pages were audited when they were written, against the same withheld set.
        files = publish.staged_files(site) if same else set(audit.site_files(site))
        files -= pages.digests.keys()
        if same:
            assert previous is not None
            # A file byte for byte as the live site has it was audited by the build that wrote it:
            # re-indexing a shard for one changed page writes the whole shard again, and nearly
            # all of its files come out the same. Their digests serve SHA256SUMS too.
            for rel in sorted(files):
                if rel in previous.digests:
                    digest = integrity.sha256_file(site / rel)
                    pages.digests[rel] = digest
                    if digest == previous.digests[rel]:
                        files.discard(rel)
        found = sorted([*audit.audit_site(site, self.plan.withheld, sorted(files)), *pages.findings])
        self.times.seconds["audit"] = time.perf_counter() - start
        self.times.counts["audit"] = len(files)
        errors = [d for d in found if d.severity.value == "error"]
        for diagnostic in found:
            (log.error if diagnostic in errors else log.warning)(f"site/{diagnostic.format_text()}")
        if errors:
            raise PluginError(f"gongkai: 输出检查发现 {len(errors)} 处不得公开的内容，网站未更新")

    def on_build_error(self, *, error):
        if self.staging is not None:
            publish.discard(self.staging)
            self.staging = None
        self._restore_epoch()

    def on_shutdown(self):
        self._restore_epoch()

    def _restore_epoch(self) -> None:
        if self._saved_epoch is None:
            return
        (saved,), self._saved_epoch = self._saved_epoch, None
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
