"""Rules on an annual report's metadata, and across reports: year, format, dates, 索引号, files.

The arithmetic of the tables is in :mod:`generator.annual.checks`.
"""

from __future__ import annotations

from datetime import date

from generator.annual.checks import check_carry_over, deadline
from generator.checks import rules
from generator.checks.text import check_markdown
from generator.diagnostics import Diagnostic
from generator.models.report import AnyReport
from generator.records.project import AgencyContext, EntryRecord, ReportRecord


def check_report(report: AnyReport, doc, ctx: AgencyContext, file_year: int, now: date) -> list[Diagnostic]:
    """One report on its own; ``now`` is the build's date (see :mod:`generator.records.clock`)."""
    found: list[Diagnostic] = []
    if report.year != file_year:
        found.append(
            doc.error(
                ("year",),
                f"报告年度为 {report.year}，与文件名 {file_year}.yaml 中的年份不一致："
                f"请把 year 改为 {file_year}，或把文件改名为 {report.year}.yaml",
            )
        )
    if report.year >= now.year:
        found.append(
            doc.error(
                ("year",),
                f"{report.year} 年度还没有结束（今天是 {now}）：年度报告在下一年编制和公布",
            )
        )
    found.extend(rules.check_index_no(report, doc, ctx))
    fields = type(report).model_fields
    for key in ("preface", "overview", "problems", "other_matters", "body"):
        if key in fields:
            found.extend(check_markdown(getattr(report, key), doc, (key,), f"“{fields[key].title}”"))
    if report.published < report.date:
        found.append(
            doc.error(("published",), f"公开日期 {report.published} 早于成文日期 {report.date}：请核对")
        )
    due = deadline(report.year, ctx.agency.kind)
    if report.published > due:
        who = "部门" if ctx.agency.kind == "部门" else "人民政府"
        found.append(
            doc.warning(
                ("published",),
                f"公开日期 {report.published} 晚于规定期限 {due}：{who}的年度报告应在次年"
                f" {due.month} 月 {due.day} 日前公布（《条例》第五十条）",
            )
        )
    for i, attachment in enumerate(report.attachments):
        problem = rules.check_inside(ctx.files_dir, attachment.file, f"catalog/{ctx.agency.id}/files/")
        if problem:
            found.append(doc.error(("attachments", i, "file"), problem))
    return found


def check_format(fmt: str, year: int, doc) -> list[Diagnostic]:
    """The format a report says it follows must be the one in force for its year."""
    if fmt == "2019" and not 2019 <= year <= 2020:
        advice = "请用 2021 年格式（format: 2021）" if year >= 2021 else "更早的年度请用 format: 文件"
        return [
            doc.error(
                ("format",), f"2019 年试行格式只用于 2019、2020 年度的报告，本报告是 {year} 年度：{advice}"
            )
        ]
    if fmt == "2021" and year < 2021:
        return [
            doc.error(
                ("format",),
                f"2021 年格式（国办公开办函〔2021〕30号）从 2021 年度起使用，本报告是 {year} 年度："
                "请用 format: 2019（2019、2020 年度）或 format: 文件",
            )
        ]
    if fmt == "文件" and year >= 2021:
        return [
            doc.warning(
                ("format",),
                f"{year} 年度的报告应按国家统一格式填写表格（format: 2021）：只有附件时无法核对数字，"
                "也无法提供表格数据下载",
            )
        ]
    return []


def check_reports_across(reports: list[ReportRecord], entries: list[EntryRecord]) -> list[Diagnostic]:
    """索引号 unique across entries and reports; each year's carry-over against the year before."""
    found: list[Diagnostic] = []
    taken = {r.entry.index_no: f"{r.path}:{r.index_pos[0]}" for r in entries}
    for record in sorted(reports, key=lambda r: r.path):
        index_no = record.report.index_no
        if index_no in taken:
            found.append(
                record.doc.error(
                    ("index_no",),
                    f"索引号“{index_no}”重复：{taken[index_no]} 已经使用了它，索引号在全门户必须唯一",
                )
            )
        else:
            line = record.doc.position(("index_no",))[0]
            taken[index_no] = f"{record.path}:{line}"
    by_year = {(r.agency, r.year): r for r in reports}
    for record in sorted(reports, key=lambda r: r.path):
        previous = by_year.get((record.agency, record.year - 1))
        if record.tables is None or previous is None or previous.tables is None:
            continue
        found.extend(check_carry_over(record.report, record.tables, previous.tables, record.doc))
    return found


def missing_report_years(reports: list[ReportRecord], agency_id: str, kind: str, now: date) -> list[int]:
    """Years after the agency's first report whose deadline has passed without a report."""
    years = {r.year for r in reports if r.agency == agency_id}
    if not years:
        return []
    return [y for y in range(min(years), now.year) if y not in years and deadline(y, kind) < now]
