"""Shared test helpers: throwaway projects copied from a small base, and the real CLI.

The suite runs in two pytest-xdist worker processes (pyproject.toml: ``-n 2``), each with its own
temporary folders, session fixtures (the built sample, the browser) and servers on ports the system
picks. A test writes only below its temporary folders, or to a file of its own under build/
(screenshots, the search report). Tests are handed to the workers one at a time, except the files
of ONE_WORKER (see pytest_xdist_make_scheduler).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.browser import CHROMIUM, FLAGS

# The progress display prints only where someone reads it; the tests that check it ask for it.
os.environ["GONGKAI_PROGRESS"] = "off"

# Files whose tests run on one worker, in file order: one group (name) per line.
ONE_WORKER = {
    "test_serve.py": "serve",  # one running preview, which the tests edit in turn
    "test_mirror.py": "mirror",  # one server and one wget mirror for all the tests
    "test_search_broad.py": "search-broad",  # one synthetic site, built once
    "test_federation.py": "federation",  # three synthetic member sites, built once
    "test_wheel.py": "wheel",  # one wheel, built once; building it writes the repository's build/
    # These validate the repository itself, which writes its .gongkai-cache/.
    "test_sample.py": "repository",
    "test_channels.py": "repository",
}


def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's load scheduling, with the files of ONE_WORKER each kept on one worker.
    (xdist's own ``--dist loadgroup`` does not group under pytest 9: xdist 3.8 names the group in
    an item attribute that pytest 9 no longer reads.)"""
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = ONE_WORKER.get(nodeid.split("::", 1)[0].rsplit("/", 1)[-1])
            return group or nodeid

    return Scheduling(config, log)


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


PORTAL_EXTRAS = {
    "catalog/alpha/entries/2023/00005.yaml": """index_no: 11449950MB2C93010F/2023-00005
title: 测试市城市道路临时占用管理办法
summary: 规范城市道路临时占用的审批和管理。
date: 2023-03-01
disclosure: 主动公开
published: 2023-03-03
doc_no: 测府规〔2023〕1号
category: 行政规范性文件
genre: 办法
validity: 已废止
effective: 2023-04-01
repealed: 2024-06-01
body: |
  第一条 为加强城市道路管理，制定本办法。
""",
    "catalog/alpha/entries/2024/00015.yaml": """index_no: 11449950MB2C93010F/2024-00015
title: 测试市城市道路占用挖掘管理办法
summary: 统一城市道路占用和挖掘的管理，替代原临时占用管理办法。
date: 2024-04-08
disclosure: 主动公开
published: 2024-04-10
doc_no: 测府规〔2024〕1号
category: 行政规范性文件
genre: 办法
validity: 有效
effective: 2024-06-01
related:
  - {index_no: 11449950MB2C93010F/2023-00005, relation: 替代}
body: |
  第一条 为加强城市道路占用和挖掘管理，制定本办法。

  第二条 本办法自2024年6月1日起施行。
""",
    "catalog/alpha/entries/2024/00014.yaml": """index_no: 11449950MB2C93010F/2024-00014
title: 《测试市城市道路占用挖掘管理办法》政策解读
summary: 解读城市道路占用挖掘管理办法的主要内容。
date: 2024-04-08
disclosure: 主动公开
published: 2024-04-10
category: 政策解读
genre: 解读
related:
  - {index_no: 11449950MB2C93010F/2024-00015, relation: 解读}
""",
    "catalog/beta/entries/2024/0000003.yaml": """index_no: 007482532-05-2024-0000003
title: 关于东湖区某建设项目用地预审意见的函
summary: 对某建设项目用地预审申请提出意见。
date: 2024-06-03
disclosure: 依申请公开
doc_no: 东府函〔2024〕9号
category: 行政许可
genre: 函
attachments:
  - {file: 2024/yushen.pdf, title: 预审意见}
body: |
  依申请公开的正文不得发布：项目用地预审意见涉及第三方商业信息。
""",
    "catalog/beta/files/2024/yushen.pdf": b"%PDF-1.4\n% on-request attachment\n",
}


@pytest.fixture
def portal(project: Path) -> Path:
    """The base project plus a repealed document, its replacement and an on-request entry."""
    return write(project, PORTAL_EXTRAS)


# -- the sample portal in a real browser -----------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A tab closed while a file it asked for is on its way: the browser went away, the site did
        # not fail (printed outside any test's captured output, from the server's thread).
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@pytest.fixture
def year_shards(monkeypatch) -> None:
    """Search shards of a hundred pages at most, so that the sample's index is a shard per year, as
    a large portal's is (the sample's 440 entries are one shard by default)."""
    from generator.search import sharding

    monkeypatch.setattr(sharding, "SHARD_PAGES", 100)


def copy_sample(parent: Path) -> Path:
    """A copy of the shipped sample project (records, pages, theme, configuration) in ``parent``."""
    root = parent / "sample"
    for name in ("catalog", "content", "theme"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory) -> Path:
    """A copy of the shipped sample project, built once for the whole run."""
    root = copy_sample(tmp_path_factory.mktemp("sample-build"))
    result = run("build", str(root))
    assert result.exit_code == 0, result.output
    return root


def serve_dir(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """``site`` on a local web server in a thread: the server (to shut down) and its root URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def served(built_sample):
    """The built sample portal on a local web server; yields its root URL."""
    server, url = serve_dir(built_sample / "site")
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
