"""The synthetic catalogue is valid and deterministic."""

from __future__ import annotations

import hashlib
import shutil

from generator.checks.validate import validate_project
from generator.devtools.synth import write_synthetic_project


def digest(root) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def test_synthetic_project_is_valid(tmp_path):
    root = write_synthetic_project(tmp_path / "p", entries=300, agencies=3)
    project, report = validate_project(root, jobs=1)
    assert report.diagnostics == []
    assert len(project.entries) == 300


def test_same_seed_same_bytes(tmp_path):
    a = write_synthetic_project(tmp_path / "a", entries=200, agencies=2, seed=7)
    b = write_synthetic_project(tmp_path / "b", entries=200, agencies=2, seed=7)
    c = write_synthetic_project(tmp_path / "c", entries=200, agencies=2, seed=8)
    assert digest(a) == digest(b) != digest(c)


def test_parallel_and_serial_validation_agree(tmp_path, monkeypatch):
    from generator.records import load as loader

    root = write_synthetic_project(tmp_path / "p", entries=120, agencies=2)
    (root / "catalog/jg000/entries/2020/00001.yaml").write_text("title: [\n", encoding="utf-8")
    monkeypatch.setattr(loader, "PARALLEL_THRESHOLD", 10)
    monkeypatch.setattr(loader, "CHUNK_SIZE", 25)
    serial_project, serial = validate_project(root, jobs=1)
    shutil.rmtree(root / ".gongkai-cache")  # parse everything again, in workers this time
    parallel_project, parallel = validate_project(root, jobs=2)
    assert serial.diagnostics == parallel.diagnostics != []
    assert [r.path for r in serial_project.entries] == [r.path for r in parallel_project.entries]
