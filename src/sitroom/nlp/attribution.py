"""Who said what: attributed claims from a parsed document, with speakers resolved to entities.

A claim is found from its *cue*, a reporting, belief or assessment verb or noun of the cue
lexicon (``nlp/cues.py``), and the dependency patterns that tie the cue to a source and a
content:

- ``X said (that) ...`` / ``X believes ...``: subject -> source, clausal complement -> content;
- ``"...," X said`` / ``..., X said.``: the cue hangs off the clause it reports;
- ``X told reporters ...``, ``X described this as the "next step"``: the object and what
  follows it are the content;
- ``X expressed evidence that ...``, ``X's statement that ...``: a cue noun with a ``that`` clause;
- ``according to X, ...``: the rest of the clause is the content;
- ``officials are concerned that ...``: a belief adjective with a clause;
- ``PENCE: Well, ...``: a speaker label opening a line (transcripts, headlines);
- participles and conjuncts (``..., saying ...``, ``said ... and added ...``) inherit the subject.

Quotation marks (``attribution_quotes``) widen a content to its whole quotation, so a quote
running over sentences or paragraphs stays one claim; ``kind`` is direct, mixed or indirect
from where the content sits against them.

Speakers resolve to ``found.entities`` (``nlp/speakers``): a name inside the source phrase,
a surname, a pronoun (the last speaker agreeing in gender and number), or a nominal ("the
agency", "the official") when an earlier speaker's phrase or type fits; unnamed sources
("U.S. officials") are anonymous with their affiliation, and the rest stays unresolved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span as SpacySpan, Token

from sitroom.model import Claim, Extraction, Span
from sitroom.nlp.attribution_quotes import Quote, find_quotes
from sitroom.nlp.cues import Cue, cue_lexicon, find_hedge
from sitroom.nlp.doc_text import doc_text
from sitroom.nlp.speakers import DEMONSTRATIVES, ORG_NOUNS, PERSON_NOUNS, SPEAKER_TYPES, Speakers, can_speak

CLAUSE_HEADS = {"VERB", "AUX"}
# Cue weights (share of a lemma's uses that are cues in PolNeAR train) needed to accept a cue
# with each kind of syntactic evidence.
MIN_WEIGHT_CLAUSE = 0.05  # a clausal complement, a quotation or a reported host clause
MIN_WEIGHT_OBJECT = 0.30  # only a direct object or prepositional object
MIN_WEIGHT_BARE = 0.55  # nothing but a subject


@dataclass
class _Found:
    """A claim under construction, as token ranges and character spans."""

    cue_tokens: list[Token]
    source: SpacySpan | None
    content: tuple[int, int]
    antecedent: SpacySpan | None = None  # what a relative pronoun source ("who") stands for


# -- spans -------------------------------------------------------------------------------------

_TRIM_CHARS = " \t\r\n\u00a0,;:—–-("


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and separating punctuation from both ends of [start, end)."""
    while start < end and text[start] in _TRIM_CHARS:
        start += 1
    while end > start and text[end - 1] in _TRIM_CHARS + ".)":
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        end -= 1
    return start, end


def _subtree_range(token: Token) -> tuple[int, int]:
    """Token index range [left, right] of a token's subtree (a projective tree is contiguous)."""
    return token.left_edge.i, token.right_edge.i


def _source_span(doc: Doc, head: Token, cue: Token | None = None) -> SpacySpan:
    """The noun phrase of a source with its appositions and clauses, cut before the cue and at line breaks."""
    left, right = head.left_edge.i, head.right_edge.i
    for child in head.rights:
        holds_cue = cue is not None and child.left_edge.i <= cue.i <= child.right_edge.i
        if holds_cue or (child.dep_ == "punct" and child.text in "—–") or _says_when(child):
            right = min(right, child.left_edge.i - 1)
            break
    # a source never runs over a paragraph break: keep the part holding the head
    while left < head.i and "\n" in doc[left:head.i].text:
        left += 1
    while right > head.i and "\n" in doc[head.i:right + 1].text:
        right -= 1
    while right > head.i and doc[right].is_punct and doc[right].text not in ")":
        right -= 1
    while left < head.i and doc[left].is_punct:
        left += 1
    span = doc[left:right + 1]
    return span


def _says_when(child: Token) -> bool:
    """A phrase of time the parser hung on the source, not part of its name: "the United States
    for the first time expressed ...", "officials on Monday said ..."."""
    if child.dep_ != "prep":
        return False
    objects = [t for t in child.children if t.dep_ == "pobj"]
    return any(t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() == "time" for t in objects)


