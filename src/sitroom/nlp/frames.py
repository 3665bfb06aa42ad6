"""The frame an analyst reads a figure in: whose thing is counted, what happened to it, over
what span, whether it is a count or a plan, what time it is about, and what whole it is part of.

Read from the syntax around each figure of a counted thing (``Quantity.counts``):

- **owner**: a possessive ("Russia's losses"), a nationality or country inside what is counted
  ("North Korean soldiers", "Russian troops"), "of X" ("troops of Belarus"), else the subject of
  the clause ("Moscow has gathered 90,000 troops": a capital standing for its government is its
  country). A country merely named nearby ("near its border with Ukraine") is no owner.
- **happened**, one of ``model.HAPPENED``: read from a participle on the counted noun ("civilians
  killed"), the counted noun itself ("deaths", "refugees"), the noun a figure is "of" ("losses of
  850"), or the verb that governs it ("lost 850 personnel killed or wounded").
- **scope**: "rate" ("a day", "in the last 24 hours"), "cumulative" ("since February 24", "so
  far", "in total"), else "point".
- **kind**: "plan" for what is planned, expected or aimed at ("aims to deploy 10,000 by
  December"), with ``target`` the time it aims at; else "count".
- **refers_to**: the calendar time the sentence gives the figure ("412 in 2023, up from 260 the
  year before" gives 2023 and 2022), with ``refers_basis`` "sentence"; without one, the report's
  date (``refers_basis`` "report").
- **part_of**: the figure a part belongs to ("of whom about 8,000 are in Crimea", "among them 95
  children", "including 12 children").
- **place**: where the counted thing is, when the figure's clause says ("troops in Crimea").

Figures that count nothing an analyst would track are marked ``junk`` (they keep what the
quantity reader found, and form no track): an age ("a 65-year-old loyalist"), "one of the
largest armies", "at one point", a cell of a table of numbers.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Entity, Extraction, Quantity, TimeExpr
from sitroom.nlp.doc_text import doc_text

# What a word says happened to what is counted (the frames of HAPPENED; class: the frame of a figure).
_FRAME_OF = {
    "killed": "kill killing die dead death fatality toll slay perish execute massacre murder behead drown body "
              "corpse grave",
    "wounded": "wound injure injury hurt maim",
    "casualties": "casualty loss lose",
    "captured": "capture detain arrest imprison prisoner pow hostage kidnap seize surrender",
    "missing": "missing disappear",
    "displaced": "displace flee refugee evacuate evacuee deport deportation abduct relocate resettle asylum uproot "
                 "exodus host shelter",
    "destroyed": "destroy damage sink demolish wreck raze",
    "delivered": "deliver send supply provide pledge donate allocate give sell ship transfer aid grant fund "
                 "export import package order buy purchase buyer",
    "present": "deploy station mass gather amass serve arrive build number reinforce train muster mobilize "
               "mobilise recruit enlist garrison defend array concentrate assemble position buildup build-up "
               "presence deployment concentration contingent mobilization mobilisation prepare join fight wait "
               "stand operate remain stay patrol occupy",
}
FRAME_OF = {word: frame for frame, words in _FRAME_OF.items() for word in words.split()}
# Counted things that are people under arms: with no other word, their figure is a presence.
FORCES = {"troop", "soldier", "serviceman", "servicemen", "servicemember", "personnel", "force", "fighter",
          "combatant", "mercenary", "reservist", "conscript", "recruit", "sailor", "marine", "paratrooper", "militant",
          "military", "army", "saboteur"}
# People sent to be somewhere for a mission: their presence is what is counted.
FORCES_AND_MONITORS = FORCES | {"monitor", "observer", "peacekeeper", "officer", "advisor", "adviser", "instructor"}
_PERIOD = re.compile(r"\b(in|during) (19|20)\d\d\b|\bbetween .{3,40}? and \b|\bin (less|more) than (a|\w+) "
                     r"(days?|weeks?|months?|years?)\b|\bduring (that time|the (war|conflict|invasion|year))\b|"
                     r"\bin the (conflict|war)\b|\bover the (past|last) (\w+ )?(days|weeks|months|years)\b",
                     re.IGNORECASE)
_RATE = re.compile(r"\b(a|per|each|every) (day|week|month|hour|year)\b(?!\s+(after|before|later|earlier|ago))|"
                   r"\b(daily|weekly|monthly|hourly)\b|"
                   r"\b(in|over|during) the (last|past) (\d+|twenty-four|twenty four|24|48|72) hours\b|"
                   r"\b(in|over|during) the (last|past) (day|week|month)\b|\bovernight\b", re.IGNORECASE)
_CUMULATIVE = re.compile(r"\bsince\b|\bso far\b|\bto date\b|\bin total\b|\bin all\b|\bthus far\b|\boverall\b|"
                         r"\baltogether\b|\bcumulative\b|\bup to now\b|\btotal(led|ing)?\b|\bsince the (start|beginning)",
                         re.IGNORECASE)
_PLAN_WORDS = {"plan", "aim", "intend", "expect", "target", "seek", "want", "promise", "vow", "pledge", "forecast",
               "project", "propose", "goal"}
_MODALS = {"will", "would", "could", "may", "might", "shall", "'ll"}
_PART_CUES = re.compile(r"\b(of|among) (whom|which|them|those|these)\b|\bincluding\b|\bamong them\b|"
                        r"\bin turn\b|\bof (this|that) (number|total|figure)\b", re.IGNORECASE)
_AGE = re.compile(r"^\s*-?\s*(year|month|week|day)s?\s*-?\s*old\b", re.IGNORECASE)
_CAPITAL_FORCE_TYPES = {"GPE", "NORP", "ORG"}


def frame_quantities(doc: Doc, found: Extraction, quantities: list[Quantity]) -> None:
    """Give each figure of a counted thing its frame (in place), and ids to every figure."""
    entities = _MentionIndex(found.entities)
    for i, quantity in enumerate(quantities):
        quantity.id = f"q{i + 1}"
    for i, quantity in enumerate(quantities):
        if quantity.counts:
            _frame_one(doc, found, entities, quantities, i)
        else:  # a measure ("three days", "10 percent") gets no frame, but may still be no figure at all
            number = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
            quantity.junk = number is not None and _is_junk(doc, quantity, number)
    by_id = {q.id: q for q in quantities}
    for quantity in quantities:  # a part with no owner of its own is its whole's ("6 million refugees" of Syria's)
        whole = by_id.get(quantity.part_of or "")
        if whole is not None and quantity.owner is None and whole.owner is not None:
            quantity.owner, quantity.owner_id = whole.owner, whole.owner_id


def _frame_one(doc: Doc, found: Extraction, entities: "_MentionIndex", quantities: list[Quantity], i: int) -> None:
    """The frame of the ``i``-th figure, set in place."""
    quantity = quantities[i]
    number = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if number is None:
        return
    sentence = number.sent
    if _is_junk(doc, quantity, number):
        quantity.junk = True
        return
    counted = _counted_token(doc, quantity, number)
    verb = _governing_verb(counted or number.root)
    quantity.happened = _happened(counted, number, verb)
    quantity.scope = _scope(sentence, number, verb, quantity.happened)
    quantity.kind, quantity.target = _kind(doc, found, number, verb, sentence)
    if quantity.kind == "plan" and quantity.scope == "cumulative":
        quantity.scope = "point"  # "aims to deploy a total of 10,000": a level aimed at, not a running total
    quantity.refers_to, quantity.refers_basis = _refers_to(found.times, quantity, sentence, found)
    owner = _owner(doc, entities, counted, number, verb, found, quantity.happened)
    if owner is not None:
        quantity.owner, quantity.owner_id = owner.name, owner.id or None
    quantity.part_of = _part_of(doc, quantities, i, number, sentence)
    quantity.place = _place(entities, counted, number, verb, found)
    if quantity.owner is None and quantity.happened == "displaced" and quantity.place:
        quantity.owner = quantity.place  # "displaced 12 million people in Syria": Syria's displaced


class _MentionIndex:
    """Entity mentions by character offset."""

    def __init__(self, entities: list[Entity]) -> None:
        self.spans = sorted(((m.start, m.end, e) for e in entities for m in e.mentions), key=lambda x: x[0])

    def at(self, token: Token) -> Entity | None:
        for start, end, entity in self.spans:
            if start <= token.idx < end:
                return entity
            if start > token.idx:
                break
        return None

    def inside(self, start: int, end: int) -> list[Entity]:
        return [e for s, t, e in self.spans if start <= s and t <= end]


def _is_junk(doc: Doc, quantity: Quantity, number: SpacySpan) -> bool:
    """Not a figure of a counted thing (each test a class of non-figure; see the module docstring)."""
    text = doc_text(doc)
    after = text[quantity.end:quantity.end + 24]
    before = text[max(0, quantity.start - 12):quantity.start]
    if _AGE.match(after) or re.search(r"\d\s*-?\s*(year|month|week|day)s?\s*-?\s*old$", quantity.text, re.IGNORECASE):
        return True  # "a 65-year-old loyalist" counts no loyalists
    if quantity.unit == "year of age" or _AGED.search(text[max(0, quantity.start - 24):quantity.start]):
        return True  # "Ivanov, 48", "two citizens aged 23 and 36": ages
    if quantity.unit in _TIME_UNITS and (_RELATIVE_TIME.match(after) or _WINDOW.search(before)):
        return True  # "three days before the invasion", "two weeks ago", "the last 48 hours": part of a date
    if _CLOCK.match(quantity.text) and _AT.search(before):
        return True  # "at 12.30", "after 14.00": a time of day
    if _is_apposed_age(doc, quantity, number, before, after):
        return True  # "Oleksandra Kuvshynova, 24.": an age
    if _ORDINAL_LABEL.search(before):
        return True  # "year three", "phase 2", "Article 5": a label, not a count
    if quantity.value == 1 and quantity.text.lower().startswith("one ") and quantity.unit and not quantity.counts:
        return True  # "at one point", "one inch of Ukrainian territory": an idiom, not a measure
    if re.match(r"-(?!strong\b)[A-Za-z]", after) or re.search(r"[A-Za-z]-$", before):
        return True  # "a 27-nation bloc", "a 41-page report", "zero-for-zero", "T-34": a modifier or a name
    if re.match(r"\s*of\s+(the|its|their|his|her|our|my|your|these|those|many|\w+['’]s)\b", after) and (
            quantity.value == 1 or any(t.tag_ in ("JJS", "RBS") for t in doc[number.end:number.end + 6])):
        return True  # "one of the mediators", "two of the world's biggest exporters"
    if re.search(r"\b(the|these|those|both|between)\s+$", before, re.IGNORECASE) and quantity.value is not None \
            and quantity.value <= 10 and number.root.like_num and not any(c.isdigit() for c in quantity.text):
        return True  # "the two sides", "the four foreign ministers": a set named before
    if re.match(r"\s*(times|fold)\b", after) or re.match(r"\s*(in|out of|for every)\s+(\d+|one|two|three|four|five|"
                                                        r"six|seven|eight|nine|ten)\b", after):
        return True  # "30 times more", "2 in 3 Americans", "one share for every 10"
    if re.match(r"\s*/\s*\d", after):
        return True  # "1 / 4": a page marker
    if quantity.unit == "fraction" or (quantity.value is not None and 0 < quantity.value < 1):
        return True  # "half of the country", "a third of the budget": a share
    counted = _counted_token(doc, quantity, number)
    if counted is not None and counted.pos_ == "PROPN":
        return True  # "two World Wars": a named set
    if quantity.value == 1 and number.root.lower_ in ("one", "a", "an") and not _countable_loss(counted):
        return True  # "one student described", "one man aimed", "at one summit": "one" as "a"
    return _in_table(doc, quantity)


# Classes of numbers that are no figure, read from the words around them (see ``_is_junk``).
_AGED = re.compile(r"\baged?\s+(\d+\s*(,|and|or)\s*)*$", re.IGNORECASE)
_TIME_UNITS = {"day", "week", "month", "year", "hour", "minute", "decade", "century"}
_RELATIVE_TIME = re.compile(r"\s*(before|after|ago|earlier|later|prior to)\b", re.IGNORECASE)
_TABLE_NUMBERS = 12  # numbers on one line, most of them side by side, that make it a table
_WINDOW = re.compile(r"\b(last|past|next|coming|previous|following|first|final)\s+$", re.IGNORECASE)
_CLOCK = re.compile(r"^\d{1,2}[.:][0-5]\d$")
_AT = re.compile(r"\b(at|after|before|until|till|from|by|since)\s+$", re.IGNORECASE)
_ORDINAL_LABEL = re.compile(r"\b(year|day|week|month|phase|round|stage|article|chapter|season|part|no\.?|number|"
                            r"level|grade|category|class|type|group|section|paragraph|page|point)\s+$", re.IGNORECASE)


def _is_apposed_age(doc: Doc, quantity: Quantity, number: SpacySpan, before: str, after: str) -> bool:
    """A bare whole number set off by commas right after a person's name: "Mr Zakrzewski, 55,
    who worked for Fox News", "freelance journalist Oleksandra Kuvshynova, 24."."""
    if quantity.unit or quantity.counts or quantity.value is None or not 0 < quantity.value < 120 \
            or not quantity.text.isdigit() or not re.search(r"\w,\s*$", before) or not re.match(r"\s*([,.;)]|$)", after):
        return False
    name = number.start - 2  # the word before the comma
    return name >= 0 and doc[name].ent_type_ == "PERSON"


