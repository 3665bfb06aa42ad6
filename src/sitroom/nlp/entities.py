"""Named entities of one document with canonical names, roles and country codes.

spaCy's entity spans are the raw material. Each span is cleaned (no leading "the", no
possessive, hyphenated name parts rejoined, titles moved into ``roles``), its type is
checked against the gazetteer (a statistical model calls some towns persons or products),
and the mentions are grouped into entities: "Kirby" joins "John Kirby", "U.S." joins
"the United States", "RFI" joins "Radio France Internationale".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Entity, Extraction, Span
from sitroom.nlp import gazetteer

KEPT_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}
# Labels whose spans may be places the model mistyped: kept only when the gazetteer and
# the context say they are places.
RETYPED_LABELS = {"PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE"}

# Words that name an office or rank. They are split off person names into roles and count
# as evidence that a following name is a person.
TITLE_WORDS = frozenset(
    """
    president vice prime minister secretary general spokesperson spokesman spokeswoman chief
    leader director chairman chairwoman chair head commander governor mayor senator sen
    representative rep ambassador envoy king queen prince princess pope chancellor premier
    deputy mr mrs ms miss dr gen lt col maj capt sgt adm gov pres judge justice attorney
    officer official lawmaker congressman congresswoman speaker ceo founder professor prof
    rev sheikh ayatollah emir sultan crown lieutenant colonel major captain sergeant admiral
    marshal president-elect foreign defense defence interior finance state counselor adviser
    advisor coordinator negotiator commissioner inspector superintendent chancellor dean
    bishop archbishop cardinal imam rabbi sir dame lord lady baroness baron duke duchess
    """.split()
)

# Portfolio words: in "Defense Secretary" or "Foreign Minister" they are part of a title,
# and a one-word organization the model finds there ("Defense") is not an entity.
PORTFOLIO_WORDS = frozenset(
    """
    defense defence foreign interior home finance treasury justice health education energy
    trade commerce agriculture labor labour transport transportation economy economic
    environment culture tourism industry security intelligence information communications
    veterans housing immigration homeland state war army navy
    """.split()
)

# A preposition before a name that makes a place reading likely ("in Vladivostok").
PLACE_PREPOSITIONS = frozenset(
    "in at to from near into toward towards outside inside across around throughout via through within".split()
)
# A noun after a name that makes it a place ("Kursk region", "Donetsk oblast").
PLACE_NOUNS = frozenset(
    """
    region oblast province state governorate prefecture county district city town village
    area border frontier capital port krai republic territory peninsula coast
    """.split()
)
# The last word of a name that makes it a geographic feature ("the Indo-Pacific region").
FEATURE_WORDS = frozenset(
    "region peninsula sea ocean gulf strait valley basin coast island islands mountains river desert bay".split()
)

APOSTROPHES = ("'s", "’s", "'", "’")


@dataclass
class _Mention:
    """A cleaned entity span: token range, text, label and the title in front of it."""

    start: int  # token index
    end: int  # token index, exclusive
    label: str
    doc: Doc
    roles: list[str] = field(default_factory=list)
    in_title_of: int | None = None  # set when the span lies inside a person's title

    @property
    def span(self) -> SpacySpan:
        return self.doc[self.start : self.end]

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def start_char(self) -> int:
        return self.doc[self.start].idx

    @property
    def end_char(self) -> int:
        last = self.doc[self.end - 1]
        return last.idx + len(last.text)


def extract_entities(doc: Doc, found: Extraction) -> list[Entity]:
    """Entities of ``doc``: one per person, organization, place or group, with every mention."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ in KEPT_LABELS or ent.label_ in RETYPED_LABELS:
            mention = _clean(doc, ent.start, ent.end, ent.label_)
            if mention is not None:
                mentions.append(mention)
    mentions.extend(_missed_places(doc))
    mentions.sort(key=lambda m: m.start)

    person_parts = _person_name_parts(mentions)
    _split_titles(mentions)
    for mention in mentions:
        mention.label = _checked_label(mention, person_parts, mentions)
    mentions = [m for m in mentions if m.label in KEPT_LABELS and not _is_title_fragment(m)]
    return _group(mentions)