def _cue_tokens(verb: Token) -> list[Token]:
    """The cue verb with its auxiliaries, negation and particles ("has not said", "pointed out")."""
    tokens = [verb]
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i < verb.i and verb.i - child.i <= 3:
            tokens.append(child)
        elif child.dep_ == "advmod" and child.i < verb.i and verb.i - child.i <= 2 and child.pos_ == "ADV":
            tokens.append(child)
        elif child.dep_ == "prt" and child.i == verb.i + 1:
            tokens.append(child)
    tokens.sort(key=lambda t: t.i)
    # keep the cue contiguous: drop a modifier separated from the verb by something else
    while len(tokens) > 1 and tokens[1].i - tokens[0].i > 1 and tokens[0].i != verb.i:
        tokens.pop(0)
    return tokens


# -- the lexicon -------------------------------------------------------------------------------


def _cue_of(token: Token) -> Cue | None:
    pos = "VERB" if token.pos_ in ("VERB", "AUX") else token.pos_
    if pos not in ("VERB", "NOUN", "ADJ"):
        return None
    return cue_lexicon().get((token.lemma_.lower(), pos))


def _accept(cue: Cue, evidence: str) -> bool:
    """Whether a cue lemma is trusted with this kind of evidence ('clause', 'object' or 'bare').

    An ``act`` verb ("refused", "opposes", "seeks", "ruled out", "threatened") says what someone
    did or wants, not what they said: only a clause or a quotation makes it a claim."""
    weight = cue.weight
    if evidence == "host" or cue.kind == "act" and evidence != "clause":
        return False
    if weight is None:
        return evidence == "clause" and cue.kind in ("report", "belief", "assess")
    needed = {"clause": MIN_WEIGHT_CLAUSE, "object": MIN_WEIGHT_OBJECT, "bare": MIN_WEIGHT_BARE}[evidence]
    return weight >= needed


# -- finding claims ----------------------------------------------------------------------------


def _subjects(verb: Token) -> list[Token]:
    """The verb's own subjects, nearest first ("“...,” the strategist said" can parse with two)."""
    return sorted((c for c in verb.children if c.dep_ in ("nsubj", "csubj", "nsubjpass")),
                  key=lambda c: abs(c.i - verb.i))


def _subject_of(verb: Token) -> Token | None:
    """The subject of a verb, inherited through conjuncts, participles and relative clauses."""
    subjects = [c for c in _subjects(verb) if c.dep_ != "nsubjpass"]
    if subjects:
        return subjects[0]
    for child in verb.children:
        if child.dep_ == "agent":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in CLAUSE_HEADS and verb.head.i != verb.i:
        if verb.dep_ == "advcl" and verb.tag_ not in ("VBG", "VBN"):
            return None
        return _subject_of(verb.head)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and (verb.head.pos_ == "PROPN" or verb.head.ent_type_ in SPEAKER_TYPES
                                                        or verb.head.lemma_.lower() in PERSON_NOUNS | ORG_NOUNS):
        return verb.head
    # "responded by saying ...", "after saying ...": the subject of the clause the phrase modifies
    if verb.dep_ in ("pcomp", "pobj") and verb.tag_ == "VBG" and verb.head.dep_ == "prep":
        host = verb.head.head
        if host.pos_ in CLAUSE_HEADS:
            return _subject_of(host)
    return None


