"""Tests for near-duplicate detection: syndicated copies link, different stories on the same topic do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitreps.ingest import NearDuplicateIndex, ReadOptions, iter_documents
from sitreps.model import Document

DATA = Path(__file__).parent.parent / "data" / "ingest"


def text_of(name: str) -> str:
    (doc,) = list(iter_documents([str(DATA / name)], ReadOptions()))
    assert isinstance(doc, Document)
    return doc.text


def test_neardup_syndicated_copy_matches():
    index = NearDuplicateIndex(threshold=0.8)
    index.add("wire", text_of("wire_original.txt"))
    hits = index.query(text_of("wire_syndicated.txt"))
    assert [h[0] for h in hits] == ["wire"]
    assert hits[0][1] >= 0.8


def test_neardup_different_story_on_same_topic_does_not_match():
    index = NearDuplicateIndex(threshold=0.8)
    index.add("wire", text_of("wire_original.txt"))
    assert index.query(text_of("other_story.txt")) == []


def test_neardup_signatures_compare_and_rebuild_the_index():
    index = NearDuplicateIndex()
    original, copy, other = (
        index.signature(text_of(n)) for n in ("wire_original.txt", "wire_syndicated.txt", "other_story.txt")
    )
    assert index.similarity(original, copy) >= 0.8
    assert index.similarity(original, other) < 0.3
    rebuilt = NearDuplicateIndex()
    rebuilt.add_signature("wire", original)
    assert [h[0] for h in rebuilt.query_signature(copy)] == ["wire"]


def test_neardup_round_trips_through_bytes():
    index = NearDuplicateIndex(threshold=0.7, num_perm=64)
    index.add("wire", text_of("wire_original.txt"))
    again = NearDuplicateIndex.from_bytes(index.to_bytes())
    assert again.threshold == 0.7 and again.num_perm == 64 and "wire" in again and len(again) == 1
    assert [h[0] for h in again.query(text_of("wire_syndicated.txt"))] == ["wire"]


def test_neardup_rejects_foreign_bytes():
    with pytest.raises(ValueError, match="not a near-duplicate index"):
        NearDuplicateIndex.from_bytes(b"\x80\x04not json")
    with pytest.raises(ValueError, match="signature is"):
        NearDuplicateIndex().add_signature("x", b"short")


def test_neardup_short_texts_need_a_real_overlap():
    index = NearDuplicateIndex()
    index.add("wire", text_of("wire_original.txt"))
    assert index.query("Insurgents stormed the police headquarters.") == []
