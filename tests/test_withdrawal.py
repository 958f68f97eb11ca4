"""A record withdrawn or corrected between two builds leaves no byte of itself anywhere in the
output: pages, 繁體 twins, search index files (decompressed), open data, feeds, sitemaps, change logs
and the site archive (every member, decompressed). The incremental site equals a clean build of the
same records byte for byte, the archive included; the audit and ``gongkai verify`` catch a doctored
archive. The archive is cut into small parts here (``archive.SPAN``), so that a rebuild keeps some
of them and writes others."""

from __future__ import annotations

import gzip
import io
import re
import shutil
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands.build import build_site
from generator.publish import archive, integrity
from tests.conftest import BASE, run, write
from tests.test_build import MKDOCS_YML

SITE_URL = "https://gongkai.example.gov.cn/"


@pytest.fixture(scope="module", autouse=True)
def small_parts():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(archive, "SPAN", 16)
        yield


def parts(site: Path) -> list[str]:
    """The site archive's parts, as its list names them."""
    return list(integrity.parse_manifest((site / archive.PARTS).read_text(encoding="utf-8")))


def reseal(site: Path, part: str) -> None:
    """Make the site's SHA256SUMS and the list of parts agree with the doctored ``part``, as a
    careless or hostile mirror could."""
    listed = integrity.parse_manifest((site / archive.PARTS).read_text(encoding="utf-8"))
    listed[part] = integrity.sha256_file(site / part)
    (site / archive.PARTS).write_bytes(integrity.manifest_text(listed))
    manifest = site / integrity.MANIFEST
    digests = integrity.parse_manifest(manifest.read_text(encoding="utf-8"))
    digests[part] = listed[part]
    digests[archive.PARTS] = integrity.sha256_file(site / archive.PARTS)
    manifest.write_bytes(integrity.manifest_text(digests))


INDEX_NO = "11449950MB2C93010F/2024-00020"
# ASCII marks survive the 繁體 conversion and Pagefind's tokens (compared in lower case).
TITLE_MARK = "XQZ7741"
BODY_MARK = "QJV5530"
FILE_MARK = b"ATTACHMARK9102"
ENTRY = f"""index_no: {INDEX_NO}
title: 测试市关于{TITLE_MARK}事项的通知
summary: 关于{TITLE_MARK}事项的安排。
date: 2024-05-06
disclosure: 主动公开
published: 2024-05-08
doc_no: 测府办〔2024〕20号
category: 政务公开
genre: 通知
keywords: [政务公开]
attachments:
  - {{file: 2024/tongzhi.pdf, title: 通知全文}}
body: |
  市属有关单位：

  现就{BODY_MARK}有关事项通知如下，请遵照执行。
"""
ENTRY_FILE = "catalog/alpha/entries/2024/00020.yaml"
WITHDRAWALS = {
    # name: (how the entry changes, the marks that must be gone)
    "主动公开 -> 不予公开": (
        lambda text: text.replace(
            "disclosure: 主动公开\npublished: 2024-05-08\n",
            "disclosure: 不予公开\nwithheld_reason: 属于内部事务信息，依据《中华人民共和国政府信息公开条例》第十六条第一款不予公开。\n",
        ),
        [TITLE_MARK, BODY_MARK, FILE_MARK.decode(), INDEX_NO, "2024-00020"],
    ),
    "主动公开 -> 依申请公开": (
        lambda text: text.replace(
            "disclosure: 主动公开\npublished: 2024-05-08\n", "disclosure: 依申请公开\n"
        ),
        [BODY_MARK, FILE_MARK.decode()],
    ),
    "attachment removed": (
        lambda text: re.sub(r"attachments:\n  - .*\n", "", text),
        [FILE_MARK.decode()],
    ),
    "body corrected": (
        lambda text: text.replace(f"现就{BODY_MARK}有关事项", "现就有关事项"),
        [BODY_MARK],
    ),
}


def _portal(tmp_path: Path) -> Path:
    root = tmp_path / "portal"
    shutil.copytree(BASE, root)
    pdf = (BASE / "catalog" / "alpha" / "files" / "2024" / "yaodian.pdf").read_bytes()
    return write(
        root,
        {
            "mkdocs.yml": MKDOCS_YML.replace("site_name:", f"site_url: {SITE_URL}\nsite_name:", 1),
            "content/about.md": "# 关于\n",
            ENTRY_FILE: ENTRY,
            "catalog/alpha/files/2024/tongzhi.pdf": pdf + b"%" + FILE_MARK + b"\n",
        },
    )


