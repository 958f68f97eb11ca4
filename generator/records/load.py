"""Load a project's records: agencies, taxonomy, guides, entries, reports.

``load_project`` reads every file under ``catalog/``, validates each against its model and the rules
that need only that file (``generator.checks.rules``), and collects every problem. Cross-record rules run
on the loaded :class:`Project` afterwards. Entries are loaded in worker processes when there are
many of them: reading and checking one file is independent of every other.
"""

from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from generator import cache, parallel
from generator.annual import rules as annual_rules
from generator.annual.checks import check_prose, complete_tables, read_raw
from generator.checks import lifecycle, rules
from generator.checks.indexno import IndexPattern, PatternError, compile_pattern
from generator.diagnostics import Diagnostic, Report, Severity, error
from generator.errors import ProjectError
from generator.models.agency import AgenciesFile, Agency
from generator.models.entry import Entry
from generator.models.guide import Guide
from generator.models.report import REPORT_MODELS, ReportDocument
from generator.models.taxonomy import Category, TaxonomyFile
from generator.records.gitfiles import GitFiles, blob_id
from generator.records.locate import validate_document
from generator.records.project import AgencyContext, EntryRecord, Project, ReportRecord, Taxonomy
from generator.records.yamlreader import Document, YamlError, load_yaml, parse_yaml, read_bytes

DEFAULT_TAXONOMY = Path(__file__).parent.parent / "data" / "taxonomy.yaml"
PARALLEL_THRESHOLD = 2000  # below this, starting worker processes costs more than it saves
CHUNK_SIZE = 1000
READ_AHEAD_THREADS = 2
READ_CHUNK = 256


def find_root(directory: Path) -> Path:
    """The project root: ``directory`` itself, which must hold catalog/agencies.yaml."""
    if not directory.is_dir():
        raise ProjectError(f"目录不存在：{directory}")
    if not (directory / "catalog" / "agencies.yaml").is_file():
        raise ProjectError(
            f"{directory} 不是 Gongkai 项目：找不到 catalog/agencies.yaml。"
            "请在项目根目录运行，或把项目目录作为参数传入"
        )
    return directory


def load_project(directory: Path, report: Report, *, jobs: int | None = None) -> Project:
    project = Project(find_root(directory))
    load_agencies(project, report)
    load_taxonomies(project, report)
    for agency_id in project.agencies:
        load_guide(project, agency_id, report)
    check_agency_folders(project, report)
    load_entries(project, report, jobs=jobs)
    load_reports(project, report)
    return project


# -- agencies ------------------------------------------------------------------------------------


def _read(project: Project, path: Path, report: Report) -> Document | None:
    try:
        return load_yaml(path, project.rel(path))
    except YamlError as exc:
        report.add(exc.diagnostic)
        return None


def load_agencies(project: Project, report: Report) -> None:
    doc = _read(project, project.catalog_dir / "agencies.yaml", report)
    if doc is None:
        return
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), list):
        # Let the model say precisely what is wrong with the top level.
        _, problems = validate_document(AgenciesFile, doc)
        report.extend(problems or [doc.error((), "应有 agencies: 列表")])
        return
    for key in data:
        if key != "agencies":
            report.add(
                doc.error((key,), f"未知的键“{key}”：agencies.yaml 里只有 agencies 一个键", at_key=True)
            )
    if not data["agencies"]:
        report.add(doc.error(("agencies",), "“agencies”（机构列表）：至少要有一个机构"))
    for i in range(len(data["agencies"])):
        agency, problems = validate_document(Agency, doc, ("agencies", i))
        report.extend(problems)
        if agency is None:
            # Known by id, so its folder, its children and its entries raise no follow-on errors.
            item = data["agencies"][i]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                project.broken_agencies.add(item["id"])
            continue
        if agency.id in project.agencies:
            first = project.agency_docs[agency.id][0].position(project.agency_docs[agency.id][1])
            report.add(
                doc.error(
                    ("agencies", i, "id"),
                    f"机构标识“{agency.id}”重复：第 {first[0]} 行已经有这个机构",
                )
            )
            continue
        project.agencies[agency.id] = agency
        project.agency_docs[agency.id] = (doc, ("agencies", i))
    report.extend(rules.check_agencies(project.agencies, project.agency_docs, project.broken_agencies))


def compile_agency_pattern(agency: Agency) -> IndexPattern | None:
    try:
        return compile_pattern(agency.index_pattern, agency.code)
    except PatternError:
        return None  # reported by rules.check_agencies


