"""The source-format reference page is generated from the models and must not be stale."""

from __future__ import annotations

from generator.devtools.refdocs import render
from generator.models.entry import Entry
from tests.conftest import REPO


def test_reference_page_is_up_to_date():
    committed = (REPO / "docs" / "reference" / "records.md").read_text(encoding="utf-8")
    assert committed == render(), "run: python -m generator.devtools.refdocs"


def test_reference_lists_every_entry_key_with_its_label():
    text = render()
    for name, info in Entry.model_fields.items():
        assert f"| `{name}` | {info.title} |" in text
