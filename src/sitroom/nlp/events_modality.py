"""Modality of an event trigger: asserted, future, hypothetical or negated.

PLOVER defines these auxiliary modes ("historical" aside) but no coder implements them.
The rules read the dependency parse around the trigger and the verbs that govern it
through control ("aims to deploy", "may consider supplying", "has avoided supplying"):

- negated: a negation on the trigger or a governing verb ("has not disclosed", "no talks"),
  or a governing verb of avoidance ("avoided supplying", "failed to reach");
- hypothetical: a condition ("if they are deployed", "unless", "whether"), a modal of
  possibility ("may", "might", "could", "would", "should"), a verb of consideration
  ("consider supplying"), or a fear ("concerned about Russia using", "fear that ... will");
- future: "will"/"shall"/"going to", a verb of intention or plan ("aims to", "plans to",
  "is set to", "preparing to"), a goal stated with "be" ("the goal was to help"), or a time
  expression after the publication date;
- asserted otherwise.

Negation wins over hypothesis, and hypothesis over the future: "will not attack" is
negated, "may deploy next month" hypothetical.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

DATE_PREFIX = re.compile(r"\d{4}(?:-\d{2}){0,2}")

FUTURE_AUX = {"will", "shall", "'ll", "wo", "ll"}
POSSIBILITY_AUX = {"may", "might", "could", "would", "should", "can", "must"}
CONDITION_MARKS = {"if", "unless", "whether"}
POSSIBILITY_ADVERBS = {"potentially", "possibly", "perhaps", "maybe", "conceivably"}
NEGATING_VERBS = {"avoid", "fail", "refrain", "abstain", "cease", "stop", "neglect", "forgo"}
HYPOTHETICAL_VERBS = {"consider", "contemplate", "mull", "weigh", "explore", "propose", "suggest", "could"}
# What is feared has not happened: "concerned about Russia using nuclear weapons", "fear that the war will expand".
# A forecast by someone else is a possibility, not an announcement: "analysts expect Russia will attack".
PREDICTION_VERBS = {"think", "believe", "expect", "predict", "forecast", "anticipate", "suspect", "assume", "guess",
                    "doubt", "bet", "reckon", "speculate"}
FEAR_WORDS = {"fear", "worry", "dread", "concerned", "worried", "afraid", "fearful", "anxious", "nervous", "scared",
              "alarmed", "wary"}
FUTURE_VERBS = {
    "plan", "aim", "intend", "expect", "prepare", "schedule", "hope", "want", "seek", "decide",
    "resolve", "mean", "wish", "look", "go", "gear",
}
FUTURE_ADJECTIVES = {"set", "due", "poised", "ready", "likely", "about", "expected", "scheduled", "planned", "going",
                     "willing", "prepared", "eager", "determined", "supposed"}
PLAN_NOUN_FUTURE = {"plan", "intention", "intent", "decision", "bid", "aim", "goal", "proposal", "preparation", "readiness", "willingness"}
# "The goal was to help Ukraine's forces": a goal stated with "be", not an act.
GOAL_NOUNS = {"goal", "aim", "purpose", "objective", "task", "mission", "priority", "plan", "intention", "idea", "ambition",
              "way", "solution", "answer", "option", "choice", "step"}


def governors(trigger: Token, limit: int = 4) -> list[Token]:
    """The trigger and the verbs (and predicative adjectives) that control it, nearest first.

    Climbs xcomp/pcomp links ("aims to deploy", "avoided directly supplying") and the
    coordination of a verb with its first conjunct, but never across a clausal
    complement (ccomp): "did not say that X attacked" does not negate the attack.
    """
    chain = [trigger]
    token = trigger
    for _ in range(limit):
        if token.dep_ not in ("xcomp", "pcomp", "conj", "acomp", "csubj", "acl") and not (
            token.dep_ == "pobj" and token.head.dep_ == "prep"
        ):
            break
        if token.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            break  # a clause of its own: "X did not know ..., Y warned" does not negate the warning
        if token.dep_ == "acl":
            # "plans to deploy": the noun of plan lends its future; nothing further up.
            if token.head.lemma_.lower() in PLAN_NOUN_FUTURE:
                chain.append(token.head)
            break
        head = token.head
        if token.dep_ == "pobj":
            head = token.head.head
        elif token.dep_ == "pcomp":
            head = token.head.head if token.head.dep_ == "prep" else token.head
        if head.i == token.i or head.pos_ not in ("VERB", "AUX", "ADJ"):
            break
        chain.append(head)
        token = head
    return chain


def is_negated(chain: list[Token]) -> bool:
    for i, token in enumerate(chain):
        if any(c.dep_ == "neg" for c in token.children):
            return True
        if any(c.lower_ == "no" and c.dep_ == "det" for c in token.children):
            return True
        if i > 0 and token.lemma_.lower() in NEGATING_VERBS:
            return True
    return False


def is_hypothetical(chain: list[Token]) -> bool:
    for i, token in enumerate(chain):
        for child in token.children:
            lower = child.lower_
            if child.dep_ == "mark" and lower in CONDITION_MARKS:
                return True
            if child.dep_ in ("aux", "auxpass") and lower in POSSIBILITY_AUX:
                if lower == "would" and _reported(chain):
                    continue  # "said they would blockade": the future seen from the past
                return True
            if child.dep_ == "advmod" and lower in POSSIBILITY_ADVERBS:
                return True
        if i > 0 and (token.lemma_.lower() in HYPOTHETICAL_VERBS or token.lower_ in FEAR_WORDS
                      or token.lemma_.lower() in FEAR_WORDS):
            return True
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in FEAR_WORDS:
            return True  # "fear that the war will expand"
        if token.dep_ == "ccomp" and token.head.lemma_.lower() in PREDICTION_VERBS and _foretold(chain):
            return True  # "many think the sanctions will be lifted": a forecast, not an announcement
        # "We do not know if/whether ..." puts the trigger's clause under a condition.
        if token.dep_ in ("advcl", "ccomp") and any(
            c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for c in token.children
        ):
            return True
    return False


def is_future(chain: list[Token]) -> bool:
    for i, token in enumerate(chain):
        for child in token.children:
            if child.dep_ in ("aux", "auxpass") and child.lower_ in FUTURE_AUX:
                return True
            if child.dep_ == "aux" and child.lower_ == "would" and _reported(chain):
                return True
        if i > 0:
            lemma = token.lemma_.lower()
            if lemma in FUTURE_VERBS or token.lower_ in FUTURE_ADJECTIVES or lemma in PLAN_NOUN_FUTURE:
                return True
            if lemma == "be" and any(c.dep_ == "nsubj" and c.lemma_.lower() in GOAL_NOUNS for c in token.children):
                return True
    return False


def _foretold(chain: list[Token]) -> bool:
    """Whether the clause is told as still to come ("will", "would", "going to")."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX | {"would", "going"}
               for t in chain for c in t.children)


