"""Pagefind over each shard's view, two processes at a time, and its output made byte-identical
from run to run (see :mod:`generator.search`)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import cbor2

from generator import cache
from generator.errors import naming
from generator.portal import urls
from generator.search.sharding import BUNDLE_DIR, SHARDS_FILE, Shard

VIEWS_PREFIX = ".search-views-"  # beside the site: the pages of a shard as Pagefind reads them
# What the search page loads; Pagefind's own ready-made interfaces are not used and not published.
_UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
INDEX_CONFIG = {"force_language": "zh", "root_selector": "html"}


class SearchIndexError(RuntimeError):
    pass


def indexer_version() -> str:
    try:
        return metadata.version("pagefind-bin-extended")
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(shard: Shard, page_key: Callable[[str], str]) -> str:
    return cache.key(
        indexer_version(),
        json.dumps(INDEX_CONFIG, sort_keys=True),
        shard.name,
        *(f"{url}\t{page_key(url)}" for url in shard.pages),
    )


@dataclass
class IndexResult:
    shards: dict[str, tuple[str, list[str]]]  # name -> (fingerprint, output files of its bundle)
    indexed: list[str]  # the shards indexed by this build
    pages: int  # pages indexed by this build


def update_index(shards: list[Shard], out: Path, **options) -> IndexResult:
    """Index the shards whose pages changed into ``out/pagefind/<shard>/`` and write
    ``out/pagefind/shards.json``: :class:`Indexer` (which takes the same ``options``) with every
    shard ready at once."""
    with Indexer(shards, out, **options) as indexer:
        return indexer.finish()


@dataclass
class _Run:
    """One Pagefind process indexing a shard."""

    shard: Shard
    digest: str
    process: subprocess.Popen
    output: object  # the temporary file that takes its standard output and error


class Indexer:
    """The search index, shard by shard: ``ready(name)`` once every page of shard ``name`` is
    written (a full build calls it as the pages are written, so that Pagefind indexes a shard while
    the next shard's pages and the listings are written), then ``finish()`` indexes the shards not
    yet ready and waits for every one. Pagefind uses one core; ``at_once`` Pagefind processes run
    at a time until ``finish()``, two from then on, the largest shard first.

    ``views``: a directory where each shard's view (the pages Pagefind reads) is kept between
    builds, so that indexing a shard again rewrites only its changed pages' (default: temporary
    views, removed when done).

    ``locate`` gives the file that holds a page (in ``out`` or in the live site), ``page_key`` a
    digest of a page's content, ``previous`` what the live site's index was made from: shards whose
    fingerprint is unchanged are left where they are.

    ``only``: index only the shards of these names (a part of a split build, see
    generator.publish.partition); ``listed``: write ``shards.json`` (which lists every shard).

    Used as a context manager: leaving it stops the Pagefind processes still running and removes
    temporary views, whether or not ``finish()`` was reached.
    """

    def __init__(
        self,
        shards: list[Shard],
        out: Path,
        *,
        locate: Callable[[str], Path],
        page_key: Callable[[str], str],
        previous: dict[str, tuple[str, list[str]]] | None = None,
        views: Path | None = None,
        only: Iterable[str] | None = None,
        listed: bool = True,
        at_once: int = 2,
        fresh: bool = False,
    ) -> None:
        chosen = set(only) if only is not None else None
        self.listing = shards
        self.shards = {s.name: s for s in shards if chosen is None or s.name in chosen}
        self.out, self.locate, self.page_key = out, locate, page_key
        self.previous = previous or {}
        self.views = views
        self.listed = listed
        self.at_once = at_once
        self.pending = set(self.shards)  # not ready yet
        self.waiting: list[tuple[Shard, str]] = []  # ready, fingerprint changed: to be indexed
        self.running: list[_Run] = []
        self.made: dict[str, tuple[str, list[str]]] = {}  # name -> (fingerprint, bundle files)
        self.indexed: set[str] = set()  # the shards this build indexed
        self.failed: SearchIndexError | None = None
        self.fresh = fresh
        self._root: Path | None = None

    def __enter__(self) -> Indexer:
        return self

    def __exit__(self, *exc) -> None:
        for run in self.running:
            run.process.kill()
            run.process.wait()
            run.output.close()
        self.running = []
        if self.views is None and self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    def view_root(self) -> Path:
        """Where the shards' views are laid out (``root/<shard>/``). With ``fresh``, it is emptied
        first, so that the page writer can lay out each page's view as it writes the page (see
        write_view): a view found there was laid out by this build."""
        if self._root is None:
            if self.views is None:
                self._root = Path(tempfile.mkdtemp(prefix=VIEWS_PREFIX, dir=self.out.parent))
            else:
                if self.fresh:
                    shutil.rmtree(self.views, ignore_errors=True)
                self.views.mkdir(parents=True, exist_ok=True)
                self._root = self.views
        return self._root

    def ready(self, name: str) -> None:
        """Every page of shard ``name`` is written: index it as soon as a process is free."""
        if name not in self.pending:
            return  # a shard of another part, or told twice
        self.pending.discard(name)
        shard = self.shards[name]
        digest = fingerprint(shard, self.page_key)
        old = self.previous.get(name)
        if old is not None and old[0] == digest:
            self.made[name] = old
        else:
            self.waiting.append((shard, digest))
        self._start()

    def finish(self) -> IndexResult:
        """Index every shard not indexed yet, wait for all of them and write ``shards.json``."""
        self.at_once = max(self.at_once, 2)
        for shard in self.listing:
            if shard.name in self.pending:
                self.ready(shard.name)
        while (self.running or self.waiting) and self.failed is None:
            self._start()
            if self.running:
                time.sleep(0.02)
        if self.failed is not None:
            raise self.failed
        result = IndexResult({}, [], 0)
        for shard in self.listing:  # in the listing's order, whatever order they were made in
            if shard.name in self.made:
                result.shards[shard.name] = self.made[shard.name]
                if shard.name in self.indexed:
                    result.indexed.append(shard.name)
                    result.pages += len(shard.pages)
        if self.listed:
            manifest = {
                "version": 1,
                "shards": [
                    {
                        "name": s.name,
                        "path": f"{s.name}/",
                        "pages": len(s.pages),
                        "dated": s.dated,
                        "weeks": s.weeks,
                    }
                    for s in self.listing
                ],
            }
            target = self.out / SHARDS_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return result

    def _start(self) -> None:
        """Collect the processes that ended; start the largest waiting shards in their place."""
        for run in [r for r in self.running if r.process.poll() is not None]:
            self.running.remove(run)
            try:
                self.made[run.shard.name] = (run.digest, _indexed(run, self.out))
            except SearchIndexError as exc:  # raised by finish(): ready() is called by the page writer
                self.failed = self.failed or exc
                continue
            self.indexed.add(run.shard.name)
        while self.waiting and len(self.running) < self.at_once:
            shard, digest = max(self.waiting, key=lambda item: len(item[0].pages))
            self.waiting.remove((shard, digest))
            keep = self.views is not None
            view = _make_view(
                shard, self.view_root(), self.locate, self.page_key if keep else None, fresh=self.fresh
            )
            self.running.append(_Run(shard, digest, *_start_pagefind(shard, self.out, view)))


def _make_view(
    shard: Shard, root: Path, locate, page_key: Callable[[str], str] | None, *, fresh: bool = False
) -> Path:
    """Lay out the shard's pages as Pagefind reads them (see search_view) in ``root/<shard>/``.

    With ``page_key``, the view is kept: beside it, ``<shard>.keys`` records each page's key (and
    the code that made the view), and only the pages whose keys changed are written again. The
    record is removed while the view is being changed, so a view left half-changed by an
    interrupted build is made anew.

    ``fresh``: ``root`` was emptied by this build (see :meth:`Indexer.view_root`), and a page whose
    view is there was laid out by this build as it wrote the page (see write_view)."""
    view = root / shard.name
    record = root / f"{shard.name}.keys"
    known: dict[str, str] = {}
    if page_key is not None and not fresh:
        try:
            stored = json.loads(record.read_text(encoding="utf-8"))
            if stored.get("code") == cache.code_fingerprint():
                known = stored["pages"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        record.unlink(missing_ok=True)
    if not known and not fresh:
        shutil.rmtree(view, ignore_errors=True)
    keys: dict[str, str] = {}
    for url in shard.pages:
        target = view / urls.output_path(url)
        if page_key is not None:
            keys[url] = page_key(url)
            if known.get(url) == keys[url] and target.is_file():
                continue
        if fresh and target.is_file():
            continue
        target.unlink(missing_ok=True)  # it may be a link to a page of the live site
        source = locate(url)
        write_view(target, source.read_bytes(), source)
    if page_key is not None:
        for url in known.keys() - keys.keys():  # pages that left the shard
            (view / urls.output_path(url)).unlink(missing_ok=True)
        record.write_text(json.dumps({"code": cache.code_fingerprint(), "pages": keys}), encoding="utf-8")
    return view


def write_view(target: Path, page: bytes, source: Path) -> None:
    """Write the view of ``page`` (the bytes of the file ``source``) at ``target``: the page
    trimmed for Pagefind, or a link to the page where it cannot be trimmed."""
    trimmed = search_view(page)
    target.parent.mkdir(parents=True, exist_ok=True)
    with naming(target):
        if trimmed is not None:
            target.write_bytes(trimmed)
            return
        try:
            os.link(source, target)
        except OSError:
            target.write_bytes(page)  # another filesystem: a copy does as well


_BODY = re.compile(rb"<(article|div)\b[^>]*\sdata-pagefind-body[\s>]")
_PAGEFIND_ATTRIBUTE = re.compile(rb"data-pagefind-(?!ignore)")


def search_view(page: bytes) -> bytes | None:
    """The page as Pagefind needs to read it: its head and the element marked
    ``data-pagefind-body``, without the theme's header, navigation, footer and scripts around it.
    Pagefind reads only that element (and the head) of a page, and indexes a page made this way
    exactly as the page itself; it reads under a third as much HTML and takes about a quarter less
    time.

    None when the page is not as expected (no such element, or Pagefind would read something
    outside it): it is then indexed whole."""
    body = _BODY.search(page)
    head_end = page.find(b"</head>")
    if body is None or head_end < 0 or head_end > body.start():
        return None
    tag = body.group(1)
    depth = 0
    end = -1
    for m in re.finditer(rb"<(/?)" + tag + rb"\b[^>]*>", page[body.start() :]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            end = body.start() + m.end()
            break
    if end < 0:
        return None
    if _PAGEFIND_ATTRIBUTE.search(page, head_end, body.start()) or _PAGEFIND_ATTRIBUTE.search(page, end):
        return None
    return page[:head_end] + b"</head><body>" + page[body.start() : end] + b"</body></html>"


def _start_pagefind(shard: Shard, out: Path, view: Path) -> tuple[subprocess.Popen, object]:
    """Start Pagefind (the binary its Python package installs) on one shard's view; its output
    goes to a temporary file (a pipe nobody reads while it runs could fill up and stop it).

    The command line rather than the package's service API: the service answers before its files
    are all on disk and is then stopped, which can leave a bundle half-written.
    """
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise SearchIndexError("Pagefind is not installed (pip install 'pagefind[extended]')")
    bundle = out / BUNDLE_DIR / shard.name
    if bundle.exists():
        shutil.rmtree(bundle)
    command = [str(executable), "--site", str(view), "--output-path", str(bundle)]
    for key, value in INDEX_CONFIG.items():
        command += [f"--{key.replace('_', '-')}", value]
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the run is collected or stopped)
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
    except OSError:
        output.close()
        raise
    return process, output


def _indexed(run: _Run, out: Path) -> list[str]:
    """The files of the bundle a Pagefind process that has ended wrote, checked and made
    byte-identical (see below); raises SearchIndexError if it failed."""
    shard = run.shard
    run.output.seek(0)
    text = run.output.read().decode("utf-8", "replace")
    run.output.close()
    bundle = out / BUNDLE_DIR / shard.name
    counted = re.search(r"Indexed (\d+) pages?", text)
    if run.process.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = text.strip().splitlines()[-3:]
        raise SearchIndexError(f"search shard {shard.name}: Pagefind failed: {' / '.join(detail)}")
    if shard.pages and (counted is None or int(counted.group(1)) != len(shard.pages)):
        found = counted.group(1) if counted else "?"
        raise SearchIndexError(f"search shard {shard.name}: {found} of {len(shard.pages)} pages indexed")
    for name in _UNUSED:
        (bundle / name).unlink(missing_ok=True)
    canonical_filters(bundle)
    prefix = f"{BUNDLE_DIR}/{shard.name}/"
    return sorted(
        prefix + Path(dirpath, name).relative_to(bundle).as_posix()
        for dirpath, _, names in os.walk(bundle)
        for name in names
    )


# -- byte-identical bundles ----------------------------------------------------------------------
#
# Pagefind keeps filter values in hash maps, so the order of the values in its filter files (and of
# the filters in its metadata file) changes from run to run, and with it the files' hashed names.
# Everything else it writes is stable. After each shard is written, its filter files are rewritten
# with the values sorted, renamed after their content, and the metadata and entry files updated.

_MAGIC = b"pagefind_dcd"


def _read_chunk(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(_MAGIC):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(raw[len(_MAGIC) :])


def _chunk_bytes(value) -> bytes:
    return gzip.compress(_MAGIC + cbor2.dumps(value), compresslevel=6, mtime=0)


def canonical_filters(bundle: Path) -> None:
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        renamed: list[list[str]] = []
        for name, chunk in meta[3]:
            path = bundle / "filter" / f"{chunk}.pf_filter"
            key, values = _read_chunk(path)
            data = _chunk_bytes(
                [key, sorted(([v, sorted(pages)] for v, pages in values), key=lambda x: x[0])]
            )
            prefix = chunk.split("_", 1)[0]
            new = f"{prefix}_{hashlib.sha256(data).hexdigest()[:7]}"
            path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
            renamed.append([name, new])
        meta[3] = sorted(renamed)
        data = _chunk_bytes(meta)
        prefix = language["hash"].split("_", 1)[0]
        language["hash"] = f"{prefix}_{hashlib.sha256(data).hexdigest()[:10]}"
        meta_path.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