# --- cleaning ---------------------------------------------------------------------------


def _clean(doc: Doc, start: int, end: int, label: str) -> _Mention | None:
    """Drop a leading determiner and a trailing possessive; rejoin cut-off hyphenated parts."""
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in APOSTROPHES or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    # "Yoon Suk" + "-yeol": the model cut a hyphenated name part off; rejoin it.
    while (
        end + 1 < len(doc)
        and doc[end].text == "-"
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
        and doc[end + 1].is_alpha
        and (label == "PERSON" or doc[end + 1].is_lower)
    ):
        end += 2
    return _Mention(start, end, label, doc)


def _person_name_parts(mentions: list[_Mention]) -> set[str]:
    """Lower-cased words of multi-word person names ("lloyd", "austin")."""
    parts = set()
    for mention in mentions:
        if mention.label == "PERSON" and mention.end - mention.start > 1:
            parts.update(t.lower_ for t in mention.span if t.is_alpha)
    return parts


def _is_title_word(token: Token) -> bool:
    return token.lower_.rstrip(".") in TITLE_WORDS


def _split_titles(mentions: list[_Mention]) -> None:
    """Move titles out of person names into ``roles``.

    A title is the run of words left of the name that the parse attaches to it
    ("Defense Secretary Lloyd Austin"), title words the model put inside the name
    ("President Biden"), or an apposition ("Kyrylo Budanov, director of ...").
    """
    for mention in mentions:
        if mention.label != "PERSON":
            continue
        doc = mention.doc
        inner = mention.start
        while inner < mention.end - 1 and _is_title_word(doc[inner]):
            inner += 1
        title_start = _title_start(doc, mention.start, mention.end)
        if inner > mention.start or title_start < mention.start:
            role = doc[title_start:inner].text.strip()
            if role:
                mention.roles.append(role)
            for other in mentions:
                if other is not mention and title_start <= other.start and other.end <= inner:
                    other.in_title_of = mention.start
        mention.start = inner
        apposition = _apposition_role(doc, mention)
        if apposition:
            mention.roles.append(apposition)


def _title_start(doc: Doc, start: int, end: int) -> int:
    """First token of the title phrase attached to the name at ``start:end`` from the left."""
    i = start
    while i > 0:
        token = doc[i - 1]
        if token.dep_ not in ("compound", "amod", "nmod", "npadvmod", "poss", "case") and not (
            token.text == "-" and not token.whitespace_
        ):
            break
        if not (i - 1 < token.head.i < end) and token.dep_ != "case":
            break
        if token.pos_ in ("DET", "NUM", "VERB", "PRON") or token.is_punct and token.text != "-":
            break
        i -= 1
    # A title ends in a noun and starts with a word, never with a possessive marker.
    while i < start and (doc[i].dep_ == "case" or doc[i].text == "-"):
        i += 1
    if i < start and doc[start - 1].pos_ not in ("NOUN", "PROPN"):
        return start
    return i


def _apposition_role(doc: Doc, mention: _Mention) -> str | None:
    """"Kyrylo Budanov, director of the Ukrainian ..." -> "director of the Ukrainian ..."."""
    head = doc[mention.end - 1]
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and child.pos_ == "NOUN" and child.is_lower:
            if child.i - head.i > 3:
                return None
            subtree = list(child.subtree)
            end = subtree[-1].i + 1
            while end > child.i and doc[end - 1].is_punct:
                end -= 1
            return doc[child.left_edge.i : end].text
    return None


# --- types ------------------------------------------------------------------------------


