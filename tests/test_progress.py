"""The progress display: one line rewritten in place on a terminal, a plain line per stage in CI
logs, nothing where nobody reads it."""

from __future__ import annotations

import io
import os
import pty
import sys
import time

from generator import progress
from tests.conftest import run, write
from tests.test_build import small_project

LIVE_CLEAR = "\r\x1b[K"


def test_a_stage_shows_count_rate_and_time_left():
    stage = progress.Stage("生成页面", 13_762, "页", started=time.monotonic() - 10)
    stage.done = 7_100
    line = stage.line(stage.started + 10)
    assert line == "生成页面 7,100/13,762 页，710 页/秒，约剩 9.4 秒（10 秒）"
    stage.done = 13_762
    assert stage.line(stage.started + 125) == "生成页面 13,762/13,762 页，110 页/秒（2 分 05 秒）"


def test_plain_mode_prints_a_line_when_a_long_stage_ends_and_live_mode_rewrites_one():
    out = io.StringIO()
    reporter = progress.Progress("plain", out)
    with reporter.stage("搜索索引") as stage:
        stage.started -= 3  # as if it had run 3 s
    with reporter.stage("上线"):
        pass  # too short to mention
    assert out.getvalue() == "搜索索引（3.0 秒）\n"

    out = io.StringIO()
    reporter = progress.Progress("live", out)
    with reporter.stage("生成页面", 2, "页") as stage:
        reporter.advance(stage)
    reporter.clear()
    text = out.getvalue()
    assert text.startswith(LIVE_CLEAR + "生成页面 0/2 页（")
    assert text.endswith(LIVE_CLEAR)
    assert "\n" not in text


def test_the_mode_follows_the_environment(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setenv("GONGKAI_PROGRESS", "auto")
    monkeypatch.delenv("CI", raising=False)
    assert progress.mode_for(io.StringIO()) == "off"
    assert progress.mode_for(Tty()) == "live"
    monkeypatch.setenv("CI", "true")
    assert progress.mode_for(io.StringIO()) == "plain"
    monkeypatch.setenv("GONGKAI_PROGRESS", "off")
    assert progress.mode_for(Tty()) == "off"


def test_a_build_in_ci_names_its_stages(project, monkeypatch):
    root = small_project(project)
    monkeypatch.setenv("GONGKAI_PROGRESS", "plain")
    monkeypatch.setattr(progress, "PLAIN_AFTER", 0)
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    labels = [line.split("（")[0].split(" ")[0] for line in result.stderr.splitlines()]
    for stage in ("检查记录", "安全检查", "生成页面", "搜索索引", "输出检查", "校验和", "整站存档", "上线"):
        assert stage in labels, result.stderr
    pages = next(line for line in result.stderr.splitlines() if line.startswith("生成页面"))
    assert pages.startswith("生成页面 ") and "页" in pages


def test_a_build_on_a_terminal_rewrites_one_line_and_clears_it(project):
    """A real pseudo-terminal: the command sees a terminal on stderr."""
    root = small_project(project)
    write(root, {"content/about.md": "# 关于\n"})
    env = {k: v for k, v in os.environ.items() if k != "GONGKAI_PROGRESS"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "generator", "build", str(root)], env)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert LIVE_CLEAR + "生成页面 " in text
    # The line is cleared before the command's own messages.
    assert text.rsplit(LIVE_CLEAR, 1)[1].startswith("提示：mkdocs.yml 没有设置 site_url")
    assert "已生成网站" in text.rsplit(LIVE_CLEAR, 1)[1]
