"""A build that has nothing to do, told before the records are read.

A build whose inputs are exactly those of the live site's build leaves the site as it is; the
inputs are compared by their content (see ``staging.input_fingerprint``), which needs every record
read and checked: 40 s at 1,000,000 entries, for nothing. When no input file has changed since
the last build, neither has anything a build reads, and the last build's report is the report.

"No file has changed" is told the way make and git tell it, and the validation cache already
trusts for each entry file (``records.load.file_stamp``): every file of content/, theme/ and
catalog/ has the size, inode, modification and change time it had when the last build began. A
program can set a file's modification time back, but not its change time. A file changed less
than ``RACY_NS`` before that moment may change again within the same tick of the file system's
clock, so a build that began so soon after a change records nothing, and the next one reads
everything. Besides the files' stamps, the digest covers what else decides the site: the
configuration file's bytes, the code, the commit the repository stands on (the clock and the
change history come from git), ``SOURCE_DATE_EPOCH`` and the search shards' size.

The record is kept only for the site it describes: its ``SHA256SUMS`` must be as that build left
it, as for the full build record (``publish.build.previous_build``).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from generator import cache
from generator.diagnostics import Report
from generator.publish import staging
from generator.publish.build import manifest_stamp, site_name
from generator.records import clock
from generator.records.load import file_stamp
from generator.search import sharding

RECORD = "unchanged-inputs"


def input_stamps(root: Path, config_file: Path) -> str | None:
    """A digest of the stamps of every input file and of the rest a build depends on; None when a
    file changed too recently for its stamp to be trusted."""
    now_ns = time.time_ns()
    h = hashlib.blake2b(digest_size=16)
    for part in (
        cache.code_fingerprint(),
        config_file.read_bytes(),
        os.environ.get("SOURCE_DATE_EPOCH", ""),
        clock.git_head(root),
        str(sharding.SHARD_PAGES),
    ):
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    for rel, path in staging.input_files(root):
        try:
            stamp = file_stamp(os.stat(path), now_ns)
        except OSError:
            return None  # gone while listed: a build will say what is wrong
        if not stamp:
            return None
        h.update(f"{rel}\0{stamp}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def unchanged_report(root: Path, site: Path, stamps: str | None) -> tuple[Report, int] | None:
    """The last build's report and how many entries it built, if the live site was built from
    inputs with these ``stamps`` and is as that build left it; else None."""
    if stamps is None:
        return None
    stored = cache.load(root, RECORD)
    if not isinstance(stored, dict) or stored.get("stamps") != stamps:
        return None
    if stored.get("site") != site_name(root, site) or not (site / "index.html").is_file():
        return None
    if stored.get("sums") != manifest_stamp(site):
        return None
    report, entries = stored.get("report"), stored.get("entries")
    return (report, entries) if isinstance(report, Report) and isinstance(entries, int) else None


def remember(root: Path, site: Path, stamps: str | None, report: Report, entries: int) -> None:
    """Record that the live site in ``site`` was built (or found up to date) from inputs with
    these ``stamps``, with this report; forget any such record when the stamps are not known."""
    if stamps is None:
        cache.cache_path(root, RECORD).unlink(missing_ok=True)
        return
    value = {
        "stamps": stamps,
        "site": site_name(root, site),
        "sums": manifest_stamp(site),
        "report": report,
        "entries": entries,
    }
    cache.save(root, RECORD, value)
