"""The life of a normative document (规章, 规范性文件): its term, its clean-ups, its interpretation.

What a reader is shown depends on the build's now: a document past its ``expires`` is 失效 whatever
its record says (:func:`shown_validity`), and the rules here make the record say so too: a warning
six months before the term ends, an error once it has ended while the record still says 有效. A
clean-up's ``decisions`` and the documents' ``validity`` must agree, and every 规章 and 规范性文件
should be published with its 解读 (国办发〔2018〕37号), at the latest a few working days after it.

``check_entry_terms`` needs one entry; ``check_lifecycle`` needs every entry and the build's now.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from generator.checks.workdays import add_months, working_days_after
from generator.diagnostics import Diagnostic, warning
from generator.models.agency import Agency
from generator.models.entry import Disclosure, Entry
from generator.records.project import EntryRecord
from generator.records.yamlreader import Document

NORMATIVE = frozenset({"规章", "行政规范性文件"})
"""The categories of the default taxonomy that hold normative documents."""

INTERPRETATION_WORKING_DAYS = 3
"""A 解读 published later than this many working days after its document is late."""

EXPIRY_NOTICE_MONTHS = 6

# "自2021年6月1日起施行，有效期5年" / "自印发之日起施行，有效期至2020年12月31日"
_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_DAY = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_TERM = re.compile(
    r"(?:自(?:" + _DAY + r"|(印发|发布|公布)之日)起)?(?:施行|执行|实施)[，,]\s*有效期(?:为)?"
    r"(?:至" + _DAY + r"|([0-9一二两三四五六七八九十]+)年)"
)


def is_normative(entry: Entry) -> bool:
    return entry.category in NORMATIVE or entry.reg_no is not None


def shown_validity(entry: Entry, today: date) -> str | None:
    """The validity a reader is shown on ``today``: 失效 once a document's term has ended."""
    if entry.expires is not None and today > entry.expires and entry.validity in (None, "有效", "已修改"):
        return "失效"
    return entry.validity


def stated_term(entry: Entry) -> tuple[date, str] | None:
    """The last day of the term the body states, with the words that state it; None when it
    states none this can read."""
    if not entry.body:
        return None
    for match in _TERM.finditer(entry.body):
        start_y, start_m, start_d, from_issue, end_y, end_m, end_d, years = match.groups()
        try:
            if end_y:
                return date(int(end_y), int(end_m), int(end_d)), match.group()
            if start_y:
                start = date(int(start_y), int(start_m), int(start_d))
            elif from_issue:
                start = entry.date
            else:
                start = entry.effective
            if start is None:
                continue
            count = int(years) if years.isdigit() else _NUMERALS.get(years)
            if not count:
                continue
            # The day before the anniversary (a term from 2024-02-29 ends on 2029-02-28).
            return add_months(start - timedelta(days=1), 12 * count), match.group()
        except ValueError:
            continue
    return None


# -- one entry -----------------------------------------------------------------------------------


def check_entry_terms(entry: Entry, doc: Document) -> list[Diagnostic]:
    """The rules of the lifecycle keys that need only the entry itself."""
    found = []
    if entry.expires is not None:
        for other, label in ((entry.date, "成文日期"), (entry.effective, "施行日期")):
            if other is not None and entry.expires < other:
                found.append(
                    doc.error(("expires",), f"有效期至 {entry.expires} 早于{label} {other}：请核对两个日期")
                )
                break
    elif is_normative(entry) and entry.validity != "已废止":
        term = stated_term(entry)
        if term is not None:
            last, words = term
            found.append(
                doc.warning(
                    ("body",),
                    f"正文写明了有效期（“{words}”），但没有填写 expires（有效期至）："
                    f"请添加 expires: {last.isoformat()}，到期后门户才能显示为失效",
                )
            )
    if entry.category in NORMATIVE and entry.validity is None:
        found.append(
            doc.warning(
                ("category",),
                f"{entry.category}请填写 validity（有效性）：有效、已修改、已废止 或 失效；"
                "不填写的文件不会列入现行有效规范性文件目录",
            )
        )
    seen: dict[str, int] = {}
    for i, decision in enumerate(entry.decisions):
        loc = ("decisions", i, "index_no")
        if decision.index_no == entry.index_no:
            found.append(doc.error(loc, "清理结果不能针对清理公告自身"))
        elif decision.index_no in seen:
            found.append(
                doc.error(
                    loc, f"文件“{decision.index_no}”已经在第 {seen[decision.index_no] + 1} 项清理结果中了"
                )
            )
        seen.setdefault(decision.index_no, i)
    issuers: set[str] = set()
    for i, issuer in enumerate(entry.co_issuers):
        if issuer in issuers:
            found.append(doc.error(("co_issuers", i), f"联合发文机关“{issuer}”重复"))
        issuers.add(issuer)
    return found


