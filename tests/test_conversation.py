"""The conversation store and answer_in_context: follow-ups, topic shifts, time-outs, places, and `repl --json`."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.answering.answer import Answer, Deliberation, answer
from bot.conversation import Conversation, ConversationStore, answer_in_context, history
from index.handle import NewsIndex
from tests.conftest import run_cli
from tests.fake_snapshot import FakeSnapshot

ARTICLES = {
    "bakery.md": (
        "Hollis Bread has bought the Crumb and Co bakery chain from its founders.\n\n"
        "Hollis Bread says it is paying £2m for the business, which has six shops.\n\n"
        "The chain made a profit of £90,000 last year."
    ),
    "insurer.md": (
        "Metlife has agreed to buy Travelers Life and Annuity, the life assurance unit of Citigroup.\n\n"
        "Metlife is paying $11.5bn in cash and stock for the business, the insurer said.\n\n"
        "Travelers Life and Annuity made a profit of $901m in 2004."
    ),
    "airline.md": (
        "Qantas says it may move up to 7,000 jobs abroad to cut costs.\n\n"
        "The airline employs about 35,000 people in Australia."
    ),
}
FIRST = "Which insurer has agreed to buy Travelers, the life assurance unit of Citigroup?"
PAYING = "How much is it paying for the business?"


class Clock:
    """A hand-moved clock, so time-outs are tested without waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> FakeSnapshot:
    """The fake index over the three test articles."""
    return FakeSnapshot(tmp_path_factory.mktemp("conversation") / "corpus", ARTICLES)


def articles(result: Answer) -> list[str]:
    """The articles of an answer's passages (what retrieval gave it), best first."""
    return [p.article_id for p in result.passages]


def test_a_pronoun_follow_up_is_searched_and_read_in_the_conversation(index: FakeSnapshot) -> None:
    alone = answer(PAYING, index)
    assert articles(alone)[0] == "bakery"  # asked alone, "it … paying for the business" is the bakery's sentence
    conversation = Conversation(900.0)
    first = answer_in_context(FIRST, index, conversation)
    assert first.understood_as is None and first == answer(FIRST, index)
    follow = answer_in_context(PAYING, index, conversation)
    assert follow.question == PAYING and follow.understood_as is not None
    assert follow.understood_as.startswith(f"{PAYING} [") and "Citigroup" in follow.understood_as
    assert articles(follow)[0] == "insurer"  # searched with the topic, the conversation's article comes first
    assert follow.to_json()["understood_as"] == follow.understood_as


def test_an_ellipsis_keeps_the_topic_across_turns(index: FakeSnapshot) -> None:
    conversation = Conversation(900.0)
    answer_in_context(FIRST, index, conversation)
    answer_in_context(PAYING, index, conversation)
    third = answer_in_context("And what profit did the unit make?", index, conversation)
    assert third.understood_as is not None and third.understood_as.startswith("What profit did the unit make? [")
    assert "Citigroup" in third.understood_as and articles(third)[0] == "insurer"
    assert [t.understood_as is not None for t in history(conversation)] == [False, True, True]


def test_a_fresh_question_is_answered_exactly_as_if_asked_alone(index: FakeSnapshot) -> None:
    conversation = Conversation(900.0)
    answer_in_context(FIRST, index, conversation)
    fresh = answer_in_context("How many jobs might Qantas move abroad?", index, conversation)
    alone = answer("How many jobs might Qantas move abroad?", index)
    assert fresh.understood_as is None
    assert fresh == replace(alone, question=fresh.question)


def test_a_timed_out_context_is_never_used(index: FakeSnapshot) -> None:
    clock = Clock()
    store = ConversationStore(minutes=15, clock=clock)
    answer_in_context(FIRST, index, store.get(("repl",)))
    clock.now += 15 * 60 + 1
    later = answer_in_context(PAYING, index, store.get(("repl",)))
    assert later.understood_as is None and later == answer(PAYING, index)


