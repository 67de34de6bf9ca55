"""Finding the phrase in which an article says the asked-for fact is not known (hand-written news sentences)."""

from __future__ import annotations

import pytest

from bot.answering.disclosure import NOT_DISCLOSED, asks_disclosure, asks_kind, names, note_text, undisclosed_span

POSITIVE = [
    ("How much the brewer paid for the chain of pubs was not revealed.", "was not revealed"),
    ("Financial terms of the merger were undisclosed.", "were undisclosed"),
    ("The carmaker declined to give a figure for the recall.", "declined to give a figure"),
    ("The winger moved to Lyon for an undisclosed fee last summer.", "undisclosed fee"),
    ("A spokeswoman for the airline would not say how many flights were cancelled.", "would not say"),
    ("No date has been set for the inquest.", "No date has been set"),
    ("A date for the second reading has not yet been set.", "has not yet been set"),
    ("It remains unclear who will chair the new committee.", "remains unclear"),
    ("What caused the pipe to burst is not known.", "is not known"),
    ("The orchestra has yet to name a new conductor.", "has yet to name"),
    ("The venue for next year's final is yet to be decided.", "is yet to be decided"),
    ("The council did not give details of the settlement.", "did not give details"),
    ("Terms of the licensing agreement weren't released.", "weren't released"),
    ("The size of the bonus was kept secret by the board.", "kept secret"),
    ("The retailer refused to comment on the job losses.", "refused to comment"),
    ("It's not clear whether the factory will reopen next year.", "It's not clear"),
    ("The cause of the outage has not been established.", "has not been established"),
    ("No final decision has been taken on the bypass.", "No final decision has been taken"),
    ("The publisher gave no details of the advance.", "gave no details"),
    ("It remains to be seen whether shoppers will return to the high street.", "remains to be seen"),
    ("The price of the tickets has never been made public.", "has never been made public"),
    ("Neither bank disclosed the value of the loan.", "Neither bank disclosed"),
    ("The minister would not be drawn on a timetable for the sale.", "would not be drawn"),
    ("The agency has not been given a budget for the campaign.", "has not been given a budget"),
    ("Nobody knows how many copies were printed.", "Nobody knows"),
    ("The regulator has not announced when the review will end.", "has not announced"),
]

NEGATIVE = [
    "The company revealed profits of $5m.",
    "It was not the first time.",
    "He has not played since March.",
    "She was not known for her patience with reporters.",
    "The goalkeeper was not named in the squad for Saturday.",
    "The hostages were not released until late on Tuesday.",
    "No one was hurt when the roof collapsed.",
    "A source, who declined to be named, said the fee was about £3m.",
    "It was not until April that the price was announced.",
    "The takeover has yet to clear competition regulators.",
    "The midfielder refused to play in the friendly.",
    "It goes without saying that the fans were delighted.",
    "The match was not decided until the penalty shoot-out.",
    "The club was not established until 1889.",
    "The team did not give up hope of a late equaliser.",
    "The shop remains open on Sunday afternoons.",
    "The chief executive was able to confirm the figures on Monday.",
    "The decision was not made lightly, the chairman said.",
]


@pytest.mark.parametrize(("sentence", "phrase"), POSITIVE)
def test_finds_the_shortest_not_known_phrase(sentence: str, phrase: str) -> None:
    span = undisclosed_span(sentence)
    assert span is not None, sentence
    assert sentence[span[0] : span[1]] == phrase
    assert sentence.find(phrase) == span[0]


@pytest.mark.parametrize("sentence", NEGATIVE)
def test_other_negations_and_plain_disclosures_are_not_flagged(sentence: str) -> None:
    span = undisclosed_span(sentence)
    assert span is None, sentence[span[0] : span[1]] if span else None


def test_weak_verbs_need_a_disclosure_noun() -> None:
    assert undisclosed_span("The album was not released in Japan.") is None
    assert undisclosed_span("The release date was not released.") is not None
    assert undisclosed_span("The world record was not set in the final.") is None


