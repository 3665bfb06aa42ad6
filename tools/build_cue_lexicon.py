"""Measure cue weights on PolNeAR *train* and write them into src/sitroom/data/attribution_cues.tsv.

A lemma's weight is the share of its uses (as VERB, NOUN or ADJ, per en_core_web_sm) that lie
inside a gold cue span. Hand-listed lemmas get their measured weight; lemmas that are cues at
least MIN_CUES times with a weight of at least MIN_NEW_WEIGHT are added (class "report").
Only the train split is read, so dev and test stay unseen.

    .venv/bin/python tools/build_cue_lexicon.py [--data ../shared/eval/polnear] [--parsed train.spacy]

``--parsed`` reuses a DocBin of the train texts (in file-name order) instead of parsing again.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from sitroom import settings
from sitroom.eval.polnear import load_split

LEXICON = Path(__file__).resolve().parents[1] / "src" / "sitroom" / "data" / "attribution_cues.tsv"
MIN_CUES = 8
MIN_NEW_WEIGHT = 0.3
POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "ADJ": "ADJ"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=settings.shared_dir() / "eval" / "polnear")
    parser.add_argument("--parsed", type=Path, default=None)
    args = parser.parse_args()
    articles = load_split(args.data, "train")
    if args.parsed:
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.parsed).get_docs(spacy.blank("en").vocab))
    else:
        from sitroom.nlp.pipeline import load_nlp

        docs = list(load_nlp().pipe((a.text for a in articles), batch_size=20))
    if len(docs) != len(articles):
        raise SystemExit(f"{len(docs)} parses for {len(articles)} articles")
    cues: Counter = Counter()
    uses: Counter = Counter()
    for article, doc in zip(articles, docs):
        inside = set()
        for gold in article.gold:
            for start, end in gold.cue:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    inside.update(t.i for t in span)
        for token in doc:
            pos = POS.get(token.pos_)
            if pos is None:
                continue
            key = (token.lemma_.lower(), pos)
            uses[key] += 1
            if token.i in inside:
                cues[key] += 1
    header, rows = [], {}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            header.append(line)
            continue
        lemma, pos, kind = line.split("\t")[:3]
        rows[(lemma, pos)] = kind
    for key, count in cues.items():
        if key not in rows and count >= MIN_CUES and count / uses[key] >= MIN_NEW_WEIGHT:
            rows[key] = "report"
    with LEXICON.open("w", encoding="utf-8") as out:
        out.write("\n".join(header) + "\n")
        for (lemma, pos), kind in sorted(rows.items()):
            weight = f"{cues[(lemma, pos)] / uses[(lemma, pos)]:.3f}" if uses[(lemma, pos)] else ""
            out.write(f"{lemma}\t{pos}\t{kind}\t{weight}\n")
    print(f"{len(rows)} lemmas written to {LEXICON}")


if __name__ == "__main__":
    main()
