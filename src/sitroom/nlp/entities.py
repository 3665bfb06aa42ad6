"""Named entities of one document with canonical names, roles and country codes.

spaCy's entity spans are the raw material, in four steps:

1. clean each span: no leading "the", no possessive, no markup, hyphenated or particle name
   parts the model cut off rejoined ("Yoon Suk-yeol", "Ursula von der Leyen");
2. split titles off person names into ``roles``, from the dependency parse ("Defense
   Secretary Lloyd Austin", "Secretary of State Marco Rubio") or an apposition ("Kyrylo
   Budanov, director of ..."), and drop one-word organizations that are part of a title;
3. check each type against the gazetteer and the context: a known place after "in", before
   "region", beside another place, or a country's name is a GPE whatever the model said,
   unless it is part of a person's name in the document or follows a title;
4. group mentions into entities with canonical names: "Kirby" joins "John Kirby",
   "U.S."/"America" join "United States", "RFI" joins "Radio France Internationale",
   "Central Command" joins "U.S. Central Command", "Ukrainians" joins "Ukrainian".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from spacy.attrs import ENT_TYPE, IS_TITLE, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Entity, Extraction, Span
from sitroom.nlp import gazetteer
from sitroom.nlp.doc_text import doc_text

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
    marshal president-elect counselor adviser
    advisor coordinator negotiator commissioner inspector superintendent chancellor dean
    bishop archbishop cardinal imam rabbi sir dame lord lady baroness baron duke duchess
    """.split()
)

# Forms of address, not roles: "Mr. Putin" has no role.
HONORIFICS = frozenset("mr mrs ms miss mx sir madam".split())

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
    area border frontier capital port krai republic territory peninsula coast municipality
    """.split()
)
# The last word of a name that makes it a geographic feature ("the Indo-Pacific region").
FEATURE_WORDS = frozenset(
    "region peninsula sea ocean gulf strait valley basin coast island islands mountains river desert bay".split()
)

# Words that end company names; alone they name nothing ("Co", "Inc").
COMPANY_SUFFIXES = frozenset("co inc corp ltd plc llc ag sa nv bv gmbh cos".split())

# Words that make a compound adjective of a name ("al-Shabab-related", "Kremlin-backed").
HYPHEN_SUFFIXES = frozenset(
    "related led based backed born owned run controlled linked affiliated allied held made style era like "
    "friendly aligned funded sponsored occupied majority speaking american".split()
)

# Lower-case words inside personal names ("Ursula von der Leyen", "Mohammed bin Salman").
NAME_PARTICLES = frozenset("von van der den de del della da di du la le bin ibn al el ben".split())

APOSTROPHES = ("'s", "’s", "'", "’")

# Parts of speech of words that never begin or end a name when written lower-case: a verb or
# a function word the model swept into the span ("kick Putin", "eastern Europe went").
EDGE_POS = frozenset({"VERB", "AUX", "ADV", "ADP", "SCONJ", "CCONJ", "PRON", "PART", "INTJ"})

# Brackets and double quotes, each with its partner. Single quotes are left out: they are
# also apostrophes ("O'Brien", "Kyiv’s").
PAIRS = {"(": ")", "[": "]", "{": "}", "“": "”", "«": "»", '"': '"'}
CLOSERS = {closer: opener for opener, closer in PAIRS.items()}
QUOTES = frozenset('"“”«»')


@dataclass
class _Mention:
    """A cleaned entity span: token range, text, label and the title in front of it."""

    start: int  # token index
    end: int  # token index, exclusive
    label: str
    doc: Doc
    roles: list[str] = field(default_factory=list)
    in_title_of: int | None = None  # set when the span lies inside a person's title
    _tokens: tuple[int, int] = (-1, -1)  # the token range ``_measured`` was computed for
    _cached: tuple[int, int, str] = (0, 0, "")

    @property
    def span(self) -> SpacySpan:
        return self.doc[self.start : self.end]

    @property
    def text(self) -> str:
        return self._measured()[2]

    @property
    def start_char(self) -> int:
        return self._measured()[0]

    @property
    def end_char(self) -> int:
        return self._measured()[1]

    def _measured(self) -> tuple[int, int, str]:
        """Offsets and text of the span without stray characters at its ends (``_stray_ends``),
        kept until the span is moved (titles split off change ``start``)."""
        if self._tokens != (self.start, self.end):
            lead, trail = _stray_ends(self.doc[self.start : self.end].text)
            last = self.doc[self.end - 1]
            start, end = self.doc[self.start].idx + lead, last.idx + len(last.text) - trail
            self._cached = (start, end, doc_text(self.doc)[start:end])
            self._tokens = (self.start, self.end)
        return self._cached


def extract_entities(doc: Doc, found: Extraction) -> list[Entity]:
    """Entities of ``doc``: one per person, organization, place or group, with every mention."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ in KEPT_LABELS or ent.label_ in RETYPED_LABELS:
            mention = _clean(doc, ent.start, ent.end, ent.label_)
            if mention is not None and mention.text:
                mentions.append(mention)
    mentions.extend(_missed_places(doc))
    mentions = _without_overlaps(sorted(mentions, key=lambda m: m.start))

    person_parts = _person_name_parts(mentions)
    _split_titles(mentions)
    for mention in mentions:
        mention.label = _checked_label(mention, person_parts, mentions)
    mentions = [m for m in mentions if m.label in KEPT_LABELS and not _is_title_fragment(m)]
    _vote_labels(mentions, person_parts)
    return _group(mentions)