def _countable_loss(counted: Token | None) -> bool:
    """A lone "one" that counts: one person killed, wounded, captured or missing."""
    if counted is None:
        return False
    verb = _governing_verb(counted)
    frames = {_frame(verb), *(_frame(c) for c in counted.children)}
    return bool(frames & {"killed", "wounded", "casualties", "captured", "missing", "destroyed"})


def _in_table(doc: Doc, quantity: Quantity) -> bool:
    """The figure's line is a row of a table: three or more numbers and no verb, or many numbers
    most of which stand side by side (a survey table flattened into one line keeps the verb of its
    caption: "Region where respondent lived until ... West 75 12 72 13 Center 71 16 ...")."""
    text = doc_text(doc)
    start = text.rfind("\n", 0, quantity.start) + 1
    end = text.find("\n", quantity.end)
    end = len(text) if end < 0 else end
    line = doc.char_span(start, end, alignment_mode="contract")
    if line is None:
        return False
    numbers = sum(1 for t in line if t.like_num)
    in_runs = sum(1 for t in line if t.like_num and (
        t.i > line.start and t.nbor(-1).like_num or t.i + 1 < line.end and t.nbor(1).like_num))
    if numbers >= _TABLE_NUMBERS and in_runs >= numbers / 2:
        return True
    return numbers >= 3 and not any(t.pos_ in ("VERB", "AUX") for t in line)


