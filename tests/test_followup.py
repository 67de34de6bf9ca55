"""Follow-up resolution on its own: pronouns, demonstratives, ellipsis, topic shifts; pure functions, no index."""

from __future__ import annotations

import pytest

from bot.answering.followup import (
    Reply,
    Resolution,
    Topic,
    answer_name,
    capital_runs,
    named_things,
    next_topic,
    resolve,
    signals,
)

INSURER = Topic(
    question="Which insurer has agreed to buy Travelers, the life assurance unit of Citigroup?",
    names=("Metlife", "Travelers", "Citigroup"),
    terms=("insurer", "assurance"),
    articles=("business-088",),
    text=("metlife is to buy travelers life & annuity, the life assurance unit of citigroup, for $11.5bn. "
          "the unit made a profit of $901m in 2004 and the business will keep its brand."),
)


def ask_after(question: str, topic: Topic | None = INSURER) -> Resolution:
    """Resolve a question after the insurer turn."""
    return resolve(question, topic)


def test_a_first_question_is_read_as_asked() -> None:
    result = ask_after("How much is it paying for the business?", None)
    assert not result.carried and result.text == "How much is it paying for the business?"
    assert result.understood_as is None and result.articles == ()


def test_a_pronoun_carries_the_topic_names_in_brackets() -> None:
    result = ask_after("How much is it paying for the business?")
    assert result.carried and "it" in result.reason
    assert result.understood_as == ("How much is it paying for the business? [Metlife, Travelers, Citigroup; "
                                    "insurer, assurance]")  # names, then the earlier turns' key terms
    assert result.text == result.understood_as and result.articles == ("business-088",)
    assert result.terms == ()  # every key term is in the resolved text already


def test_demonstratives_point_back_but_clauses_and_times_do_not() -> None:
    assert signals("Where will that game be played?").strong == ("that game",)
    assert signals("Who said that?").strong == ("that",)
    assert signals("How much will those closures save each year?").strong == ("those closures",)
    assert signals("Has Huawei confirmed that DeepSeek runs inference on its chips?").strong == ()
    assert signals("Which play won at this year's awards?").strong == ()
    assert signals("Which company owns the brand that makes Penfolds?").strong == ()


def test_a_pronoun_with_its_antecedent_in_the_question_is_not_a_reference() -> None:
    assert signals("Did Qantas say it would move 7,000 jobs abroad?").strong == ()
    assert signals("Why did Jacques Santini leave his job?").weak == ()
    assert signals("Has Huawei confirmed it?").strong == ("it",)
    assert signals("How long did it take to build the stadium?").strong == ()


def test_ellipsis_drops_the_opener_so_the_wh_word_leads() -> None:
    result = ask_after("And what profit did the unit make in 2004?")
    assert result.carried and result.text.startswith("What profit did the unit make in 2004? [")
    assert ask_after("And the cost?").understood_as == "The cost? [Metlife, Travelers, Citigroup; insurer, assurance]"


def test_a_bare_fragment_leans_on_the_conversation() -> None:
    result = ask_after("How much?")
    assert result.carried and "too short" in result.reason


def test_what_about_asks_the_previous_question_of_a_new_subject() -> None:
    topic = Topic("How much did William Hague earn beyond his salary?", ("William Hague",), ("salary",), ("p-1",),
                  "william hague earned £820,000 beyond his salary. his shadow chancellor earned £560,000.")
    result = resolve("And what about his shadow chancellor?", topic)
    assert result.understood_as == "How much did his shadow chancellor earn beyond his salary? [William Hague]"


def test_a_question_with_its_own_new_names_starts_a_new_topic() -> None:
    result = ask_after("How many jobs might Qantas shift abroad?")
    assert not result.carried and result.understood_as is None and result.text == result.question
    assert result.terms == () and result.articles == () and "Qantas" in result.reason


def test_a_generic_reference_with_a_new_name_is_a_new_topic() -> None:
    assert not ask_after("How much did the company pay for Feedwell?").carried
    assert ask_after("How much did the company pay for the unit?").carried


