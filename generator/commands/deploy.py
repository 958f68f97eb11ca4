"""``gongkai deploy``: put a built site on its host, uploading only what changed."""

from __future__ import annotations

from pathlib import Path

import click

from generator import progress
from generator.errors import GongkaiError, ProjectError
from generator.publish import archive, integrity
from generator.publish.deploy import Plan, default_jobs, plan_deploy, read_live, run_deploy
from generator.publish.targets import S3Options, open_target

SHOWN = 20  # files listed per phase by --dry-run; --plan writes them all
PLAN_FILES = ("1-fingerprinted.txt", "2-assets.txt", "3-pages.txt", "4-manifest.txt", "5-delete.txt")


@click.command("deploy")
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.argument("target")
@click.option("--dry-run", is_flag=True, help="Print what would be uploaded and deleted; change nothing.")
@click.option(
    "--plan",
    "plan_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the files to upload and delete, one list per phase, into this folder "
    "(for rsync --files-from); change nothing.",
)
@click.option(
    "--endpoint-url", help="The S3-compatible service's address (default: AWS_ENDPOINT_URL, else AWS)."
)
@click.option("--region", help="The bucket's region (default: AWS_DEFAULT_REGION).")
@click.option("--profile", help="A profile of ~/.aws/credentials (default: the AWS_* variables).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=default_jobs(),
    show_default=True,
    help="Files uploaded at once.",
)
def deploy_command(
    site: Path,
    target: str,
    dry_run: bool,
    plan_dir: Path | None,
    endpoint_url: str | None,
    region: str | None,
    profile: str | None,
    jobs: int,
) -> None:
    """Upload a built SITE to TARGET, only the files whose SHA-256 differs from TARGET's SHA256SUMS.

    TARGET is a folder or s3://bucket/prefix. Files that are not HTML go first, then pages, then
    SHA256SUMS (and SHA256SUMS.sig), then the files the site no longer has are deleted: stopped
    anywhere, the target keeps a whole site and the next deploy finishes the job. SITE must pass
    gongkai verify. A target without SHA256SUMS gets every file.
    """
    if not site.is_dir():
        raise ProjectError(f"目录不存在：{site}")
    options = S3Options(endpoint_url=endpoint_url, region=region, profile=profile, jobs=jobs)
    with progress.reporting():
        digests = _verified_manifest(site)
        destination = open_target(target, site, options)
        with progress.stage("读取目标的校验清单"):
            live = read_live(destination)
        plan = plan_deploy(site, digests, live)
        if plan_dir is not None:
            _write_plan(plan_dir, plan)
        if dry_run or plan_dir is not None:
            progress.current().clear()
            _print_plan(plan)
            return
        if not plan.empty:
            run_deploy(site, plan, destination, jobs=jobs)
    click.echo(f"已部署到 {target}：{_summary(plan)}")


def _verified_manifest(site: Path) -> dict[str, str]:
    """The site's SHA256SUMS, once every file (and the archive's every member) agrees with it."""
    expected = integrity.read_manifest(site)
    result = integrity.verify(site, expected)
    stale = archive.check(site, expected, skip=result.changed)
    if not result.ok or stale:
        raise GongkaiError(
            f"{site}: 网站与其 {integrity.MANIFEST} 不符，不能部署（{len(result.missing)} 个文件缺少，"
            f"{len(result.changed)} 个被改动，{len(result.extra)} 个不在清单中，存档有 {len(stale)} 处与网站不符）："
            f"运行 gongkai verify {site} 查看详情，再重新生成网站"
        )
    return expected


def _write_plan(folder: Path, plan: Plan) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, phase in zip(PLAN_FILES, plan.phases, strict=True):
        paths = [upload.path for upload in phase.uploads] + list(phase.deletions)
        (folder / name).write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")


def _print_plan(plan: Plan) -> None:
    for phase in plan.phases:
        if not phase.count:
            continue
        verb = "删除" if phase.deletions else "上传"
        size = f"，{_size(phase.size)}" if phase.uploads else ""
        click.echo(f"{phase.label}：{phase.count} 个文件{size}")
        paths = [upload.path for upload in phase.uploads] + list(phase.deletions)
        for path in paths[:SHOWN]:
            click.echo(f"  {verb} {path}")
        if len(paths) > SHOWN:
            click.echo(f"  ……另有 {len(paths) - SHOWN} 个文件")
    click.echo(("" if plan.empty else "将") + _summary(plan) + "（试运行，未做任何改动）")


def _summary(plan: Plan) -> str:
    if plan.empty:
        return f"目标已是最新，{plan.unchanged} 个文件未变，没有上传或删除任何文件"
    uploads = plan.uploads
    size = _size(sum(upload.size for upload in uploads))
    sent = (
        f"上传全部 {len(uploads)} 个文件（{size}；目标中原来没有 {integrity.MANIFEST}）"
        if plan.first
        else f"上传 {len(uploads)} 个文件（{size}）"
    )
    return f"{sent}，删除 {len(plan.deletions)} 个文件，{plan.unchanged} 个文件未变"


def _size(count: int) -> str:
    """Exact bytes, and the same in the largest unit that keeps the number above 1."""
    value, unit = float(count), "字节"
    for bigger in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{count:,} 字节" if unit == "字节" else f"{count:,} 字节，{value:,.1f} {unit}"