def _counted_token(doc: Doc, quantity: Quantity, number: SpacySpan) -> Token | None:
    """The counted noun's token (its lemma is ``quantity.counts``)."""
    for token in doc[number.end:min(len(doc), number.end + 8)]:
        if token.lemma_.lower() == quantity.counts or token.text == quantity.counts:
            return token
    return None


def _governing_verb(token: Token) -> Token | None:
    """The verb the figure's phrase depends on (through nouns and prepositions)."""
    seen = 0
    while seen < 6:
        head = token.head
        if head.i == token.i:
            return token if token.pos_ in ("VERB", "AUX") else None
        if head.pos_ in ("VERB", "AUX"):
            return head
        token, seen = head, seen + 1
    return None


def _frame(token: Token | None) -> str | None:
    """The frame a word says, from its lemma, its form, or its -ing noun's verb ("the killing of")."""
    if token is None:
        return None
    if token.lemma_.lower() == "shoot" and any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children):
        return "destroyed"  # "shot down 70 drones"
    word = token.lower_
    return FRAME_OF.get(token.lemma_.lower()) or FRAME_OF.get(word) or (
        FRAME_OF.get(word[:-3]) if word.endswith("ing") else None)


def _happened(counted: Token | None, number: SpacySpan, verb: Token | None) -> str:
    found: list[str] = []
    if counted is not None:
        for child in counted.children:  # "civilians killed", "wounded soldiers"
            if child.dep_ in ("acl", "amod", "relcl") and _frame(child):
                found.append(_frame(child))
                found += [_frame(c) for c in child.children if c.dep_ == "conj" and _frame(c) and not _has_own_figure(c)]
        if not found and _frame(counted):
            found.append(_frame(counted))  # "deaths", "refugees", "casualties"
        preposition = counted.head if counted.dep_ == "pobj" and counted.head.lower_ in ("of", "to") else None
        if not found and preposition is not None and _frame(preposition.head):
            found.append(_frame(preposition.head))  # "losses of 850 personnel", "injuries to eight personnel"
    if not found and verb is not None:
        frame = _frame(verb)
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if frame is None and subject is not None and subject.i not in range(number.start, number.end + 4):
            # "the death toll rose to 500": the subject says what the figure counts
            frame = _frame(subject) or next((_frame(c) for c in subject.children if c.dep_ == "compound"
                                             and _frame(c)), None)
        if frame is None and counted is not None and counted.dep_ in ("nsubj", "nsubjpass"):
            # "150 people had sustained injuries": the object says what happened to them
            frame = next((_frame(c) for c in verb.children if c.dep_ in ("dobj", "attr") and _frame(c)), None)
        if frame:
            found.append(frame)
            found += [_frame(c) for c in verb.children if c.dep_ == "conj" and _frame(c) and not _has_own_figure(c)]
    found = [f for f in found if f]
    forces = counted is not None and counted.lemma_.lower() in FORCES_AND_MONITORS
    if "killed" in found and "wounded" in found:
        return "casualties"  # "killed or wounded"
    if found and found[0] == "present" and not forces:
        return "other"  # students gathering, passengers arriving: no force is present
    if found and found[0] == "delivered" and forces:
        return "present"  # troops sent somewhere are deployed there
    if found:
        return found[0]
    if forces and (verb is None or counted.dep_ not in ("nsubj",) or verb.lemma_ in ("be", "remain", "stay")):
        return "present"  # "Russia has 900,000 troops", "sees 150,000 troops on its borders" (not "soldiers laid a wreath")
    return "other"


