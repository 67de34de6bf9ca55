"""Which further sentences an answer quotes (bot.answering.selection), with hand-made candidates (no model)."""

from __future__ import annotations

from bot.answering.evidence import Candidate
from bot.answering.selection import Span, answer_pattern, led_by, repeats, supporting
from index.retrieve import Passage


def candidate(article: str, text: str, coverage: float) -> Candidate:
    """A sentence of its own one-sentence article, with the given share of the question's words."""
    passage = Passage(f"{article}-0", f"{article}.md", article, "Wire", None, None, f"{article}.md", 0, len(text),
                      text, 1.0, 1.0, None, None, None)
    return Candidate(passage, 0, len(text), text, frozenset(), coverage, True, coverage, 0)


def test_support_from_another_article_must_be_about_the_question_too() -> None:
    """Another article naming the same answer counts as support only when it is half as much on topic."""
    best = candidate("a", "Charles Clarke replaced David Blunkett as home secretary.", 0.8)
    on_topic = candidate("b", "Mr Blunkett was succeeded at the Home Office by Charles Clarke.", 0.5)
    aside = candidate("c", "Charles Clarke also opened a school in Norwich.", 0.1)
    span = Span(best, 0, len("Charles Clarke"))
    assert supporting(span, [best, aside, on_topic], [best], "person") == [on_topic]


def test_a_follow_ups_cited_articles_and_exact_quantities_lead_first() -> None:
    from bot.answering.answer import lead_order
    from bot.answering.choose import Reading

    def reading(article: str, text: str, span: tuple[int, int]) -> Reading:
        return Reading(candidate(article, text, 0.5), (span,), 0.5, None, None, 0.5)

    crowd = reading("a", "Thousands of visitors came to the show.", (0, 9))
    count = reading("b", "About 120,000 people are expected.", (6, 13))
    assert sorted([crowd, count], key=lambda r: lead_order(r, frozenset())) == [count, crowd]
    assert sorted([count, crowd], key=lambda r: lead_order(r, frozenset({"a.md"}))) == [crowd, count]


