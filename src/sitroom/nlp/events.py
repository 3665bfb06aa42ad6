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
and future RETREATs become CONCEDE, as does an agreement to withdraw; the content of a
promise, request, threat, refusal or accusation ("requesting North Korea to withdraw") is
part of that event, not an event of its own.

For precision on real news (issue 13):

- a noun names an event only with an occurrence and an actor: done by the subject of a verb
  of doing ("launched an offensive"), or carrying its own actor and an occurrence ("Russia's
  invasion on 24 February", "the fighting between X and Y erupted"); "to win this war" is none;
- a pattern of type NONE names a sense that is no event ("sign up", "meet a target", "commit
  a crime" has no pattern at all);
- ``events_occurrence`` drops what the sentence does not report as happening (page furniture,
  wishes, warnings of danger, statements about anyone, standing attitudes);
- title-case headlines are coded on a truecased parse (``events_headlines``);
- history told as context is marked ``background`` (``events_background``) and keeps its
  own time, never the report's.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Actor, Claim, Entity, Event, Extraction, Place, Quantity, Span, TimeExpr
from sitroom.nlp.doc_text import doc_text
from sitroom.nlp.events_background import is_background
from sitroom.nlp.events_headlines import headline_docs
from sitroom.nlp.events_lexicon import NO_EVENT, Lexicon, Pattern, lexicon
from sitroom.nlp.events_modality import GOAL_NOUNS, governors, modality_of
from sitroom.nlp.events_occurrence import is_generic, is_standing_stance, reports_an_event

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
    "conclude", "write", "note", "reiterate", "assert", "affirm", "contend", "insist",
}
OBLIGATION_AUX = {"must", "should"}
EXERCISE_NOUNS = {"exercise", "drill", "game", "maneuver", "manoeuvre", "wargame"}
# Nouns of plan or intent whose infinitive is a future event ("plans to deploy").
PLAN_NOUNS = {"plan", "intention", "intent", "decision", "bid", "attempt", "effort", "move", "readiness",
              "willingness", "aim", "goal", "proposal", "threat", "promise", "pledge", "order", "preparation"}
# Types whose clausal complement is their content, not a separate event ("accused it of providing
# support": the support is alleged, not reported as done).
CONTENT_TYPES = {"AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE"}
COOPERATIVE_TYPES = {"CONSULT", "SUPPORT", "COOPERATE", "AID"}
# Material conflict announced for the future is a threat (manual: THREATEN rather than ASSAULT + future).
CONFLICT_ACTION_TYPES = {"ASSAULT", "COERCE", "SANCTION", "PROTEST"}
ACTOR_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
NON_ACTOR_ENTITY_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
PLACE_ENTITY_LABELS = {"GPE", "LOC", "FAC"}
TIME_ENTITY_LABELS = {"DATE", "TIME"}
TRIM_DEPS = {"det", "predet", "punct", "cc", "case", "prep", "relcl", "acl", "appos", "advmod"}
# Verbs whose subject does the event named by their object ("launched an offensive", "made a
# visit", "issued a warning"); any other verb only mentions it ("to win this war").
DOING_VERBS = {
    "launch", "carry", "conduct", "stage", "hold", "wage", "mount", "begin", "start", "continue", "resume",
    "escalate", "intensify", "step", "unleash", "make", "have", "pay", "reach", "conclude", "perpetrate",
    "undertake", "open", "issue", "lodge", "file", "announce", "declare", "impose", "extend", "offer", "provide",
    "give", "send", "deliver", "express", "voice", "pledge", "grant", "renew", "join", "organize", "organise",
    "lead", "call", "sign", "approve", "adopt", "order", "authorize", "authorise", "host", "attend", "convene",
    "initiate", "restart", "complete", "finalize", "finalise", "broker", "commit",
    # restating one's own act: "repeated its threat", "reiterated its refusal"
    "repeat", "reiterate", "restate", "reaffirm", "maintain", "underscore", "emphasize", "emphasise", "stress",
    "register",
    # carrying on or closing what one does: "pursued talks", "ended its offensive", "widened the war"
    "end", "finish", "expand", "widen", "broaden", "prolong", "pursue",
    # doing it harder, or bringing it in: "tightened the blockade", "ramped up attacks", "introduced a curfew"
    "enforce", "tighten", "ramp", "scale", "increase", "accelerate", "direct", "orchestrate", "mastermind",
    "enact", "introduce", "unveil", "levy", "employ", "perform", "execute",
    "spearhead", "coordinate", "command", "reignite", "rekindle", "claim",
}
# Verbs that say what something is: "is a threat", "poses a threat", "remains a threat".
BEING_VERBS = {"be", "pose", "represent", "constitute", "remain", "become", "seem", "appear", "stay", "present"}
# "took part in talks", "engaged in drills".
PARTAKING_VERBS = {"engage", "participate", "join", "partake"}
# Verbs whose subject receives what their object names: the aid goes the other way.
RECEIVING_VERBS = {"receive", "get", "obtain", "secure", "win"}
AID_NOUNS = {"aid", "assistance", "delivery", "support", "help", "loan", "grant", "donation"}
EXPLETIVES = {"there"}
QUESTION_VERBS = {"ask", "wonder", "question", "inquire", "enquire"}
# Dependencies of a verb that heads a clause of its own.
CLAUSE_DEPS = {"ROOT", "ccomp", "xcomp", "advcl", "acl", "relcl", "pcomp", "csubj", "csubjpass", "parataxis", "dep"}
# AID by giving: something must be given, or someone must receive it.
GIVING_VERBS = {"provide", "supply", "deliver", "donate", "fund", "finance", "lend", "help", "assist", "aid", "give",
                "send", "ship", "transfer", "grant", "sell", "hand"}
# Acts of speech and diplomacy (PLOVER's verbal quad categories, and THREATEN, REQUEST, ACCUSE,
# REJECT): named as the object of any verb, such an act is its subject's ("set an ultimatum").
VERBAL_TYPES = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"}
# Agreeing to one of these retreats declares it: a concession (manual, CONCEDE: "declarations
# (but not implementations) of ceasefires and withdrawals from territory").
DECLARED_RETREATS = {"withdraw"}


@dataclass
class Trigger:
    """A token that a pattern made an event trigger.

    ``role`` says how: ``verb``; ``light`` for a noun done by a verb's subject ("launched an
    offensive"); ``nominal`` for a noun that carries its own actor ("Russia's invasion").
    """

    token: Token
    pattern: Pattern
    role: str = "verb"
    concession: bool = False  # an agreement to retreat: coded CONCEDE


def extract_events(doc: Doc, found: Extraction) -> list[Event]:
    """PLOVER events of one parsed document, in text order.

    Title-case headlines are coded on a parse of their truecased copy (``events_headlines``),
    with the same offsets; the document's own parse of those lines is passed over.
    """
    context = _Context(doc, found)
    headlines = headline_docs(doc)
    inside = [(start, end) for start, end, _ in headlines]
    events = [e for e in _events_of(doc, context) if not _within(e.trigger.start, inside)]
    for _, _, parsed in headlines:
        events.extend(_events_of(parsed, context.for_doc(parsed)))
    events.sort(key=lambda e: (e.trigger.start if e.trigger else e.start))
    for number, event in enumerate(events, 1):
        event.id = f"v{number}"
    return events


def _events_of(doc: Doc, context: _Context) -> list[Event]:
    lex = lexicon()
    triggers = {t.token.i: t for t in _find_triggers(doc, lex, context)}
    for speech, pattern in _reported_obligations(doc):
        triggers.setdefault(speech.i, Trigger(speech, pattern))
    _concessions_promised(triggers)
    events: list[Event] = []
    for index in sorted(triggers):
        trigger = triggers[index]
        if _is_content_of_another(trigger.token, triggers):
            continue
        if _is_purpose(trigger.token) and trigger.pattern.type != "PROTEST":
            continue  # an aim, except a protest made by the act it is the aim of: "shunned work to protest"
        if not reports_an_event(trigger.token, trigger.pattern.type, trigger.role):
            continue
        event = _build_event(trigger, context, len(events) + 1)
        if event is not None:
            events.append(event)
    return events


def _within(char: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= char < end for start, end in spans)


def _concessions_promised(triggers: dict[int, Trigger]) -> None:
    """Agreeing, promising or offering to withdraw or cease fire declares a concession (manual,
    CONCEDE): "Government agrees to pull out of disputed zone" and "Ukraine had agreed to a
    30-day ceasefire" are CONCEDE, not AGREE."""
    nouns = lexicon().nouns
    for trigger in triggers.values():
        if trigger.pattern.type != "AGREE":
            continue
        for child in trigger.token.children:
            content = triggers.get(child.i)
            if child.dep_ in ("xcomp", "ccomp") and content is not None and content.pattern.mode in DECLARED_RETREATS:
                trigger.concession = True
            # "agreed to a 30-day ceasefire", "accepted the withdrawal"
            objects = [g for g in child.children if g.dep_ == "pobj"] if child.dep_ == "prep" and child.lower_ == "to" else (
                [child] if child.dep_ == "dobj" else [])
            if any(p.mode in DECLARED_RETREATS for o in objects for p in nouns.get(o.lemma_.lower(), ())):
                trigger.concession = True


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

def _find_triggers(doc: Doc, lex: Lexicon, context: _Context) -> Iterable[Trigger]:
    for token in doc:
        if token.dep_ in ("amod", "compound"):
            continue  # a participle describing a noun ("the detained journalists") reports no new event
        if token.pos_ == "VERB" and _used_as_noun(token):
            match = _match_noun(token, lex, context) if token.lemma_.lower() in lex.nouns else None
            if match and match[0].type != NO_EVENT:
                yield Trigger(token, *match)
        elif (token.pos_ == "VERB" and _heads_a_clause(token)) or (
                token.pos_ == "AUX" and token.dep_ == "ROOT" and token.lemma_ != "be"):
            pattern = _match_verb(token, lex)
            if pattern and pattern.type != NO_EVENT:
                yield Trigger(token, pattern)
        elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in lex.nouns:
            match = _match_noun(token, lex, context)
            if match and match[0].type != NO_EVENT:
                yield Trigger(token, *match)


def _heads_a_clause(verb: Token) -> bool:
    """Whether a word tagged as a verb is used as one: "the number was striking" and "dead and
    wounded" use the participle as an adjective, and report no act."""
    if verb.dep_ == "conj":
        return verb.head.pos_ in ("VERB", "AUX")
    return verb.dep_ in CLAUSE_DEPS


def _used_as_noun(token: Token) -> bool:
    """A word tagged as a verb that has a determiner or possessor is a noun ("the Oval Office clash")."""
    return token.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass") and any(
        c.dep_ in ("det", "poss") and c.i < token.i for c in token.children)


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
    """The most specific verb pattern (a ``NONE`` one names a sense that is no event)."""
    lemma = token.lemma_.lower()
    if lemma not in lex.verbs:
        return None
    particles = {c.lower_ for c in token.children if c.dep_ in ("prt", "prep", "advmod", "advcl")}
    return lex.match("verb", lemma, particles=particles, objects=_lemmas(_object_words(token)),
                     subjects=_lemmas(_subject_words(token)))


