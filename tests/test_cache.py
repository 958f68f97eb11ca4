"""The validation cache: a cached run reports exactly what a fresh run reports."""

from __future__ import annotations

import os
import shutil

from generator import cache
from generator.checks.validate import validate_project
from tests.conftest import BROKEN, write

CASE = "catalog/alpha/entries/2024/case.yaml"


def messages(root):
    project, report = validate_project(root)
    return [d.format_text() for d in report.diagnostics], [r.path for r in project.entries]


def fresh_messages(root):
    shutil.rmtree(root / cache.CACHE_DIRNAME, ignore_errors=True)
    return messages(root)


def test_cached_run_equals_fresh_run(portal):
    shutil.copy(BROKEN / "index-year.yaml", portal / CASE)
    shutil.copy(BROKEN / "malformed.yaml", portal / "catalog/alpha/entries/2024/bad.yaml")
    first = messages(portal)
    assert (portal / cache.CACHE_DIRNAME / "entries-alpha").is_file()
    assert messages(portal) == first == fresh_messages(portal)
    assert len(first[0]) == 2


def test_edited_file_is_checked_again(portal):
    messages(portal)
    shutil.copy(BROKEN / "index-year.yaml", portal / CASE)
    assert messages(portal)[0] == [
        f"{CASE}:1:11: error: 索引号中的年份 2023 与成文日期 2024-05-06 的年份不一致：索引号的年份应为成文日期所在年份"
    ]


def test_missing_attachment_is_found_even_from_the_cache(portal):
    assert messages(portal)[0] == []
    (portal / "catalog/alpha/files/2024/yaodian.pdf").unlink()
    assert messages(portal)[0] == [
        "catalog/alpha/entries/2024/00016.yaml:12:12: error: 文件不存在：catalog/alpha/files/2024/yaodian.pdf"
    ]


def test_agency_configuration_change_invalidates_its_entries(portal):
    assert messages(portal)[0] == []
    agencies = (portal / "catalog/agencies.yaml").read_text(encoding="utf-8")
    write(
        portal,
        {
            "catalog/agencies.yaml": agencies.replace(
                '"{code}-{num:2}-{year}-{serial:7}"', '"{code}/{year}-{serial:5}"'
            )
        },
    )
    assert len(messages(portal)[0]) == 3  # every beta entry now breaks the pattern


def test_taxonomy_change_invalidates(portal):
    assert messages(portal)[0] == []
    write(portal, {"catalog/beta/taxonomy.yaml": "genres:\n  - {id: jianbao, name: 简报}\n"})
    edited = (portal / "catalog/beta/entries/2024/0000001.yaml").read_text(encoding="utf-8")
    write(portal, {"catalog/beta/entries/2024/0000001.yaml": edited.replace("genre: 方案", "genre: 简报")})
    assert messages(portal)[0] == []
    (portal / "catalog/beta/taxonomy.yaml").unlink()
    assert messages(portal)[0] == [
        "catalog/beta/entries/2024/0000001.yaml:8:8: error: 体裁分类“简报”在 taxonomy.yaml 中不存在：你是不是想写“通报”？"
    ]


def test_removed_file_leaves_the_cache(portal):
    messages(portal)
    (portal / "catalog/alpha/entries/2024/00017.yaml").unlink()
    assert "catalog/alpha/entries/2024/00017.yaml" not in messages(portal)[1]


def test_damaged_cache_is_ignored(portal):
    first = messages(portal)
    (portal / cache.CACHE_DIRNAME / "entries-alpha").write_bytes(b"not a pickle")
    assert messages(portal) == first


def test_cache_from_other_code_is_ignored(portal, monkeypatch):
    messages(portal)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "other")
    assert cache.load(portal, "entries-alpha") is None


def test_a_file_whose_stamp_is_unchanged_is_not_read_again(portal, monkeypatch):
    from generator.records import load as loader

    monkeypatch.setattr(loader, "RACY_NS", 0)  # trust every stamp, however new the file
    first = messages(portal)
    reads = []
    real = loader.read_bytes
    monkeypatch.setattr(loader, "read_bytes", lambda path, rel: reads.append(rel) or real(path, rel))
    assert messages(portal) == first
    assert reads == []
    # Different bytes of the same size, with the modification time put back: the change time
    # (which no program can set) tells, and the file is read and checked again.
    path = portal / "catalog/alpha/entries/2024/00016.yaml"
    text = path.read_text(encoding="utf-8")
    before = path.stat()
    edited = text.replace("2024-", "2023-", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    after = messages(portal)
    assert reads == ["catalog/alpha/entries/2024/00016.yaml"]
    assert after == fresh_messages(portal) and after != first


def test_a_file_changed_just_before_it_was_read_is_read_again(portal, monkeypatch):
    from generator.records import load as loader

    monkeypatch.setattr(loader, "RACY_NS", 10**18)  # every file counts as changed just now
    messages(portal)
    reads = []
    real = loader.read_bytes
    monkeypatch.setattr(loader, "read_bytes", lambda path, rel: reads.append(rel) or real(path, rel))
    messages(portal)
    assert len(reads) == len(list((portal / "catalog").glob("*/entries/*/*.yaml")))
