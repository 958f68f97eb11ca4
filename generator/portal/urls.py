"""The portal's URL scheme. Every URL is a directory URL relative to the site root (``a/b/``; the
root is ``""``), written to ``a/b/index.html``. Links between pages are relative, so the site works
under any sub-path and from a mirror.

Entry pages live at ``entries/<索引号>/``: the index number with ``/`` kept as a path separator,
ASCII letters, digits, ``.`` and ``-`` kept as they are, and every other character written as
``~XX`` for each of its UTF-8 bytes (``~`` itself too). The same 索引号 always gives the same URL,
and the URL gives the 索引号 back.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^0-9A-Za-z.\-]")


VALIDITY_SLUGS = {"有效": "youxiao", "已修改": "yixiugai", "已废止": "yifeizhi", "失效": "shixiao"}


def _encode_segment(segment: str) -> str:
    encoded = _UNSAFE.sub(lambda m: "".join(f"~{b:02X}" for b in m.group().encode("utf-8")), segment)
    # "." and ".." are not usable as directory names.
    return encoded.replace(".", "~2E") if encoded in (".", "..", "") else encoded


def entry_url(index_no: str) -> str:
    return "entries/" + "/".join(_encode_segment(s) for s in index_no.split("/")) + "/"


def index_no_from_url(url: str) -> str:
    path = url.removeprefix("entries/").rstrip("/")
    return bytes(
        re.sub(rb"~([0-9A-F]{2})", lambda m: bytes([int(m.group(1), 16)]), path.encode("ascii"))
    ).decode("utf-8")


def agency_url(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def guide_url(agency_id: str) -> str:
    return f"agencies/{agency_id}/guide/"


def profile_url(agency_id: str) -> str:
    """An agency's 机构职能 page (its ``profile``: 条例第二十条第（二）项)."""
    return f"agencies/{agency_id}/profile/"


STATUTORY_URL = "statutory/"  # 法定主动公开内容: every agency's columns by statutory item
RULES_URL = "rules/"  # 公开制度: every agency's 政府信息公开制度


def reports_url(agency_id: str | None = None) -> str:
    """An agency's annual reports, or (None) every agency's."""
    return (agency_url(agency_id) if agency_id else "") + "reports/"


def report_url(agency_id: str, year: int) -> str:
    return f"{reports_url(agency_id)}{year}/"


def changes_url(agency_id: str, year: int | None = None) -> str:
    """An agency's change log: the newest year at ``changes/``, each earlier year below it."""
    return f"{agency_url(agency_id)}changes/" + (f"{year}/" if year else "")


def catalog_url(agency_id: str | None = None) -> str:
    return (agency_url(agency_id) if agency_id else "") + "catalog/"


def attachment_url(agency_id: str, file: str) -> str:
    return f"files/{agency_id}/{file}"


def page_url(base: str, page: int = 0) -> str:
    """A listing page: ``base`` is its landing page (``page`` 0, the newest entries); ``page/k/``
    holds its k-th chunk of entries counted from the oldest, at a URL that stays when entries are
    added (see :class:`generator.portal.plan.Listing`)."""
    return f"{base}page/{page}/" if page else base


def relative(from_url: str, to_url: str) -> str:
    """The relative link from the page at ``from_url`` to ``to_url`` (a page, a file or an anchor)."""
    base = from_url.split("/")[:-1]  # the page's directory segments
    target, _, fragment = to_url.partition("#")
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    link = "../" * (len(base) - common) + "/".join(parts[common:])
    link = link or "./"
    return f"{link}#{fragment}" if fragment else link


def output_path(url: str) -> str:
    """The file that holds the page at ``url``."""
    return url + "index.html"


def output_file(url: str) -> str:
    """The file at ``url``: a page's index.html, or a download itself."""
    return output_path(url) if url == "" or url.endswith("/") else url