def _match_noun(token: Token, lex: Lexicon, context: _Context) -> tuple[Pattern, str] | None:
    """(pattern, role) when a noun names an event that took place: it needs an occurrence.

    "For Ukraine to win this war" names no attack. A noun is a trigger as the object of a
    verb of doing ("launched an offensive", "held talks", "engaged in drills": role
    ``light``), or, with an actor of its own checked later, as the subject of a verb of
    occurrence ("the fighting erupted"), dated by its own time expression ("Tuesday's
    attack", "the invasion on 24 February") or as a headline's head (role ``nominal``).
    """
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
    objects = _lemmas(_noun_objects(token))
    verb = _doing_verb(token)
    said = verb is None and _object_of_a_verb(token)
    if verb is not None or said:
        verb = verb if verb is not None else token.head
        if _match_verb(verb, lex):
            return None  # the verb is the trigger ("launched an attack" is coded on "launched")
        pattern = lex.match("noun", token.lemma_.lower(), particles=modifiers, objects=objects,
                            subjects=_lemmas(_subject_words(verb)))
        if not (said and pattern is not None and pattern.type not in VERBAL_TYPES):
            return (pattern, "light") if pattern else None
        # "to win this war", "Russia won its war": a material event only mentioned; it may still
        # carry its own actor and date below ("justified Russia's invasion on 24 February")
    occurs = (token.dep_ == "nsubj" and token.head.lemma_.lower() in OCCURRENCE_VERBS) or token.dep_ == "ROOT" or (
        token.dep_ == "attr" and token.head.lemma_ == "be")  # "It was Russia's biggest attack"
    if not occurs and not context.own_time(token):
        return None
    pattern = lex.match("noun", token.lemma_.lower(), particles=modifiers, objects=objects,
                        subjects=_lemmas(_noun_owners(token)))
    return (pattern, "nominal") if pattern else None