def _place_context(mention: _Mention) -> bool:
    """Whether the words around a span read as a place: "in X", "X region", "X's people"."""
    doc = mention.doc
    before = doc[mention.start - 1] if mention.start > 0 else None
    after = doc[mention.end] if mention.end < len(doc) else None
    if before is not None and before.lower_ in PLACE_PREPOSITIONS and before.pos_ == "ADP":
        return True
    if after is not None and after.lower_ in PLACE_NOUNS:
        return True
    if before is not None and before.lower_ in ("of",) and mention.start > 1 and doc[mention.start - 2].lower_ in PLACE_NOUNS:
        return True
    return False


def _place_kind(text: str) -> str | None:
    """"GPE" or "LOC" when the gazetteer knows ``text`` as a place."""
    entries = gazetteer.lookup(text)
    if not entries:
        return None
    return "LOC" if entries[0].kind == "continent" else "GPE"


def _checked_label(mention: _Mention, person_parts: set[str], mentions: list[_Mention]) -> str:
    """The label after checking the model's guess against the gazetteer and the context."""
    label = mention.label
    text = mention.text
    if label in ("GPE", "LOC", "NORP") or mention.in_title_of is not None:
        return label
    if label == "ORG" and mention.span[-1].lower_ in FEATURE_WORDS and len(mention.span) > 1:
        return "LOC"
    if label == "PERSON" and mention.roles:
        return label
    if label == "PERSON" and mention.end - mention.start == 1 and mention.span[0].lower_ in person_parts:
        return label  # "Austin" after "Lloyd Austin"
    if label in ("PERSON", "ORG", "FAC") and mention.end - mention.start == 1 and text.isupper():
        return label
    place = _place_kind(text)
    if place is None:
        return label
    if label == "PERSON" and (mention.start > 0 and _is_title_word(mention.doc[mention.start - 1])):
        return label
    context = _place_context(mention)
    typed_as_place_elsewhere = any(
        other.label in ("GPE", "LOC") and other.text == text for other in mentions if other is not mention
    )
    if label == "PERSON" and (context or typed_as_place_elsewhere):
        return place
    if label in RETYPED_LABELS and (context or typed_as_place_elsewhere):
        return place
    if label in ("ORG", "FAC") and context and gazetteer.country_code(text) is not None:
        return place
    return label


def _missed_places(doc: Doc) -> list[_Mention]:
    """Proper nouns outside every entity span that the gazetteer and the context call places."""
    found = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.ent_type_ or token.pos_ != "PROPN" or not token.is_title:
            i += 1
            continue
        end = i + 1
        while end < len(doc) and end - i < 3 and doc[end].pos_ == "PROPN" and doc[end].is_title and not doc[end].ent_type_:
            end += 1
        mention = _Mention(i, end, "GPE", doc)
        if _place_context(mention) and not (i > 0 and _is_title_word(doc[i - 1])):
            place = _place_kind(mention.text)
            if place:
                mention.label = place
                found.append(mention)
        i = end
    return found


def _is_title_fragment(mention: _Mention) -> bool:
    """A one-word organization inside a person's title ("Defense" of "Defense Secretary")."""
    if mention.in_title_of is None or mention.label != "ORG":
        return False
    words = [t for t in mention.span if t.is_alpha]
    return all(t.lower_ in PORTFOLIO_WORDS or t.lower_ in TITLE_WORDS for t in words)


# --- grouping ---------------------------------------------------------------------------


def _key_text(text: str) -> str:
    return gazetteer.normalize(text)


def _acronym_of(words: list[str]) -> str:
    """"Radio France Internationale" -> "RFI" (capitalized words only)."""
    return "".join(w[0] for w in words if w[:1].isupper())


