"""``gongkai federate``: a federation portal over members' published portals."""

from __future__ import annotations

from pathlib import Path

import click

from generator.errors import ProjectError
from generator.federation.build import SITE, federate

_SAID = {"fetched": "已更新", "unchanged": "未变化，沿用已核对的版本"}


@click.command("federate")
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--jobs", "-j", default=8, show_default=True, help="Members fetched at a time.")
def federate_command(folder: Path, jobs: int) -> None:
    """Build a federation portal in FOLDER/site from the members FOLDER/federation.yaml lists.

    Reads each member's published SHA256SUMS (and SHA256SUMS.sig when a public key is given),
    open data and search manifests, each checked against the member's SHA256SUMS; a member whose
    SHA256SUMS did not change is not fetched again. A member that fails is reported and keeps its
    last good copy, the others still build, and the command exits 1.
    """
    if not folder.is_dir():
        raise ProjectError(f"目录不存在：{folder}")
    result = federate(folder, jobs=jobs)
    for outcome in result.outcomes:
        name = f"{outcome.member.name}（{outcome.member.id}）"
        if outcome.status == "refused":
            kept = "保留上次核对通过的版本" if outcome.folder else "暂不收录"
            click.echo(f"未通过：{name}：{outcome.problem}；{kept}", err=True)
        else:
            click.echo(f"{_SAID[outcome.status]}：{name}")
    listed = sum(1 for o in result.outcomes if o.folder is not None)
    click.echo(
        f"已生成联合门户：{folder / SITE}（{listed} 个成员，{result.entries} 条目录，{result.files} 个文件）"
    )
    if result.refused:
        raise SystemExit(1)
