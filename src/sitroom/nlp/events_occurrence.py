"""Does a trigger report an event at all? Rules by syntax, for precision on real news.

A pattern says what a word would code ("support" is SUPPORT); these rules say when the
sentence does not report such an event happening:

- words addressed to the reader: an imperative with no subject that opens its sentence
  ("Sign up for our newsletter", "Thank you for being with us", "Follow us");
- "provided" as a conjunction of condition ("Provided a just peace can be achieved, ...");
- a desire or hope ("we wanted to trade", "hopes the talks will resume"): wanting is not
  intending, and PLOVER codes no wishes;
- a warning that a danger is or could be the case ("X could become a target, a strategist
  warned", "warned that Minsk is testing its readiness"): PLOVER's THREATEN is a warning
  "with serious potential repercussions", something held out to follow;
- a statement about anyone ("those who support ...", "no country can fight ..."): the actor
  is a generic or negative quantifier, not a participant;
- a standing stance told in the narrator's present by people or a person ("Ukrainians
  support ...", "he supports Republican candidates"), with "be" ("is strongly opposed to",
  "is heavily invested in"), or as a participle describing a noun ("countries opposed to
  the invasion"): a state, not an act. Said by someone (a claim), in a headline (where the
  simple present reports news) or by a state or organisation, a present stance stays an
  event.
"""

from __future__ import annotations

from spacy.tokens import Token

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
DESIRE_VERBS = {"want", "wish", "hope", "dream", "long", "yearn", "desire", "like", "love"}
# A consequence still to come: "would be met", "will pay".
FUTURE_CONSEQUENCE_AUX = {"will", "would", "shall", "'ll", "wo"}
CONSEQUENCE_NOUNS = {
    "consequence", "retaliation", "response", "reprisal", "sanction", "action", "measure", "force",
    "punishment", "price", "cost", "repercussion", "countermeasure", "step", "strike", "attack",
}
GENERIC_PRONOUNS = {"those", "anyone", "anybody", "everyone", "everybody", "whoever", "nobody", "whatever", "what",
                    "which", "whichever"}
GENERIC_DETERMINERS = {"no", "any", "every"}
STANCE_VERBS = {"support", "back", "oppose", "favor", "favour", "resist", "endorse", "invest"}
# In the simple present these tell a lasting attitude ("Ukrainians support ...", "China invests in ...");
# opposing and resisting are kept: "X rejects", "X opposes" often report the act in news style.
PRESENT_STANCE_VERBS = {"support", "back", "favor", "favour", "endorse", "invest"}
PRESENT_BE = {"is", "are", "am", "'s", "'re", "'m"}
READER_LEAD_WORDS = {"please", "now", "also", "just", "so", "and", "then"}


def reports_an_event(token: Token, type_: str, role: str) -> bool:
    """False when the trigger addresses the reader, voices a wish or warns of another's threat."""
    if role == "verb" and (addresses_the_reader(token) or is_condition_word(token)):
        return False
    if is_wished(token):
        return False
    if token.lemma_.lower() == "warn" and type_ == "THREATEN" and not warns_of_own_response(token):
        return False
    return True


def addresses_the_reader(verb: Token) -> bool:
    """An imperative that opens its sentence ("Sign up for ...", "Thank you for ..."), or one of its conjuncts."""
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    if verb.dep_ != "ROOT" or verb.tag_ not in ("VB", "VBP"):
        return False
    if any(c.dep_ in SUBJECT_DEPS or c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    before = verb.doc[verb.sent.start:verb.i]
    return all(t.is_punct or t.is_space or t.lower_ in READER_LEAD_WORDS for t in before)


def is_condition_word(verb: Token) -> bool:
    """"Provided (that) a just peace can be achieved": the participle as a conjunction of condition."""
    return verb.lower_ in ("provided", "providing") and not any(c.dep_ in ("dobj", "dative") for c in verb.children) \
        and any(c.dep_ in ("ccomp", "advcl") and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
                for c in verb.children)


def is_wished(trigger: Token) -> bool:
    """Whether the trigger is what someone wants or hopes for ("wanted to trade", "hopes the
    talks resume", "I'm hoping the administration will ... make sure they make concessions")."""
    current = trigger
    for _ in range(6):
        head = current.head
        if head.i == current.i:
            return False
        if current.dep_ in ("xcomp", "ccomp", "conj", "pcomp", "dobj", "pobj", "prep", "acl") and \
                head.lemma_.lower() in DESIRE_VERBS:
            return True  # "wanted to trade", "the hope that Russia is ready to recognise ..."
        if current.dep_ not in ("xcomp", "ccomp", "conj", "pcomp", "dobj", "pobj", "prep", "advcl", "acl"):
            return False
        current = head
    return False


def warns_of_own_response(warn: Token) -> bool:
    """Whether a warning can be a threat: it holds out something that will follow, not a danger
    that is or could be the case.

    "warned Iran of consequences", "warned against ...", "warned that it would respond",
    "warned Russia would face sanctions" are threats; "X could become a target, a strategist
    warned" (a possibility) and "warned that Minsk is testing its readiness" (a statement) are
    not, unless the warner is the one who acts in it.
    """
    clauses = [c for c in warn.children if c.dep_ == "ccomp"]
    if not clauses:
        return True  # "warned Iran", "warned of retaliation", "warned against ...": held out to someone
    return any(_holds_out_response(clause, warn) for clause in clauses)


def _holds_out_response(clause: Token, warn: Token) -> bool:
    if any(c.dep_ == "dobj" and c.lemma_.lower() in CONSEQUENCE_NOUNS for c in clause.children):
        return True
    subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    warner = next((c for c in warn.children if c.dep_ == "nsubj"), None)
    if subject is not None and (subject.lower_ in ("we", "i") or warner is not None and (
            subject.lemma_.lower() == warner.lemma_.lower() or
            (subject.pos_ == "PRON" and subject.lower_ in ("it", "they", "he", "she")))):
        return True  # the warner's own act: "warned that it would respond"
    auxiliaries = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    return bool(auxiliaries & FUTURE_CONSEQUENCE_AUX)  # "warned that any attack would be met with force"


def is_generic(actor: Token) -> bool:
    """Whether an actor stands for anyone: "those (who)", "anyone", "no country", "every nation"."""
    if actor.lower_ in GENERIC_PRONOUNS:
        return True
    return any(c.dep_ == "det" and c.lower_ in GENERIC_DETERMINERS for c in actor.children)


def is_standing_stance(anchor: Token, type_: str, *, reported: bool, headline: bool, political: bool = False) -> bool:
    """Support or opposition told as a state in the narrator's present ("Ukrainians support ...").

    A present attitude is a state when held by people or a person; a state's or an
    organisation's (``political``) stated support is an act.
    """
    if type_ not in ("SUPPORT", "REJECT", "COOPERATE") or anchor.lemma_.lower() not in STANCE_VERBS:
        return False
    if anchor.dep_ == "acl" and anchor.tag_ == "VBN":
        return True  # a participle describing a noun: "countries opposed to the invasion", "forces backed by Russia"
    if reported or headline:
        return False
    auxiliaries = [c for c in anchor.children if c.dep_ in ("aux", "auxpass")]
    if anchor.tag_ in ("VBZ", "VBP") and not auxiliaries and anchor.lemma_.lower() in PRESENT_STANCE_VERBS:
        return not political
    # "is strongly opposed to": the participle as the complement of "is" ("is backed by X" reports X's act).
    return anchor.dep_ == "acomp" and anchor.head.lower_ in PRESENT_BE
