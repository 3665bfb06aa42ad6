"""Who a source phrase is: a named entity of the document, an anonymous source, or unresolved.

- A name inside the phrase, or a surname of an earlier name, is that entity.
- A pronoun is the latest earlier speaker that agrees with it: "he" and "she" a person whose
  gender the document does not contradict (an honorific, a gendered role noun such as
  "spokeswoman", or his/her bound to the name in its own sentence), "they" a group; a definite
  nominal ("the agency", "the official") an earlier speaker whose phrase or roles fit.
- What stays unresolved keeps its text but no name (``kind="unresolved"``): it is never
  merged with another document's "he", nor listed as a speaker.
- A phrase about unnamed people or bodies ("U.S. officials", "a senior European diplomat",
  "analysts", "sources familiar with the talks") is an anonymous source
  (``kind="anonymous"``): its name is ``anonymous:<affiliation>:<role>`` (the affiliation an
  ISO country code when it is a country, else the name given, else "-"; the role the head
  noun, singular), so such sources group across reports and stay apart from named people.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import IDX
from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Entity, Speaker

PERSON_PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "them", "we"}
THING_PRONOUNS = {"it"}
DEMONSTRATIVES = {"this", "that", "these", "those"}
ORG_NOUNS = {"agency", "service", "office", "ministry", "department", "government", "administration", "council",
             "committee", "commission", "company", "firm", "campaign", "group", "organization", "organisation",
             "party", "court", "military", "army", "alliance", "bureau", "institute", "newspaper", "network",
             "outlet", "paper", "embassy", "union", "board", "authority", "authorities", "state",
             "weekly", "daily", "magazine", "broadcaster", "portal", "website", "tabloid", "publication"}
PERSON_NOUNS = {"official", "spokesperson", "spokesman", "spokeswoman", "chief", "president", "minister",
                "director", "secretary", "leader", "senator", "governor", "candidate", "nominee", "general",
                "commander", "ambassador", "chairman", "chairwoman", "chair", "envoy", "diplomat", "aide",
                "adviser", "advisor", "head", "premier", "king", "queen", "mayor", "representative", "lawmaker",
                "congressman", "congresswoman", "judge", "prosecutor", "lawyer", "attorney", "businessman",
                "billionaire", "man", "woman", "analyst", "expert", "researcher", "economist", "professor"}
# Nouns for the unnamed people news cites besides the roles above: what makes a source phrase
# an anonymous source rather than an unresolved one (class: anonymous sourcing).
SOURCE_NOUNS = {"source", "person", "people", "observer", "witness", "resident", "critic", "activist", "insider",
                "negotiator", "investigator", "officer", "soldier", "member", "journalist", "reporter", "scientist",
                "doctor", "worker", "employee", "staff", "personnel", "politician", "legislator", "voter",
                "survivor", "refugee", "volunteer", "commentator", "specialist", "authority", "intelligence"}
# Documents that speak for the body that issued them ("the statement said", "the report added").
DOCUMENT_NOUNS = {"statement", "report", "communique", "declaration", "letter", "document", "release", "memo",
                  "notice", "post", "tweet", "announcement", "resolution", "readout"}
# Heads that stand for a country's state as a whole ("Ukraine's government said").
GOVERNMENT_NOUNS = {"government", "authorities", "authority", "administration", "leadership", "state"}
# Quantifying heads of a source phrase ("many", "some of the officials").
QUANTIFIERS = {"some", "many", "others", "other", "several", "few", "most", "both", "all", "one"}
ORG_TYPES = {"ORG", "GPE", "NORP"}
SPEAKER_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
# Words that tell a person's gender (grammar, not names): honorifics and gendered role nouns.
FEMALE_WORDS = {"mrs", "ms", "miss", "madam", "madame", "spokeswoman", "chairwoman", "congresswoman",
                "businesswoman", "woman", "wife", "mother", "daughter", "sister", "queen", "princess", "actress",
                "lady", "grandmother", "widow"}
MALE_WORDS = {"mr", "sir", "spokesman", "chairman", "congressman", "businessman", "man", "husband", "father",
              "son", "brother", "king", "prince", "actor", "grandfather", "widower"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                  "herself": "f"}


def _gender_evidence(doc: Doc, entities: list[Entity]) -> dict[str, set[str]]:
    """Entity id -> the genders the document gives that person ("m", "f"; both when it disagrees)."""
    evidence: dict[str, set[str]] = {}
    people = [entity for entity in entities if entity.type == "PERSON"]
    if not people:
        return evidence
    # token index by start offset, from the IDX column (not a Token made for every word)
    token_at = {start: i for i, start in enumerate(doc.to_array(IDX).tolist())}
    for entity in people:
        found: set[str] = set()
        for role in entity.roles:
            found |= {_word_gender(w) for w in role.lower().replace(".", "").split()} - {None}
        for mention in entity.mentions:
            index = token_at.get(mention.start)
            if index is None:
                continue
            first = doc[index]
            for prior in doc[max(0, first.i - 3):first.i]:
                gender = _word_gender(prior.lower_.rstrip("."))
                if gender:
                    found.add(gender)
            found |= _bound_pronoun(doc, first, entities)
        if found:
            evidence[entity.id] = found
    return evidence


def _word_gender(word: str) -> str | None:
    if word in FEMALE_WORDS:
        return "f"
    if word in MALE_WORDS:
        return "m"
    return None


def _bound_pronoun(doc: Doc, first: Token, entities: list[Entity]) -> set[str]:
    """The gender of a possessive or reflexive pronoun later in the sentence of a mention that
    is its clause's subject, with no other person named in between ("Lind said her ...")."""
    if first.ent_type_ != "PERSON":
        return set()
    head = first
    while head.dep_ in ("compound", "flat") and head.head.i != head.i:
        head = head.head
    if head.dep_ not in ("nsubj", "nsubjpass"):
        return set()
    sentence = first.sent
    for token in doc[head.i + 1:sentence.end]:
        if token.ent_type_ == "PERSON":
            return set()
        if token.lower_ in ("his", "her", "himself", "herself") and token.pos_ == "PRON":
            return {PRONOUN_GENDER[token.lower_]}
    return set()