# -- taxonomy ------------------------------------------------------------------------------------


def load_taxonomies(project: Project, report: Report) -> None:
    path = project.catalog_dir / "taxonomy.yaml"
    if path.is_file():
        project.taxonomy = _load_taxonomy(project, path, report, Taxonomy())
    else:
        doc = load_yaml(DEFAULT_TAXONOMY, "taxonomy.yaml")
        project.taxonomy = _taxonomy_of(TaxonomyFile.model_validate(doc.data))
    for agency_id in project.agencies:
        extension = project.catalog_dir / agency_id / "taxonomy.yaml"
        if extension.is_file():
            own = _load_taxonomy(project, extension, report, project.taxonomy)
            project.agency_taxonomies[agency_id] = own


def _load_taxonomy(project: Project, path: Path, report: Report, base: Taxonomy) -> Taxonomy:
    doc = _read(project, path, report)
    if doc is None:
        return Taxonomy(broken=True)
    model, problems = validate_document(TaxonomyFile, doc)
    report.extend(problems)
    if model is None:
        return Taxonomy(broken=True)
    report.extend(rules.check_taxonomy(model, doc, base))
    return _taxonomy_of(model)


def _taxonomy_of(model: TaxonomyFile) -> Taxonomy:
    categories: dict[str, Category] = {}
    stack = list(reversed(model.categories))
    while stack:
        category = stack.pop()
        categories.setdefault(category.name, category)
        stack.extend(reversed(category.children))
    return Taxonomy(categories, {g.name: g for g in model.genres})


def taxonomy_for(project: Project, agency_id: str) -> Taxonomy:
    own = project.agency_taxonomies.get(agency_id)
    return project.taxonomy.merged(own) if own else project.taxonomy


# -- guides and folders --------------------------------------------------------------------------


def load_guide(project: Project, agency_id: str, report: Report) -> None:
    path = project.catalog_dir / agency_id / "guide.yaml"
    if not path.is_file():
        doc, loc = project.agency_docs[agency_id]
        report.add(
            doc.error(
                loc + ("id",),
                f"机构“{agency_id}”缺少政府信息公开指南：请新建 catalog/{agency_id}/guide.yaml",
            )
        )
        return
    doc = _read(project, path, report)
    if doc is None:
        return
    guide, problems = validate_document(Guide, doc)
    report.extend(problems)
    if guide is not None:
        project.guides[agency_id] = guide
        files_dir = project.catalog_dir / agency_id / "files"
        report.extend(rules.check_guide(guide, doc, files_dir, f"catalog/{agency_id}/files/"))


def check_agency_folders(project: Project, report: Report) -> None:
    for child in sorted(project.catalog_dir.iterdir()):
        if not child.is_dir() or child.name.startswith("."):
            continue
        if child.name not in project.agencies and child.name not in project.broken_agencies:
            report.add(rules.unknown_agency_folder(project.rel(child), list(project.agencies)))


# -- entries -------------------------------------------------------------------------------------


def entry_files(project: Project, agency_id: str) -> list[tuple[str, str]]:
    """The agency's entry files as (absolute path, path from the project root), sorted by the
    latter: never directory listing order. Plain strings: this runs for every file of the portal."""
    entries_dir = project.catalog_dir / agency_id / "entries"
    if not entries_dir.is_dir():
        return []
    root = str(project.root.resolve()) + os.sep
    found = []
    for dirpath, dirnames, filenames in os.walk(entries_dir.resolve()):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        rel_dir = dirpath.removeprefix(root).replace(os.sep, "/")
        found.extend(
            (os.path.join(dirpath, name), f"{rel_dir}/{name}") for name in filenames if name.endswith(".yaml")
        )
    found.sort(key=lambda pair: pair[1])
    return found


def agency_context(project: Project, agency: Agency) -> AgencyContext:
    taxonomy = taxonomy_for(project, agency.id)
    return AgencyContext(
        agency=agency,
        pattern=compile_agency_pattern(agency),
        category_names=None if taxonomy.broken else frozenset(taxonomy.categories),
        genre_names=None if taxonomy.broken else frozenset(taxonomy.genres),
        files_dir=project.catalog_dir / agency.id / "files",
        content_dir=project.root / "content",
        unfit_categories=unfit_categories(taxonomy, agency.kind),
    )


def unfit_categories(taxonomy: Taxonomy, kind: str) -> dict[str, tuple[str, ...]]:
    """The categories an agency of ``kind`` does not use, with the kinds that do."""
    found = {}
    for name in taxonomy.categories:
        kinds = taxonomy.kinds_of(name)
        if kinds is not None and kind not in kinds:
            found[name] = kinds
    return found


