"""The other side of a model-number disagreement: another article's sibling model that the reader also accepts.

"Which Nvidia GPU is the Ascend 910C compared to?" is answered "H100" by two articles and "H800" by a third. A
which-question asks for one thing, so when another article's sentence names a sibling model (the same letters,
as many digits, another number) and the span readers rate that sentence nearly as likely to answer, with their
span on the sibling, the articles disagree: both are quoted and a conflict note says so. Sentences that merely
mention the sibling ("trained on Nvidia H800") are read and rated low for the asked relation, so only a rival
answer counts. Amounts and suffix variants ("910C" vs "910x") are found without reading (bot.answering.selection).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.answering.asked import asks_for_product
from bot.answering.choose import ReaderFn, read_batch
from bot.answering.selection import RIVAL_SHARE, Span, disagreeing

if TYPE_CHECKING:
    from bot.answering.answer import Deliberation
    from bot.answering.evidence import Candidate
    from index.snapshot import Snapshot

MODEL_CODE = re.compile(r"\b([A-Z]{1,3})(\d{2,5})([A-Za-z]?)\b")  # "H100", "A380", "RTX4090": letters, then digits
RIVAL_READ = 3  # sibling-naming sentences of other articles read at most (one batch, ~10 ms)


def family(code: re.Match[str]) -> tuple[str, int]:
    """What makes two model codes siblings: the same letters and as many digits ("H100", "H800")."""
    return code.group(1), len(code.group(2))


def siblings(text: str, codes: list[re.Match[str]]) -> list[tuple[int, int]]:
    """Spans of the text's model codes that are siblings of, but not, one of the given codes."""
    names = {c.group(0).lower() for c in codes}
    families = {family(c) for c in codes}
    return [m.span() for m in MODEL_CODE.finditer(text) if family(m) in families and m.group(0).lower() not in names]


def rival_model(question: str, thought: Deliberation, snapshot: Snapshot, reader: ReaderFn | None) -> Deliberation:
    """The deliberation with a read rival model as the other side of its choice, when another article gives one."""
    choice = thought.choice
    if reader is None or choice is None or choice.disagree or not choice.spans:
        return thought
    if not asks_for_product(thought.expected):  # a model number answers only a question about a model
        return thought
    lead = choice.spans[0]
    codes = list(MODEL_CODE.finditer(lead.text))
    rated = next((r.reader for r in thought.readings if r.candidate == lead.candidate), None)
    if not codes or rated is None:
        return thought
    found = [(c, span) for c in thought.candidates if c.article_id != lead.candidate.article_id
             for span in siblings(c.text, codes)][:RIVAL_READ]
    verdicts = read_batch(question, [c for c, _ in found], snapshot, reader)
    rivals = [(p, c, code) for (c, code), (p, start, end) in zip(found, verdicts, strict=True)
              if p >= RIVAL_SHARE * rated and start < code[1] and code[0] < end]
    if not rivals:
        return thought
    _, candidate, code = max(rivals, key=lambda rival: rival[0])
    other = Span(candidate, *named_around(candidate, code, thought))
    return replace(thought, choice=disagreeing(lead, other, choice.quotes))


def named_around(candidate: Candidate, code: tuple[int, int], thought: Deliberation) -> tuple[int, int]:
    """The name the code is part of, as the answer types found it in the sentence ("NVIDIA's H100"), else the code."""
    reading = next((r for r in thought.readings if r.candidate == candidate), None)
    spans = reading.spans if reading else ()
    return next(((a, b) for a, b in spans if a <= code[0] and code[1] <= b), code)
