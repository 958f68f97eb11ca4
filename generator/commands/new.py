"""``gongkai new ...``: scaffold new records."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from generator.models.base import parse_iso_date
from generator.records.scaffold import new_entry, new_report


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
