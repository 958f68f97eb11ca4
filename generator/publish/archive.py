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

The zip is written here, not with ``zipfile``, because ``zipfile`` has no public way to copy a
member's compressed bytes. It is the plain subset every unzip reads: no data descriptors, UTF-8
names flagged, Zip64 records only where a size, an offset or the count of members needs them, fixed
times and permissions, members in the order of :func:`plan_parts`. ``zipfile`` reads it back in
the tests, and ``unzip -t`` checks it.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from generator import progress
from generator.errors import naming
from generator.portal.chinese import PREFIX
from generator.publish.integrity import (
    MANIFEST,
    manifest_lines,
    manifest_text,
    sha256_file,
    sha256_stream,
)

FOLDER = "data/site-archive"  # the parts, and the list of them
PARTS = f"{FOLDER}/SHA256SUMS"  # the parts' digests, in the format of the site's SHA256SUMS
# A part starts, on average, at one path in SPAN (a page and its 繁體 twin count once): at 100,000
# entries about 420 parts of about 3 MB, and a new entry rewrites a few dozen of them.
SPAN = 512
# Every member's time and date, in the zip's DOS format: 1980-01-01 00:00, the earliest a zip
# holds (see above).
_TIME, _DATE = 0, (1 << 5) | 1
LEVEL = 1  # deflate level: about 1.7 times as fast as the default for an archive about a tenth larger
IN_MEMORY = 256 << 20  # bytes: a larger file is compressed in chunks, never read whole
_CHUNK = 1 << 20

# Files already compressed are stored as they are.
COMPRESSED = frozenset(
    {
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".woff",
        ".woff2",
        ".pdf",
        ".zip",
        ".gz",
        ".xlsx",
        ".docx",
        ".pf_fragment",
        ".pf_index",
        ".pf_meta",
        ".pagefind",
    }
)

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_END64 = struct.Struct("<4sQ2H2L4Q")
_LOCATOR64 = struct.Struct("<4sLQL")
_LIMIT = 0xFFFFFFFF  # the largest size or offset a plain zip field holds
_MANY = 0xFFFF  # the largest count of members a plain end record holds
_UTF8 = 0x800  # general purpose flag: the name is UTF-8
_UNIX = 3  # "made by" system: external attributes are Unix modes, the same bytes on every platform
_MODE = 0o644 << 16


def method(name: str) -> int:
    """How ``name`` is kept in the archive: stored if already compressed, else deflated."""
    # As Path(name).suffix, without building a Path for each of a site's files.
    base = name.rpartition("/")[2]
    dot = base.rfind(".")
    suffix = base[dot:].lower() if 0 < dot < len(base) - 1 else ""
    return zipfile.ZIP_STORED if suffix in COMPRESSED else zipfile.ZIP_DEFLATED


class Sealed(NamedTuple):
    """What :func:`seal_site` did with the archive: how many members it copied from the previous
    one, how many parts it wrote (the others stayed as they were), and every part's member table."""

    copied: int
    written: int
    tables: dict


# A member of a part, as its member table keeps it: where its compressed bytes start, its CRC-32,
# its compressed size and its size (a plain tuple: a table of them is made for every member of a
# large archive on each build).
Member = tuple[int, int, int, int]


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


# The members the previous archive holds with the bytes of a new file: name -> the part it is in,
# and its Member there.
Reuse = dict[str, tuple[Path, Member]]


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


def read_table(path: Path) -> dict[str, Member] | None:
    """The member table of the part at ``path`` read from the part itself (the members kept as
    this module keeps them: the same method, no data descriptor, unencrypted); None if it cannot
    be read."""
    try:
        with zipfile.ZipFile(path) as old:
            infos = [
                info
                for info in old.infolist()
                if info.compress_type == method(info.filename) and not info.flag_bits & 0x09
            ]
        table = {}
        with path.open("rb") as handle:
            for info in infos:
                handle.seek(info.header_offset)
                fields = _LOCAL.unpack(handle.read(_LOCAL.size))
                if fields[0] != b"PK\x03\x04":
                    return None
                start = info.header_offset + _LOCAL.size + fields[10] + fields[11]
                table[info.filename] = (start, info.CRC, info.compress_size, info.file_size)
    except (OSError, zipfile.BadZipFile, struct.error):
        return None
    return table


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


