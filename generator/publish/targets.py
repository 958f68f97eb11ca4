"""Where ``gongkai deploy`` can put a site: a folder, or an S3-compatible bucket (``s3.py``).

A remote host is reached by rsync, driven by the lists ``gongkai deploy --plan`` writes (see
docs/zh/publishing.md): rsync has its own transport, keys and delayed updates.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

from generator.errors import UsageError
from generator.publish.deploy import Target


@dataclass(frozen=True)
class S3Options:
    """How to reach an S3-compatible service; credentials come from the usual AWS variables."""

    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    jobs: int = 8


class FolderTarget:
    """A folder on this machine (a web server's document root, a mounted share). Each file is
    written beside its final name and renamed over it, so a reader sees the old or the new file,
    never half of one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.name = str(root)

    def read(self, path: str) -> bytes | None:
        file = self.root / path
        return file.read_bytes() if file.is_file() else None

    def put(self, path: str, source: Path) -> None:
        with source.open("rb") as handle:
            self._write(path, lambda out: shutil.copyfileobj(handle, out, 1 << 20))

    def put_bytes(self, path: str, data: bytes) -> None:
        self._write(path, lambda out: out.write(data))

    def _write(self, path: str, fill) -> None:
        final = self.root / path
        final.parent.mkdir(parents=True, exist_ok=True)
        temporary = final.parent / f".{final.name}.gongkai-{os.getpid()}-{threading.get_ident()}"
        try:
            with temporary.open("wb") as out:
                fill(out)
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)

    def delete(self, path: str) -> None:
        file = self.root / path
        file.unlink(missing_ok=True)
        # Folders left empty go too, up to the root; a folder still holding anything stays.
        for parent in file.relative_to(self.root).parents[:-1]:
            try:
                (self.root / parent).rmdir()
            except OSError:
                break


def open_target(text: str, site: Path, options: S3Options) -> Target:
    """The target ``text`` names: ``s3://bucket/prefix`` or a folder."""
    if text.startswith("s3://"):
        # Imported here: boto3 is an optional dependency (the [s3] extra), needed by this target only.
        from generator.publish import s3

        return s3.S3Target(
            text,
            endpoint_url=options.endpoint_url,
            region=options.region,
            profile=options.profile,
            jobs=options.jobs,
        )
    if "://" in text or _looks_remote(text):
        raise UsageError(
            f"{text}: 不支持的部署目标：请写本机目录或 s3://存储桶/前缀；"
            "远程服务器请用 gongkai deploy --plan 生成的文件列表配合 rsync（见 docs/zh/publishing.md）"
        )
    return _folder(Path(text), site)


def _looks_remote(text: str) -> bool:
    """rsync's and scp's ``host:path`` (a colon before any slash)."""
    head = text.split("/", 1)[0]
    return ":" in head and not (len(head) == 2 and head[1] == ":")  # not a Windows drive


def _folder(root: Path, site: Path) -> FolderTarget:
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root}: 部署目标不是目录")
    if not root.exists() and not root.parent.is_dir():
        raise UsageError(f"{root}: 部署目标的上级目录不存在")
    here, there = site.resolve(), root.resolve()
    if here == there or here in there.parents or there in here.parents:
        raise UsageError(f"{root}: 部署目标不能是网站目录 {site} 本身，也不能在它里面或包含它")
    root.mkdir(exist_ok=True)
    return FolderTarget(root)