def _reported(chain: list[Token]) -> bool:
    """Whether the clause is reported speech (a complement of "said") with no condition on it."""
    top = chain[-1]
    if top.dep_ != "ccomp":
        return False
    return not any(c.dep_ == "mark" and c.lower_ in CONDITION_MARKS for t in chain for c in t.children) and not any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)
        for t in chain for c in t.children)


def modality_of(trigger: Token, time_value: str | None = None, published: str | None = None, *,
                climb: bool = True) -> str:
    """The modality of the event whose trigger is ``trigger``.

    ``time_value`` (a TIMEX3 value tied to the event) and ``published`` (YYYY-MM-DD) let a
    later date mark the event as future ("by December" in an October report). Without
    ``climb`` only the trigger's own words count: a noun dated by itself ("Russia's invasion
    on 24 February") is not negated by the verb it is mentioned under.
    """
    chain = governors(trigger) if climb else [trigger]
    if is_negated(chain):
        return "negated"
    if is_hypothetical(chain):
        return "hypothetical"
    if is_future(chain) or _after(time_value, published):
        return "future"
    return "asserted"


def _after(value: str | None, published: str | None) -> bool:
    """Whether a TIMEX3 date value lies after the publication date, compared at the value's precision."""
    if not value or not published:
        return False
    match = DATE_PREFIX.match(value)
    if not match:
        return False
    prefix = match.group(0)
    return prefix > published[: len(prefix)]
