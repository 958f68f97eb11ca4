"""The HTTP headers a deployed file is stored with: its Content-Type and its Cache-Control.

Object stores serve whatever Content-Type an object was uploaded with, so it must be right at
upload time: a page stored as ``binary/octet-stream`` is downloaded instead of shown. Types come
from the table below, then from Python's built-in table (never the system's ``mime.types``, so
two machines store the same headers), then ``application/octet-stream``. Text is UTF-8 as Gongkai
writes it, except attachments (``files/``), which are the agency's own and may be in GB18030.

Caching: only files whose names change with their content (Material's ``main.<hash>.min.css``,
Pagefind's ``zh_<hash>.pf_fragment``) may be kept by browsers and CDNs for a year; every other file
keeps its name across builds, and a withdrawn or corrected entry must disappear at once, so those
are stored but revalidated on every request (``no-cache``: a cheap 304 when unchanged).
"""

from __future__ import annotations

import mimetypes
import posixpath
import re

from generator.publish.integrity import MANIFEST, SIGNATURE

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, no-cache"

# Names that carry their content's hash, by the tool that makes them.
_FINGERPRINTED = (
    re.compile(r"assets/.+\.[0-9a-f]{8}\.min\.(?:js|css)(?:\.map)?"),  # Material for MkDocs
    re.compile(
        r"pagefind/(?:.+/)?(?:fragment/|index/|filter/|pagefind\.)\w+_[0-9a-f]{7,}\.pf_\w+"
    ),  # Pagefind
)

_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".jsonl": "application/jsonl",
    ".jsonld": "application/ld+json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/vnd.microsoft.icon",
    ".webp": "image/webp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
    ".ofd": "application/ofd",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".doc": "application/msword",
}
_NAMED = {MANIFEST: "text/plain", SIGNATURE: "text/plain"}
_BUILTIN = mimetypes.MimeTypes(filenames=())
_TEXT = re.compile(r"text/.*|application/(?:json|jsonl|javascript|xml|.*\+xml|.*\+json)")


def is_fingerprinted(path: str) -> bool:
    return any(pattern.fullmatch(path) for pattern in _FINGERPRINTED)


def content_type(path: str) -> str:
    name = posixpath.basename(path)
    kind = _NAMED.get(name) or _TYPES.get(posixpath.splitext(name)[1].lower())
    kind = kind or _BUILTIN.guess_type(name, strict=False)[0] or "application/octet-stream"
    if _TEXT.fullmatch(kind) and not path.startswith("files/"):
        kind += "; charset=utf-8"
    return kind


def cache_control(path: str) -> str:
    return IMMUTABLE if is_fingerprinted(path) else REVALIDATE
