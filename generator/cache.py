"""Build caches, keyed by content: a cached result is reused only when the bytes it was made from,
the generator's own code and the configuration it depends on are all unchanged.

Caches live in ``.gongkai-cache/`` in the project directory (not committed). Deleting it is always
safe; a damaged or foreign cache file is ignored.

A cache file is a pickle, which runs code when it is loaded, so each file is authenticated before
it is unpickled: it carries an HMAC-SHA256 of its name and its bytes under a key that is never in
the project (:func:`secret_key`). A cache file someone else wrote (a cache restored in CI from
another job, a file planted in the folder) fails the check and is rebuilt, never unpickled.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import os
import pickle
import secrets
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIRNAME = ".gongkai-cache"
KEY_ENV = "GONGKAI_CACHE_KEY"
MAGIC = b"gongkai-cache 1\n"
_MAC_SIZE = 32
_PACKAGE = Path(__file__).resolve().parent
# Libraries whose version changes what a record turns into.
_LIBRARIES = (
    "pydantic",
    "PyYAML",
    "chinese-calendar",
    "Jinja2",
    "Markdown",
    "nh3",
    "mkdocs",
    "mkdocs-material",
    "pagefind-bin-extended",
    "cbor2",
    "opencc",
)


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def key(*parts: bytes | str) -> str:
    """The cache key of something this code makes from ``parts``: it changes with the parts, the
    generator's own code and the libraries it relies on (:func:`code_fingerprint`)."""
    return digest(code_fingerprint(), *parts)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the generator's own files and the versions of the libraries it relies on."""
    parts: list[bytes | str] = []
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".html", ".yaml", ".css", ".js"):
            parts += [path.relative_to(_PACKAGE).as_posix(), path.read_bytes()]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    return digest(*parts)


def cache_path(root: Path, name: str) -> Path:
    return root / CACHE_DIRNAME / name


@lru_cache(maxsize=1)
def secret_key() -> bytes:
    """The key that authenticates cache files: ``GONGKAI_CACHE_KEY`` when set (a CI secret, so
    jobs that share it share their caches), else a random key made once per user in
    ``$XDG_CONFIG_HOME/gongkai/cache-key`` (readable by the user only), else, when that cannot be
    written, a key for this process alone (caches are then not reused across runs)."""
    given = os.environ.get(KEY_ENV)
    if given:
        return hashlib.sha256(given.encode("utf-8")).digest()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    path = config / "gongkai" / "cache-key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    fresh = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(fresh.hex() + "\n")
    except FileExistsError:  # another process made it first
        try:
            return bytes.fromhex(path.read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            return fresh
    except OSError:
        pass
    return fresh


def _mac(name: str, payload: bytes | memoryview) -> bytes:
    mac = hmac.new(secret_key(), name.encode("utf-8") + b"\0", "sha256")
    mac.update(payload)
    return mac.digest()


def load(root: Path, name: str) -> Any:
    """The cached value, or None when there is none, it is damaged, it was not written with this
    user's key, or the code has changed."""
    try:
        data = cache_path(root, name).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _MAC_SIZE
    if not data.startswith(MAGIC) or len(data) < head:
        return None
    payload = memoryview(data)[head:]
    if not hmac.compare_digest(data[len(MAGIC) : head], _mac(name, payload)):
        return None  # not ours: never unpickled
    # Unpickling makes millions of objects, none of them garbage: the cycle collector, which would
    # pass over them again and again as they are made, waits (a fifth of the time at 100,000 entries).
    collecting = gc.isenabled()
    gc.disable()
    try:
        stored = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(stored, dict) or stored.get("code") != code_fingerprint():
        return None
    return stored.get("value")


def save(root: Path, name: str, value: Any) -> None:
    """Store atomically: a reader sees the old cache or the new one, never half of one."""
    path = cache_path(root, name)
    payload = pickle.dumps({"code": code_fingerprint(), "value": value}, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            handle.write(MAGIC)
            handle.write(_mac(name, payload))
            handle.write(payload)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout builds without a cache
