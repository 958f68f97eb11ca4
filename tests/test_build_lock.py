"""One build of a project at a time: a second build waits for the first, or with --no-wait stops
with a message; a lock left by a killed build is no obstacle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from generator.cache import CACHE_DIRNAME
from generator.publish.lock import LOCK_NAME
from tests.conftest import REPO, run
from tests.test_build import small_project
from tests.test_portal import tree_digest

HOLD = """
import sys
from pathlib import Path
from generator.publish.lock import acquire
acquire(Path(sys.argv[1]))
print("held", flush=True)
sys.stdin.read()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}


def _hold(root: Path) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert holder.stdout.readline() == "held\n"
    return holder


def _gongkai(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )


def test_no_wait_stops_while_another_build_holds_the_lock(project):
    root = small_project(project)
    holder = _hold(root)
    try:
        result = run("build", "--no-wait", str(root))
        assert result.exit_code == 1
        assert result.stderr == (
            f"error: 另一个构建（进程 {holder.pid}）正在生成这个项目的网站：请等它结束后再运行，"
            "或去掉 --no-wait，让这次构建排队等待\n"
        )
        assert not (root / "site").exists()
    finally:
        holder.stdin.close()
        holder.wait()
    assert run("build", "--no-wait", str(root)).exit_code == 0


def test_a_second_build_waits_for_the_first(project):
    root = small_project(project)
    holder = _hold(root)
    waiting = _gongkai("build", str(root))
    try:
        time.sleep(3)
        assert waiting.poll() is None  # still waiting
        assert not (root / "site").exists()
    finally:
        holder.stdin.close()
        holder.wait()
    _, err = waiting.communicate(timeout=300)
    assert waiting.returncode == 0, err
    assert f"另一个构建（进程 {holder.pid}）正在生成这个项目的网站，等它结束后开始……" in err
    assert (root / "site" / "index.html").is_file()


def test_mkdocs_build_takes_the_same_lock(project):
    root = small_project(project)
    holder = _hold(root)
    engine = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        cwd=root,
    )
    try:
        time.sleep(3)
        assert engine.poll() is None
    finally:
        holder.stdin.close()
        holder.wait()
    _, err = engine.communicate(timeout=300)
    assert engine.returncode == 0, err
    assert (root / "site" / "index.html").is_file()


def test_two_builds_at_once_both_finish_and_give_one_whole_site(tmp_path, project):
    root = small_project(project)
    builds = [_gongkai("build", str(root)) for _ in range(2)]
    outputs = [b.communicate(timeout=300) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []
    clean = tmp_path / "clean"
    subprocess.run(["cp", "-a", str(root), str(clean)], check=True)
    subprocess.run(["rm", "-rf", str(clean / "site"), str(clean / CACHE_DIRNAME)], check=True)
    assert run("build", str(clean)).exit_code == 0
    assert tree_digest(root / "site") == tree_digest(clean / "site")


def test_a_lock_left_by_a_killed_build_is_no_obstacle(project):
    root = small_project(project)
    build = _gongkai("build", "--clean", str(root))
    lock_file = root / CACHE_DIRNAME / LOCK_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if lock_file.exists() and lock_file.read_text().strip() == str(build.pid):
            break
        time.sleep(0.01)
    else:
        raise AssertionError("the build never took the lock")
    time.sleep(0.5)  # well into the build
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert lock_file.exists()  # the file stays; the kernel released the lock with the process
    result = run("build", "--no-wait", str(root))
    assert result.exit_code == 0, result.stderr
    assert (root / "site" / "index.html").is_file()