def lifecycle_marks(entry: Entry, doc: Document) -> dict[tuple, tuple[int, int]]:
    """Positions the rules run against the build's date point at (kept with the record, as the
    document is not): the lifecycle's here, and ``review_by`` for ``rules.check_reviews``."""
    locs = [(key,) for key in ("validity", "expires", "review_by") if getattr(entry, key) is not None]
    locs += [("decisions", i, "index_no") for i in range(len(entry.decisions))]
    locs += [("co_issuers", i) for i in range(len(entry.co_issuers))]
    return {loc: doc.position(loc) for loc in locs}


# -- across entries ------------------------------------------------------------------------------


def check_lifecycle(
    records: list[EntryRecord],
    agencies: dict[str, Agency],
    today: date,
    unloaded: dict[str, str] | None = None,
) -> list[Diagnostic]:
    """Terms against the build's date ``today``, co-issuers, clean-ups against the documents they
    name, and each normative document's 解读."""
    public = [r for r in records if r.entry.disclosure is not Disclosure.WITHHELD]
    by_index = {r.entry.index_no: r for r in records}
    found: list[Diagnostic] = []
    names = {agency.name for agency in agencies.values()}
    for record in public:
        found.extend(_check_term(record, today))
        if record.entry.co_issuers:
            found.extend(_check_co_issuers(record, agencies, names))
    for record in public:
        named = {record.entry.index_no}  # itself, and documents named twice: reported per entry
        for i, decision in enumerate(record.entry.decisions):
            if decision.index_no not in named:
                found.extend(_check_decision(record, i, decision, by_index, unloaded or {}, today))
            named.add(decision.index_no)
    found.extend(_check_interpretations(public, by_index))
    return found


def _doc(record: EntryRecord) -> Document:
    return Document(
        record.path, None, marks={(): record.index_pos, ("index_no",): record.index_pos, **record.marks}
    )


def _label(record: EntryRecord) -> str:
    entry = record.entry
    return f"“{entry.title}”" + (f"（{entry.doc_no}）" if entry.doc_no else "")


def _check_term(record: EntryRecord, today: date) -> list:
    entry = record.entry
    if entry.expires is None or entry.validity in ("已废止", "失效"):
        return []
    if entry.expires < (entry.effective or entry.date):
        return []  # an impossible term: reported by check_entry_terms
    if today > entry.expires:
        if entry.validity == "已修改":
            return [
                _doc(record).warning(
                    ("validity",),
                    f"有效期至 {entry.expires}，到 {today} 已经届满，门户显示为“失效”："
                    "请把 validity 改为 失效，使记录与门户一致",
                )
            ]
        if entry.validity != "有效":
            return []  # shown as 失效 already
        return [
            _doc(record).error(
                ("validity",),
                f"有效期至 {entry.expires}，到 {today} 已经届满，但 validity 仍是“有效”："
                "请改为 validity: 失效；如果有效期已经延长，请把 expires 改为新的日期",
            )
        ]
    notice = add_months(today, EXPIRY_NOTICE_MONTHS)
    if entry.expires <= notice:
        days = (entry.expires - today).days
        return [
            _doc(record).warning(
                ("expires",),
                f"有效期至 {entry.expires}，还有 {days} 天到期：请在到期前评估，决定延续、修改或废止；"
                "到期后门户将显示为“失效”",
            )
        ]
    return []


def _check_co_issuers(record: EntryRecord, agencies: dict[str, Agency], names: set[str]) -> list:
    found = []
    own = agencies.get(record.agency)
    for i, issuer in enumerate(record.entry.co_issuers):
        loc = ("co_issuers", i)
        if issuer == record.agency or (own is not None and issuer == own.name):
            found.append(_doc(record).error(loc, f"联合发文机关“{issuer}”就是本机关：只填写其他机关"))
        elif issuer in agencies or issuer in names:
            continue
        elif re.fullmatch(r"[a-z0-9-]+", issuer):
            found.append(
                _doc(record).error(
                    loc,
                    f"联合发文机关“{issuer}”不是 agencies.yaml 中的机构标识：其他机关请写全称，"
                    f"本门户的机构请写它的标识（{'、'.join(sorted(agencies))}）",
                )
            )
    return found


# What each clean-up result requires of the document it names: the validities that agree with it,
# and the validities that agree when the document's own change came after the clean-up.
_AGREES = {
    "继续有效": ({"有效", "已修改"}, {"已废止", "失效"}),
    "修改": ({"已修改"}, {"已废止", "失效"}),
    "废止": ({"已废止"}, set()),
    "宣布失效": ({"失效"}, set()),
}
_FIX = {
    "继续有效": "validity: 有效",
    "修改": "validity: 已修改",
    "废止": "validity: 已废止，并填写 repealed（废止日期）",
    "宣布失效": "validity: 失效",
}


