"""Near-duplicate reports (a wire story republished with a new headline or an edited line).

Each text becomes a datasketch MinHash (``affine32``) of its word 5-grams, hashed in numpy;
a datasketch LSH index finds stored texts whose estimated Jaccard similarity reaches ``THRESHOLD``. The
signature is a compact byte string, so the store can keep it and rebuild the index.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable

import numpy as np

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SHINGLE_WORDS = 5
# Estimated Jaccard similarity of word 5-grams at which two texts count as one story.
# One rewritten sentence in a 300-word story still leaves about 0.85.
THRESHOLD = 0.7
# Texts with fewer distinct 5-grams than this (about 25 words) are never linked: short
# templated items ("Qtly div six cts vs six cts prior ...") share most of their 5-grams
# while reporting different things.
MIN_SHINGLES = 20
_HEADER = b"SRMH2"  # format and version of a serialized signature: header, shingle count, values
_WORD = re.compile(r"\w+")
_VALUE_TYPE = np.dtype("<u4")
_BLOCK = 4096  # shingles per step of the MinHash computation
_MULTIPLIER = np.uint64(0x100000001B3)  # the 64-bit FNV prime


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the text's overlapping runs of ``SHINGLE_WORDS`` lower-cased words.

    Each word is hashed once (CRC-32, stable across processes, unlike ``hash``) and the
    runs are combined as polynomials in numpy: far cheaper than hashing every run's text.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint32)
    word_hashes = np.fromiter((zlib.crc32(word.encode("utf-8")) for word in words),
                              dtype=np.uint64, count=len(words))
    width = min(SHINGLE_WORDS, len(words))
    runs = len(words) - width + 1
    combined = np.zeros(runs, dtype=np.uint64)
    for offset in range(width):  # wraps modulo 2**64, as intended
        combined = combined * _MULTIPLIER + word_hashes[offset:offset + runs]
    return np.unique((combined ^ (combined >> np.uint64(32))).astype(np.uint32))


def text_signature(text: str) -> bytes:
    """The serialized MinHash (datasketch, ``affine32``) of a text's shingle hashes.

    The hashes go in blocks of ``_BLOCK`` so that a long text never builds one
    permutations-by-shingles matrix.
    """
    from datasketch import MinHash

    hashes = shingle_hashes(text)
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
    for start in range(0, hashes.size, _BLOCK):
        minhash.update_batch(hashes[start:start + _BLOCK].tolist())
    count = np.array([hashes.size], dtype=_VALUE_TYPE)
    return _HEADER + count.tobytes() + np.asarray(minhash.hashvalues).astype(_VALUE_TYPE).tobytes()


def signature_parts(signature: bytes) -> tuple[int, np.ndarray]:
    """The shingle count and hash values of a serialized signature; a foreign one is an error."""
    if not isinstance(signature, (bytes, bytearray, memoryview)):
        raise ValueError(f"a signature is bytes, not {type(signature).__name__}")
    signature = bytes(signature)
    if not signature.startswith(_HEADER) or len(signature) != _SIGNATURE_BYTES:
        raise ValueError("not a sitroom MinHash signature (wrong header or length)")
    count = int(np.frombuffer(signature, dtype=_VALUE_TYPE, count=1, offset=len(_HEADER))[0])
    return count, np.frombuffer(signature, dtype=_VALUE_TYPE, offset=len(_HEADER) + _VALUE_TYPE.itemsize)


def estimated_jaccard(first: bytes, second: bytes) -> float:
    """The share of equal MinHash values: an estimate of the texts' shingle Jaccard similarity."""
    return float(np.mean(signature_parts(first)[1] == signature_parts(second)[1]))


_SIGNATURE_BYTES = len(_HEADER) + (1 + NUM_PERM) * _VALUE_TYPE.itemsize


class NearDuplicateIndex:
    """Stored documents' signatures, queried for the original of a new near-copy.

    ``find`` returns the most similar stored document at or above ``threshold``
    (ties go to the one added first), so copies link to the earliest stored version.
    Texts shorter than ``MIN_SHINGLES`` 5-grams are neither found nor indexed.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._values: dict[str, np.ndarray] = {}
        self._order: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._values

    def signature(self, text: str) -> bytes:
        """The serialized MinHash of a text, to store beside its document."""
        return text_signature(text)

    def load(self, pairs: Iterable[tuple[str, bytes]]) -> None:
        """Add ``(document id, signature)`` pairs read back from the store."""
        for document_id, signature in pairs:
            self.add(document_id, signature)

    def add(self, document_id: str, signature: bytes) -> None:
        """Index one document; adding an id again changes nothing."""
        if document_id in self._values:
            return
        count, values = signature_parts(signature)
        if count < MIN_SHINGLES:  # too short to be anyone's original
            return
        self._lsh.insert(document_id, self._lean(values))
        self._values[document_id] = values
        self._order[document_id] = len(self._order)

    def find(self, signature: bytes) -> tuple[str, float] | None:
        """The stored document this text nearly duplicates, with the estimated Jaccard."""
        count, values = signature_parts(signature)
        if count < MIN_SHINGLES:
            return None
        best: tuple[float, int, str] | None = None
        for candidate in self._lsh.query(self._lean(values)):
            similarity = float(np.mean(self._values[candidate] == values))
            if similarity < self.threshold:
                continue
            key = (-similarity, self._order[candidate], candidate)
            if best is None or key < best:
                best = key
        if best is None:
            return None
        return best[2], -best[0]

    @staticmethod
    def _lean(values: np.ndarray):
        from datasketch import LeanMinHash

        return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)
