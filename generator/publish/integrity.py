"""Output that archives can verify: the ``SHA256SUMS`` manifest and its optional signature.

``SHA256SUMS`` lists every file of the site but itself and its signature, one ``<sha256>  <path>``
line each in path order: the format of ``sha256sum``, so ``sha256sum -c SHA256SUMS`` checks a copy
with nothing but coreutils. ``gongkai verify`` also reports the files a copy has that the manifest
does not list.

Signing uses OpenSSH's ``ssh-keygen -Y sign`` (namespace ``gongkai``): a maintained tool with a
documented signature format, keys an agency can make and keep with tools it already has, and
deterministic Ed25519 signatures. No cryptography is implemented here.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from generator import progress
from generator.errors import GongkaiError
from generator.safety import audit

MANIFEST = "SHA256SUMS"
SIGNATURE = "SHA256SUMS.sig"
NAMESPACE = "gongkai"
UNLISTED = frozenset({MANIFEST, SIGNATURE})
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    with path.open("rb") as handle:
        return sha256_stream(handle)


def sha256_stream(handle: BinaryIO) -> str:
    """The SHA-256 of what is left to read in ``handle``, read a chunk at a time."""
    digest = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def site_files(site: Path) -> list[str]:
    """Every file under ``site`` (relative, ``/``-separated), in path order."""
    return sorted(audit.site_files(site))


def manifest_text(digests: dict[str, str]) -> bytes:
    return "".join(manifest_lines(digests)).encode("utf-8")


def manifest_lines(digests: dict[str, str]) -> list[str]:
    """The lines of ``SHA256SUMS`` for ``digests`` (path -> SHA-256), in path order."""
    for path in digests:
        if "\n" in path or "\\" in path:
            raise GongkaiError(f"文件名中不能有换行或反斜杠：{path!r}")
    return [f"{digests[path]}  {path}\n" for path in sorted(digests)]


class ManifestError(GongkaiError):
    pass


def parse_manifest(text: str, name: str = MANIFEST) -> dict[str, str]:
    digests = {}
    for number, line in enumerate(text.splitlines(), 1):
        digest, sep, path = line.partition("  ")
        if not sep or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest) or not path:
            raise ManifestError(
                f"{name}:{number}: 应为“SHA-256 值（64 位十六进制）、两个空格、文件路径”，实为 {line!r}"
            )
        digests[path] = digest
    return digests


@dataclass
class Verification:
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def read_manifest(site: Path) -> dict[str, str]:
    """The site's ``SHA256SUMS``: path -> SHA-256."""
    manifest = site / MANIFEST
    if not manifest.is_file():
        raise ManifestError(f"{site} 中没有 {MANIFEST}：这不是 Gongkai 生成的网站，或者复制时漏掉了它")
    return parse_manifest(manifest.read_text(encoding="utf-8"))


def verify(site: Path, expected: dict[str, str] | None = None) -> Verification:
    """Check the copy at ``site`` against its own ``SHA256SUMS`` (``expected``, if already read)."""
    expected = read_manifest(site) if expected is None else expected
    result = Verification()
    present = set(site_files(site)) - UNLISTED
    with progress.stage("核对校验值", len(expected), "个文件") as stage:
        for path, digest in sorted(expected.items()):
            file = site / path
            if path not in present:
                result.missing.append(path)
            elif sha256_file(file) != digest:
                result.changed.append(path)
            result.checked += 1
            progress.advance(stage)
    result.extra = sorted(present - set(expected))
    return result


# -- signing ---------------------------------------------------------------------------------------


def _ssh_keygen(args: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["ssh-keygen", *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GongkaiError(
            "找不到 ssh-keygen：请安装 OpenSSH 客户端（Debian：apt-get install openssh-client）"
        ) from None


def sign(site: Path, key: Path) -> Path:
    """Sign ``SHA256SUMS`` with the private key ``key``; writes and returns ``SHA256SUMS.sig``."""
    manifest = site / MANIFEST
    if not manifest.is_file():
        raise ManifestError(f"{site} 中没有 {MANIFEST}：请先生成网站")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / MANIFEST
        copy.write_bytes(manifest.read_bytes())
        result = _ssh_keygen(["-Y", "sign", "-q", "-f", str(key), "-n", NAMESPACE, str(copy)])
        if result.returncode != 0:
            raise GongkaiError(f"签名失败：{result.stderr.decode(errors='replace').strip()}")
        signature = site / SIGNATURE
        signature.write_bytes((Path(tmp) / SIGNATURE).read_bytes())
    return signature


def verify_signature(site: Path, public_key: Path) -> None:
    """Check ``SHA256SUMS.sig`` against ``SHA256SUMS`` and the agency's public key."""
    signature = site / SIGNATURE
    if not signature.is_file():
        raise ManifestError(f"{site} 中没有签名文件 {SIGNATURE}")
    key = public_key.read_text(encoding="utf-8").split()
    if len(key) < 2:
        raise ManifestError(f"{public_key} 不是 OpenSSH 公钥（应形如“ssh-ed25519 AAAA...”）")
    with tempfile.TemporaryDirectory() as tmp:
        signers = Path(tmp) / "allowed_signers"
        signers.write_text(f"{NAMESPACE} {key[0]} {key[1]}\n", encoding="utf-8")
        result = _ssh_keygen(
            ["-Y", "verify", "-f", str(signers), "-I", NAMESPACE, "-n", NAMESPACE, "-s", str(signature)],
            stdin=(site / MANIFEST).read_bytes(),
        )
    if result.returncode != 0:
        raise ManifestError(f"签名与 {MANIFEST} 或公钥不符：{result.stderr.decode(errors='replace').strip()}")
