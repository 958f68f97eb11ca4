"""``gongkai build`` and ``gongkai serve``: the site engine (MkDocs) with the gongkai plugin."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from generator.errors import GongkaiError, ProjectError

_DIR = click.argument(
    "directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]"
)


def _config_file(directory: Path) -> Path:
    config = directory / "mkdocs.yml"
    if not config.is_file():
        raise ProjectError(f"找不到 {config}：请在项目根目录运行，或把项目目录作为参数传入")
    return config


def _quiet_engine_notices() -> None:
    # Material's end-of-life notice is for site developers, not for the clerk running a build.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging.basicConfig(format="%(levelname)-7s -  %(message)s", level=logging.WARNING)


@click.command("build")
@_DIR
@click.option("--verbose", "-v", is_flag=True, help="Show the engine's progress messages.")
def build_command(directory: Path, verbose: bool) -> None:
    """Validate the records and build the portal into site/.

    The previous site stays in place until the new one is complete.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    _quiet_engine_notices()
    if verbose:
        logging.getLogger("mkdocs").setLevel(logging.INFO)
    config = load_config(str(_config_file(directory)))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    except (Abort, MkDocsException) as exc:
        raise GongkaiError(f"构建失败，原来的网站保持不变：{exc}") from None
    finally:
        config.plugins.on_shutdown()
    site = Path(config.site_dir)
    click.echo(f"已生成网站：{site}")
    click.echo("本地预览：gongkai serve（然后打开 http://127.0.0.1:8000/）")


@click.command("serve")
@_DIR
@click.option("--address", "-a", default="127.0.0.1:8000", show_default=True, help="IP:PORT to serve on.")
def serve_command(directory: Path, address: str) -> None:
    """Preview the portal with live reload while records and pages are edited."""
    from mkdocs.commands.serve import serve

    _quiet_engine_notices()
    logging.getLogger("mkdocs").setLevel(logging.INFO)
    serve(config_file=str(_config_file(directory)), dev_addr=address, livereload=True)
