"""The site archive (``data/site-archive/``): every file of the site and its ``SHA256SUMS``, in
zip parts, and the list of the parts with their digests (``data/site-archive/SHA256SUMS``).

The archive is in parts so that a change uploads and writes only the parts it touches. Which part
holds a file is decided by the site's paths alone (:func:`plan_parts`): in path order, a page and
its 繁體 twin together, a new part starts at each path whose CRC-32 is a multiple of ``SPAN``.
A new path joins the part its place falls in, and a part's start moves only when the path that
starts it goes, so after a new entry most parts hold exactly the files they held. Every member is
dated 1980-01-01 (the earliest time a zip holds), not by the build: a part whose files are
unchanged is then byte-identical, and a rebuild leaves it where it is; a clean build of the same
records gives the same bytes.

The archive is never stale. A part with any changed, added or removed file is written anew from
the new site's files, so nothing a build removed or corrected (a record withdrawn to 不予公开, an
on-request body, a personal-data fix) survives in it. Writing a part is cheap where the previous
archive holds its members: a member whose digest is the new file's is copied as compressed bytes,
without reading or compressing the file again. Copied bytes are what compressing the same file
would give (the same zlib, at the same level), so a part written from a previous one is
byte-identical to one written from scratch: a test checks it.

The zips themselves are written by :mod:`generator.publish.zipwriter`.
"""

from __future__ import annotations

import bisect
import hashlib
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator import progress
from generator.errors import naming
from generator.portal.chinese import PREFIX
from generator.publish.integrity import MANIFEST, manifest_lines, manifest_text, sha256_stream
from generator.publish.zipwriter import Member, Reuse, write_archive

FOLDER = "data/site-archive"  # the parts, and the list of them
PARTS = f"{FOLDER}/SHA256SUMS"  # the parts' digests, in the format of the site's SHA256SUMS
# A part starts, on average, at one path in SPAN (a page and its 繁體 twin count once): at 100,000
# entries about 420 parts of about 3 MB, and a new entry rewrites a few dozen of them.
SPAN = 512


class Sealed(NamedTuple):
    """What :func:`seal_site` did with the archive: how many members it copied from the previous
    one, how many parts it wrote (the others stayed as they were), and every part's member table."""

    copied: int
    written: int
    tables: dict


def is_archive(rel: str) -> bool:
    """Whether the site file ``rel`` is one of the archive's own (a part, or the list of them)."""
    return rel.startswith(FOLDER + "/")


def part_path(start: str) -> str:
    """The path of the part that starts at the path ``start`` ("" for the first part)."""
    return f"{FOLDER}/{hashlib.blake2b(start.encode('utf-8'), digest_size=6).hexdigest()}.zip"


def plan_parts(files: Iterable[str]) -> dict[str, list[str]]:
    """Which part holds each of ``files`` (paths in the site): part path -> its members, in the
    order they are written. Decided by the paths alone, so that a build, ``gongkai merge`` and
    ``gongkai verify`` agree."""
    files = sorted(files)
    keys = [rel.removeprefix(PREFIX) for rel in files]  # a 繁體 twin goes beside its page
    first = part_path("")
    parts: dict[str, list[str]] = {first: []}
    members, last = parts[first], None
    # A stable sort of the sorted paths by their keys: a page before its twin.
    for i in sorted(range(len(files)), key=keys.__getitem__):
        key = keys[i]
        if key != last and last is not None and zlib.crc32(key.encode("utf-8")) % SPAN == 0:
            members = parts.setdefault(part_path(key), [])
        members.append(files[i])
        last = key
    return parts


def reusable_from_table(
    path: Path, table: dict[str, tuple], old: dict[str, str], new: dict[str, str]
) -> Reuse:
    """The members of the part at ``path`` that the new site's files hold byte for byte, from
    the member table :func:`write_archive` returned when it wrote that part (name -> the fields of
    a :data:`Member`) and the digests of the files it was written from (``old``); ``new``: the new
    site's digests. The caller makes sure the part is the one the table describes."""
    return {
        name: (path, fields)
        for name, fields in table.items()
        if (digest := old.get(name)) is not None and digest == new.get(name) and name != MANIFEST
    }


@dataclass
class Previous:
    """The live site's archive: where its parts are (``site``), the digests of the live site's
    files (the parts among them), and each part's member table, given by ``table(part)``: None
    when it is not known. ``copyable(part)``: whether the part's bytes are as the table says (it
    is as its build left it), so that members can be copied from it."""

    site: Path
    digests: dict[str, str]
    table: Callable[[str], dict[str, Member] | None]
    copyable: Callable[[str], bool]

    def unchanged(self, part: str, members: list[str], digests: dict[str, str], inner: bool) -> bool:
        """Whether the live part ``part`` holds exactly ``members`` with the ``digests`` of the new
        site (``inner``: whether the site's SHA256SUMS, among them, is unchanged), so that it stays
        where it is."""
        if part not in self.digests:
            return False
        table = self.table(part)
        if table is None or len(table) != len(members) or list(table) != members:
            return False
        old = self.digests
        return all(old.get(m) == digests.get(m) if m != MANIFEST else inner for m in members)

    def reuse(self, digests: dict[str, str]) -> Reuse:
        """Every member of the live parts that a file of the new site (``digests``) holds."""
        found: Reuse = {}
        for part in sorted(p for p in self.digests if is_archive(p) and p != PARTS):
            table = self.table(part)
            if table is not None and self.copyable(part):
                found.update(reusable_from_table(self.site / part, table, self.digests, digests))
        return found