def _contents(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """``data`` as a reader gets it: itself, decompressed if gzip, and every member of a zip (the
    site archive, a workbook) or tar archive, recursively."""
    yield name, data
    if depth > 3:
        return
    if data[:2] == b"\x1f\x8b":
        yield from _contents(f"{name}(gunzip)", gzip.decompress(data), depth + 1)
    elif data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                yield from _contents(f"{name}!{info.filename}", archive.read(info), depth + 1)
    elif name.endswith(".tar"):
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                if member.isfile():
                    yield from _contents(
                        f"{name}!{member.name}", archive.extractfile(member).read(), depth + 1
                    )


def traces(site: Path, marks: list[str]) -> list[str]:
    """Where any of ``marks`` occurs in the output, in any file, name or archive member."""
    found = []
    needles = [(mark, mark.lower().encode("utf-8")) for mark in marks]
    for rel in integrity.site_files(site):
        for where, data in _contents(rel, (site / rel).read_bytes()):
            lowered = where.lower().encode("utf-8") + b"\n" + data.lower()
            found += [f"{where}: {mark}" for mark, needle in needles if needle in lowered]
    return found


def snapshot(site: Path) -> dict[str, bytes]:
    return {rel: (site / rel).read_bytes() for rel in integrity.site_files(site)}


@pytest.mark.parametrize("withdrawal", list(WITHDRAWALS))
def test_a_withdrawal_leaves_no_trace_and_the_rebuild_equals_a_clean_build(tmp_path, withdrawal):
    change, marks = WITHDRAWALS[withdrawal]
    root = _portal(tmp_path)
    build_site(root)
    site = root / "site"
    before = traces(site, marks)
    # Every mark reached the output the first time, the archive included: the check can see it.
    for mark in marks:
        assert any(t.endswith(f": {mark}") for t in before), mark
        assert any(t.startswith(f"{archive.FOLDER}/") and t.endswith(f": {mark}") for t in before), mark
    live = {rel: (site / rel).read_bytes() for rel in parts(site)}
    entry = root / ENTRY_FILE
    entry.write_text(change(entry.read_text(encoding="utf-8")), encoding="utf-8")
    result = build_site(root)
    assert not result.up_to_date
    assert traces(site, marks) == []
    # The parts that changed were written again, copying their unchanged members from the live
    # ones; the others were left as they were.
    assert result.times.counts["archive copied"] > 10
    now = {rel: (site / rel).read_bytes() for rel in parts(site)}
    kept = [rel for rel in now if live.get(rel) == now[rel]]
    written = result.times.counts["archive parts written"]
    assert len(now) > 10 and kept and len(now) - len(kept) <= written < len(now)
    assert run("verify", str(site)).exit_code == 0
    assert run("audit", str(site), "--project", str(root)).exit_code == 0
    incremental = snapshot(site)
    build_site(root, clean=True)
    clean = snapshot(site)
    assert sorted(incremental) == sorted(clean)
    assert [rel for rel in clean if incremental[rel] != clean[rel]] == []


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _portal(tmp_path_factory.mktemp("archive"))
    build_site(root)
    return root


@pytest.fixture
def doctored(built, tmp_path) -> tuple[Path, Path]:
    """A copy of the built site whose archive holds the page of a 不予公开 entry, with the
    project; the part's digest in SHA256SUMS and the list of parts is made to match."""
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    withheld = (BASE / "catalog" / "beta" / "entries" / "2024" / "0000002.yaml").read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", withheld, re.M).group(1)
    page = f"<html><body><h1>{title}</h1></body></html>".encode()
    part = parts(site)[0]
    with zipfile.ZipFile(site / part, "a") as zipped:
        zipped.writestr("entries/007482532-01-2024-0000002/index.html", page)
    reseal(site, part)
    return site, built


def test_the_audit_reads_inside_the_archive_and_names_the_member(doctored):
    site, project = doctored
    result = run("audit", str(site), "--project", str(project))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{parts(site)[0]}!entries/007482532-01-2024-0000002/index.html:1:17: error: "
        "输出中有不予公开条目 007482532-01-2024-0000002 的名称"
    ]


