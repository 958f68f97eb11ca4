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
from pathlib import Path

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, InclusionLevel
from pydantic import TypeAdapter, ValidationError

from generator.annual import pages as annual_pages
from generator.checks.validate import validate_project
from generator.editor.config import EditorSettings, EditorSettingsError, check_backend
from generator.editor.site import editor_files
from generator.exports import feeds
from generator.models.site import Footer, Url
from generator.portal import hant, render
from generator.portal.chinese import to_traditional
from generator.portal.footer import render_footer
from generator.portal.plan import plan_site
from generator.portal.shell import (
    HEAD_MARK,
    SCRIPT_MARK,
    TOPIC_MARK,
    URL_MARK,
    Shell,
    compact,
    compact_config,
)
from generator.publish import build, lock
from generator.publish.staging import (
    discard,
    input_fingerprint,
    staging_dir,
)
from generator.publish.state import SiteInfo, StageTimes
from generator.safety import gate

log = logging.getLogger("mkdocs.plugins.gongkai")

PACKAGE_THEME = Path(__file__).parent.parent / "portal" / "theme"
PALETTE_SCRIPT = "assets/javascripts/gongkai-palette.js"  # a theme template (see on_config)
SHELL_SRC = "_gongkai/shell.md"
SHELL_URL = "_gongkai/shell/"
# The portal's own pages that sit in the engine's navigation, among them the columns of a
# disclosure platform (国办公开办函〔2019〕61号: 公开指南, 公开制度, 法定主动公开内容, 年度报告,
# 依申请公开): made here so that mkdocs.yml's nav can name them as pages.
NAV_PAGES = {
    "index.md": "home",
    "catalog/index.md": "catalog",
    "guides/index.md": "guides",
    "rules/index.md": "rules",
    "statutory/index.md": "statutory",
    "reports/index.md": "reports",
    "apply/index.md": "apply",
}

PORTAL_PAGES = {
    "rules": render.render_rules,
    "statutory": render.render_statutory,
    "apply": render.render_apply,
}


class _TemplateCode(BytecodeCache):
    """The theme's templates compiled, kept in memory for the process. The engine makes a new
    template environment for every build, and the preview (`gongkai serve`) builds on every save:
    compiling Material's templates again took a quarter of a second each time. Jinja reuses the
    code only while the template's source is the same."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = _TemplateCode()


class GongkaiConfig(Config):
    project_dir = config_options.Optional(config_options.Type(str))
    """The project directory holding catalog/ (default: the directory of mkdocs.yml)."""
    archive = config_options.Type(bool, default=True)
    """Offer a zip archive of the whole site, in parts, on the open-data page (data/site-archive/)."""
    traditional = config_options.Type(bool, default=True)
    """Publish every page in traditional characters too, under zh-hant/ (繁體)."""
    footer = config_options.Type(dict, default={})
    """The site-wide facts every page shows (generator.models.site.Footer): 主办单位, 网站标识码 ..."""
    data_license = config_options.Optional(config_options.Type(str))
    """The URL of the open data's licence, named in the DCAT catalogue (dct:license)."""
    editor = config_options.Type(bool, default=False)
    """Publish the browser editor for clerks (Decap CMS) at admin/, configured from the models."""
    editor_backend = config_options.Type(dict, default={})
    """The editor's git host (Decap's backend): name github | gitlab | gitea, repo, branch, base_url ..."""
    editor_local_port = config_options.Type(int, default=8081)
    """The port of the local proxy (decap-server) the editor uses when opened on localhost."""


def project_root(config) -> Path:
    plugin = config.plugins.get("gongkai")
    configured = plugin.config.project_dir if plugin is not None else None
    return Path(configured or Path(config.config_file_path).parent)


def site_footer(values: dict) -> Footer:
    """The footer configuration, checked; a mistake stops the build with the key and the fix."""
    # mkdocs.yml is read by the engine's YAML loader: a 网站标识码 of ten digits arrives as a number.
    values = {key: str(v) if isinstance(v, int | float) else v for key, v in values.items()}
    try:
        return Footer.model_validate(values)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"])
            if error["type"] == "extra_forbidden":
                problems.append(f"footer.{key}：未知的键，可用的键有 {'、'.join(Footer.model_fields)}")
            elif error["type"] == "gongkai":
                problems.append(f"footer.{key}：{error['msg']}")
            else:
                problems.append(f"footer.{key}：应为一行文字")
        raise PluginError(f"mkdocs.yml 中 gongkai 插件的 {'；'.join(problems)}") from None


