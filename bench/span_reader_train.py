"""Train newsdesk's span reader (bot/answering/span_reader.py): which sentence answers, and which words.

Results of the run that wrote bot/models/span_reader.npz (`--save`, defaults; 27.0 min of training = 2,598 batches
of 16 = 1.50 epochs at ~0.5 s a batch on 2 cores, 30.5 min in all with data and scoring). Torch model as trained;
the fp32 ONNX graph gives the same figures, the int8 graph that ships is in brackets:

| set | questions / candidates | sentence AUC | top-1 (questions ranked) | span has gold | span exact | words |
|---|---|---|---|---|---|---|
| SQuAD validation | 1073 / 2900 | 0.788 (0.787) | 80.2% (79.5%) of 425 | 61.6% (61.4%) | 42.5% (42.0%) | 3.7 |
| BBC synth. validation | 591 / 1773 | 1.000 (1.000) | 100.0% (100.0%) of 591 | 98.5% (98.3%) | 92.0% (91.9%) | 1.4 |
| BBC synth., short question | 579 / 1737 | 0.990 (0.989) | 98.3% (98.4%) of 579 | 96.2% (96.5%) | 89.8% (89.6%) | 1.4 |
| SQuAD test (first 1,000)* | 1000 / 2739 | 0.791 (0.790) | 77.8% (77.4%) of 473 | 66.8% (65.6%) | 47.2% (45.6%) | 3.6 |

* for information only. span has gold = the predicted span contains a gold answer; words = its mean length.

The BBC rows only show the synthetic task is learnt: a synthetic question copies most of its sentence's words,
so it is far easier than a real one (the short-question row keeps 2-4 words each side of the wh-phrase and is
scored, not trained on). On hand-written short typed questions over 4 sentences ("How many iPods did Apple
sell?") the right sentence ranked first 14 times in 15 and its span held the answer 15 times, but its
probability was often low (median 0.05): rank the candidates, do not threshold the probability as is.

Model: the packaged all-MiniLM-L6-v2, LoRA rank 16 on every linear layer, an answerability head on the
mean-pooled final states of the whole pair, and a start/end span head whose logits are masked to the target
sentence's tokens plus CLS (CLS = no answer). Input: segment A = the question cut to 48 word pieces, segment
B = the previous sentence's last <= 200 characters + " " + the target sentence, at most 128 tokens
(truncation only_second). At run time the context is the article's headline and then the end of the
previous sentence (bot.answering.span_reader.reader_context, <= 200 characters in all): read that way, the
shipped reader (trained on the previous sentence alone) answers more of bbc-dev, part A CRAG-style 0.43 -> 0.45.

`--headlines` trains with that context (SQuAD: the Wikipedia title; BBC: the headline). One run (27 min,
1.77 epochs): SQuAD AUC 0.806 / 0.797 (validation / test) against 0.788 / 0.791, but with the answer model
refitted for it, bbc-dev part A CRAG-style 0.40 against 0.45 for the shipped reader read with headlines
(part B 0.42 against 0.39), so it does not ship: part A decides.

`--lede` trains with the lede reader's context (span_reader.lede_context: the title, the start of the paragraph's or
article's first sentence, then the previous sentence), for a lede reader taught its context from the start. One run
(2026-12-06, 27 min, 1.48 epochs): SQuAD validation AUC 0.819, top-1 82.8 %, span has gold 64.2 % (test AUC 0.804);
after `bench.span_reader_news --lede --lede-squad` it checked a little better than the shipped lede reader but lost
the choice sets end to end (docs/measurements.md), so it does not ship.

`--answerable-only` leaves SQuAD's unanswerable questions out of training (tried, not shipped: its answer model
separates SQuAD worse, AUC 0.69 against 0.84, and bbc-dev part A CRAG-style fell from 0.55 to 0.49; README).

`--rank 0` trains every weight instead of LoRA factors (tried, not shipped: `--lr 1e-4 --minutes 35`, 1.49
epochs, SQuAD validation AUC 0.806, top-1 80.7 %, span has gold 67.8 %; after bench/span_reader_news.py it tied
with the shipped reader end to end; bench/reader_compress.py ships such a run as rank-64 deltas; README).

Data, with no Wikipedia article shared between the parts:
- SQuAD test: the first 1,000 questions of ../shared/data/squad2-dev-half.json (for information only; every
  article any of them belongs to is kept out of training and validation);
- SQuAD validation: a fifth of the remaining articles; train: the rest. Per answerable question the positive
  is the sentence holding a gold answer (span target = that answer) and up to 3 other sentences of the
  paragraph are negatives, most shared words first; an unanswerable question gives its 2 most word-sharing
  sentences as negatives;
- BBC synthetic: questions made from sentences of ../shared/data/bbc-news.csv holding a money amount, a
  percentage, a count, a year or date, or a person / company name: the entity becomes its wh-phrase, a quarter
  of the other lower-case words are dropped, at most --window words are kept each side of the wh-phrase, and
  half the questions put the wh-phrase first. Positive = the source sentence
  (span = the entity); negatives = 2 sentences of the same article sharing most words with the question but
  not holding the entity. A tenth of the articles are held out for validation.

Metrics per set: sentence AUC over every candidate; top-1 = among an answerable question's candidates (only
questions with at least one negative) the most probable is the positive; span contains gold = on positives,
the predicted span (snapped to whole words) contains a gold answer; exact = it equals one.

    .venv/bin/python bench/span_reader_train.py --save bot/models/span_reader.npz   # train (what ships)
    .venv/bin/python bench/span_reader_train.py --check-shipped   # the same table from the shipped int8 graph
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bm25s.stopwords import STOPWORDS_EN

from bench.common import BBC, SQUAD
from bench.reader_experiment import auc, lora_bert, save
from bot.answering.sentences import split_sentences, terms
from bot.answering.span_reader import Encoded, best_span, encode, lede_context, reader_context, tokenizers_for
from index.model_files import packaged_model_dir

TEST_QUESTIONS = 1000
BATCH = 16
GROUP_WINDOW = 200  # questions sorted by length together before packing (about 50 batches' worth of news rows)
MONTH = ("January|February|March|April|May|June|July|August|September|October|November|December")
WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONEY = re.compile(r"[£$€]\d[\d,]*(?:\.\d+)?(?:\s?(?:bn|m|million|billion|trillion|k)\b)?")
PERCENT = re.compile(r"\b\d+(?:\.\d+)?(?:%|\s?per ?cent\b|\s?percent\b)")
COUNT = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|"
                   r"hundreds|thousands|millions)\s+(?:of\s+)?([a-z]{3,}s)\b")
YEAR = re.compile(r"\b(?:([Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Dd]uring)\s)?((?:19|20)\d\d)\b(?![%,.]?\d)")
DATE = re.compile(rf"\b(?:([Oo]n)\s)?(\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTH})(?: \d{{4}})?|(?:{MONTH}) \d{{1,2}}"
                  rf"(?:st|nd|rd|th)?(?:,? \d{{4}})?|(?:{WEEKDAY}))\b")
NAME = re.compile(r"\b((?:Mr |Mrs |Ms |Dr )?[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,3})\b")
ORGANISATION = re.compile(r"\b(Corp|Inc|Ltd|plc|Group|Bank|Airways|Airlines|Motors|Records|Company|Holdings|"
                          r"Systems|Communications|Entertainment|Industries|Telecom|Networks|Studios|Pictures|"
                          r"Music|Games|Software|Electronics)$")
NOT_NAMES = re.compile(rf"\b(?:{MONTH}|{WEEKDAY}|The|This|That|These|But|And|In|On|At|It|He|She|They|We|I)\b")
NOT_NOUNS = frozenset("this thus was has his its does yes less unless across plus always perhaps whereas news "
                      "series species means process business analysis crisis basis".split())
CLAIM = re.compile(r"\b(said|says|told|added|announced|warned|argued|claimed)\b")


def squad_articles() -> list[dict]:
    """SQuAD articles as {title, paragraphs: [{context, sentences, qas}]}, in file order (first 1,000 = test)."""
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    for article in data:
        for paragraph in article["paragraphs"]:
            paragraph["sentences"] = split_sentences(paragraph["context"])
    return data


def squad_split(data: list[dict], headlines: bool = False,
                lede: bool = False) -> tuple[list[dict], list[dict], list[dict]]:
    """Question rows for (train, validation, test): test = the first 1,000; the rest split 80/20 by article.

    headlines: each row's context starts with its Wikipedia title (`--headlines`); lede: then the start of the
    paragraph's first sentence, as the lede reader reads a news article's (`--lede`).
    """
    questions = [(a["title"], p, qa) for a in data for p in a["paragraphs"] for qa in p["qas"]]
    test_titles = {title for title, _, _ in questions[:TEST_QUESTIONS]}
    rest = sorted({title for title, _, _ in questions} - test_titles)
    random.Random(1).shuffle(rest)
    held = set(rest[: max(1, round(len(rest) / 5))])
    parts: dict[str, list[dict]] = {"train": [], "validation": [], "test": []}
    for n, (title, paragraph, qa) in enumerate(questions):
        part = "test" if n < TEST_QUESTIONS else "validation" if title in held else "train"
        if part != "test" and title in test_titles:
            continue
        rows = squad_candidates(f"squad-{n}", paragraph, qa)
        first = paragraph["context"][slice(*paragraph["sentences"][0])] if lede and paragraph["sentences"] else None
        parts[part] += headlined(rows, title.replace("_", " "), first) if headlines or lede else rows
    return parts["train"], parts["validation"], parts["test"]


def headlined(rows: list[dict], title: str, lede: str | None = None) -> list[dict]:
    """Rows read with the context each reader reads at run time: reader_context, or lede_context given a lede."""
    for r in rows:
        if lede is None:
            r["previous"] = reader_context(title, r["previous"])
        else:
            r["previous"] = lede_context(title, "" if r["target"] == lede else lede, r["previous"])
    return rows


def by_overlap(question: str, sentences: list[str], skip: set[int]) -> list[int]:
    """Sentence indices (not in skip) ordered by how many question terms they share, most first."""
    asked = set(terms(question))
    shared = [(-len(asked & set(terms(s))), i) for i, s in enumerate(sentences) if i not in skip]
    return [i for _, i in sorted(shared)]


def row(qid: str, question: str, sentences: list[str], i: int, span: tuple[int, int] | None,
        golds: list[str]) -> dict:
    """One training/eval example: the question against sentence i with the sentence before it."""
    return {"qid": qid, "question": question, "previous": sentences[i - 1] if i else "", "target": sentences[i],
            "label": float(span is not None), "span": span, "golds": golds}


def squad_candidates(qid: str, paragraph: dict, qa: dict) -> list[dict]:
    """The positive sentence (holding a gold answer) and up to 3 negatives; 2 negatives for an unanswerable one."""
    context, spans = paragraph["context"], paragraph["sentences"]
    sentences = [context[s:e] for s, e in spans]
    question = qa["question"]
    if qa.get("is_impossible"):
        return [row(qid, question, sentences, i, None, []) for i in by_overlap(question, sentences, set())[:2]]
    for answer in qa["answers"]:
        lo, hi = answer["answer_start"], answer["answer_start"] + len(answer["text"])
        hit = [i for i, (s, e) in enumerate(spans) if s <= lo and hi <= e]
        if hit:
            i, (s, e) = hit[0], spans[hit[0]]
            golds = sorted({a["text"] for a in qa["answers"]
                            if s <= a["answer_start"] and a["answer_start"] + len(a["text"]) <= e})
            rows = [row(qid, question, sentences, i, (lo - s, hi - s), golds)]
            return rows + [row(qid, question, sentences, j, None, []) for j in by_overlap(question, sentences, {i})[:3]]
    return []  # every gold answer crosses a sentence boundary


def entities(sentence: str) -> Iterator[tuple[str, int, int, int, int, str]]:
    """(kind, replace start, replace end, answer start, answer end, wh-phrase) for each typed entity found."""
    for m in MONEY.finditer(sentence):
        yield "money", m.start(), m.end(), m.start(), m.end(), "how much"
    for m in PERCENT.finditer(sentence):
        yield "percent", m.start(), m.end(), m.start(), m.end(), "what percentage"
    for m in COUNT.finditer(sentence):
        noun = m.group(2)
        if noun not in NOT_NOUNS and not re.fullmatch(r"(19|20)\d\d", m.group(1)):
            yield "count", m.start(), m.end(), m.start(1), m.end(1), f"how many {noun}"
    for m in YEAR.finditer(sentence):
        preposition = (m.group(1) or "").lower()
        wh = "when" if preposition == "in" and random.random() < 0.5 else f"{preposition} which year".strip()
        yield "year", m.start(), m.end(), m.start(2), m.end(2), wh
    for m in DATE.finditer(sentence):
        yield "date", m.start(), m.end(), m.start(2), m.end(2), "when"
    for m in NAME.finditer(sentence):
        if m.start() > 0 and not NOT_NAMES.search(m.group(1)):
            wh = "which company" if ORGANISATION.search(m.group(1)) else "who" if is_person(sentence, m) else None
            if wh:
                yield "name", m.start(), m.end(), m.start(), m.end(), wh


def is_person(sentence: str, name: re.Match) -> bool:
    """A name with a title (Mr, Dr …) or one that says something: "X said", "said X", "X, the chief …, told"."""
    return bool(name.group(1).startswith(("Mr ", "Mrs ", "Ms ", "Dr "))
                or CLAIM.match(sentence[name.end():].lstrip(" ,"))
                or re.search(r"\b(said|says|told)\s$", sentence[: name.start()])
                or re.match(r",[^,]{3,60},\s(said|says|told|added)\b", sentence[name.end():]))


def make_question(sentence: str, entity: tuple[str, int, int, int, int, str], rng: random.Random,
                  window: tuple[int, int] = (10, 10)) -> str | None:
    """The sentence with the entity replaced by its wh-phrase, ~25 % of lower-case words dropped, maybe fronted."""
    _, lo, hi, _, _, wh = entity
    before, after = sentence[:lo].split(), sentence[hi:].rstrip(" .!?\"'”").split()
    keep = lambda words: [w for w in words if w[:1].isupper() or rng.random() >= 0.25]  # noqa: E731
    before, after = keep(before), keep(after)
    wide = window[0] if window[0] == window[1] else rng.randint(*window)  # words kept on each side
    before, after = before[-wide:], after[:wide]  # a question is a clause, not a whole news sentence
    if len(before) + len(after) < 3:
        return None
    fronted = rng.random() < 0.5
    if fronted and before and before[0].lower() in stopwords():
        before[0] = before[0].lower()
    words = [wh, *before, *after] if fronted else [*before, wh, *after]
    text = " ".join(words).strip(" ,;:")
    answer = sentence[lo:hi]
    if answer in text:
        return None
    return text[0].upper() + text[1:] + "?"


def content_words(text: str) -> list[str]:
    """The words of a text that carry meaning (no function words, no punctuation), in order."""
    words = [w.strip(".,;:!?\"'“”‘’()") for w in text.split()]
    return [w for w in words if w and w.lower() not in stopwords() and re.search(r"[A-Za-z0-9]", w)]


def make_topic_question(sentences: list[str], i: int, entity: tuple, rng: random.Random,
                        headline: str | None = None) -> str | None:
    """A question worded as news readers ask: the story's topic from its lead sentence, a little of the answer's.

    The answering sentence i (not the lead) lends the wh-phrase and 1-3 words near its entity; the lead sentence
    lends 3-6 topic words. So the sentence sharing most words with the question is the lead, which does not hold
    the answer: overlap alone cannot find it, as in real questions ("Which former IMF figure did Ariel Sharon pick
    to run Israel's central bank?" shares most words with the lead, while "Stanley Fischer ... has agreed to take
    the Bank of Israel job" answers).
    """
    _, lo, hi, alo, ahi, wh = entity
    sentence, source = sentences[i], headline or sentences[0]  # with headlines, the topic is the visible headline
    if i == 0 or sentence[alo:ahi] in source:
        return None
    around = content_words(sentence[:lo])[-5:] + content_words(sentence[hi:])[:5]
    near = [w for w in around if rng.random() < 0.4][:3] or around[:1]
    lead = [w for w in content_words(source) if w.lower() not in {n.lower() for n in near}]
    least = 2 if headline else 3
    if len(lead) < least or not near:
        return None
    topic = sorted(rng.sample(range(len(lead)), min(len(lead), rng.randint(least, 6))))
    words = [wh, *(lead[k] for k in topic), *near] if rng.random() < 0.5 else [wh, *near, *(lead[k] for k in topic)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "?"


def entity_options(sentences: list[str], rng: random.Random) -> list[tuple[int, tuple]]:
    """(sentence index, entity) for every typed entity in a plain-length sentence after the lead, shuffled."""
    options = [(i, e) for i, s in enumerate(sentences[1:], 1) if 8 <= len(s.split()) <= 45 for e in entities(s)]
    rng.shuffle(options)
    return options


def topic_questions(articles: list[tuple[str, list[str]]], per_article: int, seed: int,
                    titles: dict[str, str] | None = None) -> list[dict]:
    """Topic-worded questions (make_topic_question), up to per_article per article: the lead is a negative.

    titles (`--headlines`): the topic words come from each article's headline instead of its lead sentence.
    """
    rng = random.Random(seed)
    random.seed(seed)
    out = []
    for article_id, sentences in articles:
        made = 0
        for i, entity in entity_options(sentences, rng):
            headline = titles.get(article_id) if titles is not None else None
            question = make_topic_question(sentences, i, entity, rng, headline) if made < per_article else None
            if question is None:
                continue
            made += 1
            answer = sentences[i][entity[3] : entity[4]]
            rows = [row(f"topic-{article_id}-{i}", question, sentences, i, (entity[3], entity[4]), [answer])]
            others = [j for j in by_overlap(question, sentences, {i}) if answer not in sentences[j]][:2]
            out += rows + [row(f"topic-{article_id}-{i}", question, sentences, j, None, []) for j in others]
    return out


def stopwords() -> frozenset[str]:
    """English function words: a sentence's first word is lower-cased when the wh-phrase moves before it."""
    return frozenset(STOPWORDS_EN)


def bbc_articles() -> list[tuple[str, list[str]]]:
    """(id, sentences) per BBC article, the title first as its own sentence-free header dropped."""
    with BBC.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [(r["id"], [r["text"][s:e] for s, e in split_sentences(r["text"])]) for r in rows]


def bbc_questions(articles: list[tuple[str, list[str]]], per_article: int, seed: int,
                  window: tuple[int, int] = (10, 10)) -> list[dict]:
    """Synthetic typed questions, up to per_article per article, each with its source sentence and 2 negatives."""
    rng = random.Random(seed)
    random.seed(seed)  # entities() draws "when" vs "in which year"
    out = []
    for article_id, sentences in articles:
        options = [(i, e) for i, s in enumerate(sentences) if 8 <= len(s.split()) <= 45 for e in entities(s)]
        rng.shuffle(options)
        by_kind: dict[str, list] = defaultdict(list)
        for option in options:
            by_kind[option[1][0]].append(option)
        kinds = sorted(by_kind)
        rng.shuffle(kinds)
        used: set[int] = set()
        made = 0
        for kind in kinds * per_article:
            if made >= per_article or not by_kind[kind]:
                continue
            i, entity = by_kind[kind].pop()
            question = make_question(sentences[i], entity, rng, window) if i not in used else None
            if question is None:
                continue
            used.add(i)
            made += 1
            out += bbc_candidates(f"bbc-{article_id}-{i}", question, sentences, i, entity)
    return out


def bbc_candidates(qid: str, question: str, sentences: list[str], i: int, entity: tuple) -> list[dict]:
    """The source sentence (span = the entity) and the 2 most word-sharing sentences without the entity."""
    _, _, _, lo, hi, _ = entity
    answer = sentences[i][lo:hi]
    rows = [row(qid, question, sentences, i, (lo, hi), [answer])]
    others = [j for j in by_overlap(question, sentences, {i}) if answer not in sentences[j]]
    return rows + [row(qid, question, sentences, j, None, []) for j in others[:2]]


def bbc_split(per_article: int, window: tuple[int, int], topic_per_article: int = 0,
              titles: dict[str, str] | None = None,
              lede: bool = False) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Synthetic rows for (train, validation, short-question validation, topic validation): a tenth held out.

    titles (`--headlines`): every row's context starts with its article's headline; lede: then its lede.
    """
    articles = bbc_articles()
    random.Random(3).shuffle(articles)
    held = len(articles) // 10
    train = bbc_questions(articles[held:], per_article, 4, window)
    train += topic_questions(articles[held:], topic_per_article, 8, titles)
    parts = (train, bbc_questions(articles[:held], per_article, 5),
             bbc_questions(articles[:held], per_article, 7, (2, 4)), topic_questions(articles[:held], 2, 9, titles))
    ledes = {article_id: sentences[0] for article_id, sentences in articles if sentences} if lede else {}
    if titles is not None:
        for rows in parts:
            for r in rows:  # qids are "<kind>-<article id>-<sentence>"
                article_id = r["qid"].split("-", 1)[1].rsplit("-", 1)[0]
                headlined([r], titles.get(article_id, ""), ledes.get(article_id))
    return parts


def bbc_titles() -> dict[str, str]:
    """Each BBC article's headline by id."""
    with BBC.open(encoding="utf-8") as handle:
        return {r["id"]: r["title"] for r in csv.DictReader(handle)}


class SpanModel:
    """MiniLM-L6 with LoRA on every linear, a logistic head on the mean-pooled states and a start/end head."""

    def __init__(self, rank: int) -> None:
        import torch
        import transformers
        transformers.logging.set_verbosity_error()
        transformers.logging.disable_progress_bar()
        self.torch = torch
        self.bert = lora_bert(rank)
        self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)
        self.span = torch.nn.Linear(self.bert.config.hidden_size, 2)
        self.pair, self.counter = tokenizers_for(packaged_model_dir() / "tokenizer.json")

    def parameters(self) -> list:
        return ([p for p in self.bert.parameters() if p.requires_grad] + list(self.head.parameters())
                + list(self.span.parameters()))

    def encode(self, rows: list[dict]) -> Encoded:
        """The run-time tokenization (bot.answering.span_reader.encode), so training sees what run time sees."""
        return encode(self.pair, self.counter, [(r["question"], r["previous"], r["target"]) for r in rows])

    def forward(self, batch: Encoded):
        """(answerability logit, start logits, end logits) as the exported graph computes them (unmasked)."""
        torch = self.torch
        ids, mask, types = (torch.from_numpy(a) for a in (batch.ids, batch.mask, batch.types))
        hidden = self.bert(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        logit = self.head((hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)).squeeze(-1)
        spans = self.span(hidden)
        return logit, spans[..., 0], spans[..., 1]

    def score(self, rows: list[dict]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """P(answers) and the best span (chars in the target) per row, decoded as run time decodes."""
        torch = self.torch
        self.bert.eval()
        probabilities, spans = [], []
        with torch.no_grad():
            for first in range(0, len(rows), 64):
                part = rows[first : first + 64]
                batch = self.encode(part)
                logit, start, end = (t.numpy() for t in self.forward(batch))
                probabilities.append(1 / (1 + np.exp(-logit.astype(np.float64))))
                spans += [best_span(start[b], end[b], batch.target[b], batch.offsets[b], r["target"])
                          for b, r in enumerate(part)]
        self.bert.train()
        return np.concatenate(probabilities), spans


def span_targets(rows: list[dict], batch: Encoded) -> tuple[list[int], list[int]]:
    """Token positions of the answer in the target sentence; CLS (0) for negatives; -100 when cut off."""
    starts, ends = [], []
    for b, r in enumerate(rows):
        start = end = 0
        if r["span"] is not None:
            lo, hi = r["span"]
            inside = np.flatnonzero(batch.target[b])
            first = [t for t in inside if batch.offsets[b, t, 1] > lo]
            last = [t for t in inside if batch.offsets[b, t, 0] < hi]
            start, end = (int(first[0]), int(last[-1])) if first and last and first[0] <= last[-1] else (-100, -100)
        starts.append(start)
        ends.append(end)
    return starts, ends


def batches(rows: list[dict], rng: random.Random) -> list[list[dict]]:
    """Shuffled batches of similar length (sorted within windows of 50 batches), so padding costs little."""
    rows = rows[:]
    rng.shuffle(rows)
    out = []
    for first in range(0, len(rows), BATCH * 50):
        window = sorted(rows[first : first + BATCH * 50], key=row_size)
        out += [window[i : i + BATCH] for i in range(0, len(window), BATCH)]
    rng.shuffle(out)
    return out


def row_size(r: dict) -> int:
    """About how long a row reads (the context counts up to 200 characters), to batch similar lengths together."""
    return len(r["question"]) + min(len(r["previous"]), 200) + len(r["target"])


def grouped_batches(rows: list[dict], rng: random.Random) -> list[list[dict]]:
    """Batches of whole questions (every row sharing a qid together), of similar length, about BATCH rows each."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["qid"], []).append(r)
    order = list(groups.values())
    rng.shuffle(order)
    out: list[list[dict]] = []
    for first in range(0, len(order), GROUP_WINDOW):
        part: list[dict] = []
        for group in sorted(order[first : first + GROUP_WINDOW], key=lambda g: max(map(row_size, g))):
            if part and len(part) + len(group) > BATCH:
                out.append(part)
                part = []
            part += group
        out += [part] if part else []
    rng.shuffle(out)
    return out


def listwise_loss(torch, logit, part: list[dict]):
    """Shared normalisation: per question, a softmax over its sentences and "none answers" (logit 0).

    The engine compares the reader's verdicts on one question's sentences; BCE teaches each verdict alone. With
    a single sentence this is the BCE of a positive or negative; over several it makes them comparable.
    """
    losses = []
    for qid in dict.fromkeys(r["qid"] for r in part):
        at = [i for i, r in enumerate(part) if r["qid"] == qid]
        z = torch.cat([logit.new_zeros(1), logit[at]])
        positive = [1 + k for k, i in enumerate(at) if part[i]["label"] > 0]
        target = torch.logsumexp(z[positive], 0) if positive else z[0]
        losses.append(torch.logsumexp(z, 0) - target)
    return torch.stack(losses).mean()


def step_loss(model: SpanModel, part: list[dict], span_weight: float, listwise: float = 0.0):
    """Answerability BCE plus span cross-entropy over the target's tokens and CLS (plus the listwise loss)."""
    torch = model.torch
    batch = model.encode(part)
    logit, start, end = model.forward(batch)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, torch.tensor([r["label"] for r in part]))
    if listwise:
        loss = loss + listwise * listwise_loss(torch, logit, part)
    allowed = torch.from_numpy(batch.target)
    allowed[:, 0] = True
    first, last = (torch.tensor(t) for t in span_targets(part, batch))
    if (first != -100).any():
        cross = torch.nn.functional.cross_entropy
        masked = lambda x: x.masked_fill(~allowed, -1e4)  # noqa: E731
        loss = loss + span_weight * (cross(masked(start), first) + cross(masked(end), last)) / 2
    return loss


def train(model: SpanModel, rows: list[dict], minutes: float, max_epochs: float, lr: float,
          span_weight: float, listwise: float = 0.0) -> None:
    """AdamW, warm-up then a linear decay over the wall-clock budget: training stops when the minutes are spent."""
    torch = model.torch
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    began = time.perf_counter()
    spent = lambda: (time.perf_counter() - began) / (minutes * 60)  # noqa: E731
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda s: min(1.0, s / 50) * max(0.0, 1 - spent()))
    rng, step = random.Random(0), 0
    per_epoch = math.ceil(len(rows) / BATCH)
    while step < max_epochs * per_epoch and spent() < 1:
        for part in (grouped_batches if listwise else batches)(rows, rng):
            if step >= max_epochs * per_epoch or spent() >= 1:
                break
            loss = step_loss(model, part, span_weight, listwise)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 100 == 0:
                print(f"step {step} ({step / per_epoch:.2f} epochs of {per_epoch}) loss {loss.item():.3f} "
                      f"{(time.perf_counter() - began) / 60:.1f} min", flush=True)
    print(f"trained {step} steps ({step / per_epoch:.2f} epochs) in {(time.perf_counter() - began) / 60:.1f} min")


