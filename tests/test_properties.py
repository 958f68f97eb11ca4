"""Properties: any input gives a located error or a result, never a crash or a hang."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.checks.indexno import compile_pattern
from generator.diagnostics import Diagnostic
from generator.models.agency import Agency
from generator.records.load import load_entry
from generator.records.project import AgencyContext
from generator.records.yamlreader import YamlError, parse_yaml

AGENCY = Agency.model_validate(
    {
        "id": "alpha",
        "name": "测试机构",
        "kind": "部门",
        "code": "11449950MB2C93010F",
        "office": {
            "name": "办",
            "address": "址",
            "hours": "时",
            "phone": "电",
            "fax": "传",
            "email": "e@x.example",
        },
    }
)

YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc:-[]{},&*!|>#'\"\n\t %@`?~01234-年月日公开\u202e\x00\x07")),
    max_size=200,
)

KEYS = st.sampled_from(
    [
        "index_no",
        "title",
        "summary",
        "date",
        "disclosure",
        "published",
        "related",
        "attachments",
        "keywords",
        "validity",
        "repealed",
        "body",
        "body_file",
        "titel",
        "名称",
    ]
)
LEAVES = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2024-02-30",
            "2024-04-12",
            "主动公开",
            "不予公开",
            "已废止",
            "../x",
            "/etc/passwd",
            "11449950MB2C93010F/2024-00001",
            "no",
            "0123",
        ]
    ),
    st.integers(),
    st.booleans(),
)
STRUCTURES = st.recursive(
    LEAVES,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=6)),
    max_leaves=25,
)


def assert_located(diagnostic: Diagnostic) -> None:
    assert diagnostic.path
    assert diagnostic.line >= 1 and diagnostic.col >= 1
    assert diagnostic.message


@settings(max_examples=400, deadline=1000)
@given(YAMLISH)
def test_reader_gives_a_document_or_a_located_error(text):
    try:
        doc = parse_yaml(text.encode("utf-8"), "f.yaml")
    except YamlError as exc:
        assert_located(exc.diagnostic)
    else:
        assert () in doc.marks


@settings(max_examples=200, deadline=1000)
@given(st.binary(max_size=200))
def test_reader_survives_arbitrary_bytes(raw):
    try:
        parse_yaml(raw, "f.yaml")
    except YamlError as exc:
        assert_located(exc.diagnostic)


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(STRUCTURES)
def test_entry_loader_gives_a_record_or_located_errors(tmp_path: Path, data):
    path = tmp_path / "entry.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    ctx = AgencyContext(
        agency=AGENCY,
        pattern=compile_pattern(AGENCY.index_pattern, AGENCY.code),
        category_names=frozenset({"政务公开"}),
        genre_names=frozenset({"通知"}),
        files_dir=tmp_path / "files",
        content_dir=tmp_path / "content",
    )
    record, problems = load_entry(path, "entry.yaml", ctx)
    for diagnostic in problems:
        assert_located(diagnostic)
    if record is None:
        assert any(d.severity.value == "error" for d in problems)
