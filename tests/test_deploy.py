"""``gongkai deploy``: only changed files go up, in an order readers never see half of, to a folder
and to a real S3-compatible server (moto's, in its own process: see tests/s3server.py)."""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
import yaml
from botocore.config import Config

from generator.publish import headers
from generator.publish.deploy import JOURNAL
from generator.publish.integrity import MANIFEST, SIGNATURE, parse_manifest
from generator.publish.targets import FolderTarget
from tests.conftest import BASE, REPO, run, write
from tests.s3server import moto_server, proxy
from tests.test_build import small_project

BUCKET = "portal"
PREFIX = "www"
EDITED = "catalog/alpha/entries/2024/00016.yaml"
REMOVED = "catalog/beta/entries/2024/0000001.yaml"
ADDED = "catalog/alpha/entries/2024/00018.yaml"


# -- two versions of a small site: built, then rebuilt incrementally after an edit, an addition
#    and a removal -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("deploy")
    project = root / "project"
    shutil.copytree(BASE, project, symlinks=True)
    small_project(project)
    assert run("build", str(project)).exit_code == 0
    first = root / "v1"
    shutil.copytree(project / "site", first)
    edited = (project / EDITED).read_text(encoding="utf-8")
    added = (project / "catalog/alpha/entries/2024/00017.yaml").read_text(encoding="utf-8")
    write(
        project,
        {
            EDITED: edited.replace("政务公开工作要点的通知", "政务公开工作要点的通知（修订）"),
            ADDED: added.replace("2024-00017", "2024-00018").replace("政策解读", "政策问答", 1),
        },
    )
    (project / REMOVED).unlink()
    assert run("build", str(project)).exit_code == 0
    second = root / "v2"
    shutil.copytree(project / "site", second)
    return first, second


