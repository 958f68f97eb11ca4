"""Validate a whole project: load every record, then apply the rules across records."""

from __future__ import annotations

from pathlib import Path

from generator.checks.coverage import check_coverage
from generator.checks.lifecycle import check_lifecycle
from generator.checks.rules import check_catalog, check_reviews
from generator.diagnostics import Report
from generator.records.load import load_project
from generator.records.project import Project
from generator.safety.gate import scan_project


def validate_project(
    directory: Path, *, jobs: int | None = None, safety_gate: bool = True
) -> tuple[Project, Report]:
    """Load and check everything under ``directory``; problems are collected, never raised.

    ``safety_gate=False`` leaves out the disclosure safety gate, for a caller that runs it itself
    (``gongkai build`` skips it when the live site was built, and gated, from the same inputs).
    """
    report = Report()
    project = load_project(directory, report, jobs=jobs)
    report.extend(check_catalog(project.entries, project.broken_entries))
    # Against the build's now, never cached with the records they are about: terms that ended or
    # end soon, what clean-ups decided, withholdings due for review, columns left empty or stale.
    today = project.now.date
    report.extend(check_lifecycle(project.entries, project.agencies, today, project.broken_entries))
    report.extend(check_reviews(project.entries, today))
    report.extend(check_coverage(project))
    if safety_gate:
        # Nothing personal or withheld may be published.
        report.extend(scan_project(project))
    return project, report
