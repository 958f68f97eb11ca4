"""Render annual report pages: each report, each agency's reports, the portal's reports, and the
printable document the PDF is made from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.annual import charts, layout
from generator.annual.checks import deadline, litigation
from generator.annual.export import CSV_HEADER, CSV_HEADER_HELP
from generator.models.report import ReportDocument
from generator.portal import urls
from generator.portal.markdown import render_markdown
from generator.portal.plan import PublicEntry, SitePlan
from generator.portal.render import (
    ENV,
    Page,
    breadcrumb_trail,
    file_link,
    human_size,
    render_template,
    schema_org,
)
from generator.search import sharding, terms

DOWNLOADS = (("pdf", "PDF"), ("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"))
SCHEMA_PAGE = "reports/data/"


def build_date(plan: SitePlan) -> date:
    """Today, for deadline statuses: the build's now (see :mod:`generator.records.clock`)."""
    return plan.project.now.date


def download_name(agency_id: str, year: int, ext: str) -> str:
    return f"{urls.report_url(agency_id, year)}{agency_id}-{year}-nianbao.{ext}"


def schema_url(fmt: str) -> str:
    return f"reports/data/report-{fmt}.schema.json"


@dataclass(frozen=True)
class Status:
    label: str  # 按时公布 / 逾期公布 / 未公布 / 尚未到期
    detail: str
    late: bool = False


def report_status(plan: SitePlan, e: PublicEntry) -> Status:
    agency = plan.agencies[e.agency_id]
    due = deadline(e.report.year, agency.kind)
    published = e.report.report.published
    if published <= due:
        return Status("按时公布", f"{published} 公布，期限为 {due}")
    return Status("逾期公布", f"{published} 公布，期限为 {due}，逾期 {(published - due).days} 天", True)


def missing_status(plan: SitePlan, agency_id: str, year: int) -> Status:
    due = deadline(year, plan.agencies[agency_id].kind)
    if due < build_date(plan):
        return Status("未公布", f"期限为 {due}", True)
    return Status("尚未到期", f"期限为 {due}")


def grids(e: PublicEntry) -> list[layout.Grid]:
    record = e.report
    if record.tables is None:
        return []
    report = record.report
    return [
        layout.proactive_grid(type(report.proactive), record.tables.proactive),
        layout.request_grid(type(report.requests), record.tables.requests),
        layout.review_grid(type(report.reviews), record.tables.reviews),
    ]


def _sections(e: PublicEntry) -> dict[str, str]:
    report = e.report.report
    keys = (
        ("body",)
        if isinstance(report, ReportDocument)
        else ("preface", "overview", "problems", "other_matters")
    )
    sections = {k: "" for k in ("preface", "overview", "problems", "other_matters", "body")}
    for key in keys:
        text = getattr(report, key)
        sections[key] = render_markdown(text, e.report.path) if text else ""
    return sections


def downloads(e: PublicEntry, sizes: dict[str, int]) -> list:
    """The report's download links; ``sizes`` maps each written download's URL to its size."""
    out = []
    for ext, kind in DOWNLOADS:
        url = download_name(e.agency_id, e.report.year, ext)
        if url in sizes:
            what = "报告全文" if ext == "pdf" else "表格数据"
            out.append(_Download(url, f"{what}（{kind}）", kind, human_size(sizes[url])))
    return out


@dataclass(frozen=True)
class _Download:
    url: str
    title: str
    kind: str
    size: str


def neighbours(plan: SitePlan, e: PublicEntry) -> tuple[PublicEntry | None, PublicEntry | None]:
    years = plan.reports[e.agency_id]  # newest first
    i = years.index(e)
    return (years[i - 1] if i > 0 else None, years[i + 1] if i + 1 < len(years) else None)


def render_report(plan: SitePlan, e: PublicEntry, sizes: dict[str, int]) -> Page:
    agency = plan.agencies[e.agency_id]
    newer, older = neighbours(plan, e)
    report = e.report.report
    html = render_template(
        "report.html",
        e.url,
        e=e,
        agency=agency,
        crumbs=breadcrumb_trail(plan, None)[:1]
        + [
            ("年度报告", urls.reports_url()),
            (agency.name, urls.reports_url(e.agency_id)),
            (f"{report.year}年度", e.url),
        ],
        status=report_status(plan, e),
        downloads=downloads(e, sizes),
        schema_url=SCHEMA_PAGE,
        newer=newer,
        older=older,
        reports_url=urls.reports_url(e.agency_id),
        tables=grids(e),
        sections=_sections(e),
        attachments=[file_link(plan, e.agency_id, a.file, a.title) for a in report.attachments],
        shard=sharding.shard_of(plan)[e.url],
        week=terms.week_of(e.sort_date),
        search_terms=terms.entry_terms(e.entry.title, None, e.entry.index_no, ["年度报告"]),
        metadata=schema_org(plan, e, e.url),
    )
    return Page(e.url, e.entry.title, html)


