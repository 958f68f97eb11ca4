"""``gongkai verify`` and ``gongkai sign``: check a copy of a built site, and sign its manifest."""

from __future__ import annotations

from pathlib import Path

import click

from generator import progress
from generator.errors import ProjectError
from generator.publish import archive, integrity

_SITE = click.argument("site", type=click.Path(file_okay=False, path_type=Path))
SHOWN = 20  # files listed per kind of problem; the count says how many there are


@click.command("verify")
@_SITE
@click.option(
    "--public-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The agency's OpenSSH public key: also check SHA256SUMS.sig against it.",
)
def verify_command(site: Path, public_key: Path | None) -> None:
    """Check a built SITE, or a mirror of one, against its SHA256SUMS.

    Reports the files that are missing, changed or not in the manifest, and every member of the
    site archive's parts (data/site-archive/) that differs from the site file it copies, and exits
    1 if there are any. With --public-key, the manifest's signature must also hold.
    """
    if not site.is_dir():
        raise ProjectError(f"目录不存在：{site}")
    expected = integrity.read_manifest(site)
    with progress.reporting():
        result = integrity.verify(site, expected)
    for label, files in (("缺少", result.missing), ("被改动", result.changed), ("多出", result.extra)):
        for path in files[:SHOWN]:
            click.echo(f"{label}：{path}")
        if len(files) > SHOWN:
            click.echo(f"{label}：……共 {len(files)} 个文件")
    # The archive is checked member by member against the site it copies, but for parts changed
    # already (reported as such).
    stale = archive.check(site, expected, skip=result.changed)
    for problem in stale[:SHOWN]:
        click.echo(f"存档 {problem}")
    if len(stale) > SHOWN:
        click.echo(f"存档：……共 {len(stale)} 处问题")
    if public_key is not None:
        integrity.verify_signature(site, public_key)
    if not result.ok or stale:
        click.echo(
            f"校验未通过：{len(result.missing)} 个文件缺少，{len(result.changed)} 个被改动，"
            f"{len(result.extra)} 个不在清单中，存档有 {len(stale)} 处与网站不符"
            f"（共核对 {result.checked} 个文件）",
            err=True,
        )
        raise SystemExit(1)
    signed = "，签名有效" if public_key is not None else ""
    click.echo(f"校验通过：{result.checked} 个文件与 {integrity.MANIFEST} 一致{signed}")


@click.command("sign")
@_SITE
@click.option(
    "--key",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The agency's OpenSSH private key (e.g. made with ssh-keygen -t ed25519).",
)
def sign_command(site: Path, key: Path) -> None:
    """Sign the SHA256SUMS of a built SITE with the agency's key, writing SHA256SUMS.sig."""
    if not site.is_dir():
        raise ProjectError(f"目录不存在：{site}")
    signature = integrity.sign(site, key)
    click.echo(f"已签名：{signature}")