def _without_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    """Drop spans that overlap an earlier one (a cleaned span may have grown over the next)."""
    kept: list[_Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def _vote_labels(mentions: list[_Mention], person_parts: set[str]) -> None:
    """One label per name: the model may type "Botswana" ORG here and GPE there.

    Person names keep their label (a surname may also be a town); other mentions of the
    same text take the label most of them have, the first seen on a tie.
    """
    votes: dict[str, dict[str, int]] = {}
    for mention in mentions:
        if mention.label == "PERSON" and (mention.roles or len(mention.span) > 1):
            continue
        counts = votes.setdefault(_key_text(mention.text), {})
        counts[mention.label] = counts.get(mention.label, 0) + 1
    for mention in mentions:
        counts = votes.get(_key_text(mention.text))
        if not counts or len(counts) < 2:
            continue
        if mention.label == "PERSON" and (mention.roles or len(mention.span) > 1 or mention.text.lower() in person_parts):
            continue
        mention.label = max(counts, key=lambda label: counts[label])


# --- cleaning ---------------------------------------------------------------------------


def _clean(doc: Doc, start: int, end: int, label: str) -> _Mention | None:
    """Drop a leading determiner, a trailing possessive, stray punctuation and verbs at the
    ends, and the words across a bracket; rejoin cut-off hyphenated parts."""
    start, end = _strip_ends(doc, start, end)
    for i in range(start + 1, end):  # "Citicorp <CCI>": markup after a name is not part of it
        if doc[i].text[:1] in "<&[{":
            end = i
            break
    start, end = _strip_ends(doc, *_name_part(doc, start, end))
    if start >= end:
        return None
    if not any(ch.isupper() for ch in doc[start:end].text):
        return None  # names are capitalized; "cts" is not an organization
    if label == "ORG" and end - start == 1 and doc[start].lower_.rstrip(".") in COMPANY_SUFFIXES:
        return None
    if label == "PERSON":
        # "Ursula von der" + "Leyen": a name does not end in a particle.
        while end < len(doc) and doc[end - 1].lower_ in NAME_PARTICLES and doc[end].is_title and end - start < 6:
            end += 1
        # "Al-Sharaa’s HTS": a possessive ends the name.
        for i in range(start + 1, end):
            if doc[i].text in APOSTROPHES:
                end = i
                break
        # "Yoon Suk" + "-yeol": the model cut a hyphenated name part off; rejoin it.
        while (
            end + 1 < len(doc)
            and doc[end].text == "-"
            and not doc[end - 1].whitespace_
            and not doc[end].whitespace_
            and doc[end + 1].is_alpha
            and doc[end + 1].lower_ not in HYPHEN_SUFFIXES
        ):
            end += 2
    if end - start > 2 and doc[end - 2].text == "-" and doc[end - 1].is_lower:
        if label != "PERSON" or doc[end - 1].lower_ in HYPHEN_SUFFIXES:
            end -= 2  # "Germany-based", "Kurdish-led": the name without its suffix
    return _Mention(start, end, label, doc)


def _strip_ends(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The token range without leading articles and possessives ("’s Winston Churchill"),
    punctuation at either end, or lower-case verbs and function words at either end."""
    while start < end and (
        doc[start].lower_ in ("the", "a", "an")
        or doc[start].text in APOSTROPHES
        or doc[start].is_punct
        or doc[start].is_space
        or (_is_edge_word(doc[start]) and bool(doc[start].whitespace_))
    ):
        start += 1
    while end > start and (
        doc[end - 1].text in APOSTROPHES
        or doc[end - 1].is_punct
        or doc[end - 1].is_space
        or (end - start > 1 and _is_edge_word(doc[end - 1]) and bool(doc[end - 2].whitespace_))
    ):
        end -= 1
    return start, end


def _is_edge_word(token: Token) -> bool:
    """A lower-case verb or function word: the model's span ran over it ("kick Putin").
    Name particles ("von der Leyen") are lower-case parts of names."""
    return token.is_lower and token.pos_ in EDGE_POS and token.lower_ not in NAME_PARTICLES


def _name_part(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The part of a span that is the name when a bracket or quote inside it pairs with one
    outside it. Words in brackets are an aside, so the name lies outside them ("[President
    Vladimir] Putin" -> "Putin", "Vladimir Putin (Report, 8 February)" -> "Vladimir Putin");
    words in quotes are the quoted name ('the Russian "Ghost Fleet"' -> "Ghost Fleet"). A
    bracket with no partner in the sentence is a stray character and splits nothing."""
    for i in _unpaired(doc, start, end):
        if not start <= i < end:
            continue  # cut off already
        opens = _opens_outside(doc, i, start, end)
        if opens is None:
            continue
        if opens == (doc[i].text in QUOTES):
            start = i + 1
        else:
            end = i
    return start, end


def _unpaired(doc: Doc, start: int, end: int) -> list[int]:
    """Indices of brackets and double quotes in ``doc[start:end]`` without a partner inside it."""
    open_at: list[int] = []
    unpaired: list[int] = []
    for i in range(start, end):
        text = doc[i].text
        if open_at and PAIRS[doc[open_at[-1]].text] == text:
            open_at.pop()
        elif text in PAIRS:
            open_at.append(i)
        elif text in CLOSERS:
            unpaired.append(i)
    return sorted(unpaired + open_at)


def _opens_outside(doc: Doc, i: int, start: int, end: int) -> bool | None:
    """True when the bracket at ``i`` opens a phrase that closes after the span, False when
    it closes one opened before it, None when its sentence holds no partner (a stray)."""
    text = doc[i].text
    first, last = _sentence_bounds(doc, i)
    before = {t.text for t in doc[first:start]}
    after = {t.text for t in doc[end:last]}
    if PAIRS.get(text) == text:  # '"' opens and closes: an odd count before it closes
        if sum(t.text == text for t in doc[first:i]) % 2:
            return False if text in before else None
        return True if text in after else None
    if text in PAIRS:
        return True if PAIRS[text] in after else None
    return False if CLOSERS[text] in before else None


def _sentence_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """Token range of the sentence holding token ``i``; the whole document when unparsed."""
    if not doc.has_annotation("SENT_START"):
        return 0, len(doc)
    sentence = doc[i].sent
    return sentence.start, sentence.end


def _stray_ends(text: str) -> tuple[int, int]:
    """How many characters to drop at the start and at the end of a span's text.

    Anything but a letter or digit is stray at the start ('"Russia', "-Soviet"); at the end
    too ("Kiev.-", "CNN)-"), except a closing bracket whose partner is in the name ("Law and
    Justice (PiS)") and a period the tokenizer kept on the last word, which is an
    abbreviation's ("U.S.", "Co.", "Jr."); a sentence's period is a token of its own.
    """
    lead = 0
    while lead < len(text) and not text[lead].isalnum():
        lead += 1
    end = len(text)
    while end > lead and not text[end - 1].isalnum():
        char = text[end - 1]
        if char == "." and end == len(text) and text[end - 2].isalnum():
            break
        if char in CLOSERS and char != '"' and CLOSERS[char] in text[lead : end - 1]:
            break
        end -= 1
    return lead, len(text) - end


def _person_name_parts(mentions: list[_Mention]) -> set[str]:
    """Lower-cased words of multi-word person names ("lloyd", "austin")."""
    parts = set()
    for mention in mentions:
        if mention.label == "PERSON" and mention.end - mention.start > 1 and not _named_area(mention):
            parts.update(t.lower_ for t in mention.span if t.is_alpha)
    return parts


def _named_area(mention: _Mention) -> bool:
    """"Beledweyne District", "Kursk Region": a known place followed by a word for an area."""
    span = mention.span
    if len(span) < 2 or span[-1].lower_ not in PLACE_NOUNS or not span[-1].is_title:
        return False
    return bool(gazetteer.lookup(span[:-1].text))


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
        while inner < mention.end - 1 and (
            _is_title_word(doc[inner]) or (doc[inner].lower_ in PORTFOLIO_WORDS and _is_title_word(doc[inner + 1]))
        ):
            inner += 1
        title_start = _title_start(doc, mention.start, mention.end)
        if inner > mention.start or title_start < mention.start:
            if _is_role(doc[title_start:inner]):
                mention.roles.append(_one_line(doc[title_start:inner].text))
            for other in mentions:
                if other is not mention and title_start <= other.start and other.end <= inner:
                    other.in_title_of = mention.start
        mention.start = inner
        apposition = _apposition_role(doc, mention)
        if apposition:
            mention.roles.append(apposition)


# Endings of nouns that name people by what they do ("analyst", "negotiator", "activist").
AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "ee")


def _is_role(words: SpacySpan) -> bool:
    """A title or description of a person: a title word, a capitalized word or an agent noun,
    and more than a form of address ("Mr.")."""
    if not len(words) or all(t.lower_.rstrip(".") in HONORIFICS for t in words):
        return False
    return any(
        _is_title_word(t) or (t.is_title and t.pos_ == "PROPN") or (t.pos_ == "NOUN" and t.lower_.endswith(AGENT_ENDINGS))
        for t in words
    )


def _title_start(doc: Doc, start: int, end: int) -> int:
    """First token of the title the parse attaches to the name at ``start:end`` from the left.

    Each word left of the name whose head chain reaches the name brings its whole subtree:
    "Secretary of State" (nmod with a prepositional phrase), "Dutch Defense Minister".
    Descriptions of age ("51-year-old") and leading articles are not part of a title.
    """
    if start == 0 or doc[start - 1].pos_ not in ("NOUN", "PROPN"):
        return start
    i = start
    if any(t.dep_ == "appos" and t.head.i == start - 1 for t in doc[start:end]):
        i = doc[start - 1].left_edge.i  # "chief Ursula von der Leyen", parsed as apposition
    while i > 0:
        top = doc[i - 1]
        while top.head.i < start and top.head.i != top.i:
            top = top.head
        if not (start <= top.head.i < end) or top.right_edge.i != i - 1:
            break
        i = top.left_edge.i
    if i == start or start - i > 12 or any(t.pos_ in ("VERB", "AUX") for t in doc[i:start]):
        return start
    for k in range(start - 1, i, -1):
        if doc[k].lower_ == "old" and doc[k - 1].text == "-":
            i = k + 1
            break
    while i < start and (doc[i].pos_ in ("DET", "ADP", "CCONJ", "PUNCT", "PART", "NUM", "PRON") or doc[i].dep_ == "case"):
        i += 1
    return i


def _apposition_role(doc: Doc, mention: _Mention) -> str | None:
    """"Kyrylo Budanov, director of the Ukrainian ..." -> "director of the Ukrainian ..."."""
    head = doc[mention.end - 1]
    appositions = [c for c in head.children if c.dep_ == "appos" and c.i > head.i]
    if not appositions or mention.end >= len(doc) or doc[mention.end].text != ",":
        return None
    first = appositions[0].left_edge
    if first.i != mention.end + 1 or not first.is_lower or first.pos_ not in ("NOUN", "ADJ"):
        return None
    inside = {t.i for apposition in appositions for t in apposition.subtree}
    end = first.i
    while end in inside and end - first.i < 25:
        end += 1
    while end > first.i and (doc[end - 1].is_punct or doc[end - 1].pos_ in ("ADP", "DET", "CCONJ")):
        end -= 1
    if end - first.i >= 25 or end <= first.i:
        return None
    return _one_line(doc[first.i : end].text)


# --- types ------------------------------------------------------------------------------


def _place_context(mention: _Mention) -> bool:
    """Whether the words around a span read as a place: "in X", "X region", "the town of X",
    "the capital, X", "Mali and Niger" (next to a place)."""
    doc = mention.doc
    before = doc[mention.start - 1] if mention.start > 0 else None
    after = doc[mention.end] if mention.end < len(doc) else None
    if before is not None and before.lower_ in PLACE_PREPOSITIONS and before.pos_ == "ADP":
        return True
    if after is not None and after.lower_ in PLACE_NOUNS:
        return True
    if before is not None and before.lower_ == "of" and mention.start > 1 and doc[mention.start - 2].lower_ in PLACE_NOUNS:
        return True
    root = mention.span.root
    if root.dep_ == "appos" and root.head.lower_ in PLACE_NOUNS:
        return True
    neighbours = [root.head] if root.dep_ == "conj" else []
    neighbours += [child for child in root.children if child.dep_ == "conj"]
    return any(t.ent_type_ in ("GPE", "LOC") and not (mention.start <= t.i < mention.end) for t in neighbours)


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
    if label == "LOC":
        return label
    if mention.in_title_of is not None:  # inside a title: only a named area may be retyped
        return "GPE" if label in ("PERSON", "ORG") and _named_area(mention) else label
    if label == "NORP" and gazetteer.country_of_demonym(text):
        return label
    if label in ("GPE", "ORG", "PERSON") and not gazetteer.lookup(text) and gazetteer.country_of_demonym(text):
        return "NORP"  # "Ukrainian" typed GPE, "Spanish" typed ORG
    if label == "GPE":
        return label
    if label == "ORG" and mention.span[-1].lower_ in FEATURE_WORDS and len(mention.span) > 1:
        return "LOC"
    if label in ("PERSON", "ORG", "FAC") and _named_area(mention):
        return "GPE"
    if label == "PERSON" and mention.roles:
        return label
    if label == "PERSON" and mention.end - mention.start == 1 and mention.span[0].lower_ in person_parts:
        return label  # "Austin" after "Lloyd Austin"
    if label in ("PERSON", "ORG", "FAC") and mention.end - mention.start == 1 and text.isupper():
        return label
    if label == "ORG" and _family_name_of_person(mention, person_parts):
        return "PERSON"  # "Sebastien Lai" beside "Jimmy Lai"
    place = _place_kind(text)
    if place is None:
        return label
    if label == "PERSON" and (mention.start > 0 and _is_title_word(mention.doc[mention.start - 1])):
        return label
    evidence = (
        _place_context(mention)
        or any(other.label in ("GPE", "LOC") and other.text == text for other in mentions if other is not mention)
    )
    is_country = gazetteer.country_code(text) is not None
    if label == "PERSON":
        # A country's name, or a place name of several words that is not used as a surname.
        whole_place_name = len(mention.span) > 1 and mention.span[-1].lower_ not in person_parts - {
            t.lower_ for t in mention.span
        }
        if evidence or is_country or (whole_place_name and not _surname_used_alone(mention, mentions)):
            return place
        return label
    if label in ("ORG", "FAC") and is_country:
        return place  # a country's name alone stands for the country (or its government)
    if label == "NORP" and _notable_place(text):
        return place  # not a nationality word, but a city or region: "Aleppo" typed NORP
    if evidence:
        return place
    return label


# A city this large is what its name means when the model calls the name a group (NORP).
NOTABLE_CITY_POPULATION = 100_000


def _notable_place(text: str) -> bool:
    """A country, region or city of 100,000+ people by this name."""
    entries = gazetteer.lookup(text)
    return bool(entries) and (entries[0].kind != "city" or entries[0].population >= NOTABLE_CITY_POPULATION)


def _family_name_of_person(mention: _Mention, person_parts: set[str]) -> bool:
    """Two or three capitalized words ending in the surname of a person in the document."""
    words = list(mention.span)
    return (
        2 <= len(words) <= 3
        and all(t.is_alpha and t.is_title and t.pos_ == "PROPN" for t in words)
        and words[-1].lower_ in person_parts
        and words[0].lower_ not in person_parts
    )


def _surname_used_alone(mention: _Mention, mentions: list[_Mention]) -> bool:
    """Whether the last word of a name is a mention of its own elsewhere ("Luka said")."""
    last = mention.span[-1].lower_
    return any(o is not mention and len(o.span) == 1 and o.span[0].lower_ == last for o in mentions)


def _missed_places(doc: Doc) -> list[_Mention]:
    """Proper nouns outside every entity span that the gazetteer and the context call places."""
    if not len(doc):
        return []
    # One pass over token attributes as arrays: making a Token object per word costs more.
    pos, ent_type, is_title = doc.to_array([POS, ENT_TYPE, IS_TITLE]).T
    candidate = (pos == PROPN) & (ent_type == 0) & (is_title == 1)
    found = []
    i = 0
    count = len(doc)
    while i < count:
        if not candidate[i]:
            i += 1
            continue
        end = i + 1
        while end < count and end - i < 3 and candidate[end]:
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
    """An organization made of title words inside or before a title ("Defense" of
    "Defense Secretary", "State" of "Secretary of State")."""
    if mention.label != "ORG":
        return False
    words = [t for t in mention.span if t.is_alpha]
    if not all(t.lower_ in PORTFOLIO_WORDS or t.lower_ in TITLE_WORDS for t in words):
        return False
    doc = mention.doc
    followed_by_title = mention.end < len(doc) and _is_title_word(doc[mention.end])
    return mention.in_title_of is not None or followed_by_title


# --- grouping ---------------------------------------------------------------------------


def _one_line(text: str) -> str:
    """A name as one line: "National Coffee\nGrowers" -> "National Coffee Growers"."""
    return " ".join(text.split())


def _name_text(text: str) -> str:
    """A mention's text as a name: one line, without the brackets and quotes that have no
    partner in it ("U.N.] Security Council" -> "U.N. Security Council"). The mention itself
    keeps the document's exact text."""
    open_at: list[int] = []
    unpaired: list[int] = []
    for i, char in enumerate(text):
        if open_at and PAIRS[text[open_at[-1]]] == char:
            open_at.pop()
        elif char in PAIRS:
            open_at.append(i)
        elif char in CLOSERS:
            unpaired.append(i)
    drop = set(unpaired + open_at)
    return _one_line("".join(char for i, char in enumerate(text) if i not in drop))


@lru_cache(maxsize=50_000)
def _key_text(text: str) -> str:
    return gazetteer.normalize(text)


def _acronym_of(words: list[str]) -> str:
    """"Radio France Internationale" -> "RFI", "Mohammed bin Salman" -> "MbS"."""
    return "".join(w[0] for w in words if w[:1].isalpha() and (w[:1].isupper() or w in NAME_PARTICLES))


def _group(mentions: list[_Mention]) -> list[Entity]:
    groups: dict[tuple[str, str], list[_Mention]] = {}
    order: list[tuple[str, str]] = []

    def add(key: tuple[str, str], mention: _Mention) -> None:
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(mention)

    full_people = [m for m in mentions if m.label == "PERSON" and len(_key_text(m.text).split()) > 1]
    acronyms = _acronym_expansions(mentions)
    organizations = sorted({m.text for m in mentions if m.label == "ORG"}, key=lambda t: -len(t))
    nationalities = {m.text for m in mentions if m.label == "NORP"}

    for mention in mentions:
        text = mention.text
        if mention.label == "PERSON" or (
            _may_be_person(mention) and _person_for(mention, full_people)
        ):
            person = _person_for(mention, full_people)
            if person is None and text in acronyms:
                person = next((p for p in full_people if p.text == acronyms[text]), None)
            key = ("PERSON", _key_text(person.text if person else text))
            mention.label = "PERSON"
        elif mention.label in ("GPE", "LOC"):
            code = gazetteer.country_code(text)
            key = (mention.label, "country:" + code) if code else (mention.label, _key_text(text))
        elif mention.label == "NORP":
            key = ("NORP", _key_text(_singular(text, nationalities)))
        elif mention.label == "ORG":
            full = _longer_organization(acronyms.get(text, text), organizations)
            key = ("ORG", " ".join(_organization_words(full)))
        else:
            key = (mention.label, _key_text(text))
        add(key, mention)

    entities = []
    for number, key in enumerate(order, start=1):
        group = groups[key]
        entities.append(_entity(f"e{number}", key, group, acronyms))
    return entities


def _may_be_person(mention: _Mention) -> bool:
    """Whether a mention typed otherwise may be part of a person's name found elsewhere."""
    if mention.label not in ("ORG", "GPE", "NORP", "FAC") or _place_context(mention):
        return False
    if gazetteer.country_code(mention.text) or gazetteer.country_of_demonym(mention.text):
        return False
    return True


def _person_for(mention: _Mention, full_people: list[_Mention]) -> _Mention | None:
    """The full-name mention a partial name refers to: the nearest one before it, else after."""
    words = _key_text(mention.text).split()
    if not words:
        return None
    candidates = []
    for person in full_people:
        person_words = _key_text(person.text).split()
        if len(words) < len(person_words) and person_words[-len(words) :] == words:
            candidates.append(person)
    if not candidates:
        return None
    before = [p for p in candidates if p.start < mention.start]
    return before[-1] if before else candidates[0]


def _organization_words(text: str) -> list[str]:
    """Key words of an organization name, without a closing "Co"/"Inc"/"Corp"."""
    words = _key_text(text).split()
    if len(words) > 1 and words[-1] in COMPANY_SUFFIXES:
        words.pop()
    return words


def _longer_organization(text: str, organizations: list[str]) -> str:
    """The full name a short organization name stands for: the longest one that ends with
    it ("Central Command" -> "U.S. Central Command", two words at least) or the only one
    that starts with it ("Rockwell" -> "Rockwell International Corp"); else ``text``."""
    words = _organization_words(text)
    starting = []
    for other in organizations:
        other_words = _organization_words(other)
        if len(other_words) <= len(words):
            continue
        if len(words) >= 2 and other_words[-len(words) :] == words:
            return other
        if other_words[: len(words)] == words:
            starting.append(other)
    if len({" ".join(_organization_words(o)) for o in starting}) == 1:
        return starting[0]
    return text


def _acronym_expansions(mentions: list[_Mention]) -> dict[str, str]:
    """Acronym -> full organization name: "X (ABC)" in the text, or initials of a name used."""
    expansions: dict[str, str] = {}
    organizations = [m for m in mentions if m.label in ("ORG", "PERSON")]
    long_names = [m for m in organizations if m.end - m.start > 1]
    for mention in organizations:
        text = mention.text
        letters = text.replace(".", "")
        if not (letters.isupper() and letters.isalpha() and 2 <= len(letters) <= 8):
            continue
        doc = mention.doc
        if mention.start >= 2 and doc[mention.start - 1].text == "(":
            previous = [m for m in long_names if m.end == mention.start - 1 and m.label == mention.label]
            if previous:
                expansions[text] = previous[0].text
                continue
        for name in long_names:
            if name.label == mention.label and _acronym_of([t.text for t in name.span]).upper() == letters:
                expansions[text] = name.text
                break
    return expansions


def _singular(text: str, nationalities: set[str] = frozenset()) -> str:
    """"Ukrainians" -> "Ukrainian", "Europeans" -> "European" when the document or the
    gazetteer knows the singular."""
    if text.endswith("s") and not text.endswith("ss"):
        if text[:-1] in nationalities or gazetteer.country_of_demonym(text[:-1]):
            return text[:-1]
    return text


def _entity(entity_id: str, key: tuple[str, str], group: list[_Mention], acronyms: dict[str, str]) -> Entity:
    label = key[0]
    texts = [_name_text(m.text) for m in group]
    country_code = None
    if label == "PERSON":
        name = max(texts, key=lambda t: (len(t.split()), -texts.index(t)))
    elif label in ("GPE", "LOC") and key[1].startswith("country:"):
        country_code = key[1].split(":", 1)[1]
        entry = gazetteer.country(country_code)
        name = entry.name if entry else texts[0]
    elif label == "ORG":
        expansions = [_one_line(acronyms[m.text]) for m in group if m.text in acronyms]
        name = expansions[0] if expansions else max(texts, key=lambda t: (len(t.split()), -texts.index(t)))
    elif label == "NORP":
        name = min((_singular(t, set(texts)) for t in texts), key=len)
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
