"""Reproducible builds: the same records give byte-identical output, wherever they are built."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_sample, run
from tests.test_build import small_project


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_clean_builds_in_different_directories_are_byte_identical(built_sample, tmp_path, monkeypatch):
    # A second copy of the sample, at another path and depth, built with the placeholder
    # SOURCE_DATE_EPOCH=0 that some tools set: the build's now stays that of the records.
    root = copy_sample(tmp_path / "elsewhere" / "deeper")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    first, second = _tree(built_sample / "site"), _tree(root / "site")
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
    assert len(first) > 1000  # the whole portal, search index and downloads included


def _other_locale() -> str:
    """A locale other than C.UTF-8 that this machine has: a UTF-8 one if any, else plain C."""
    listed = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    for wanted in ("zh_CN.utf8", "zh_CN.UTF-8", "en_US.utf8", "en_US.UTF-8"):
        if wanted in listed:
            return wanted
    utf8 = [
        name for name in listed if name.lower().endswith((".utf8", ".utf-8")) and not name.startswith("C.")
    ]
    return utf8[0] if utf8 else "C"


def _build_in_a_new_process(root: Path, *, hash_seed: str, tz: str, lang: str, ceiling: Path) -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LC_", "GIT_"))
        and name not in ("LANG", "LANGUAGE", "TZ", "SOURCE_DATE_EPOCH")
    }
    env.update(
        PYTHONHASHSEED=hash_seed,
        TZ=tz,
        LANG=lang,
        LC_ALL=lang,
        PYTHONPATH=str(REPO),  # the code under test, wherever the process starts
        GIT_CEILING_DIRECTORIES=str(ceiling),  # no repository above the copy: the build's now is the records'
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(root)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_builds_in_two_processes_with_other_hash_seeds_time_zones_and_locales_are_byte_identical(
    portal, tmp_path
):
    source = small_project(portal)
    first_root = tmp_path / "a" / "portal"
    second_root = tmp_path / "elsewhere" / "much" / "deeper" / "another-copy"
    for root in (first_root, second_root):
        shutil.copytree(source, root, symlinks=True)
    shanghai = "Asia/Shanghai" if Path("/usr/share/zoneinfo/Asia/Shanghai").is_file() else "CST-8"
    _build_in_a_new_process(first_root, hash_seed="1", tz="UTC", lang="C.UTF-8", ceiling=tmp_path)
    _build_in_a_new_process(second_root, hash_seed="2", tz=shanghai, lang=_other_locale(), ceiling=tmp_path)
    first, second = _tree(first_root / "site"), _tree(second_root / "site")
    assert first.keys() == second.keys(), f"in one site only: {sorted(first.keys() ^ second.keys())}"
    differing = sorted(name for name in first if first[name] != second[name])
    assert not differing, f"{len(differing)} of {len(first)} files differ: {differing}"
    assert len(first) > 100  # pages, search index, feeds and downloads
