"""Which files git vouches for (``generator.records.gitfiles``): only a regular, tracked file whose
bytes git has checked against its index entry, and nothing outside a repository."""

from __future__ import annotations

import os
from pathlib import Path

from generator.records.gitfiles import GitFiles, blob_id
from tests.test_history import git


def repository(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "records")
    return root


def test_a_committed_file_is_vouched_for_with_the_blob_id_of_its_bytes(tmp_path):
    root = repository(tmp_path, {"catalog/a/1.yaml": "title: 一\n".encode()})
    tracked = GitFiles(root, "catalog")
    assert tracked.hash_name == "sha1"
    blob = blob_id("sha1", "title: 一\n".encode())
    assert tracked.vouches("catalog/a/1.yaml", blob)
    assert not tracked.vouches("catalog/a/1.yaml", blob_id("sha1", b"title: other\n"))
    assert not tracked.vouches("catalog/a/1.yaml", "")


def test_files_git_cannot_vouch_for_are_left_out(tmp_path):
    root = repository(
        tmp_path,
        {
            f"catalog/a/{name}.yaml": name.encode()
            for name in ("edited", "staged", "assumed", "skipped", "same")
        },
    )
    (root / "catalog/a/edited.yaml").write_bytes(b"edited, not staged")
    (root / "catalog/a/staged.yaml").write_bytes(b"staged anew")
    git(root, "add", "catalog/a/staged.yaml")
    git(root, "update-index", "--assume-unchanged", "catalog/a/assumed.yaml")
    (root / "catalog/a/assumed.yaml").write_bytes(b"changed behind git's back")
    git(root, "update-index", "--skip-worktree", "catalog/a/skipped.yaml")
    (root / "catalog/a/untracked.yaml").write_bytes(b"new")
    os.symlink("same.yaml", root / "catalog/a/link.yaml")
    git(root, "add", "catalog/a/link.yaml")
    # Rewritten with the same bytes and an older time: git compares the bytes and still vouches.
    (root / "catalog/a/same.yaml").write_bytes(b"same")
    os.utime(root / "catalog/a/same.yaml", (0, 0))
    tracked = GitFiles(root, "catalog")
    # A staged file's worktree bytes are its index blob's: vouched for, with the new bytes only.
    assert sorted(tracked.blobs) == ["catalog/a/same.yaml", "catalog/a/staged.yaml"]
    assert tracked.vouches("catalog/a/staged.yaml", blob_id("sha1", b"staged anew"))
    assert not tracked.vouches("catalog/a/staged.yaml", blob_id("sha1", b"staged"))


def test_a_project_in_a_subfolder_of_its_repository_names_files_from_its_own_root(tmp_path):
    repository(tmp_path, {"portals/city/catalog/a/1.yaml": b"one", "catalog/a/1.yaml": b"root's"})
    tracked = GitFiles(tmp_path / "portals" / "city", "catalog")
    assert tracked.blobs == {"catalog/a/1.yaml": blob_id("sha1", b"one")}


def test_outside_git_nothing_is_vouched_for(tmp_path, monkeypatch):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "1.yaml").write_bytes(b"one")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    tracked = GitFiles(tmp_path, "catalog")
    assert tracked.blobs == {} and tracked.hash_name == ""
    assert blob_id("", b"one") == ""