def test_a_question_that_names_nothing_continues_and_one_that_names_a_new_thing_does_not() -> None:
    """Only named things open a topic: "What version should people install?" means the conversation's software."""
    assert ask_after("Which brand will the business keep?").carried
    words_unseen = ask_after("How many people suffer from shaky hands?")  # no word of it in the conversation
    assert words_unseen.carried and words_unseen.reason == "refers back: no name of its own"
    assert not ask_after("How many people suffer from Parkinson's disease?").carried


def test_named_things_and_answer_names() -> None:
    assert named_things("Which club has Charlton's Graham Stuart joined?") == ["Charlton", "Graham Stuart"]
    assert named_things('Who wrote "The History Boys" for the National?') == ["The History Boys", "National"]
    assert answer_name("The History Boys") == "The History Boys" and answer_name("Metlife") == "Metlife"
    assert answer_name("Magnus McEwen-King") == "Magnus McEwen-King" and answer_name("IBM") == "IBM"
    for not_a_name in ("$11.5bn", "personal reasons", "Nine overseas embassies", "Thousands", "Chart-topping"):
        assert answer_name(not_a_name) is None


def test_capital_runs_skip_a_lone_sentence_opener_and_numbers() -> None:
    quote = "The History Boys by Alan Bennett won, Sotheby's said of the 3.1bn Australian deal."
    assert capital_runs(quote) == ["The History Boys", "Alan Bennett", "Sotheby", "Australian"]
    assert capital_runs("Norwich have signed Charlton midfielder Graham Stuart.") == ["Charlton", "Graham Stuart"]


def test_next_topic_puts_the_answer_first_and_drops_bare_numbers() -> None:
    first = resolve("Which insurer will buy Travelers from Citigroup in 2005?", None)
    reply = Reply(("Metlife",), ("Metlife is paying $11.5bn.",), ("Metlife buys Citigroup insurer",), ("business-088",),
                  ("Metlife is paying $11.5bn for Travelers.",))
    topic = next_topic(first, None, reply)
    assert topic.names == ("Metlife", "Travelers", "Citigroup")
    assert topic.articles == ("business-088",) and "$11.5bn" in topic.text


def test_an_answer_naming_part_of_a_known_name_is_that_name() -> None:
    """ "Svetlana" after "Svetlana Kuznetsova" is one person: carried once, under the fuller name, and first."""
    first = resolve("Who beat Sania Mirza at the Hyderabad Open? ", None)
    known = next_topic(first, None, Reply(("Svetlana Kuznetsova",), articles=("sport-435",)))
    follow = resolve("What was the winner's world ranking at the time?", known)
    topic = next_topic(follow, known, Reply(("Svetlana",), articles=("sport-439",)))
    assert topic.names[:3] == ("Svetlana Kuznetsova", "Sania Mirza", "Hyderabad Open")


def test_without_a_short_answer_the_first_quote_names_what_was_answered() -> None:
    first = resolve("Which drama came top at the Critics' Circle awards?", None)
    reply = Reply((), ("The History Boys by Alan Bennett has been named best new play in the Critics' Circle awards.",))
    assert next_topic(first, None, reply).names[:2] == ("The History Boys", "Alan Bennett")


def test_a_follow_up_inherits_and_a_fresh_turn_does_not() -> None:
    follow = resolve("How much is it paying?", INSURER)
    inherited = next_topic(follow, INSURER, Reply(("$11.5bn",), articles=("business-089",)))
    assert inherited.names == INSURER.names and inherited.articles == ("business-089", "business-088")
    fresh = resolve("How many jobs might Qantas shift abroad?", INSURER)
    shifted = next_topic(fresh, INSURER, Reply(("7,000",), ("Qantas may move 7,000 jobs.",), ("Qantas jobs",),
                                               ("business-455",), ("Qantas may move 7,000 jobs abroad.",)))
    assert shifted.names == ("Qantas",) and shifted.articles == ("business-455",)
    assert "metlife" not in shifted.text and shifted.terms == ("abroad",)  # the answer says "move", not "shift"


