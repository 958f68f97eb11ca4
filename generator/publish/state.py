"""What a build carries from stage to stage: the site's configuration, the previous build, what
was written (keys, digests, audit findings) and the stages' times."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import progress
from generator.portal import urls

BUILD_CACHE = "build"  # in .gongkai-cache/: what the live site was built from


@dataclass
class StageTimes:
    """What each stage took, for the benchmark and the log."""

    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SiteInfo:
    """What the portal's files need from the site configuration."""

    name: str = "政府信息公开"
    url: str | None = None  # site_url: absolute links in sitemaps and feeds; none without it
    editorial: frozenset[str] = frozenset()  # URLs of the pages built from content/
    # Written by the plugin once the site is complete and audited: the zip of the whole site, and
    # SHA256SUMS. Pages link to them only when they will be there.
    archive: bool = False
    manifest: bool = False
    archive_date: str = ""  # the date of the archive: this build's (the date of the set of parts)
    traditional: bool = False  # every page also in traditional characters, under zh-hant/
    publisher: str | None = None  # who runs the portal (the footer's 主办单位), for the DCAT catalogue
    license: str | None = None  # data_license: the URL of the open data's licence


@dataclass
class PreviousBuild:
    """What the last successful build left in the live site: each record page's key, every output
    file, and a digest of all its inputs. A page whose key is unchanged is byte-identical, so an
    incremental build leaves it where it is."""

    site: Path
    keys: dict[str, str]
    manifest: frozenset[str]
    inputs: str
    withheld: str  # key of the withheld set the live site was audited against
    search: dict = field(default_factory=dict)  # shard name -> (fingerprint, bundle files)
    digests: dict = field(default_factory=dict)  # file -> SHA-256, for SHA256SUMS
    archive_stamps: dict = field(default_factory=dict)  # each live archive part as left (see archive_stamps)


@dataclass
class Written:
    """What writing the portal's pages and files produced: each cacheable page's and file's key by
    URL, and, for the files checked as they were written (record pages, the open data files written),
    their SHA-256 (for SHA256SUMS) and the output audit's findings in them, so that neither the
    audit stage nor the manifest reads them again."""

    keys: dict[str, str] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # output path -> SHA-256
    findings: list = field(default_factory=list)  # Diagnostics of the audit

    def update(self, other: Written) -> None:
        self.keys.update(other.keys)
        self.digests.update(other.digests)
        self.findings.extend(other.findings)


def unchanged(previous: PreviousBuild | None, url: str, key: str | None) -> bool:
    """Whether the live site holds the page or file at ``url`` as made from ``key``."""
    return (
        key is not None
        and previous is not None
        and previous.keys.get(url) == key
        and urls.output_file(url) in previous.manifest
    )


def timed(times: StageTimes, stage: str, action: Callable[[], int]) -> int:
    """Run ``action`` (which returns how many items it made) as the stage ``stage`` of ``times``."""
    start = time.perf_counter()
    label = STAGE_LABELS.get(stage)
    with progress.stage(label) if label else contextlib.nullcontext():
        result = action()
    times.seconds[stage] = time.perf_counter() - start
    return result


# The stages timed here that the progress display shows as such (the pages show their own count).
STAGE_LABELS = {"reports": "年度报告下载", "files": "复制附件"}
