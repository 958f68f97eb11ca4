"""Bring each member's published files into a checked copy: its manifest, open data and search
manifests, every one checked against the member's ``SHA256SUMS`` (and that against its signature).

A member's last good copy is ``<cache>/<id>/``. A fetch writes ``<cache>/<id>.new/`` and replaces
the good copy only once every file checked, so a refused member keeps what it had. A member whose
``SHA256SUMS`` is byte-identical to the good copy's is not fetched again.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import GongkaiError
from generator.federation.registry import Member
from generator.models.base import SLUG
from generator.publish import integrity

CATALOG = "data/catalog.jsonl"
SHARDS = "pagefind/shards.json"
ENTRY = "pagefind-entry.json"
TIMEOUT = 60  # seconds per request
MAX_BYTES = 1 << 30  # a member's open data at 100,000 entries is about 120 MB
# A page's URL in a member's open data: on its site (relative), or absolute over http(s).
_PAGE_URL = re.compile(r"(?:https?://[^\s\"'<>]+|[A-Za-z0-9~._\-][^\s\"'<>:]*)")
# The columns of a member's catalogue the federation reads (generator.exports.opendata.COLUMNS).
NEEDED = ("index_no", "title", "agency", "agency_name", "date", "url")


class Refused(GongkaiError):
    """A member whose published files cannot be taken: why, in one line."""


# -- where the files come from ---------------------------------------------------------------------


class HttpSource:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/") + "/"

    def describe(self, rel: str) -> str:
        return self.base + rel

    def read(self, rel: str) -> bytes:
        url = self.describe(rel)
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
                data = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as exc:
            raise Refused(f"{url}：HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise Refused(f"{url}：无法连接（{reason}）") from None
        if len(data) > MAX_BYTES:
            raise Refused(f"{url}：文件超过 {MAX_BYTES} 字节")
        return data


class FolderSource:
    """A built site in a folder; files are named as the registry names the folder (``shown``),
    never by the machine's absolute path, since a refusal is written into the site."""

    def __init__(self, folder: Path, shown: str) -> None:
        self.folder = folder
        self.shown = shown.rstrip("/") + "/"

    def describe(self, rel: str) -> str:
        return self.shown + rel

    def read(self, rel: str) -> bytes:
        try:
            return (self.folder / rel).read_bytes()
        except OSError as exc:
            raise Refused(f"{self.describe(rel)}：无法读取（{exc.strerror}）") from None


def source_of(member: Member, registry_dir: Path) -> HttpSource | FolderSource:
    if member.url is not None:
        return HttpSource(member.url)
    return FolderSource(registry_dir / (member.path or ""), member.path or "")