def _content_of_verb(doc: Doc, verb: Token) -> tuple[tuple[int, int] | None, str]:
    """The content a cue verb governs and the kind of evidence for it ('clause', 'object', 'host')."""
    children = list(verb.children)
    for child in children:
        if child.dep_ == "ccomp" and child.i > verb.i:
            return _subtree_range(child), "clause"
    for child in children:
        if child.dep_ == "ccomp":
            return _subtree_range(child), "clause"
    # "expressed evidence that ...", "made the claim that ...": an object noun with a that-clause
    # "says in a statement that ...": the clause the parser hung on the medium
    for child in children:
        nouns = [child] if child.dep_ == "dobj" else [g for g in child.children if g.dep_ == "pobj"] \
            if child.dep_ == "prep" and child.lower_ in ("in", "during") else []
        for noun in nouns:
            for grand in noun.children:
                if grand.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" for g in grand.children):
                    return _subtree_range(grand), "clause"
    # "“My reaction, that was outrageous,” the strategist said": a second subject is what was said
    subjects = _subjects(verb)
    if len(subjects) > 1 and subjects[-1].dep_ != "nsubjpass":
        return _subtree_range(subjects[-1]), "clause"
    # "said after the convention he would not accept ...": an unmarked clause after the cue
    for child in children:
        if child.dep_ == "advcl" and child.i > verb.i and not any(g.dep_ == "mark" for g in child.children) \
                and any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
            return _subtree_range(child), "clause"
    # "told reporters in Rome that ..." / "informed lawmakers that": complement after the object
    objects = [c for c in children if c.dep_ in ("dobj", "attr", "oprd") and c.i > verb.i]
    # "urged Trump to make ...": the object and its infinitive
    for child in children:
        if child.dep_ in ("xcomp",) and child.i > verb.i:
            left, right = _subtree_range(child)
            if objects and objects[0].i < child.i:
                left = objects[0].left_edge.i
            return (left, right), "object"
    # "described this as the next step", "called Trump a liar", "criticized Obama for ...":
    # the object with its predicate
    if objects:
        left, right = _subtree_range(objects[0])
        for child in children:
            if child.i > right and (child.dep_ == "oprd" or (child.dep_ == "prep" and child.lower_ in ("as", "of", "for"))):
                right = max(right, child.right_edge.i)
        return (left, right), "object"
    # "spoke about ...", "warned of ...": a prepositional object, without the preposition
    for child in children:
        if child.dep_ == "prep" and child.i > verb.i and child.lower_ in ("about", "of", "on", "for", "against"):
            left, right = _subtree_range(child)
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                left = objects[0].left_edge.i
            return (left, right), "object"
    # "..., he said": the cue hangs off the clause it reports
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i and verb.head.pos_ in CLAUSE_HEADS:
        host = verb.head
        left, right = _subtree_range(host)
        own_left, own_right = _subtree_range(verb)
        if own_left > host.i:
            return (left, own_left - 1), "host"
        if own_right < host.i:
            return (own_right + 1, right), "host"
    return None, "bare"


def _object_cue_noun(verb: Token, span: tuple[int, int] | None) -> Token | None:
    """The object noun of "expressed evidence that ...", "made the claim that ..." (it joins the cue)."""
    if span is None:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.i < span[0] and child.right_edge.i >= span[1]:
            return child
    return None


def _quote_after(quotes: list[Quote], text: str, token: Token) -> Quote | None:
    """A quotation opening right after the cue ("said: “...”", "said, “...”")."""
    end = token.idx + len(token.text)
    for quote in quotes:
        if quote.start >= end:
            gap = text[end:quote.start]
            return quote if len(gap) <= 3 and not gap.strip(" ,:\u00a0") else None
    return None


def _quote_before(quotes: list[Quote], text: str, start: int) -> Quote | None:
    """A quotation closing right before the source or cue ("“...,” he said")."""
    best = None
    for quote in quotes:
        if quote.end <= start:
            best = quote
        else:
            break
    if best is not None and len(text[best.end:start]) <= 2 and not text[best.end:start].strip(" ,"):
        return best
    return None


def _widen_to_quotes(quotes: list[Quote], start: int, end: int) -> tuple[int, int, str]:
    """Stretch a content over every quotation it touches; also return direct/mixed/indirect."""
    touched = [q for q in quotes if q.start < end and start < q.end]
    if not touched:
        return start, end, "indirect"
    new_start = min(start, touched[0].start)
    new_end = max(end, touched[-1].end)
    outside = [c for c in _outside(start, end, touched)]
    kind = "direct" if not outside else "mixed"
    return new_start, new_end, kind


def _outside(start: int, end: int, quotes: list[Quote]) -> Iterable[tuple[int, int]]:
    position = start
    for quote in quotes:
        if quote.start > position:
            yield position, quote.start
        position = max(position, quote.end)
    if position < end:
        yield position, end


def _speaker_label(doc: Doc, text: str, colon: Token) -> _Found | None:
    """ "PENCE: Well, look, ..." / "Poll: Wealthy voters ...": a name and a colon opening a line.

    The name must be one to four proper nouns or capitalized words right at the start of a
    paragraph (an opening quote mark allowed); the rest of the paragraph is the content.
    """
    line_start = text.rfind("\n", 0, colon.idx) + 1
    lead = text[line_start:colon.idx]
    stripped = lead.lstrip(" \"“\u00a0")
    if not stripped or len(stripped.split()) > 4 or not all(w[:1].isupper() for w in stripped.split()):
        return None
    start_char = colon.idx - len(stripped)
    source = doc.char_span(start_char, colon.idx, alignment_mode="contract")
    if source is None or not len(source) or not all(t.pos_ in ("PROPN", "NOUN") or t.is_upper for t in source):
        return None
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    content_start = colon.idx + 1
    said = text[content_start:line_end]
    if not said.strip() or said.isupper():
        return None  # "THE UNITED NATIONS: IS IT WORTH ALL THE MONEY?" is a section heading
    words = doc.char_span(content_start, line_end, alignment_mode="contract")
    if words is not None and not any(t.pos_ in CLAUSE_HEADS for t in words):
        return None  # "Photo: Stringer, Anadolu Agency": a credit line says nothing
    return _Found([colon], source, (content_start, line_end))