def _check_decision(record, i, decision, by_index, unloaded, today) -> list:
    loc = ("decisions", i, "index_no")
    target = by_index.get(decision.index_no)
    if target is None:
        if decision.index_no in unloaded:
            return []  # it exists; its own file's errors are reported there
        return [_doc(record).error(loc, f"清理的文件“{decision.index_no}”不存在：请核对索引号")]
    if target.entry.disclosure is Disclosure.WITHHELD:
        return [
            _doc(record).error(
                loc, f"清理的文件“{decision.index_no}”是不予公开的：清理结果只能针对公开的文件"
            )
        ]
    entry = target.entry
    status = shown_validity(entry, today)
    agree, later = _AGREES[decision.result]
    end = entry.repealed or (entry.expires if status == "失效" else None)
    if status in agree or (status in later and end is not None and end > record.entry.date):
        return []
    shown = f"“{status}”" if status else "未填写"
    cleanup = f"{record.path}:{record.marks.get(loc, record.index_pos)[0]}"
    return [
        _doc(record).error(
            loc,
            f"清理结果是“{decision.result}”，但{_label(target)}的有效性是{shown}（{target.path}）："
            f"二者须一致。清理决定已生效的，请在该文件中填写 {_FIX[decision.result]}",
        ),
        _doc(target).error(
            ("validity",),
            f"清理结果公告{_label(record)}（{cleanup}）对本文件的决定是“{decision.result}”，"
            f"但本文件的有效性是{shown}：请改为 {_FIX[decision.result]}，或更正清理结果",
        ),
    ]


def _check_interpretations(public: list[EntryRecord], by_index: dict[str, EntryRecord]) -> list:
    found = []
    interpreted: dict[str, list[tuple[EntryRecord, int]]] = defaultdict(list)
    for record in public:
        for i, related in enumerate(record.entry.related):
            if related.relation == "解读":
                interpreted[related.index_no].append((record, i))
    # 政策解读 entries that interpret nothing yet, by agency: the hints for documents without one
    # (a few per agency, where comparing each document with the whole catalogue would not scale).
    unlinked: dict[str, list[EntryRecord]] = defaultdict(list)
    for record in public:
        entry = record.entry
        if entry.category == "政策解读" and not any(r.relation == "解读" for r in entry.related):
            unlinked[record.agency].append(record)
    for record in public:
        entry = record.entry
        if not is_normative(entry) or entry.disclosure is not Disclosure.PROACTIVE or entry.decisions:
            continue  # a clean-up's decisions are a list, not a policy to interpret
        readings = interpreted.get(entry.index_no, [])
        if not readings and entry.validity in (None, "有效", "已修改"):  # in force: worth explaining
            hint = _likely_interpretation(record, unlinked[record.agency])
            found.append(
                _doc(record).warning(
                    ("index_no",),
                    f"{entry.category or '规范性文件'}{_label(record)}没有关联的政策解读：规章和规范性文件"
                    "应与解读同步公开。请在解读条目中添加 related: "
                    f"[{{index_no: {entry.index_no}, relation: 解读}}]" + hint,
                )
            )
            continue
        for reading, i in readings:
            late = _late_by(entry, reading.entry)
            if late is not None:
                found.append(
                    warning(
                        reading.path,
                        *reading.related_pos[i],
                        f"解读{_label(reading)}公开于 {reading.entry.published}，比被解读的文件"
                        f"{_label(record)}（{entry.published} 公开）晚 {late} 个工作日：解读应与文件同步公开，"
                        f"最迟不超过 {INTERPRETATION_WORKING_DAYS} 个工作日",
                    )
                )
    return found


def _late_by(document: Entry, reading: Entry) -> int | None:
    if document.published is None or reading.published is None:
        return None
    days = working_days_after(document.published, reading.published)
    return days if days is not None and days > INTERPRETATION_WORKING_DAYS else None


def _likely_interpretation(record: EntryRecord, candidates: list[EntryRecord]) -> str:
    """Of ``candidates`` (the agency's 政策解读 entries that interpret nothing yet), one dated no
    earlier than the document whose title names it or whose body names its 文号: a hint."""
    entry = record.entry
    names = [m for m in re.findall(r"《([^》]+)》", entry.title)] or [entry.title]
    for other in candidates:
        if other.entry.date < entry.date:
            continue
        title = other.entry.title
        if any(name in title for name in names) or (
            entry.doc_no and entry.doc_no in (other.entry.body or "")
        ):
            return f"。可能的解读：{other.path}（{other.entry.index_no}）"
    return ""