def _scope(sentence: SpacySpan, number: SpacySpan, verb: Token | None, happened: str) -> str:
    """"rate" for per-day wording; "cumulative" for a running total ("since", "so far", "in
    total"), what has happened by now (the perfect: "have died in the conflict") or a total over
    a named period ("504 attacks in 2024", "between March 29 and April 15"); else "point". A
    stock (forces present) is a point count however it is worded ("a total of 170,000 troops")."""
    clause = _clause_text(sentence, number, verb)
    if _RATE.search(clause):
        return "rate"
    if happened == "present":
        return "point"
    if _CUMULATIVE.search(clause) or _PERIOD.search(clause):
        return "cumulative"
    if verb is not None and verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
        return "cumulative"  # "have died in the conflict", "had been deported"
    return "point"


def _clause_text(sentence: SpacySpan, number: SpacySpan, verb: Token | None) -> str:
    """The text of the figure's clause: the governing verb's subtree without the clauses joined
    to it ("..., but has not engaged in major conflicts since the Korean War"), else the sentence."""
    if verb is None or verb.sent.start != sentence.start:
        return sentence.text
    inside = set(range(number.start, number.end))
    left_out: set[int] = set()
    for child in verb.children:
        if child.dep_ in ("conj", "cc", "advcl", "parataxis", "ccomp"):
            branch = {t.i for t in child.subtree}
            shared = child.dep_ in ("conj", "cc") and not _has_own_figure(child)  # "killed or wounded since ..."
            if not branch & inside and not shared:
                left_out |= branch
    return " ".join(t.text for t in sorted(verb.subtree, key=lambda t: t.i) if t.i not in left_out)