def test_places_do_not_share_a_conversation(index: FakeSnapshot) -> None:
    store = ConversationStore()
    alice, bob = ("discord", 1, 2, 10), ("discord", 1, 2, 11)
    answer_in_context(FIRST, index, store.get(alice))
    assert answer_in_context(PAYING, index, store.get(bob)).understood_as is None
    assert answer_in_context(PAYING, index, store.get(alice)).understood_as is not None


def test_the_store_forgets_on_clear_and_sweeps_expired_places_from_memory(index: FakeSnapshot) -> None:
    clock = Clock()
    store = ConversationStore(minutes=1, clock=clock)
    for member in range(3):
        answer_in_context(FIRST, index, store.get(("discord", member)))
    store.clear(("discord", 0))
    assert store.get(("discord", 0)).topic() is None and len(store) == 3
    clock.now += 61
    assert store.sweep() == 2 and len(store) == 1  # the cleared one was empty, so it has nothing to expire
    clock.now += 3600
    store.get(("discord", 9))  # a get a minute after the last sweep sweeps again
    assert len(store) == 2 and store.get(("discord", 1)).topic() is None


def test_a_conversation_expires_exactly_after_its_time_out() -> None:
    clock = Clock()
    conversation = Conversation(60.0, clock)
    assert not conversation.expired()
    conversation.updated = clock.now
    conversation.turns.append(object())  # type: ignore[arg-type]
    clock.now += 60
    assert not conversation.expired()
    clock.now += 0.001
    assert conversation.expired() and conversation.topic() is None and not conversation.turns


def test_repl_json_is_one_conversation_and_a_blank_line_or_new_starts_over(
        indexed_env: NewsIndex, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Which Nvidia chips was DeepSeek R1 trained on?", "What chips does it use for inference?", "",
             "What chips does it use for inference?", "Which Nvidia chips was DeepSeek R1 trained on?", "/new",
             "What chips does it use for inference?", "/sources 1"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, err = run_cli(["repl", "--json"], capsys)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(answers) == 5, err
    assert [a["understood_as"] is not None for a in answers] == [False, True, False, False, False]
    assert "DeepSeek" in answers[1]["understood_as"] and answers[1]["question"] == lines[1]
    assert not answers[1]["abstained"] and "910C" in " ".join(c["quote"] for c in answers[1]["citations"])
    assert all(set(a) >= {"question", "answer", "citations", "notes", "understood_as"} for a in answers)
    assert "new conversation" in err


def test_a_follow_up_still_hears_another_outlet_that_disagrees(built_index: NewsIndex) -> None:
    """The cited articles' prior must not crowd out the one article giving the other training cost ($6 million)."""
    conversation = Conversation(timeout=15 * 60)
    answer_in_context("Which chip does DeepSeek use for inference?", built_index, conversation)
    result = answer_in_context("And what did it cost to train?", built_index, conversation)
    quoted = " ".join(c.quote for c in result.citations)
    assert result.understood_as is not None and "$5 million" in quoted and "$6 million" in quoted
    assert "conflict" in {n.kind for n in result.notes}


def test_the_rendered_answer_opens_with_what_was_understood(indexed_env: NewsIndex,
                                                           capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Which Nvidia chips was DeepSeek R1 trained on?\n"
                                                 "What chips does it use for inference?\n"))
    code, out, _ = run_cli(["repl"], capsys)
    second = out[out.index("Sources") :]
    assert code == 0 and "Understood as: What chips does it use for inference? [" in second
    assert out.count("Understood as:") == 1


def test_context_minutes_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.config import load_settings

    monkeypatch.setenv("NEWSDESK_CONTEXT_MINUTES", "2.5")
    assert load_settings(use_dotenv=False).context_minutes == 2.5
    monkeypatch.delenv("NEWSDESK_CONTEXT_MINUTES")
    assert load_settings(use_dotenv=False).context_minutes == 15.0


