"""The answering engine on a small fake snapshot: answer types, direct answers, conflicts, "not disclosed", abstention.

The articles are written for these tests; the snapshot is fake (no Chroma, no embedder) but the span reader is real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.answering.answer import Answer, answer
from tests.fake_snapshot import FakeSnapshot

ARTICLES = {
    "radio.md": (
        "Radio 9 has named the presenters who will take over the late-night slot left by the veteran host.\n\n"
        "The slot will be shared by Ana Ferreira, Tom Okafor and Lee Dunmore, the station said on Monday.\n\n"
        "The three presenters were picked for their deep knowledge of new music, the station added."
    ),
    "steel.md": (
        "Northgate Steel has agreed to buy the Karvel works, its largest deal so far.\n\n"
        "Northgate Steel employs 42,000 people at its plants in Poland.\n\n"
        "The firm says the Karvel works will keep its name after the deal."
    ),
    "model-a.md": (
        "Lumen AI says its new language model was cheap to build.\n\n"
        "Training the Lumen model cost $5 million, the company said in a statement.\n\n"
        "Lumen AI has not said how many parameters the model has."
    ),
    "model-b.md": (
        "Rivals doubt the claims made by Lumen AI about its new model.\n\n"
        "Lumen AI reported that training the model cost $6 million in total.\n\n"
        "The company plans to release the model weights next month."
    ),
    "blogs.md": (
        "Search firm Quester has bought the news reader Feedwell, its third purchase this year.\n\n"
        "How much Quester paid for Feedwell was not revealed.\n\n"
        "Feedwell has about two million users, according to Quester."
    ),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> FakeSnapshot:
    """The fake index over the five test articles."""
    return FakeSnapshot(tmp_path_factory.mktemp("engine") / "corpus", ARTICLES)


def test_who_question_leads_with_the_names_not_the_restatement(index: FakeSnapshot) -> None:
    """The choice, not the decision: the fake's hashed vectors understate similarity, which the answer model weighs."""
    from bot.answering.answer import deliberate, lead_by_headline
    from bot.answering.choose import span_reader_for

    question = "Which presenters were picked to take over the late-night slot on Radio 9?"
    reader = span_reader_for(index.model_dir)
    led = lead_by_headline(question, deliberate(question, index, reader=reader), index, reader)
    assert led.choice is not None and "Ana Ferreira" in led.choice.spans[0].text
    assert "Ana Ferreira" in led.choice.quotes[0].text
    assert "picked for their deep knowledge" not in led.choice.spans[0].candidate.text  # not the restatement


def test_count_question_finds_the_number_and_names_what_it_counts(index: FakeSnapshot) -> None:
    result = answer("How many people does Northgate Steel employ in Poland?", index)
    assert not result.abstained and result.short_answer is not None
    assert result.short_answer.text == "42,000 people"
    assert_contract(result, index.corpus_dir)


def test_count_question_without_a_count_abstains(index: FakeSnapshot) -> None:
    result = answer("How many parameters does the Lumen model have?", index)
    assert result.abstained or any(n.kind == "not_disclosed" for n in result.notes)
    assert not any(ch.isdigit() for ch in (result.short_answer.text if result.short_answer else ""))


def test_disagreeing_amounts_are_both_led_and_noted(index: FakeSnapshot) -> None:
    result = answer("How much did it cost to train the Lumen model?", index)
    assert not result.abstained
    texts = {s.text for s in result.short_answers}
    assert texts == {"$5 million", "$6 million"}
    assert "(the articles disagree)" in (result.lead or "")
    assert any(n.kind == "conflict" for n in result.notes)


def test_not_disclosed_is_an_answer_with_its_own_note(index: FakeSnapshot) -> None:
    result = answer("What price did Quester pay to buy Feedwell?", index)
    assert not result.abstained
    assert result.notes[0].kind == "not_disclosed"
    assert result.short_answer is not None and "not revealed" in result.short_answer.text


