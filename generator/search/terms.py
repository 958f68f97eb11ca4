"""What an indexed page carries besides its text (single characters, exact tokens for 文号 and
索引号, its ISO week) and the settings the search page reads with it."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# Every dated page also names its ISO week in a 周 filter. Pagefind ranks every page a query
# matches before it returns any, which for a query matching most of 100,000 pages takes seconds;
# a search filtered to a week ranks only that week's pages (a few hundred) and answers in tens of
# milliseconds. The search page uses weeks to show a broad query's results newest week first (see
# gongkai-search.js), and to sort by date.
WEEK_FILTER = "周"
# A query matching more pages than this (before filters) is searched a week at a time: ranking
# this many takes Pagefind about 0.1–0.3 s in a browser on the project machine.
BROAD_RESULTS = 3000
# A shard the query matches on at most this many pages (before filters) is searched at once by
# the week-by-week listing, instead of a run of weeks at a time.
SPARSE_RESULTS = 300

# -- what the index gets besides the page text ---------------------------------------------------
#
# Pagefind segments Chinese with a dictionary (jieba) when it indexes, and the browser segments the
# query with its own dictionary (Intl.Segmenter, ICU). The two often disagree: ICU splits 宏达 into
# 宏|达 and 公积金 into 公|积|金, where jieba keeps one word, and a query word must be the start of
# an indexed word. Each entry page therefore also carries its title, 文号 and 主题词 as single
# characters (every query word of one character then matches), and exact tokens for its 文号 and
# 索引号 that the search page derives from a query the same way (see gongkai-search.js).

TERMS_MARK = "gkterms"  # starts the extra terms, so the search page can tell them from page text
BODY_MARK = "gkbody"  # on an entry page, after the metadata table: excerpts come from what follows
_CJK = re.compile(r"([\u3400-\u9fff\uf900-\ufaff])")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "(": "〔", ")": "〕", "【": "〔", "】": "〕"})


def unigrams(text: str) -> str:
    """``text`` with a space around every Chinese character."""
    return re.sub(r"\s+", " ", _CJK.sub(r" \1 ", text)).strip()


def exact_token(kind: str, value: str) -> str:
    """A single ASCII word standing for a whole 文号 (kind ``wh``) or 索引号 (kind ``sy``).

    The value is normalised (NFKC, brackets as 〔〕, no spaces, upper case) and hashed with 32-bit
    FNV-1a over its UTF-8 bytes; ``exactToken`` in gongkai-search.js must give the same result.
    """
    normal = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value).translate(_BRACKETS)).upper()
    h = 0x811C9DC5
    for byte in normal.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{kind}{h:08x}"


def page_terms(*names: str) -> str:
    """The extra terms of an agency's or a guide's page: its names, and an exact token for each,
    so that a query that is exactly one of the names finds the page first."""
    return " ".join([TERMS_MARK, *(unigrams(n) for n in names), *(exact_token("mc", n) for n in names)])


def entry_terms(
    title: str, doc_no: str | None, index_no: str, keywords: list[str], reg_no: str | None = None
) -> str:
    parts = [TERMS_MARK, unigrams(title)]
    for number in (doc_no, reg_no):  # a 登记号 is written and searched like a 文号
        if number:
            parts += [unigrams(number), exact_token("wh", number)]
    parts.append(exact_token("sy", index_no))
    parts += [unigrams(k) for k in keywords]
    return " ".join(parts)


def week_of(day: date) -> str:
    """The 周 filter value of a page dated ``day``: its ISO week, such as ``2025-W07``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