def _doing_verb(noun: Token) -> Token | None:
    """The verb that does the noun's event: its object ("launched an offensive"), or the object
    of "engage in", "take part in", "participate in"."""
    head = noun.head
    if noun.dep_ in ("dobj", "nsubjpass", "attr") and head.pos_ in ("VERB", "AUX") and head.i != noun.i:
        lemmas = _verb_lemmas(head)
        if lemmas & DOING_VERBS or (lemmas & RECEIVING_VERBS and noun.lemma_.lower() in AID_NOUNS):
            return head
        return None
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ == "in":
        verb = head.head
        if verb.pos_ == "VERB" and (_verb_lemmas(verb) & PARTAKING_VERBS or
                                    any(c.dep_ == "dobj" and c.lemma_.lower() == "part" for c in verb.children)):
            return verb
    return None


def _verb_lemmas(verb: Token) -> set[str]:
    """The verb's lemma and the stems its form may have, without a "re-" prefix: the small
    model's lemmatizer slips on some forms ("staged" -> "stag") and knows few re- verbs."""
    lower = verb.lower_
    stems = {verb.lemma_.lower(), lower}
    for ending, added in (("ed", ""), ("d", ""), ("es", ""), ("s", ""), ("ing", ""), ("ing", "e")):
        if lower.endswith(ending) and len(lower) > len(ending) + 2:
            stems.add(lower[: -len(ending)] + added)
    stems |= {stem[2:] for stem in stems if stem.startswith("re") and len(stem) > 5}
    return stems