def test_span_is_found_inside_a_longer_sentence() -> None:
    sentence = "Shares rose 4% on Friday, although the company, which employs 900 people, did not disclose the price."
    span = undisclosed_span(sentence)
    assert span is not None and sentence[span[0] : span[1]] == "did not disclose"


def test_the_shorter_of_two_phrases_wins() -> None:
    sentence = "The club declined to comment, and the fee was not disclosed."
    span = undisclosed_span(sentence)
    assert span is not None and sentence[span[0] : span[1]] == "was not disclosed"


def test_curly_apostrophes_count_as_contractions() -> None:
    sentence = "The amount wasn’t disclosed."
    span = undisclosed_span(sentence)
    assert span is not None and sentence[span[0] : span[1]] == "wasn’t disclosed"


def test_note_kind_and_text() -> None:
    assert NOT_DISCLOSED == "not_disclosed"
    assert note_text(None) == "The articles report this as not disclosed or not yet known."
    assert note_text("2005-03-02") == "The articles report this as not disclosed or not yet known as of 2005-03-02."


@pytest.mark.parametrize(("question", "asks"), [
    ("Did Huawei say which chips run the model?", True),
    ("Has the club revealed the fee?", True),
    ("Has Huawei confirmed it?", True),
    ("Is it clear exactly what computing resources DeepSeek relied on?", True),  # whether it is known
    ("Is it a clear win for the club?", False),
    ("Did DeepSeek train on H800s?", False),  # a yes/no question about a fact, not about its disclosure
    ("Who said the chips were slower?", False),  # not a yes/no question
])
def test_a_question_may_ask_whether_a_fact_was_made_known(question: str, asks: bool) -> None:
    assert asks_disclosure(question) is asks


@pytest.mark.parametrize(("sentence", "phrase"), [
    ("People will pay £85 for both or an undecided fee for a separate card.", "undecided fee"),
    ("The club paid an unconfirmed sum for the striker.", "unconfirmed sum"),
])
def test_an_undecided_or_unconfirmed_disclosure_noun_is_not_known(sentence: str, phrase: str) -> None:
    span = undisclosed_span(sentence)
    assert span is not None and sentence[span[0] : span[1]] == phrase


def test_murky_specifics_are_not_known() -> None:
    sentence = "While the specifics about the computing power behind R1 are still murky, Huawei's role is clearer."
    span = undisclosed_span(sentence)
    assert span is not None and sentence[span[0] : span[1]].endswith("murky")


def test_undecided_without_a_disclosure_noun_says_nothing_is_unknown() -> None:
    assert undisclosed_span("Undecided voters will choose the next government.") is None


def test_names_tells_whether_the_unknown_thing_is_the_asked_one() -> None:
    sentence = "People will pay £85 for both or an undecided fee for a separate card."
    span = undisclosed_span(sentence)
    assert span is not None
    assert names(sentence, span, "fee") and not names(sentence, span, "price")
    passive = "The fee was not disclosed by either club."
    found = undisclosed_span(passive)
    assert found is not None and names(passive, found, "fee") and not names(passive, found, "date")


def test_an_indirect_question_beside_the_phrase_asks_for_its_kind() -> None:
    """"How much X paid … was not revealed" leaves the amount unknown; "details … remain under wraps" no count."""
    paid = "How much Quester paid for Feedwell was not revealed."
    said = "The firm has not said how many workers the mill will employ."
    wraps = "While details of the mill remain under wraps, the firm says it will employ local people."
    assert asks_kind(paid, undisclosed_span(paid) or (0, 0), "money")
    assert asks_kind(said, undisclosed_span(said) or (0, 0), "count")
    assert not asks_kind(said, undisclosed_span(said) or (0, 0), "date")
    assert not asks_kind(wraps, undisclosed_span(wraps) or (0, 0), "count")
