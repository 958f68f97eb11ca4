"""Coverage: what each agency has proactively disclosed under each statutory item.

The 2019 regulation lists what every agency must publish (Art. 20 (一)–(十五)) and what city and
county governments add (Art. 21); the disclosure platform also keeps a 公开制度 column
(国办公开办函〔2019〕61号). A taxonomy category names the item it covers (``item``), the agency kinds
that use it (``kinds``) and those that must have something in it (``required``); ``coverage`` counts,
per agency and category, the 主动公开 entries and the newest 公开日期, for ``gongkai validate --summary``
and the agency page; ``check_coverage`` warns where a required column is empty or one has not been
updated for ``update_months`` before the build's now.

An entry whose keywords (主题词) hold ``NONE_KEYWORD`` states that the agency has no such
information: it fills its column, so neither warning is given for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from generator.checks.workdays import add_months
from generator.diagnostics import Diagnostic
from generator.models.entry import Disclosure
from generator.models.taxonomy import FUNCTIONS_ITEM, ITEMS, Category
from generator.records.load import taxonomy_for
from generator.records.project import Project

NONE_KEYWORD = "本机关无此类信息"


@dataclass(frozen=True)
class Column:
    """One category mapped to a statutory item, as one agency has filled it."""

    category: Category
    item: str
    count: int  # 主动公开 entries in the category or below it
    last: date | None  # the newest 公开日期 among them
    required: bool  # the agency's kind must have something here
    none_stated: bool  # a 主动公开 entry here says 本机关无此类信息
    profile: bool  # 第二十条第（二）项, covered by the agency's profile in agencies.yaml
    stale: bool = False  # not updated within the category's update_months before the build's now

    @property
    def filled(self) -> bool:
        return self.count > 0 or self.profile


@dataclass
class _Tally:
    count: int = 0
    last: date | None = None
    none_stated: bool = False


def tally(project: Project) -> dict[tuple[str, str], _Tally]:
    """主动公开 entries by (agency, category): how many, the newest 公开日期, whether one states
    本机关无此类信息. Only these count: an item of Art. 20 or 21 is to be disclosed proactively, and
    a 依申请公开 entry is not. One pass over the catalogue serves every agency."""
    tallies: dict[tuple[str, str], _Tally] = {}
    for record in project.entries:
        entry = record.entry
        if entry.disclosure is not Disclosure.PROACTIVE or entry.category is None:
            continue
        t = tallies.setdefault((record.agency, entry.category), _Tally())
        shown = entry.published or entry.date  # published is required of 主动公开; date if it is broken
        t.count += 1
        t.last = shown if t.last is None else max(t.last, shown)
        t.none_stated = t.none_stated or NONE_KEYWORD in entry.keywords
    return tallies


def coverage(project: Project, agency_id: str, tallies: dict | None = None) -> list[Column]:
    """The agency's columns, in the order of the regulation's items, then of the taxonomy: every
    category with an ``item`` that its kind uses, and any other it has published in.
    ``tallies``: :func:`tally` of the project, when it is at hand."""
    tallies = tally(project) if tallies is None else tallies
    today = project.now.date
    agency = project.agencies[agency_id]
    taxonomy = taxonomy_for(project, agency_id)
    columns = []
    for name, category in taxonomy.categories.items():
        if category.item is None:
            continue
        parts = [tallies[key] for m in taxonomy.members(name) if (key := (agency_id, m)) in tallies]
        count = sum(t.count for t in parts)
        kinds = taxonomy.kinds_of(name)
        if kinds is not None and agency.kind not in kinds and not count:
            continue
        last = max((t.last for t in parts if t.last is not None), default=None)
        months = category.update_months
        columns.append(
            Column(
                category=category,
                item=category.item,
                count=count,
                last=last,
                required=agency.kind in category.required,
                none_stated=any(t.none_stated for t in parts),
                profile=category.item == FUNCTIONS_ITEM and agency.profile is not None,
                stale=months is not None and last is not None and last < add_months(today, -months),
            )
        )
    order = {name: i for i, name in enumerate(taxonomy.categories)}
    return sorted(columns, key=lambda c: (ITEMS.index(c.item), order[c.category.name]))


def check_coverage(project: Project) -> list[Diagnostic]:
    """Warnings, at each agency in agencies.yaml, for its empty required columns and its columns
    not updated within their ``update_months`` before the build's now."""
    found = []
    tallies = tally(project)
    for agency_id, agency in project.agencies.items():
        if agency_id not in project.agency_docs or taxonomy_for(project, agency_id).broken:
            continue
        doc, loc = project.agency_docs[agency_id]
        today = project.now.date
        for column in coverage(project, agency_id, tallies):
            if column.none_stated:
                continue
            name, item = column.category.name, column.item
            if column.required and not column.filled:
                found.append(doc.warning(loc + ("id",), _empty_message(agency, name, item)))
            elif column.stale:
                found.append(
                    doc.warning(
                        loc + ("id",),
                        f"{agency.name}的“{name}”栏目（{item}）最近一次公开是 {column.last}，到 {today} 已超过 "
                        f"{column.category.update_months} 个月没有更新：请及时公开新的信息；确实没有的，"
                        f"公开一条主题词含“{NONE_KEYWORD}”的说明",
                    )
                )
    return found


def _empty_message(agency, name: str, item: str) -> str:
    if item == FUNCTIONS_ITEM:
        return (
            f"{agency.name}没有公开机构职能（{item}）：请在 agencies.yaml 中为本机构填写 profile"
            "（机构职能、内设机构、负责人、办公地址、办公时间、联系电话），"
            f"或公开一条主题分类为“{name}”的信息"
        )
    return (
        f"{agency.name}没有公开“{name}”（{item}）的信息：每个{agency.kind}都应主动公开这类信息；"
        f"确实没有的，公开一条主题分类为“{name}”、主题词含“{NONE_KEYWORD}”的说明"
    )
