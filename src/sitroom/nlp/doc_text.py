"""The text of a parsed ``Doc``, built once.

spaCy's ``Doc.text`` joins every token's text anew on each access (a pass over the whole
document), and the extractors read it many times per document (a figure's line, the words
around an entity). A ``Doc``'s text never changes, so it is kept here for as long as the
``Doc`` lives (a weak reference: nothing is held after the document is done).
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc

_TEXTS: "WeakKeyDictionary[Doc, str]" = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed on the first call for ``doc`` only."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text
