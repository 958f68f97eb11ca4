"""``gongkai import`` and ``gongkai export``: the catalogue from and to a spreadsheet."""

from __future__ import annotations

from pathlib import Path

import click

from generator import progress as display
from generator.diagnostics import Severity
from generator.errors import UsageError
from generator.tabular.columns import parse_map
from generator.tabular.exporter import export_catalog
from generator.tabular.importer import ImportPlan, check_written, plan_import
from generator.tabular.sheets import CellProblem
from generator.tabular.writing import write_import

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}
_PROJECT = click.option(
    "--project",
    "-p",
    "directory",
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project directory (default: the current directory).",
)


def _emit(file: str, problems: list[CellProblem]) -> None:
    for problem in problems:
        head, _, rest = problem.format_text(file).partition(f" {problem.severity.value}:")
        label = click.style(f"{problem.severity.value}:", fg=_COLOURS[problem.severity], bold=True)
        click.echo(f"{head} {label}{rest}")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--agency", "-a", required=True, help="The agency id from catalog/agencies.yaml.")
@_PROJECT
@click.option("--sheet", help="The worksheet to read (default: the first).")
@click.option("--dry-run", is_flag=True, help="Check every row and say what would be written; write nothing.")
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="列名=KEY",
    help="Read the column 列名 as KEY (an entry key or a known header); KEY - leaves the column out.",
)
@click.option("--skip-bad", is_flag=True, help="Write the rows without errors, list the others (exit 1).")
def import_command(
    file: Path,
    agency: str,
    directory: Path,
    sheet: str | None,
    dry_run: bool,
    maps: tuple[str, ...],
    skip_bad: bool,
) -> None:
    """Import catalogue entries from FILE (.xlsx, .xls, .ods or .csv), one entry file per row, for AGENCY.

    Every row is checked first; when any row has an error, nothing is written (unless --skip-bad).
    Rows whose 索引号 already holds the same content are skipped, so importing again writes nothing.
    """
    try:
        overrides = parse_map(maps)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    progress = display.Steps("行")
    with display.reporting():
        plan = plan_import(directory, file, agency, sheet=sheet, overrides=overrides, progress=progress)
    _emit(plan.table.file, plan.problems)
    if not plan.header_ok:
        click.echo("表头有错误，未读取任何行：请改正表头，或用 --map 指明各列")
        raise SystemExit(1)
    good, bad = plan.good, plan.bad_rows
    if dry_run:
        click.echo(f"检查完毕（--dry-run，未写入任何文件）：可导入 {len(good)} 条" + _counts(plan))
        raise SystemExit(1 if bad else 0)
    if bad and not skip_bad:
        click.echo(
            f"{len(bad)} 行有错误，未写入任何文件：请改正后重新导入，或加 --skip-bad 只导入没有错误的行"
            + _counts(plan)
        )
        raise SystemExit(1)
    with display.reporting():
        written = write_import(directory, good, progress)
    click.echo(f"已导入 {len(written)} 条到 catalog/{agency}/entries/" + _counts(plan))
    if written:
        problems, others = check_written(directory, plan, good)
        shown = set(plan.problems)
        _emit(plan.table.file, [p for p in problems if p not in shown])
        if others:
            click.echo(f"项目中原有的文件另有 {others} 个错误：请运行 gongkai validate 查看")
        if any(p.severity is Severity.ERROR for p in problems):
            raise SystemExit(1)
    if bad:
        raise SystemExit(1)


def _counts(plan: ImportPlan) -> str:
    parts = []
    if plan.already:
        parts.append(f"{len(plan.already)} 行已导入过（内容与已有条目相同），未重复写入")
    if plan.bad_rows:
        parts.append(f"{len(plan.bad_rows)} 行有错误未导入")
    if plan.other_agency:
        parts.append(f"{plan.other_agency} 行属于其他机构，未导入")
    return "；" + "；".join(parts) if parts else ""


@click.command("export")
@_PROJECT
@click.option("--agency", "-a", help="The agency whose entries to export.")
@click.option("--all", "every", is_flag=True, help="Export every agency's entries, with an agency column.")
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="FILE.xlsx or FILE.csv.",
)
@click.option("--include-withheld", is_flag=True, help="Also export 不予公开 entries (left out by default).")
def export_command(
    directory: Path, agency: str | None, every: bool, output: Path, include_withheld: bool
) -> None:
    """Export catalogue entries to a spreadsheet that `gongkai import` reads back unchanged.

    The file is for the agency's own records: 依申请公开 entries keep their body.
    """
    if (agency is None) == (not every):
        raise UsageError("请给出 --agency 机构标识 或 --all（二者选一）")
    with display.reporting():
        result = export_catalog(
            directory, output, agency, include_withheld=include_withheld, progress=display.Steps("行")
        )
    message = f"已导出 {result.rows} 条到 {output}"
    if result.withheld_left_out:
        message += f"；不予公开的 {result.withheld_left_out} 条未导出（需要时加 --include-withheld）"
    click.echo(message)
