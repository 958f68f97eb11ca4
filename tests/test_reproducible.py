"""Reproducible builds: the same records give byte-identical output, wherever they are built."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import copy_sample, run


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
