"""The disclosure safety gate: before anything is written, scan everything that would be published.

It looks at the published fields of every public entry, the guides, the agencies, the taxonomy,
the editorial pages in ``content/`` and the text of every attachment of a 主动公开 entry, for
personal data (``generator.safety.privacy``) and for withheld content: a 不予公开 record's title or 索引号,
or a sentence of a 依申请公开 record's body. Every finding is an error at its file, line and column,
with the value masked. ``catalog/privacy-allow.yaml`` lists reviewed exceptions by value hash and
file; an exception that no longer matches anything is a warning.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator import cache
from generator.checks.rules import check_inside
from generator.diagnostics import Diagnostic, error, position_in_text, warning
from generator.models.entry import Disclosure
from generator.models.privacy import AllowFile
from generator.records.locate import validate_document
from generator.records.project import EntryRecord, Project
from generator.records.yamlreader import Document, YamlError, load_yaml
from generator.safety import extract, privacy
from generator.safety.withheld import published_fields, read_text

ALLOW_FILE = "catalog/privacy-allow.yaml"


@dataclass
class AllowList:
    entries: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)  # (hash, file) -> position
    used: set[tuple[str, str]] = field(default_factory=set)

    def allows(self, digest: str, rel: str) -> bool:
        key = (digest, rel)
        if key in self.entries:
            self.used.add(key)
            return True
        return False


def load_allow_list(project: Project) -> tuple[AllowList, list[Diagnostic]]:
    path = project.root / ALLOW_FILE
    allow = AllowList()
    if not path.is_file():
        return allow, []
    try:
        doc = load_yaml(path, ALLOW_FILE)
    except YamlError as exc:
        return allow, [exc.diagnostic]
    model, problems = validate_document(AllowFile, doc)
    if model is not None:
        for i, item in enumerate(model.allow):
            allow.entries[(item.hash, item.file)] = doc.position(("allow", i, "hash"))
    return allow, problems


# -- what is published ---------------------------------------------------------------------------


def body_files(project: Project) -> set[str]:
    """content/ paths that hold an entry's body: record text, not editorial pages."""
    return {r.entry.body_file for r in project.entries if r.entry.body_file}


# -- the scan ------------------------------------------------------------------------------------


@dataclass
class Gate:
    project: Project
    allow: AllowList
    index: privacy.WithheldIndex
    found: list[Diagnostic] = field(default_factory=list)

    def problems(self, text: str, rel: str) -> list[tuple[int, int, str]]:
        """(start, end, message) for what must not be published in ``text`` from file ``rel``."""
        out = []
        for f in privacy.scan(text):
            if not self.allow.allows(f.digest, rel):
                out.append((f.start, f.end, pii_message(f)))
        for hit in self.index.scan(text):
            out.append((hit.start, hit.end, withheld_message(hit)))
        return out

    def scan_entry(self, record: EntryRecord) -> None:
        located: list[tuple[tuple, str, int, int, str]] = []
        for loc, text in published_fields(record.entry):
            for start, end, message in self.problems(text, record.path):
                located.append((loc, text, start, end, message))
        if located:
            self.found.extend(_locate_in_yaml(self.project, record.path, located))
        if record.entry.disclosure is Disclosure.PROACTIVE:
            for attachment in record.entry.attachments:
                self.scan_attachment(record.agency, attachment.file)

    def scan_attachment(self, agency_id: str, file: str) -> None:
        files_dir = self.project.catalog_dir / agency_id / "files"
        path = files_dir / file
        rel = f"catalog/{agency_id}/files/{file}"
        # A path that escapes its folder is already an error, and is never read.
        if path.suffix.lower() not in extract.SUPPORTED or check_inside(files_dir, file, "") is not None:
            return
        try:
            for where, text in extract.extract(path):
                for _, _, message in self.problems(text, rel):
                    self.found.append(error(rel, 1, 1, f"{where}：{message}"))
        except extract.Unreadable as exc:
            self.found.append(
                warning(
                    rel,
                    1,
                    1,
                    f"附件无法检查是否含有个人信息：{exc}。请提供能提取文字的版本，或人工核对后再发布",
                )
            )

    def scan_text_file(self, path: Path, rel: str) -> None:
        text = read_text(path)
        for start, _, message in self.problems(text, rel):
            self.found.append(error(rel, *position_in_text(text, start), message))

    def scan_yaml_file(self, path: Path, rel: str) -> None:
        try:
            doc = load_yaml(path, rel)
        except YamlError:
            return  # reported by validation
        located = []
        for loc, text in _strings(doc.data, ()):
            for start, end, message in self.problems(text, rel):
                located.append((loc, text, start, end, message))
        if located:
            self.found.extend(_locate(doc, path, located))


def pii_message(f: privacy.Finding) -> str:
    return (
        f"发现{f.label}“{f.masked}”：个人信息不得公开，请删除或去标识化；确需公开的，经审核后在 "
        f"{ALLOW_FILE} 中登记（hash: {f.digest}，file: 本文件）"
    )