def directory_digest(path: Path) -> str:
    """A digest of the archive's central directory and end records: every member's name, CRC-32,
    sizes and place. It stands for the archive wherever the file is (a copy restored from a CI
    cache has another inode and time); "" when the file is not an archive as written here."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            if size < _END.size:
                return ""
            handle.seek(size - _END.size)
            end = _END.unpack(handle.read(_END.size))
            if end[0] != b"PK\x05\x06" or end[7]:  # no end record, or a comment (never written here)
                return ""
            start = end[6]
            if start == _LIMIT:  # Zip64: the directory's place is in the Zip64 end record
                handle.seek(size - _END.size - _LOCATOR64.size)
                locator = _LOCATOR64.unpack(handle.read(_LOCATOR64.size))
                handle.seek(locator[2])
                end64 = _END64.unpack(handle.read(_END64.size))
                if locator[0] != b"PK\x06\x07" or end64[0] != b"PK\x06\x06":
                    return ""
                start = end64[9]
            if not 0 <= start < size:
                return ""
            handle.seek(start)
            h = hashlib.blake2b(digest_size=16)
            while chunk := handle.read(_CHUNK):
                h.update(chunk)
    except (OSError, struct.error):
        return ""
    return f"{size}:{h.hexdigest()}"


def _large(size: int) -> bool:
    """Whether a member of ``size`` bytes takes Zip64 sizes. Decided by its size alone (with room
    for deflate's worst growth, 0.03%), so that a header written before the data is compressed has
    the length of the completed one."""
    return size >= _LIMIT - (1 << 24)


class _Out:
    """The archive file, written with few system calls and hashed as it is written: small writes
    are gathered (two system calls per member took about half the time of copying 300,000
    members), and large copied members are read a mebibyte at a time. Once a header has been
    written again in place (a member too large for memory), the file is hashed after, and copies
    go from file to file inside the kernel (``copy_file_range``)."""

    def __init__(self, raw) -> None:
        self.raw = raw  # an unbuffered binary file
        self.pos = 0
        self.pending: list[bytes] = []
        self.pending_size = 0
        # The file's SHA-256, taken as it is written (SHA256SUMS lists the archive): None once a
        # header is written again in place, after its member's data.
        self.sha256: hashlib._Hash | None = hashlib.sha256()

    def tell(self) -> int:
        return self.pos

    def write(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_size += len(data)
        self.pos += len(data)
        if self.pending_size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            view = memoryview(b"".join(self.pending))
            if self.sha256 is not None:
                self.sha256.update(view)
            while view:
                view = view[self.raw.write(view) :]
            self.pending, self.pending_size = [], 0

    def seek(self, pos: int) -> None:
        self.flush()
        self.raw.seek(pos)
        self.pos = pos
        self.sha256 = None

    def copy(self, source, offset: int, count: int) -> None:
        """Append ``count`` bytes (a mebibyte or more) of the file ``source`` from ``offset``."""
        self.flush()
        self.pos += count
        if self.sha256 is not None:  # the bytes pass through here to be hashed
            self._pass_through(source, offset, count)
            return
        try:
            while count:
                done = os.copy_file_range(source.fileno(), self.raw.fileno(), count, offset)
                if not done:
                    raise zipfile.BadZipFile("the previous archive is cut short")
                offset, count = offset + done, count - done
        except OSError:  # no copy_file_range here (another system, or across file systems)
            self._pass_through(source, offset, count)

    def _pass_through(self, source, offset: int, count: int) -> None:
        while count:
            chunk = os.pread(source.fileno(), min(count, _CHUNK), offset)
            if not chunk:
                raise zipfile.BadZipFile("the previous archive is cut short")
            if self.sha256 is not None:
                self.sha256.update(chunk)
            view = memoryview(chunk)
            while view:
                view = view[self.raw.write(view) :]
            offset, count = offset + len(chunk), count - len(chunk)


class _Writer:
    def __init__(self, out: _Out, old: _Sources) -> None:
        self.out = out
        self.old = old  # the previous archive's parts, opened as needed
        self.central: list[bytes] = []
        self.table: dict[str, Member] = {}  # name -> its Member
        # Small members copied from a part of the previous archive that lie there one after
        # another, not written yet (see _end_span): each (name, kind, member, its header as written
        # here), the part, and where in it their bytes, headers included, start and end.
        self.span: list[tuple[str, int, Member, bytes]] = []
        self.span_source: Path | None = None
        self.span_start = self.span_end = 0

    def header(self, name: str, kind: int, crc: int, compressed: int, size: int) -> bytes:
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8
        large = _large(size)
        extra = struct.pack("<2H2Q", 1, 16, size, compressed) if large else b""
        version = 45 if large else 20
        small = (compressed, size) if not large else (_LIMIT, _LIMIT)
        fields = (b"PK\x03\x04", version, 0, flags, kind, _TIME, _DATE, crc, *small)
        return _LOCAL.pack(*fields, len(encoded), len(extra)) + encoded + extra

    def record(self, name: str, kind: int, crc: int, compressed: int, size: int, offset: int) -> None:
        """The member's central directory record. Its Zip64 field holds only the values too large
        for their own fields."""
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else _UTF8
        wide = [v for v in (size, compressed, offset) if v >= _LIMIT]
        extra = struct.pack(f"<2H{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
        version = 45 if _large(size) or wide else 20
        fields = (b"PK\x01\x02", version, _UNIX, version, 0, flags, kind, _TIME, _DATE, crc)
        sizes = (min(compressed, _LIMIT), min(size, _LIMIT), len(encoded), len(extra), 0, 0, 0, _MODE)
        self.central.append(_CENTRAL.pack(*fields, *sizes, min(offset, _LIMIT)) + encoded + extra)

    def member(
        self, name: str, kind: int, crc: int, compressed: int, size: int, data: Iterable[bytes]
    ) -> None:
        """One member whose CRC and sizes are known: its local header, then ``data``."""
        self._end_span()
        offset = self.out.tell()
        self.out.write(self.header(name, kind, crc, compressed, size))
        self.table[name] = (self.out.tell(), crc, compressed, size)
        for chunk in data:
            self.out.write(chunk)
        self.record(name, kind, crc, compressed, size, offset)

    def copied(self, name: str, kind: int, source: Path, member: Member) -> None:
        """One member copied as compressed bytes from the previous archive's part ``source``.
        Small members that lie there one after another are gathered into a span, copied in one
        piece of up to a mebibyte (see _end_span) instead of a header, a read and a write each; a
        larger one is read a mebibyte at a time."""
        data_offset, crc, compressed, size = member
        header = self.header(name, kind, crc, compressed, size)
        if compressed < _CHUNK:
            at = data_offset - len(header)
            if self.span and (
                source != self.span_source or at != self.span_end or self.span_end - self.span_start >= _CHUNK
            ):
                self._end_span()
            if not self.span:
                self.span_source, self.span_start = source, at
            self.span.append((name, kind, member, header))
            self.span_end = data_offset + compressed
            return
        self._end_span()
        offset = self.out.tell()
        self.out.write(header)
        self.table[name] = (self.out.tell(), crc, compressed, size)
        self.out.copy(self.old.file(source), data_offset, compressed)
        self.record(name, kind, crc, compressed, size, offset)

    def _end_span(self) -> None:
        """Write the gathered span: its bytes of the previous archive are read in one piece and
        each header written over its old one (the build's time may differ), so the bytes are
        those of the members written one by one. Each member's data starts its header's length
        after the previous member's data ends."""
        span, self.span = self.span, []
        if not span:
            return
        start = self.span_start
        assert self.span_source is not None
        data = bytearray(self.span_end - start)
        if os.preadv(self.old.file(self.span_source).fileno(), [data], start) != len(data):
            raise zipfile.BadZipFile("the previous archive is cut short")
        base = self.out.tell() - start
        for name, kind, (data_offset, crc, compressed, size), header in span:
            at = data_offset - len(header)
            data[at - start : data_offset - start] = header
            self.table[name] = (base + data_offset, crc, compressed, size)
            self.record(name, kind, crc, compressed, size, base + at)
        self.out.write(data)

    def stream(self, name: str, kind: int, source: Path, size: int) -> None:
        """One member compressed chunk by chunk from ``source``; its header is completed after."""
        self._end_span()
        offset = self.out.tell()
        self.out.write(self.header(name, kind, 0, 0, size))
        start = self.out.tell()
        crc = compressed = 0
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        with source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                crc = zlib.crc32(chunk, crc)
                out = chunk if kind == zipfile.ZIP_STORED else compressor.compress(chunk)
                compressed += len(out)
                self.out.write(out)
        if kind != zipfile.ZIP_STORED:
            tail = compressor.flush()
            compressed += len(tail)
            self.out.write(tail)
        end = self.out.tell()
        self.out.seek(offset)
        self.out.write(self.header(name, kind, crc, compressed, size))
        self.out.seek(end)
        self.table[name] = (start, crc, compressed, size)
        self.record(name, kind, crc, compressed, size, offset)

    def finish(self) -> None:
        self._end_span()
        start = self.out.tell()
        for record in self.central:
            self.out.write(record)
        size, count = self.out.tell() - start, len(self.central)
        if count >= _MANY or start >= _LIMIT or size >= _LIMIT:
            end64 = self.out.tell()
            self.out.write(
                _END64.pack(b"PK\x06\x06", _END64.size - 12, 45, 45, 0, 0, count, count, size, start)
            )
            self.out.write(_LOCATOR64.pack(b"PK\x06\x07", 0, end64, 1))
        few = min(count, _MANY)
        self.out.write(_END.pack(b"PK\x05\x06", 0, 0, few, few, min(size, _LIMIT), min(start, _LIMIT), 0))
        self.out.flush()


def _compress(data: bytes, kind: int) -> bytes:
    if kind == zipfile.ZIP_STORED:
        return data
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _add(writer: _Writer, name: str, data: bytes, kind: int) -> None:
    packed = _compress(data, kind)
    writer.member(name, kind, zlib.crc32(data), len(packed), len(data), [packed])


class _Sources:
    """The previous archive's parts that members are copied from, each opened (unbuffered) when
    first needed and closed at the end."""

    def __init__(self) -> None:
        self.open: dict[Path, object] = {}

    def file(self, path: Path):
        handle = self.open.get(path)
        if handle is None:
            handle = self.open[path] = path.open("rb", buffering=0)
        return handle

    def close(self) -> None:
        for handle in self.open.values():
            handle.close()
        self.open.clear()


def write_archive(
    target: Path,
    files: list[str],
    source: Callable[[str], Path],
    manifest: bytes,
    reuse: Reuse | None = None,
) -> tuple[int, dict[str, Member], str]:
    """Write the zip of ``files`` (paths in the site, read from ``source(path)``; ``SHA256SUMS``
    among them stands for ``manifest``), in the order given, every entry dated 1980-01-01. Members
    that ``reuse`` names are copied from the previous archive's parts. Returns how many members were
    copied, the zip's member table (name -> its :data:`Member`) for
    :func:`reusable_from_table`, and the zip's SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    copied = 0
    reuse = reuse or {}
    sources = _Sources()
    with naming(target), target.open("wb", buffering=0) as raw:
        try:
            writer = _Writer(_Out(raw), sources)
            for name in files:
                kind = method(name)
                if name == MANIFEST:
                    _add(writer, name, manifest, kind)
                    continue
                found = reuse.get(name)
                if found is not None:
                    writer.copied(name, kind, *found)
                    copied += 1
                    continue
                path = source(name)
                size = path.stat().st_size
                if size > IN_MEMORY:
                    writer.stream(name, kind, path, size)
                else:
                    _add(writer, name, path.read_bytes(), kind)
            writer.finish()
        finally:
            sources.close()
    hashed = writer.out.sha256
    return copied, writer.table, hashed.hexdigest() if hashed is not None else sha256_file(target)


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