def _has_own_figure(verb: Token) -> bool:
    """A coordinated verb with a figure of its own ("killed and 3,200 injured")."""
    return any(t.like_num for t in verb.subtree)


def _kind(doc: Doc, found: Extraction, number: SpacySpan, verb: Token | None,
          sentence: SpacySpan) -> tuple[str, str | None]:
    """"plan" (with its target time) when the figure is planned, expected or aimed at."""
    planned = False
    chain = []
    token = verb
    while token is not None and len(chain) < 4:
        chain.append(token)
        token = token.head if token.head.i != token.i and token.dep_ in ("xcomp", "ccomp", "advcl", "conj") else None
    for link in chain:
        if link.lemma_.lower() in _PLAN_WORDS:
            planned = True
        if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in link.children):
            planned = True
        if any(c.dep_ in ("aux", "xcomp") and c.lower_ == "going" for c in link.children):
            planned = True
    if not planned:
        for event in found.events:
            if event.modality in ("future", "hypothetical") and event.start <= number.start_char < event.end:
                planned = True
    target = _target(doc, found.times, number, sentence)
    if target is not None:
        planned = True
    return ("plan" if planned else "count"), target


def _target(doc: Doc, times: list[TimeExpr], number: SpacySpan, sentence: SpacySpan) -> str | None:
    """The time a figure aims at: "10,000 soldiers to Russia by December" -> 2024-12."""
    for time in times:
        if sentence.start_char <= time.start < sentence.end_char and time.start >= number.end_char \
                and time.type == "DATE" and doc_text(doc)[max(0, time.start - 3):time.start].lower() == "by " \
                and time.start - number.end_char < 80:
            return time.value
    return None


