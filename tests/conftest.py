"""Shared test helpers: throwaway projects copied from a small base, and the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

HERE = Path(__file__).parent
BASE = HERE / "corpus" / "base"
BROKEN = HERE / "corpus" / "broken"
REPO = HERE.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the small valid base project (two agencies, four entries)."""
    root = tmp_path / "project"
    shutil.copytree(BASE, root, symlinks=True)
    return root


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run(*args: str):
    """Run the gongkai CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
