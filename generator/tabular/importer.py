"""Import a catalogue sheet: one entry file per row, all or nothing.

Two phases, as a build: :func:`plan_import` reads every row, turns it into the entry file it would
become, and checks that file in memory as ``gongkai validate`` would (the model, the rules of one
entry, unique 索引号 across the portal, the safety gate), placing every problem at its cell;
:func:`generator.tabular.writing.write_import` then writes the files, each to a temporary file
first, moved into place without ever replacing a file. Rows whose 索引号 already holds the same content are already
imported and skipped, so running the same import again writes nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import cache
from generator.checks.indexno import IndexPattern, free_index_numbers
from generator.checks.rules import check_catalog
from generator.checks.validate import validate_project
from generator.diagnostics import Diagnostic, Report, Severity
from generator.models.entry import Disclosure
from generator.progress import Steps
from generator.records.entryfile import dump_entry, entry_document, entry_rel_path
from generator.records.load import (
    agency_context,
    entry_files,
    find_root,
    load_entry,
    load_project,
    remember_entries,
)
from generator.records.project import AgencyContext, EntryRecord, Project
from generator.records.scaffold import agency_pattern
from generator.records.yamlreader import Document
from generator.safety.gate import Gate, load_allow_list
from generator.safety.withheld import published_fields, withheld_index
from generator.tabular import columns
from generator.tabular.sheets import CellProblem, Table, open_table
from generator.tabular.values import CellError, cell_text

HEADER_SEARCH_ROWS = 10  # a title line or two may sit above the header row
_LABELLED = re.compile(r"^“[a-z_]+”（[^）]*）：")


@dataclass
class Row:
    number: int
    values: dict[str, str | list[str]]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class Planned:
    """A row as the entry file it becomes."""

    row: int
    rel: str
    text: str
    doc: Document
    record: EntryRecord | None = None
    checked: list[Diagnostic] = field(default_factory=list)  # load_entry's, for the loader's cache


@dataclass
class ImportPlan:
    table: Table
    agency: str
    columns: dict[str, int] = field(default_factory=dict)  # key -> column number
    headers: dict[str, str] = field(default_factory=dict)  # key -> its header as in the sheet
    rows: int = 0  # rows read, not counting empty ones
    planned: list[Planned] = field(default_factory=list)
    already: list[tuple[int, str]] = field(default_factory=list)  # (row, existing file)
    other_agency: int = 0  # rows of another agency in an export of all of them
    problems: list[CellProblem] = field(default_factory=list)
    header_ok: bool = False
    context: AgencyContext | None = None  # what the rows were checked against

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.severity is Severity.ERROR}

    @property
    def good(self) -> list[Planned]:
        bad = self.bad_rows
        return [p for p in self.planned if p.row not in bad]

    def header(self, key: str) -> str:
        return self.headers.get(key) or columns.BY_KEY[key].header


def plan_import(
    directory: Path,
    path: Path,
    agency_id: str,
    *,
    sheet: str | None = None,
    overrides: dict[str, str] | None = None,
    progress: Steps | None = None,
) -> ImportPlan:
    """Read ``path`` and check every row as the entry file it would become; nothing is written."""
    progress = progress or Steps("行")
    root = find_root(directory)
    pattern = agency_pattern(root, agency_id)
    table = open_table(path, sheet)
    try:
        plan = ImportPlan(table, agency_id)
        header_row = _read_header(plan, overrides or {})
        if plan.problems:
            return plan
        plan.header_ok = True
        progress.stage("读取", (table.total or 0) - header_row)
        rows = list(_read_rows(plan, progress))
    finally:
        table.close()
    project = load_project(root, Report())
    numbered = _number_rows(plan, rows, project, pattern)
    progress.stage("检查", len(numbered))
    taken = {rel for _, rel in entry_files(project, agency_id)}
    ctx = plan.context = agency_context(project, project.agencies[agency_id])
    _plan_files(plan, numbered, pattern, ctx, taken, progress)
    _check_rest_of_bad_rows(plan, [row for row in rows if row.problems], pattern, ctx)
    _check_together(plan, project)
    progress.finish()
    plan.problems.sort()
    return plan


# -- the header and the rows ---------------------------------------------------------------------


def _read_header(plan: ImportPlan, overrides: dict[str, str]) -> int:
    table = plan.table
    for number, cells in table.rows:
        if columns.is_header_row(cells, overrides):
            break
        if number >= HEADER_SEARCH_ROWS:
            number = 0
            break
    else:
        number = 0
    if number == 0:
        plan.problems.append(
            table.problem(
                1,
                0,
                f"找不到表头行：前 {HEADER_SEARCH_ROWS} 行中应有一行写着列名，如 {columns.known_headers()}",
            )
        )
        return 0
    for col, cell in enumerate(cells, start=1):
        header = cell_text(cell)
        if not header:
            continue
        key = columns.key_of(header, overrides)
        if key is None:
            plan.problems.append(table.problem(number, col, columns.unknown_header_message(header)))
        elif key in plan.columns:
            first = table.place(number, plan.columns[key])
            plan.problems.append(
                table.problem(
                    number, col, f"列“{header}”与 {first} 的“{plan.headers[key]}”是同一项：请删去一列"
                )
            )
        elif key != columns.IGNORE:
            plan.columns[key], plan.headers[key] = col, header
    for key in columns.REQUIRED:
        if key not in plan.columns:
            header = columns.BY_KEY[key].header
            plan.problems.append(table.problem(number, 0, f"缺少“{header}”列：每个条目都必须有{header}"))
    return number


def _read_rows(plan: ImportPlan, progress: Steps):
    for number, cells in plan.table.rows:
        progress.advance()
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        row = Row(number, {})
        for key, col in plan.columns.items():
            value = cells[col - 1] if col <= len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            try:
                read = columns.BY_KEY[key].read(value, plan.header(key))
            except CellError as exc:
                row.problems.append(plan.table.problem(number, col, str(exc)))
                continue
            if read:
                row.values[key] = read
        if row.values.get(columns.AGENCY, plan.agency) != plan.agency:
            plan.other_agency += 1
            continue
        row.values.pop(columns.AGENCY, None)
        plan.rows += 1
        for key in columns.REQUIRED:
            if key not in row.values and not any(p.col == plan.columns.get(key) for p in row.problems):
                row.problems.append(
                    plan.table.problem(number, plan.columns[key], f"{plan.header(key)}：必填，不能空着")
                )
        yield row


# -- index numbers -------------------------------------------------------------------------------


def _number_rows(plan: ImportPlan, rows: list[Row], project: Project, pattern: IndexPattern) -> list[Row]:
    """Rows to write, each with its 索引号: the sheet's own, else the next free one of its year.
    Rows already imported, and rows in error, are set aside."""
    existing = {r.entry.index_no: r for r in project.entries}
    first_row: dict[str, int] = {}
    same_content: dict[str, str] | None = None
    twins: dict[tuple, int] = {}  # rows without 索引号 by their values
    out = []
    for row in rows:
        plan.problems.extend(row.problems)
        if row.problems:
            continue
        index_no = row.values.get("index_no")
        if index_no is None:
            if same_content is None:
                same_content = _contents(project, plan.agency)
            found = same_content.get(_content(row.values)) if same_content else None
            twin = twins.setdefault(_values_key(row.values), row.number)
            if found is not None:
                plan.already.append((row.number, found))
            elif twin != row.number:
                message = (
                    f"本行与 {plan.table.named(twin)} 的内容完全相同：同一条目只应导入一次；"
                    "确实是两个条目的，请分别填写索引号"
                )
                plan.problems.append(plan.table.problem(row.number, 0, message))
            else:
                out.append(row)
            continue
        assert isinstance(index_no, str)
        col = plan.columns["index_no"]
        if index_no in first_row:
            first = plan.table.named(first_row[index_no], col)
            plan.problems.append(
                plan.table.problem(
                    row.number,
                    col,
                    f"索引号“{index_no}”在表中重复：{first} 已经使用了它，一个索引号只能用于一个条目",
                )
            )
            continue
        first_row[index_no] = row.number
        record = existing.get(index_no)
        if record is None:
            out.append(row)
        elif record.agency == plan.agency and dump_entry(columns.values_of(record.entry)) == dump_entry(
            row.values
        ):
            plan.already.append((row.number, record.path))
        else:
            plan.problems.append(
                plan.table.problem(
                    row.number,
                    col,
                    f"索引号“{index_no}”已被 {record.path} 使用，内容与本行不同：索引号在全门户必须唯一；"
                    "如果要修改那个条目，请直接编辑该文件",
                )
            )
    reports = [r.report.index_no for r in project.reports]  # same sequence as the entries
    _assign_numbers(out, pattern, [*existing, *reports, *first_row])
    return out


def _assign_numbers(rows: list[Row], pattern: IndexPattern, used: list[str]) -> None:
    free: dict[int, Iterator[str]] = {}
    for row in rows:
        if "index_no" not in row.values:
            year = int(str(row.values["date"])[:4])
            numbers = free.setdefault(year, free_index_numbers(pattern, year, used))
            row.values["index_no"] = next(numbers)


def _values_key(values: dict) -> tuple:
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(values.items()))


def _content(values: dict) -> str:
    return dump_entry({k: v for k, v in values.items() if k != "index_no"})


def _contents(project: Project, agency_id: str) -> dict[str, str]:
    """The agency's entries by their content without the 索引号, to find rows imported before."""
    found: dict[str, str] = {}
    for record in project.entries:
        if record.agency == agency_id:
            found.setdefault(_content(columns.values_of(record.entry)), record.path)
    return found