def test_verify_checks_every_member_of_the_archive_against_the_site(doctored, built):
    site, _ = doctored
    result = run("verify", str(site))
    assert result.exit_code == 1
    assert (
        f"存档 {parts(site)[0]}：多出 entries/007482532-01-2024-0000002/index.html（网站中没有此文件）"
        in (result.stdout.splitlines())
    )
    # A member whose bytes differ from the site's file, with the part's digest made to match.
    fresh = built / "site"
    copy = site.parent / "second"
    shutil.copytree(fresh, copy)
    part = next(
        p for p, members in archive.plan_parts(integrity.site_files(fresh)).items() if "index.html" in members
    )
    path = copy / part
    members = {}
    with zipfile.ZipFile(path) as zipped:
        for info in zipped.infolist():
            members[info.filename] = zipped.read(info)
    members["index.html"] = members["index.html"].replace(b"</body>", b"<p>old</p></body>")
    with zipfile.ZipFile(path, "w") as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
    reseal(copy, part)
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert f"存档 {part}：index.html 与网站中的同名文件不同" in result.stdout.splitlines()
    # A part taken away, with SHA256SUMS and the list made to agree.
    third = site.parent / "third"
    shutil.copytree(fresh, third)
    gone = parts(third)[-1]
    (third / gone).unlink()
    listed = integrity.parse_manifest((third / archive.PARTS).read_text(encoding="utf-8"))
    del listed[gone]
    (third / archive.PARTS).write_bytes(integrity.manifest_text(listed))
    digests = integrity.parse_manifest((third / integrity.MANIFEST).read_text(encoding="utf-8"))
    del digests[gone]
    digests[archive.PARTS] = integrity.sha256_file(third / archive.PARTS)
    (third / integrity.MANIFEST).write_bytes(integrity.manifest_text(digests))
    result = run("verify", str(third))
    assert result.exit_code == 1
    assert f"存档 {gone}：缺少此部分" in result.stdout.splitlines()
    assert run("verify", str(fresh)).exit_code == 0


def test_the_audit_reads_tar_and_gzip_archives_too(built, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    withheld_title = re.search(
        r"^title: (.*)$",
        (BASE / "catalog" / "beta" / "entries" / "2024" / "0000002.yaml").read_text(encoding="utf-8"),
        re.M,
    ).group(1)
    page = f"<p>{withheld_title}</p>".encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("part/old.html")
        info.size = len(page)
        tar.addfile(info, io.BytesIO(page))
    (site / "data" / "part.tar.gz").write_bytes(buffer.getvalue())
    (site / "data" / "old.html.gz").write_bytes(gzip.compress(page))
    result = run("audit", str(site), "--project", str(built))
    assert result.exit_code == 1
    assert [line.split(": error")[0] for line in result.stdout.splitlines()] == [
        "data/old.html.gz:1:4",
        "data/part.tar.gz!part/old.html:1:4",
    ]


def test_the_archive_is_a_zip_that_unzip_and_zipfile_accept(built):
    import subprocess

    for part in parts(built / "site"):
        path = built / "site" / part
        assert subprocess.run(["unzip", "-tqq", str(path)], check=False).returncode == 0
        with zipfile.ZipFile(path) as zipped:
            assert zipped.testzip() is None


def test_without_the_member_table_the_archive_is_read_for_its_members(tmp_path):
    """The previous archive's member table normally comes from the build cache; without it, the
    members are read from the archive itself, with the same result."""
    root = _portal(tmp_path)
    build_site(root)
    change, marks = WITHDRAWALS["主动公开 -> 不予公开"]
    entry = root / ENTRY_FILE
    entry.write_text(change(entry.read_text(encoding="utf-8")), encoding="utf-8")
    (root / ".gongkai-cache" / "archive-members").unlink()
    result = build_site(root)
    assert result.times.counts["archive copied"] > 10
    assert traces(root / "site", marks) == []
    incremental = snapshot(root / "site")
    build_site(root, clean=True)
    assert incremental == snapshot(root / "site")
