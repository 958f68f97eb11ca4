"""Cache files someone else wrote run nothing: every cache file is authenticated before it is
unpickled, and one that fails is rebuilt."""

from __future__ import annotations

import pickle
import shutil

from generator import cache
from tests.conftest import run, write
from tests.test_build import small_project
from tests.test_portal import tree_digest


class _Payload:
    """Unpickling this runs ``code``: what a planted cache file would do."""

    def __init__(self, code: str):
        self.code = code

    def __reduce__(self):
        return (exec, (self.code,))


def _evil(marker) -> bytes:
    return pickle.dumps({"code": cache.code_fingerprint(), "value": _Payload(f"open({str(marker)!r}, 'w')")})


def _cache_files(root) -> list:
    folder = root / cache.CACHE_DIRNAME
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix not in (".json", ".lock") and p.name != ".gitignore"
    )


def test_a_planted_pickle_runs_nothing_and_the_build_is_correct(project, tmp_path):
    root = small_project(project)
    assert run("build", str(root)).exit_code == 0
    names = [p.name for p in _cache_files(root)]
    assert {"build", "entries-alpha", "gate-alpha"} <= set(names)
    marker = tmp_path / "ran"
    evil = _evil(marker)
    for i, name in enumerate(names):
        path = root / cache.CACHE_DIRNAME / name
        # Half as a bare pickle, half in the cache's own frame with a MAC made without the key.
        path.write_bytes(evil if i % 2 else cache.MAGIC + bytes(32) + evil)
    for old in ("entries-alpha.pickle", "build.pickle", "gate-alpha.pickle"):  # the former names
        (root / cache.CACHE_DIRNAME / old).write_bytes(evil)
    write(root, {"content/about.md": "# 关于本站\n\n修订。\n"})
    assert run("build", str(root)).exit_code == 0
    assert not marker.exists()
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("site", ".gongkai-cache", ".site*"))
    assert run("build", str(clean)).exit_code == 0
    assert tree_digest(root / "site") == tree_digest(clean / "site")


def test_a_cache_written_under_another_key_is_not_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.KEY_ENV, "another job's key")
    cache.secret_key.cache_clear()
    cache.save(tmp_path, "entries-alpha", {"catalog/alpha/entries/a.yaml": "clean"})
    assert cache.load(tmp_path, "entries-alpha") == {"catalog/alpha/entries/a.yaml": "clean"}
    monkeypatch.setenv(cache.KEY_ENV, "this job's key")
    cache.secret_key.cache_clear()
    try:
        assert cache.load(tmp_path, "entries-alpha") is None
    finally:
        monkeypatch.delenv(cache.KEY_ENV)
        cache.secret_key.cache_clear()


def test_a_cache_file_renamed_to_another_cache_is_not_loaded(tmp_path):
    cache.save(tmp_path, "gate-alpha", {"a": 1})
    folder = tmp_path / cache.CACHE_DIRNAME
    (folder / "gate-beta").write_bytes((folder / "gate-alpha").read_bytes())
    assert cache.load(tmp_path, "gate-alpha") == {"a": 1}
    assert cache.load(tmp_path, "gate-beta") is None


def test_the_key_is_made_once_per_user_outside_the_project(tmp_path, monkeypatch):
    monkeypatch.delenv(cache.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    cache.secret_key.cache_clear()
    try:
        first = cache.secret_key()
        key_file = tmp_path / "config" / "gongkai" / "cache-key"
        assert key_file.stat().st_mode & 0o777 == 0o600
        cache.secret_key.cache_clear()
        assert cache.secret_key() == first == bytes.fromhex(key_file.read_text().strip())
    finally:
        cache.secret_key.cache_clear()
