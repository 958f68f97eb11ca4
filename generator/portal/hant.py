"""The portal in traditional characters (繁體): every page again under ``zh-hant/``, converted at
build time with OpenCC (the conversion itself is in ``generator/chinese.py``).

A Simplified page at ``<url>`` has its Traditional twin at ``zh-hant/<url>``. The twin is the same
HTML, converted with OpenCC's ``s2t`` configuration (standard traditional characters, phrase by
phrase, without regional vocabulary: an agency's wording stays its own), with three changes:

- links to other pages stay as they are (so they lead to the other pages' twins), and links to
  anything else (stylesheets, scripts, attachments, downloads, the search index, feeds) lead one
  level further up, to the one copy of those files;
- the script toggle in the header points the other way (the ``hreflang`` pairs are in the sitemaps,
  see :mod:`generator.exports.sitemaps`, not in the head);
- ``<html lang>`` says ``zh-Hant``.

URLs that hold Chinese characters (an attachment's file name) and JSON data for scripts are left
unconverted. Search has one index, of the Simplified pages: the search page converts a query to
simplified characters before it searches, and on the Traditional page shows the results in
traditional characters, character by character, with the tables this module writes
(``CHARACTER_MAP``).
"""

from __future__ import annotations

import html
import json
import re

import opencc

from generator.portal.chinese import PREFIX, to_simplified, to_traditional
from generator.portal.shell import ABSOLUTE, CONFIG_BASE, SCOPE, URL_ATTR, to_root

CHARACTER_MAP = "assets/javascripts/gongkai-zh.json"

_HTML_LANG = re.compile(r'<html([^>]*?)\slang="zh[^"]*"')
# Gongkai's script data is read by code that matches it against the index: it stays as written.
# (The engine's own configuration holds interface text, which is converted.)
_JSON_SCRIPT = re.compile(
    r'<script\b(?=[^>]*\stype="application/json")(?=[^>]*\sid="gk-)[^>]*>.*?</script>', re.S
)
_KEEP = re.compile("\ue000(\\d+)\ue001")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# CJK Unified Ideographs with extension A and the compatibility block: what the tables cover.
_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def hant_url(url: str) -> str:
    return PREFIX + url


def _relative(from_url: str, to_path: str) -> str:
    return "../" * from_url.count("/") + to_path


def toggle(url: str, *, hant: bool) -> str:
    """The header's link to the same page in the other script."""
    if hant:
        href = html.escape(_relative(hant_url(url), url) or "./", quote=True)
        return f'<a class="gk-script" href="{href}" lang="zh-Hans" title="简体中文版">简体</a>'
    href = html.escape(_relative(url, hant_url(url)), quote=True)
    return f'<a class="gk-script" href="{href}" lang="zh-Hant" title="繁體中文版">繁體</a>'


def _resolve(url: str, link: str) -> str:
    """``link`` on the page at ``url`` as a path from the site root (query and fragment kept)."""
    cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
    return to_root(url, link[:cut]) + link[cut:]


def _is_page(root_path: str) -> bool:
    path = re.split(r"[?#]", root_path, maxsplit=1)[0]
    return path == "" or path.endswith("/")


def page(markup: str, url: str, site_url: str | None = None) -> str:
    """The Traditional twin of the Simplified page ``markup`` at ``url``."""
    kept: list[str] = []

    def keep(text: str) -> str:
        kept.append(text)
        return f"\ue000{len(kept) - 1}\ue001"

    markup = markup.replace(toggle(url, hant=False), keep(toggle(url, hant=True)))
    if site_url:
        here = site_url.rstrip("/") + "/"
        markup = markup.replace(
            f'<link rel="canonical" href="{here}{url}">',
            keep(f'<link rel="canonical" href="{here}{hant_url(url)}">'),
        )
    depth = url.count("/") + 1

    def relink(m: re.Match[str]) -> str:
        link = html.unescape(m.group(2))
        if link and not ABSOLUTE.match(link):
            target = _resolve(url, link)
            if m.re is not URL_ATTR or not _is_page(target):
                link = "../" * depth + target  # the one copy of the file, at the site root
                if m.re is not URL_ATTR:
                    link = link.rstrip("/") or "."
        value = html.escape(link, quote=True) if m.re is URL_ATTR else link
        if _NON_ASCII.search(value):
            value = keep(value)
        return m.group(1) + value + m.group(3)

    markup = URL_ATTR.sub(relink, markup)
    markup = CONFIG_BASE.sub(relink, markup)
    markup = SCOPE.sub(relink, markup)  # one colour scheme for both scripts' pages
    markup = _JSON_SCRIPT.sub(lambda m: keep(m.group(0)), markup)
    markup = _HTML_LANG.sub(r'<html\1 lang="zh-Hant"', markup, count=1)
    converted = to_traditional(markup)
    return _KEEP.sub(lambda m: kept[int(m.group(1))], converted)


def character_map() -> bytes:
    """The tables the search page converts with, character by character: ``t2s`` maps each
    traditional character to its simplified form, ``s2t`` each simplified character to its usual
    traditional form (OpenCC's own conversion of the character on its own)."""
    chars = [chr(c) for start, end in _CJK_RANGES for c in range(start, end + 1)]
    tables = {}
    for name, convert in (("t2s", to_simplified), ("s2t", to_traditional)):
        converted = convert("\n".join(chars)).split("\n")
        pairs = [(a, b) for a, b in zip(chars, converted, strict=True) if a != b and len(b) == 1]
        tables[name] = ["".join(a for a, _ in pairs), "".join(b for _, b in pairs)]
    tables["opencc"] = opencc.__version__ if hasattr(opencc, "__version__") else ""
    return json.dumps(tables, ensure_ascii=False, separators=(",", ":")).encode()