def _find(doc: Doc, text: str, quotes: list[Quote]) -> list[_Found]:
    found: list[_Found] = []
    taken_cues: set[int] = set()
    for token in doc:
        if token.i in taken_cues:
            continue
        if token.text == ":" and token.i < token.sent.start + 6:
            claim = _speaker_label(doc, text, token)
            if claim is not None:
                found.append(claim)
            continue
        # "according to X"
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            claim = _according_to(doc, token)
            if claim:
                found.append(claim)
            continue
        cue = _cue_of(token)
        if cue is None:
            claim = _misparsed_cue(doc, token)
            if claim is not None:
                found.append(claim)
            continue
        if cue.pos == "VERB":
            claim = _verb_claim(doc, text, token, cue, quotes) or _misparsed_cue(doc, token)
        elif cue.pos == "ADJ":
            claim = _adjective_claim(doc, token, cue)
        else:
            claim = _noun_claim(doc, token, cue)
        if claim is not None:
            found.append(claim)
            taken_cues.update(t.i for t in claim.cue_tokens if t.i > token.i)
    return found


def _verb_claim(doc: Doc, text: str, verb: Token, cue: Cue, quotes: list[Quote]) -> _Found | None:
    subject = _subject_of(verb)
    if subject is not None and subject.pos_ in ("VERB", "AUX"):
        subject = None
    span, evidence = _content_of_verb(doc, verb)
    if evidence == "host" and verb.dep_ == "advcl" and verb.tag_ == "VBG":
        return None  # "Referring to the issue, the minister stated ...": the participle reports nothing
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in WITHHOLD_VERBS:
        return None  # "declined to comment on the report": the comment was not made
    if verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in verb.children):
        return None  # "Asked to expand on this point, the secretary said: ...": the question, not the answer
    if evidence == "clause" and span is not None and _is_report_frame(doc, verb, span):
        return None
    noun_cue = _object_cue_noun(verb, span)
    quote = None
    if span is None or evidence != "clause":
        quote = _quote_after(quotes, text, verb)
        if quote is None and subject is not None:
            quote = _quote_before(quotes, text, min(subject.left_edge.idx, verb.idx))
        if quote is not None:
            evidence = "clause"
    if subject is not None and subject.lower_ == "it" and verb.lemma_.lower() in EXPLETIVE_VERBS:
        return None  # "It seems that ...": no one is the source
    if evidence == "host" and cue.kind == "report":
        # "“...,” he said" reports its host clause; a belief or an act there ("officials suggested
        # that Russian forces may feel insecure", "..., Russia attacked") reports nothing
        evidence = "clause"
    if not _accept(cue, evidence):
        return None
    if not _states_something(doc, verb, cue, span, evidence, quote):
        return None
    if subject is None or subject.lower_ in DEMONSTRATIVES and subject.pos_ in ("PRON", "DET"):
        return None  # "This indicates that ...": the writer's inference, nobody's statement
    if subject.lower_ in ("nobody", "none") or subject.lower_ == "one" and any(c.lower_ == "no" for c in subject.children):
        return None  # "No one said anything": nothing was said
    source = _source_span(doc, subject, verb)
    antecedent = None
    if subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl" and subject.i < verb.i:
        antecedent = _source_span(doc, verb.head, verb)
    if quote is not None and (span is None or evidence != "clause"):
        start, end = quote.start, quote.end
    elif span is not None:
        left, right = span
        start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    else:
        return None
    # the content never holds its own source or cue
    if start <= source.start_char < end and source.end_char <= end:
        if source.start_char - start > end - source.end_char:
            end = source.start_char
        else:
            start = source.end_char
    cue_tokens = _cue_tokens(verb)
    following = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if following is not None and following.dep_ == "prep" and following.head.i == verb.i \
            and following.lower_ in ("for", "to", "on", "about", "of") and following.idx + len(following.text) <= start \
            and not _says_when(following):  # "stated on Tuesday": a time, not part of the cue
        cue_tokens.append(following)  # "called for", "referred to": the preposition joins the cue
    if noun_cue is not None:
        cue_tokens.extend(t for t in doc[verb.i + 1:noun_cue.i + 1] if t.dep_ != "det" and t not in cue_tokens)
    return _Found(cue_tokens, source, (start, end), antecedent)


# Verbs that take an empty "it" as subject ("it seems that", "it appears that").
EXPLETIVE_VERBS = {"seem", "appear", "be", "turn", "remain", "emerge"}
# Verbs whose object is the person addressed ("warned Moscow", "asked the minister"): with the
# object alone they say whom a message went to, not the message.
ADDRESSEE_VERBS = {"tell", "ask", "warn", "inform", "remind", "assure", "reassure", "brief", "notify", "caution",
                   "advise", "urge", "persuade", "convince", "beg", "implore", "thank", "contact"}