# -- one member ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What became of a member in this run. ``folder`` is its good copy (new or previous), None
    when it has never had one; ``problem`` says why it was refused."""

    member: Member
    status: str  # "fetched", "unchanged" or "refused"
    folder: Path | None
    problem: str | None = None

    @property
    def manifest_digest(self) -> str | None:
        return integrity.sha256_file(self.folder / integrity.MANIFEST) if self.folder else None


def fetch_member(member: Member, cache: Path, source) -> Outcome:
    good = cache / member.id
    previous = good if (good / ".complete").is_file() else None
    try:
        manifest = source.read(integrity.MANIFEST)
        digests = _parse(manifest)
        # With a key, the stored signature must hold for it (the key may be new in the registry);
        # if it does not, the member is fetched again, signature and all.
        unchanged = previous is not None and (good / integrity.MANIFEST).read_bytes() == manifest
        if unchanged and (not member.public_key or _signature_holds(member, good)):
            return Outcome(member, "unchanged", good)
        _fetch_into(member, cache / f"{member.id}.new", source, manifest, digests)
    except Refused as exc:
        return Outcome(member, "refused", previous, str(exc))
    _swap(cache / f"{member.id}.new", good)
    return Outcome(member, "fetched", good)


def _parse(manifest: bytes) -> dict[str, str]:
    try:
        return integrity.parse_manifest(manifest.decode("utf-8"))
    except (UnicodeDecodeError, integrity.ManifestError) as exc:
        raise Refused(f"{integrity.MANIFEST} 格式不对：{exc}") from None


def _fetch_into(member: Member, staging: Path, source, manifest: bytes, digests: dict[str, str]) -> None:
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / integrity.MANIFEST).write_bytes(manifest)
    if member.public_key:
        (staging / integrity.SIGNATURE).write_bytes(source.read(integrity.SIGNATURE))
        _check_signature(member, staging)
    catalog = _take(CATALOG, staging, source, digests)
    _check_catalog(catalog)
    shards = _take(SHARDS, staging, source, digests)
    for rel in _shard_entries(shards):
        _take(rel, staging, source, digests)
    (staging / ".complete").write_text("", encoding="utf-8")


def _take(rel: str, staging: Path, source, digests: dict[str, str]) -> bytes:
    """Read ``rel``, check it against the manifest, keep it in ``staging``."""
    if rel not in digests:
        raise Refused(f"{integrity.MANIFEST} 中没有 {rel}：这不是一个完整的 Gongkai 门户")
    data = source.read(rel)
    if hashlib.sha256(data).hexdigest() != digests[rel]:
        raise Refused(
            f"{source.describe(rel)} 与 {integrity.MANIFEST} 中的校验值不符：文件被改动或未发布完整"
        )
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return data


def _check_catalog(data: bytes) -> None:
    """Every line a record with the columns the federation reads. Its agency code names a folder of
    the federation's site and its URL becomes a link there, so both must be what Gongkai writes."""
    for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        try:
            row = json.loads(line)
        except ValueError:
            row = None
        where = f"{CATALOG} 第 {number} 行"
        if not isinstance(row, dict) or any(not isinstance(row.get(key), str) for key in NEEDED):
            raise Refused(f"{where}不是 Gongkai 的目录记录（应有 {'、'.join(NEEDED)}）")
        if not SLUG.fullmatch(row["agency"]):
            raise Refused(f"{where}的机构代码“{row['agency']}”不是小写英文字母、数字和“-”")
        if not _PAGE_URL.fullmatch(row["url"]):
            raise Refused(f"{where}的网址“{row['url']}”既不是 http(s) 网址，也不是门户内的相对网址")


def _shard_entries(data: bytes) -> list[str]:
    """The ``pagefind-entry.json`` of each shard ``shards.json`` lists, refusing paths that leave
    ``pagefind/``."""
    try:
        shards = json.loads(data)["shards"]
        paths = [shard["path"] for shard in shards]
    except (ValueError, KeyError, TypeError):
        raise Refused(f"{SHARDS} 格式不对：应有 shards 列表，每项有 path") from None
    entries = []
    for path in paths:
        parts = PurePosixPath(str(path)).parts
        if (
            not parts
            or str(path).startswith("/")
            or any(p in ("..", ".") for p in parts)
            or "\\" in str(path)
        ):
            raise Refused(f"{SHARDS} 中的分片路径“{path}”不在 pagefind/ 之内")
        entries.append(f"pagefind/{PurePosixPath(str(path)).as_posix()}/{ENTRY}")
    return entries


def _check_signature(member: Member, folder: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        key = Path(tmp) / "member.pub"
        key.write_text((member.public_key or "") + "\n", encoding="utf-8")
        try:
            integrity.verify_signature(folder, key)
        except integrity.ManifestError as exc:
            raise Refused(f"签名未通过：{exc}") from None


def _signature_holds(member: Member, folder: Path) -> bool:
    try:
        _check_signature(member, folder)
    except Refused:
        return False
    return True


def _swap(staging: Path, good: Path) -> None:
    old = good.with_name(good.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if good.exists():
        good.rename(old)
    staging.rename(good)
    shutil.rmtree(old, ignore_errors=True)


# -- every member ----------------------------------------------------------------------------------


def fetch_all(
    members: list[Member], cache: Path, source: Callable[[Member], object], *, jobs: int = 8
) -> list[Outcome]:
    """Fetch every member, ``jobs`` at a time; outcomes in registry order."""
    cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max(1, min(jobs, len(members)))) as pool:
        return list(pool.map(lambda m: fetch_member(m, cache, source(m)), members))
