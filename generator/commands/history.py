"""``gongkai history``: write the change history into catalog/history.json, for use without git."""

from __future__ import annotations

from pathlib import Path

import click

from generator.checks.validate import validate_project
from generator.errors import GongkaiError
from generator.records.history import STATE_FILE, project_history


@click.command("history")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
def history_command(directory: Path) -> None:
    """Write the catalogue's change history to catalog/history.json.

    Builds take the history from git when the project is a repository with its whole history.
    A copy without git (an export, a shallow clone) takes it from this file instead: run this
    before the copy is made, and keep the file with the records.
    """
    project, report = validate_project(directory)
    if report.errors:
        raise GongkaiError(f"记录中有 {len(report.errors)} 个错误：请先运行 gongkai validate 并改正")
    history = project_history(project)
    target = project.root / STATE_FILE
    target.write_bytes(history.to_json())
    source = {"git": "git 提交记录", "state": "原有的 history.json", "none": "各条目的公开日期"}[
        history.source
    ]
    click.echo(f"已写入 {STATE_FILE}：{len(history.events)} 条更新记录（依据{source}）")