# -- the entry files -----------------------------------------------------------------------------


def _plan_files(
    plan: ImportPlan, rows: list[Row], pattern: IndexPattern, ctx, taken: set[str], progress
) -> None:
    """Each row's entry file, checked as the loader checks a file, from the document the reader
    would make of it (the files are read back once written: :func:`check_written`)."""
    for row in rows:
        index_no = str(row.values["index_no"])
        rel = entry_rel_path(plan.agency, int(str(row.values["date"])[:4]), index_no, pattern)
        stem, n = rel.removesuffix(".yaml"), 1
        while rel in taken:  # another 索引号 with the same serial (a {num} field differs)
            n += 1
            rel = f"{stem}-{n}.yaml"
        taken.add(rel)
        text, doc = entry_document(row.values, rel)
        record, problems = load_entry(doc, rel, ctx, digest=cache.digest(text.encode("utf-8")))
        planned = Planned(row.number, rel, text, doc, record, problems)
        plan.planned.append(planned)
        plan.problems.extend(cell_problem(plan, planned, d) for d in problems)
        progress.advance()


# Keys whose checks depend on other keys (dates, the 索引号 and its year, what 公开属性 requires):
# in a row with a cell in error they could only repeat that error in other words.
_RELATED_KEYS = frozenset({"index_no", "date", "published", "effective", "repealed", "disclosure"})
_STAND_INS = {"title": "-", "summary": "-", "date": "2000-01-01", "disclosure": "依申请公开"}