def manifest(site: Path) -> dict[str, str]:
    return parse_manifest((site / MANIFEST).read_text(encoding="utf-8"))


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` (relative path -> SHA-256)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def changed_between(old: Path, new: Path) -> tuple[set[str], set[str]]:
    """The files a deploy of ``new`` over ``old`` must upload (with SHA256SUMS) and delete."""
    before, after = manifest(old), manifest(new)
    uploads = {path for path, digest in after.items() if before.get(path) != digest} | {MANIFEST}
    return uploads, set(before) - set(after)


def test_the_two_versions_differ_a_little(sites):
    uploads, deletions = changed_between(*sites)
    total = len(manifest(sites[1]))
    assert 10 < len(uploads) < total - 50  # assets, search shards, other pages unchanged
    assert "agencies/beta/catalog/category/yingji-guanli/index.html" in deletions
    assert any(path.endswith(".html") for path in uploads)
    assert any(path.startswith("pagefind/") for path in uploads)


# -- an S3-compatible server ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moto():
    with moto_server() as url:
        yield url


@pytest.fixture
def credentials(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def bucket(moto, credentials):
    """A fresh, empty bucket on the server (reached directly, not through the proxy)."""
    client = boto3.client("s3", endpoint_url=moto, config=Config(s3={"addressing_style": "path"}))
    client.create_bucket(Bucket=BUCKET)
    yield client
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def server(moto, bucket):
    with proxy(moto) as recording:
        yield recording


def deploy(site: Path, server, *args: str):
    return run("deploy", str(site), f"s3://{BUCKET}/{PREFIX}", "--endpoint-url", server.url, *args)


def bucket_tree(client) -> dict[str, str]:
    digests = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            body = client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            digests[item["Key"].removeprefix(f"{PREFIX}/")] = hashlib.sha256(body).hexdigest()
    assert all(not key.startswith("/") for key in digests)
    return digests


def written(server, method: str) -> list[str]:
    prefix = f"/{BUCKET}/{PREFIX}/"
    return [key.removeprefix(prefix) for verb, key in server.writes if verb == method]


def test_the_first_deploy_uploads_everything(sites, server, bucket):
    first, _ = sites
    result = deploy(first, server)
    assert result.exit_code == 0, result.output
    files = tree(first)
    assert sorted(written(server, "PUT")) == sorted(files)
    assert written(server, "DELETE") == []
    assert bucket_tree(bucket) == files
    size = sum((first / path).stat().st_size for path in files)
    assert result.stdout == (
        f"已部署到 s3://{BUCKET}/{PREFIX}：上传全部 {len(files)} 个文件（{size:,} 字节，{size / 2**20:.1f} MB；"
        f"目标中原来没有 SHA256SUMS），删除 0 个文件，0 个文件未变\n"
    )


def test_an_incremental_deploy_uploads_only_what_changed_and_deletes_what_went(sites, server, bucket):
    first, second = sites
    assert deploy(first, server).exit_code == 0
    server.writes.clear()
    result = deploy(second, server)
    assert result.exit_code == 0, result.output
    uploads, deletions = changed_between(first, second)
    assert sorted(written(server, "PUT")) == sorted([*uploads, JOURNAL])
    assert sorted(written(server, "DELETE")) == sorted([*deletions, JOURNAL])
    assert bucket_tree(bucket) == tree(second)
    unchanged = len(manifest(second)) - len(uploads) + 1
    assert result.stdout.endswith(f"删除 {len(deletions)} 个文件，{unchanged} 个文件未变\n")
    server.writes.clear()
    again = deploy(second, server)
    assert again.stdout == (
        f"已部署到 s3://{BUCKET}/{PREFIX}：目标已是最新，{len(manifest(second))} 个文件未变，没有上传或删除任何文件\n"
    )
    assert server.writes == []


_LINK = re.compile(r'(?:href|src)="([^"#?:]+)"')


def assert_ordered(sequence: list[tuple[str, str]], site: Path) -> None:
    """No page before a file it links to that this deploy also uploads; SHA256SUMS after every
    other upload; deletions after SHA256SUMS, the journal's removal last."""
    position = {path: n for n, (verb, path) in enumerate(sequence) if verb == "PUT"}
    pages = [path for path in position if path.endswith(".html")]
    assert pages
    for page in pages:
        text = (site / page).read_text(encoding="utf-8")
        for link in _LINK.findall(text):
            linked = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            # SHA256SUMS is linked from the data page, and goes last by design.
            if linked in position and not linked.endswith(".html") and linked != MANIFEST:
                assert position[linked] < position[page], (page, linked)
    assert max(
        n for path, n in position.items() if not path.endswith(".html") and path not in (MANIFEST, JOURNAL)
    ) < min(position[p] for p in pages)
    manifest_at = position[MANIFEST]
    assert manifest_at > max(n for path, n in position.items() if path != MANIFEST)
    deletions = [n for n, (verb, _) in enumerate(sequence) if verb == "DELETE"]
    assert all(n > manifest_at for n in deletions)
    if deletions:
        assert sequence[-1] == ("DELETE", JOURNAL)
        assert position[JOURNAL] < manifest_at


def test_uploads_come_in_order_assets_pages_manifest_deletions(sites, server, bucket):
    first, second = sites
    assert deploy(first, server).exit_code == 0
    sequence = [(v, k.removeprefix(f"/{BUCKET}/{PREFIX}/")) for v, k in server.writes]
    assert_ordered(sequence, first)
    server.writes.clear()
    assert deploy(second, server).exit_code == 0
    sequence = [(v, k.removeprefix(f"/{BUCKET}/{PREFIX}/")) for v, k in server.writes]
    assert_ordered(sequence, second)
    assert any(verb == "DELETE" for verb, _ in sequence)


def test_objects_carry_their_content_type_and_cache_control(sites, server, bucket):
    first, _ = sites
    assert deploy(first, server).exit_code == 0
    css = next(
        p for p in manifest(first) if re.fullmatch(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css", p)
    )
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, no-cache"),
        css: ("text/css; charset=utf-8", headers.IMMUTABLE),
        "files/alpha/2024/yaodian.pdf": ("application/pdf", "public, no-cache"),
        "data/catalog.csv": ("text/csv; charset=utf-8", "public, no-cache"),
        MANIFEST: ("text/plain; charset=utf-8", "public, no-cache"),
    }
    for path, (kind, cache) in expected.items():
        head = bucket.head_object(Bucket=BUCKET, Key=f"{PREFIX}/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), path


def after(count: int, method: str):
    """A ``fail_when`` that lets ``count`` requests of ``method`` through, then fails."""
    seen = []

    def fail(verb: str, key: str) -> bool:
        if verb == method:
            seen.append(key)
        return len(seen) > count

    return fail


def test_a_deploy_cut_short_keeps_the_old_manifest_and_the_next_one_finishes(sites, server, bucket):
    first, second = sites
    assert deploy(first, server).exit_code == 0
    old = (first / MANIFEST).read_bytes()
    server.fail_when = after(5, "PUT")
    result = deploy(second, server, "--jobs", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: s3://{BUCKET}/{PREFIX}: 存储服务返回错误 ServiceUnavailable：the test stopped the service\n"
    )
    live = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{MANIFEST}")["Body"].read()
    assert live == old
    assert bucket_tree(bucket) != tree(second)
    server.heal()
    assert deploy(second, server).exit_code == 0
    assert bucket_tree(bucket) == tree(second)


def test_deletions_cut_short_are_finished_by_the_next_deploy(sites, server, bucket):
    first, second = sites
    assert deploy(first, server).exit_code == 0
    server.fail_when = lambda verb, key: verb == "DELETE"
    assert deploy(second, server).exit_code == 1
    live = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{MANIFEST}")["Body"].read()
    assert live == (second / MANIFEST).read_bytes()
    _, deletions = changed_between(first, second)
    journal = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{JOURNAL}")["Body"].read().decode()
    assert journal.splitlines() == sorted(deletions)
    server.heal()
    server.writes.clear()
    result = deploy(second, server)
    assert result.exit_code == 0
    assert sorted(written(server, "DELETE")) == sorted([*deletions, JOURNAL])
    assert written(server, "PUT") == [JOURNAL]
    assert bucket_tree(bucket) == tree(second)


def test_a_dry_run_changes_nothing_and_says_what_it_would_do(sites, server, bucket):
    first, second = sites
    assert deploy(first, server).exit_code == 0
    server.writes.clear()
    result = deploy(second, server, "--dry-run")
    assert result.exit_code == 0
    assert server.writes == []
    assert bucket_tree(bucket) == tree(first)
    uploads, deletions = changed_between(first, second)
    size = sum((second / path).stat().st_size for path in uploads)
    lines = result.stdout.splitlines()
    assert lines[-1].startswith(f"将上传 {len(uploads)} 个文件（{size:,} 字节，")
    assert lines[-1].endswith(
        f"删除 {len(deletions)} 个文件，{len(manifest(second)) - len(uploads) + 1} 个文件未变（试运行，未做任何改动）"
    )
    assert f"删除旧文件：{len(deletions)} 个文件" in lines
    assert "  删除 agencies/beta/catalog/category/yingji-guanli/index.html" in lines


# -- what stops a deploy before it starts ------------------------------------------------------------


def test_missing_credentials_are_one_line(sites, moto, monkeypatch, tmp_path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = run("deploy", str(sites[0]), "s3://portal", "--endpoint-url", moto)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: s3://portal: 找不到 S3 访问凭据：请设置环境变量 AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY，"
        "或用 --profile 指定 ~/.aws/credentials 中的配置\n"
    )


def test_a_bucket_that_does_not_exist(sites, moto, credentials):
    result = run("deploy", str(sites[0]), "s3://nope/www", "--endpoint-url", moto)
    assert (result.exit_code, result.stderr) == (1, "error: s3://nope/www: 存储桶 nope 不存在\n")


def test_a_server_that_does_not_answer(sites, credentials):
    from tests.s3server import free_port

    endpoint = f"http://127.0.0.1:{free_port()}"
    result = run("deploy", str(sites[0]), "s3://portal", "--endpoint-url", endpoint)
    assert (result.exit_code, result.stderr) == (
        1,
        f"error: s3://portal: 无法连接存储服务 {endpoint}\n",
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("s3://", "s3://: 缺少存储桶名称：应形如 s3://存储桶/前缀"),
        (
            "deploy@example.org:/srv/www/",
            "deploy@example.org:/srv/www/: 不支持的部署目标：请写本机目录或 s3://存储桶/前缀；"
            "远程服务器请用 gongkai deploy --plan 生成的文件列表配合 rsync（见 docs/zh/publishing.md）",
        ),
    ],
)
def test_a_target_it_cannot_use_is_a_usage_error(sites, credentials, target, message):
    result = run("deploy", str(sites[0]), target)
    assert (result.exit_code, result.stderr) == (2, f"error: {message}\n")


def test_a_site_that_fails_verify_is_not_deployed(sites, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(sites[0], site)
    with (site / "index.html").open("a", encoding="utf-8") as page:
        page.write("<!-- changed -->")
    target = tmp_path / "live"
    result = run("deploy", str(site), str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {site}: 网站与其 SHA256SUMS 不符，不能部署（0 个文件缺少，1 个被改动，0 个不在清单中，"
        f"存档有 0 处与网站不符）：运行 gongkai verify {site} 查看详情，再重新生成网站\n"
    )
    assert not target.exists()


def test_a_site_that_is_not_there_or_has_no_manifest(tmp_path):
    result = run("deploy", str(tmp_path / "nope"), str(tmp_path / "live"))
    assert (result.exit_code, result.stderr) == (2, f"error: 目录不存在：{tmp_path / 'nope'}\n")
    write(tmp_path, {"site/index.html": "<p>x</p>"})
    result = run("deploy", str(tmp_path / "site"), str(tmp_path / "live"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {tmp_path / 'site'} 中没有 SHA256SUMS：这不是 Gongkai 生成的网站，或者复制时漏掉了它\n"
    )


# -- a folder ----------------------------------------------------------------------------------------


class RecordingFolder(FolderTarget):
    """The folder target, noting each write and deletion in order."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.sequence: list[tuple[str, str]] = []

    def put(self, path, source):
        super().put(path, source)
        self.sequence.append(("PUT", path))

    def put_bytes(self, path, data):
        super().put_bytes(path, data)
        self.sequence.append(("PUT", path))

    def delete(self, path):
        super().delete(path)
        self.sequence.append(("DELETE", path))


def deploy_to_folder(site: Path, target: FolderTarget) -> None:
    from generator.publish.deploy import plan_deploy, read_live, run_deploy

    run_deploy(site, plan_deploy(site, manifest(site), read_live(target)), target, jobs=4)


def test_a_folder_gets_the_site_then_only_the_changes_in_order(sites, tmp_path):
    first, second = sites
    live = tmp_path / "live"
    assert run("deploy", str(first), str(live)).exit_code == 0
    assert tree(live) == tree(first)
    target = RecordingFolder(live)
    deploy_to_folder(second, target)
    assert tree(live) == tree(second)
    uploads, deletions = changed_between(first, second)
    assert sorted(p for v, p in target.sequence if v == "PUT") == sorted([*uploads, JOURNAL])
    assert sorted(p for v, p in target.sequence if v == "DELETE") == sorted([*deletions, JOURNAL])
    assert_ordered(target.sequence, second)
    assert not (live / "agencies/beta/catalog/category/yingji-guanli").exists()  # emptied folders go
    assert run("verify", str(live)).exit_code == 0


def test_the_signature_follows_its_manifest_and_goes_with_it(sites, tmp_path):
    first, second = sites
    signed = tmp_path / "signed"
    shutil.copytree(first, signed)
    key = tmp_path / "agency_key"
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "agency", "-f", str(key)], check=True
    )
    assert run("sign", str(signed), "--key", str(key)).exit_code == 0
    live = tmp_path / "live"
    target = RecordingFolder(live)
    deploy_to_folder(signed, target)
    assert target.sequence[-2:] == [("PUT", MANIFEST), ("PUT", SIGNATURE)]
    assert run("verify", str(live), "--public-key", str(key.with_suffix(".pub"))).exit_code == 0
    target.sequence.clear()
    deploy_to_folder(second, target)  # not signed: the old signature would contradict the new manifest
    assert not (live / SIGNATURE).exists()
    assert ("DELETE", SIGNATURE) in target.sequence
    assert tree(live) == tree(second)


def test_a_folder_deploy_cut_short_keeps_the_old_manifest(sites, tmp_path):
    first, second = sites
    live = tmp_path / "live"
    assert run("deploy", str(first), str(live)).exit_code == 0
    # A real fault half-way: a folder where a changed page must go, so the page cannot be written.
    uploads, _ = changed_between(first, second)
    page = sorted(p for p in uploads if p.endswith(".html"))[-1]
    (live / page).unlink()
    (live / page).mkdir()
    result = run("deploy", str(second), str(live))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: 这是一个目录，不是文件（EISDIR），访问 ")
    assert (live / MANIFEST).read_bytes() == (first / MANIFEST).read_bytes()
    assert not [p for p in live.rglob(".*gongkai-*")]  # no temporary file left behind
    (live / page).rmdir()
    assert run("deploy", str(second), str(live)).exit_code == 0
    assert tree(live) == tree(second)


def test_a_target_manifest_naming_a_file_outside_the_target_stops_the_deploy(sites, tmp_path):
    first, _ = sites
    outside = write(tmp_path, {"outside.txt": "keep"}) / "outside.txt"
    live = tmp_path / "live"
    digest = "0" * 64
    write(live, {MANIFEST: f"{digest}  ../outside.txt\n"})
    result = run("deploy", str(first), str(live))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {live}: 目标中的 SHA256SUMS 或 .gongkai-deploy-deletions 无法使用"
        "（路径 '../outside.txt' 会超出部署目标）：删除它后再部署，将上传全部文件\n"
    )
    assert outside.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in live.iterdir()) == [MANIFEST]


def test_the_plan_lists_each_phase_for_rsync(sites, tmp_path):
    first, second = sites
    live = tmp_path / "live"
    live.mkdir()
    shutil.copy(first / MANIFEST, live / MANIFEST)  # all rsync needs to fetch from the server
    plan = tmp_path / "plan"
    result = run("deploy", str(second), str(live), "--plan", str(plan))
    assert result.exit_code == 0
    assert sorted(p.name for p in live.iterdir()) == [MANIFEST]
    lists = {p.name: p.read_text(encoding="utf-8").splitlines() for p in plan.iterdir()}
    uploads, deletions = changed_between(first, second)
    assert sorted(lists) == [
        "1-fingerprinted.txt",
        "2-assets.txt",
        "3-pages.txt",
        "4-manifest.txt",
        "5-delete.txt",
    ]
    assert lists["4-manifest.txt"] == [MANIFEST]
    assert lists["5-delete.txt"] == sorted(deletions)
    assert all(p.endswith(".html") for p in lists["3-pages.txt"])
    assert sorted(
        lists["1-fingerprinted.txt"] + lists["2-assets.txt"] + lists["3-pages.txt"] + [MANIFEST]
    ) == sorted(uploads)


# The recipe of docs/zh/publishing.md (section 九), with a local folder standing for the server.
RSYNC_RECIPE = r"""
set -eu
mkdir -p live-manifest
rsync --times "$SERVER/SHA256SUMS" "$SERVER/SHA256SUMS.sig" live-manifest/ 2>/dev/null || true
gongkai deploy site live-manifest --plan plan
for list in 1-fingerprinted 2-assets 3-pages 4-manifest; do
  rsync --times --ignore-times --delay-updates --files-from="plan/$list.txt" site/ "$SERVER/"
done
(cd "$SERVER" && xargs -r -d '\n' rm -f -- < "$OLDPWD/plan/5-delete.txt")
"""


def test_the_rsync_recipe_brings_a_server_up_to_date(sites, tmp_path):
    first, second = sites
    server = tmp_path / "server"
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "SERVER": str(server),
        "GONGKAI_PROGRESS": "off",
    }
    for version in (first, second):
        shutil.rmtree(tmp_path / "site", ignore_errors=True)
        shutil.rmtree(tmp_path / "live-manifest", ignore_errors=True)
        shutil.copytree(version, tmp_path / "site")
        server.mkdir(exist_ok=True)
        done = subprocess.run(
            ["bash", "-c", RSYNC_RECIPE], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert tree(server) == tree(version)


def _workflow_rsync_scripts() -> dict[str, str]:
    """The shell of the CI files' rsync jobs: GitHub's step, GitLab's job script (its helper
    function first)."""
    github = yaml.safe_load((REPO / ".github" / "workflows" / "gongkai.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((REPO / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    step = next(step for step in github["jobs"]["rsync"]["steps"] if "rsync " in step.get("run", ""))
    script = [line for line in gitlab["rsync"]["script"] if "secret_file()" in line or "rsync " in line]
    return {"github": step["run"], "gitlab": "\n".join(script)}


@pytest.mark.parametrize("ci", ["github", "gitlab"])
def test_the_ci_rsync_job_sends_only_what_changed_and_removes_what_is_gone(ci, sites, tmp_path):
    """The CI files' rsync jobs, run as they are, with a local folder standing for the server (rsync
    then does not use ssh): the server ends up holding exactly the site, each time."""
    first, second = sites
    server = tmp_path / "server"
    server.mkdir()
    (tmp_path / "home").mkdir()
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "RSYNC_TARGET": f"{server}/",
        "RSYNC_SSH_KEY": "not used: the target is a local folder",
        "RSYNC_KNOWN_HOSTS": "not used",
        "GONGKAI_PROGRESS": "off",
    }
    for version in (first, second):
        job = tmp_path / f"job-{version.name}"
        shutil.copytree(version, job / "site")
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", _workflow_rsync_scripts()[ci]],
            cwd=job,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert tree(server) == tree(version)
    # The second job sent only the files whose digest changed (and SHA256SUMS).
    uploads, _ = changed_between(first, second)
    sent = {
        line
        for name in ("1-fingerprinted", "2-assets", "3-pages", "4-manifest")
        for line in (tmp_path / "job-v2" / "plan" / f"{name}.txt").read_text(encoding="utf-8").split()
    }
    assert sent == uploads


# -- headers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind", "cache"),
    [
        ("entries/x/index.html", "text/html; charset=utf-8", headers.REVALIDATE),
        ("assets/javascripts/bundle.a5f9d56c.min.js", "text/javascript; charset=utf-8", headers.IMMUTABLE),
        (
            "assets/javascripts/bundle.a5f9d56c.min.js.map",
            "application/json; charset=utf-8",
            headers.IMMUTABLE,
        ),
        ("assets/javascripts/gongkai-search.js", "text/javascript; charset=utf-8", headers.REVALIDATE),
        ("pagefind/2024/fragment/zh_3521135.pf_fragment", "application/octet-stream", headers.IMMUTABLE),
        ("pagefind/2024/pagefind.zh_41034f0d5f.pf_meta", "application/octet-stream", headers.IMMUTABLE),
        ("pagefind/2024/pagefind-entry.json", "application/json; charset=utf-8", headers.REVALIDATE),
        ("files/alpha/2024/report_2024123.txt", "text/plain", headers.REVALIDATE),
        ("files/alpha/2024/a.ofd", "application/ofd", headers.REVALIDATE),
        ("feeds/all.xml", "application/xml; charset=utf-8", headers.REVALIDATE),
        ("data/catalog.jsonld", "application/ld+json; charset=utf-8", headers.REVALIDATE),
        (
            "data/catalog.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers.REVALIDATE,
        ),
        ("SHA256SUMS.sig", "text/plain; charset=utf-8", headers.REVALIDATE),
        ("files/a/x.unknownext", "application/octet-stream", headers.REVALIDATE),
    ],
)
def test_headers(path, kind, cache):
    assert (headers.content_type(path), headers.cache_control(path)) == (kind, cache)