def test_a_possessive_with_no_name_of_its_own_leans_on_the_conversation() -> None:
    topic = Topic("Which version of the Opera browser can be controlled by voice?", ("Opera",), ("browser",),
                  ("tech-089",), "which version of the opera browser can be controlled by voice? 8.0")
    result = resolve("Which company's technology powers its speech functions?", topic)
    assert result.carried and "its" in result.reason and "[Opera" in (result.understood_as or "")
    fresh = resolve("Which airline moved its call centres to India?", topic)
    assert not fresh.carried and "India" in fresh.reason  # a name of its own: a new topic
    named = resolve("Did Qantas say it would move its jobs abroad?", topic)
    assert not named.carried and "Qantas" in named.reason


def test_a_follow_up_carries_the_last_answers_lead_quote_and_what_it_refers_to() -> None:
    """The lead quote of the turn before is what "that game" points at; a fresh question carries nothing."""
    reply = Reply(("4 June",), ("His final match will be his testimonial at Twickenham on 4 June.", "Another quote."),
                  ("Johnson to retire",), ("sport-367",), ("His final match will be his testimonial …",))
    asked = resolve("When will Martin Johnson play the last match of his career?", None)
    topic = next_topic(asked, None, reply)
    assert topic.quotes == reply.quotes[:1]
    follow = resolve("Where will that game be played?", topic)
    assert follow.quotes == topic.quotes and "game" in follow.referents and "Martin Johnson" in follow.referents
    fresh = resolve("Which film won the Golden Bear at the Berlin festival?", topic)
    assert fresh.quotes == () and fresh.referents == ()
    person = resolve("Which club did he captain?", topic)  # "he" is the carried name, not the last sentence
    assert person.carried and person.quotes == () and person.referents == ()


def test_a_bare_fragment_always_leans_on_the_conversation() -> None:
    """"What was the score?" has nothing of its own to search for, even when the topic never said "score"."""
    result = ask_after("What was the score?")
    assert result.carried and "too short" in result.reason


def test_a_topic_keeps_only_the_key_words_its_answer_confirms() -> None:
    """"costing" was asked, but no quote gave a cost: it is not the topic, so it is not carried on."""
    asked = resolve("How much is the Xiluodu dam costing to build?", None)
    reply = Reply((), ("Work on the Xiluodu dam was halted for lack of an environmental assessment.",),
                  ("China halts dam projects",), ("business-282",), ())
    topic = next_topic(asked, None, reply)
    assert "costing" not in topic.terms and "Xiluodu" in topic.names


def test_a_pronoun_after_the_questions_own_name_does_not_make_it_a_follow_up() -> None:
    """"… did Britney Spears name in her letter?" has its antecedent; after another topic it is a fresh question."""
    question = "Which US celebrity magazines did Britney Spears name as the worst offenders in her letter?"
    assert signals(question).strong == () and signals(question).weak == ("her",)
    assert not ask_after(question).carried
    assert signals("How old was he when he died?").strong == ("he", "he")


def test_a_possessive_nothing_in_the_question_could_own_refers_back_whatever_names_follow() -> None:
    topic = Topic("Which new multiple sclerosis drug was withdrawn from sale?", ("Tysabri",), ("sclerosis", "drug"),
                  ("business-150",), "which new multiple sclerosis drug was withdrawn from sale? tysabri")
    result = resolve("How far did shares in its Irish developer fall on the New York Stock Exchange?", topic)
    assert result.carried and "its" in result.reason and "[Tysabri" in (result.understood_as or "")
    owner = resolve("Which airline moved its call centres to India?", topic)  # "which airline" may own "its"
    assert not owner.carried


def test_an_ellipsis_asks_the_previous_question_again_with_the_part_it_matches_replaced() -> None:
    def after(previous: str, names: tuple[str, ...], question: str, terms: tuple[str, ...] = ()) -> str | None:
        return resolve(question, Topic(previous, names, terms, ("a-1",), previous.lower())).understood_as

    assert after("What operating profit did Ericsson make in the fourth quarter?", ("Ericsson",),
                 "And in the same period a year earlier?", ("quarter",)) \
        == "What operating profit did Ericsson make in the same period a year earlier?"  # "quarter" not carried
    assert after("How much did Labour receive in donations in 2004?", ("Labour",), "And the Conservatives?") \
        == "How much did the Conservatives receive in donations in 2004?"  # Labour is replaced, not carried
    assert after("How much did Labour receive in donations in 2004?", ("Labour",), "And in 2003?") \
        == "How much did Labour receive in donations in 2003?"  # the last phrase with the same preposition
    assert after("How far did shares in its Irish developer fall?", ("Tysabri",), "And its American partner?") \
        == "How far did shares in its American partner fall? [Tysabri]"  # "its" still means the drug's maker
    assert after("Who has been brought in to revise its book?", ("Broadway",), "And the opening date?") \
        == "The opening date? [Broadway]"  # a new aspect: the previous question is no frame for it