def test_answering_sentence_that_says_the_asked_thing_is_undecided_answers_not_disclosed(tmp_path: Path) -> None:
    """The figure beside "an undecided fee" is another thing's price: the answer is that the fee is not known."""
    pass_text = ("The council says residents will pay £40 for a Civic Pass and a travel card together, or an "
                 "undecided fee for a Civic Pass on its own.\n\nThe council will start issuing the Civic Pass in May.")
    snapshot = FakeSnapshot(tmp_path / "corpus", {"pass.md": pass_text})
    result = answer("What fee will the council charge for a Civic Pass bought on its own?", snapshot)
    assert not result.abstained and result.notes[0].kind == "not_disclosed"
    assert result.short_answer is not None and result.short_answer.text == "undecided fee"
    assert_contract(result, snapshot.corpus_dir)
    plain = answer("How much will residents pay for a Civic Pass and a travel card together?", snapshot)
    assert not any(n.kind == "not_disclosed" for n in plain.notes)  # "fee" is not what this one asks


def test_a_bare_how_much_is_not_disclosed_when_the_unknown_amount_is_the_one_asked_about(tmp_path: Path) -> None:
    """The purpose follows a payment: "an undisclosed amount for the serialisation", "£90,000 for advice"."""
    body = ("The register shows former minister Carl Brand earning up to £600,000 on top of his salary.\n\n"
            "Mr Brand was also paid an undisclosed amount for the newspaper serialisation of his memoir of the "
            "strike and up to £90,000 for work as an adviser to two banks.")
    snapshot = FakeSnapshot(tmp_path / "corpus", {"brand.md": body})
    result = answer("How much was Carl Brand paid for the newspaper serialisation of his memoir?", snapshot)
    assert not result.abstained and result.notes[0].kind == "not_disclosed"
    assert result.short_answer is not None and result.short_answer.text == "undisclosed amount"
    advice = answer("How much was Carl Brand paid for his work as an adviser to two banks?", snapshot)
    assert not any(n.kind == "not_disclosed" for n in advice.notes)
    assert advice.short_answer is not None and advice.short_answer.text == "£90,000"


def test_a_not_known_sentence_answers_only_when_the_unknown_thing_is_the_asked_one(tmp_path: Path) -> None:
    """Unknown details of the mill do not answer how many it will employ; "has not said how many workers" does."""
    other = ("Northgate Steel will open a new mill in Gdansk next year.\n\n"
             "While details of Northgate Steel's new Gdansk mill remain under wraps, the firm says it will employ "
             "local people.")
    question = "How many workers will Northgate Steel's new Gdansk mill employ?"
    result = answer(question, FakeSnapshot(tmp_path / "other" / "corpus", {"mill.md": other}))
    assert result.abstained and not any(n.kind == "not_disclosed" for n in result.notes)
    asked = other + "\n\nNorthgate Steel has not said how many workers the new Gdansk mill will employ."
    snapshot = FakeSnapshot(tmp_path / "asked" / "corpus", {"mill.md": asked})
    result = answer(question, snapshot)
    assert not result.abstained and result.notes[0].kind == "not_disclosed"
    assert result.short_answer is not None and result.short_answer.text == "has not said"
    assert_contract(result, snapshot.corpus_dir)


def test_an_article_naming_too_few_of_the_questions_names_is_another_story(tmp_path: Path) -> None:
    """Another firm's profit is a figure of the right kind, but its article never names the firm asked about."""
    from bot.answering.evidence import about_the_subject, analyse_question

    snapshot = FakeSnapshot(tmp_path / "corpus", {
        "builder.md": "Builder Ostrava reported an 11% rise in pre-tax profits to $67.7m for 2004.",
        "sweets.md": "Confectioner Halden Brisk said chocolate sales in Asia were strong.\n\n"
                     "Halden Brisk will report its pre-tax profits for the year next month.",
    })
    question = "What pre-tax profit did Halden Brisk report for 2004?"
    analysed = analyse_question(question, snapshot.document_frequencies, snapshot.documents)
    kept = about_the_subject(analysed, snapshot.search(question, 8), snapshot.texts)
    assert {p.article_id for p in kept} == {"sweets"}
    result = answer(question, snapshot)
    assert "67.7" not in " ".join(c.quote for c in result.citations)