def _check_rest_of_bad_rows(plan: ImportPlan, rows: list[Row], pattern: IndexPattern, ctx) -> None:
    """The other cells of rows with a cell in error, so that one run shows every problem of a row:
    each such row is checked with stand-ins for what is missing, and only problems at its own cells
    whose checks need no other key are kept (an unknown 主题分类, a 名称 on two lines)."""
    for row in rows:
        values = {**_STAND_INS, **row.values}
        values.setdefault("index_no", pattern.format(int(str(values["date"])[:4]), 1))
        text, doc = entry_document(values, f"catalog/{plan.agency}/entries/row-{row.number}.yaml")
        _, problems = load_entry(doc, doc.path, ctx)
        planned = Planned(row.number, doc.path, text, doc)
        in_error = {p.col for p in row.problems}
        for diagnostic in problems:
            problem = cell_problem(plan, planned, diagnostic)
            key = next((k for k, c in plan.columns.items() if c == problem.col), None)
            if key in row.values and key not in _RELATED_KEYS and problem.col not in in_error:
                plan.problems.append(problem)


def _check_together(plan: ImportPlan, project: Project) -> None:
    """The checks across records, with the new entries among the project's: 索引号 unique, related
    entries, and the safety gate over what the new entries would publish."""
    new = [p.record for p in plan.planned if p.record is not None]
    project.entries.extend(new)
    by_rel = {p.rel: p for p in plan.planned}
    for diagnostic in check_catalog(project.entries):
        if diagnostic.path in by_rel:
            plan.problems.append(cell_problem(plan, by_rel[diagnostic.path], diagnostic))
    allow, _ = load_allow_list(project)
    gate = Gate(project, allow, project.withheld)
    for planned in plan.planned:
        record = planned.record
        if record is None or record.entry.disclosure is Disclosure.WITHHELD:
            continue
        for loc, text in published_fields(record.entry):
            for _, _, message in gate.problems(text, planned.rel):
                key = str(loc[0])
                col = plan.columns.get(key, 0)
                plan.problems.append(plan.table.problem(planned.row, col, f"{plan.header(key)}：{message}"))
    _check_published_against_new(plan, project, len(project.entries) - len(new))


