"""``gongkai init``: start a new portal for an agency."""

from __future__ import annotations

from pathlib import Path

import click

from generator.checks.validate import validate_project
from generator.records.starter import CI_CHOICES, KINDS, agency_from_options, init_portal


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help="The agency's name, e.g. 某某县人民政府.")
@click.option(
    "--code", required=True, help="统一社会信用代码 (18) or 组织机构代码 (9); the check character is checked."
)
@click.option("--agency-id", help="The agency's id in URLs and folder names (default: zhengfu or bumen).")
@click.option(
    "--kind", type=click.Choice(KINDS), help="政府 or 部门 (default: 政府 when the name ends in 人民政府)."
)
@click.option("--short-name", help="简称, e.g. 县政府.")
@click.option(
    "--site-url", help="The portal's address, e.g. https://gongkai.example.gov.cn/ (can be set later)."
)
@click.option(
    "--ci",
    type=click.Choice(CI_CHOICES),
    default="single",
    show_default=True,
    help="CI workflows: one job builds the site, or a matrix of jobs builds it in parts and merges them "
    "(for portals of hundreds of thousands of entries; see docs/zh/publishing.md).",
)
@click.option(
    "--force", is_flag=True, help="Write into a folder that is not empty (existing files are kept)."
)
def init_command(
    directory: Path,
    name: str,
    code: str,
    agency_id: str | None,
    kind: str | None,
    short_name: str | None,
    site_url: str | None,
    ci: str,
    force: bool,
) -> None:
    """Write a new portal into DIRECTORY: configuration, one agency, its guide, pages, CI workflows.

    The portal validates and builds at once; the places only the agency can fill in are marked
    【待填写】, and `gongkai validate` reminds of each until it is filled in.
    """
    agency = agency_from_options(name, code, agency_id, kind, short_name)
    written, kept = init_portal(directory, agency, site_url=site_url, force=force, ci=ci)
    click.echo(f"已在 {directory} 新建{agency.name}的政府信息公开门户：")
    for rel in written:
        click.echo(f"  {rel}")
    for rel in kept:
        click.echo(f"  {rel}（已存在，保持不变）")
    _, report = validate_project(directory)
    todo = sum(1 for d in report.warnings if "【待填写】" in d.message)
    click.echo("")
    if report.errors:
        click.echo(f"检查发现 {len(report.errors)} 个错误：请运行 gongkai validate {directory} 查看")
    elif todo:
        click.echo(
            f"还有 {todo} 处标有【待填写】：请改成真实信息（gongkai validate {directory} 会列出每一处）"
        )
    click.echo("下一步：")
    click.echo(f"  cd {directory}")
    click.echo("  gongkai validate        检查记录")
    click.echo("  gongkai build           生成网站到 site/")
    click.echo("  gongkai serve           本地预览：打开 http://127.0.0.1:8000/")
    click.echo(f"  gongkai new entry --agency {agency.agency_id} --title 文件名称   新增一条目录条目")
