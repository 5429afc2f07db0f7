"""Doc helpers: the entity at a token, read from the IOB tags, is the one `doc.ents` lists."""

from __future__ import annotations

from typing import Any

from sitreps.nlp.extensions import ent_at


def _scan(doc: Any, i: int) -> Any:
    return next((e for e in doc.ents if e.start <= i < e.end), None)


def test_ent_at_matches_a_scan_of_doc_ents(nlp: Any) -> None:
    doc = nlp(
        "The Free Syrian Army shelled Deir ez-Zor on Monday, the Syrian Observatory for Human Rights said.\n"
        "Islamic State fighters later attacked the Tiyas airbase near Palmyra."
    )
    assert any(len(e) > 1 for e in doc.ents), "the text must hold a multiword entity for the test to mean anything"
    for tok in doc:
        got, want = ent_at(doc, tok.i), _scan(doc, tok.i)
        if want is None:
            assert got is None, tok.text
        else:
            assert got is not None, tok.text
            assert (got.start, got.end, got.label_, got.kb_id_, got.id_) == (
                want.start,
                want.end,
                want.label_,
                want.kb_id_,
                want.id_,
            )