# Verbs whose "about" object is a topic ("talked about Ukraine"), not a statement.
TOPIC_VERBS = {"talk", "speak", "chat", "think", "write", "comment", "testify", "complain", "worry", "care"}
# Verbs that say something was not said: "declined to comment", "refused to say" report nothing.
WITHHOLD_VERBS = {"decline", "refuse"}
# Verbs of force that politics also uses for words ("attacked the plan"): a place, a country or a
# people as their object is force ("attacked Kyiv", "defend our land").
FORCE_VERBS = {"attack", "defend", "target", "strike", "hit", "fight"}
# Words opening an embedded question: "we don't know what will happen", "asked whether ...".
_QUESTION_WORDS = {"what", "whether", "if", "how", "why", "when", "where", "who", "which"}


def _is_report_frame(doc: Doc, verb: Token, span: tuple[int, int]) -> bool:
    """Whether a cue's clause is itself the frame that reports the cue's words: in "we do not hear
    - Sergei Lavrov regretted", "regretted" reports "we do not hear", not the other way round."""
    head = next((t for t in doc[span[0]:span[1] + 1] if t.head.i == verb.i), None)
    if head is None or head.i < verb.i or _cue_of(head) is None:
        return False
    subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "PROPN":
        return False
    lead = doc[span[0]:subject.left_edge.i].text.strip(" -–—,")
    return not lead and any(t.text in "-–—" for t in doc[verb.i + 1:subject.left_edge.i])


def _states_something(doc: Doc, verb: Token, cue: Cue, span: tuple[int, int] | None, evidence: str,
                      quote: Quote | None) -> bool:
    """Whether a cue with its content reports a statement or a held view, not a state of mind,
    a topic, a negated act or the writer's own inference."""
    if quote is None and evidence != "clause" and any(c.dep_ == "neg" for c in verb.children):
        return False  # "has not disclosed the information", "did not inform officials about his plans"
    if any(c.dep_ == "auxpass" for c in verb.children) and not any(c.dep_ == "agent" for c in verb.children):
        return False  # "is deemed to violate", "are viewed as targets": nobody named says it
    if evidence == "object" and quote is None and span is not None:
        lemma = verb.lemma_.lower()
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if lemma in ADDRESSEE_VERBS and objects and _subtree_range(objects[0]) == span:
            return False  # "Western countries warn Moscow", "told CNN": who was told, not what
        before = doc[span[0] - 1]
        if before.dep_ == "prep" and before.lower_ in ("on", "in") and doc[span[0]:span[1] + 1].root.pos_ == "PROPN":
            return False  # "wrote on Twitter": the medium, not the message
        if lemma in TOPIC_VERBS and doc[span[0] - 1].lower_ in ("about", "to", "with"):
            return False  # "was talking about a possible invasion", "talked to reporters": a topic or a listener
        if lemma in FORCE_VERBS and any(t.ent_type_ in ("GPE", "LOC", "FAC", "NORP")
                                        for t in doc[span[0]:span[1] + 1] if t.head.i == verb.i):
            return False  # "attacking Moscow", "defend our land": force, not words
    if verb.lemma_.lower() in WITHHOLD_VERBS and quote is None and any(
            c.dep_ == "xcomp" and (c.lemma_.lower() in TOPIC_VERBS or _is_report_cue(c)) for c in verb.children):
        return False  # "declined to comment", "refused to say whether ...": nothing was said
    if cue.kind == "report":
        return True
    if verb.dep_ == "advcl" and not _subjects(verb):
        return False  # "..., meaning grain cannot be exported": a consequence the writer draws
    if span is not None and quote is None and doc[span[0]].lower_ in _QUESTION_WORDS:
        return False  # "we don't know what will happen next": a question, no view held
    if span is not None and quote is None and evidence == "clause":
        clause_head = next((t for t in doc[span[0]:span[1] + 1] if t.head.i == verb.i), None)
        if clause_head is not None and clause_head.dep_ == "ccomp" and clause_head.pos_ not in CLAUSE_HEADS \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause_head.children):
            return False  # "may feel insecure": a state, not a belief about something
    return True


def _is_report_cue(token: Token) -> bool:
    """Whether a verb is a cue of speech ("say", "comment", "confirm")."""
    cue = _cue_of(token)
    return cue is not None and cue.kind == "report"


