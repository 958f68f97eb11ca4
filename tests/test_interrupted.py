"""A build killed at any step of putting its site in place (the swap of a full build, the journalled
commit of an incremental one, the record of what it built) leaves a site in place, and the next
build completes: its site equals a clean build of the same records byte for byte.

Each build runs in a subprocess whose filesystem steps are counted from the moment the swap or the
commit starts; the process kills itself (SIGKILL: nothing runs after it) at the chosen step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.publish import integrity
from tests.conftest import BASE, REPO, write
from tests.test_build import MKDOCS_YML

# Counts every step that changes the filesystem once the swap or the commit has begun, and kills
# the process at step KILL_AT (0: never); prints the number of steps at the end.
BUILD = r"""
import os, shutil, signal, sys
from pathlib import Path
from generator.publish import staging
from generator.commands.build import build_site

kill_at = int(sys.argv[2])
steps = 0
armed = False

def step():
    global steps
    if armed:
        steps += 1
        if steps == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

def counted(owner, name):
    real = getattr(owner, name)
    def wrapper(*args, **kwargs):
        step()
        result = real(*args, **kwargs)
        step()
        return result
    setattr(owner, name, wrapper)

def arming(name):
    real = getattr(staging, name)
    def wrapper(*args, **kwargs):
        global armed
        armed = True
        return real(*args, **kwargs)
    setattr(staging, name, wrapper)

for owner, name in [(os, "replace"), (os, "rename"), (os, "unlink"), (os, "rmdir"), (shutil, "rmtree"),
                    (Path, "rename"), (Path, "unlink"), (Path, "rmdir"), (Path, "write_text"),
                    (Path, "write_bytes"), (staging, "exchange")]:
    counted(owner, name)
arming("swap_into_place")
arming("commit")
build_site(Path(sys.argv[1]), clean=sys.argv[3] == "clean")
print(steps)
"""


def _build(root: Path, kill_at: int = 0, *, clean: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-c", BUILD, str(root), str(kill_at), "clean" if clean else "incremental"]
    return subprocess.run(args, capture_output=True, text=True, env=env, check=False)


def _snapshot(site: Path) -> dict[str, bytes]:
    return {rel: (site / rel).read_bytes() for rel in integrity.site_files(site)}


def _edit(root: Path) -> None:
    entry = root / "catalog" / "alpha" / "entries" / "2024" / "00016.yaml"
    entry.write_text(
        entry.read_text(encoding="utf-8").replace("请认真贯彻落实。", "请结合实际认真贯彻落实。"),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A built portal, and the clean builds of its records before and after one edit."""
    root = tmp_path_factory.mktemp("interrupted") / "portal"
    shutil.copytree(BASE, root)
    write(root, {"mkdocs.yml": MKDOCS_YML, "content/about.md": "# 关于\n"})
    assert _build(root, clean=True).returncode == 0
    before = _snapshot(root / "site")
    edited = root.parent / "edited"
    shutil.copytree(root, edited)
    _edit(edited)
    assert _build(edited, clean=True).returncode == 0
    return root, before, _snapshot(edited / "site")


def _kill_points(total: int) -> list[int]:
    """Every step of a short sequence; of a long one, its first and last steps and its middle."""
    if total <= 24:
        return list(range(1, total + 1))
    return sorted({*range(1, 7), total // 2, *range(total - 5, total + 1)})


@pytest.mark.parametrize("kind", ["swap", "commit"])
def test_a_build_killed_at_any_step_leaves_a_site_and_the_next_build_completes(expected, tmp_path, kind):
    built, before, after = expected
    root = tmp_path / "portal"
    shutil.copytree(built, root)
    _edit(root)
    # A full build (--clean) swaps the whole new site in; an incremental one commits what changed.
    clean = kind == "swap"
    dry = tmp_path / "dry"
    shutil.copytree(root, dry)
    run = _build(dry, clean=clean)
    assert run.returncode == 0, run.stderr
    total = int(run.stdout.split()[-1])
    assert total >= 4
    for kill_at in _kill_points(total):
        trial = tmp_path / f"trial-{kill_at}"
        shutil.copytree(root, trial)
        killed = _build(trial, kill_at, clean=clean)
        assert killed.returncode == -9, (kill_at, killed.stdout, killed.stderr)
        site = trial / "site"
        assert (site / "index.html").is_file(), f"no site after a kill at step {kill_at} of {total}"
        if kind == "swap":  # the old site or the new one, whole
            assert _snapshot(site) in (before, after), f"a mixed site after a kill at step {kill_at}"
        finished = _build(trial)
        assert finished.returncode == 0, (kill_at, finished.stderr)
        assert _snapshot(site) == after, f"the build after a kill at step {kill_at} of {total} differs"
        shutil.rmtree(trial)
