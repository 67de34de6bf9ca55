"""answer(): the JSON contract, verified quotes, abstention and the uncertainty notes, on the real index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answering.answer import MAX_QUESTION_CHARS, answer, attributed
from bot.evaluate import quotes_valid
from index.errors import NewsdeskError
from index.handle import NewsIndex
from tests.conftest import make_index

NOTE_KINDS = {"not_in_corpus", "unverified", "single_source", "shared_origin", "conflict", "dated"}


def check_contract(data: dict, corpus: Path) -> None:
    assert set(data) == {"question", "answer", "abstained", "confidence", "understood_as", "short_answer",
                         "short_answers", "citations", "notes", "window"}
    assert isinstance(data["answer"], str) and isinstance(data["abstained"], bool)
    assert 0.0 <= data["confidence"] <= 1.0
    for n, c in enumerate(data["citations"], 1):
        assert set(c) == {"n", "article_id", "title", "outlet", "published", "path", "start", "end", "quote", "score"}
        assert c["n"] == n
        assert Path(corpus, c["path"]).read_text(encoding="utf-8")[c["start"] : c["end"]] == c["quote"]
        assert f"[{n}]" in data["answer"]
    for note in data["notes"]:
        assert note["kind"] in NOTE_KINDS and note["text"]
        assert all(1 <= n <= len(data["citations"]) for n in note["citations"])


@pytest.mark.parametrize("question", [
    "What chips does DeepSeek use for inference?",
    "What was the reported cost of DeepSeek's model?",
    "Which Nvidia chips was DeepSeek R1 trained on?",
    "What is the capital of Australia?",
])
def test_contract_and_every_quote_verifies(built_index: NewsIndex, question: str) -> None:
    check_contract(answer(question, built_index).to_json(), built_index.config.corpus_dir)


@pytest.mark.parametrize("question", [
    "What is the capital of Australia?",
    "Who won the 1998 football World Cup final?",
    "How do I bake sourdough bread at home?",
])
def test_off_topic_questions_abstain(built_index: NewsIndex, question: str) -> None:
    result = answer(question, built_index)
    assert result.abstained and result.citations == [] and result.confidence == 0.0
    assert [n.kind for n in result.notes] == ["not_in_corpus"]
    assert "do not cover" in result.answer


def test_training_cost_question_shows_the_conflict_with_both_sides(built_index: NewsIndex) -> None:
    result = answer("What was the reported cost of DeepSeek's model?", built_index)
    conflict = next(n for n in result.notes if n.kind == "conflict")
    quoted = {n: c.quote for n, c in ((c.n, c) for c in result.citations)}
    sides = [quoted[n] for n in conflict.citations]
    assert any("$5 million" in q for q in sides) and any("$6 million" in q for q in sides)
    assert "$5 million" in conflict.text and "$6 million" in conflict.text


def test_inference_claim_is_marked_unverified(built_index: NewsIndex) -> None:
    result = answer("What chips does DeepSeek use for inference?", built_index)
    kinds = {n.kind: n for n in result.notes}
    assert "910C" in " ".join(c.quote for c in result.citations)
    assert "unverified" in kinds
    hedged = [result.citations[n - 1].quote for n in kinds["unverified"].citations]
    assert all(re.search(r"reportedly|according to|tipster|claim", q, re.I) for q in hedged)


def test_an_attribution_elsewhere_in_the_article_counts_when_it_repeats_the_answer() -> None:
    """The claim "910C" traces to @dorialexander only through the sentence that repeats it and names him."""
    text = ("DeepSeek uses Huawei's Ascend 910C chips for inference. Analysts expect more deals.\n\n"
            "According to tech influencer @dorialexander on Twitter, R1 relies on the Ascend 910C chips. "
            "According to Reuters, Huawei declined to comment.")
    found = attributed(text, lambda sentence: "910c" in sentence.lower())
    assert found == ["According to tech influencer @dorialexander on Twitter, R1 relies on the Ascend 910C chips."]


def test_inference_claim_is_of_shared_origin(built_index: NewsIndex) -> None:
    result = answer("What chips does DeepSeek use for inference?", built_index)
    kinds = {n.kind: n for n in result.notes}
    origin = kinds["shared_origin"]
    assert "Doria" in origin.text or "dorialexander" in origin.text.lower()
    assert len({result.citations[n - 1].article_id for n in origin.citations}) >= 2


def test_chip_name_disagreement_is_a_conflict(built_index: NewsIndex) -> None:
    result = answer("What chips does DeepSeek use for inference?", built_index)
    conflict = next(n for n in result.notes if n.kind == "conflict")
    assert "910C" in conflict.text and "910x" in conflict.text


def test_no_sentence_is_quoted_twice_and_several_articles_are_used(built_index: NewsIndex) -> None:
    result = answer("What chips does DeepSeek use for inference?", built_index)
    quotes = [" ".join(c.quote.split()) for c in result.citations]
    assert len(quotes) == len(set(quotes))
    assert len({c.article_id for c in result.citations}) >= 2


def test_single_source_and_dated_notes(built_index: NewsIndex) -> None:
    result = answer("Which western cloud providers are DeepSeek's prices compared with?", built_index)
    kinds = {n.kind for n in result.notes}
    assert "single_source" in kinds and not result.abstained
    dated = answer("Which Nvidia chips was DeepSeek R1 trained on?", built_index)
    note = next(n for n in dated.notes if n.kind == "dated")
    newest = max(c.published for c in dated.citations if c.published)
    assert f"As of {newest}," in note.text and newest.startswith("2025-01")


def test_a_negated_question_that_shares_every_word_with_the_evidence_abstains(built_index: NewsIndex) -> None:
    """No quote can show what DeepSeek does *not* use (lexicon.ABSENT); the lexical model alone would answer."""
    from bot.answering.answer import deliberate

    negated = "What chips does DeepSeek not use for inference?"
    assert deliberate(negated, built_index.snapshot()).verdict.answerable
    assert answer(negated, built_index).abstained
    assert not answer("What chips does DeepSeek use for inference?", built_index).abstained


def test_confidence_is_lower_with_warnings(built_index: NewsIndex) -> None:
    clean = answer("What kind of training was done on the 1,000-chip Ascend cluster?", built_index)
    disputed = answer("What was the reported cost of DeepSeek's model?", built_index)
    assert clean.confidence > disputed.confidence > 0


@pytest.mark.parametrize(("question", "message"), [
    ("", "the question is empty"),
    ("   \n\t ", "the question is empty"),
    ("x" * 10_000, "10,000 characters long"),
])
def test_user_errors(built_index: NewsIndex, question: str, message: str) -> None:
    with pytest.raises(NewsdeskError, match=message):
        answer(question, built_index)
    assert MAX_QUESTION_CHARS < 10_000


def test_index_not_built_is_a_clear_error(corpus_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(NewsdeskError, match="has not been built yet"):
        answer("What chips?", make_index(corpus_dir, tmp_path / "nothing"))


def test_edited_file_never_yields_a_wrong_quote(news_index: NewsIndex, corpus_dir: Path) -> None:
    index = news_index
    index.reindex()
    path = corpus_dir / "huawei-chips-power-deepseek-v4.md"
    path.write_text(path.read_text(encoding="utf-8").replace("approximately 1,000", "roughly one thousand"),
                    encoding="utf-8")
    result = answer("What kind of training was done on the 1,000-chip Ascend cluster?", index)
    assert quotes_valid(result, corpus_dir)
    assert all(c.article_id != "huawei-chips-power-deepseek-v4" for c in result.citations)


def test_a_question_about_what_was_revealed_is_answered_by_what_was_not(built_index: NewsIndex) -> None:
    """Asked whether Huawei named the chips, the answer is the sentence saying it has not, wherever it ranks."""
    result = answer("Has Huawei revealed which chipsets power DeepSeek-R1?", built_index)
    assert not result.abstained
    assert result.notes[0].kind == "not_disclosed"
    # both of the article's sentences say so: "the Chipmaker has not detailed …", "the tech giant has not revealed …"
    assert any(said in result.citations[0].quote for said in ("has not detailed", "has not revealed"))
    assert result.lead is not None and result.lead.startswith("The articles say this is not known")


def test_the_not_known_sentence_is_chosen_by_what_it_is_about_not_by_shared_words(built_index: NewsIndex) -> None:
    """"Has Huawei confirmed which … chips …?" shares almost no word with "the Chipmaker has not detailed …"."""
    result = answer("Has Huawei confirmed which specific chips power DeepSeek-R1 on its cloud platform?", built_index)
    assert not result.abstained and result.notes[0].kind == "not_disclosed"
    assert any(said in result.citations[0].quote for said in ("has not detailed", "has not revealed"))


def test_a_typed_question_searches_deeper_when_its_passages_hold_no_such_thing(built_index: NewsIndex) -> None:
    """The issue's wording: "spend" ranks the $5 million passage ninth of twelve; both amounts and the conflict show."""
    result = answer("How much did DeepSeek spend to train its model?", built_index)
    assert not result.abstained
    assert {s.text for s in result.short_answers} == {"$5 million", "$6 million"}
    assert any(n.kind == "conflict" for n in result.notes)


def test_who_reported_it_is_the_tipster_not_the_chip(built_index: NewsIndex) -> None:
    """ "Huawei's latest Ascend 910C AI chips" marks Ascend a product, and a product answers no "who"."""
    result = answer("Who reported that DeepSeek uses Huawei's chips for inference?", built_index)
    assert not result.abstained and result.short_answer is not None
    assert result.short_answer.text == "Alexander Doria"
