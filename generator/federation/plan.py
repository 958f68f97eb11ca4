"""The federation's plan: every member's checked copy read into rows, agencies and shards, in a
stable order, before anything is written."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from generator.federation.fetch import CATALOG, SHARDS, Outcome
from generator.federation.registry import Federation, Member


@dataclass(frozen=True)
class Row:
    """One catalogue entry of a member, as its open data gives it."""

    member: str
    index_no: str
    title: str
    agency: str
    agency_name: str
    category: str
    date: str  # 成文日期, YYYY-MM-DD
    doc_no: str
    url: str  # the member's own page, absolute when the member has an address
    data: dict  # the member's record, every column

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    entries: int


@dataclass(frozen=True)
class MemberView:
    member: Member
    folder: Path | None  # the good copy
    status: str  # fetched, unchanged, refused
    problem: str | None
    digest: str | None  # SHA-256 of the good copy's SHA256SUMS
    signed: bool
    rows: tuple[Row, ...]
    agencies: tuple[Agency, ...]
    shards: tuple[dict, ...]  # shards.json's entries

    @property
    def listed(self) -> bool:
        """Has a good copy (from this run or an earlier one) to show."""
        return self.digest is not None


@dataclass(frozen=True)
class FederationPlan:
    federation: Federation
    members: tuple[MemberView, ...]

    @property
    def rows(self) -> list[Row]:
        return [row for view in self.members for row in view.rows]

    def categories(self) -> list[tuple[str, str, int]]:
        """(slug, name, entries) of every 主题分类, by name."""
        counts = Counter(row.category for row in self.rows)
        return [(category_slug(name), name, counts[name]) for name in sorted(counts)]


UNCATEGORISED = "未分类"


def category_slug(name: str) -> str:
    """A category's folder: a short digest of its name (names are Chinese, and stable)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def plan_federation(federation: Federation, outcomes: list[Outcome]) -> FederationPlan:
    return FederationPlan(federation, tuple(_view(outcome) for outcome in outcomes))


def _view(outcome: Outcome) -> MemberView:
    member = outcome.member
    if outcome.folder is None:
        return MemberView(member, None, outcome.status, outcome.problem, None, False, (), (), ())
    lines = (outcome.folder / CATALOG).read_text(encoding="utf-8").splitlines()
    # By agency, newest first within it (two stable sorts).
    rows = sorted(
        (_row(member, json.loads(line)) for line in lines if line.strip()),
        key=lambda r: (r.date, r.index_no),
        reverse=True,
    )
    rows.sort(key=lambda r: r.agency)
    names = {row.agency: row.agency_name for row in rows}
    counts = Counter(row.agency for row in rows)
    agencies = tuple(Agency(code, names[code], counts[code]) for code in sorted(names))
    shards = tuple(json.loads((outcome.folder / SHARDS).read_text(encoding="utf-8"))["shards"])
    signed = bool(member.public_key)
    return MemberView(
        member,
        outcome.folder,
        outcome.status,
        outcome.problem,
        outcome.manifest_digest,
        signed,
        tuple(rows),
        agencies,
        shards,
    )


def _row(member: Member, data: dict) -> Row:
    return Row(
        member=member.id,
        index_no=data["index_no"],
        title=data["title"],
        agency=data["agency"],
        agency_name=data["agency_name"],
        category=data.get("category") or UNCATEGORISED,
        date=data["date"],
        doc_no=data.get("doc_no") or "",
        url=urljoin(member.public_url, data["url"]),
        data=data,
    )