def metrics(rows: list[dict], probabilities: np.ndarray, spans: list[tuple[int, int]]) -> dict[str, float]:
    """Sentence AUC, per-question top-1, span contains gold / exact gold on positives, mean span words."""
    labels = np.array([r["label"] for r in rows])
    groups: dict[str, list[int]] = defaultdict(list)
    for n, r in enumerate(rows):
        groups[r["qid"]].append(n)
    ranked = [g for g in groups.values() if labels[g].any() and len(g) > 1]
    top1 = np.mean([labels[g[int(np.argmax(probabilities[g]))]] == 1 for g in ranked])
    positives = [n for n in range(len(rows)) if labels[n]]
    said = [rows[n]["target"][slice(*spans[n])] for n in positives]
    contains = np.mean([any(g in s for g in rows[n]["golds"]) for n, s in zip(positives, said, strict=True)])
    exact = np.mean([s in rows[n]["golds"] for n, s in zip(positives, said, strict=True)])
    return {"questions": len(groups), "candidates": len(rows), "auc": auc(labels, probabilities),
            "top1": float(top1), "ranked": len(ranked), "contains": float(contains), "exact": float(exact),
            "words": float(np.mean([len(s.split()) for s in said]))}


def table(results: dict[str, dict[str, float]]) -> str:
    """The results as a Markdown table."""
    lines = ["| set | questions | candidates | sentence AUC | top-1 (questions ranked) | span contains gold "
             "| span exact | span words |", "|---|---|---|---|---|---|---|---|"]
    for name, m in results.items():
        lines.append(f"| {name} | {m['questions']} | {m['candidates']} | {m['auc']:.3f} | {m['top1']:.1%} "
                     f"({m['ranked']}) | {m['contains']:.1%} | {m['exact']:.1%} | {m['words']:.1f} |")
    return "\n".join(lines)


