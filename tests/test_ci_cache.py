"""Incremental builds in CI: each job starts from a fresh checkout, with ``.gongkai-cache/`` and
``site/`` restored from the CI system's cache (a tarball unpacked with new inodes and times). The
build must take up the previous build where the restored state belongs to it, and give exactly
what a clean build gives either way."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from generator import cache
from generator.commands.build import build_site
from tests.conftest import run, write
from tests.test_build import MKDOCS_YML
from tests.test_history import git
from tests.test_withdrawal import SITE_URL, snapshot

CACHED = (".gongkai-cache", "site")
# An entry page the added entry does not touch: an incremental build keeps it in place (same
# inode), a full build writes it anew.
UNTOUCHED_PAGE = "site/entries/007482532-03-2024-0000001/index.html"

NEW_ENTRY = {
    "catalog/alpha/entries/2024/00020.yaml": """index_no: 11449950MB2C93010F/2024-00020
title: 测试市关于公布2024年第二批政务服务事项清单的通知
summary: 公布第二批政务服务事项清单。
date: 2024-09-02
disclosure: 主动公开
published: 2024-09-03
category: 规划计划
genre: 通知
body: |
  现将第二批政务服务事项清单予以公布。
""",
}


def clone(origin: Path, dest: Path) -> Path:
    """A fresh checkout, as a CI job makes: new files, new inodes, new times, the full history."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", str(origin), str(dest)], check=True, capture_output=True)
    return dest


def save_ci_cache(project: Path, tarball: Path) -> None:
    """What the workflows' cache step saves: the cache folder and the site, as one tarball."""
    subprocess.run(["tar", "-cf", str(tarball), "-C", str(project), *CACHED], check=True)


def restore_ci_cache(tarball: Path, project: Path) -> None:
    """Unpack without the files' times (``-m``), as a cache restored by a runner that does not keep
    them would: nothing may depend on the restored files' times or inodes."""
    subprocess.run(["tar", "-xmf", str(tarball), "-C", str(project)], check=True)


def build(project: Path) -> None:
    result = run("build", str(project))
    assert result.exit_code == 0, result.output


def use_key(monkeypatch, value: str) -> None:
    monkeypatch.setenv(cache.KEY_ENV, value)
    cache.secret_key.cache_clear()


@pytest.fixture
def ci(portal: Path, tmp_path: Path, monkeypatch):
    """The portal's repository, a first CI job built from a clone of it, its cache saved as a
    tarball; then a push adding one entry (a new commit: the build's "now" moves with it)."""
    use_key(monkeypatch, "the CI secret")
    config = MKDOCS_YML.replace("site_name:", f"site_url: {SITE_URL}\nsite_name:", 1)
    write(portal, {"mkdocs.yml": config, "content/about.md": "# 关于\n"})
    git(portal, "init", "--quiet", "--initial-branch=main")
    git(portal, "add", ".")
    git(portal, "commit", "--quiet", "-m", "portal", when="2024-09-01T10:00:00+08:00")
    first = clone(portal, tmp_path / "job-1" / "repo")
    build(first)
    tarball = tmp_path / "cache.tar"
    save_ci_cache(first, tarball)
    write(portal, NEW_ENTRY)
    git(portal, "add", ".")
    git(portal, "commit", "--quiet", "-m", "one more entry", when="2024-09-03T16:30:00+08:00")
    yield portal, tarball
    cache.secret_key.cache_clear()


def next_job(portal: Path, tarball: Path, where: Path) -> Path:
    """The next push's job: a fresh clone, the cache restored."""
    project = clone(portal, where)
    restore_ci_cache(tarball, project)
    return project


def clean_build(portal: Path, where: Path) -> dict[str, bytes]:
    project = clone(portal, where)
    build(project)
    return snapshot(project / "site")


def test_a_build_from_a_restored_cache_takes_up_the_previous_build_and_equals_a_clean_build(ci, tmp_path):
    portal, tarball = ci
    project = next_job(portal, tarball, tmp_path / "job-2" / "repo")
    page = project / UNTOUCHED_PAGE
    inode = page.stat().st_ino
    result = build_site(project)
    assert page.stat().st_ino == inode, "the restored site was rebuilt whole, not taken up"
    # The restored archive's unchanged members are copied, not compressed again.
    assert result.times.counts["archive copied"] > 0
    assert snapshot(project / "site") == clean_build(portal, tmp_path / "clean" / "repo")


def test_a_cache_written_under_another_key_is_not_used_and_the_build_is_still_right(
    ci, tmp_path, monkeypatch
):
    portal, tarball = ci
    use_key(monkeypatch, "another project's secret")
    project = next_job(portal, tarball, tmp_path / "job-2" / "repo")
    page = project / UNTOUCHED_PAGE
    inode = page.stat().st_ino
    build(project)
    assert page.stat().st_ino != inode, "a cache that failed its check was used"
    assert snapshot(project / "site") == clean_build(portal, tmp_path / "clean" / "repo")


def test_a_site_restored_from_another_build_is_not_taken_for_the_recorded_one(ci, tmp_path):
    portal, tarball = ci
    project = next_job(portal, tarball, tmp_path / "job-2" / "repo")
    # The site came from another build than the cache: one of its pages differs, and its
    # SHA256SUMS says so.
    sums = project / "site" / "SHA256SUMS"
    sums.write_bytes(sums.read_bytes().replace(b"  index.html", b"  index.htm", 1))
    page = project / UNTOUCHED_PAGE
    inode = page.stat().st_ino
    build(project)
    assert page.stat().st_ino != inode, "a site that is not the recorded one was taken up"
    assert snapshot(project / "site") == clean_build(portal, tmp_path / "clean" / "repo")


def test_a_fresh_checkout_reads_only_the_entry_files_git_does_not_vouch_for(ci, tmp_path, monkeypatch):
    """Every file of a new checkout has a new stamp; git vouches for those whose bytes are their
    committed blob's, so only the pushed entry, and one edited in the checkout without a commit,
    are read and checked again. The edit reaches the site."""
    from generator.records import load as loader

    portal, tarball = ci
    project = next_job(portal, tarball, tmp_path / "job-2" / "repo")
    edited = "catalog/alpha/entries/2024/00016.yaml"
    path = project / edited
    title = path.read_text(encoding="utf-8").split("title: ", 1)[1].split("\n", 1)[0]
    path.write_text(
        path.read_text(encoding="utf-8").replace(title, "关于修改后标题的通知", 1), encoding="utf-8"
    )
    reads: list[str] = []
    real = loader.read_bytes
    monkeypatch.setattr(loader, "read_bytes", lambda path, rel: reads.append(rel) or real(path, rel))
    build_site(project)
    assert sorted(reads) == sorted([edited, *NEW_ENTRY])
    site = snapshot(project / "site")
    page = next(data for rel, data in site.items() if rel.endswith("2024-00016/index.html"))
    assert "关于修改后标题的通知".encode() in page and title.encode() not in page