def _check_published_against_new(plan: ImportPlan, project: Project, existing: int) -> None:
    """What the new 不予公开 and 依申请公开 rows withhold must not be in what the project's entries
    already publish: such a row is placed at its cell, since the published entry is not the
    import's to change."""
    hidden = {
        p.record.entry.index_no: p
        for p in plan.planned
        if p.record is not None and p.record.entry.disclosure is not Disclosure.PROACTIVE
    }
    if not hidden:
        return
    names = [agency.name for agency in project.agencies.values()]
    index = withheld_index(
        [p.record.entry for p in hidden.values() if p.record], names, project.root / "content"
    )
    for record in project.entries[:existing]:
        if record.entry.disclosure is Disclosure.WITHHELD:
            continue
        for _, text in published_fields(record.entry):
            for hit in index.scan(text):
                planned, key = hidden[hit.index_no], hit.kind  # title, index_no or body: keys too
                message = (
                    f"{plan.header(key)}：已公开的条目 {record.path} 中有这段文字，"
                    f"{'依申请公开的正文' if key == 'body' else '不予公开的信息'}不得发布：请修改其中之一"
                )
                plan.problems.append(plan.table.problem(planned.row, plan.columns.get(key, 0), message))


def cell_problem(plan: ImportPlan, planned: Planned, diagnostic: Diagnostic) -> CellProblem:
    """A problem found in the entry file a row becomes, placed at the row's cell for its key."""
    keys = sorted((pos[0], loc[0]) for loc, pos in planned.doc.key_marks.items() if len(loc) == 1)
    at = bisect.bisect_right(keys, (diagnostic.line, "\uffff")) - 1
    key = keys[at][1] if at >= 0 and (diagnostic.line, diagnostic.col) != (1, 1) else ""
    message = diagnostic.message
    if key:
        message = f"{plan.header(key)}：" + _LABELLED.sub("", message)
    col = plan.columns.get(key, 0) if key else 0
    return plan.table.problem(planned.row, col, message, diagnostic.severity)


def check_written(directory: Path, plan: ImportPlan, written: list[Planned]) -> tuple[list[CellProblem], int]:
    """``gongkai validate`` over the project with the written files: their problems placed at their
    cells, a value that does not read back as imported placed at its cell, and the number of
    errors in other files. The written rows keep only their documents (the rest goes to the cache)."""
    root = find_root(directory)
    if written:
        # The files were checked from the text they were written from: the loader need not parse
        # them again (records/entryfile.py writes what its reader reads back; tests prove it).
        assert plan.context is not None
        remember_entries(root, plan.context, [(p.record, p.checked) for p in written if p.record is not None])
        for planned in written:  # in the cache now: only the document is needed, to place problems
            planned.text, planned.record, planned.checked = "", None, []
    # In one process: the files are in the cache, and a worker forked now would start as large as
    # this process, which holds every row.
    project, report = validate_project(root, jobs=1)
    by_rel = {p.rel: p for p in written}
    mine = [cell_problem(plan, by_rel[d.path], d) for d in report.diagnostics if d.path in by_rel]
    for record in project.entries:
        planned = by_rel.get(record.path)
        if planned is None:
            continue
        read = columns.values_of(record.entry)
        for key, value in planned.doc.data.items():
            if read.get(key) != value:
                message = (
                    f"{plan.header(key)}：写入后读回的值与表中不同，请报告这个问题（实为“{read.get(key)}”）"
                )
                mine.append(plan.table.problem(planned.row, plan.columns.get(key, 0), message))
    return sorted(mine), sum(1 for d in report.errors if d.path not in by_rel)