def withheld_message(hit: privacy.WithheldHit) -> str:
    if hit.kind == "body":
        return f"这段文字与依申请公开条目 {hit.index_no} 的正文相同：依申请公开的正文不得发布"
    what = "名称" if hit.kind == "title" else "索引号"
    return f"出现了不予公开条目 {hit.index_no} 的{what}：不予公开的信息不得出现在门户的任何地方"


def _strings(value, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _strings(child, (*loc, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _strings(child, (*loc, i))


def _locate_in_yaml(project: Project, rel: str, located: list) -> list[Diagnostic]:
    path = project.root / rel
    try:
        doc = load_yaml(path, rel)
    except YamlError:
        return [error(rel, 1, 1, message) for *_, message in located]
    return _locate(doc, path, located)


def _locate(doc: Document, path: Path, located: list) -> list[Diagnostic]:
    """Point at the exact text in the file where it can be found, else at the value."""
    raw = path.read_text(encoding="utf-8-sig")
    starts = [0]
    for line in raw.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out = []
    for loc, text, start, end, message in located:
        line, col = doc.position(loc)
        offset = starts[line - 1] + col - 1 if line - 1 < len(starts) else 0
        at = raw.find(text[start:end], offset)
        if at >= 0:
            line, col = position_in_text(raw, at)
        out.append(error(doc.path, line, col, message))
    return out


def _entry_key(gate: Gate, record: EntryRecord) -> str:
    """What an entry's findings depend on: its bytes, its attachments, what is withheld, the
    exceptions and the scanner's code."""
    files = []
    if record.entry.disclosure is Disclosure.PROACTIVE:
        for attachment in record.entry.attachments:
            path = gate.project.catalog_dir / record.agency / "files" / attachment.file
            try:
                stat = path.stat()
                files.append(f"{attachment.file}:{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                files.append(f"{attachment.file}:-")
    return cache.digest(record.digest, gate.index.key, repr(sorted(gate.allow.entries)), *files)


def _scan_entries(gate: Gate) -> None:
    """Scan every public entry, reusing the findings of entries whose key is unchanged."""
    project = gate.project
    by_agency: dict[str, list[EntryRecord]] = {}
    for record in project.entries:
        if record.entry.disclosure is not Disclosure.WITHHELD:
            by_agency.setdefault(record.agency, []).append(record)
    for agency_id, records in by_agency.items():
        name = f"gate-{agency_id}"
        cached = cache.load(project.root, name) or {}
        fresh = {}
        for record in records:
            key = _entry_key(gate, record)
            hit = cached.get(record.path)
            if hit == key:  # clean last time, and nothing it depends on changed
                fresh[record.path] = key
                continue
            if isinstance(hit, tuple) and hit[0] == key:
                _, found, used = hit
                gate.allow.used.update(used)
            else:
                # Scan with empty lists, so what this entry found and used is its own.
                outer_found, outer_used = gate.found, gate.allow.used
                gate.found, gate.allow.used = [], set()
                gate.scan_entry(record)
                found, used = gate.found, gate.allow.used
                gate.found, gate.allow.used = outer_found, outer_used | used
            gate.found.extend(found)
            # A clean entry is stored as its key alone: most are clean, and strings load fast.
            fresh[record.path] = (key, found, used) if found or used else key
        if fresh != cached:
            cache.save(project.root, name, fresh)


def scan_project(project: Project) -> list[Diagnostic]:
    """Every finding in everything the portal would publish, plus unused exceptions."""
    allow, problems = load_allow_list(project)
    gate = Gate(project, allow, project.withheld)
    gate.found.extend(problems)
    _scan_entries(gate)
    for agency_id, guide in project.guides.items():
        gate.scan_yaml_file(project.catalog_dir / agency_id / "guide.yaml", f"catalog/{agency_id}/guide.yaml")
        if guide.on_request.application_form:
            gate.scan_attachment(agency_id, guide.on_request.application_form)
    for agency_id in project.agencies:
        # Annual reports: every file, checked or not; their prose and attachments are published.
        for path in sorted((project.catalog_dir / agency_id / "reports").glob("*.yaml")):
            gate.scan_yaml_file(path, project.rel(path))
    for record in project.reports:
        for attachment in record.report.attachments:
            gate.scan_attachment(record.agency, attachment.file)
    for name in ("agencies.yaml", "taxonomy.yaml"):
        if (project.catalog_dir / name).is_file():
            gate.scan_yaml_file(project.catalog_dir / name, f"catalog/{name}")
    for agency_id in project.agencies:
        extension = project.catalog_dir / agency_id / "taxonomy.yaml"
        if extension.is_file():
            gate.scan_yaml_file(extension, f"catalog/{agency_id}/taxonomy.yaml")
    on_request_files = {
        r.entry.body_file
        for r in project.entries
        if r.entry.body_file and r.entry.disclosure is not Disclosure.PROACTIVE
    }
    content = project.root / "content"
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            rel = path.relative_to(content).as_posix()
            if name.endswith(".md") and rel not in on_request_files:
                gate.scan_text_file(path, f"content/{rel}")
    for key, position in sorted(allow.entries.items()):
        if key not in allow.used:
            gate.found.append(
                warning(ALLOW_FILE, *position, f"这条例外已不再匹配任何内容（file: {key[1]}）：请确认后删除")
            )
    return gate.found