def _adjective_claim(doc: Doc, adjective: Token, cue: Cue) -> _Found | None:
    """ "officials are concerned that ...", "she is confident (that) ...": a belief adjective with a clause."""
    if adjective.dep_ not in ("acomp", "oprd") or adjective.head.pos_ not in CLAUSE_HEADS:
        return None
    clause = next((c for c in adjective.children if c.dep_ in ("ccomp", "advcl") and c.i > adjective.i
                   and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)), None)
    if clause is not None and _accept(cue, "clause"):
        left, right = _subtree_range(clause)
    else:
        # "worried about the shift", "eager to leave": a prepositional object or an infinitive
        about = next((c for c in adjective.children if c.i > adjective.i and (
            (c.dep_ == "prep" and c.lower_ in ("about", "of", "over", "that")) or c.dep_ == "xcomp")), None)
        if about is None or not _accept(cue, "object"):
            return None
        left, right = _subtree_range(about)
        objects = [g for g in about.children if g.dep_ in ("pobj", "pcomp")] if about.dep_ == "prep" else []
        if objects:
            left = objects[0].left_edge.i
    subject = _subject_of(adjective.head)
    if subject is None or subject.pos_ in ("VERB", "AUX"):
        return None
    tokens = [t for t in (*_cue_tokens(adjective.head), adjective) if t.i <= adjective.i]
    return _Found(sorted(tokens, key=lambda t: t.i), _source_span(doc, subject),
                  (doc[left].idx, doc[right].idx + len(doc[right].text)))


def _misparsed_cue(doc: Doc, token: Token) -> _Found | None:
    """A reporting verb the small parser read as an adjective: "NIS chief informed lawmakers that ...".

    Taken only when the word is a past form of a lexicon verb modifying the noun that carries
    the ``that`` clause, and a noun phrase stands right before it.
    """
    if token.dep_ != "amod" or token.head.i <= token.i or not token.lower_.endswith("ed"):
        return None
    word = token.lower_
    cue = None
    for lemma in (token.lemma_.lower(), word[:-2], word[:-1], word[:-3] if len(word) > 4 and word[-3] == word[-4] else ""):
        cue = cue_lexicon().get((lemma, "VERB"))
        if cue is not None:
            break
    if cue is None or not _accept(cue, "clause"):
        return None
    clause = next((c for c in token.head.children if c.dep_ in ("acl", "relcl", "ccomp")
                   and doc[c.left_edge.i].lower_ == "that" and c.i > token.head.i), None)
    if clause is None:
        return None
    subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if subject is not None:
        source = _source_span(doc, subject)
    else:
        left = token.i
        while left > token.sent.start and doc[left - 1].pos_ in ("PROPN", "NOUN", "DET", "ADJ", "PART") \
                and doc[left - 1].dep_ not in ("pobj", "prep"):
            left -= 1
        if left == token.i or doc[token.i - 1].pos_ not in ("PROPN", "NOUN"):
            return None
        source = doc[left:token.i]
    left, right = _subtree_range(clause)
    return _Found([token], source, (doc[left].idx, doc[right].idx + len(doc[right].text)))


def _noun_claim(doc: Doc, noun: Token, cue: Cue) -> _Found | None:
    """ "X's statement that ...", "the agency's assessment that ...", "a claim by X that ..." """
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if clause is None or not _accept(cue, "clause"):
        return None
    source_token = next((c for c in noun.children if c.dep_ == "poss"), None)
    if source_token is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        if by is not None:
            source_token = next((c for c in by.children if c.dep_ == "pobj"), None)
    if source_token is None:
        if noun.dep_ in ("dobj", "attr") and noun.head.pos_ in CLAUSE_HEADS:
            source_token = _subject_of(noun.head)
            if source_token is not None:
                # the verb joins the cue: "expressed evidence", "made the claim"
                left, right = _subtree_range(clause)
                tokens = [noun.head, *[t for t in doc[noun.head.i + 1:noun.i + 1] if t.dep_ != "det"]]
                start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
                return _Found(tokens, _source_span(doc, source_token), (start, end))
        return None
    left, right = _subtree_range(clause)
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    source = doc[source_token.left_edge.i:source_token.i + 1] if source_token.dep_ == "poss" else _source_span(doc, source_token)
    if source_token.dep_ == "poss" and source[-1].tag_ == "POS":
        source = source[:-1]
    return _Found([noun], source, (start, end))