def seal_site(
    out: Path,
    digests: dict[str, str],
    *,
    source: Callable[[str], Path],
    archive_it: bool,
    previous: Callable[[], Previous | None] = lambda: None,
) -> Sealed:
    """Write the site archive (with ``archive_it``) and SHA256SUMS into ``out``, for the site whose
    files (but the archive's and SHA256SUMS) have the SHA-256 ``digests`` and are read from
    ``source(path)``; adds the archive's files to ``digests``. A part of ``previous`` (the live
    site's archive) that holds exactly the files it would hold is left where it is, not written;
    the others are written, copying from ``previous`` the members it holds. Shared by a build and
    by ``gongkai merge``, so that a merged site is sealed exactly as a build seals it."""
    copied, written, tables = 0, 0, {}
    lines = manifest_lines(digests)
    if archive_it:
        inner = "".join(lines).encode("utf-8")
        parts = plan_parts([*digests, MANIFEST])
        old = previous()
        same_inner = old is not None and digests == {
            rel: d for rel, d in old.digests.items() if not is_archive(rel)
        }
        found: dict[str, str] = {}
        reuse: Reuse | None = None
        with progress.stage("整站存档", len(digests) + 1, "个文件") as shown:
            for part, members in parts.items():
                if old is not None and old.unchanged(part, members, digests, same_inner):
                    found[part], tables[part] = old.digests[part], old.table(part)
                else:
                    if reuse is None:
                        reuse = old.reuse(digests) if old is not None else {}
                    count, tables[part], found[part] = write_archive(
                        out / part, members, source, inner, reuse
                    )
                    copied, written = copied + count, written + 1
                progress.advance(shown, len(members))
        listing = manifest_text(found)
        with naming(out / PARTS):
            (out / PARTS).write_bytes(listing)
        digests.update(found)
        digests[PARTS] = hashlib.sha256(listing).hexdigest()
        # The archive's files lie together in path order (one folder): their lines go in one place.
        own = manifest_lines({rel: digests[rel] for rel in [*found, PARTS]})
        at = bisect.bisect_left(lines, f"{FOLDER}/", key=lambda line: line[66:])
        lines[at:at] = own
    with naming(out / MANIFEST):
        (out / MANIFEST).write_bytes("".join(lines).encode("utf-8"))
    return Sealed(copied, written, tables)


def check(site: Path, expected: dict[str, str], skip: Iterable[str] = ()) -> list[str]:
    """Problems of the site archive in ``site`` against the site's manifest (``expected``: path ->
    SHA-256, from ``SHA256SUMS``), each beginning with the part it is in: the parts must be those
    the site's files make (see :func:`plan_parts`) and :data:`PARTS` must list them; each member
    must hold the bytes of the site file it copies, the parts must hold exactly the site's files
    but the archive's, and the ``SHA256SUMS`` among them must list those as the site's does. Parts
    in ``skip`` (found changed already) are not read. An empty list when it holds, or when the site
    has no archive."""
    held = {rel for rel in expected if is_archive(rel)}
    if not held:
        return []
    files = {rel: digest for rel, digest in expected.items() if not is_archive(rel)}
    planned = plan_parts([*files, MANIFEST])
    problems = [
        f"{rel}：不应有此文件（按网站的文件应分为 {len(planned)} 部分）"
        for rel in sorted(held - set(planned) - {PARTS})
    ]
    problems += [f"{rel}：缺少此部分" for rel in sorted(set(planned) - held)]
    listed = (site / PARTS).read_bytes() if (site / PARTS).is_file() else b""
    if PARTS not in held or listed != manifest_text({p: expected[p] for p in sorted(held - {PARTS})}):
        problems.append(f"{PARTS}：与网站的 {MANIFEST} 中各部分的校验和不符")
    skip = set(skip)
    for part, members in planned.items():
        if part in held and part not in skip and (site / part).is_file():
            problems += [f"{part}：{problem}" for problem in _check_part(site / part, members, files)]
    return problems


def _check_part(path: Path, members: list[str], files: dict[str, str]) -> list[str]:
    problems = []
    try:
        with zipfile.ZipFile(path) as archive:
            names = set()
            for info in archive.infolist():
                if info.is_dir():
                    continue
                names.add(info.filename)
                if info.filename == MANIFEST:
                    if archive.read(info) != manifest_text(files):
                        problems.append(f"{MANIFEST} 与网站的 {MANIFEST} 不符")
                elif info.filename not in files:
                    problems.append(f"多出 {info.filename}（网站中没有此文件）")
                elif _digest(archive, info) != files[info.filename]:
                    problems.append(f"{info.filename} 与网站中的同名文件不同")
            problems += [f"缺少 {rel}" for rel in members if rel not in names]
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError) as exc:
        problems.append(f"无法读取（{type(exc).__name__}：{exc}）")
    return problems


def _digest(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    with archive.open(info) as member:
        return sha256_stream(member)
