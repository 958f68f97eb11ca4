"""The shipped sample catalogue (示例市) is complete, realistic in shape and perfectly clean."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from pypdf import PdfReader

from generator.checks.validate import validate_project
from generator.models.entry import Disclosure
from tests.conftest import REPO

YEARS = range(2019, 2026)


@pytest.fixture(scope="module")
def sample():
    return validate_project(REPO)


def test_sample_has_no_error_and_no_warning(sample):
    _, report = sample
    assert [d.format_text() for d in report.diagnostics] == []


def test_agencies_guides_and_size(sample):
    project, _ = sample
    kinds = Counter(a.kind for a in project.agencies.values())
    assert len(project.agencies) >= 5 and kinds["部门"] >= 3 and kinds["政府"] >= 2
    assert any(a.kind == "政府" and a.parent for a in project.agencies.values())  # the district
    assert set(project.guides) == set(project.agencies)
    assert len(project.entries) >= 400


def test_every_agency_publishes_every_year(sample):
    project, _ = sample
    seen = {(r.agency, r.entry.date.year) for r in project.entries}
    assert {(a, y) for a in project.agencies for y in YEARS} <= seen


def test_disclosure_mix(sample):
    project, _ = sample
    for agency in project.agencies:
        mix = Counter(r.entry.disclosure for r in project.entries if r.agency == agency)
        assert mix[Disclosure.ON_REQUEST] >= 3, agency
        assert mix[Disclosure.WITHHELD] >= 2, agency
        assert mix[Disclosure.PROACTIVE] >= 60, agency


def test_normative_documents_and_interpretations(sample):
    project, _ = sample
    by_index = {r.entry.index_no: r for r in project.entries}
    for agency in project.agencies:
        own = [r.entry for r in project.entries if r.agency == agency]
        assert sum(e.validity == "已废止" and e.repealed is not None for e in own) >= 2, agency
        explained = [rel.index_no for e in own for rel in e.related if rel.relation == "解读"]
        assert len(explained) >= 8, agency
        assert all(by_index[i].agency == agency for i in explained)


def test_withheld_titles_appear_nowhere_else(sample):
    project, _ = sample
    withheld = [r for r in project.entries if r.entry.disclosure is Disclosure.WITHHELD]
    texts = {
        p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8")
        for p in (REPO / "catalog").rglob("*.yaml")
    }
    for record in withheld:
        for rel, text in texts.items():
            if rel != record.path:
                assert record.entry.title not in text, (record.path, rel)
                assert record.entry.index_no not in text, (record.path, rel)


def test_no_personal_data_shapes_in_the_sample():
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "catalog").rglob("*.yaml"))
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", text)  # mobile numbers
    assert not re.search(r"(?<![0-9A-Z])\d{17}[\dXx](?![0-9A-Z])", text)  # resident ID numbers


def test_attachments_are_real_pdfs_with_text(sample):
    project, _ = sample
    files = [
        (r, REPO / "catalog" / r.agency / "files" / a.file)
        for r in project.entries
        for a in r.entry.attachments
    ]
    assert len(files) >= 40
    for record, path in files:
        reader = PdfReader(path)
        assert 1 <= len(reader.pages) <= 20
        # pypdf interleaves NULs in some CID font runs; the characters themselves are intact.
        text = re.sub(r"[\s\x00]", "", reader.pages[0].extract_text())
        assert re.sub(r"\s", "", record.entry.title)[:8] in text, path