_PRIOR = re.compile(r"\b(the )?year (before|earlier)\b|\bprevious year\b|\bprior year\b", re.IGNORECASE)
_CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")


def _refers_to(times: list[TimeExpr], quantity: Quantity, sentence: SpacySpan,
               found: Extraction) -> tuple[str | None, str | None]:
    """The calendar time the sentence gives the figure (nearest after it, else before it)."""
    text = doc_text(sentence.doc)
    dated = [t for t in times if sentence.start_char <= t.start < sentence.end_char and _CALENDAR.match(t.value or "")
             and not (quantity.start <= t.start < quantity.end)
             and not text[max(0, t.start - 6):t.start].lower().endswith("since ")]  # a total's start, not its time
    tail = text[quantity.end:min(sentence.end_char, quantity.end + 40)]
    years = [t for t in dated if t.end <= quantity.start and re.match(r"^\d{4}$", t.value)]
    if _PRIOR.match(tail.lstrip(" ,").removeprefix(quantity.counts_text or "").lstrip()) and years:
        return str(int(years[-1].value) - 1), "sentence"  # "412 in 2023, up from 260 the year before"
    after = [t for t in dated if t.start >= quantity.end and t.start - quantity.end <= 60]
    before = [t for t in dated if t.end <= quantity.start]
    chosen = after[0] if after else before[-1] if before else None
    if chosen is not None and quantity.target != chosen.value:
        earlier = [t for t in dated if t.end <= chosen.start]
        if _PRIOR.search(chosen.text) and earlier and re.match(r"^\d{4}$", earlier[-1].value):
            return str(int(earlier[-1].value) - 1), "sentence"  # "412 in 2023, up from 260 the year before"
        return chosen.value, "sentence"
    published = found.document.published
    return (published, "report") if published else (None, None)


