"""现行有效规范性文件目录: each agency's list of the normative documents in force, made from the
records (never typed by hand), as a page and as CSV, XLSX and JSON downloads.

A document is in force when its validity as shown on the build's date is 有效 or 已修改 (amended,
still in force as amended): a document past its ``expires`` is 失效 there (see
:func:`generator.checks.lifecycle.shown_validity`). A jointly issued document is listed by each
issuing agency of the portal.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from generator.annual.export import normalise_zip, saved_workbook
from generator.exports.cells import spreadsheet_safe
from generator.exports.opendata import absolute, csvw_column
from generator.portal import urls
from generator.portal.plan import PublicEntry, SitePlan

FORMATS = (("csv", "CSV"), ("xlsx", "XLSX"), ("json", "JSON"))
HEADERS = (
    ("number", "序号"),
    ("title", "文件名称"),
    ("doc_no", "文号"),
    ("reg_no", "登记号"),
    ("date", "成文日期"),
    ("effective", "施行日期"),
    ("expires", "有效期至"),
    ("validity", "有效性"),
    ("agency_name", "制定机关"),
    ("co_issuers", "联合发文机关"),
    ("index_no", "索引号"),
    ("url", "网址"),
)


# The CSV's columns for its CSVW description: (datatype, required, description) by key.
COLUMN_TYPES = {
    "number": ("integer", True, "序号，从 1 起。"),
    "title": ("string", True, "文件名称。"),
    "doc_no": ("string", False, "文号。"),
    "reg_no": ("string", False, "规范性文件统一登记号。"),
    "date": ("date", True, "成文日期，YYYY-MM-DD。"),
    "effective": ("date", False, "施行日期，YYYY-MM-DD。"),
    "expires": ("date", False, "有效期至，YYYY-MM-DD。"),
    "validity": ("string", True, "有效 或 已修改（修改后继续有效）。"),
    "agency_name": ("string", True, "制定机关（发布机构）的名称。"),
    "co_issuers": ("string", False, "联合发文的其他机关的名称，以“；”分隔。"),
    "index_no": ("string", True, "条目的索引号。"),
    "url": ("anyURI", True, "条目页面的网址（配置了网站地址时为完整网址，否则相对于门户根目录）。"),
}


def csvw_schema() -> dict:
    """The CSVW table schema of every agency's normative.csv."""
    columns = []
    for key, label in HEADERS:
        datatype, required, help = COLUMN_TYPES[key]
        separator = "；" if key == "co_issuers" else None
        columns.append(csvw_column(key, label, help, datatype, required=required, separator=separator))
    return {"columns": columns}


def page_url(agency_id: str) -> str:
    return f"{urls.agency_url(agency_id)}normative/"


def file_url(agency_id: str, ext: str) -> str:
    return f"data/agencies/{agency_id}/normative.{ext}"


def title(plan: SitePlan, agency_id: str) -> str:
    return f"{plan.agencies[agency_id].name}现行有效规范性文件目录"


@dataclass(frozen=True)
class Row:
    entry: PublicEntry
    values: dict


def rows(plan: SitePlan, agency_id: str, site_url: str | None) -> list[Row]:
    made = []
    for number, e in enumerate(plan.in_force[agency_id], 1):
        entry = e.entry
        issuers = [plan.agencies[c].name if c in plan.agencies else c for c in entry.co_issuers]
        values = {
            "number": number,
            "title": entry.title,
            "doc_no": entry.doc_no,
            "reg_no": entry.reg_no,
            "date": entry.date.isoformat(),
            "effective": entry.effective.isoformat() if entry.effective else None,
            "expires": entry.expires.isoformat() if entry.expires else None,
            "validity": entry.validity,
            "agency_name": plan.agencies[e.agency_id].name,
            "co_issuers": issuers,
            "index_no": entry.index_no,
            "url": absolute(site_url, e.url),
        }
        made.append(Row(e, values))
    return made


def _texts(values: dict) -> list[str]:
    out = []
    for key, _ in HEADERS:
        value = values[key]
        if isinstance(value, list):
            value = "；".join(value)
        out.append("" if value is None else str(value))
    return out


def to_csv(made: list[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in HEADERS])
    for row in made:
        writer.writerow([spreadsheet_safe(text) for text in _texts(row.values)])
    return ("\ufeff" + buffer.getvalue()).encode()


def to_json(made: list[Row], name: str, day: str) -> bytes:
    data = {"title": name, "date": day, "documents": [row.values for row in made]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def to_xlsx(made: list[Row], name: str, moment: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "现行有效规范性文件目录"
    sheet.append([label for _, label in HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in made:
        texts = _texts(row.values)
        texts[0] = row.values["number"]
        sheet.append([text if isinstance(text, int) else spreadsheet_safe(text) for text in texts])
    return normalise_zip(saved_workbook(workbook, name, "Gongkai", moment), moment)


def downloads(
    plan: SitePlan, agency_id: str, site_url: str | None
) -> tuple[bytes, dict[str, Callable[[], bytes]]]:
    """The agency's list as files: the JSON (which holds every value the others show, the title
    and the day), and how to make each file, by URL. Dated by the build's now, as the list is that
    day's. The workbook takes openpyxl most of a second for a long list: a build makes it only when
    the JSON changed."""
    made = rows(plan, agency_id, site_url)
    name = title(plan, agency_id)
    now = plan.project.now
    moment = datetime.combine(now.date, datetime.min.time())
    data = to_json(made, name, now.date.isoformat())
    return data, {
        file_url(agency_id, "csv"): lambda: to_csv(made),
        file_url(agency_id, "xlsx"): lambda: to_xlsx(made, name, moment),
        file_url(agency_id, "json"): lambda: data,
    }


def render_page(plan: SitePlan, agency_id: str):
    """The agency's list as a page, with its downloads."""
    from generator.portal import render

    agency = plan.agencies[agency_id]
    url = page_url(agency_id)
    name = title(plan, agency_id)
    html = render.render_template(
        "normative.html",
        url,
        title=name,
        agency=agency,
        agencies=plan.agencies,
        rows=rows(plan, agency_id, None),
        day=plan.project.now.date,
        files=[(file_url(agency_id, ext), label) for ext, label in FORMATS],
        browse_url=urls.catalog_url(agency_id),
        crumbs=[("首页", ""), (agency.name, urls.agency_url(agency_id)), (name, url)],
    )
    return render.Page(url, name, html)
