"""``gongkai validate``: check every record and report every problem, located."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import click

from generator import progress
from generator.checks.coverage import Column, coverage, tally
from generator.checks.validate import validate_project
from generator.diagnostics import Report, Severity
from generator.errors import UsageError

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def select_project(paths: tuple[Path, ...], cwd: Path = Path(".")) -> tuple[Path, frozenset[str] | None]:
    """The project directory to check and the files (POSIX, relative to it) whose problems to report.

    Relative paths are relative to ``cwd``. No path: ``cwd``, every problem. One directory (or one
    missing path): that directory, every problem. Files (as pre-commit passes them): the nearest
    directory, from ``cwd`` upwards, that holds mkdocs.yml, and only the problems in those files.
    """
    if not paths:
        return cwd, None
    if len(paths) == 1 and not (cwd / paths[0]).is_file():
        return cwd / paths[0], None
    for path in paths:
        if (cwd / path).is_dir():
            raise UsageError(f"{path} 是目录：请只给出一个项目目录，或者若干个文件")
        if not (cwd / path).exists():
            raise UsageError(f"文件不存在：{path}")
    # Normalise without following symbolic links: diagnostics name files as they sit in the project.
    here = Path(os.path.abspath(cwd))
    root = next((d for d in (here, *here.parents) if (d / "mkdocs.yml").is_file()), None)
    if root is None:
        raise UsageError(f"找不到项目：{here} 及其上级目录中都没有 mkdocs.yml。请在项目目录中运行")
    files = set()
    for path in paths:
        absolute = Path(os.path.abspath(here / path))
        if not absolute.is_relative_to(root):
            raise UsageError(f"{path} 不在项目 {root} 中")
        files.add(absolute.relative_to(root).as_posix())
    return root, frozenset(files)


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="text: PATH:LINE:COL: error: MESSAGE, one per line; json: for tools; "
    "github: GitHub Actions annotations on the right lines; gitlab: a GitLab Code Quality report.",
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
def validate_command(
    paths: tuple[Path, ...], fmt: str, strict: bool, summary: bool, jobs: int | None
) -> None:
    """Check every record of the project and report every problem.

    With no PATH, the project is the current directory; with one directory, that directory.
    With files (as a pre-commit hook passes them), the project is the nearest directory, from
    the current one upwards, holding mkdocs.yml: all of it is checked, but only the problems
    in the named files are reported and count.

    Prints every problem, one per line, and exits 1 if there is an error
    (or a warning, with --strict); prints nothing and exits 0 when all is well.
    """
    directory, files = select_project(paths)
    with progress.reporting(), progress.stage("检查记录"):
        project, report = validate_project(directory, jobs=jobs)
    if files is not None:
        shown = Report()
        shown.extend(d for d in report.diagnostics if d.path in files)
        report = shown
    emit_report(report, fmt)
    if summary:
        click.echo(
            f"已检查 {len(project.agencies)} 个机构、{len(project.guides)} 份公开指南、"
            f"{len(project.entries)} 条目录条目、{len(project.reports)} 份年度报告",
            err=True,
        )
        click.echo(coverage_summary(project), err=True, nl=False)
    if report.failed(strict=strict):
        raise SystemExit(1)


def emit_report(report: Report, fmt: str) -> None:
    if fmt in ("json", "gitlab"):
        click.echo(report.format(fmt))
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


def coverage_summary(project) -> str:
    """Each agency's columns by statutory item (:mod:`generator.checks.coverage`) as a table."""
    if project.taxonomy.broken:
        return ""
    tallies = tally(project)
    lines = []
    for agency in project.agencies.values():
        if project.agency_taxonomies.get(agency.id, project.taxonomy).broken:
            continue
        rows = [("公开事项", "栏目", "信息数", "最近公开", "")]
        rows += [_summary_row(c) for c in coverage(project, agency.id, tallies)]
        lines.append(f"\n{agency.name}（{agency.kind}）法定主动公开内容：")
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [
                _pad(cell, width, right=i == 2)
                for i, (cell, width) in enumerate(zip(row[:4], widths, strict=True))
            ]
            lines.append(("  " + "  ".join(cells) + "  " + row[4]).rstrip())
    return "\n".join(lines) + "\n" if lines else ""


def _summary_row(column: Column) -> tuple[str, str, str, str, str]:
    notes = []
    if column.profile:
        notes.append("有机构概况")
    if column.none_stated:
        notes.append("本机关无此类信息")
    elif column.required and not column.filled:
        notes.append("应当公开，尚无信息")
    elif column.stale:
        notes.append(f"超过 {column.category.update_months} 个月未更新")
    last = str(column.last) if column.last else "—"
    return (column.item, column.category.name, str(column.count), last, "；".join(notes))


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap
