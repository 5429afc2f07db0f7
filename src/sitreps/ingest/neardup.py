"""Near-duplicate detection (syndicated wire copy) with MinHash signatures and LSH over word shingles."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from sitreps.ingest.normalise import normalise_text

_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 5
SCHEME = "affine64"
"""datasketch permutation scheme, pinned so stored signatures stay comparable across datasketch versions."""
_DTYPE = np.dtype("<u8")
_MIN_CONTAINED = 20
"""Shingles the shorter text needs before containment counts (a one-line teaser proves nothing)."""
_FORMAT = "sitreps-neardup/1"


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Word n-grams of the normalised, lower-cased text (the unit syndicated copies share).

    Why words and not characters: a wire story re-published with a new headline and a trimmed
    last paragraph keeps most of its 5-word runs, while two reports of the same clash written
    independently share names and places but few 5-word runs.
    """
    words = _WORD.findall(normalise_text(text).lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(slots=True)
class _Sig:
    """A MinHash with the size of the shingle set it summarises (needed for containment)."""

    mh: MinHash
    size: int


def _score(a: _Sig, b: _Sig) -> float:
    """Estimated similarity: Jaccard, or containment of the shorter text when it is long enough.

    Why containment: a copy trimmed to its first paragraphs has a low Jaccard with the full
    story (the sets differ in size) yet is the same wire copy; |A∩B| is recovered from the
    Jaccard estimate and the set sizes as J·(|A|+|B|)/(1+J).
    """
    j = float(a.mh.jaccard(b.mh))
    small = min(a.size, b.size)
    if small < _MIN_CONTAINED:
        return j
    inter = j * (a.size + b.size) / (1.0 + j)
    return max(j, min(1.0, inter / small))


class NearDuplicateIndex:
    """MinHash LSH index of document texts: add ids, query for near-duplicates with a similarity estimate.

    Args:
        threshold: similarity at which two texts are near-duplicates (ingest.near_duplicate_threshold);
            the score is the larger of estimated Jaccard and estimated containment of the shorter text.
        num_perm: MinHash permutations; more is more precise and slower (128 gives about ±0.04).
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        # Candidates come from a looser LSH band setting, then are scored exactly on their signatures,
        # so a trimmed copy (Jaccard well under the threshold, containment near 1) is still found.
        self._lsh = MinHashLSH(threshold=max(0.1, threshold * 0.6), num_perm=num_perm)
        self._sigs: dict[str, _Sig] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sigs

    def _sig(self, text: str) -> _Sig:
        """The signature of a text's shingles (seed and scheme fixed, so signatures compare across runs)."""
        grams = shingles(text)
        mh = MinHash(num_perm=self.num_perm, seed=1, scheme=SCHEME)
        if grams:
            mh.update_batch(list(grams))
        return _Sig(mh, len(grams))

    def signature(self, text: str) -> bytes:
        """A text's signature as bytes, for storing next to the document.

        Layout: shingle count (uint64 LE) then num_perm MinHash values (uint64 LE).
        """
        return self._to_bytes(self._sig(text))

    def _to_bytes(self, sig: _Sig) -> bytes:
        """Serialise a signature (see `signature`)."""
        values = np.asarray(sig.mh.hashvalues, dtype=_DTYPE)
        return np.asarray([sig.size], dtype=_DTYPE).tobytes() + values.tobytes()

    def _from_bytes(self, data: bytes) -> _Sig:
        """A signature rebuilt from stored bytes."""
        if len(data) != 8 * (self.num_perm + 1):
            raise ValueError(
                f"signature is {len(data)} bytes; this index (num_perm={self.num_perm}) needs {8 * (self.num_perm + 1)}"
            )
        values = np.frombuffer(data, dtype=_DTYPE)
        mh = MinHash(num_perm=self.num_perm, seed=1, hashvalues=values[1:].astype(np.uint64), scheme=SCHEME)
        return _Sig(mh, int(values[0]))

    def similarity(self, sig_a: bytes, sig_b: bytes) -> float:
        """Estimated similarity of two stored signatures (the score `query` reports)."""
        return _score(self._from_bytes(sig_a), self._from_bytes(sig_b))

    def add(self, doc_id: str, text: str) -> None:
        """Index a document by its text (adding an id twice keeps the first)."""
        self._add(doc_id, self._sig(text))

    def add_signature(self, doc_id: str, sig: bytes) -> None:
        """Index a document by a stored signature, so a store can rebuild the index without the texts."""
        self._add(doc_id, self._from_bytes(sig))

    def _add(self, doc_id: str, sig: _Sig) -> None:
        if doc_id in self._sigs:
            return
        self._lsh.insert(doc_id, sig.mh)
        self._sigs[doc_id] = sig

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed documents that are near-duplicates of a text: (id, estimated similarity), best first."""
        return self._query(self._sig(text))

    def query_signature(self, sig: bytes) -> list[tuple[str, float]]:
        """As `query`, from a stored signature."""
        return self._query(self._from_bytes(sig))

    def _query(self, sig: _Sig) -> list[tuple[str, float]]:
        hits = [(str(k), _score(self._sigs[k], sig)) for k in self._lsh.query(sig.mh)]
        return sorted((h for h in hits if h[1] >= self.threshold), key=lambda h: (-h[1], h[0]))

    def to_bytes(self) -> bytes:
        """The whole index serialised as JSON (threshold, num_perm and every signature)."""
        state = {
            "format": _FORMAT,
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "sigs": {k: base64.b64encode(self._to_bytes(v)).decode("ascii") for k, v in self._sigs.items()},
        }
        return json.dumps(state, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> NearDuplicateIndex:
        """An index rebuilt from `to_bytes` output.

        Why JSON and not pickle: the state may be stored in a database or shared between
        machines, and loading it must never run code.

        Raises:
            ValueError: when the bytes are not an index this class wrote.
        """
        try:
            state = json.loads(data)
            if not isinstance(state, dict) or state.get("format") != _FORMAT:
                raise ValueError("unknown format")
            index = cls(threshold=float(state["threshold"]), num_perm=int(state["num_perm"]))
            for doc_id, sig in state["sigs"].items():
                index.add_signature(str(doc_id), base64.b64decode(sig))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as e:
            raise ValueError(f"not a near-duplicate index ({e})") from e
        return index
