"""``gongkai merge``: put the parts of a build split across machines together into one site."""

from __future__ import annotations

from pathlib import Path

import click

from generator import progress
from generator.publish import partition


@click.command("merge")
@click.argument("parts", nargs=-1, required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (replaced whole, once the merge is complete).",
)
def merge_command(parts: tuple[Path, ...], out: Path) -> None:
    """Merge the PARTS written by `gongkai build --partition K/N` into one site.

    The parts must come from the same inputs, the same Gongkai and the same N, all of 1..N once
    each, with no file in two parts, no finding of the output audit, and every file as its part's
    manifest (PART.json) records it. The site is the union of their files with SHA256SUMS and the
    site archive, byte for byte what one `gongkai build` writes; it replaces --out whole, and
    --out is left as it was when the parts are refused.
    """
    with progress.reporting():
        count, warnings = partition.merge(list(parts), out)
    for warning in warnings:
        click.echo(f"警告：{warning}", err=True)
    click.echo(f"已合并 {len(parts)} 个部分：{out}（{count} 个文件）")