_HOLD_VERBS = {"have", "own", "possess", "field", "keep", "maintain", "hold", "lose", "suffer", "sustain"}
# Verbs that put a figure's level ("rose to 120,000"): their subject's owner owns the figure.
_LEVEL_VERBS = {"rise", "reach", "increase", "grow", "climb", "jump", "fall", "drop", "decline", "stand", "total",
                "surge", "soar", "mount"}


def _owner(doc: Doc, entities: _MentionIndex, counted: Token | None, number: SpacySpan, verb: Token | None,
           found: Extraction, happened: str | None = None) -> Entity | None:
    """Whose thing is counted (see the module docstring), or None."""
    if counted is not None and happened == "displaced":
        fled = _fled(entities, counted, found)  # refugees are the country's they fled
        if fled is not None:
            return fled
    if counted is not None:
        for child in counted.children:
            if child.dep_ == "poss":  # "Russia's losses"
                owner = _actor(entities, child, found)
                if owner is not None:
                    return owner
        phrase_start = min(number.start_char, counted.idx)
        for entity in entities.inside(phrase_start, counted.idx + len(counted.text)):
            if entity.type in ("NORP", "GPE", "ORG"):  # "North Korean soldiers", "Russian troops"
                return entity
        for child in counted.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "by"):  # "troops of Belarus", "attacks by Russian forces"
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
                owner = _actor_in(entities, target, found) if target is not None else None
                if owner is not None:
                    return owner
    if verb is not None and counted is not None:
        # "Moscow has gathered 90,000 troops", "North Korea aims to deploy 10,000 soldiers" (the
        # subject of "aims"), "Russia has lost 600,000 soldiers killed or wounded"
        host, clauses = verb, 0
        subject = next((c for c in host.children if c.dep_ == "nsubj" and c.i != counted.i), None)
        while subject is None and clauses < 2 and host.dep_ in ("xcomp", "conj", "ccomp", "advcl") \
                and host.head.i != host.i:
            if host.dep_ == "ccomp" and not (counted.dep_ == "nsubj" and host.head.lemma_ in _HOLD_VERBS):
                break  # a reported clause: the reporter owns nothing of it
            if host.dep_ == "advcl" and host.tag_ != "VBG":
                break  # only a participle ("..., amassing 100,000 troops") shares its subject
            host, clauses = host.head, clauses + 1
            subject = next((c for c in host.children if c.dep_ == "nsubj"), None)
        reached = counted.dep_ == "pobj" and counted.head.lower_ in ("to", "at") and host.lemma_ in _LEVEL_VERBS
        role = _nominal_role(counted)
        if subject is not None and (role in ("dobj", "attr", "nsubjpass", "appos") or clauses or reached):
            return _actor_in(entities, subject, found)  # "Russia's losses rose to 120,000 soldiers"
    return None


def _nominal_role(counted: Token) -> str:
    """The role of the phrase a figure's noun heads, through "of" chains: in "ordered a
    mobilisation of 300,000 reservists" the reservists are the object of "ordered"."""
    token = counted
    while token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ in ("NOUN", "PROPN"):
        token = token.head.head
    return token.dep_


def _actor_in(entities: _MentionIndex, token: Token, found: Extraction) -> Entity | None:
    """The actor a phrase names: the phrase's own name, else a country or group named inside it
    ("the Russian army" is Russia's, "Ukraine's eastern military command" Ukraine's)."""
    owner = _actor(entities, token, found)
    if owner is not None:
        return owner
    for inner in sorted(token.subtree, key=lambda t: t.i):
        if inner.i != token.i and inner.dep_ in ("amod", "compound", "poss", "nmod"):
            entity = entities.at(inner)
            if entity is not None and entity.type in ("GPE", "NORP"):
                return _actor(entities, inner, found)
    return None