def coverage_of(sentence: str, thought: Deliberation) -> float:
    """The share of the question's words a candidate sentence counts as covered in one deliberation."""
    return next(c.coverage for c in thought.candidates if c.text == sentence)


def test_a_demonstrative_follow_up_reads_the_sentence_the_last_answer_led_with(tmp_path: Path) -> None:
    """"That game" is what the previous answer's lead sentence was about, though that sentence repeats neither
    "game" nor the carried name: counted as covering them, it gives the place (the choice is checked, as the
    fake snapshot's hashed vectors understate similarity for the answer model). Since every sentence of a cited
    article counts the carried topic, the article alone now leads with it too."""
    from bot.answering.answer import deliberate
    from bot.answering.choose import span_reader_for
    from bot.conversation import ContextIndex

    lead = "The Leicester lock's final match will be his testimonial at Twickenham on 4 June."
    rugby = FakeSnapshot(tmp_path / "corpus", {"rugby.md": (
        "Martin Johnson will retire from rugby at the end of the season, his club said on Monday.\n\n"
        f"{lead}\n\n"
        "Johnson said he felt he could play another season in the Premiership but wanted to go out at the top.\n\n"
        "Johnson led England to victory in the World Cup final in Sydney in 2003.")})
    reader = span_reader_for(rugby.model_dir)
    question = "Where will that game be played? [Martin Johnson]"
    plain = deliberate(question, rugby, reader=reader)  # no conversation: nothing is credited
    carried = ContextIndex(rugby, (), ("rugby",), (lead,), ("Martin Johnson", "game")).snapshot()
    thought = deliberate(question, carried, reader=reader)
    assert coverage_of(lead, thought) > coverage_of(lead, plain) == 0.0  # it repeats neither "game" nor the name
    assert thought.choice is not None and thought.choice.quotes[0].text == lead
    assert [s.text for s in thought.choice.spans] == ["Twickenham"]
    topic_only = deliberate(question, ContextIndex(rugby, (), ("rugby",)).snapshot(), reader=reader)
    assert topic_only.choice is not None and topic_only.choice.quotes[0].text == lead  # in_conversation, below


def test_inside_a_cited_article_the_follow_up_s_own_words_choose_the_sentence(tmp_path: Path) -> None:
    """The carried topic is what the cited article is about, so every sentence of it counts the topic as covered:
    the one-off charge answers "How big a one-off charge will the cuts cost it?", not the sentence that answered
    the previous question by repeating the topic. Another article's sentence must hold the topic itself."""
    from bot.answering.answer import deliberate
    from bot.answering.choose import span_reader_for
    from bot.conversation import ContextIndex

    banks = FakeSnapshot(tmp_path / "corpus", {
        "abn.md": (
            "ABN Amro, the Netherlands' largest bank, is to cut 2,850 jobs as a result of falling profits.\n\n"
            "ABN Amro said cutting 3% of its staff was its answer to falling profits in 2004.\n\n"
            "The cuts will result in a one-off charge of 790m euros, the bank said.\n\n"
            "About 1,200 of the jobs will go in IT."),
        "ing.md": "Rival ING said it would take a one-off charge of 300m euros for its own job cuts last year.",
    })
    reader = span_reader_for(banks.model_dir)
    question = "How big a one-off charge will the cuts cost it? [ABN Amro; cutting, falling, profits]"
    charge = "The cuts will result in a one-off charge of 790m euros, the bank said."
    plain = deliberate(question, banks, reader=reader)  # asked without a conversation, the topic is not credited
    thought = deliberate(question, ContextIndex(banks, (), ("abn",)).snapshot(), reader=reader)
    assert coverage_of(charge, thought) > coverage_of(charge, plain)
    assert thought.choice is not None and thought.choice.quotes[0].article_id == "abn"
    assert [s.text for s in thought.choice.spans] == ["790m euros"]
