"""The change history: additions, changes and withdrawals from git, the state file without git,
withdrawn pages, and entries that became 不予公开 vanishing from the log."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.portal import urls
from tests.conftest import run, write
from tests.test_build import MKDOCS_YML

A = "catalog/alpha/entries/2024/00016.yaml"  # changed
B = "catalog/alpha/entries/2024/00017.yaml"  # withdrawn (removed)
C = "catalog/beta/entries/2024/0000001.yaml"  # becomes 不予公开
D = "catalog/alpha/entries/2024/00015.yaml"  # edited and not committed
A_INDEX = "11449950MB2C93010F/2024-00016"
B_INDEX = "11449950MB2C93010F/2024-00017"
C_INDEX = "007482532-03-2024-0000001"
D_INDEX = "11449950MB2C93010F/2024-00015"


def git(root: Path, *args: str, when: str | None = None) -> None:
    env = {
        "GIT_AUTHOR_NAME": "clerk",
        "GIT_AUTHOR_EMAIL": "clerk@example.gov.cn",
        "GIT_COMMITTER_NAME": "clerk",
        "GIT_COMMITTER_EMAIL": "clerk@example.gov.cn",
        "HOME": str(root),
        "PATH": "/usr/bin:/bin",
    }
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def page(root: Path, url: str) -> str:
    return (root / "site" / urls.output_path(url)).read_text(encoding="utf-8")


@pytest.fixture
def history_project(portal, monkeypatch) -> Path:
    """The portal fixture as a git repository with a year of history, and one uncommitted edit."""
    write(portal, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    git(portal, "init", "-q", "-b", "main")
    git(portal, "add", "-A")
    git(portal, "commit", "-q", "-m", "first publication", when="2024-06-01T10:00:00+08:00")
    edit(
        portal,
        A,
        "summary: 印发2024年全市政务公开工作要点。",
        "summary: 印发2024年全市政务公开工作要点，明确二十项任务。",
    )
    git(portal, "commit", "-q", "-am", "A: fuller summary", when="2024-07-02T09:00:00+08:00")
    (portal / B).unlink()
    git(portal, "commit", "-q", "-am", "B: withdrawn", when="2024-08-03T09:00:00+08:00")
    edit(
        portal,
        C,
        "disclosure: 主动公开",
        "disclosure: 不予公开\nwithheld_reason: 涉及第三方合法权益，依据条例第十五条不予公开。",
    )
    text = (portal / C).read_text(encoding="utf-8")
    (portal / C).write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("published:")) + "\n",
        encoding="utf-8",
    )
    git(portal, "commit", "-q", "-am", "C: withheld", when="2024-09-04T09:00:00+08:00")
    edit(portal, D, "第二条 本办法", "第二条 本办法（修订）")  # not committed: dated with the build's now
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1727740800")  # 2024-10-01
    return portal


def test_the_change_log_is_derived_from_git(history_project):
    result = run("build", str(history_project))
    assert result.exit_code == 0, result.output
    log = page(history_project, urls.changes_url("alpha"))
    assert '<time datetime="2024-07-02">' in log and A_INDEX in log
    assert '<time datetime="2024-08-03">' in log and B_INDEX in log
    assert '<time datetime="2024-10-01">' in log and D_INDEX in log
    assert (
        log.index("2024-10-01") < log.index("2024-08-03") < log.index("2024-07-02") < log.index("2024-06-01")
    )
    assert "撤回" in log and "修改" in log and "新增" in log
    entry = page(history_project, urls.entry_url(A_INDEX))
    assert '本条目最后更新：<time datetime="2024-07-02">' in entry


def test_a_withdrawn_entry_keeps_a_page_saying_so(history_project):
    assert run("build", str(history_project)).exit_code == 0
    withdrawn = page(history_project, urls.entry_url(B_INDEX))
    assert "本信息已撤回" in withdrawn
    assert "《2024年政务公开工作要点》政策解读" in withdrawn
    assert '<time datetime="2024-08-03">' in withdrawn
    assert '<meta name="robots" content="noindex">' in withdrawn


def test_an_entry_that_became_withheld_vanishes_from_the_history(history_project):
    assert run("build", str(history_project)).exit_code == 0
    site = history_project / "site"
    assert not (site / urls.output_path(urls.entry_url(C_INDEX))).exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".json", ".jsonl", ".csv"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert C_INDEX not in text and "东湖区2024年防汛应急预案" not in text, path


def test_an_on_request_body_change_is_not_a_public_change(history_project):
    on_request = "catalog/alpha/entries/2024/00018.yaml"
    write(
        history_project,
        {
            on_request: "index_no: 11449950MB2C93010F/2024-00018\ntitle: 关于某项目的内部意见\n"
            "summary: 对某项目提出意见。\ndate: 2024-05-20\ndisclosure: 依申请公开\n"
            "body: |\n  原来的意见正文内容较长不宜公开。\n"
        },
    )
    git(history_project, "add", "-A")
    git(history_project, "commit", "-q", "-m", "on request", when="2024-09-10T09:00:00+08:00")
    edit(history_project, on_request, "原来的意见正文内容较长不宜公开", "修改后的意见正文内容也不宜公开")
    git(history_project, "commit", "-q", "-am", "body only", when="2024-09-20T09:00:00+08:00")
    assert run("build", str(history_project)).exit_code == 0
    log = page(history_project, urls.changes_url("alpha"))
    assert '<time datetime="2024-09-10">' in log
    assert '<time datetime="2024-09-20">' not in log


def test_without_git_the_state_file_carries_the_history(history_project):
    result = run("history", str(history_project))
    assert result.exit_code == 0, result.output
    state = history_project / "catalog" / "history.json"
    assert state.is_file()
    git(history_project, "add", "-A")
    git(history_project, "commit", "-q", "-m", "state", when="2024-10-01T09:00:00+08:00")
    export = history_project.parent / "export"
    subprocess.run(["git", "-C", str(history_project), "worktree", "list"], check=True, capture_output=True)

    shutil.copytree(history_project, export, ignore=shutil.ignore_patterns(".git", ".gongkai-cache", "site"))
    assert not (export / ".git").exists()
    assert run("build", str(export)).exit_code == 0
    log = page(export, urls.changes_url("alpha"))
    assert '<time datetime="2024-07-02">' in log and '<time datetime="2024-08-03">' in log
    assert "本信息已撤回" in page(export, urls.entry_url(B_INDEX))


def test_an_incremental_build_updates_the_change_log_as_a_clean_build_would(history_project):
    assert run("build", str(history_project)).exit_code == 0
    before = page(history_project, urls.changes_url("alpha"))
    assert "2024-10-02" not in before
    git(history_project, "commit", "-q", "-am", "D: committed", when="2024-10-02T09:00:00+08:00")
    edit(history_project, A, "明确二十项任务", "明确二十一项任务")
    git(history_project, "commit", "-q", "-am", "A: one more task", when="2024-10-03T09:00:00+08:00")
    assert run("build", str(history_project)).exit_code == 0
    log = page(history_project, urls.changes_url("alpha"))
    assert '<time datetime="2024-10-03">' in log and log != before
    assert run("build", "--clean", str(history_project)).exit_code == 0
    assert page(history_project, urls.changes_url("alpha")) == log


def test_the_faces_cache_is_not_rewritten_for_one_edit_and_the_edit_still_counts(portal, monkeypatch):
    from generator import cache
    from generator.checks.validate import validate_project
    from generator.records import history

    def faces():
        project, _ = validate_project(portal)
        return history.current_faces(project)

    first = faces()
    stored = cache.cache_path(portal, history.FACES_CACHE)
    before = stored.stat().st_ino  # a rewrite replaces the file
    edit(portal, A, "title: ", "title: 修订：")
    second = faces()
    assert second[A_INDEX].title.startswith("修订：") and not first[A_INDEX].title.startswith("修订：")
    assert stored.stat().st_ino == before  # one file missed it: read again, not rewritten
    assert {k: v for k, v in second.items() if k != A_INDEX} == {
        k: v for k, v in first.items() if k != A_INDEX
    }
    monkeypatch.setattr(history, "FACES_REWRITE", 0)
    faces()
    assert stored.stat().st_ino != before
    assert faces() == second


def test_an_entry_moved_to_another_file_over_two_commits_is_not_withdrawn(history_project):
    """Copied in one commit, the old file removed in the next: the number is still held."""
    from generator.records.history import replaygit

    moved = "catalog/alpha/entries/2024/moved.yaml"
    shutil.copy(history_project / A, history_project / moved)
    git(history_project, "add", moved)
    git(history_project, "commit", "-q", "-m", "A: copied", when="2024-09-10T09:00:00+08:00")
    git(history_project, "rm", "-q", A)
    git(history_project, "commit", "-q", "-m", "A: old file removed", when="2024-09-11T09:00:00+08:00")
    history = replaygit(history_project)
    assert A_INDEX not in history.withdrawn() and A_INDEX in history.faces
    assert history.paths[moved] == A_INDEX and A not in history.paths
    assert B_INDEX in history.withdrawn()  # removed with no other file holding it
    # Then removed from the last file holding it: withdrawn.
    git(history_project, "rm", "-q", moved)
    git(history_project, "commit", "-q", "-m", "A: withdrawn", when="2024-09-12T09:00:00+08:00")
    assert replaygit(history_project).withdrawn()[A_INDEX].day.isoformat() == "2024-09-12"


def test_the_replay_reads_the_files_a_chunk_at_a_time_with_the_same_result(history_project, monkeypatch):
    from generator.records import history as module

    whole = module.replaygit(history_project)
    monkeypatch.setattr(module, "BLOB_CHUNK", 2)
    chunked = module.replaygit(history_project)
    assert len(whole.paths) > 2 * module.BLOB_CHUNK
    assert (chunked.events, chunked.faces, chunked.paths) == (whole.events, whole.faces, whole.paths)
    assert whole.events and whole.withdrawn()


def test_a_repository_missing_a_file_gives_no_history_rather_than_a_wrong_one(history_project):
    """A blob gone from the object store (a damaged or partial clone) would read as a withdrawal."""
    from generator.records.history import replaygit

    blob = subprocess.run(
        ["git", "-C", str(history_project), "rev-parse", f"HEAD:{A}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (history_project / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    assert replaygit(history_project) is None


def test_files_the_replay_has_read_are_not_parsed_again_and_the_history_is_the_same(
    history_project, monkeypatch
):
    """Without a cache (a clean build), the replay reads every committed file: the files as they
    are now whose bytes a commit holds take their faces from it; only D, edited since, is read."""
    from generator.checks.validate import validate_project
    from generator.records import history as module

    project, _ = validate_project(history_project)
    loaded: list[bytes] = []
    load = module._load
    monkeypatch.setattr(module, "_load", lambda text: loaded.append(text) or load(text))
    replayed: module.Faces = {}
    module.replaygit(history_project, None, replayed)
    from_replay = len(loaded)
    faces = module.current_faces(project, use_cache=False, replayed=replayed)
    current = loaded[from_replay:]
    assert len(current) == 1 and "第二条 本办法（修订）" in current[0].decode("utf-8")
    assert faces == module.current_faces(project, use_cache=False)  # every file read
