"""OS faults give one line, not a traceback: a full disk, a missing permission, a read-only file
system, a file gone mid-build. The live site stays as it was and the staging directory is removed.
The faults are real errnos raised at the points where the build writes and reads; one test fills a
real small file system."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from generator.publish import files, pages, write
from tests.conftest import run
from tests.test_build import small_project
from tests.test_portal import tree_digest


def _fault(code: int, path: Path) -> OSError:
    return OSError(code, os.strerror(code), str(path))


def _site_as_it_was(root: Path, before: str) -> None:
    """The live site unchanged, and no staging directory left."""
    assert tree_digest(root / "site") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def _build_fails(root: Path, *args: str) -> str:
    """Run a build that must fail without a traceback; its last line."""
    result = run("build", *args, str(root))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()[-1]


@pytest.fixture
def built(project):
    """A project with a built site, and an edit for the next build to write."""
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    (root / "content/about.md").write_text("# 关于本站\n\n修订。\n", encoding="utf-8")
    return root


def _fault_at(monkeypatch, owner, name: str, code: int, where, when=lambda *args: True) -> None:
    """Make ``owner.name`` raise the OS error ``code`` on the file ``where(*args)`` names, for the
    calls where ``when(*args)`` holds."""
    real = getattr(owner, name)

    def faulty(*args):
        if when(*args):
            raise _fault(code, where(*args))
        return real(*args)

    monkeypatch.setattr(owner, name, faulty)


def _page(out, url, text):
    return out / url / "index.html"


STAGED = r"\.site\.building-\d+/"


@pytest.mark.parametrize(
    ("owner", "name", "code", "where", "expected"),
    [
        (pages, "write_page", errno.ENOSPC, _page, rf"磁盘空间不足（ENOSPC），写入 {STAGED}\S+/index\.html"),
        (
            write.shutil,
            "copyfile",
            errno.EACCES,
            lambda source, target: target,
            rf"没有权限（EACCES），访问 {STAGED}\S+",
        ),
        (
            files,
            "write_file",
            errno.EROFS,
            lambda out, url, data: out / url,
            rf"文件系统是只读的（EROFS），写入 {STAGED}\S+",
        ),
    ],
    ids=["full disk at a page", "permission denied at a copy", "read-only at a data file"],
)
def test_a_fault_at_a_write_point(built, monkeypatch, owner, name, code, where, expected):
    before = tree_digest(built / "site")
    _fault_at(monkeypatch, owner, name, code, where)
    monkeypatch.chdir(built)
    assert re.fullmatch(f"error: {expected} 时失败；网站保持原样", _build_fails(built, "--clean"))
    _site_as_it_was(built, before)


def test_an_attachment_removed_mid_build(built, monkeypatch):
    before = tree_digest(built / "site")
    real = write.copy_files
    attachment = built / "catalog/alpha/files/2024/yaodian.pdf"

    def vanishing(plan, out):
        attachment.unlink()  # after validation found it, before it is copied
        return real(plan, out)

    monkeypatch.setattr(write, "copy_files", vanishing)
    monkeypatch.chdir(built)
    assert _build_fails(built, "--clean") == (
        "error: 文件不存在（可能在构建过程中被删除或移动了）（ENOENT），"
        "读取 catalog/alpha/files/2024/yaodian.pdf 时失败；网站保持原样"
    )
    _site_as_it_was(built, before)


def test_a_fault_in_a_worker_process_gives_the_same_line(built, monkeypatch):
    before = tree_digest(built / "site")
    monkeypatch.setattr(pages, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(pages, "BATCH", 2)
    parent = os.getpid()
    _fault_at(monkeypatch, pages, "write_page", errno.ENOSPC, _page, lambda *args: os.getpid() != parent)
    monkeypatch.chdir(built)
    assert re.fullmatch(
        rf"error: 磁盘空间不足（ENOSPC），写入 {STAGED}entries/\S+/index\.html 时失败；网站保持原样",
        _build_fails(built, "--clean"),
    )
    _site_as_it_was(built, before)


def test_verbose_adds_the_traceback(built, monkeypatch):
    _fault_at(monkeypatch, write.shutil, "copyfile", errno.EACCES, lambda source, target: target)
    result = run("-v", "build", "--clean", str(built))
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert "PermissionError: [Errno 13]" in result.stderr


def test_outside_a_build_the_line_says_nothing_about_the_site(project, monkeypatch):
    from generator.commands import new

    def denied(*args, **kwargs):
        raise _fault(errno.EACCES, project / "catalog/alpha/entries/2024/new.yaml")

    monkeypatch.setattr(new.Path, "write_text", denied)
    monkeypatch.chdir(project)
    result = run("new", "entry", str(project), "--agency", "alpha", "--date", "2024-05-01", "--title", "测试")
    assert result.exit_code == 1
    assert result.stderr == "error: 没有权限（EACCES），访问 catalog/alpha/entries/2024/new.yaml 时失败\n"


def test_a_real_full_file_system(project, tmp_path):
    """A build on a 3 MiB tmpfs: the disk fills while the site is written (needs root to mount)."""
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", f"gongkai-{uuid.uuid4().hex[:8]}", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here (needs root): {mounted.stderr.strip()}")
    try:
        root = mount / "project"
        shutil.copytree(small_project(project), root)
        result = run("build", str(root))
        assert result.exit_code == 1
        assert re.fullmatch(
            # A page of the new site, or its search view (laid out as the page is written).
            rf"error: 磁盘空间不足（ENOSPC），写入 {re.escape(str(root))}/"
            rf"(\.site\.building-\d+|\.gongkai-cache/search-views)/\S+ 时失败；网站保持原样",
            result.stderr.splitlines()[-1],
        )
        assert "Traceback" not in result.stderr
        assert not (root / "site").exists()
        assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
