"""``gongkai new ...``: scaffold new records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.models.base import parse_iso_date
from generator.records.load import find_root
from generator.records.scaffold import new_entry, new_report
from generator.records.starter import KINDS, add_agency, agency_from_options


def _parse_date(ctx, param, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return parse_iso_date(value)
    except ValueError:
        raise click.BadParameter(f"应为 YYYY-MM-DD 格式的真实日期，实为“{value}”") from None


@click.group("new")
def new_group() -> None:
    """Create a new record file from a scaffold."""


@new_group.command("entry")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option("--agency", "-a", required=True, help="The agency id from catalog/agencies.yaml.")
@click.option("--date", "when", callback=_parse_date, help="成文日期, YYYY-MM-DD (default: today).")
@click.option("--title", help="The entry's title (名称), if known.")
def new_entry_command(directory: Path, agency: str, when: date, title: str | None) -> None:
    """Write a new catalogue entry for AGENCY with the next free 索引号.

    Every key is present with a short Chinese comment; fill it in, then run `gongkai validate`.
    """
    rel, index_no = new_entry(directory, agency, when, title)
    click.echo(f"已新建 {rel}（索引号 {index_no}）：请填写后运行 gongkai validate")


@new_group.command("report")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option("--agency", "-a", required=True, help="The agency id from catalog/agencies.yaml.")
@click.option("--year", "-y", required=True, type=click.IntRange(1990, 2999), help="The report's year, YYYY.")
def new_report_command(directory: Path, agency: str, year: int) -> None:
    """Write AGENCY's annual report for YEAR with every table cell present.

    Last year's 结转下年度 is filled in as this year's 上年结转; the rest is 0, to be filled in.
    """
    rel, index_no = new_report(directory, agency, year)
    click.echo(f"已新建 {rel}（索引号 {index_no}）：请填写后运行 gongkai validate 核对表格")


@new_group.command("agency")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option("--id", "agency_id", required=True, help="The agency id: lowercase letters, digits, '-'.")
@click.option("--name", required=True, help="机构名称, e.g. 某某县教育局.")
@click.option(
    "--code", required=True, help="统一社会信用代码 (18) or 组织机构代码 (9); the check character is checked."
)
@click.option(
    "--kind", type=click.Choice(KINDS), help="政府 or 部门 (default: 政府 when the name ends in 人民政府)."
)
@click.option("--short-name", help="简称, e.g. 县教育局.")
@click.option("--parent", help="The id of the agency it belongs to.")
def new_agency_command(
    directory: Path,
    agency_id: str,
    name: str,
    code: str,
    kind: str | None,
    short_name: str | None,
    parent: str | None,
) -> None:
    """Add an agency to the portal: its entry in catalog/agencies.yaml and a guide to complete.

    The rest of agencies.yaml, comments included, is kept as it is.
    """
    agency = agency_from_options(name, code, agency_id, kind, short_name, parent)
    changed = add_agency(find_root(directory), agency)
    click.echo(f"已增加机构 {agency.agency_id}（{agency.name}）：")
    for rel in changed:
        click.echo(f"  {rel}")
    click.echo("请把其中标有【待填写】的地方改成真实信息，然后运行 gongkai validate")