def _according_to(doc: Doc, according: Token) -> _Found | None:
    to = doc[according.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in according.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = _source_span(doc, objects[0])
    phrase_left = according.i
    phrase_right = max(objects[0].right_edge.i, to.i)
    sentence = according.sent
    # the rest of the sentence is the content
    before = (sentence.start, phrase_left - 1) if phrase_left > sentence.start else None
    after = (phrase_right + 1, sentence.end - 1) if phrase_right + 1 < sentence.end else None
    pieces = [p for p in (before, after) if p and p[1] >= p[0] and any(not t.is_punct for t in doc[p[0]:p[1] + 1])]
    if not pieces:
        return None
    left, right = max(pieces, key=lambda p: p[1] - p[0])
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    return _Found([according, to], source, (start, end))


# -- claims ------------------------------------------------------------------------------------


# A fronted phrase that dates a statement by the day just told of: "Later that day, X stated ...".
_THAT_DAY = re.compile(r"\b(?:that|the same) (?:day|morning|afternoon|evening|night)\b", re.IGNORECASE)


def _said_on(found: Extraction, cue_tokens: list[Token], content: tuple[int, int],
             source: SpacySpan | None, day_before: str | None = None) -> tuple[str | None, str | None]:
    """A time expression tied to the cue ("stated on Tuesday", "On Wednesday, X informed ..."), the
    day told of just before for "Later that day, X said" (``day_before``), else the publication
    date (marked so). A time inside the content never dates the statement."""
    verb = max(cue_tokens, key=lambda t: len(list(t.children)))
    sentence = verb.sent
    front_end = min(cue_tokens[0].idx, source.start_char if source is not None else cue_tokens[0].idx)
    if day_before and _THAT_DAY.search(found.document.text[sentence.start_char:front_end]):
        return day_before, "cue"
    if found.times:
        attached: list[tuple[int, int]] = []
        for child in verb.children:
            if child.dep_ in ("npadvmod", "prep", "advmod", "tmod"):
                left, right = _subtree_range(child)
                attached.append((child.doc[left].idx, child.doc[right].idx + len(child.doc[right].text)))
        # a fronted adverbial, before the source and the cue, dates the report too
        if content[0] >= front_end or content[1] <= sentence.start_char:
            attached.append((sentence.start_char, front_end))
        for time in found.times:
            if time.type not in ("DATE", "TIME") or content[0] <= time.start < content[1]:
                continue
            if any(s <= time.start and time.end <= e for s, e in attached):
                return time.value, "cue"
    if found.document.published:
        return found.document.published, "published"
    return None, None


def _stance(doc: Doc, cue_tokens: list[Token], content: tuple[int, int]) -> tuple[str | None, str | None]:
    words = [t.lower_ for t in cue_tokens]
    hedge = find_hedge(words)
    if hedge is None:
        span = doc.char_span(content[0], content[1], alignment_mode="expand")
        if span is not None:
            hedge = find_hedge([t.lower_ for t in span[:60]])
    if hedge is None:
        return None, None
    return hedge[1], hedge[0]


def extract_claims(doc: Doc, found: Extraction) -> list[Claim]:
    """Attributed claims of one parsed document, in text order, speakers resolved."""
    text = doc_text(doc)
    quotes = find_quotes(text)
    raw = sorted(_find(doc, text, quotes), key=lambda f: f.cue_tokens[0].i)
    speakers = Speakers(doc, found.entities)
    cue_starts = sorted(f.cue_tokens[0].idx for f in raw)
    claims: list[Claim] = []
    day_before: str | None = None
    for item in raw:
        if item.source is None:
            continue
        start, end = _trimmed(text, *item.content)
        if end <= start:
            continue
        start, end, kind = _widen_to_quotes(quotes, start, end)
        if kind == "indirect" and "\n" in text[start:end]:  # never past a paragraph break
            if start > item.cue_tokens[0].idx:
                start, end = _trimmed(text, start, text.index("\n", start))
            elif end <= item.cue_tokens[0].idx:
                start, end = _trimmed(text, text.rindex("\n", start, end) + 1, end)
        if not _has_substance(doc, start, end):
            continue  # "who oppose us", "ruled that out": a pronoun alone is no content
        cue_start = item.cue_tokens[0].idx
        cue_end = item.cue_tokens[-1].idx + len(item.cue_tokens[-1].text)
        if start <= cue_start < end and cue_end <= end and kind != "indirect":
            # a quotation never swallows its own cue: keep the quote on the content side
            continue
        if kind != "indirect":
            end = _continue_quote(text, quotes, item, start, end, cue_starts)
        speaker = speakers.resolve(item.source, item.antecedent)
        if speaker.kind == "unresolved" and not can_speak(item.antecedent or item.source):
            continue  # a thing is no source: "The proliferation of drones means ..."
        said_on, basis = _said_on(found, item.cue_tokens, (start, end), item.source, day_before)
        if basis == "cue" and said_on and len(said_on) == 10:
            day_before = said_on
        stance, hedge = _stance(doc, item.cue_tokens, (start, end))
        claims.append(Claim(
            id=f"c{len(claims) + 1}",
            speaker=speaker,
            cue=Span(text[cue_start:cue_end], cue_start, cue_end),
            content=Span(text[start:end], start, end),
            kind=kind,  # type: ignore[arg-type]
            stance=stance, hedge=hedge, said_on=said_on, said_on_basis=basis,
        ))
    claims = _without_inverted(claims)
    _link_nested(claims)
    return _without_unsourced_nested(claims)


def _without_inverted(claims: list[Claim]) -> list[Claim]:
    """Drop a claim read backwards: when two claims hold each other's cue in their contents
    ("a warrant that Moscow says it does not recognize" gives "Moscow says" and "it does not
    recognize | that Moscow says"), the second is the first's content, not a statement."""
    def holds(outer: Claim, inner: Claim) -> bool:
        return outer.content.start <= inner.cue.start and inner.cue.end <= outer.content.end

    def only_cue_and_source(claim: Claim, other: Claim) -> bool:
        # "that Moscow says" and no more, or a content opening with the other's source ("we do not
        # hear - Sergei Lavrov regretted during the meeting")
        return claim.content.start <= other.speaker.start and (
            len(claim.content.text.split()) <= 6 or not claim.content.text[:other.speaker.start - claim.content.start].strip(" -–—,"))

    inverted = {id(b) for a in claims for b in claims
                if a is not b and a.cue.start < b.cue.start and holds(a, b) and holds(b, a)
                and only_cue_and_source(b, a)}
    kept = [c for c in claims if id(c) not in inverted]
    for number, claim in enumerate(kept, 1):
        claim.id = f"c{number}"
    return kept


_SUBSTANCE = {"NOUN", "PROPN", "VERB", "AUX", "NUM", "ADJ"}


def _has_substance(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is None or any(t.pos_ in _SUBSTANCE for t in span)


def _continue_quote(text: str, quotes: list[Quote], item: _Found, start: int, end: int,
                    cue_starts: list[int]) -> int:
    """Stretch a quoted content over the quotations that follow with no attribution of their own.

    Covers "“A,” Graham asked. “B.”" and a quote going on in the next paragraphs: between the
    content and the next quotation there may only be this claim's own source and cue.
    """
    own = [(t.idx, t.idx + len(t.text)) for t in item.cue_tokens]
    if item.source is not None:
        own.append((item.source.start_char, item.source.end_char))
    sentence = item.cue_tokens[0].sent
    own.append((sentence.start_char, sentence.end_char))
    for quote in quotes:
        if quote.start < end:
            continue
        gap = text[end:quote.start]
        if gap.count("\n\n") > 1 or len(gap) > 200:
            break
        if any(end <= c < quote.end for c in cue_starts if not any(s <= c < e for s, e in own)):
            break
        words = [(m.start() + end, m.end() + end) for m in _WORD.finditer(gap)]
        if not all(any(s <= ws and we <= e for s, e in own) for ws, we in words):
            break
        if "\n" not in gap and not gap.rstrip().endswith((".", "!", "?")) and words:
            break
        end = quote.end
    return end


_WORD = re.compile(r"\w+")


def _link_nested(claims: list[Claim]) -> None:
    """A claim whose cue sits inside another claim's content is reported through it (``via``)."""
    for inner in claims:
        for outer in claims:
            if outer is inner or outer.via == inner.id:
                continue
            if outer.content.start <= inner.cue.start and inner.cue.end <= outer.content.end \
                    and outer.content.start <= inner.speaker.start:
                inner.via = outer.id
                break


# First-person sources: inside another claim's content they are that claim's own speaker.
_FIRST_PERSON = {"i", "me", "we", "us"}


def _without_unsourced_nested(claims: list[Claim]) -> list[Claim]:
    """Drop a claim reported through another (``via``) whose source names no one, or is the
    outer speaker's "I": "Blinken warned that everything he was seeing suggested ...", "Rinkēvičs
    said he and Wong had agreed on ...", "“... But I think that ...” - he said". The outer claim
    already holds the statement; the inner one would list a statement under no one."""
    def unsourced(claim: Claim) -> bool:
        return claim.via is not None and (
            claim.speaker.kind == "unresolved" or claim.speaker.text.lower() in _FIRST_PERSON)

    dropped = {c.id for c in claims if unsourced(c)}
    if not dropped:
        return claims
    kept = [c for c in claims if c.id not in dropped]
    renumber = {c.id: f"c{n}" for n, c in enumerate(kept, 1)}
    for claim in kept:
        claim.id = renumber[claim.id]
        claim.via = renumber.get(claim.via) if claim.via else None
    return kept


__all__ = ["extract_claims"]
