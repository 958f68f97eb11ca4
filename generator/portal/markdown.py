"""Record text (bodies, guide sections) from Markdown to safe HTML, cached by content hash.

Python-Markdown is the same dialect MkDocs uses for the editorial pages, so a clerk's Markdown reads
the same everywhere. The HTML is then cleaned with nh3 (the Rust ``ammonia`` sanitiser): record
text can never inject a script, an event handler, a style or a ``javascript:`` link.
"""

from __future__ import annotations

import hashlib

import markdown as _markdown
import nh3

EXTENSIONS = ["tables", "sane_lists"]
ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "code",
    "pre",
    "span",
    "div",
    "dl",
    "dt",
    "dd",
    "abbr",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_converter = _markdown.Markdown(extensions=EXTENSIONS, output_format="html")
_cache: dict[str, str] = {}


def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML; the same text always gives the same HTML."""
    key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    cached = _cache.get(key)
    if cached is None:
        _converter.reset()
        html = _converter.convert(text)
        cached = _cache[key] = nh3.clean(
            _demote_h1(html),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    return cached


def _demote_h1(html: str) -> str:
    # The page's own title is its only h1.
    return html.replace("<h1", "<h2").replace("</h1>", "</h2>")
