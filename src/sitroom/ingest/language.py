"""Language identification (py3langid), cheap enough to run on every document."""

from __future__ import annotations

from functools import lru_cache

# How much of a document is looked at: enough for a firm answer, little enough to be fast
# (py3langid scans byte by byte in Python, so its sample is the shorter one).
SAMPLE_CHARS = 2000
CLASSIFIER_SAMPLE_CHARS = 1000
# Below this normalized probability the language is left undetermined (None); the
# pipeline then still parses the text, rather than dropping a document on a weak guess.
MIN_CONFIDENCE = 0.5

# Words that are frequent in any English prose and rare in other languages' text. When
# they make up a good share of the opening words, the text is English without asking the
# classifier (whose byte-by-byte scan in Python is the costly part of reading a document).
_ENGLISH_MARKERS = frozenset({
    "the", "and", "of", "that", "with", "said", "from", "which", "this", "would", "their",
    "been", "were", "has", "have", "its", "after", "they", "will", "who", "not",
})
_MARKER_SAMPLE_WORDS = 120
_MARKER_SHARE = 0.12
_MIN_THE = 2


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's model restricted to languages with an ISO 639-1 code (the contract's).

    Its other labels (``zxx`` "no linguistic content", English-based creoles such as
    ``pcm``) mostly fire on tables of figures and are not languages a pipeline is chosen for.
    The model is read from the package into memory: py3langid's own loader first writes it,
    24 MB uncompressed, to the temporary folder, and fails when that is full or not writable.
    """
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = _model_arrays()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def _model_arrays() -> tuple:
    """The arrays of py3langid's bundled model (an LZMA-compressed npz), decompressed in memory,
    in the form its ``load_model`` gives them."""
    import io
    import lzma
    from array import array

    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    def as_array(values: np.ndarray) -> array:  # the stdlib arrays py3langid walks byte by byte
        out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
        out.frombytes(np.ascontiguousarray(values).tobytes())
        return out

    with lzma.open(MODEL_DIR / MODEL_FILE) as compressed:
        raw = compressed.read()
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return (np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(), as_array(data["nextmove"]),
                as_array(data["nextmove_row"]), data["out_feat"].tolist())


def detect_language(text: str) -> tuple[str | None, float]:
    """The ISO 639-1 code of the text's language and its probability; None when unsure."""
    sample = text[:SAMPLE_CHARS]
    if not sample.strip():
        return None, 0.0
    if _plainly_english(sample):
        return "en", 1.0
    code, probability = _identifier().classify(sample[:CLASSIFIER_SAMPLE_CHARS])
    probability = float(probability)
    return (code if probability >= MIN_CONFIDENCE else None), probability


def _plainly_english(sample: str) -> bool:
    """Whether English function words are too common in the opening for any other language."""
    words = sample.lower().split(maxsplit=_MARKER_SAMPLE_WORDS)[:_MARKER_SAMPLE_WORDS]
    if len(words) < 20:
        return False
    markers = sum(word in _ENGLISH_MARKERS for word in words)
    return words.count("the") >= _MIN_THE and markers >= _MARKER_SHARE * len(words)
