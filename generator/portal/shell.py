"""The page shell: the theme's full page (header, navigation, footer) with holes for a title and the
content, rendered once by the site engine and then filled for every record page.

The engine renders one page whose template (``theme/gongkai_shell.html``) puts ``TITLE_MARK`` in
the ``<title>`` and ``CONTENT_MARK`` in the content area. Its relative URLs are turned into
site-root paths once; for a page at depth *d*, each becomes ``"../" * d + path``. Filling a page is
then two string joins, whatever the engine.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

TITLE_MARK = "@@GONGKAI-TITLE@@"
# The page's title as the theme shows it in the header once the page is scrolled (the shell page's
# own title, which the plugin sets to this mark).
TOPIC_MARK = "@@GONGKAI-TOPIC@@"
CONTENT_MARK = "@@GONGKAI-CONTENT@@"
HEAD_MARK = "@@GONGKAI-HEAD@@"  # optional, once in <head>: the page's own <link> tags
URL_MARK = "@@GONGKAI-URL@@"  # optional, in the head: the page's URL (in its canonical link)
SCRIPT_MARK = "@@GONGKAI-SCRIPT@@"  # optional, in the header: the link to the page in the other script

URL_ATTR = re.compile(r'(\s(?:href|src|action)=")([^"]*)(")')
CONFIG_BASE = re.compile(r'("base":\s*")([^"]*)(")')
# Where the theme's scripts keep what the reader chose (the colour scheme among it), in the browser's
# storage: the site root, relative to the page, as the engine wrote it for the shell.
SCOPE = re.compile(r'(__md_scope=new URL\(")([^"]*)(")')
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)")


class ShellError(ValueError):
    pass


# Elements whose text is shown or run as written: their whitespace is never touched.
_VERBATIM = re.compile(
    r"<(pre|textarea|script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"[ \t\r]*\n\s*")


def compact(markup: str) -> str:
    """``markup`` without the indentation and blank lines the theme's templates leave between and
    around elements: every run of whitespace that holds a line break, in text outside ``pre``,
    ``textarea``, ``script``, ``style`` and comments, becomes one line break. A browser shows the
    page exactly as before (a line break is whitespace as a run of spaces is), and a record page is
    about 13% smaller to write, audit, hash, archive and download. Text inside tags (attribute
    values) is left as it is."""
    return _between(_VERBATIM, markup, lambda gap: _between(_TAG, gap, _one_line_break))


def _one_line_break(text: str) -> str:
    return _BLANK_LINES.sub("\n", text)


def _between(pattern: re.Pattern, markup: str, change) -> str:
    """``markup`` with ``change`` applied to the text between the matches of ``pattern``."""
    out = []
    pos = 0
    for m in pattern.finditer(markup):
        out += [change(markup[pos : m.start()]), m.group()]
        pos = m.end()
    out.append(change(markup[pos:]))
    return "".join(out)


_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.DOTALL)


def compact_config(markup: str) -> str:
    """``markup`` with the theme's configuration for its scripts (``<script id="__config">``, on
    every page) written without spaces and with its Chinese as UTF-8 instead of ``\\u`` escapes,
    and without the translations of the theme's own search (``search.*``: the portal is searched
    with Pagefind on its search page, and the theme's search is never set up): the same JSON for
    every script that reads it, in about a third of the bytes."""

    def compact_one(m: re.Match) -> str:
        config = json.loads(m.group(2))
        translations = config.get("translations")
        if isinstance(translations, dict):
            config["translations"] = {k: v for k, v in translations.items() if not k.startswith("search.")}
        value = json.dumps(config, ensure_ascii=False, separators=(",", ":"))
        return m.group(1) + value.replace("</", "<\\/") + m.group(3)

    return _CONFIG.sub(compact_one, markup)


def to_root(shell_url: str, link: str) -> str:
    """Resolve ``link`` (relative to the page at ``shell_url``) to a path from the site root."""
    parts = shell_url.split("/")[:-1]
    path, _, rest = link.partition("#")
    for segment in path.split("/"):
        if segment == "..":
            if not parts:
                raise ShellError(f"link {link!r} leaves the site")
            parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    root = "/".join(parts)
    if root and (path.endswith("/") or path in ("", ".", "..") or path.endswith("/..")):
        root += "/"
    return root + (f"#{rest}" if rest else "")


@dataclass
class Shell:
    """A shell split into literal text and site-root URLs, filled per page depth."""

    pieces: list[str]  # literal, url, literal, url, ..., literal
    _by_depth: dict[int, tuple[str, str, str]] = field(default_factory=dict)

    @classmethod
    def from_html(cls, text: str, shell_url: str) -> Shell:
        if text.count(TITLE_MARK) != 1 or text.count(CONTENT_MARK) != 1:
            raise ShellError("the shell page must contain each mark exactly once")
        pieces: list[str] = []
        pos = 0
        roots = [*CONFIG_BASE.finditer(text), *SCOPE.finditer(text)]
        matches = sorted([*URL_ATTR.finditer(text), *roots], key=lambda m: m.start(2))
        for m in matches:
            link = html.unescape(m.group(2))
            if ABSOLUTE.match(link):
                continue
            pieces.append(text[pos : m.start(2)])
            pieces.append(to_root(shell_url, link if m.re is URL_ATTR else link + "/"))
            pos = m.end(2)
        pieces.append(text[pos:])
        return cls(pieces)

    def _parts(self, depth: int) -> tuple[str, str, str]:
        parts = self._by_depth.get(depth)
        if parts is None:
            prefix = "../" * depth
            out = []
            for i, piece in enumerate(self.pieces):
                if i % 2:
                    link = prefix + piece
                    out.append(html.escape(link or "./", quote=True))
                else:
                    out.append(piece)
            text = "".join(out)
            head, _, rest = text.partition(TITLE_MARK)
            middle, _, tail = rest.partition(CONTENT_MARK)
            parts = self._by_depth[depth] = (head, middle, tail)
        return parts

    def fill(self, url: str, title: str, content: str, head_links: str = "", script: str = "") -> str:
        head, middle, tail = self._parts(url.count("/"))
        # The canonical link precedes the <title>; the page's own links close the <head>.
        head = head.replace(URL_MARK, url)
        middle = middle.replace(HEAD_MARK, head_links).replace(SCRIPT_MARK, script)
        middle = middle.replace(TOPIC_MARK, html.escape(title, quote=False))
        return head + html.escape(title, quote=False) + middle + content + tail
