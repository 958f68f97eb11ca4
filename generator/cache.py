"""Build caches, keyed by content: a cached result is reused only when the bytes it was made from,
the generator's own code and the configuration it depends on are all unchanged.

Caches live in ``.gongkai-cache/`` in the project directory (not committed). Deleting it is always
safe; a damaged or foreign cache file is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

CACHE_DIRNAME = ".gongkai-cache"
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


def load(root: Path, name: str) -> Any:
    """The cached value, or None when there is none, it is damaged, or the code has changed."""
    # Unpickling makes millions of objects, none of them garbage: the cycle collector, which would
    # pass over them again and again as they are made, waits (a fifth of the time at 100,000 entries).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with open(cache_path(root, name), "rb") as handle:
            stored = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
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
    try:
        path.parent.mkdir(exist_ok=True)
        (path.parent / ".gitignore").write_text("*\n", encoding="utf-8")
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(
                {"code": code_fingerprint(), "value": value}, handle, protocol=pickle.HIGHEST_PROTOCOL
            )
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout builds without a cache
