"""The search index of a site whose rebuilds leave it for later (``Target.index_later``: the
preview of ``gongkai serve``), made once the rebuilt pages are in place.

Indexing a shard again takes Pagefind half a second or more, longer than everything else a
saved entry changes; the preview shows the saved pages first, then brings the index up to date
with them, the same way a build does: the shards whose pages changed are indexed into a staging
directory, their files are audited, and committed with the site's record.
"""

from __future__ import annotations

from dataclasses import replace

from generator.publish import integrity, staging
from generator.publish.build import (
    Build,
    BuildError,
    audit_output,
    index_search,
    journal_path,
    previous_build,
    save_record,
)
from generator.publish.state import Written


def index_later(build: Build) -> int:
    """Index the shards of ``build``'s site whose pages changed since they were indexed, and put
    them in place; returns how many shards were indexed. Raises BuildError, with the site's index
    as it was, when the index cannot be made or the audit finds something in it."""
    assert build.final is not None
    root, final, target = build.root, build.final, build.target
    live = previous_build(root, final, target)
    if live is None:
        return 0
    journal = journal_path(root, target)
    out = staging.staging_dir(final, journal, record=target.record)
    job = replace(build, out=out, previous=live, index=None)
    try:
        index_search(job, dict(live.keys))
        assert job.index is not None
        if not job.index.indexed:
            staging.discard(out)
            return 0
        staged = staging.staged_files(out)
        audit_output(job, Written(), staged)
    except BuildError:
        staging.discard(out)
        raise
    # The files of every shard that is no longer as the site holds it (indexed again, or gone).
    now = {name: shard[0] for name, shard in job.index.shards.items()}
    replaced = {
        rel for name, (digest, files) in live.search.items() if now.get(name) != digest for rel in files
    }
    manifest = set(live.manifest - replaced) | staged
    digests = {rel: digest for rel, digest in live.digests.items() if rel not in replaced}
    digests.update((rel, integrity.sha256_file(out / rel)) for rel in staged)
    (out / integrity.MANIFEST).write_bytes(integrity.manifest_text(digests))
    manifest.add(integrity.MANIFEST)
    delete = sorted(live.manifest - manifest)
    staging.commit(out, final, delete, journal, record=target.record, tidy_later=target.tidy_later)
    save_record(job, live.keys, manifest, digests)
    return len(job.index.indexed)