class Speakers:
    """Resolves source phrases to speakers, remembering earlier speakers for pronouns and nominals."""

    def __init__(self, doc: Doc, entities: list[Entity]) -> None:
        self.doc = doc
        self.entities = entities
        self.by_offset: list[tuple[int, int, Entity]] = sorted(
            ((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: x[0])
        self.history: list[tuple[Entity, str, int]] = []  # (entity, source phrase, offset)
        self._genders: dict[str, set[str]] | None = None

    def gender(self, entity: Entity) -> set[str]:
        if self._genders is None:
            self._genders = _gender_evidence(self.doc, self.entities)
        return self._genders.get(entity.id, set())

    def _entity_in(self, source: SpacySpan) -> Entity | None:
        head = source.root
        inside = [(s, e, ent) for s, e, ent in self.by_offset if s >= source.start_char and e <= source.end_char]
        if not inside:
            inside = [(s, e, ent) for s, e, ent in self.by_offset if s < source.end_char and source.start_char < e]
        if not inside:
            return None
        holding_head = [x for x in inside if x[0] <= head.idx < x[1]]
        if holding_head:
            return holding_head[0][2]
        # a name governed by a title noun ("Secretary General Mark Rutte") is the speaker only when the
        # head noun is itself part of a name chain; a nominal head ("the agency chief") is not a name
        if head.pos_ == "PROPN":
            people = [x for x in inside if x[2].type == "PERSON"]
            if people:
                return people[-1][2]
        if head.lemma_.lower() in PERSON_NOUNS:
            # a title with the name beside it: "Ukraine's ambassador in London, Vadym Prystaiko"
            named = [x for x in inside if x[2].type == "PERSON" and self._beside(head, x[0])]
            if len({x[2].id for x in named}) == 1:
                return named[0][2]
        return None

    def _beside(self, head: Token, start: int) -> bool:
        """The name starting at ``start`` stands beside ``head`` (apposition or compound), not
        inside a prepositional phrase of it ("the spokesman for President Biden")."""
        token = next((t for t in head.doc if t.idx == start), None)
        while token is not None and token.i != head.i:
            if token.dep_ in ("prep", "pobj", "poss", "agent") or token.head.i == token.i:
                return False  # inside a phrase of its own, or past the root without meeting the head
            token = token.head
        return token is not None

    def _recent(self, offset: int, types: set[str], noun: str | None = None, words: Iterable[str] = (),
                window: int = 1500, gender: str | None = None) -> Entity | None:
        """The latest earlier speaker of these types whose phrase or roles hold ``noun`` and
        ``words``, and whose gender (when the document tells it) agrees with ``gender``."""
        for entity, phrase, at in reversed(self.history):
            if at >= offset or offset - at > window:
                continue
            if entity.type not in types:
                continue
            described = " ".join([phrase, entity.name, *entity.roles]).lower().split()
            if noun is not None and noun not in described:
                continue
            if any(word not in described for word in words):
                continue
            if gender is not None and self.gender(entity) - {gender}:
                continue
            return entity
        return None

    def _recent_mention(self, offset: int, types: set[str], words: Iterable[str] = (), window: int = 600) -> Entity | None:
        best = None
        words = list(words)
        for start, _end, entity in self.by_offset:
            if start >= offset:
                break
            if entity.type in types and offset - start <= window:
                named = entity.name.lower().split()
                if all(word in named for word in words):
                    best = entity
        return best

    def _latest_person(self, offset: int, gender: str | None, window: int = 400) -> Entity | None:
        """The person named last before ``offset`` in this or the previous sentence, when no
        other person is named between and the document does not give them the other gender."""
        sentence = next((t.sent for t in self.doc if t.idx >= offset), None)
        if sentence is None:
            return None
        previous = self.doc[sentence.start - 1].sent if sentence.start > 0 else sentence
        people = [(s, e) for s, _, e in self.by_offset
                  if e.type == "PERSON" and previous.start_char <= s < offset and offset - s <= window]
        if not people or len({e.id for _, e in people[-2:]}) > 1:
            return None  # no one, or two people named just before: too close to call
        entity = people[-1][1]
        return None if gender is not None and self.gender(entity) - {gender} else entity

    def _latest_body(self, offset: int) -> Entity | None:
        """The organisation named last before ``offset`` in this or the previous sentence, when
        the last two such names are one body ("Gazprom ... It says in a statement")."""
        sentence = next((t.sent for t in self.doc if t.idx >= offset), None)
        if sentence is None:
            return None
        previous = self.doc[sentence.start - 1].sent if sentence.start > 0 else sentence
        bodies = [e for s, _, e in self.by_offset if e.type == "ORG" and previous.start_char <= s < offset]
        if not bodies or len({e.id for e in bodies[-2:]}) > 1:
            return None
        return bodies[-1]

    def _titled_person(self, offset: int, noun: str, words: Iterable[str] = (), window: int = 3000) -> Entity | None:
        """The person named last before ``offset`` whose title holds ``noun`` and ``words``
        ("Russian Foreign Minister Sergei Lavrov ... the Russian minister said"), when no other
        person so titled is named between."""
        def titled_so(entity: Entity) -> bool:
            title = " ".join(entity.roles).lower().split()
            return noun in title and all(word in title for word in words)

        titled = [e for s, _, e in self.by_offset if e.type == "PERSON" and s < offset and offset - s <= window
                  and titled_so(e)]
        if not titled or len({e.id for e in titled[-2:]}) > 1:
            return None
        return titled[-1]

    def _named_inside(self, source: SpacySpan) -> bool:
        return any(s < source.end_char and source.start_char < e for s, e, _ in self.by_offset)

    def resolve(self, source: SpacySpan, antecedent: SpacySpan | None = None) -> Speaker:
        if antecedent is not None:
            named = self.resolve(antecedent)
            return Speaker(name=named.name, entity_id=named.entity_id, text=source.text, start=source.start_char,
                           end=source.end_char, kind=named.kind, affiliation=named.affiliation)
        head = source.root
        text = source.text
        coordinated = any(c.dep_ == "conj" for c in head.children)
        entity = None if coordinated else self._entity_in(source)
        lower = head.lower_
        if entity is None and len(source) <= 2 and head.pos_ == "PRON":
            if lower in PERSON_PRONOUNS:
                gender = PRONOUN_GENDER.get(lower)
                entity = (self._recent(source.start_char, {"PERSON"}, gender=gender)
                          or self._latest_person(source.start_char, gender))
            elif lower in GROUP_PRONOUNS:
                entity = self._recent(source.start_char, ORG_TYPES)
            elif lower in THING_PRONOUNS:
                entity = self._recent(source.start_char, {"ORG", "GPE"}) or self._latest_body(source.start_char)
        elif entity is None and not coordinated and head.pos_ == "NOUN" and head.lemma_.lower() in DOCUMENT_NOUNS \
                and any(t.lower_ in ("the", "this", "its") for t in source if t.i < head.i) \
                and not any(t.dep_ in ("prep", "relcl", "acl") for t in head.children):
            # "the statement said": the body that issued it, named just before
            entity = self._recent(source.start_char, ORG_TYPES, window=600) or self._latest_body(source.start_char)
        elif entity is None and not coordinated and head.pos_ == "NOUN" and (
                head.lemma_.lower() in ORG_NOUNS | PERSON_NOUNS
                or head.tag_ == "NN" and head.lemma_.lower() in SOURCE_NOUNS - {"source", "person", "people"}):
            definite = any(t.lower_ in ("the", "this", "that") for t in source if t.i < head.i)
            # "the intelligence agency" must share "intelligence" with the name it stands for
            modifiers = [t.lower_ for t in source if t.i < head.i and t.dep_ in ("compound", "amod")
                         and t.pos_ in ("NOUN", "PROPN", "ADJ") and t.ent_type_ not in ("NORP", "GPE")]
            has_clause = any(t.dep_ in ("prep", "relcl", "acl", "appos") for t in head.children)
            if definite and not has_clause:
                noun = head.lemma_.lower()
                # "the US president" is only a president the document ties to that country
                country = [t.lower_ for t in source if t.i < head.i and t.ent_type_ in ("NORP", "GPE")]
                if noun in PERSON_NOUNS | SOURCE_NOUNS:
                    # "the minister said" after "Foreign Minister Makei", else the one person named
                    # just before ("Dacic ... The politician pointed out"), when no other is
                    entity = (self._recent(source.start_char, {"PERSON"}, noun=head.lower_, words=country)
                              or self._titled_person(source.start_char, head.lower_, country)
                              or (self._latest_person(source.start_char, None, window=600)
                                  if not country and head.tag_ == "NN" else None))
                elif not self._named_inside(source) or modifiers:
                    reach = 100_000 if modifiers else 1500
                    entity = (self._recent(source.start_char, {"ORG"}, words=modifiers, window=reach)
                              or self._recent_mention(source.start_char, {"ORG"}, words=modifiers,
                                                      window=reach if modifiers else 600))
        if entity is not None:
            self.history.append((entity, text, source.start_char))
            return Speaker(name=entity.name, entity_id=entity.id, text=text, start=source.start_char,
                           end=source.end_char)
        return self._unnamed(source)

    def _unnamed(self, source: SpacySpan) -> Speaker:
        """A source no entity of the document stands for: anonymous, named but untagged, or unresolved."""
        head = source.root
        span = {"text": source.text, "start": source.start_char, "end": source.end_char}
        if head.pos_ == "PROPN" and not self._named_inside(source):
            return Speaker(name=source.text, entity_id=None, **span)  # a name the tagger missed
        role = head.lemma_.lower()
        if role in QUANTIFIERS:  # "some", "many of the officials": the people counted
            counted = next((t for t in head.subtree if t.dep_ == "pobj" and t.head.head.i == head.i), None)
            role = counted.lemma_.lower() if counted is not None and counted.pos_ == "NOUN" else "person"
            affiliation = _affiliation(source)
            return Speaker(name=f"anonymous:{affiliation or '-'}:{role}", entity_id=None, kind="anonymous",
                           affiliation=affiliation, **span)
        if head.pos_ in ("NOUN", "PROPN") and role in PERSON_NOUNS | ORG_NOUNS | SOURCE_NOUNS:
            affiliation = _affiliation(source)
            country = self._country(source) if role in GOVERNMENT_NOUNS else None
            if country is not None:  # "Ukraine's government" speaks for Ukraine
                return Speaker(name=country.name, entity_id=country.id, **span)
            return Speaker(name=f"anonymous:{affiliation or '-'}:{role}", entity_id=None, kind="anonymous",
                           affiliation=affiliation, **span)
        return Speaker(name=None, entity_id=None, kind="unresolved", **span)

    def _country(self, source: SpacySpan) -> Entity | None:
        """The one country entity named inside the source phrase."""
        found = {e.id: e for s, end, e in self.by_offset
                 if e.type == "GPE" and e.country_code and source.start_char <= s and end <= source.end_char}
        return next(iter(found.values())) if len(found) == 1 else None


# Pronouns that stand for a state of affairs, never a speaker: "everything he was seeing
# suggested". ("it", "this" and "which" often stand for a body or a document, so they stay.)
THING_WORDS = {"everything", "something", "nothing", "anything"}
# Endings of abstract nouns, states of affairs that cannot speak ("The proliferation of drones
# means", "Such neutrality may respond"), and the bodies and documents that end so anyway.
_ABSTRACT_ENDINGS = ("tion", "sion", "ity", "ness", "ment", "ance", "ence", "ism")
_BODIES_ENDING_SO = {
    "majority", "minority", "community", "nation", "population", "generation", "opposition", "coalition",
    "delegation", "commission", "organization", "organisation", "association", "federation", "foundation",
    "institution", "alliance", "conference", "movement", "parliament", "department", "government", "management",
    "establishment", "presidency", "university", "charity", "publication", "administration", "authority",
    "audience", "mission", "constituency", "intelligence", "ministry", "convention", "station", "submission",
}  # fmt: skip


def can_speak(source: SpacySpan) -> bool:
    """Whether a source phrase no entity stands for can be a speaker at all: a person, a group,
    a body, a document or a medium ("the ad says", "the videos show"), or a pronoun for one; not
    an abstract state of affairs ("The proliferation of drones means ...")."""
    head = source.root
    if head.pos_ == "PRON":
        return head.lower_ not in THING_WORDS
    if head.pos_ != "NOUN" or head.is_title or any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in source):
        return True  # a name, or a name the tagger took for a noun ("Rinkevics said")
    lemma = head.lemma_.lower()
    return not lemma.endswith(_ABSTRACT_ENDINGS) or lemma in _BODIES_ENDING_SO | GOVERNMENT_NOUNS | ORG_NOUNS


def _affiliation(source: SpacySpan) -> str | None:
    """The country (ISO code) or body an anonymous source is said to belong to: "U.S.
    officials" -> US, "a senior European diplomat" -> European, "officials in Kyiv" -> UA."""
    from sitroom.nlp.gazetteer import country_code, country_of_demonym, lookup

    for name in source.doc.ents:
        if name.label_ not in ("GPE", "NORP", "ORG") or name.start < source.start or name.end > source.end:
            continue
        code = country_code(name.text) or country_of_demonym(name.text)
        if code:
            return code
        places = lookup(name.text)
        if name.label_ == "GPE" and places and places[0].country_code:
            return places[0].country_code
        return name.text.removeprefix("the ").removeprefix("The ")
    return None
