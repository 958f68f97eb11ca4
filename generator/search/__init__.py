"""The search index: Pagefind (extended build, for Chinese word segmentation) over the rendered
pages, written as shards that the search page merges in the browser.

Shards
    Entry pages are grouped by the year of their sort date (公开日期, else 成文日期) into runs of
    consecutive years of at most ``SHARD_PAGES`` pages (the newest year's: ``RECENT_SHARD_PAGES``),
    counted from the oldest; a larger year is split into runs of whole months. Agency pages, guides and
    editorial pages join the newest shard. Each shard is a complete Pagefind bundle under
    ``pagefind/<shard>/``; ``pagefind/shards.json`` lists them newest first. Each entry page
    names its shard in a 分片 filter. The search page merges the shards with Pagefind's multisite
    support (one index to search by relevance) and, to sort by date, searches them one at a time,
    newest or oldest first. Bounded shards keep each Pagefind process within bounded memory.

Incremental indexing
    A shard's fingerprint is a digest of its pages (their render keys, or their bytes when a page
    has no key) and of the indexer's configuration. A rebuild indexes only the shards whose
    fingerprint changed; the others stay as they are in the live site.

Pagefind indexes directories, not records one at a time (its per-record API is far slower), so each
shard is indexed from a view: a temporary directory of hard links to the shard's pages, laid out as
in the site, so the URLs Pagefind records are the site's URLs. Two shards are indexed at a time, by
the binary of the ``pagefind-bin-extended`` package. Nothing here imports MkDocs.

Modules: ``terms`` (what an indexed page carries besides its text, and the search page's
settings), ``sharding`` (which pages each shard holds), ``bundles`` (Pagefind run over a shard's
view, and its output made byte-identical from run to run).
"""