def evaluate(sets: dict[str, list[dict]], score: Callable[[list[dict]], tuple]) -> str:
    """Score every set and return the table."""
    results = {}
    for name, rows in sets.items():
        began = time.perf_counter()
        results[name] = metrics(rows, *score(rows))
        print(f"{name}: scored in {time.perf_counter() - began:.0f} s", flush=True)
    return table(results)


def shipped_scorer(precision: str) -> Callable[[list[dict]], tuple]:
    """Score rows with the run-time SpanReader (ONNX graph from the model cache), one run per question."""
    from bot.answering.span_reader import get_span_reader
    from index.model_files import default_cache_dir

    reader = get_span_reader(Path(os.environ.get("NEWSDESK_MODEL_DIR") or default_cache_dir()), precision)

    def score(rows: list[dict]) -> tuple[np.ndarray, list[tuple[int, int]]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for n, r in enumerate(rows):
            groups[r["qid"]].append(n)
        probabilities, spans = np.zeros(len(rows)), [(0, 0)] * len(rows)
        for members in groups.values():
            readings = reader.read(rows[members[0]]["question"], [(rows[n]["previous"], rows[n]["target"])
                                                                  for n in members])
            for n, reading in zip(members, readings, strict=True):
                probabilities[n], spans[n] = reading.probability, (reading.start, reading.end)
        return probabilities, spans

    return score


def latency(rows: list[dict], sizes: tuple[int, ...] = (8, 16), repeats: int = 60) -> None:
    """Milliseconds per SpanReader.read of n candidate sentences (int8, one batched run), p50 and p95."""
    from bot.answering.span_reader import get_span_reader
    from index.model_files import default_cache_dir

    reader = get_span_reader(Path(os.environ.get("NEWSDESK_MODEL_DIR") or default_cache_dir()), "int8")
    rng = random.Random(6)
    for n in sizes:
        times = []
        for _ in range(repeats):
            items = [(r["previous"], r["target"]) for r in rng.sample(rows, n)]
            began = time.perf_counter()
            reader.read(rng.choice(rows)["question"], items)
            times.append((time.perf_counter() - began) * 1000)
        times = sorted(times[5:])
        print(f"int8 read of {n} sentences: p50 {np.median(times):.1f} ms, p95 {times[int(0.95 * len(times))]:.1f} ms")


def window(text: str) -> tuple[int, int]:
    """'2-8' -> (2, 8); '10' -> (10, 10)."""
    lo, _, hi = text.partition("-")
    return int(lo), int(hi or lo)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=27.0, help="training budget, wall clock")
    parser.add_argument("--max-epochs", type=float, default=3.0)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--span-weight", type=float, default=1.0)
    parser.add_argument("--per-article", type=int, default=3, help="synthetic questions per BBC article")
    parser.add_argument("--topic-per-article", type=int, default=0,
                        help="topic-worded synthetic questions per BBC article (make_topic_question)")
    parser.add_argument("--window", default="10",
                        help="words kept each side of a synthetic question's wh-phrase: LO-HI, drawn per question")
    parser.add_argument("--headlines", action="store_true",
                        help="train with context = the article's title + the previous sentence (tried, not shipped)")
    parser.add_argument("--lede", action="store_true",
                        help="train with the lede reader's context: title, start of the first sentence, previous")
    parser.add_argument("--answerable-only", action="store_true",
                        help="train on SQuAD's answerable questions only: the reader picks, the veto reader vetoes")
    parser.add_argument("--save", type=Path, default=None, help="write the trained weights (fp16 .npz) here")
    parser.add_argument("--check-shipped", choices=["fp32", "int8"], nargs="?", const="int8", default=None,
                        help="no training: the same table from the shipped ONNX graph")
    parser.add_argument("--latency", action="store_true", help="no training: time the int8 graph on 8 and 16 items")
    parser.add_argument("--data-only", action="store_true", help="build the data, print its size, stop")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    titles = bbc_titles() if args.headlines or args.lede else None
    began = time.perf_counter()
    squad_train, squad_val, squad_test = squad_split(squad_articles(), args.headlines, args.lede)
    bbc_train, bbc_val, bbc_short, bbc_topic = bbc_split(args.per_article, window(args.window),
                                                         args.topic_per_article, titles, args.lede)
    if args.answerable_only:  # an unanswerable question gives only negatives; keep questions with a positive
        answerable = {r["qid"] for r in squad_train if r["label"]}
        squad_train = [r for r in squad_train if r["qid"] in answerable]
    print(f"data in {time.perf_counter() - began:.0f} s: SQuAD train {len(squad_train)} / val {len(squad_val)} / "
          f"test {len(squad_test)} candidates; BBC train {len(bbc_train)} / val {len(bbc_val)} candidates "
          f"({len({r['qid'] for r in bbc_train})} / {len({r['qid'] for r in bbc_val})} questions)", flush=True)
    sets = {"SQuAD validation": squad_val, "BBC synthetic validation": bbc_val,
            "BBC synthetic validation, short questions": bbc_short, "BBC topic-worded validation": bbc_topic,
            "SQuAD test (first 1,000)": squad_test}
    if args.data_only:
        for r in random.Random(0).sample(bbc_train, 12) + random.Random(0).sample(bbc_topic, 12):
            print(r["label"], r["question"], "||", r["target"][slice(*r["span"])] if r["span"] else "-")
        return
    if args.latency:
        latency(bbc_val)
        return
    if args.check_shipped:
        print(evaluate(sets, shipped_scorer(args.check_shipped)))
        return
    import torch

    torch.manual_seed(0)
    torch.set_num_threads(2)
    model = SpanModel(args.rank)
    train(model, squad_train + bbc_train, args.minutes, args.max_epochs, args.lr, args.span_weight)
    if args.save:
        save(model, args.save)
        print(f"saved {args.save} ({args.save.stat().st_size / 1e6:.1f} MB)", flush=True)
    print(evaluate(sets, model.score))
    print(f"total {(time.perf_counter() - began) / 60:.1f} min")


if __name__ == "__main__":
    main()