def data_license(value: str | None) -> str | None:
    """The open data's licence URL, checked like the footer's URLs."""
    if value is None:
        return None
    try:
        return TypeAdapter(Url).validate_python(value)
    except ValidationError as exc:
        raise PluginError(f"mkdocs.yml 中 gongkai 插件的 data_license：{exc.errors()[0]['msg']}") from None


def editor_settings(plugin_config: GongkaiConfig, site_url: str | None) -> EditorSettings:
    """The editor's settings, checked; a mistake stops the build with the key and the fix."""
    try:
        backend = check_backend(plugin_config.editor_backend)
    except EditorSettingsError as exc:
        raise PluginError(f"mkdocs.yml 中 gongkai 插件的 {exc}") from None
    return EditorSettings(backend, plugin_config.editor_local_port, site_url or "")


def _strict_warnings() -> int:
    """How many warnings MkDocs has counted in this strict build so far."""
    from mkdocs.utils import CountHandler

    handlers = logging.getLogger("mkdocs").handlers
    return sum(n for h in handlers if isinstance(h, CountHandler) for _, n in h.get_counts())


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    def __init__(self) -> None:
        self.command: str | None = None
        self.staging: Path | None = None
        self.final: Path | None = None
        self.generated: dict[str, str] = {}
        self.editorial: set[str] = set()  # URLs of the pages from content/ that search indexes
        self.engine_pages: list[str] = []  # URLs of the pages the engine wrote, for their 繁體 twins
        self.editor: EditorSettings | None = None  # the browser editor's settings, when it is on
        self.times = StageTimes()
        self.prepared: build.Prepared | None = None  # set by `gongkai build` before the engine runs
        self.job: build.Build | None = None  # what the last build carried (the preview finishes its index)
        self.failure = ""  # why the last build failed, as the engine reported it to the plugin
        self.inputs = ""
        self._epoch_saved = False  # SOURCE_DATE_EPOCH as it was before this build (_saved_epoch)
        self._saved_epoch: str | None = None
        self._lock: Path | None = None  # the project's build lock, while this build holds it

    def on_startup(self, *, command, dirty):
        self.command = command

    @property
    def target(self) -> build.Target:
        """The site this build writes: the published one, or the preview of ``gongkai serve``."""
        return self.prepared.target if self.prepared is not None else build.PUBLISHED

    def on_config(self, config):
        root = project_root(config)
        self.footer = site_footer(self.config.footer)
        self.footer_html = render_footer(self.footer)
        self.data_license = data_license(self.config.data_license)
        self.editor = editor_settings(self.config, config.site_url) if self.config.editor else None
        if self.command == "build" and self._lock is None:  # `mkdocs build`: one build at a time
            self._lock = lock.acquire(root, notice=log.warning)
        if self.prepared is not None:
            project, report, self.times = self.prepared.project, self.prepared.report, self.prepared.times
            self.inputs = self.prepared.inputs
        else:
            self.times = StageTimes()
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
        if not self._epoch_saved:
            self._epoch_saved, self._saved_epoch = True, os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(self.plan.source_date_epoch)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(PACKAGE_THEME))
        # Sitemaps are written by Gongkai from the records, not by the theme (see on_files).
        config.theme.static_templates.discard("sitemap.xml")
        # The colour scheme switch, written from this portal's mkdocs.yml (see the template).
        config.theme.static_templates.add(PALETTE_SCRIPT)
        config.watch.append(str(project.catalog_dir))
        if self.command == "build":
            target = self.target
            self.final = Path(config.site_dir)
            self.staging = staging_dir(self.final, build.journal_path(root, target), record=target.record)
            if not self.inputs:
                self.inputs = input_fingerprint(project, Path(config.config_file_path))
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
                content=f"---\ntemplate: gongkai_shell.html\ntitle: '{TOPIC_MARK}'\nhide: [navigation, toc]\n---\n",
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
        if self.editor is not None:
            for item in editor_files(self.plan.project, self.editor, config.site_name):
                if item.text is not None:
                    files.append(File.generated(config, item.rel, content=item.text))
                else:
                    files.append(File.generated(config, item.rel, abs_src_path=str(item.source)))
        return files

    def on_env(self, env, config, files):
        env.bytecode_cache = TEMPLATE_CODE
        env.filters["gk_compact"] = compact
        env.filters["gk_hant"] = to_traditional
        return env

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
        if kind in PORTAL_PAGES:
            return PORTAL_PAGES[kind](self.plan).html
        if kind is None and page.file.src_uri != SHELL_SRC:
            self.editorial.add(page.url)
            return render.searchable_page(html)
        return html

    def on_template_context(self, context, template_name, config):
        context["gongkai_footer"] = self.footer_html  # 404.html
        return context

    def on_post_template(self, output_content, template_name, config):
        # 404.html: a theme template, not a page, so on_post_page does not see its header.
        return output_content.replace(SCRIPT_MARK, "")

    def on_page_context(self, context, page, config, nav):
        context["gongkai_footer"] = self.footer_html
        if page.file.src_uri == SHELL_SRC and page.canonical_url:
            page.canonical_url = page.canonical_url.removesuffix(SHELL_URL) + URL_MARK
        return context

    def on_post_page(self, output, page, config):
        """Announce the portal's feeds in every page's head, and link the page in the other script
        from its header; record pages add their own feeds, and their toggle, when the shell is filled."""
        links = feeds.head_links(feeds.SITE_FEEDS, page.url)
        if page.file.src_uri == SHELL_SRC:
            links += HEAD_MARK
        elif self.config.traditional and (page.url == "" or page.url.endswith("/")):
            output = output.replace(SCRIPT_MARK, hant.toggle(page.url, hant=False))
            self.engine_pages.append(page.url)
        if page.file.src_uri != SHELL_SRC:
            output = output.replace(SCRIPT_MARK, "")
        head_end = output.find("</head>")
        if head_end >= 0:
            output = output[:head_end] + links + output[head_end:]
        return compact(compact_config(output))  # the shell too: every record page inherits its chrome

    def on_post_build(self, config):
        """Hand the rendered engine pages and the page shell to the build sequence
        (:func:`generator.publish.build.finish`), which writes, indexes, audits, seals and puts the
        portal in place."""
        self.times.seconds["engine"] = time.perf_counter() - self._engine_start
        if config.strict and (warned := _strict_warnings()):
            # MkDocs aborts a strict build only after this event: stop before the site is replaced.
            raise PluginError(f"gongkai: {warned} 个警告（mkdocs.yml 设置了 strict: true），构建已停止")
        out = Path(config.site_dir)
        shell = Shell.from_html((out / SHELL_URL / "index.html").read_text(encoding="utf-8"), SHELL_URL)
        shutil.rmtree(out / SHELL_URL.split("/")[0])
        if self.prepared is not None:
            previous = self.prepared.previous
        elif self.final is not None:
            previous = build.previous_build(self.plan.project.root, self.final)
        else:
            previous = None
        archive = self.config.archive and self.staging is not None  # not in `serve` previews
        info = SiteInfo(
            config.site_name,
            config.site_url,
            frozenset(self.editorial),
            archive=archive,
            manifest=True,
            archive_date=self.plan.project.now.date.isoformat() if archive else "",
            traditional=self.config.traditional,
            publisher=self.footer.sponsor,
            license=self.data_license,
        )
        if not config.site_url:
            log.info("gongkai: no site_url in mkdocs.yml: no sitemaps; the feeds link relatively")
        job = build.Build(
            self.plan,
            info,
            out,
            self.final if self.staging is not None else None,
            previous,
            self.inputs,
            list(self.engine_pages),
            self.times,
            target=self.target,
            partition=self.prepared.partition if self.prepared is not None else None,
        )
        self.job = job
        try:
            build.finish(job, shell)
        except build.BuildError as exc:
            raise PluginError(f"gongkai: {exc}") from None
        if self.staging is not None and self.final is not None:
            config.site_dir = str(self.final)
            self.staging = None

    def on_build_error(self, *, error):
        self.failure = str(error).removeprefix("gongkai: ")
        if self.staging is not None:
            discard(self.staging)
            self.staging = None
        self._restore_epoch()
        self._release()

    def on_shutdown(self):
        self._restore_epoch()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            lock.release(self._lock)
            self._lock = None

    def _restore_epoch(self) -> None:
        if not self._epoch_saved:
            return
        saved, self._epoch_saved, self._saved_epoch = self._saved_epoch, False, None
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
