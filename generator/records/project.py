"""The record types: a loaded project, its entries and reports with where they came from, and what
checking an entry needs to know about its agency. Loaders (:mod:`generator.records.load`) make them;
the rules, the gate, the plan and the pages read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from generator.annual.checks import Tables
from generator.checks.indexno import IndexPattern
from generator.models.agency import Agency
from generator.models.entry import Disclosure, Entry
from generator.models.guide import Guide
from generator.models.report import AnyReport
from generator.models.taxonomy import Category, Genre
from generator.records.clock import Now, build_now
from generator.records.yamlreader import Document
from generator.safety.privacy import WithheldIndex
from generator.safety.withheld import withheld_index


@dataclass(frozen=True)
class Taxonomy:
    """Categories and genres by name, with their positions for messages."""

    categories: dict[str, Category] = field(default_factory=dict)
    genres: dict[str, Genre] = field(default_factory=dict)
    broken: bool = False  # the file had errors: entries' references to it are not checked

    def merged(self, other: Taxonomy) -> Taxonomy:
        return Taxonomy(
            {**self.categories, **other.categories},
            {**self.genres, **other.genres},
            self.broken or other.broken,
        )

    @cached_property
    def parents(self) -> dict[str, str]:
        """Each subcategory's name with its parent's."""
        return {child.name: c.name for c in self.categories.values() for child in c.children}

    def kinds_of(self, name: str) -> tuple[str, ...] | None:
        """The agency kinds that use the category ``name``: its own ``kinds``, else its nearest
        ancestor's; None when none says (every kind)."""
        current: str | None = name
        while current is not None and current in self.categories:
            kinds = self.categories[current].kinds
            if kinds is not None:
                return tuple(kinds)
            current = self.parents.get(current)
        return None

    def members(self, name: str) -> set[str]:
        """The category ``name`` and every category below it."""
        found, stack = set(), [self.categories[name]]
        while stack:
            category = stack.pop()
            if category.name not in found:
                found.add(category.name)
                stack.extend(category.children)
        return found


@dataclass(frozen=True)
class AgencyContext:
    """What checking one entry needs to know about its agency (sent to worker processes)."""

    agency: Agency
    pattern: IndexPattern | None
    category_names: frozenset[str] | None  # None: the taxonomy is broken, do not check
    genre_names: frozenset[str] | None
    files_dir: Path
    content_dir: Path
    # Categories this agency's kind does not use (``kinds`` in the taxonomy), with the kinds that do.
    unfit_categories: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryRecord:
    """A loaded entry with what cross-record rules need to point back at its source."""

    agency: str
    path: str
    entry: Entry
    index_pos: tuple[int, int]
    related_pos: tuple[tuple[int, int], ...]
    digest: str = ""  # of the file's bytes: pages made from this record are cached by it
    # Positions of the keys checked after loading (attachment and body_file paths, the lifecycle's).
    marks: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ReportRecord:
    """A loaded annual report, its tables with every total filled in (None for a document-only
    report), and its parsed source for messages that point back at it."""

    agency: str
    path: str
    report: AnyReport
    tables: Tables | None
    doc: Document
    digest: str = ""  # of the file's bytes

    @property
    def year(self) -> int:
        return self.report.year


@dataclass
class Project:
    root: Path
    agencies: dict[str, Agency] = field(default_factory=dict)
    agency_docs: dict[str, tuple[Document, tuple]] = field(default_factory=dict)
    broken_agencies: set[str] = field(default_factory=set)  # ids whose configuration has errors
    taxonomy: Taxonomy = field(default_factory=Taxonomy)
    agency_taxonomies: dict[str, Taxonomy] = field(default_factory=dict)
    guides: dict[str, Guide] = field(default_factory=dict)
    entries: list[EntryRecord] = field(default_factory=list)
    # 索引号 -> file of the entries that exist but were not loaded (their file, or their agency's
    # configuration, has errors): the rules across records take them as existing.
    broken_entries: dict[str, str] = field(default_factory=dict)
    reports: list[ReportRecord] = field(default_factory=list)  # those without errors, by agency and year

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def now(self) -> Now:
        """The build's now (see :mod:`generator.records.clock`); read once the entries are loaded."""
        dates = [
            r.entry.published or r.entry.date
            for r in self.entries
            if r.entry.disclosure is not Disclosure.WITHHELD
        ]
        if not dates:  # a new portal, outside git: its guides are its newest records
            dates = [guide.updated for guide in self.guides.values()]
        return build_now(self.root, max(dates, default=None))

    @cached_property
    def withheld(self) -> WithheldIndex:
        """What must never be published (see :func:`generator.safety.withheld.withheld_index`): made
        once, for the gate, the plan and the audit, once the entries are loaded."""
        return withheld_index(
            [r.entry for r in self.entries],
            [agency.name for agency in self.agencies.values()],
            self.root / "content",
        )

    @property
    def catalog_dir(self) -> Path:
        return self.root / "catalog"
