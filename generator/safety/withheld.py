"""What must never be published, as the gate and the output audit look for it: the titles and 索引号
of 不予公开 records and the bodies of 依申请公开 ones (:class:`generator.safety.privacy.WithheldIndex`),
and the fields of an entry that the portal publishes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.models.entry import Disclosure, Entry
from generator.safety import privacy


def withheld_index(entries: list[Entry], agency_names: list[str], content_dir: Path) -> privacy.WithheldIndex:
    """The index of what ``entries`` withhold. ``agency_names``: every agency's name, which a letter's
    salutation may repeat; ``content_dir``: where body files are."""
    withheld = [(entry.index_no, entry.title) for entry in entries if entry.disclosure is Disclosure.WITHHELD]
    on_request = []
    # A letter's salutation ("示例市发展和改革委员会：") names an agency the portal names everywhere.
    salutations = "\n".join(f"{name}：" for name in agency_names)
    for entry in entries:
        if entry.disclosure is Disclosure.ON_REQUEST:
            body = entry.body
            if entry.body_file:
                body = read_text(content_dir / entry.body_file)
            if body:
                # What the entry itself publishes (its summary may quote its body) is not withheld.
                published = "\n".join([*(text for _, text in published_fields(entry)), salutations])
                on_request.append((entry.index_no, body, published))
    return privacy.WithheldIndex(withheld, on_request)


def read_text(path: Path) -> str:
    """The file's text; empty if it cannot be read as UTF-8 (the loaders report that)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def published_fields(entry: Entry) -> Iterator[tuple[tuple, str]]:
    """(location, text) of every field of a public entry that reaches the portal."""
    yield ("index_no",), entry.index_no
    yield ("title",), entry.title
    yield ("summary",), entry.summary
    if entry.doc_no:
        yield ("doc_no",), entry.doc_no
    for i, keyword in enumerate(entry.keywords):
        yield ("keywords", i), keyword
    if entry.disclosure is Disclosure.PROACTIVE:
        if entry.body:
            yield ("body",), entry.body
        for i, attachment in enumerate(entry.attachments):
            if attachment.title:
                yield ("attachments", i, "title"), attachment.title