def _group(mentions: list[_Mention]) -> list[Entity]:
    groups: dict[tuple[str, str], list[_Mention]] = {}
    order: list[tuple[str, str]] = []

    def add(key: tuple[str, str], mention: _Mention) -> None:
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(mention)

    full_people = [m for m in mentions if m.label == "PERSON" and m.end - m.start > 1]
    acronyms = _acronym_expansions(mentions)

    for mention in mentions:
        text = mention.text
        if mention.label == "PERSON" or (
            mention.label in ("ORG", "GPE") and not _place_context(mention) and _person_for(mention, full_people)
        ):
            person = _person_for(mention, full_people)
            key = ("PERSON", _key_text(person.text if person else text))
            mention.label = "PERSON"
        elif mention.label in ("GPE", "LOC"):
            code = gazetteer.country_code(text)
            key = (mention.label, "country:" + code) if code else (mention.label, _key_text(text))
        elif mention.label == "NORP":
            key = ("NORP", _key_text(_singular(text)))
        elif mention.label == "ORG" and text in acronyms:
            key = ("ORG", _key_text(acronyms[text]))
        else:
            key = (mention.label, _key_text(text))
        add(key, mention)

    entities = []
    for number, key in enumerate(order, start=1):
        group = groups[key]
        entities.append(_entity(f"e{number}", key, group, acronyms))
    return entities


def _person_for(mention: _Mention, full_people: list[_Mention]) -> _Mention | None:
    """The full-name mention a partial name refers to: the nearest one before it, else after."""
    words = [t.lower_ for t in mention.span if t.is_alpha]
    if not words:
        return None
    candidates = []
    for person in full_people:
        person_words = [t.lower_ for t in person.span if t.is_alpha]
        if person_words == words:
            return person
        if len(words) < len(person_words) and person_words[-len(words) :] == words:
            candidates.append(person)
    if not candidates:
        return None
    before = [p for p in candidates if p.start < mention.start]
    return before[-1] if before else candidates[0]


def _acronym_expansions(mentions: list[_Mention]) -> dict[str, str]:
    """Acronym -> full organization name: "X (ABC)" in the text, or initials of a name used."""
    expansions: dict[str, str] = {}
    organizations = [m for m in mentions if m.label == "ORG"]
    long_names = [m for m in organizations if m.end - m.start > 1]
    for mention in organizations:
        text = mention.text
        if not (text.isupper() and text.isalpha() and 2 <= len(text) <= 8):
            continue
        doc = mention.doc
        if mention.start >= 2 and doc[mention.start - 1].text == "(":
            previous = [m for m in long_names if m.end == mention.start - 1]
            if previous:
                expansions[text] = previous[0].text
                continue
        for name in long_names:
            if _acronym_of([t.text for t in name.span]) == text:
                expansions[text] = name.text
                break
    return expansions


def _singular(text: str) -> str:
    """"Ukrainians" -> "Ukrainian" (nationality words only)."""
    if text.endswith("s") and not text.endswith("ss") and gazetteer.country_of_demonym(text[:-1]):
        return text[:-1]
    return text


def _entity(entity_id: str, key: tuple[str, str], group: list[_Mention], acronyms: dict[str, str]) -> Entity:
    label = key[0]
    texts = [m.text for m in group]
    country_code = None
    if label == "PERSON":
        name = max(texts, key=lambda t: (len(t.split()), -texts.index(t)))
    elif label in ("GPE", "LOC") and key[1].startswith("country:"):
        country_code = key[1].split(":", 1)[1]
        entry = gazetteer.country(country_code)
        name = entry.name if entry else texts[0]
    elif label == "ORG":
        expansions = [acronyms[t] for t in texts if t in acronyms]
        name = expansions[0] if expansions else max(texts, key=lambda t: (len(t.split()), -texts.index(t)))
    elif label == "NORP":
        name = _singular(texts[0])
        country_code = gazetteer.country_of_demonym(name)
    else:
        name = texts[0]
    roles: list[str] = []
    for mention in group:
        for role in mention.roles:
            if role not in roles:
                roles.append(role)
    aliases = []
    for text in texts:
        if text != name and text not in aliases:
            aliases.append(text)
    return Entity(
        id=entity_id,
        name=name,
        type=label,
        aliases=aliases,
        mentions=[Span(m.text, m.start_char, m.end_char) for m in group],
        roles=roles,
        country_code=country_code,
    )