def test_a_name_is_named_by_its_rarest_word_not_a_common_one(tmp_path: Path) -> None:
    """An article about another "… Open" names "open", not "Australian": it is another story."""
    from bot.answering.evidence import about_the_subject, analyse_question

    snapshot = FakeSnapshot(tmp_path / "corpus", {
        "gaming.md": "The gaming tour opens in Texas and the winner of each leg will get $50,000 in prize money.",
        "tennis.md": "Australian Open organisers have raised the prize money for this year's champions.",
        "golf.md": "The Australian golf season starts in May.",
        "darts.md": "The darts open in Leeds paid its winner £20,000.",
    })
    question = "How much prize money will the winner of the Australian Open receive?"
    analysed = analyse_question(question, snapshot.document_frequencies, snapshot.documents)
    kept = about_the_subject(analysed, snapshot.search(question, 8), snapshot.texts)
    assert {p.article_id for p in kept} == {"tennis", "golf"}


def test_a_name_is_a_run_of_name_words_with_only_spaces_between() -> None:
    from bot.answering.evidence import entity_names

    assert entity_names("Who replaced them? [Huw Stephens, Ras Kwame; Radio Five]") == (
        frozenset({"huw", "stephen"}), frozenset({"ras", "kwame"}), frozenset({"radio", "five"}))
    assert entity_names("Which jail did Kennedy's New Year message name?") == (
        frozenset({"kennedi"}), frozenset({"new", "year"}))  # a possessive ends a name


def test_a_named_thing_is_found_by_stemming_only_the_words_that_start_like_it() -> None:
    from bot.answering.evidence import entity_terms, names_stem, stem_start

    text = "the vikings sold jets to chelsea's marcel desailly, a romantic, for a bonus."
    stems = entity_terms("Did the Vikings pay Chelsea's Marcel Desailly?")
    assert all(names_stem(stem, stem_start(stem), text) for stem in stems)  # "vike" is not a prefix of "vikings"
    assert not names_stem("roman", stem_start("roman"), text)  # "romantic" starts like it but is another word
    assert not names_stem("us", stem_start("us"), text)  # nor is "bonus"


@pytest.mark.parametrize("question", [
    "Which presenters were picked to take over the late-night slot on Radio 9?",
    "How much did it cost to train the Lumen model?",
    "What price did Quester pay to buy Feedwell?",
    "How many people does Northgate Steel employ in Poland?",
])
def test_short_answers_keep_the_citation_contract(index: FakeSnapshot, question: str) -> None:
    result = answer(question, index)
    assert_contract(result, index.corpus_dir)
    assert len(result.citations) <= 4


def assert_contract(result: Answer, corpus_dir: Path) -> None:
    """Every short answer is its file's text at its offsets, inside its citation's quote."""
    for short in result.short_answers:
        cited = result.citations[short.citation - 1]
        text = Path(corpus_dir, cited.path).read_text(encoding="utf-8")
        assert text[short.start : short.end] == short.text
        assert cited.start <= short.start < short.end <= cited.end
    assert result.to_json()["short_answer"] == (result.short_answers[0].to_json() if result.short_answers else None)


def test_no_sentence_holding_the_kind_means_no_answer_probability(index: FakeSnapshot) -> None:
    from bot.answering.answer import answer_probability, deliberate
    from bot.answering.choose import span_reader_for

    snapshot = index.snapshot()
    question = "How many parameters does the Lumen model have?"
    thought = deliberate(question, snapshot, reader=span_reader_for(snapshot.model_dir))
    assert all(r.typed for r in thought.readings)
    assert not any("parameters" in r.text and any(ch.isdigit() for ch in r.text) for r in thought.readings)
    empty = replace(thought, readings=[], choice=None)
    assert answer_probability(question, empty, snapshot) == 0.0


def test_a_follow_up_is_rated_as_one(index: FakeSnapshot) -> None:
    """The answer model's follow-up offset applies exactly when the snapshot carries a conversation's articles."""
    from bot.answering.answer import answer_probability, deliberate
    from bot.answering.choose import span_reader_for

    snapshot = index.snapshot()
    question = "How much did it cost to train the Lumen model?"
    thought = deliberate(question, snapshot, reader=span_reader_for(snapshot.model_dir))
    assert thought.choice is not None

    class InConversation:
        conversation_articles = frozenset({thought.choice.quotes[0].article_id})

        def __getattr__(self, name: str) -> Any:
            return getattr(snapshot, name)

    alone = answer_probability(question, thought, snapshot)
    assert 0.0 < alone < answer_probability(question, thought, InConversation())  # type: ignore[arg-type]


