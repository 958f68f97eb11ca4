"""The preview of ``gongkai serve``: the portal built into a folder of its own,
``.gongkai-cache/preview/``, incrementally, as ``gongkai build`` builds ``site/``.

Each build of the preview goes through the same sequence as a build of the published site
(validate with the safety gate, plan, render, audit the output, commit), against the previous build
of the preview: a saved entry renders only the pages it changes and indexes only its search shard.
The preview keeps its own record, commit journal and search views (``generator.publish.build.PREVIEW``),
so it never changes what ``gongkai build`` relies on; the caches keyed by content (records, the
gate's findings, open data rows, printed report PDFs) are shared.

The preview leaves out the site archive (``data/site-archive/``) and, unless asked, the 繁體
pages: both would only slow every save down. A build that finds an error leaves the last good
preview as it was and says why (:class:`Outcome`).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, MkDocsException

from generator import cache
from generator.checks.validate import validate_project
from generator.diagnostics import Diagnostic, Report
from generator.engine.build import EngineError, run_engine
from generator.engine.plugin import project_root
from generator.errors import GongkaiError
from generator.publish import later
from generator.publish.build import PREVIEW, Build, Prepared, journal_path, previous_build
from generator.publish.staging import finish_commit, input_fingerprint
from generator.publish.state import StageTimes

PREVIEW_DIR = "preview"  # in .gongkai-cache/
PREVIEW_LOCK = "preview.lock"  # in .gongkai-cache/: held by the process previewing the project


@dataclass
class Outcome:
    """What one build of the preview found: the records' diagnostics, and a problem found after
    them (the engine's, the output audit's) that is not located in a record. Built: the preview
    shows these inputs; otherwise it shows the last good build."""

    report: Report = field(default_factory=Report)
    problem: str = ""
    built: bool = False
    up_to_date: bool = False
    seconds: float = 0.0

    @property
    def errors(self) -> list[Diagnostic]:
        return self.report.errors


class Preview:
    """Builds the preview of the project whose configuration is ``config_file``."""

    def __init__(self, config_file: Path, *, traditional: bool = False) -> None:
        self.config_file = config_file
        self.traditional = traditional
        self.config = self.load_config()
        self.root = project_root(self.config)
        self.folder = cache.cache_path(self.root, PREVIEW_DIR)
        self.job: Build | None = None  # the last build, while its search index waits (see index_later)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the project's preview for this process: two previews of one project would build
        into the same folder. GongkaiError when another process holds it."""
        path = cache.cache_path(self.root, PREVIEW_LOCK)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a+", encoding="utf-8") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "?"
                raise GongkaiError(
                    f"这个项目已经在预览中（进程 {holder}）：请使用已经打开的预览，或先停止它（Ctrl+C）"
                ) from None
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield

    def load_config(self) -> MkDocsConfig:
        """The site's configuration, read again for every build (it may have been edited), with
        the preview's changes: its own folder, no archive, 繁體 only when asked."""
        config = load_config(str(self.config_file))
        config.site_dir = str(cache.cache_path(project_root(config), PREVIEW_DIR))
        options = config.plugins["gongkai"].config
        options.archive = False
        options.traditional = options.traditional and self.traditional
        return config

    def build(self) -> Outcome:
        """Validate the records and, when nothing is wrong, bring the preview up to date with them."""
        start = time.perf_counter()
        outcome = Outcome()
        try:
            self._update(outcome)
        except (Abort, MkDocsException) as exc:  # reading the configuration
            outcome.problem = f"{self.config_file.name} 有误：{exc}"
        except EngineError as exc:
            outcome.problem = f"预览生成失败：{exc.detail}"
        except GongkaiError as exc:
            outcome.problem = str(exc)
        outcome.seconds = time.perf_counter() - start
        return outcome

    def _update(self, outcome: Outcome) -> None:
        config = self.config = self.load_config()
        project, outcome.report = validate_project(self.root)
        if outcome.errors:
            return
        finish_commit(journal_path(self.root, PREVIEW), PREVIEW.record)
        previous = previous_build(self.root, self.folder, PREVIEW)
        # The preview's own options are inputs too: a preview made with --traditional is not
        # up to date for one without.
        inputs = cache.digest(input_fingerprint(project, self.config_file), f"traditional={self.traditional}")
        if previous is not None and previous.inputs == inputs:
            outcome.built = outcome.up_to_date = True
            return
        plugin = config.plugins["gongkai"]
        plugin.prepared = Prepared(project, outcome.report, previous, inputs, StageTimes(), PREVIEW)
        run_engine(config)
        outcome.built = True
        self.job = plugin.job

    def index_later(self) -> str:
        """Bring the search index up to date with the last build (its pages are in place already);
        returns a problem that stopped it ("" for none), the index then left as it was."""
        job, self.job = self.job, None
        if job is None:
            return ""
        try:
            later.index_later(job)
        except GongkaiError as exc:
            return str(exc)
        return ""
