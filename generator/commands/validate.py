"""``gongkai validate``: check every record and report every problem, located."""

from __future__ import annotations

from pathlib import Path

import click

from generator.diagnostics import Report, Severity
from generator.validate import validate_project

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


@click.command("validate")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text: PATH:LINE:COL: error: MESSAGE, one per line; json: for tools; "
    "github: GitHub Actions annotations on the right lines.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any warning).")
@click.option("--summary", is_flag=True, help="Also print what was checked, on standard error.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for large catalogues (default: one per CPU).",
)
def validate_command(directory: Path, fmt: str, strict: bool, summary: bool, jobs: int | None) -> None:
    """Check every record under DIR (default: the current directory).

    Prints every problem, one per line, and exits 1 if there is an error
    (or a warning, with --strict); prints nothing and exits 0 when all is well.
    """
    project, report = validate_project(directory, jobs=jobs)
    emit_report(report, fmt)
    if summary:
        click.echo(
            f"已检查 {len(project.agencies)} 个机构、{len(project.guides)} 份公开指南、"
            f"{len(project.entries)} 条目录条目、{len(project.reports)} 份年度报告",
            err=True,
        )
    if report.failed(strict=strict):
        raise SystemExit(1)


def emit_report(report: Report, fmt: str) -> None:
    if fmt == "json":
        click.echo(report.format("json"))
        return
    if fmt == "github":
        if report.diagnostics:
            click.echo(report.format("github"))
        return
    for diagnostic in report.diagnostics:
        text = diagnostic.format_text()
        head, _, rest = text.partition(f" {diagnostic.severity.value}:")
        click.echo(
            head
            + " "
            + click.style(f"{diagnostic.severity.value}:", fg=_COLOURS[diagnostic.severity], bold=True)
            + rest
        )
    if report.diagnostics:
        click.echo(f"{len(report.errors)} 个错误，{len(report.warnings)} 个警告", err=True)