def _fled(entities: _MentionIndex, counted: Token, found: Extraction) -> Entity | None:
    """The country refugees fled: "refugees fleeing Ukraine", "refugees from Syria"."""
    for child in counted.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ in ("acl", "relcl") and child.lemma_ == "flee":
            target = next((c for c in child.children if c.dep_ == "dobj"), None)
        else:
            continue
        entity = entities.at(target) if target is not None else None
        if entity is not None and entity.type == "GPE":
            return entity
    return None


# Seats of government named for the state they run ("the Kremlin has massed 100,000 troops"):
# the class of owner a gazetteer cannot tell, as it knows these as buildings or not at all.
SEATS_OF_GOVERNMENT = {"kremlin": "RU", "white house": "US", "pentagon": "US", "downing street": "GB",
                       "elysee": "FR", "elysee palace": "FR", "bankova": "UA", "zhongnanhai": "CN", "blue house": "KR",
                       "chancellery": "DE", "quai d'orsay": "FR", "foggy bottom": "US"}


def _actor(entities: _MentionIndex, token: Token, found: Extraction) -> Entity | None:
    """The entity a token names; a capital standing for its government ("Moscow has gathered")
    or a seat of government ("the Kremlin") is its country (the country's entity when the report
    names it, else the country by name)."""
    entity = entities.at(token)
    if entity is None or entity.type not in _CAPITAL_FORCE_TYPES | {"PERSON", "FAC"}:
        return None
    if token.idx < 60 and found.document.origin and entity.name == found.document.origin:
        return None  # the wire credited in the dateline ("CNN — Russia has ...") is no actor of the story
    seat = SEATS_OF_GOVERNMENT.get(entity.name.lower().removeprefix("the ").replace("é", "e"))
    if seat is not None:
        return _country(found, seat) or entity
    for place in found.places:
        if place.metonymy and place.start <= token.idx < place.end and place.country_code:
            return _country(found, place.country_code) or entity
    return entity if entity.type != "FAC" else None


def _country(found: Extraction, code: str) -> Entity | None:
    """The report's entity of a country, else the country by name (no entity id)."""
    country = next((e for e in found.entities if e.country_code == code and e.type == "GPE"), None)
    if country is not None:
        return country
    from sitroom.nlp.gazetteer import country as country_entry

    named = country_entry(code)
    return Entity(id="", name=named.name, type="GPE", country_code=code) if named is not None else None


def _part_of(doc: Doc, quantities: list[Quantity], i: int, number: SpacySpan, sentence: SpacySpan) -> str | None:
    """The id of the whole a part belongs to: the nearest earlier figure of a counted thing in
    the sentence (or the one before), when a cue ("of whom", "among them", "including") opens
    the part's phrase."""
    quantity = quantities[i]
    lead = doc_text(doc)[max(sentence.start_char, quantity.start - 30):quantity.start]
    if not _PART_CUES.search(lead):
        return None
    for earlier in reversed(quantities[:i]):  # the whole may count nothing named ("the total ... reaches 140,000")
        if (earlier.value or earlier.low) and earlier.start < quantity.start and quantity.start - earlier.end < 400:
            return earlier.id
    return None


def _place(entities: _MentionIndex, counted: Token | None, number: SpacySpan, verb: Token | None,
           found: Extraction) -> str | None:
    """Where the counted thing is: a place in an "in/at/near X" phrase of the figure or its verb."""
    for host in (counted, verb):
        if host is None:
            continue
        for child in host.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "inside", "near", "on", "into", "to"):
                target = next((c for c in child.children if c.dep_ == "pobj"), None)
                if target is None:
                    continue
                for place in found.places:
                    if place.start <= target.idx < place.end:
                        return place.name
                entity = entities.at(target)
                if entity is not None and entity.type in ("GPE", "LOC", "FAC"):
                    return entity.name
    return None
