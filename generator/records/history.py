"""The catalogue's change history: what was added, changed and withdrawn, and when.

Derived from git when the project is in a repository: the commits that touched ``catalog/`` are
replayed oldest first (first parents only, so a merge counts on the day it landed), each entry
file's published face compared before and after. Without git, ``catalog/history.json`` (written by
``gongkai history``) stands in for the replay. Either way, what the records say now and the last
known state differ by the edits not yet committed; they are dated with the build's now.

Only what the portal publishes is compared: an 依申请公开 entry's body and attachments, and a
withheld reason, do not count. An entry that becomes 不予公开 disappears from the history
altogether, its earlier events included: the change log never describes it. A withdrawn entry keeps
a page at its URL saying so, unless its title is now withheld or holds personal data, in which case
the title is not shown.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import yaml

from generator import cache
from generator.models.entry import Disclosure
from generator.records.clock import git, git_head
from generator.records.project import Project
from generator.safety import privacy

STATE_FILE = "catalog/history.json"
CACHE = "history"
FACES_CACHE = "history-faces"
CST = timezone(timedelta(hours=8))
ADDED, CHANGED, WITHDRAWN = "新增", "修改", "撤回"
HIDDEN_TITLE = "（标题不予显示）"
_ENTRY_PATH = re.compile(r"(?:^|/)catalog/([a-z0-9-]+)/entries/.+\.yaml$")
_ON_REQUEST_PRIVATE = ("body", "body_file", "attachments")


@dataclass(frozen=True)
class Face:
    """What the portal publishes of one entry at one time."""

    agency: str
    title: str
    digest: str
    public: bool


@dataclass(frozen=True)
class Event:
    day: date
    kind: str  # ADDED, CHANGED or WITHDRAWN
    agency: str
    index_no: str
    title: str


@dataclass
class History:
    events: list[Event] = field(default_factory=list)  # oldest first
    faces: dict[str, Face] = field(default_factory=dict)  # index_no -> face, as last known
    source: str = "none"  # "git", "state" or "none"
    head: str = ""  # the commit the replay reached
    paths: dict[str, str] = field(default_factory=dict)  # entry file -> index_no, at ``head``
    mentioned: set[str] | None = field(default=None, repr=False, compare=False)

    def last_changed(self) -> dict[str, date]:
        """Each entry's last addition or change."""
        out: dict[str, date] = {}
        for event in self.events:
            if event.kind != WITHDRAWN:
                out[event.index_no] = event.day
        return out

    def withdrawn(self) -> dict[str, Event]:
        """Entries withdrawn and not back: their withdrawal."""
        out: dict[str, Event] = {}
        for event in self.events:
            if event.kind == WITHDRAWN:
                out[event.index_no] = event
            else:
                out.pop(event.index_no, None)
        return out

    def _mentioned(self) -> set[str]:
        """The index numbers the events name (kept up to date by ``apply``)."""
        if self.mentioned is None:
            self.mentioned = {e.index_no for e in self.events}
        return self.mentioned

    def apply(self, day: date, new: dict[str, Face | None]) -> None:
        """Record the changes from the known faces to ``new`` (index_no -> face, None: removed)."""
        for index_no in sorted(new):
            old, face = self.faces.get(index_no), new[index_no]
            was_public = old is not None and old.public
            if face is None:
                self.faces.pop(index_no, None)
                if was_public:
                    self.events.append(Event(day, WITHDRAWN, old.agency, index_no, old.title))
                    self._mentioned().add(index_no)
                continue
            self.faces[index_no] = face
            if not face.public:
                if index_no in self._mentioned():
                    # Withheld now: the history forgets it ever said anything about it.
                    self.events = [e for e in self.events if e.index_no != index_no]
                    self._mentioned().discard(index_no)
                continue
            if not was_public:
                self.events.append(Event(day, ADDED, face.agency, index_no, face.title))
                self._mentioned().add(index_no)
            elif old.digest != face.digest:
                self.events.append(Event(day, CHANGED, face.agency, index_no, face.title))

    def to_json(self) -> bytes:
        data = {
            "faces": {k: [f.agency, f.title, f.digest, f.public] for k, f in sorted(self.faces.items())},
            "events": [[e.day.isoformat(), e.kind, e.agency, e.index_no, e.title] for e in self.events],
        }
        return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, text: str, source: str = "state") -> History:
        data = json.loads(text)
        faces = {k: Face(a, t, d, bool(p)) for k, (a, t, d, p) in data.get("faces", {}).items()}
        events = [Event(date.fromisoformat(d), kind, a, i, t) for d, kind, a, i, t in data.get("events", [])]
        return cls(events, faces, source)


