"""PLOVER events: who did what to whom, where, when, how many, and how surely.

A verb (or a noun under a light verb: "held an emergency meeting") is an event trigger
when a pattern in ``data/plover_patterns.tsv`` fits it; the most specific pattern gives
the PLOVER type and mode ("send" + troops is MOBILIZE, "send" + weapons is AID). Dependency
rules then find the participants:

- actor: the subject, the passive agent ("attacked by militiamen"), the subject of a
  controlling verb ("North Korea aims to deploy"), or, for troops moved with no agent
  named, the nation the troops belong to ("North Korean soldiers have been deployed");
- recipient: the object or the person addressed ("urged Iran", "praised Haiti's efforts"),
  or the one reached through to/with/against/on ("delivered ... to Russia");
- location, time and size: the places, time expressions and quantities found by the earlier
  extractors (or spaCy's entities when those are absent) attached to the trigger's clause.

Each event gets a modality (``events_modality``) and the id of the claim whose content it
sits in. Following the PLOVER manual, cooperative events reported as future become AGREE
and future RETREATs become CONCEDE; the content of a promise, request, threat or refusal
("requesting North Korea to withdraw") is part of that event, not an event of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Actor, Claim, Entity, Event, Extraction, Place, Quantity, Span, TimeExpr
from sitroom.nlp.events_lexicon import Lexicon, Pattern, lexicon
from sitroom.nlp.events_modality import governors, modality_of

SUBJECT_DEPS = {"nsubj", "csubj"}
# A TIMEX3 value that names a calendar date, month, week or year (not a duration or PRESENT_REF).
CALENDAR_VALUE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2]|W\d{2}|Q[1-4])(?:-(?:0[1-9]|[12]\d|3[01]))?)?(?:T.*)?$")
PASSIVE_SUBJECT_DEPS = {"nsubjpass", "csubjpass"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "acomp", "dative"}
RECIPIENT_PREPS = ("to", "with", "against", "between", "on", "upon", "at", "toward", "towards", "into", "for", "from", "by")
LOCATION_PREPS = {"in", "at", "to", "into", "near", "inside", "outside", "across", "throughout", "from", "toward", "towards", "around", "within", "on"}
# Verbs whose subject is a noun event that they report as happening ("the war erupted").
OCCURRENCE_VERBS = {
    "erupt", "break", "take", "begin", "start", "continue", "resume", "occur", "happen", "escalate",
    "intensify", "rage", "end", "erupt", "spread", "last",
}
RESOLVABLE_PRONOUNS = {"it", "they", "he", "she", "we"}
REPORTING_VERBS = {
    "say", "state", "declare", "announce", "tell", "stress", "emphasize", "emphasise", "add", "argue", "maintain",
    "conclude", "write", "note", "reiterate", "assert", "affirm", "contend", "insist", "believe", "think",
}
OBLIGATION_AUX = {"must", "should"}
EXERCISE_NOUNS = {"exercise", "drill", "game", "maneuver", "manoeuvre", "wargame"}
# Nouns of plan or intent whose infinitive is a future event ("plans to deploy").
PLAN_NOUNS = {"plan", "intention", "intent", "decision", "bid", "attempt", "effort", "move", "readiness",
              "willingness", "aim", "goal", "proposal", "threat", "promise", "pledge", "order", "preparation"}
# Types whose clausal complement is their content, not a separate event.
CONTENT_TYPES = {"AGREE", "REQUEST", "THREATEN", "REJECT"}
COOPERATIVE_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
# Material conflict announced for the future is a threat (manual: THREATEN rather than ASSAULT + future).
CONFLICT_ACTION_TYPES = {"ASSAULT", "COERCE", "SANCTION", "PROTEST"}
ACTOR_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
NON_ACTOR_ENTITY_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
PLACE_ENTITY_LABELS = {"GPE", "LOC", "FAC"}
TIME_ENTITY_LABELS = {"DATE", "TIME"}
TRIM_DEPS = {"det", "predet", "punct", "cc", "case", "prep", "relcl", "acl", "appos", "advmod"}


@dataclass
class Trigger:
    """A token that a pattern made an event trigger."""

    token: Token
    pattern: Pattern


def extract_events(doc: Doc, found: Extraction) -> list[Event]:
    """PLOVER events of one parsed document, in text order."""
    lex = lexicon()
    triggers = {t.i: Trigger(t, p) for t, p in _find_triggers(doc, lex)}
    for speech, pattern in _reported_obligations(doc):
        triggers.setdefault(speech.i, Trigger(speech, pattern))
    context = _Context(doc, found)
    events: list[Event] = []
    for index in sorted(triggers):
        trigger = triggers[index]
        if _is_content_of_another(trigger.token, triggers) or _is_purpose(trigger.token):
            continue
        events.append(_build_event(trigger, context, len(events) + 1))
    return events


def primary_event(events: list[Event], doc: Doc) -> Event | None:
    """The event whose trigger stands highest in the parse (the sentence's main event)."""
    best: tuple[int, int] | None = None
    chosen = None
    for event in events:
        token = _token_at(doc, event.trigger.start if event.trigger is not None else event.start)
        if token is None:
            continue
        depth = _depth(token)
        key = (depth, token.i)
        if best is None or key < best:
            best, chosen = key, event
    return chosen


# -- triggers -----------------------------------------------------------------------------

def _find_triggers(doc: Doc, lex: Lexicon) -> Iterable[tuple[Token, Pattern]]:
    for token in doc:
        if token.dep_ in ("amod", "compound"):
            continue  # a participle describing a noun ("the detained journalists") reports no new event
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ == "ROOT" and token.lemma_ != "be"):
            pattern = _match_verb(token, lex)
            if pattern:
                yield token, pattern
        elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in lex.nouns:
            pattern = _match_noun(token, lex)
            if pattern:
                yield token, pattern


