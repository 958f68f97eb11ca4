"""Which of a project's files git vouches for: files whose bytes are the blob git's index names.

A CI job's checkout is new: every file has a new inode and new times, so no cached stamp matches
and every entry file would be read again, though nearly all hold the bytes the cache was made from.
Git already knows: its index records each file's blob id (the hash of its bytes) with the stat data
it was checked out with, and ``git ls-files -m`` (which compares those, and re-hashes any file whose
stat data cannot vouch for it) lists every file that differs. A file git lists
nowhere holds its index blob's bytes, so an entry cached with that blob id is taken as read.

What this trusts is git's object hash (SHA-1 with collision detection, or SHA-256) over the bytes,
instead of the build's own digest. A file git does not check (assumed unchanged, skip-worktree, a
symlink, a conflict) is read as any other.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from generator.records.clock import git

_FORMATS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
_REGULAR_MODES = (b"100644", b"100755")


def blob_id(hash_name: str, raw: bytes) -> str:
    """The id git gives a blob of these bytes under its object hash ``hash_name`` ("" for none)."""
    if not hash_name:
        return ""
    return _FORMATS[hash_name](b"blob %d\0" % len(raw) + raw).hexdigest()


class GitFiles:
    """The blob ids of ``folder``'s files (relative to ``root``, as ``catalog/...``) that git
    vouches for; empty outside git, or when git cannot tell."""

    def __init__(self, root: Path, folder: str) -> None:
        self.hash_name = ""
        self.blobs: dict[str, str] = {}
        found = git(root, "rev-parse", "--show-object-format")
        name = found.decode().strip() if found is not None else ""
        if name not in _FORMATS:
            return
        # --show-object-format needs git 2.25; older gits answer with the argument itself.
        listed = git(root, "ls-files", "-s", "-v", "-z", "--", f"{folder}/")
        # Files whose bytes differ from their index blob: git compares the stat data it checked
        # them out with and re-hashes any file whose stat data it cannot vouch for by itself
        # (changed, or written in the same tick as the index: git's own "racy" rule).
        modified = git(root, "ls-files", "-m", "-z", "--", f"{folder}/")
        if listed is None or modified is None:
            return
        differs = {path.decode("utf-8", "surrogateescape") for path in modified.split(b"\0") if path}
        for line in listed.split(b"\0"):
            if not line:
                continue
            info, _, path = line.partition(b"\t")
            tag, mode, blob, stage = info.split(b" ")
            rel = path.decode("utf-8", "surrogateescape")
            if tag == b"H" and mode in _REGULAR_MODES and stage == b"0" and rel not in differs:
                self.blobs[rel] = blob.decode()
        self.hash_name = name

    def vouches(self, rel: str, blob: str) -> bool:
        """Whether the file at ``rel`` holds the bytes of the blob ``blob`` (an id taken from bytes
        read before)."""
        return bool(blob) and self.blobs.get(rel) == blob
