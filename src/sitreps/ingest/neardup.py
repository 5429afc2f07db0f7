"""Near-duplicate detection (syndicated wire copy) with MinHash signatures and LSH over word shingles."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from sitreps.ingest.normalise import normalise_text

_WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 5
_DTYPE = np.dtype("<u8")


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


class NearDuplicateIndex:
    """MinHash LSH index of document texts: add ids, query for near-duplicates with estimated Jaccard.

    Args:
        threshold: estimated Jaccard similarity of shingle sets at which two texts are near-duplicates
            (ingest.near_duplicate_threshold).
        num_perm: MinHash permutations; more is more precise and slower (128 gives about ±0.04).
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = 128) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, MinHash] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._sigs

    def minhash(self, text: str) -> MinHash:
        """The MinHash of a text's shingles (same seed everywhere, so signatures compare across runs)."""
        mh = MinHash(num_perm=self.num_perm, seed=1)
        mh.update_batch(list(shingles(text)))
        return mh

    def signature(self, text: str) -> bytes:
        """A text's MinHash as bytes (num_perm little-endian uint64), for storing next to the document."""
        return bytes(np.asarray(self.minhash(text).hashvalues, dtype=_DTYPE).tobytes())

    def _from_signature(self, sig: bytes) -> MinHash:
        """A MinHash rebuilt from stored bytes."""
        values = np.frombuffer(sig, dtype=_DTYPE)
        if len(values) != self.num_perm:
            raise ValueError(f"signature has {len(values)} values, this index uses num_perm={self.num_perm}")
        return MinHash(num_perm=self.num_perm, seed=1, hashvalues=values.astype(np.uint64))

    def similarity(self, sig_a: bytes, sig_b: bytes) -> float:
        """Estimated Jaccard similarity of two stored signatures."""
        return float(self._from_signature(sig_a).jaccard(self._from_signature(sig_b)))

    def add(self, doc_id: str, text: str) -> None:
        """Index a document by its text (adding an id twice keeps the first)."""
        self.add_signature(doc_id, self.minhash(text))

    def add_signature(self, doc_id: str, sig: bytes | MinHash) -> None:
        """Index a document by a stored signature, so a store can rebuild the index without the texts."""
        if doc_id in self._sigs:
            return
        mh = self._from_signature(sig) if isinstance(sig, bytes) else sig
        self._lsh.insert(doc_id, mh)
        self._sigs[doc_id] = mh

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed documents that are near-duplicates of a text: (id, estimated Jaccard), best first."""
        return self.query_signature(self.minhash(text))

    def query_signature(self, sig: bytes | MinHash) -> list[tuple[str, float]]:
        """As `query`, from a signature."""
        mh = self._from_signature(sig) if isinstance(sig, bytes) else sig
        hits = [(str(k), float(self._sigs[k].jaccard(mh))) for k in self._lsh.query(mh)]
        hits = [h for h in hits if h[1] >= self.threshold]
        return sorted(hits, key=lambda h: (-h[1], h[0]))

    def to_bytes(self) -> bytes:
        """The whole index, serialised (threshold, num_perm and every signature)."""
        state = {
            "format": "sitreps-neardup/1",
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "sigs": {
                k: base64.b64encode(np.asarray(v.hashvalues, dtype=_DTYPE).tobytes()).decode("ascii")
                for k, v in self._sigs.items()
            },
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
            if state.get("format") != "sitreps-neardup/1":
                raise ValueError("unknown format")
            index = cls(threshold=float(state["threshold"]), num_perm=int(state["num_perm"]))
            for doc_id, sig in state["sigs"].items():
                index.add_signature(str(doc_id), base64.b64decode(sig))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as e:
            raise ValueError(f"not a near-duplicate index ({e})") from e
        return index