def _object_of_a_verb(noun: Token) -> bool:
    """The object of any verb: a verbal act named there is its subject's ("set an ultimatum",
    "cast a veto", "repeated its threat"); a material one must be done ("launched an attack").
    What a thing is said to be is no act of it: "Russia needs to stop being a threat"."""
    head = noun.head
    if head.pos_ not in ("VERB", "AUX") or head.i == noun.i or head.lemma_.lower() in BEING_VERBS:
        return False
    return noun.dep_ in ("dobj", "nsubjpass", "attr")


def _noun_objects(noun: Token) -> list[Token]:
    """What a nominal event acts on: "release of prisoners", "delivery of weapons"."""
    found = [g for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children if g.dep_ == "pobj"]
    return [*found, *(c for g in found for c in g.conjuncts)]


def _noun_owners(noun: Token) -> list[Token]:
    """The actor a nominal event names itself: "Russia's invasion", "Israeli offensive", "an attack by rebels"."""
    owner = next((c for c in noun.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                  and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")), None)
    if owner is None:
        owner = next((c for c in noun.children if c.dep_ == "poss" and _agentive(c) and c.pos_ != "PRON"), None)
    if owner is None:
        # "an attack by rebels"; the parties to a mutual event: "talks between X and Y", "an agreement among ...".
        owner = next((g for p in noun.children if p.dep_ == "prep" and p.lower_ in ("by", "between", "among")
                      for g in p.children if g.dep_ == "pobj" and _agentive(g)), None)
    return [owner, *owner.conjuncts] if owner is not None else []


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
        elif child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
            # "allowed themselves to be dragged": whom the verb lets or makes act
            words.extend(g for g in child.children if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ == "PRON")
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
        self.text = doc_text(doc)  # Doc.text rebuilds the string on every access
        self.entity_at: dict[int, Entity] = {}
        self.mention_at: dict[int, tuple[int, int]] = {}
        for entity in found.entities:
            for mention in entity.mentions:
                for char in range(mention.start, mention.end):
                    self.entity_at.setdefault(char, entity)
                    self.mention_at.setdefault(char, (mention.start, mention.end))
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
        self.headline = False

    def for_doc(self, doc: Doc) -> _Context:
        """The same findings over another parse of the same characters (a headline's truecased copy)."""
        other = copy.copy(self)
        other.doc = doc
        flags = doc.to_array("SENT_START") if len(doc) else []
        other.sentence_starts = [i for i, flag in enumerate(flags) if flag == 1 or i == 0]
        other._sentences = {}
        other.ents = list(doc.ents)
        other.persons = [e for e in other.ents if e.label_ == "PERSON"]
        other.headline = True
        return other

    def time_tokens(self, sentence: SpacySpan) -> list[tuple[TimeExpr | None, list[Token]]]:
        """The time expressions of a sentence with their tokens (spaCy's DATE/TIME entities when
        the times extractor did not run)."""
        if self.found.times:
            return [(time, _tokens_in(self.doc, time.start, time.end)) for time in self.times
                    if sentence.start_char <= time.start and time.end <= sentence.end_char]
        return [(None, list(ent)) for ent in self.ents_in(sentence) if ent.label_ in TIME_ENTITY_LABELS]

    def own_time(self, noun: Token) -> bool:
        """Whether a date or time hangs on the noun itself ("Tuesday's attack", "the talks on 3 May")."""
        for time, tokens in self.time_tokens(self.sentence(noun)):
            if time is not None and time.type not in ("DATE", "TIME"):
                continue
            if tokens and noun.i not in {t.i for t in tokens} and any(_attached_to(t, {noun.i}) for t in tokens):
                return True
        return False

    def earlier_time_values(self, token: Token, sentences: int = 3) -> list[str]:
        """Calendar values of the time expressions in the few sentences before the token's, nearest last."""
        index = bisect_right(self.sentence_starts, token.i) - 1
        first = self.sentence_starts[max(index - sentences, 0)]
        start_char = self.doc[first].idx
        end_char = self.sentence(token).start_char
        return [t.value for t in self.times
                if start_char <= t.start and t.end <= end_char and t.value and CALENDAR_VALUE.match(t.value)]

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
        """The entity mentioned at the token; in a headline only a mention that stays inside the
        token's noun phrase (the title-case parse made "Farmers Urge Europe" one name)."""
        entity = self.entity_at.get(token.idx)
        if entity is not None and self.headline:
            start, end = _phrase(token)
            mention_start, mention_end = self.mention_at[token.idx]
            if mention_start < start or mention_end > end:
                return None
        return entity

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


def _build_event(trigger: Trigger, context: _Context, number: int) -> Event | None:
    """The event of one trigger, or None when what it names did not take place as an event."""
    token, pattern = trigger.token, trigger.pattern
    sentence = context.sentence(token)
    verb = None if trigger.role == "nominal" else token if token.pos_ in ("VERB", "AUX") else _governing_verb(token)
    actors, recipients, patient = _participants(token, verb, pattern, context, trigger.role)
    if trigger.role != "verb" and not actors and not _done_unnamed(token, verb, trigger.role):
        return None  # a nominal event needs an actor: "War is raging here" codes no one
    if any(is_generic(a) for a in actors):
        return None  # "those who support ...", "no country can fight ...": a statement about anyone
    if pattern.lemma in GIVING_VERBS and pattern.type == "AID" and not _aid_goes_somewhere(token, verb, recipients, patient):
        return None  # "It may help the tension", "Russia funding its own war": no one is given anything
    own_words = {t.idx for t in governors(verb if verb is not None else token)}
    claim = context.claim_containing(token.idx, token.idx + len(token.text), own_words)
    if is_standing_stance(verb if verb is not None else token, pattern.type, reported=claim is not None,
                          headline=context.headline, political=any(_political(a) for a in actors)):
        return None
    quantity = _quantity(context, [t for t in (patient, *actors) if t is not None], token)
    time_text, time_value = _time(context, token, verb)
    background = is_background(verb if verb is not None else token, time_value, context.published,
                               context.earlier_time_values(token), reported=claim is not None, time_text=time_text)
    location = _location(context, token, verb, {t.i for t in recipients})
    modality = _modality(token, verb, trigger.role, None if background else time_value, context.published)
    if modality == "asserted" and _asks(sentence, token):
        modality = "hypothetical"  # "Does Austin expect Putin to disarm?" asserts nothing
    type_ = "CONCEDE" if trigger.concession else pattern.type
    mode = pattern.mode
    if type_ == "PROTEST" and any(c.dep_ == "ccomp" for c in token.children):
        type_, mode = "ACCUSE", "disapprove"  # "a rights group protested that ...": a protest in words
    if modality == "future" and type_ in COOPERATIVE_TYPES:
        type_ = "AGREE"
    elif modality == "future" and type_ == "RETREAT":
        type_ = "CONCEDE"
    elif modality == "future" and type_ in CONFLICT_ACTION_TYPES:
        type_ = "THREATEN"
    elif modality == "hypothetical" and type_ in CONFLICT_ACTION_TYPES and _has_condition_clause(verb or token):
        type_ = "THREATEN"  # harm held out as the consequence of a condition: "may halt talks if ..."
    mode = mode if type_ in (pattern.type, "ACCUSE") else None
    if type_ == "MOBILIZE" and _has_joint_partner(token, verb, actors):
        type_, mode = "COOPERATE", None
    text_start, text_end = _trimmed(sentence)
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
        trigger=Span(context.text[token.idx:token.idx + len(token.text)], token.idx, token.idx + len(token.text)),
        background=background,
    )


def _asks(sentence: SpacySpan, token: Token) -> bool:
    """Whether the trigger is inside a direct question (the sentence ends with "?"), not the verb asking it."""
    words = [t for t in sentence if not t.is_space and t.text not in ('"', "”", "“", "'", "’", ")")]
    if not words or words[-1].text != "?":
        return False
    return token.lemma_.lower() not in QUESTION_VERBS


def _done_unnamed(token: Token, verb: Token | None, role: str) -> bool:
    """A nominal event done by someone unnamed, as a verb's passive is: "a general strike was called"."""
    return role == "light" and verb is not None and token.dep_ == "nsubjpass" and not any(
        c.dep_ == "agent" for c in verb.children)


def _modality(token: Token, verb: Token | None, role: str, time_value: str | None, published: str | None) -> str:
    """The event's modality; a nominal event takes it from its occurrence verb or its own "no"."""
    if role == "nominal":
        occurrence = token.head if token.dep_ == "nsubj" and token.head.i != token.i else None
        modality = modality_of(occurrence if occurrence is not None else token, time_value, published,
                               climb=occurrence is not None)
    else:
        modality = modality_of(verb if verb is not None else token, time_value, published)
    if (verb is None or token.i != verb.i) and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        modality = "negated"
    return modality


def _governing_verb(noun: Token) -> Token | None:
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head.i != noun.i else None


def _participants(token: Token, verb: Token | None, pattern: Pattern, context: _Context,
                  role: str = "verb") -> tuple[list[Token], list[Token], Token | None]:
    """(actor heads, recipient heads, patient head) of the event.

    A nominal event's actor is its own owner ("Russia's invasion"), never the subject of the
    verb it is mentioned under; aid received ("Ukraine received aid from the US") is given by
    the noun's owner or the one it came from, and received by the verb's subject.
    """
    anchor = verb if verb is not None else token
    passive = any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in anchor.children) or (
        anchor.dep_ in ("acl",) and anchor.tag_ == "VBN")
    actors: list[Token] = []
    recipients: list[Token] = []
    patient: Token | None = None
    if role == "nominal" or (role == "light" and any(c.dep_ == "expl" for c in anchor.children)):
        # "there was much public discussion": an existential names no doer but the noun's own
        actors = _noun_owners(token)
        patient = next(iter(_noun_objects(token)), None)
    elif role == "light" and anchor.lemma_.lower() in RECEIVING_VERBS and token.lemma_.lower() in AID_NOUNS:
        subject = _subject(anchor)
        recipients = [subject, *subject.conjuncts] if subject is not None else []
        actors = _noun_owners(token) or _giver(anchor)
        return _resolve_pronouns(actors, anchor, context), _resolve_pronouns(recipients, anchor, context), None
    elif passive:
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
    if role == "light":
        actors = [a for a in actors if a.lower_ not in EXPLETIVES]  # "there was much discussion"
    if not actors and token.i != anchor.i:
        # A nominal event names its actor as owner or modifier: "Russia's invasion", "Israeli offensive".
        owner = next((c for c in token.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                      and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON")), None)
        if owner is not None:
            actors = [owner, *owner.conjuncts]
    actors = _resolve_pronouns(_goal_owners(actors), anchor, context)
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


def _aid_goes_somewhere(token: Token, verb: Token | None, recipients: list[Token], patient: Token | None) -> bool:
    """Aid has a recipient, or moves something given (troops, weapons, money, supplies)."""
    if recipients:
        return True
    goods = [patient] if patient is not None else []
    goods += [w for w in _object_words(verb if verb is not None else token)]
    return any(_is_material(g) for g in goods)


def _political(token: Token) -> bool:
    """A state, organisation or office: its stated support is a political act, not an attitude."""
    if token.ent_type_ in ("GPE", "ORG"):
        return True
    classes = lexicon().classes
    lemma = token.lemma_.lower()
    return any(lemma in classes.get(name, ()) for name in ("@OFFICIAL", "@BODIES"))


def _goal_owners(actors: list[Token]) -> list[Token]:
    """Whose goal it is: "Russia's aim is to ..." acts as Russia; "the goal was to help" names no one."""
    out: list[Token] = []
    for actor in actors:
        if actor.lemma_.lower() not in GOAL_NOUNS:
            out.append(actor)
            continue
        owner = next((c for c in actor.children if c.dep_ in ("poss", "compound", "amod") and _agentive(c)), None)
        if owner is not None:
            out.append(owner)
    return out


def _giver(verb: Token) -> list[Token]:
    """Whom something received came from: "received aid from the United States"."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            source = next((g for g in child.children if g.dep_ == "pobj" and _agentive(g)), None)
            if source is not None:
                return [source, *source.conjuncts]
    return []


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
    if any(lemma in lex.classes.get(name, ()) for name in ("@OFFICIAL", "@PEOPLE", "@TROOPS", "@BODIES")):
        return True
    return with_modifiers and any((c.ent_type_ in ("GPE", "NORP", "ORG") or c.pos_ == "PROPN")
                                  and c.dep_ in ("amod", "compound", "poss", "nmod") for c in token.children)


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
