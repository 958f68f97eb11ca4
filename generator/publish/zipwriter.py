"""Zip files as the site archive's parts are made: members compressed from files or copied as
compressed bytes from a previous zip, and the member table that says where each one's bytes are.

The zip is written here, not with ``zipfile``, because ``zipfile`` has no public way to copy a
member's compressed bytes. It is the plain subset every unzip reads: no data descriptors, UTF-8
names flagged, Zip64 records only where a size, an offset or the count of members needs them, fixed
times and permissions, members in the order given. ``zipfile`` reads it back in the tests, and
``unzip -t`` checks it.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from generator.errors import naming
from generator.publish.integrity import MANIFEST, sha256_file

# Every member's time and date, in the zip's DOS format: 1980-01-01 00:00, the earliest a zip
# holds, so that a part whose files are unchanged keeps its bytes (see generator.publish.archive).
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


# A member of a part, as its member table keeps it: where its compressed bytes start, its CRC-32,
# its compressed size and its size (a plain tuple: a table of them is made for every member of a
# large archive on each build).
Member = tuple[int, int, int, int]

# The members the previous archive holds with the bytes of a new file: name -> the part it is in,
# and its Member there.
Reuse = dict[str, tuple[Path, Member]]


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