def test_what_about_x_with_a_question_of_its_own_asks_that_question_of_x() -> None:
    topic = Topic("Who gathered most of the items in the sale?", ("Jimi Hendrix",), (), ("e-1",), "hendrix sale")
    result = resolve("What about the poem he wrote after Monterey, what did that go for?", topic)
    assert result.understood_as == "What did the poem he wrote after Monterey go for? [Jimi Hendrix]"


def test_what_an_ellipsis_replaced_is_not_inherited_by_the_next_turn() -> None:
    first = Topic("How much did Labour receive in donations in 2004?", ("Labour",), ("donations",), ("p-1",),
                  "how much did labour receive in donations in 2004? £5m")
    second = resolve("And the Conservatives?", first)
    reply = Reply(("£4.6m",), ("The Conservatives received £4.6m.",), ("Party funding",), ("p-1",), ())
    topic = next_topic(second, first, reply)
    assert "Labour" not in topic.names and "Conservatives" in topic.names
    third = resolve("And in 2003?", topic)
    assert third.understood_as == "How much did the Conservatives receive in donations in 2003?"


def test_what_about_a_year_asks_the_previous_question_of_that_year() -> None:
    """A year names no topic of its own: "What about 2003?" swaps the year asked about, not the first name."""
    topic = Topic("How much did Italy's economy grow in 2004?", ("Italy",), ("economy",), ("b-1",),
                  "italy economy grew 1.1% in 2004")
    resolved = resolve("What about 2003?", topic)
    assert resolved.understood_as == "How much did Italy's economy grow in 2003?"
    assert resolve("What about 2003?", None).understood_as is None  # nothing to ask it of: fresh


@pytest.mark.parametrize(("question", "points_back"), [
    ("Who won that match?", True),
    ("With Brian O'Driscoll missing, who captained the Irish that day?", True),
    ("How much was paid for that stake in the end?", True),
    ("Who said that profits fell?", False),  # "that" opens a clause
    ("How much is a saxophone that belonged to Charlie Parker expected to fetch?", False),  # a relative clause
    ("Which firm bought the company that makes the iPod?", False),
])
def test_that_after_a_verb_or_noun_points_back_only_when_no_clause_follows(question: str, points_back: bool) -> None:
    assert any(s.startswith("that") for s in signals(question).strong) is points_back


def test_a_definite_noun_the_conversation_used_points_back() -> None:
    """"Where's the ceremony being held?" after an answer about an award ceremony asks about that ceremony."""
    topic = Topic("Who leads the Billboard award nominations?", ("Usher", "Billboard"), ("nominations",), ("e-1",),
                  "usher leads the nominations for the billboard music awards. the ceremony takes place in december.")
    resolved = resolve("Where's the ceremony being held?", topic)
    assert resolved.carried and "the ceremony" in resolved.reason and "Billboard" in resolved.understood_as
    assert not resolve("Where is the G8 summit being held?", topic).carried  # a summit of its own
    assert not resolve("Where is the ceremony for the Brit Awards?", topic).carried  # its own new name


def test_a_pronoun_after_a_which_noun_may_mean_that_noun() -> None:
    """"Which bookmaker … because it suspected a leak?" names its own topic: "it" is the bookmaker, not a referent."""
    found = signals("Which bookmaker stopped taking bets on Celebrity Big Brother because it suspected a leak?")
    assert found.strong == () and found.weak == ("it",)
    assert not ask_after("Which bookmaker stopped taking bets on Celebrity Big Brother because it suspected a leak?"
                         ).carried
    assert signals("What did it pay?").strong == ("it",) and signals("Which of them won it?").strong == ("them", "it")
