"""Check an annual report's arithmetic and complete its omitted totals.

The identities are those of the national format (docs: ``annual-report-2021``):

- A1: for every applicant column, 一 + 二 = 三（七）总计 + 四;
- A2: （七）总计 = the sum of every outcome row, per column;
- A3: in every row of table 3, 自然人 + the five 法人或其他组织 columns = 总计;
- A4: in each group of table 4, 维持 + 纠正 + 其他 + 尚未审结 = 总计;
- A5 (types, non-negative, 不适用 distinct from 0) is enforced by the model.

Totals may be left out and are then computed; when written they are checked. A report with an
error is never published. Across years and against the prose, mismatches are warnings: the
previous report may itself have been wrong, and prose is read by patterns, not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.annual.layout import Row, rows, value_at
from generator.diagnostics import Diagnostic, position_in_text, warning
from generator.models.report import (
    REQUEST_COLUMNS,
    REVIEW_COLUMNS,
    Report2019,
    Report2021,
    ReportDocument,
)
from generator.records.yamlreader import Document

AnyReport = Report2021 | Report2019 | ReportDocument


@dataclass(frozen=True)
class Tables:
    """The three tables with every total filled in: plain data for pages and downloads."""

    format: str  # "2021" or "2019": table 2 differs between them
    proactive: dict
    requests: dict
    reviews: dict


def litigation(reviews: dict, column: int = 4) -> int:
    """行政诉讼 in ``column`` (the 总计 by default): both litigation groups of table 4 together."""
    return reviews["direct_litigation"][column] + reviews["litigation_after_review"][column]


def deadline(year: int, kind: str) -> date:
    """The last day to publish ``year``'s report: departments by 31 January, governments by 31
    March of the following year (2019 regulation, Art. 49)."""
    return date(year + 1, 1, 31) if kind == "部门" else date(year + 1, 3, 31)


def row_name(row: Row) -> str:
    """``表三 第三项（三）不予公开 4.保护第三方合法权益`` for a row of table 3."""
    if not row.groups:
        return f"表三 {row.label}"
    return "表三 第三项" + "".join(row.groups[1:]) + (" " if row.groups[1:] else "") + row.label


def _request_rows(report: Report2021 | Report2019) -> tuple[list[Row], list[Row]]:
    """(the rows of table 3 outside 三, the outcome rows), total row excluded."""
    all_rows = rows(type(report.requests))
    outcomes = [r for r in all_rows if r.path[0] == "outcomes" and r.path[-1] != "total"]
    return [r for r in all_rows if r.path[0] != "outcomes"], outcomes


def complete_tables(report: Report2021 | Report2019, doc: Document) -> tuple[Tables, list[Diagnostic]]:
    """The tables with totals computed, and an error for every written total that is wrong."""
    found: list[Diagnostic] = []
    requests = report.requests.model_dump()
    top, outcomes = _request_rows(report)
    for row in [*top, *outcomes]:
        written = value_at(requests, row.path)
        _set(requests, row.path, _with_total(written, ("requests", *row.path), row_name(row), doc, found))

    # A2: the total row is the sum of the outcome rows, per column.
    computed = [sum(value_at(requests, r.path)[j] for r in outcomes) for j in range(6)]
    computed.append(sum(computed))
    written_total = requests["outcomes"]["total"]
    if written_total is not None:
        loc = ("requests", "outcomes", "total")
        bad_columns = False
        for j in range(6):
            if written_total[j] != computed[j]:
                bad_columns = True
                found.append(
                    doc.error(
                        (*loc, j),
                        f"表三 第三项（七）总计（{REQUEST_COLUMNS[j]}列）应为 {computed[j]}，实为 {written_total[j]}："
                        f"（一）至（六）各项之和为 {computed[j]}",
                    )
                )
        if not bad_columns and len(written_total) == 7 and written_total[6] != computed[6]:
            found.append(
                doc.error(
                    (*loc, 6),
                    f"表三 第三项（七）总计（总计列）应为 {computed[6]}，实为 {written_total[6]}："
                    "自然人与法人或其他组织各列之和",
                )
            )
    requests["outcomes"]["total"] = computed

    # A1: 一 + 二 = 三（七）+ 四, per column.
    for j in range(6):
        received, before = requests["received"][j], requests["carried_over"][j]
        handled, after = computed[j], requests["carried_forward"][j]
        if received + before != handled + after:
            found.append(
                doc.error(
                    ("requests", "carried_forward", j),
                    f"表三（{REQUEST_COLUMNS[j]}列）一 + 二 应等于 三（七）+ 四：本年新收 {received} + 上年结转 {before} = "
                    f"{received + before}，而办理结果总计 {handled} + 结转下年度 {after} = {handled + after}，"
                    f"相差 {abs(received + before - handled - after)}",
                )
            )

    reviews = report.reviews.model_dump()
    for key, info in type(report.reviews).model_fields.items():
        reviews[key] = _with_review_total(reviews[key], key, info.title or key, doc, found)
    return Tables(report.format, report.proactive.model_dump(), requests, reviews), found


def _with_total(values: tuple, loc: tuple, name: str, doc: Document, found: list) -> list:
    """A3: the row with its 总计; an error if a written 总计 is not the sum of the six columns."""
    total = sum(values[:6])
    if len(values) == 7 and values[6] != total:
        found.append(
            doc.error(
                (*loc, 6),
                f"{name}（总计列）应为 {total}，实为 {values[6]}：自然人与法人或其他组织各列之和为 {total}",
            )
        )
    return [*values[:6], total]


def _with_review_total(values: tuple, key: str, label: str, doc: Document, found: list) -> list:
    """A4: the group with its 总计; an error if a written 总计 is not the sum of the four results."""
    total = sum(values[:4])
    if len(values) == 5 and values[4] != total:
        found.append(
            doc.error(
                ("reviews", key, 4),
                f"表四 {label}（总计列）应为 {total}，实为 {values[4]}："
                + "、".join(REVIEW_COLUMNS[:4])
                + f"之和为 {total}",
            )
        )
    return [*values[:4], total]


def _set(data: dict, path: tuple, value) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


# -- across years --------------------------------------------------------------------------------


def check_carry_over(
    report: Report2021 | Report2019, tables: Tables, previous: Tables, doc: Document
) -> list[Diagnostic]:
    """Warnings where this year's 上年结转 is not last year's 结转下年度, and where 现行有效件数
    did not move by 制发 − 废止."""
    found = []
    year = report.year
    before, after = tables.requests["carried_over"], previous.requests["carried_forward"]
    for j in range(6):
        if before[j] != after[j]:
            found.append(
                doc.warning(
                    ("requests", "carried_over", j),
                    f"表三 二、上年结转政府信息公开申请数量（{REQUEST_COLUMNS[j]}列）为 {before[j]}，"
                    f"与 {year - 1} 年度报告中“四、结转下年度继续办理”的 {after[j]} 不一致",
                )
            )
    if tables.format != "2021" or previous.format != "2021":  # the trial format has no 现行有效件数
        return found
    for key, info in type(report.proactive).model_fields.items():
        if key not in ("rules", "normative"):
            continue
        issued, repealed, in_force = tables.proactive[key]
        last = previous.proactive[key][2]
        if None in (issued, repealed, in_force, last):
            continue
        expected = last + issued - repealed
        if in_force != expected:
            found.append(
                doc.warning(
                    ("proactive", key, 2),
                    f"表二 {info.title} 现行有效件数为 {in_force}：按 {year - 1} 年度报告的 {last} 件，"
                    f"加本年制发 {issued}、减本年废止 {repealed}，应为 {expected}",
                )
            )
    return found


# -- prose against the tables --------------------------------------------------------------------

# Phrases reports use to quote the tables, each with the cell it quotes (a path into Tables and a
# column; None for the 总计 column of table 3 or 4). Read by pattern: a number that follows one of
# these phrases closely, in the same clause.
_GAP = r"[^\d，。；：、\n]{0,8}?"
PROSE_FIGURES: tuple[tuple[str, str, tuple, int], ...] = (
    ("新收政府信息公开申请", r"新收(?:政府信息公开)?申请", ("requests", "received"), 6),
    ("上年结转", r"上年结转", ("requests", "carried_over"), 6),
    ("予以公开", r"(?<!不)予以公开", ("requests", "outcomes", "disclosed"), 6),
    ("部分公开", r"部分公开", ("requests", "outcomes", "partly_disclosed"), 6),
    ("结转下年度", r"结转下年度(?:继续办理)?", ("requests", "carried_forward"), 6),
    ("行政复议", r"行政复议(?:案件)?", ("reviews", "review"), 4),
    ("行政诉讼", r"行政诉讼(?:案件)?", ("reviews", "*litigation"), 4),
    ("制发行政规范性文件", r"制发(?:行政)?规范性文件", ("proactive", "normative"), 0),
)


def check_prose(report: Report2021 | Report2019, tables: Tables, doc: Document, raw: str) -> list[Diagnostic]:
    """Warnings where a number quoted in the prose sections differs from the tables."""
    found = []
    for key in ("preface", "overview", "problems", "other_matters"):
        text = getattr(report, key)
        if not text:
            continue
        for label, phrase, path, column in PROSE_FIGURES:
            expected = _figure(tables, path, column)
            if expected is None:
                continue
            for match in re.finditer(phrase + _GAP + r"(\d+)\s*件", text):
                quoted = int(match.group(1))
                if quoted != expected:
                    line, col = _position(doc, raw, key, match.group(0))
                    found.append(
                        warning(
                            doc.path,
                            line,
                            col,
                            f"正文写“{match.group(0)}”，与表格不一致：{label}为 {expected} 件。请核对正文或表格",
                        )
                    )
    return found


def _figure(tables: Tables, path: tuple, column: int) -> int | None:
    group, *rest = path
    data = getattr(tables, group)
    if rest == ["*litigation"]:
        return litigation(data, column)
    value = value_at(data, tuple(rest))
    return value[column] if isinstance(value, list) else value


def _position(doc: Document, raw: str, key: str, quoted: str) -> tuple[int, int]:
    line, col = doc.position((key,))
    lines = raw.splitlines(keepends=True)
    offset = sum(len(x) for x in lines[: line - 1]) + col - 1
    at = raw.find(quoted, offset)
    return position_in_text(raw, at) if at >= 0 else (line, col)


def read_raw(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")