def test_a_sentence_read_in_an_earlier_ranking_keeps_its_verdict(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """lead_by_headline ranks again with headline words counted: a sentence the reader already rated is not
    sent back to the bottom (unread) nor read twice."""
    from bot.answering import choose
    from bot.answering.choose import rank
    from tests.fake_snapshot import FakeSnapshot

    monkeypatch.setattr(choose, "READ", 2)  # three sentences, two read: one is left for the second ranking

    snapshot = FakeSnapshot(tmp_path / "corpus", {"a.md": "One."})
    paid = candidate("a", "Titan agreed to pay $28.5m after admitting bribery.", 0.3)
    accused = candidate("b", "Titan was accused of paying $2.1m to an agent.", 0.4)
    asked: list[str] = []

    def reader(question: str, items):  # type: ignore[no-untyped-def]
        asked.extend(item.sentence for item in items)
        return [(0.9 if "28.5" in item.sentence else 0.01, 0, 4) for item in items]

    funnelled = candidate("c", "Titan funnelled more than $2m into a campaign.", 0.2)
    listed = [(paid, ((20, 26),)), (accused, ((28, 33),)), (funnelled, ((31, 34),))]
    first = rank("How much did Titan agree to pay?", listed, snapshot, reader)
    assert first[0].candidate == paid and sorted(asked) == sorted([paid.text, accused.text])
    again = rank("How much did Titan agree to pay?", listed, snapshot, reader, [0.1, 0.9, 0.9], first)
    assert again[0].candidate == paid and again[0].reader == 0.9  # not read in this ranking's top two
    assert asked.count(paid.text) == 1
    unread = rank("How much did Titan agree to pay?", listed, snapshot, reader, [0.1, 0.9, 0.9])
    assert unread[0].candidate != paid  # without the earlier verdict it would not lead


def test_a_quoted_name_the_questions_noun_introduces_leads() -> None:
    """Among the chosen quotes, "the cruise liner Crystal Harmony" leads for "which cruise ship"; an unquoted one
    leads only from an article already quoted, so no new story is cited."""
    from bot.answering.answer import introduced_lead
    from bot.answering.choose import Reading

    convention = Reading(candidate("a", "Tests follow the UN Convention.", 0.6), ((17, 30),), 0.5, 0.2, None, 0.6)
    liner = Reading(candidate("b", "The cruise liner Crystal Harmony hosts the tests.", 0.4), ((17, 32),), 0.5,
                    None, None, 0.4)
    phrase = frozenset({"cruise", "ship"})
    lead, span = introduced_lead([convention.candidate, liner.candidate], [convention, liner], phrase)
    assert lead is liner and span is not None and span.text == "Crystal Harmony"
    assert introduced_lead([convention.candidate], [convention, liner], phrase) == (convention, None)
    same_story = Reading(candidate("a", "The cruise liner Crystal Harmony hosts the tests.", 0.1), ((17, 32),), 0.5,
                         None, None, 0.1)
    lead, span = introduced_lead([convention.candidate], [convention, same_story], phrase)
    assert lead is same_story and span is not None and span.text == "Crystal Harmony"


def test_a_span_repeating_the_question_s_own_word_is_not_the_short_answer_nearest_it() -> None:
    """With the reader pointing at no typed span, the short answer is the one nearest the question's words
    outside it: "DeepSeek's AI" holds "DeepSeek" and so repeats the question, while "Ascend 910C" answers it."""
    from bot.answering.choose import Reading
    from bot.answering.selection import best_span

    text = "DeepSeek's AI model uses Huawei's Ascend 910C chips to handle inference tasks."
    spans = ((0, 13), (text.index("Ascend"), text.index("Ascend") + len("Ascend 910C")))
    reader_span = (text.index("Huawei's"), text.index("Huawei's") + len("Huawei's"))
    reading = Reading(candidate("a", text, 0.5), spans, 0.5, 0.9, reader_span, 0.9)
    span = best_span(reading, frozenset({"chip", "deepseek", "use", "inference"}))
    assert span is not None and span.text == "Ascend 910C"


def test_the_lead_seeks_the_other_side_of_a_conflict_with_its_own_short_answer() -> None:
    """Whatever picks the lead (the reader, the headline's ranking) goes through led_by, so a conflict is sought for
    the short answer shown: "Ascend 910C" against another article's "910x", none for a restatement."""
    from bot.answering.asked import Expected
    from bot.answering.choose import Reading
    from bot.answering.lexicon import NAME

    lead = candidate("a", "Quill's AI model uses Huawei's Ascend 910C chips for inference.", 0.9)
    other = candidate("b", "Quill chose Huawei's Ascend 910x chips for inference.", 0.8)
    at = lead.text.index("Ascend 910C")
    named = (at, at + len("Ascend 910C"))
    readings = [Reading(lead, (named,), 0.5, 0.8, named, 1.0), Reading(other, ((20, 31),), 0.5, None, None, 0.5)]
    chip = Expected(NAME, "chip")
    asked = frozenset({"huawei", "ascend", "chip", "quill", "inference"})
    chosen = led_by(Span(lead, *named), [lead], readings, [lead, other], chip, asked)
    assert chosen.disagree and [s.text for s in chosen.spans] == ["Ascend 910C", "910x"]
    assert chosen.quotes == [lead, other]
    plain = led_by(Span(lead, 0, 10), [lead], readings, [lead, other], chip, asked)
    assert not plain.disagree and plain.quotes == [lead]
    why = led_by(Span(lead, *named), [lead], readings, [lead, other], Expected("other"), asked)
    assert not why.disagree and why.quotes == [lead]  # "Why …?" is not answered "910C or 910x"
    firm = led_by(Span(lead, *named), [lead], readings, [lead, other], Expected(NAME, "company"), asked)
    assert not firm.disagree  # nor "Which company …?": two names for a chip are no disagreement about a company


def test_a_name_is_repeated_by_its_rarest_word_a_figure_only_whole() -> None:
    """Articles name one chip "Huawei's Ascend 910C AI" chips and "the Huawei Ascend 910C chipsets": both say 910C."""
    chip, host, cost = (answer_pattern("Huawei's Ascend 910C AI", "name"), answer_pattern("Ras Kwame", "person"),
                        answer_pattern("$5 million", "money"))
    assert repeats(chip, "It runs on the Huawei Ascend 910C chipsets.")
    assert not repeats(chip, "It runs on Huawei's Ascend 910x AI chips.")
    assert repeats(host, "Kwame will host on Fridays.") and not repeats(host, "Kwameh will host on Fridays.")
    console, chip = answer_pattern("PlayStation 2", "name"), answer_pattern("AMD Athlon 3500", "name")
    assert repeats(console, "Sony's PlayStation console") and not repeats(console, "Sales rose 2% in March.")
    assert repeats(chip, "The 3500 model costs more.") and not repeats(chip, "AMD's Athlon chips sold well.")
    assert repeats(cost, "Training cost $5 million.")
    assert not repeats(cost, "Training cost $6 million, or 5 million euros.")


def test_another_article_confirming_the_short_answer_is_quoted_before_more_of_the_same_article() -> None:
    """A second source saying the same thing (and its notes: not single-source, a shared origin) outranks the
    answering article's further sentences for the quote budget."""
    from bot.answering.asked import Expected
    from bot.answering.choose import Reading
    from bot.answering.lexicon import NAME
    from bot.answering.selection import choose

    lead = candidate("a", "Quill runs on the Ascend 910C chips, the firm said.", 0.9)
    same = [candidate("a", f"Quill's chips ({n}) were built by Huawei.", 0.5) for n in ("one", "two")]
    confirming = candidate("b", "Huawei's Ascend 910C powers Quill, an analyst said.", 0.6)
    at = lead.text.index("Ascend 910C")
    readings = [Reading(lead, ((at, at + 11),), 0.5, 0.9, (at, at + 11), 1.0),
                *[Reading(c, ((0, 5),), 0.5, None, None, 0.5) for c in same]]
    chosen = choose(readings, [lead, *same, confirming], Expected(NAME, "chip"), frozenset({"quill", "chips"}))
    assert chosen.quotes[:2] == [lead, confirming] and set(same) <= set(chosen.quotes)


def test_a_reader_span_inside_a_short_quotation_is_the_whole_quoted_phrase() -> None:
    """The writer's quotation marks make "Chinese Nvidia" one unit: the reader's "Nvidia" alone names another firm.

    Speech is longer than a quoted phrase and keeps the reader's span.
    """
    from bot.answering.choose import Reading
    from bot.answering.selection import best_span

    def short_answer(text: str, word: str) -> str:
        start = text.index(word)
        reading = Reading(candidate("a", text, 0.5), (), 0.5, 0.7, (start, start + len(word)), 0.5)
        found = best_span(reading, frozenset())
        assert found is not None
        return found.text

    label = 'Huawei has openly stated its ambition to become the "Chinese Nvidia," signalling a broader strategy.'
    assert short_answer(label, "Nvidia") == "Chinese Nvidia"
    speech = 'He said: "We will keep building our own chips for every data centre we run in China and abroad."'
    assert short_answer(speech, "own chips") == "own chips"
    assert short_answer("Huawei wants to become the Chinese Nvidia.", "Nvidia") == "Nvidia"