def _reported_obligations(doc: Doc) -> Iterable[tuple[Token, Pattern]]:
    """Reported obligations: "X said that Y must do Z" is X's demand on Y (CAMEO's DEMAND).

    The reporting verb becomes a REQUEST trigger when its complement has "must"/"should"
    and a subject of its own that is a noun phrase, not a pronoun standing for the speaker.
    """
    for verb in doc:
        if verb.lemma_.lower() not in REPORTING_VERBS or verb.pos_ != "VERB":
            continue
        speaker = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
        if speaker is None:
            continue
        for clause in verb.children:
            if clause.dep_ != "ccomp" or not any(c.dep_ == "aux" and c.lower_ in OBLIGATION_AUX for c in clause.children):
                continue
            subject = next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
            if subject is not None and subject.pos_ != "PRON" and subject.lemma_ != speaker.lemma_:
                yield verb, Pattern(kind="verb", lemma=verb.lemma_.lower(), type="REQUEST")
                break


def _lemmas(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for token in tokens:
        out.add(token.lemma_.lower())
        out.add(token.lower_)
        if token.ent_type_:
            out.add(f"ent:{token.ent_type_}")
    return out


def _match_verb(token: Token, lex: Lexicon) -> Pattern | None:
    lemma = token.lemma_.lower()
    if lemma not in lex.verbs:
        return None
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod", "advcl")}
    return lex.match("verb", lemma, particles=particles, objects=_lemmas(_object_words(token)),
                     subjects=_lemmas(_subject_words(token)))


def _match_noun(token: Token, lex: Lexicon) -> Pattern | None:
    """A noun is a trigger as the object of a light verb or the subject of an occurrence verb."""
    head = token.head
    if head.i == token.i:
        return None
    if token.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX"):
        verb = head
        if _match_verb(verb, lex):
            return None  # the verb is the trigger ("launched an attack" is coded on "launched")
        subjects = _subject_words(verb)
    elif token.dep_ == "nsubj" and head.lemma_.lower() in OCCURRENCE_VERBS:
        subjects = []
    elif token.dep_ == "ROOT":
        subjects = []
    else:
        return None
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
    return lex.match("noun", token.lemma_.lower(), particles=modifiers, subjects=_lemmas(subjects))


def _object_words(token: Token) -> list[Token]:
    """Heads of the object-like arguments: direct object, passive subject, prepositional objects."""
    words: list[Token] = []
    for child in token.children:
        if child.dep_ in OBJECT_DEPS or child.dep_ in PASSIVE_SUBJECT_DEPS:
            words.append(child)
            words.extend(c for c in child.children if c.dep_ == "compound")
            words.extend(g for p in child.children if p.dep_ == "prep" for g in p.children if g.dep_ == "pobj")
        elif child.dep_ in ("prep", "prt"):
            words.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp"))
        elif child.dep_ == "xcomp" and child.pos_ in ("NOUN", "ADJ"):
            words.append(child)
    if token.dep_ in ("acl", "relcl") and token.tag_ == "VBN":
        words.append(token.head)  # "soldiers sent to Russia": the noun is the passive subject
    words.extend(conj for w in list(words) for conj in w.conjuncts)
    return words


def _subject_words(token: Token) -> list[Token]:
    subject = _subject(token)
    return [subject, *subject.conjuncts] if subject is not None else []


def _subject(token: Token) -> Token | None:
    """The active subject of a verb, inherited from a controlling or coordinated verb if needed."""
    current = token
    for _ in range(4):
        for child in current.children:
            if child.dep_ in SUBJECT_DEPS and child.lower_ not in ("that", "which", "who"):
                return child
        if current.dep_ in ("relcl",) and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return current.head
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.head.dep_ == "dobj":
            # "held a meeting requesting ...": whoever held the meeting makes the request.
            current = current.head.head
            continue
        if current.dep_ in ("xcomp", "conj", "advcl", "pcomp") or (current.dep_ == "pobj" and current.head.dep_ == "prep"):
            head = current.head
            if current.dep_ in ("pcomp", "pobj") and head.dep_ == "prep":
                head = head.head
            if head.pos_ not in ("VERB", "AUX"):
                return None
            # A passive governing verb has no active subject to lend.
            if any(c.dep_ in PASSIVE_SUBJECT_DEPS for c in head.children) and current.dep_ != "conj":
                return None
            current = head
            continue
        return None
    return None


def _has_condition_clause(token: Token) -> bool:
    """Whether the clause has an if/unless clause attached (the trigger is its consequence)."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
               for c in token.children)


def _is_purpose(token: Token) -> bool:
    """An infinitive of purpose ("sent troops to support", "means to provide") states an aim, not an event.

    An infinitive on a noun of plan or intent ("plans to deploy") stays: it is a future event.
    """
    if not any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children):
        return False
    if token.dep_ == "advcl":
        return True
    return token.dep_ == "acl" and token.head.lemma_.lower() not in PLAN_NOUNS


def _is_content_of_another(token: Token, triggers: dict[int, Trigger]) -> bool:
    """Whether the trigger is the complement of a promise, request, threat or refusal."""
    current = token
    for _ in range(3):
        if current.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "dobj") or current.head.i == current.i:
            return False
        head = current.head
        if head.dep_ == "prep" and current.dep_ in ("pcomp", "pobj"):
            head = head.head
        other = triggers.get(head.i)
        if other is not None:
            return other.pattern.type in CONTENT_TYPES and current.dep_ in ("xcomp", "ccomp", "pcomp", "pobj")
        if head.pos_ not in ("VERB", "AUX"):
            return False
        current = head
    return False


# -- participants and circumstances -------------------------------------------------------

class _Context:
    """What the earlier extractors found, indexed by character offset for the event rules."""

    def __init__(self, doc: Doc, found: Extraction) -> None:
        self.doc = doc
        self.found = found
        self.published = found.document.published
        self.text = doc.text  # Doc.text rebuilds the string on every access
        self.entity_at: dict[int, Entity] = {}
        for entity in found.entities:
            for mention in entity.mentions:
                for char in range(mention.start, mention.end):
                    self.entity_at.setdefault(char, entity)
        self.places: list[Place] = sorted(found.places, key=lambda p: p.start)
        # A capital standing for its government ("Pyongyang may face consequences") acts as its country.
        entities_by_id = {e.id: e for e in found.entities}
        self.government_at: dict[int, Entity] = {}
        for place in self.places:
            if place.metonymy and place.entity_id in entities_by_id:
                for char in range(place.start, place.end):
                    self.government_at[char] = entities_by_id[place.entity_id]
        self.times: list[TimeExpr] = sorted(found.times, key=lambda t: t.start)
        self.quantities: list[Quantity] = sorted(found.quantities, key=lambda q: q.start)
        self.claims: list[Claim] = list(found.claims)
        # token.sent and doc.sents walk the whole document: read the sentence starts as one array.
        flags = doc.to_array("SENT_START") if len(doc) else []
        self.sentence_starts: list[int] = [i for i, flag in enumerate(flags) if flag == 1 or i == 0]
        self._sentences: dict[int, SpacySpan] = {}
        self.ents: list[SpacySpan] = list(doc.ents)
        self.persons: list[SpacySpan] = [e for e in self.ents if e.label_ == "PERSON"]

    def sentence(self, token: Token) -> SpacySpan:
        """The sentence holding ``token`` (built on first use)."""
        index = bisect_right(self.sentence_starts, token.i) - 1
        start = self.sentence_starts[max(index, 0)]
        if start not in self._sentences:
            end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.doc)
            self._sentences[start] = self.doc[start:end]
        return self._sentences[start]

    def ents_in(self, sentence: SpacySpan) -> list[SpacySpan]:
        return [e for e in self.ents if sentence.start <= e.start and e.end <= sentence.end]

    def entity(self, token: Token) -> Entity | None:
        return self.entity_at.get(token.idx)

    def claim_containing(self, start: int, end: int, own_words: set[int] = frozenset()) -> Claim | None:
        """The innermost claim whose content holds the span.

        A "claim" cued by a word of the event's own verb chain ("North Korea *aims* to
        deploy") is the event's modality, not a report of it, and is passed over.
        """
        best = None
        for claim in self.claims:
            if claim.cue is not None and claim.cue.start in own_words:
                continue
            content = claim.content
            if content is not None and content.start is not None and content.start <= start and end <= content.end:
                if best is None or (content.end - content.start) < (best.content.end - best.content.start):
                    best = claim
        return best


def _build_event(trigger: Trigger, context: _Context, number: int) -> Event:
    token, pattern = trigger.token, trigger.pattern
    sentence = context.sentence(token)
    verb = token if token.pos_ in ("VERB", "AUX") else _governing_verb(token)
    actors, recipients, patient = _participants(token, verb, pattern, context)
    quantity = _quantity(context, [t for t in (patient, *actors) if t is not None], token)
    time_text, time_value = _time(context, token, verb)
    location = _location(context, token, verb, {t.i for t in recipients})
    modality = modality_of(verb if verb is not None else token, time_value, context.published)
    if (verb is None or token.i != verb.i) and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        modality = "negated"
    type_ = pattern.type
    if modality == "future" and type_ in COOPERATIVE_TYPES:
        type_ = "AGREE"
    elif modality == "future" and type_ == "RETREAT":
        type_ = "CONCEDE"
    elif modality == "future" and type_ in CONFLICT_ACTION_TYPES:
        type_ = "THREATEN"
    elif modality == "hypothetical" and type_ in CONFLICT_ACTION_TYPES and _has_condition_clause(verb or token):
        type_ = "THREATEN"  # harm held out as the consequence of a condition: "may halt talks if ..."
    mode = pattern.mode if type_ == pattern.type else None
    if type_ == "MOBILIZE" and _has_joint_partner(token, verb, actors):
        type_, mode = "COOPERATE", None
    text_start, text_end = _trimmed(sentence)
    own_words = {t.idx for t in governors(verb if verb is not None else token)}
    claim = context.claim_containing(token.idx, token.idx + len(token.text), own_words)
    return Event(
        id=f"v{number}",
        type=type_,
        mode=mode,
        text=context.text[text_start:text_end],
        start=text_start,
        end=text_end,
        actors=[_actor(t, context) for t in actors],
        recipients=[_actor(t, context) for t in recipients],
        location=location,
        time=time_value or time_text,
        quantity=quantity,
        modality=modality,  # type: ignore[arg-type]
        claim_id=claim.id if claim else None,
        trigger=Span(token.text, token.idx, token.idx + len(token.text)),
    )


def _governing_verb(noun: Token) -> Token | None:
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head.i != noun.i else None


def _participants(token: Token, verb: Token | None, pattern: Pattern,
                  context: _Context) -> tuple[list[Token], list[Token], Token | None]:
    """(actor heads, recipient heads, patient head) of the event."""
    anchor = verb if verb is not None else token
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in anchor.children) or (
        anchor.dep_ in ("acl",) and anchor.tag_ == "VBN")
    actors: list[Token] = []
    recipients: list[Token] = []
    patient: Token | None = None
    if passive:
        agent = next((g for c in anchor.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
        if agent is not None:
            actors = [agent, *agent.conjuncts]
        patient = next((c for c in anchor.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)
        if patient is None and anchor.dep_ == "acl":
            patient = anchor.head
    else:
        subject = _subject(anchor)
        if subject is not None:
            actors = [subject, *subject.conjuncts]
        patient = next((c for c in anchor.children if c.dep_ in ("dobj",)), None)
    actors = [a for a in actors if a.i != token.i]  # "the talks took place": the noun is the event, not its actor
    if not actors and token.i != anchor.i:
        # A nominal event names its actor as owner or modifier: "Russia's invasion", "Israeli offensive".
        owner = next((c for c in token.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                      and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")), None)
        if owner is not None:
            actors = [owner, *owner.conjuncts]
    actors = _resolve_pronouns(actors, anchor, context)
    if token.i != anchor.i and token.dep_ in ("dobj", "nsubjpass", "attr"):
        patient = None  # the noun trigger itself is the object of its light verb
    if not actors and patient is not None and pattern.type == "MOBILIZE":
        nation = _nationality(patient)
        if nation is not None:
            actors = [nation]
    # Recipients: the one addressed, then the one reached through a preposition.
    dative = next((c for c in anchor.children if c.dep_ == "dative" and c.pos_ != "ADP"), None)
    if dative is not None:
        recipients.append(dative)
    holders = [token] if token is anchor else [token, anchor]
    if patient is not None:
        holders.append(patient)  # "a meeting with X", "asylum to X", "admission by X"
    if not recipients:
        recipients = _prepositional_recipient(holders, pattern.type)
    if not recipients and patient is not None and pattern.type != "MOBILIZE" and not _is_material(patient):
        if _agentive(patient, with_modifiers=False):
            recipients = [patient, *patient.conjuncts]
        else:
            owner = next((c for c in patient.children if c.dep_ == "poss" and _agentive(c)), None)
            if owner is not None:
                recipients = [owner]
            elif _agentive(patient):
                recipients = [patient, *patient.conjuncts]
    if not recipients and pattern.type in CONTENT_TYPES:
        recipients = _content_recipient(anchor, actors, pattern.type)
    actor_ids = {t.i for t in actors}
    recipients = [r for r in recipients if r.i not in actor_ids]
    return actors, recipients, patient


def _resolve_pronouns(actors: list[Token], anchor: Token, context: _Context) -> list[Token]:
    """Replace a pronoun actor by whom it most likely stands for.

    In reported speech the pronoun is the reporter ("Switzerland said it had expelled ...");
    otherwise "he"/"she" is the nearest person named before it in the text.
    """
    if len(actors) != 1 or actors[0].pos_ != "PRON" or actors[0].lower_ not in RESOLVABLE_PRONOUNS:
        return actors
    pronoun = actors[0]
    current = anchor
    for _ in range(4):
        if current.dep_ == "ccomp" and current.head.pos_ == "VERB":
            reporter = next((c for c in current.head.children if c.dep_ in SUBJECT_DEPS), None)
            if reporter is not None and reporter.pos_ != "PRON":
                return [reporter, *reporter.conjuncts]
            break
        if current.dep_ not in ("xcomp", "conj", "advcl") or current.head.i == current.i:
            break
        current = current.head
    if pronoun.lower_ in ("he", "she"):
        sentence_start = context.sentence(pronoun).start
        earlier = [e for e in context.persons if e.end <= pronoun.i and sentence_start - e.start < 80]
        if earlier:
            return [earlier[-1].root]
    return actors


def _prepositional_recipient(holders: list[Token], type_: str) -> list[Token]:
    """The participant reached through to/with/against/for/between... on the trigger or its object."""
    for prep in RECIPIENT_PREPS:
        if type_ == "MOBILIZE" and prep != "against":
            continue
        if prep in ("at", "into", "from") and type_ not in ("ASSAULT", "ACCUSE", "REQUEST"):
            continue
        if prep == "for" and type_ not in ("AID", "AGREE", "REQUEST", "SUPPORT"):
            continue
        if prep == "by" and type_ not in ("REQUEST",):
            continue
        for holder in holders:
            for child in holder.children:
                if child.dep_ in ("prep", "dative", "agent") and child.lower_ == prep:
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects and _agentive(objects[0]):
                        return [objects[0], *objects[0].conjuncts]
    return []


def _content_recipient(anchor: Token, actors: list[Token], type_: str) -> list[Token]:
    """For a demand, promise, threat or refusal: the party its content is about.

    "demanded that the United States match ..." -> the United States; "offered to hand over
    to Great Britain ..." -> Great Britain.
    """
    actor_ids = {a.i for a in actors}
    for child in anchor.children:
        if child.dep_ not in ("ccomp", "xcomp") or child.pos_ not in ("VERB", "AUX"):
            continue
        subject = next((c for c in child.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None and subject.i not in actor_ids and _agentive(subject) and subject.pos_ != "PRON":
            return [subject, *subject.conjuncts]
        objects = [g for g in child.children if g.dep_ in ("dobj", "dative")]
        holders = [child, *objects]
        found = _prepositional_recipient(holders, "AID" if type_ in ("AGREE", "REQUEST") else type_)
        if found:
            return found
        if type_ in ("REQUEST", "THREATEN", "REJECT") and objects and _agentive(objects[0], with_modifiers=False):
            return [objects[0], *objects[0].conjuncts]
    return []


def _agentive(token: Token, with_modifiers: bool = True) -> bool:
    """Whether a noun phrase head can be a participant (a named entity, a group, a person)."""
    if token.ent_type_ in NON_ACTOR_ENTITY_LABELS:
        return False
    if token.ent_type_ in ACTOR_ENTITY_LABELS or token.pos_ == "PROPN":
        return True
    if token.pos_ == "PRON" and token.tag_ != "PRP$" and token.lower_ not in ("it", "this", "that", "what", "which"):
        return True
    lex = lexicon()
    lemma = token.lemma_.lower()
    if any(lemma in lex.classes.get(name, ()) for name in ("@OFFICIAL", "@PEOPLE", "@TROOPS")):
        return True
    return with_modifiers and any(c.ent_type_ in ("GPE", "NORP", "ORG") and c.dep_ in ("amod", "compound", "poss") for c in token.children)


def _is_material(token: Token) -> bool:
    """Troops, weapons or aid: what is moved or given, not who receives it."""
    lemma = token.lemma_.lower()
    classes = lexicon().classes
    return any(lemma in classes.get(name, ()) for name in ("@TROOPS", "@WEAPONS", "@AID"))


def _nationality(noun: Token) -> Token | None:
    """The nation or group a noun phrase belongs to ("North Korean soldiers" -> North Korean)."""
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod") and child.ent_type_ in ("NORP", "GPE", "ORG"):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            for g in child.children:
                if g.dep_ == "pobj" and g.ent_type_ in ("GPE", "NORP"):
                    return g
    return None


def _has_joint_partner(token: Token, verb: Token | None, actors: list[Token]) -> bool:
    """Joint exercises are COOPERATE, one country's exercises MOBILIZE (manual, MOBILIZE).

    Joint: an exercise called "joint"/"combined"/"bilateral", or held by several parties
    ("Russia and China held drills", "French and Egyptian warships launched war games").
    """
    exercise = token if token.lemma_.lower() in EXERCISE_NOUNS else next(
        (w for w in _object_words(token) if w.lemma_.lower() in EXERCISE_NOUNS), None)
    if exercise is None:
        return False
    modifiers = [c for w in (exercise, *exercise.children) for c in w.children]
    if any(m.lower_ in ("joint", "combined", "bilateral", "multinational") for m in (*exercise.children, *modifiers)):
        return True
    if len(actors) > 1:
        return True
    return any(len([c for c in a.children if c.dep_ in ("amod", "compound") and (c.ent_type_ in ("NORP", "GPE") or c.conjuncts)]) > 0
               and any(c.conjuncts for c in a.children if c.dep_ in ("amod", "compound")) for a in actors)


def _phrase(token: Token) -> tuple[int, int]:
    """Character bounds of a participant's noun phrase, without determiners, figures or clauses."""
    kept = [c for c in token.lefts if c.dep_ not in TRIM_DEPS and c.dep_ not in ("nummod", "quantmod")
            and c.pos_ not in ("NUM", "DET", "PUNCT")]
    start = min((c.left_edge.i for c in kept), default=token.i)
    end_token = token
    for child in token.rights:
        if child.dep_ in ("compound", "flat") or (child.dep_ == "prep" and child.lower_ == "of" and token.lemma_.lower() in _COLLECTIVES):
            end_token = max(end_token, child.right_edge, key=lambda t: t.i)
        else:
            break
    doc = token.doc
    while start < token.i and (doc[start].pos_ in ("DET", "PUNCT", "NUM", "CCONJ") or doc[start].dep_ in ("nummod", "quantmod", "advmod")):
        start += 1
    return doc[start].idx, end_token.idx + len(end_token.text)


_COLLECTIVES = {"group", "member", "leader", "director", "head", "chief", "minister", "president", "government", "army", "people", "citizen"}


def _actor(token: Token, context: _Context) -> Actor:
    """An Actor for a participant head: its entity where one is mentioned there, else its phrase."""
    start, end = _phrase(token)
    text = context.text[start:end]
    government = context.government_at.get(token.idx)
    if government is not None:
        return Actor(name=government.name, entity_id=government.id, country_code=government.country_code)
    entity = context.entity(token)
    if entity is None:
        # The head is a common noun ("North Korean soldiers"): use an entity among its modifiers.
        for t in token.doc.char_span(start, end, alignment_mode="expand") or []:
            candidate = context.entity(t)
            if candidate is not None:
                entity = candidate
                if candidate.type in ("GPE", "NORP"):
                    break
    if entity is not None and context.entity(token) is entity:
        name = entity.name
    else:
        name = text
    return Actor(name=name, entity_id=entity.id if entity else None, country_code=entity.country_code if entity else None)


def _attached_to(token: Token, anchors: set[int], stop_at_verbs: bool = True) -> bool:
    """Whether ``token`` hangs off one of the anchors without crossing another verb."""
    current = token
    for _ in range(8):
        if current.i in anchors:
            return True
        head = current.head
        if head.i == current.i:
            return False
        if stop_at_verbs and head.pos_ in ("VERB",) and head.i not in anchors:
            return False
        current = head
    return False


def _anchors(token: Token, verb: Token | None) -> set[int]:
    anchors = {token.i}
    if verb is not None:
        anchors.add(verb.i)
        # Governing verbs of control ("aims to deploy ... by December") share the circumstances.
        anchors.update(t.i for t in governors(verb) if t.pos_ in ("VERB", "AUX"))
    return anchors


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return list(span) if span is not None else []


def _quantity(context: _Context, arguments: list[Token], trigger: Token) -> str | None:
    """The figure on the event's object or subject ("3,000 soldiers", "over 13,000 containers")."""
    heads = [a for a in arguments if a is not None]
    if not heads:
        return None
    indices = {t.i for h in heads for t in h.subtree}
    for quantity in context.quantities:
        tokens = _tokens_in(context.doc, quantity.start, quantity.end)
        if tokens and any(t.i in indices for t in tokens):
            return quantity.text
    if context.found.quantities:
        return None
    # Without the quantities extractor: the number that modifies an argument head.
    expanded = list(heads)
    for head in heads:
        expanded.extend(g for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj")
    for head in expanded:
        for child in head.children:
            if child.dep_ == "nummod" or (child.ent_type_ == "CARDINAL" and child.pos_ == "NUM"):
                words = [t for t in child.subtree]
                start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                return context.text[start:end]
    return None


def _time(context: _Context, token: Token, verb: Token | None) -> tuple[str | None, str | None]:
    """(text, TIMEX3 value) of the time expression attached to the event's clause."""
    sentence = context.sentence(token)
    own = {token.i} | ({verb.i} if verb is not None else set())
    for anchors in (own, _anchors(token, verb)):
        for time in context.times:
            if time.start < sentence.start_char or time.end > sentence.end_char:
                continue
            tokens = _tokens_in(context.doc, time.start, time.end)
            if tokens and any(_attached_to(t, anchors) for t in tokens):
                value = time.value if time.value and CALENDAR_VALUE.match(time.value) else None
                return time.text, value
        if context.found.times:
            continue
        for ent in context.ents_in(sentence):
            if ent.label_ in TIME_ENTITY_LABELS and _attached_to(ent.root, anchors):
                return ent.text, None
    return None, None


def _location(context: _Context, token: Token, verb: Token | None, excluded: set[int]) -> str | None:
    """The place the event's clause puts it in or sends it to ("to Russia", "in Rome")."""
    anchors = _anchors(token, verb)
    sentence = context.sentence(token)

    def locative(t: Token) -> bool:
        if t.i in excluded or t.head.i in excluded:
            return False
        current = t
        while current.dep_ in ("compound", "amod", "appos", "conj", "pobj", "poss") and current.head.i != current.i:
            if current.dep_ == "pobj":
                return current.head.lower_ in LOCATION_PREPS and _attached_to(current.head, anchors)
            current = current.head
        return False

    for place in context.places:
        if place.start < sentence.start_char or place.end > sentence.end_char:
            continue
        tokens = _tokens_in(context.doc, place.start, place.end)
        if tokens and locative(tokens[-1]):
            return place.name or place.text
    if context.found.places:
        return None
    for ent in context.ents_in(sentence):
        if ent.label_ in PLACE_ENTITY_LABELS and locative(ent.root):
            return ent.text
    return None


def _trimmed(sentence: SpacySpan) -> tuple[int, int]:
    text = sentence.text
    start = sentence.start_char + (len(text) - len(text.lstrip()))
    end = sentence.end_char - (len(text) - len(text.rstrip()))
    return start, end


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i and depth < 50:
        token = token.head
        depth += 1
    return depth
