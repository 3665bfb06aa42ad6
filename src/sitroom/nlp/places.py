"""Places: every place mention of a document, resolved to a gazetteer entry.

Recognition takes spaCy's GPE, LOC and FAC spans, and names the small model mislabels
("Vladivostok" as a person, "Kursk" as a product) when the gazetteer knows them and the
sentence uses them as places (after "in", "near", "to"..., or before "region"). Each mention
keeps what surrounds it: a region word ("the Kursk region"), a qualifier ("Paris, Texas",
"Russia's Kursk region") and a direction ("eastern Russia"). ``geocode.resolve`` then picks
the entries with the whole document as context.

A national capital that acts ("Pyongyang may face consequences", "Seoul's decision") stands
for its government: it is flagged ``metonymy`` and linked to the country's entity.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span as SpacySpan

from sitroom.model import Entity, Extraction, Place
from sitroom.nlp import geocode
from sitroom.nlp.doc_text import doc_text
from sitroom.nlp.geocode_index import Place as GazetteerPlace

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Other proper names that may be places the small model mislabelled.
MAYBE_PLACE_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "NORP", ""})
LOCATIVE_PREPOSITIONS = frozenset({
    "in", "at", "near", "from", "to", "into", "across", "outside", "inside", "toward", "towards",
    "around", "through", "throughout", "within", "via", "off", "between",
})
DIRECTIONS = frozenset({
    "northern", "southern", "eastern", "western", "central", "northeastern", "northwestern",
    "southeastern", "southwestern", "north-eastern", "north-western", "south-eastern", "south-western",
})
# Last words of names of streets, buildings and small features (placed approximately when unknown).
FEATURE_WORDS = frozenset({
    "street", "avenue", "road", "boulevard", "square", "bridge", "park", "airport", "station", "university",
    "college", "school", "hospital", "church", "cathedral", "mosque", "temple", "museum", "stadium", "hotel",
    "base", "prison", "port", "harbor", "harbour", "river", "lake", "valley", "island", "mountain", "hill",
})
# A mislabelled name is taken as a place only when it names something this large.
MIN_POPULATION_FOR_RELABEL = 50_000
# Heads that make a capital subject or possessor act as a government, not a location.
METONYMY_DEPS = frozenset({"nsubj", "nsubjpass", "poss"})


def _region_word_after(span: SpacySpan) -> bool:
    doc = span.doc
    return span.end < len(doc) and doc[span.end].lower_ in geocode.REGION_WORDS


def _is_locative(span: SpacySpan) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS


def _mislabelled_place(span: SpacySpan) -> bool:
    """A non-place name that the gazetteer knows well and the sentence uses as a place."""
    if not any(t.pos_ == "PROPN" for t in span) or not span.text[:1].isupper():
        return False
    region_word = _region_word_after(span)
    if not (region_word or _is_locative(span)):
        return False
    for place, main in geocode.candidates(span.text, region_word):
        if main and (place.level in ("country", "region", "feature", "continent")
                     or place.population >= MIN_POPULATION_FOR_RELABEL):
            return True
    return False


def _trim(span: SpacySpan) -> SpacySpan:
    """Drop a leading "the" and a trailing possessive from a name."""
    start, end = span.start, span.end
    doc = span.doc
    if end - start > 1 and doc[start].lower_ == "the":
        start += 1
    if end - start > 1 and doc[end - 1].tag_ == "POS":
        end -= 1
    return doc[start:end]


def _could_name_a_place(text: str) -> bool:
    """Not a two-letter code ("AI" is Anguilla's, and artificial intelligence) nor a people
    ("North Koreans"): an entity typed a place on such a name alone stays out."""
    from sitroom.nlp.gazetteer import country_of_demonym

    letters = text.replace(".", "")
    return not (len(letters) <= 2 and letters.isupper()) and not country_of_demonym(text)


def place_spans(doc: Doc, entities: list[Entity] = ()) -> list[SpacySpan]:
    """The spans of a document that name places, in text order.

    The model's place labels, names it mislabelled that look like places, and the mentions
    of ``entities`` that the entity step typed as places ("Aleppo" the model took for a
    nationality): one decision about what is a place, not two.
    """
    spans = []
    taken: set[int] = set()
    for entity in entities:
        if entity.type not in ("GPE", "LOC"):
            continue
        for mention in entity.mentions:
            if not _could_name_a_place(mention.text):
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="contract")
            if span is not None and len(span) and not taken.intersection(range(span.start, span.end)):
                span = _trim(span)
                spans.append(span)
                taken.update(range(span.start, span.end))
    for ent in doc.ents:
        if taken.intersection(range(ent.start, ent.end)):
            continue
        if ent.label_ in PLACE_LABELS or (ent.label_ in MAYBE_PLACE_LABELS and ent.label_ != "NORP"
                                          and _mislabelled_place(ent)):
            span = _trim(ent)
            spans.append(span)
            taken.update(range(span.start, span.end))
    # Runs of proper nouns spaCy left out of every entity: "Kursk" before "region".
    index = 0
    while index < len(doc):
        token = doc[index]
        if token.pos_ == "PROPN" and not token.ent_type_ and index not in taken:
            end = index + 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and not doc[end].ent_type_:
                end += 1
            span = doc[index:end]
            if _mislabelled_place(span):
                spans.append(span)
            index = end
        else:
            index += 1
    return sorted(spans, key=lambda s: s.start)


def _qualifier(span: SpacySpan, spans_by_start: dict[int, SpacySpan]) -> str | None:
    """"Texas" in "Paris, Texas" / "Alexandria, La."; "Russia" in "Russia's Kursk region"."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].text == ",":
        following = spans_by_start.get(span.end + 1)
        if following is not None:
            return None if _in_list(following, spans_by_start) else following.text
        token = doc[span.end + 1]
        if token.text[:1].isupper() and token.text.endswith("."):
            return token.text  # an AP state abbreviation: "La.", "Calif."
    if span.start >= 2 and doc[span.start - 1].tag_ == "POS":
        for start in range(max(0, span.start - 6), span.start - 1):
            before = spans_by_start.get(start)
            if before is not None and before.end == span.start - 1:
                return before.text
    return None


def _in_list(span: SpacySpan, spans_by_start: dict[int, SpacySpan]) -> bool:
    """"Mexico, China, Japan and Brazil": a place followed by another is a list, not a qualifier."""
    doc = span.doc
    if span.end + 1 < len(doc) and doc[span.end].lower_ in (",", "and", "or"):
        after = span.end + 1
        if after < len(doc) and doc[after].lower_ in ("and", "or"):
            after += 1
        return after in spans_by_start
    return False


def _mention(span: SpacySpan, spans_by_start: dict[int, SpacySpan]) -> geocode.Mention:
    doc = span.doc
    region_word = _region_word_after(span)
    start_char, end_char = span.start_char, span.end_char
    text = span.text
    if region_word:
        end_char = doc[span.end].idx + len(doc[span.end])
        text = doc[span.start:span.end + 1].text
    return geocode.Mention(text=text, start=start_char, end=end_char, region_word=region_word,
                           qualifier=_qualifier(span, spans_by_start))


def mentions_of(doc: Doc, spans: list[SpacySpan]) -> list[geocode.Mention]:
    """Mentions with their surroundings, ready for ``geocode.resolve``."""
    by_start = {s.start: s for s in spans}
    return [_mention(span, by_start) for span in spans]


def _possessive_names(span: SpacySpan, next_span: SpacySpan | None) -> list[str]:
    """The names "X's Y" may be known by: as written, and, for a country X, with X's
    nationality word ("Russia's Far East" -> "Russian Far East", "China's Xinjiang region")."""
    from sitroom.nlp.gazetteer import country_code, demonyms_of

    doc = span.doc
    if next_span is None or span.end >= len(doc) or doc[span.end].tag_ != "POS" or next_span.start != span.end + 1:
        return []
    code = country_code(span.text)
    return [doc[span.start:next_span.end].text] + [f"{word} {next_span.text}" for word in demonyms_of(code or "")]


def _direction(span: SpacySpan) -> str | None:
    if span.start > 0 and span.doc[span.start - 1].lower_ in DIRECTIONS:
        return span.doc[span.start - 1].text
    return None


def _entity_at(entities: list[Entity], start: int, end: int) -> Entity | None:
    for entity in entities:
        for mention in entity.mentions:
            if mention.start < end and start < mention.end:
                return entity
    return None


def _country_entity(entities: list[Entity], country_code: str | None) -> Entity | None:
    """The document's entity for a country, by its ISO code or by what its name resolves to."""
    if not country_code:
        return None
    for entity in entities:
        if entity.country_code == country_code and entity.type == "GPE":
            return entity
    from sitroom.nlp.gazetteer import country_code as code_of_country

    for entity in entities:
        if entity.type == "GPE" and code_of_country(entity.name) == country_code:
            return entity
    return None


def _is_metonymy(span: SpacySpan, place: GazetteerPlace) -> bool:
    """A national capital as the subject or possessor of something done or decided."""
    if not (place.level == "city" and place.capital):
        return False
    root = span.root
    return root.dep_ in METONYMY_DEPS and not _is_locative(span)


def _level(place: GazetteerPlace) -> str:
    return "feature" if place.level == "continent" else place.level  # "approximate" stays as it is


def extract_places(doc: Doc, found: Extraction) -> list[Place]:
    """Every place mention of ``doc`` resolved to a gazetteer entry, in text order."""
    spans = place_spans(doc, found.entities)
    if not spans:
        return []
    # Merge "Russia's Far East" where the whole is a known name.
    merged: list[SpacySpan] = []
    known_as: dict[int, list] = {}  # candidates of a merged span, by its position in ``merged``
    skip = False
    for index, span in enumerate(spans):
        if skip:
            skip = False
            continue
        following = spans[index + 1] if index + 1 < len(spans) else None
        whole = next((c for c in map(geocode.candidates, _possessive_names(span, following)) if c), None)
        if whole:
            known_as[len(merged)] = whole
            merged.append(doc[span.start:following.end])
            skip = True
        else:
            merged.append(span)
    text = doc_text(doc)  # built from the tokens on every access: once per document
    mentions = mentions_of(doc, merged)
    for position, candidates in known_as.items():
        mentions[position].candidates = candidates
    for span, mention in zip(merged, mentions):
        # Streets, buildings and facilities the gazetteer lacks go to the document's focus.
        mention.approximate = span.label_ == "FAC" or span[-1].lower_ in FEATURE_WORDS
    picks = geocode.resolve(mentions)
    places = []
    for span, mention, pick in zip(merged, mentions, picks):
        if pick is None:
            continue
        start, end, level, name = mention.start, mention.end, _level(pick), pick.name
        geonameid = pick.geonameid
        direction = _direction(span)
        if direction and pick.level in ("country", "region", "continent"):
            start = doc[span.start - 1].idx
            level, name, geonameid = "region", f"{direction.lower()} {pick.name}", None
        entity = _entity_at(found.entities, mention.start, mention.end)
        metonymy = _is_metonymy(span, pick)
        if metonymy:
            entity = _country_entity(found.entities, pick.country_code) or entity
        places.append(Place(
            text=text[start:end], start=start, end=end, name=name, country_code=pick.country_code,
            lat=round(pick.lat, 5), lon=round(pick.lon, 5), geonameid=geonameid, level=level,
            entity_id=entity.id if entity else None, metonymy=metonymy,
        ))
    return places
