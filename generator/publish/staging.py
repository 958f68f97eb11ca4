"""Output directories: a build writes into a staging directory beside the live site, then swaps
it in (a full build) or commits it (an incremental one), so the live site is never half-written.

A full build writes a complete site into the staging directory and exchanges it with the live one
in one atomic step. An incremental build writes only what changed into the staging directory, then
commits it: a journal names the staging directory, the staged files that differ from the live
ones and the files to delete; each of those staged files replaces its live counterpart (each
os.replace is atomic), stale files are deleted, the journal is removed, and the staging directory
with the files that were equal to the live ones is removed without waiting for it. A commit cut short is completed by the next build before anything else, so the live
site never keeps a mix of two builds and never holds a half-written file.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from generator import cache
from generator.publish import tidy
from generator.publish.state import BUILD_CACHE, PreviousBuild
from generator.records import clock
from generator.records.project import Project
from generator.search import bundles, sharding

INPUT_FOLDERS = ("content", "theme", "catalog")


def input_files(root: Path) -> Iterator[tuple[str, str]]:
    """(path relative to ``root``, with "/", and the file's path) of every file a build reads in
    the project's folders, in a stable order; folders whose name starts with "." are skipped."""
    prefix = str(root) + os.sep
    for folder in INPUT_FOLDERS:
        # Plain strings, not Path objects: this runs for every file of the portal.
        for dirpath, dirnames, filenames in os.walk(prefix + folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = dirpath.removeprefix(prefix).replace(os.sep, "/")
            for name in sorted(filenames):
                yield f"{rel_dir}/{name}", os.path.join(dirpath, name)


def input_fingerprint(project: Project, config_file: Path, *, contents: bool = False) -> str:
    """A digest of everything a build reads: records, pages, theme, configuration, code.

    An attachment stands in by its size and modification time, unless ``contents``: then by its
    bytes, as for the parts of a split build, each built in its own checkout (where the times
    differ) and compared by ``gongkai merge``."""
    # The build's now and the commit it stands on decide dates the pages show (report deadlines,
    # the change history), though no file changes with them.
    now = project.now
    parts: list[bytes | str] = [cache.code_fingerprint(), config_file.read_bytes(), f"{now.seconds}"]
    parts += [clock.git_head(project.root), str(sharding.SHARD_PAGES)]
    entries = {r.path: r.digest for r in project.entries}
    for rel, path in input_files(project.root):
        if rel in entries:
            parts += [rel, entries[rel]]
        elif "/files/" in rel and not contents:  # attachments can be large: size and time stand in
            stat = os.stat(path)
            parts += [rel, f"{stat.st_size}:{stat.st_mtime_ns}"]
        else:
            with open(path, "rb") as handle:
                parts += [rel, handle.read()]
    return cache.digest(*parts)


def staging_dir(final: Path, journal: Path, *, record: str = BUILD_CACHE) -> Path:
    """A fresh directory beside ``final`` to build into (same filesystem, so moves are renames)."""
    final = final.resolve()
    final.parent.mkdir(parents=True, exist_ok=True)
    finish_commit(journal, record)
    for stale in [
        *final.parent.glob(f".{final.name}.building-*"),
        *final.parent.glob(f".{final.name}.old-*"),
        *final.parent.glob(f"{bundles.VIEWS_PREFIX}*"),
    ]:
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted build or removal
    path = final.parent / f".{final.name}.building-{os.getpid()}"
    path.mkdir()
    return path


def swap_into_place(staging: Path, final: Path, *, remove_in_background: bool = False) -> None:
    """Replace ``final`` with the finished, complete ``staging`` directory.

    The two are exchanged in one atomic step (see :func:`exchange`), so ``final`` always holds one
    whole site, the old or the new, whenever a reader looks and wherever the build is stopped. The
    old site, left at ``staging``'s path, is then removed: with ``remove_in_background`` by a
    detached process (a large tree takes long to delete); the next build removes whatever is left.
    Where the system cannot exchange, the old site is renamed aside first, and for that moment
    there is no ``final``.
    """
    final = final.resolve()
    if not final.exists():
        staging.rename(final)
        return
    if exchange(staging, final):
        old = staging
    else:
        old = final.parent / f".{final.name}.old-{os.getpid()}"
        final.rename(old)
        staging.rename(final)
    if remove_in_background:
        tidy.remove_detached(old)
    else:
        shutil.rmtree(old)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Exchange the paths ``a`` and ``b`` atomically (Linux's ``renameat2`` with
    ``RENAME_EXCHANGE``). False, with nothing changed, where the system or the filesystem cannot."""
    libc = _libc()
    rename = getattr(libc, "renameat2", None) if libc is not None else None
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def staged_files(staging: Path) -> set[str]:
    found = set()
    for dirpath, _, filenames in os.walk(staging):
        rel = Path(dirpath).relative_to(staging).as_posix()
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + name for name in filenames)
    return found


MANY_LEFT = 1000  # staged files left unmoved: more are removed by a detached process


def changed_files(staged: set[str], previous: PreviousBuild, digests: dict[str, str]) -> list[str]:
    """The staged files to move into the live site: all but those whose bytes it already holds at
    the same path (the previous build recorded the same digest for it). Pagefind writes every file
    of a shard it indexes again, most of them as they were (named after their content); they stay
    in the staging directory, which is removed without waiting (deleting 7,000 files one by one
    took seconds). ``staged``: the files in the staging directory."""
    return sorted(
        rel
        for rel in staged
        if (digest := digests.get(rel)) is None
        or rel not in previous.manifest
        or previous.digests.get(rel) != digest
    )


def commit(
    staging: Path,
    final: Path,
    delete: list[str],
    journal: Path,
    *,
    move: list[str] | None = None,
    left: int = 0,
    record: str = BUILD_CACHE,
    tidy_later: bool = False,
) -> None:
    """Move the staged files (``move``, else all of them) into the live site and delete ``delete``
    from it, journalled. ``left``: how many staged files ``move`` leaves out (which are removed with
    the staging directory: by a detached process when they are many). ``record``: the name of the
    record of the site's build (see finish_commit); ``tidy_later``: remove the staging directory in
    a thread (see tidy.remove_in_thread)."""
    journal.parent.mkdir(parents=True, exist_ok=True)
    tmp = journal.with_suffix(".tmp")
    plan = {
        "staging": str(staging),
        "site": str(final.resolve()),
        "move": move,
        "left": left,
        "delete": delete,
    }
    tmp.write_text(json.dumps(plan), encoding="utf-8")
    os.replace(tmp, journal)
    finish_commit(journal, record, tidy_later=tidy_later)


def finish_commit(journal: Path, record: str = BUILD_CACHE, *, tidy_later: bool = False) -> None:
    """Apply the journalled commit, if there is one; applying it twice changes nothing.
    ``record``: the name, beside the journal, of the record of the site's build."""
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    staging, site = Path(plan["staging"]), Path(plan["site"])
    if plan.get("move") is None:
        for dirpath, _, filenames in os.walk(staging):
            target = site / Path(dirpath).relative_to(staging)
            target.mkdir(parents=True, exist_ok=True)
            for name in filenames:
                os.replace(Path(dirpath, name), target / name)
    else:
        made: set[Path] = set()
        for rel in plan["move"]:
            target = site / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            with contextlib.suppress(FileNotFoundError):  # moved by the commit this one completes
                os.replace(staging / rel, target)
    for rel in plan["delete"]:
        path = site / rel
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != site and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    aside = staging.with_name(staging.name.replace(".building-", ".old-") + f"-{time.monotonic_ns()}")
    if tidy_later:
        tidy.remove_in_thread(staging, aside)
    elif plan.get("left", 0) < MANY_LEFT:
        shutil.rmtree(staging, ignore_errors=True)
    elif staging.exists():
        try:
            staging.rename(aside)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
        else:
            tidy.remove_detached(aside)
    # The build that wrote the journal was cut short before it recorded what it built: the record
    # of the previous build no longer describes the live site (its search index files, named after
    # their content, differ), so the next build starts from scratch.
    (journal.parent / record).unlink(missing_ok=True)
    journal.unlink(missing_ok=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
