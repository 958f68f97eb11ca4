"""``gongkai build``: the site engine (MkDocs) with the gongkai plugin."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator import progress
from generator.checks.validate import validate_project
from generator.commands.validate import emit_report
from generator.errors import GongkaiError, ProjectError
from generator.publish.lock import build_lock
from generator.publish.partition import Partition
from generator.publish.staging import finish_commit, input_fingerprint
from generator.publish.state import StageTimes
from generator.safety import gate

DIRECTORY = click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)


def config_file_of(directory: Path) -> Path:
    config = directory / "mkdocs.yml"
    if not config.is_file():
        raise ProjectError(f"找不到 {config}：请在项目根目录运行，或把项目目录作为参数传入")
    return config


def quiet_engine_notices() -> None:
    # Material's end-of-life notice is for site developers, not for the clerk running a build.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)


@click.command("build")
@DIRECTORY
@click.option("--clean", is_flag=True, help="Ignore the previous build and write a complete new site.")
@click.option("--verbose", "-v", is_flag=True, help="Show the engine's progress messages.")
@click.option(
    "--no-wait",
    is_flag=True,
    help="Stop (exit 1) when another build of the project is running, instead of waiting.",
)
@click.option(
    "--partition",
    "partition",
    metavar="K/N",
    help="Build only part K of N of the site (a build split across CI jobs; see gongkai merge).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --partition: the folder of the part (default: parts/K-of-N in the project).",
)
def build_command(
    directory: Path, clean: bool, verbose: bool, no_wait: bool, partition: str | None, out: Path | None
) -> None:
    """Validate the records and build the portal into site/.

    Only what changed since the last build is rendered again; the live site changes only once the
    new one is complete, and is left as it is when nothing changed.

    With --partition K/N, validate and plan the whole portal but write and index only part K of N,
    into its own folder: the search shards balanced across the parts, and the portal-wide pages
    and files in part 1. Always a full build of that part; site/ is left alone. `gongkai merge`
    puts the parts together into the site one build would have written.
    """
    quiet_engine_notices()
    if verbose:
        logging.getLogger("mkdocs").setLevel(logging.INFO)
    if out is not None and partition is None:
        raise click.UsageError("--out 只用于 --partition（分部构建）")
    part = Partition.parse(partition) if partition is not None else None
    with progress.reporting():
        result = build_site(directory, clean=clean, wait=not no_wait, partition=part, out=out)
    if part is not None:
        click.echo(f"已生成第 {part.k}/{part.n} 部分：{result.site}（用 gongkai merge 合并全部部分）")
        return
    if not result.site_url:
        click.echo(
            "提示：mkdocs.yml 没有设置 site_url（网站的正式地址），因此没有生成 sitemap.xml，"
            "订阅源中的链接是相对地址",
            err=True,
        )
    if result.footer_missing:
        click.echo(
            f"警告：网站已有正式地址（site_url），但页脚还缺少{'、'.join(result.footer_missing)}："
            "请在 mkdocs.yml 的 gongkai 插件下填写 footer（政府网站的每个页面都应显示）",
            err=True,
        )
    if result.up_to_date:
        click.echo(f"网站已是最新，无需重新生成：{result.site}")
    else:
        click.echo(f"已生成网站：{result.site}")
    click.echo("本地预览：gongkai serve（然后打开 http://127.0.0.1:8000/）")


@dataclass
class BuildResult:
    site: Path
    up_to_date: bool
    times: StageTimes
    entries: int
    site_url: str | None = None
    footer_missing: list[str] = field(default_factory=list)  # what a published site's footer lacks


def build_site(
    directory: Path,
    *,
    clean: bool = False,
    wait: bool = True,
    partition: Partition | None = None,
    out: Path | None = None,
) -> BuildResult:
    """Validate, then build unless the live site was built from exactly these inputs; one build
    of a project at a time (another waits, or with ``wait=False`` stops). With ``partition``, a
    full build of that part only, into ``out`` (default ``parts/K-of-N`` in the project)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from generator.engine.plugin import data_license, project_root, site_footer

    config_file = config_file_of(directory)
    config = load_config(str(config_file))
    root = project_root(config)
    plugin = config.plugins.get("gongkai")
    if plugin is None:
        raise ProjectError(f"{config_file} 的 plugins 中没有 gongkai：请在 plugins: 下加上一行 - gongkai")
    try:
        footer = site_footer(plugin.config.footer)
        data_license(plugin.config.data_license)
    except MkDocsException as exc:
        raise GongkaiError(str(exc)) from None
    missing = footer.missing if config.site_url else []
    if partition is not None:
        target = (out if out is not None else root / "parts" / partition.name).resolve()
        if target == Path(config.site_dir).resolve():
            raise ProjectError(f"分部构建不能写入网站目录 {target}：请用 --out 另指一个目录")
        config.site_dir = str(target)
    with build_lock(root, wait=wait, notice=lambda message: click.echo(message, err=True)):
        return _build_locked(config, config_file, root, clean, plugin, missing, partition)


def _build_locked(
    config,
    config_file: Path,
    root: Path,
    clean: bool,
    plugin,
    missing: list[str],
    partition: Partition | None = None,
) -> BuildResult:
    from generator.engine.build import run_engine
    from generator.publish import unchanged
    from generator.publish.build import PART, PUBLISHED, Prepared, journal_path, previous_build

    times = StageTimes()
    start = time.perf_counter()
    site = Path(config.site_dir)
    stamps = None
    if partition is None:  # a part is always a full build (it keeps no record of what it built)
        finish_commit(journal_path(root))
        if not clean:
            stamps = unchanged.input_stamps(root, config_file)
            found = unchanged.unchanged_report(root, site, stamps)
            if found is not None:  # no input file changed since the live site was built
                times.seconds["validate"] = time.perf_counter() - start
                emit_report(found[0], "text")
                return BuildResult(site, True, times, found[1], config.site_url, missing)
    with progress.stage("检查记录"):
        project, report = validate_project(root, safety_gate=False)
    previous = None if clean or partition is not None else previous_build(root, site)
    inputs = input_fingerprint(project, config_file, contents=partition is not None)
    if not report.errors and previous is not None and previous.inputs == inputs:
        # The live site was built, gated and audited from exactly these inputs.
        times.seconds["validate"] = time.perf_counter() - start
        emit_report(report, "text")
        unchanged.remember(root, site, stamps, report, len(project.entries))
        return BuildResult(site, True, times, len(project.entries), config.site_url, missing)
    with progress.stage("安全检查"):
        report.extend(gate.scan_project(project))
    times.seconds["validate"] = time.perf_counter() - start
    times.counts["validate"] = len(project.entries)
    progress.current().clear()
    emit_report(report, "text")
    if report.errors:
        raise GongkaiError("构建已停止，原来的网站保持不变：请先改正上面的问题")
    target = PART if partition is not None else PUBLISHED
    plugin.prepared = Prepared(project, report, previous, inputs, times, target, partition)
    run_engine(config)
    if partition is None:
        unchanged.remember(root, site, stamps, report, len(project.entries))
    return BuildResult(site, False, plugin.times, len(project.entries), config.site_url, missing)