@dataclass(frozen=True)
class _Cached:
    digest: str
    context: str
    record: EntryRecord | None
    problems: list  # everything but the checks of referenced files, which are redone every time
    stamp: tuple = ()  # the file's stamp when it was read (see file_stamp); () when not to be trusted
    index_no: str = ""  # of a file with errors (record None), as far as it can be read
    blob: str = ""  # git's id of the bytes read ("" outside git), see generator.records.gitfiles


# The 索引号 of a file that failed its checks, read from its text: the entry still exists for the
# rules across records, so an entry linking to it gets no second, misleading error.
_INDEX_LINE = re.compile(rb"""^index_no:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)


def known_index_no(raw: bytes) -> str:
    found = _INDEX_LINE.search(raw)
    return found.group(1).decode("utf-8", "replace") if found else ""


# A file changed this recently (in nanoseconds) when it was read may change again within the same
# tick of the file system's clock, leaving its stamp as it was: such a file is read every time.
RACY_NS = 2_000_000_000


def file_stamp(st: os.stat_result, now_ns: int) -> tuple:
    """What tells, without reading it, that a file is as it was: its size, inode, and modification
    and change times. Writing a file, or setting its times, sets its change time to the clock
    (which no program can set back), so a file whose stamp is unchanged holds the same bytes, as
    git and make rely on. Empty (not to be trusted) for a file changed less than RACY_NS before
    ``now_ns``."""
    if max(st.st_mtime_ns, st.st_ctime_ns) > now_ns - RACY_NS:
        return ()
    return _stamp(st)


def _stamp(st: os.stat_result) -> tuple:
    return (st.st_size, st.st_ino, st.st_dev, st.st_mtime_ns, st.st_ctime_ns)


def _context_key(ctx: AgencyContext) -> str:
    return cache.digest(
        ctx.agency.model_dump_json(),
        repr(sorted(ctx.category_names or ())),
        repr(sorted(ctx.genre_names or ())),
        repr(ctx.category_names is None),
        repr(sorted(ctx.unfit_categories.items())),
    )


def load_entries(project: Project, report: Report, *, jobs: int | None = None) -> None:
    """Load every entry: unchanged files come from the cache, the others are parsed and checked."""
    tasks = [
        (agency_id, path, rel)
        for agency_id in project.agencies
        for path, rel in entry_files(project, agency_id)
    ]
    contexts = {a.id: agency_context(project, a) for a in project.agencies.values()}
    keys = {agency_id: _context_key(ctx) for agency_id, ctx in contexts.items()}
    # One cache file per agency: editing one entry rewrites only its agency's file.
    cached: dict[str, _Cached] = {}
    for agency_id in project.agencies:
        cached.update(cache.load(project.root, _entry_cache(agency_id)) or {})
    fresh: dict[str, _Cached] = {}
    changed: set[str] = set()
    # A file whose stamp is as when it was read, under the same agency context, is not read again;
    # nor is one git vouches holds the bytes it was read with (a CI job's fresh checkout).
    unread = []
    for task in tasks:
        agency_id, path, rel = task
        hit = cached.get(rel)
        if hit is not None and hit.stamp and hit.context == keys[agency_id]:
            try:
                st = os.stat(path)
            except OSError:
                st = None  # reading it reports why
            if st is not None and _stamp(st) == hit.stamp:
                fresh[rel] = hit
                continue
        unread.append(task)
    tracked = GitFiles(project.root, "catalog") if unread else None
    if tracked is not None and tracked.blobs:
        vouched = [task for task in unread if _vouched(tracked, cached.get(task[2]), keys[task[0]], task[2])]
        for _, _, rel in vouched:
            fresh[rel] = cached[rel]
        unread = [task for task in unread if task[2] not in fresh]
    hash_name = tracked.hash_name if tracked is not None else ""
    for (agency_id, _, rel), outcome in zip(
        unread, _load_tasks(unread, contexts, keys, cached, hash_name, jobs), strict=True
    ):
        if isinstance(outcome, Diagnostic):  # unreadable: nothing to cache
            report.add(outcome)
            changed.add(agency_id)
        elif outcome is None:
            fresh[rel] = cached[rel]
        else:
            fresh[rel] = outcome
            changed.add(agency_id)
    for rel in sorted(fresh):  # in the order of the files, however they were loaded
        item = fresh[rel]
        report.extend(item.problems)
        if item.record is not None:
            ctx = contexts[item.record.agency]
            marks = Document(rel, None, marks=item.record.marks)
            report.extend(rules.check_entry_files(item.record.entry, marks, ctx))
            project.entries.append(item.record)
        elif item.index_no:
            project.broken_entries.setdefault(item.index_no, rel)
    _note_unloaded_entries(project)
    before = _by_agency(cached)
    for agency_id, shard in _by_agency(fresh).items():
        if agency_id in changed or shard.keys() != before.get(agency_id, {}).keys():
            cache.save(project.root, _entry_cache(agency_id), shard)


def _vouched(tracked: GitFiles, hit: _Cached | None, context: str, rel: str) -> bool:
    return hit is not None and hit.context == context and tracked.vouches(rel, hit.blob)


def remember_entries(root: Path, ctx: AgencyContext, checked: list[tuple[EntryRecord, list]]) -> None:
    """Enter files just written into the agency's entry cache, with the record and problems
    (``load_entry``'s) they were checked with before writing, so the next load does not parse
    them again. Each ``EntryRecord.digest`` must be the digest of the bytes written."""
    name = _entry_cache(ctx.agency.id)
    shard = cache.load(root, name) or {}
    key, now = _context_key(ctx), time.time_ns()
    for record, problems in checked:
        stamp = file_stamp(os.stat(root / record.path), now)
        shard[record.path] = _Cached(record.digest, key, record, problems, stamp)
    cache.save(root, name, shard)


def _note_unloaded_entries(project: Project) -> None:
    """The 索引号 of the entries of agencies whose configuration has errors: their entries are not
    loaded, but they exist."""
    for agency_id in sorted(project.broken_agencies):
        for path, rel in entry_files(project, agency_id):
            try:
                index_no = known_index_no(Path(path).read_bytes())
            except OSError:
                continue
            if index_no:
                project.broken_entries.setdefault(index_no, rel)


def _by_agency(items: dict[str, _Cached]) -> dict[str, dict[str, _Cached]]:
    shards: dict[str, dict[str, _Cached]] = {}
    for rel, item in items.items():
        shards.setdefault(rel.split("/", 2)[1], {})[rel] = item  # catalog/<agency>/...
    return shards


def _entry_cache(agency_id: str) -> str:
    return f"entries-{agency_id}"


def _load_tasks(tasks, contexts, keys, cached, hash_name, jobs):
    state = (contexts, keys, cached, hash_name)
    workers = parallel.workers(jobs)
    if workers < 2 or len(tasks) < PARALLEL_THRESHOLD:
        yield from _load_chunk(state, tasks)
        return
    # The workers inherit the contexts and the cache instead of receiving them pickled, and send
    # back only what is new.
    for results in parallel.fork_map(
        _load_chunk, state, parallel.batches(tasks, CHUNK_SIZE), workers, ordered=True
    ):
        yield from results


def _load_chunk(state: tuple, tasks: list[tuple[str, str, str]]) -> list:
    """Per file, in order: None when the cache holds it as it is, a new _Cached, or a Diagnostic.
    ``state``: the agency contexts, their keys, the cached entries and git's object hash ("" outside
    git)."""
    contexts, keys, cached, hash_name = state
    out = []
    # Reading is I/O-bound: threads read ahead while this thread parses.
    with ThreadPoolExecutor(READ_AHEAD_THREADS) as readers:
        parts = parallel.batches(tasks, READ_CHUNK)
        raws = (raw for part in readers.map(_read_chunk, parts) for raw in part)
        for (agency_id, _, rel), read in zip(tasks, raws, strict=True):
            if isinstance(read, YamlError):
                out.append(read.diagnostic)
                continue
            raw, stamp = read
            key = cache.digest(raw)
            blob = blob_id(hash_name, raw)
            hit = cached.get(rel)
            if hit is not None and hit.digest == key and hit.context == keys[agency_id]:
                # The same bytes: the file was touched, copied or written again, or was too new
                # to trust its stamp; keep the new stamp, so it need not be read next time.
                same = stamp == hit.stamp and blob == hit.blob
                out.append(None if same else replace(hit, stamp=stamp, blob=blob))
                continue
            record, problems = load_entry(raw, rel, contexts[agency_id], digest=key)
            index_no = known_index_no(raw) if record is None else ""
            out.append(_Cached(key, keys[agency_id], record, problems, stamp, index_no, blob))
    return out


def _read_chunk(tasks: list[tuple[str, str, str]]) -> list[tuple[bytes, tuple] | YamlError]:
    out: list[tuple[bytes, tuple] | YamlError] = []
    for _, path, rel in tasks:
        # The stamp is taken before the bytes are read: a file written in between has a newer
        # stamp by the next run, which then reads it again.
        try:
            stamp = file_stamp(os.stat(path), time.time_ns())
        except OSError:
            stamp = ()  # reading it reports why
        try:
            out.append((read_bytes(Path(path), rel), stamp))
        except YamlError as exc:
            out.append(exc)
    return out


def load_entry(
    source: Path | bytes | Document, rel: str, ctx: AgencyContext, *, digest: str = ""
) -> tuple[EntryRecord | None, list]:
    """Read (or take the bytes already read, or the document already parsed), validate and check
    one entry file.

    The problems returned leave out the checks of referenced files (``rules.check_entry_files``),
    which depend on other files and are redone on every run.
    """
    if isinstance(source, Document):
        doc = source
    else:
        try:
            doc = parse_yaml(source, rel) if isinstance(source, bytes) else load_yaml(source, rel)
        except YamlError as exc:
            return None, [exc.diagnostic]
    entry, problems = validate_document(Entry, doc)
    if entry is None:
        return None, problems
    file_locs = [("attachments", i, "file") for i in range(len(entry.attachments))]
    if entry.body_file is not None:
        file_locs.append(("body_file",))
    record = EntryRecord(
        agency=ctx.agency.id,
        path=rel,
        entry=entry,
        index_pos=doc.position(("index_no",)),
        related_pos=tuple(doc.position(("related", i, "index_no")) for i in range(len(entry.related))),
        digest=digest,
        marks={loc: doc.position(loc) for loc in file_locs} | lifecycle.lifecycle_marks(entry, doc),
    )
    return record, rules.check_entry(entry, doc, ctx)


# -- reports -------------------------------------------------------------------------------------


def load_reports(project: Project, report: Report) -> None:
    """Annual reports: each checked on its own (model, identities, dates, prose), then each against
    the previous year's report of its agency, and their 索引号 against the catalogue's."""
    for agency_id in project.agencies:
        reports_dir = project.catalog_dir / agency_id / "reports"
        if not reports_dir.is_dir():
            continue
        for path in sorted(reports_dir.iterdir()):
            if path.suffix != ".yaml":
                continue
            rel = project.rel(path)
            if not (len(path.stem) == 4 and path.stem.isdigit()):
                report.add(error(rel, 1, 1, f"年度报告文件名应为四位年份，如 2024.yaml，实为“{path.name}”"))
                continue
            doc = _read(project, path, report)
            if doc is None:
                continue
            record, problems = load_report(project, agency_id, path, doc)
            report.extend(problems)
            if record is not None and not any(p.severity is Severity.ERROR for p in problems):
                project.reports.append(record)
    report.extend(annual_rules.check_reports_across(project.reports, project.entries))


def load_report(
    project: Project, agency_id: str, path: Path, doc: Document
) -> tuple[ReportRecord | None, list[Diagnostic]]:
    if not isinstance(doc.data, dict):
        return None, [doc.error((), "年度报告应为一组“键: 值”（映射）")]
    fmt = doc.data.get("format")
    if fmt is None:
        return None, [doc.error((), "缺少必填的键 “format”（格式）：2021、2019 或 文件")]
    if fmt not in REPORT_MODELS:
        return None, [doc.error(("format",), f"“format”（格式）应为 2021、2019、文件 之一，实为“{fmt}”")]
    # A report in the wrong format for its year is one mistake, not one per row that differs.
    year = str(doc.data.get("year", "")).strip()
    early = annual_rules.check_format(fmt, int(year), doc) if year.isdigit() and len(year) == 4 else []
    if any(p.severity is Severity.ERROR for p in early):
        return None, early
    model, problems = validate_document(REPORT_MODELS[fmt], doc)
    if model is None:
        return None, early + problems
    agency = project.agencies[agency_id]
    ctx = agency_context(project, agency)
    problems = early + annual_rules.check_report(model, doc, ctx, int(path.stem), project.now.date)
    tables = None
    if not isinstance(model, ReportDocument):
        tables, found = complete_tables(model, doc)
        problems.extend(found)
        problems.extend(check_prose(model, tables, doc, read_raw(path)))
    record = ReportRecord(agency_id, project.rel(path), model, tables, doc, cache.digest(path.read_bytes()))
    return record, problems