def print_html(plan: SitePlan, e: PublicEntry) -> str:
    """The report as one standalone HTML document for the PDF: same sections and tables, print
    styles, document metadata (title, author, dates from the report, never the clock)."""
    report = e.report.report
    return ENV.get_template("report_print.html").render(
        title=e.entry.title,
        agency=plan.agencies[e.agency_id],
        summary=e.entry.summary,
        year=report.year,
        index_no=report.index_no,
        published=report.published,
        created=f"{report.published}T00:00:00Z",
        tables=grids(e),
        sections=_sections(e),
        attachments=[file_link(plan, e.agency_id, a.file, a.title) for a in report.attachments],
    )


# -- indexes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    entry: PublicEntry | None
    status: Status
    figures: list[str]  # headline figures, in FIGURES order


FIGURES = ("新收申请", "予以公开", "部分公开", "行政复议", "行政诉讼")


def headline(e: PublicEntry) -> list[str]:
    tables = e.report.tables
    if tables is None:
        return ["—"] * len(FIGURES)
    requests, reviews = tables.requests, tables.reviews
    return [
        str(requests["received"][6]),
        str(requests["outcomes"]["disclosed"][6]),
        str(requests["outcomes"]["partly_disclosed"][6]),
        str(reviews["review"][4]),
        str(litigation(reviews)),
    ]


def year_rows(plan: SitePlan, agency_id: str) -> list[YearRow]:
    """Every year from the agency's first report to the last one due, newest first."""
    reports = {e.report.year: e for e in plan.reports[agency_id]}
    if not reports:
        return []
    last = max(max(reports), build_date(plan).year - 1)
    out = []
    for year in range(last, min(reports) - 1, -1):
        e = reports.get(year)
        if e is not None:
            out.append(YearRow(year, e, report_status(plan, e), headline(e)))
        else:
            out.append(YearRow(year, None, missing_status(plan, agency_id, year), ["—"] * len(FIGURES)))
    return out


def agency_charts(plan: SitePlan, agency_id: str) -> list[tuple[charts.Chart, str]]:
    """The key figures over the years with tables, oldest first: each chart with its SVG."""
    years = [e for e in reversed(plan.reports[agency_id]) if e.report.tables is not None]
    if len(years) < 2:
        return []
    labels = [f"{e.report.year}" for e in years]
    requests = [e.report.tables.requests for e in years]
    reviews = [e.report.tables.reviews for e in years]
    outcome_keys = ("disclosed", "partly_disclosed", "withheld", "unavailable", "not_processed", "other")
    names = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
    outcome_series = []
    for key, name in zip(outcome_keys, names, strict=True):
        outcome_series.append((name, [_group_total(r["outcomes"][key]) for r in requests]))
    found = [
        charts.Chart(
            "收到政府信息公开申请（件）",
            labels,
            [
                ("本年新收", [r["received"][6] for r in requests]),
                ("上年结转", [r["carried_over"][6] for r in requests]),
            ],
        ),
        charts.Chart("申请办理结果（件）", labels, outcome_series, stacked=True),
        charts.Chart(
            "行政复议和行政诉讼（件）",
            labels,
            [
                ("行政复议", [r["review"][4] for r in reviews]),
                ("行政诉讼", [litigation(r) for r in reviews]),
            ],
        ),
    ]
    return [(chart, charts.render_svg(chart)) for chart in found]


def _group_total(value) -> int:
    if isinstance(value, dict):
        return sum(row[6] for row in value.values())
    return value[6]


def render_agency_reports(plan: SitePlan, agency_id: str) -> Page:
    agency = plan.agencies[agency_id]
    url = urls.reports_url(agency_id)
    title = f"{agency.name}政府信息公开工作年度报告"
    html = render_template(
        "reports.html",
        url,
        title=title,
        agency=agency,
        sections=[(None, [(None, row) for row in year_rows(plan, agency_id)])],
        figures=FIGURES,
        charts=agency_charts(plan, agency_id),
        due=deadline(2000, agency.kind),
        schema_url=SCHEMA_PAGE,
        crumbs=[("首页", ""), ("年度报告", urls.reports_url()), (agency.name, url)],
    )
    return Page(url, title, html)


def render_portal_reports(plan: SitePlan) -> Page:
    """Every agency's reports, by year, newest first."""
    by_year: dict[int, list[tuple[object, YearRow]]] = {}
    for agency_id, agency in plan.agencies.items():
        for row in year_rows(plan, agency_id):
            by_year.setdefault(row.year, []).append((agency, row))
    html = render_template(
        "reports_portal.html",
        urls.reports_url(),
        years=sorted(by_year.items(), reverse=True),
        agencies=plan.agencies,
        figures=FIGURES,
        schema_url=SCHEMA_PAGE,
        crumbs=[("首页", ""), ("年度报告", urls.reports_url())],
    )
    return Page(urls.reports_url(), "政府信息公开工作年度报告", html)


def render_data_page(plan: SitePlan) -> Page:
    """What the table downloads contain, with the JSON Schemas."""
    html = render_template(
        "reports_data.html",
        SCHEMA_PAGE,
        schemas=[("2021", schema_url("2021")), ("2019", schema_url("2019"))],
        columns=layout_columns(),
        crumbs=[("首页", ""), ("年度报告", urls.reports_url()), ("数据说明", SCHEMA_PAGE)],
    )
    return Page(SCHEMA_PAGE, "年度报告数据说明", html)


def layout_columns() -> list[tuple[str, str]]:
    return list(zip(CSV_HEADER, CSV_HEADER_HELP, strict=True))
