"""schema.org ``Claim`` JSON-LD for claims, the vocabulary fact-checkers and search engines read:
one ``Claim`` per claim with its ``text``, its ``author`` (a ``Person`` or ``Organization``
for a named speaker, the words that named an unnamed one), ``datePublished`` (when it was said,
else its report's date) and ``appearance``: the ``NewsArticle`` it was reported in, with the
character offsets of the statement.

sitroom reports who said what; it does not rate whether it is true, so no ``ClaimReview`` (whose
``reviewRating`` is a fact-checker's verdict) is written: a fact-checker adds those to the
Claims it reviews (``itemReviewed``).
"""

from __future__ import annotations

import json
from typing import IO, Any

from sitroom.export import ExportFormat, each, register

CONTEXT = "https://schema.org"
TYPE_OF_KIND = {"person": "Person"}


def author(claim: dict[str, Any]) -> dict[str, Any]:
    """The speaker as schema.org: a Person for a person's key, an Organization otherwise."""
    if claim["speaker_kind"] != "named":
        return {"@type": "Person", "name": claim["speaker_text"], "description": f"{claim['speaker_kind']} source"}
    kind = "Person" if claim["speaker_key"].startswith("person-") else "Organization"
    return {"@type": kind, "name": claim["speaker"], "identifier": claim["speaker_key"]}


def claim_node(claim: dict[str, Any]) -> dict[str, Any]:
    evidence = claim["evidence"]
    article = {"@type": "NewsArticle", "identifier": evidence["document_id"], "headline": evidence["document_title"],
               "datePublished": evidence["published"],
               "publisher": {"@type": "Organization", "name": evidence["source"]} if evidence["source"] else None,
               "text": evidence["sentence"],
               "description": f"characters {evidence['start']}-{evidence['end']} of the report"}
    node = {"@type": "Claim", "@id": f"urn:sitroom:claim:{claim['document_id']}:{claim['id']}",
            "text": claim["content"], "author": author(claim),
            "datePublished": claim["said_on"] or evidence["published"],
            "appearance": {key: value for key, value in article.items() if value is not None}}
    return {key: value for key, value in node.items() if value is not None}


def write(picture: Any, out: IO[str], filters: dict[str, Any]) -> None:
    out.write('{"@context": "%s", "@graph": [' % CONTEXT)
    first = True
    for claim in each(picture, "claims", filters):
        out.write(("\n" if first else ",\n") + json.dumps(claim_node(claim), ensure_ascii=False))
        first = False
    out.write("\n]}\n")


register(ExportFormat(name="claims-jsonld", media_type="application/ld+json", suffix=".jsonld", list="claims",
                      write=write, description="Claims as schema.org Claim JSON-LD: text, author, datePublished, "
                                               "appearance."))