def face_of(agency: str, data: object) -> tuple[str, Face] | None:
    """The index number and published face of an entry file's mapping (None: not an entry)."""
    if not isinstance(data, dict) or not isinstance(data.get("index_no"), str):
        return None
    disclosure = data.get("disclosure")
    public = disclosure in (Disclosure.PROACTIVE.value, Disclosure.ON_REQUEST.value)
    shown = {k: v for k, v in data.items() if k != "withheld_reason"}
    if disclosure == Disclosure.ON_REQUEST.value:
        shown = {k: v for k, v in shown.items() if k not in _ON_REQUEST_PRIVATE}
    text = json.dumps(shown, ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return data["index_no"].strip(), Face(agency, str(data.get("title", "")).strip(), digest, public)


FACES_REWRITE = 200  # files


# The face of a file's content, by (agency, digest of the bytes): what the replay read, for
# current_faces to find the files whose bytes a commit holds without parsing them again.
Faces = dict[tuple[str, str], tuple[str, Face] | None]


def current_faces(
    project: Project, *, use_cache: bool = True, replayed: Faces | None = None
) -> dict[str, Face]:
    """The faces of the entry files as they are now (those that loaded), read like the replay reads
    them; cached by each file's digest. ``replayed``: faces the replay has just read, by digest (in
    a build without a cache, every committed file's)."""
    known = (cache.load(project.root, FACES_CACHE) if use_cache else None) or {}
    replayed = replayed or {}
    seen: Faces = {}
    faces = {}
    for record in project.entries:
        key = (record.agency, record.digest)
        if key in known:
            found = known[key]
        elif key in replayed:
            found = replayed[key]
        else:
            found = face_of(record.agency, _load((project.root / record.path).read_bytes()))
        seen[key] = found
        if found:
            faces[found[0]] = found[1]
    # Rewriting the cache of 100,000 faces takes a quarter of a second; reading a few changed
    # files again takes milliseconds. So it is rewritten once enough files missed it, or when it
    # holds many faces no file has any more.
    if use_cache:
        missed = sum(1 for key in seen if key not in known)
        if missed > FACES_REWRITE or len(known) > len(seen) + FACES_REWRITE or (missed and not known):
            cache.save(project.root, FACES_CACHE, seen)
    return faces


# -- git -----------------------------------------------------------------------------------------


def _day(seconds: int) -> date:
    return datetime.fromtimestamp(seconds, UTC).astimezone(CST).date()


def _load(text: bytes) -> object:
    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None  # a broken file in an old commit: as if it were not there


def replaygit(root: Path, since: History | None = None, read: Faces | None = None) -> History | None:
    """The history of ``root``'s catalogue from its git log, continuing ``since`` when given.
    ``read`` (when given) is filled with the face of every file content the replay read."""
    head_text = git_head(root)
    prefix = git(root, "rev-parse", "--show-prefix")
    if not head_text or prefix is None:
        return None
    prefix_text = prefix.decode().strip()
    history = since if since is not None else History()
    revisions = f"{history.head}..HEAD" if history.head else "HEAD"
    log = git(
        root,
        "log",
        "--reverse",
        "--first-parent",
        "-m",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=%x00%H %ct",
        revisions,
        "--",
        "catalog",
    )
    if log is None:
        return None
    by_path = history.paths  # path -> index_no, as of the last replayed commit
    paths_of: dict[str, set[str]] = defaultdict(set)  # and back: index_no -> the paths holding it
    for path, index_no in by_path.items():
        paths_of[index_no].add(path)
    commits = []
    for block in log.decode("utf-8", errors="replace").split("\0")[1:]:
        lines = block.strip().splitlines()
        sha, seconds = lines[0].split()
        changes = []
        for line in lines[1:]:
            # ":100644 100644 <old blob> <new blob> M\tpath"
            meta, _, path = line.partition("\t")
            fields = meta.split()
            match = _ENTRY_PATH.search(path)
            if len(fields) == 5 and match and path.startswith(prefix_text):
                changes.append((fields[4][:1], path, match.group(1), fields[3]))
        if changes:
            commits.append((sha, int(seconds), changes))
    # Read by blob id (a path in a commit's tree is found by scanning its folders: quadratic in
    # the size of a year's folder), a chunk at a time (the whole catalogue's files at once would
    # be held twice over).
    texts = _blob_texts(root, [blob for _, _, changes in commits for s, _, _, blob in changes if s != "D"])
    try:
        for _, seconds, changes in commits:
            _replay_commit(history, changes, texts, by_path, paths_of, _day(seconds), read)
    except _GitFailed:
        return None
    history.source, history.head = "git", head_text
    return history


def _replay_commit(
    history: History,
    changes: list[tuple[str, str, str, str]],
    texts: Iterator[bytes],
    by_path: dict[str, str],
    paths_of: dict[str, set[str]],
    day: date,
    read: Faces | None = None,
) -> None:
    """Apply one commit's changes (status, path, agency, blob) to ``history``; ``texts`` gives the
    contents of the blobs of the changes that are not deletions, in order."""
    new: dict[str, Face | None] = {}
    touched = set()
    for status, path, agency, _ in changes:
        old_index = by_path.pop(path, None)
        if old_index is not None:
            touched.add(old_index)
            paths_of[old_index].discard(path)
        if status == "D":
            continue
        text = next(texts)
        found = face_of(agency, _load(text))
        if read is not None:
            read[(agency, cache.digest(text))] = found
        if found:
            by_path[path] = found[0]
            paths_of[found[0]].add(path)
            new[found[0]] = found[1]
            touched.add(found[0])
    # An index number this commit took from a file and that another file still holds keeps its
    # face (a commit's cost is its changes, not the size of the catalogue).
    for index_no in touched:
        if index_no not in new:
            new[index_no] = history.faces.get(index_no) if paths_of.get(index_no) else None
    history.apply(day, new)


class _GitFailed(Exception):
    pass


BLOB_CHUNK = 20_000


def _blob_texts(root: Path, blobs: list[str]) -> Iterator[bytes]:
    """The contents of each blob, in order, read ``BLOB_CHUNK`` at a time by ``git cat-file
    --batch``; raises _GitFailed when git fails or a blob is missing."""
    for start in range(0, len(blobs), BLOB_CHUNK):
        part = blobs[start : start + BLOB_CHUNK]
        output = git(root, "cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in part).encode())
        if output is None:
            raise _GitFailed
        pos = 0
        for _ in part:
            end = output.find(b"\n", pos)
            if end == -1:
                raise _GitFailed
            header = output[pos:end].split()
            pos = end + 1
            if len(header) < 3 or header[1] != b"blob":
                raise _GitFailed  # missing (a damaged or partial clone): no history, not a wrong one
            size = int(header[2])
            yield output[pos : pos + size]
            pos += size + 1


# -- the project's history -------------------------------------------------------------------------


def project_history(project: Project, *, use_cache: bool = True) -> History:
    """The history up to the records as they are now (uncommitted edits dated with the build's now)."""
    root = project.root
    history: History | None = None
    replayed: Faces = {}
    shallow = git(root, "rev-parse", "--is-shallow-repository")
    if shallow is not None and shallow.strip() == b"false":  # in a repository with its whole history
        cached = cache.load(root, CACHE) if use_cache else None
        since = None
        if isinstance(cached, History) and cached.head:
            if git_head(root) == cached.head:
                history = cached
            elif git(root, "merge-base", "--is-ancestor", cached.head, "HEAD") is not None:
                since = cached
        if history is None:
            history = replaygit(root, since, replayed)
            if history is not None and use_cache:
                cache.save(root, CACHE, history)
    if history is None:
        state = root / STATE_FILE
        history = History.from_json(state.read_text(encoding="utf-8")) if state.is_file() else History()
    history = History(list(history.events), dict(history.faces), history.source, history.head)
    now = current_faces(project, use_cache=use_cache, replayed=replayed)
    known = history.faces
    pending: dict[str, Face | None] = {k: face for k, face in now.items() if known.get(k) != face}
    pending.update(dict.fromkeys(known.keys() - now.keys()))  # gone: apply() sorts them in
    if history.source == "none":
        # No history at all: each entry counts as added on the day it was published.
        dates = {r.entry.index_no: r.entry.published or r.entry.date for r in project.entries}
        by_day: dict[date, dict[str, Face | None]] = defaultdict(dict)
        for index_no, face in pending.items():
            by_day[dates.get(index_no, project.now.date)][index_no] = face
        for day in sorted(by_day):
            history.apply(day, by_day[day])
        return history
    history.apply(project.now.date, pending)
    return history


def safe_title(title: str, withheld: privacy.WithheldIndex) -> str:
    """A past title as it may be shown today: hidden when it holds personal data or withheld text."""
    if privacy.scan(title) or withheld.scan(title):
        return HIDDEN_TITLE
    return title
