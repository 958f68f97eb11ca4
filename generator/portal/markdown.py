"""Record text (bodies, guide sections) from Markdown to safe HTML, cached by content hash.

Python-Markdown is the same dialect MkDocs uses for the editorial pages, so a clerk's Markdown reads
the same everywhere. The HTML is then cleaned with nh3 (the Rust ``ammonia`` sanitiser): record
text can never inject a script, an event handler, a style or a ``javascript:`` link.

Validation keeps the nesting of record Markdown within bounds (:mod:`generator.checks.text`); should
text reach the renderer unchecked, a ``RecursionError`` still becomes a message naming the file.
"""

from __future__ import annotations

import hashlib

import markdown as _markdown
import nh3

from generator.errors import GongkaiError

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


def render_markdown(text: str, source: str = "") -> str:
    """Markdown to sanitised HTML; the same text always gives the same HTML. ``source`` names the
    file the text is from, for the message when it cannot be rendered."""
    key = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    cached = _cache.get(key)
    if cached is None:
        _converter.reset()
        try:
            html = _converter.convert(text)
        except RecursionError:
            raise GongkaiError(
                f"{source or '正文'}：Markdown 嵌套过深，无法生成网页：请减少列表或引用的层数"
                "（运行 gongkai validate 可找到所在的行）"
            ) from None
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