def test_answer_probability_grows_with_the_readers_verdict() -> None:
    from bot.answering.decide import FEATURES, probability

    base = dict.fromkeys(FEATURES, 0.0)
    assert probability(base | {"reader": 3.0}) > probability(base | {"reader": -3.0})


HEADLINED = {
    "israel-picks-former-imf-figure-to-run-central-bank.md": (
        "Israel has asked a US banker to run its central bank.\n\n"
        "Stanley Fischer, vice chairman of Citigroup, has agreed to take the job subject to approval."
    ),
    "shekel-rises.md": (
        "The central bank nomination lifted shares on the Tel Aviv market.\n\n"
        "Traders in Israel said the shekel also rose against the dollar."
    ),
}


def test_the_headline_picks_the_lead_when_the_answer_leaves_the_topic_to_it(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """"Stanley Fischer … has agreed to take the job" answers under its headline; ranked by words alone (no reader),
    a sentence sharing more of the question's words ("central bank … Tel Aviv") leads. The quotes stay, the lead
    moves. With the real reader, a sentence the first ranking read is not read again by the headline's."""
    from bot.answering.answer import deliberate, lead_by_headline
    from bot.answering.choose import ReadItem, remembering, span_reader_for

    snapshot = FakeSnapshot(tmp_path_factory.mktemp("headlined") / "corpus", HEADLINED)
    question = "Which former IMF figure was picked to run Israel's central bank?"
    thought = deliberate(question, snapshot, reader=None)
    assert thought.choice is not None and [s.text for s in thought.choice.spans] == ["Tel Aviv"]
    led = lead_by_headline(question, thought, snapshot, None)
    assert led.choice is not None and [s.text for s in led.choice.spans] == ["Stanley Fischer"]
    assert led.choice.quotes == [led.choice.spans[0].candidate, *thought.choice.quotes]
    assert led.readings == thought.readings and led.verdict == thought.verdict  # the decision's inputs are kept
    read: list[str] = []
    real = span_reader_for(snapshot.model_dir)

    def counted(asked: str, items: Sequence[ReadItem]) -> Sequence[tuple[float, int, int]]:
        read.extend(item.sentence for item in items)
        return real(asked, items)

    reader = remembering(counted)
    lead_by_headline(question, deliberate(question, snapshot, reader=reader), snapshot, reader)
    assert len(read) == len(set(read)) >= 2


def test_a_disagreement_keeps_both_sides_whatever_the_headlines(index: FakeSnapshot) -> None:
    from bot.answering.answer import deliberate, lead_by_headline
    from bot.answering.choose import span_reader_for

    question = "How much did it cost to train the Lumen model?"
    reader = span_reader_for(index.model_dir)
    thought = deliberate(question, index.snapshot(), reader=reader)
    assert thought.choice is not None and thought.choice.disagree
    assert lead_by_headline(question, thought, index.snapshot(), reader) is thought


def test_headline_words_count_only_in_the_headed_coverage(tmp_path_factory: pytest.TempPathFactory) -> None:
    from bot.answering.evidence import analyse_question, headed_coverage, sentence_candidates

    snapshot = FakeSnapshot(tmp_path_factory.mktemp("covered") / "corpus", HEADLINED)
    question = analyse_question("Who will run Israel's central bank?", snapshot.document_frequencies,
                                snapshot.documents)
    found = {c.text: c for c in sentence_candidates(question, snapshot.search("Israel central bank", 4),
                                                     snapshot.texts)}
    fischer = found["Stanley Fischer, vice chairman of Citigroup, has agreed to take the job subject to approval."]
    assert fischer.coverage == 0.0 < headed_coverage(question, fischer)
    shekel = found["The central bank nomination lifted shares on the Tel Aviv market."]
    # "shekel rises" names none of the question's words
    assert 0.0 < shekel.coverage == headed_coverage(question, shekel)


def test_an_exact_count_leads_before_thousands(tmp_path_factory: pytest.TempPathFactory) -> None:
    """"Thousands" answers "how many" only when no sentence gives the number (whichever the readers rate first)."""
    from bot.answering.answer import deliberate, lead_by_headline
    from bot.answering.choose import span_reader_for

    articles = {"gadget-show-opens-in-las-vegas.md": (
        "Thousands of visitors have gathered in Las Vegas for the gadget show.\n\n"
        "About 120,000 people are expected to attend this year."
    )}
    snapshot = FakeSnapshot(tmp_path_factory.mktemp("vague") / "corpus", articles)
    question = "How many visitors were expected at the gadget show in Las Vegas?"
    reader = span_reader_for(snapshot.model_dir)
    thought = deliberate(question, snapshot, reader=reader)
    assert thought.choice is not None and {s.text for s in thought.choice.spans} <= {"Thousands", "120,000"}
    led = lead_by_headline(question, thought, snapshot, reader)
    assert led.choice is not None and [s.text for s in led.choice.spans] == ["120,000"]
    assert len(led.choice.quotes) == 2


@pytest.mark.parametrize("question", ["Did Northgate Steel agree to buy the Karvel works?",
                                      "Has Quester bought Feedwell?"])
def test_a_yes_no_question_is_answered_by_its_quotes_without_a_lead(index: FakeSnapshot, question: str) -> None:
    """No span of a quote says yes or no ("**largest deal so far**" was the lead before); the quotes answer it."""
    result = answer(question, index)
    assert not result.abstained and result.citations
    assert result.short_answer is None and result.lead is None and not result.answer.startswith("**")
    assert result.to_json()["short_answer"] is None



WHY = {
    "quit.md": ("Orla Vance has resigned as chief executive of Brightwater Foods.\n\n"
                "She quit after a row with chairman Hugo Marsh over the sale of the dairy arm.\n\n"
                "Brightwater Foods said a successor would be named in May."),
    "chips.md": ("Kestrel Labs runs its chatbot on Orion X2 chips made at home.\n\n"
                 "It chose the Orion X2 over the Vega V9 because the home chips are cheap and easy to buy.\n\n"
                 "Kestrel Labs trained the chatbot on Vega V9 chips last year."),
}


def test_a_why_question_leads_only_with_a_cause_said_in_words(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The reader's span "Foods" is no reason (as "H800" was none for why DeepSeek chose Huawei's chips)."""
    from bot.answering.answer import deliberate
    from bot.answering.choose import span_reader_for

    snapshot = FakeSnapshot(tmp_path_factory.mktemp("why") / "corpus", WHY)
    question = "Why did Orla Vance quit Brightwater Foods?"
    thought = deliberate(question, snapshot, reader=span_reader_for(snapshot.model_dir))
    assert thought.choice is not None and [s.text for s in thought.choice.spans] == ["Foods"]
    quit = answer(question, snapshot)
    assert not quit.abstained and quit.short_answer is None and quit.lead is None
    chose = answer("Why did Kestrel Labs choose Orion X2 chips over Vega V9 ones?", snapshot)
    assert chose.short_answer is not None and chose.short_answer.text == "cheap"


def test_a_quoted_sentence_of_a_cited_article_counts_referents_and_topic_together(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """Crediting the topic after the referents used to recompute from the sentence's words and drop the referent."""
    from bot.answering.evidence import analyse_question, in_conversation, sentence_candidates

    articles = {"johnson-farewell.md": "His final match will be a testimonial at Twickenham on 4 June, the club said.",
                "johnson-retires.md": "Leicester captain Martin Johnson is to retire at the end of the season."}
    snapshot = FakeSnapshot(tmp_path_factory.mktemp("union") / "corpus", articles)
    question = analyse_question("Where will Martin Johnson's game be played? [Leicester]",
                                snapshot.document_frequencies, snapshot.documents)
    [lead] = [c for c in sentence_candidates(question, snapshot.search("final match testimonial", 4), snapshot.texts)
              if c.article_id == "johnson-farewell"]
    cited, quoted = frozenset([lead.article_id]), frozenset([lead.text])
    topic_only = in_conversation(question, [lead], frozenset(), [], cited, "Leicester")
    referents_only = in_conversation(question, [lead], quoted, ["Martin Johnson"], frozenset(), "")
    both = in_conversation(question, [lead], quoted, ["Martin Johnson"], cited, "Leicester")
    assert lead.coverage < topic_only[0].coverage and lead.coverage < referents_only[0].coverage
    assert both[0].coverage == pytest.approx(topic_only[0].coverage + referents_only[0].coverage - lead.coverage)


RUN_ON = {
    "skyway-to-halt-oslo-flights.md": (
        "Skyway is to halt its flights from Leeds to Oslo from 27 March, the airline said on Monday.\n\n"
        "The decision was a commercial one, made because fewer passengers were booking.\n\n"
        "Skyway flies to 40 cities from its Leeds base, and its flights to Oslo began in 2001.\n\n"
        "The Leeds to Oslo flights will halt after the last service on 26 March."
    ),
    "leeds-airport-grows.md": "Leeds airport says flights to Oslo and Bergen grew fastest last year.",
}


def test_an_open_questions_lead_runs_on_into_the_next_sentence(tmp_path_factory: pytest.TempPathFactory) -> None:
    """"Why …?" is answered by the sentence after the one that repeats the question ("made because …"), which shares
    none of its words: the lead quote is one excerpt of both, verified as one citation and shown on one line."""
    snapshot = FakeSnapshot(tmp_path_factory.mktemp("run-on") / "corpus", RUN_ON)
    result = answer("Why is Skyway halting its flights from Leeds to Oslo?", snapshot)
    lead = result.citations[0]
    assert lead.quote.startswith("Skyway is to halt") and lead.quote.endswith("fewer passengers were booking.")
    assert Path(snapshot.corpus_dir, lead.path).read_text(encoding="utf-8")[lead.start : lead.end] == lead.quote
    assert sum("fewer passengers" in c.quote for c in result.citations) == 1  # not quoted twice
    assert "commercial one, made because" in result.answer and "\n\nThe decision" not in result.answer
    dated = answer("When will Skyway halt its flights from Leeds to Oslo?", snapshot)
    assert not any("fewer passengers" in c.quote for c in dated.citations)  # a typed lead holds its answer


def test_the_lede_reader_reads_a_sentence_after_its_articles_first(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The second reader's context holds the article's opening sentence (the first reader's does not), except
    for that sentence itself, which both read after the headline alone."""
    from bot.answering.choose import item_of
    from bot.answering.evidence import analyse_question, sentence_candidates

    snapshot = FakeSnapshot(tmp_path_factory.mktemp("ledes") / "corpus", HEADLINED)
    question = analyse_question("Who will run Israel's central bank?", snapshot.document_frequencies,
                                len(snapshot.passages))
    found = sentence_candidates(question, snapshot.search("Israel central bank job", 8), snapshot.texts)
    items = {c.text: item_of(c, snapshot) for c in found}
    fischer = items["Stanley Fischer, vice chairman of Citigroup, has agreed to take the job subject to approval."]
    assert "Israel has asked a US banker" in fischer.lede and "Israel has asked" not in fischer.context
    opening = items["Israel has asked a US banker to run its central bank."]
    assert opening.lede == opening.context
    traders = items["Traders in Israel said the shekel also rose against the dollar."]
    assert "The central bank nomination lifted shares" in traders.lede


def test_two_readers_verdicts_are_agreed_by_their_mean_log_odds() -> None:
    """Where the readers disagree the verdict sits between them; the span is the surer reader's."""
    from bot.answering.choose import agreed
    from bot.answering.span_reader import Reading

    assert agreed(Reading(0.9, 3, 8), Reading(0.1, 0, 2)) == (pytest.approx(0.5), 3, 8)
    assert agreed(Reading(0.2, 3, 8), Reading(0.6, 0, 2))[1:] == (0, 2)
    assert agreed(Reading(0.8, 0, 4), Reading(0.8, 1, 4))[0] == pytest.approx(0.8)
    assert 0.5 < agreed(Reading(0.99, 0, 4), Reading(0.5, 0, 4))[0] < 0.99
