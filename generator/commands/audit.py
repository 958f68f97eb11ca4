"""``gongkai audit``: the output audit on any built site, a mirror included."""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.validate import emit_report
from generator.diagnostics import Report
from generator.errors import ProjectError
from generator.safety.audit import audit_site


@click.command("audit")
@click.argument("site", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    help="The project the site was built from: also look for its withheld and on-request content.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True
)
def audit_command(site: Path, project: Path | None, fmt: str) -> None:
    """Re-read every file of a built SITE for personal data (and, with --project, withheld content).

    Exits 1 when anything is found. Paths in the report are relative to SITE.
    """
    if not site.is_dir():
        raise ProjectError(f"目录不存在：{site}")
    index = None
    if project is not None:
        from generator.checks.validate import validate_project

        loaded, _ = validate_project(project)
        index = loaded.withheld
    report = Report()
    report.extend(audit_site(site, index))
    emit_report(report, fmt)
    if report.failed():
        raise SystemExit(1)
