"""The note rules as pure functions over hand-made evidence."""

from __future__ import annotations

from bot.answering.notes import (
    Evidence,
    amounts,
    conflict,
    derive_notes,
    origins,
    same_origin,
    shared_origin,
    unverified,
)


def ev(n: int, article: str, quote: str, context: str = "", published: str | None = None) -> Evidence:
    return Evidence(n, article, f"Title {article}", published, quote, context or quote)


def test_amounts_normalise_and_find_their_measure() -> None:
    (a,) = amounts("the total cost taking just $6 million (roughly Rs. 51.9 crores)")
    assert (a.value, a.currency, a.context) == (6e6, "USD", frozenset({"cost"}))
    assert amounts("raising approximately 50 billion yuan (around 7.4 billion dollars)")[0].context == {"rais"}


def test_conflict_needs_different_articles_and_the_same_measure() -> None:
    same_article = [ev(1, "a", "It cost $5 million."), ev(2, "a", "It cost $6 million.")]
    assert conflict(same_article) is None
    different_measure = [ev(1, "a", "The cost was $5 million."), ev(2, "b", "It raised $6 million in funding.")]
    assert conflict(different_measure) is None
    note = conflict([ev(1, "a", "The cost was $5 million."), ev(2, "b", "The total cost was $6 million.")])
    assert note is not None and note.citations == (1, 2) and "$5 million [1] vs $6 million [2]" in note.text


def test_model_name_variants_conflict_but_units_do_not() -> None:
    note = conflict([ev(1, "a", "It uses the Ascend 910C."), ev(2, "b", "It uses the Ascend 910x.")])
    assert note is not None and "“910C” [1] vs “910x” [2]" in note.text
    assert conflict([ev(1, "a", "He reviewed 100s of cards."), ev(2, "b", "A 100m sprint.")]) is None


def test_hedges_mark_quotes_unverified() -> None:
    note = unverified([ev(1, "a", "The chip is reportedly fast."), ev(2, "b", "The chip is fast."),
                       ev(3, "c", "A tipster claimed it runs on 910C.")])
    assert note is not None and note.citations == (1, 3)


def test_handle_and_name_are_the_same_origin() -> None:
    assert same_origin("@dorialexander", "alexander doria")
    assert not same_origin("@dorialexander", "jensen huang")
    assert origins("In a new post on X from Alexander Doria, we learn") == {"alexander doria"}
    assert origins("According to tech influencer @dorialexander on Twitter") >= {"@dorialexander"}


def test_shared_origin_spans_articles() -> None:
    evidence = [
        ev(1, "a", "It runs on 910C.", "According to tech influencer @dorialexander on Twitter, it runs on 910C."),
        ev(2, "b", "It is reportedly on 910C.", "In a new post on X from Alexander Doria, we learn it is on 910C."),
        ev(3, "c", "Prices are low.", "Prices are low, says the company."),
    ]
    note = shared_origin(evidence)
    assert note is not None and note.citations == (1, 2)


def test_single_source_and_dated() -> None:
    kinds = {n.kind: n for n in derive_notes([ev(1, "a", "A fact.", published="2025-01-28"),
                                              ev(2, "a", "Another fact.", published="2025-01-28")])}
    assert set(kinds) == {"single_source", "dated"}
    assert "As of 2025-01-28" in kinds["dated"].text


def test_conflicts_off_the_question_are_not_reported() -> None:
    chips = [ev(1, "a", "It runs on Ascend 910C chips."), ev(2, "b", "It runs on Ascend 910x chips.")]
    assert conflict(chips, focus=frozenset({"chip", "infer"})) is not None
    assert conflict(chips, focus=frozenset({"cost", "model"})) is None
    assert conflict(chips, focus=frozenset({"chip", "infer"}), names=False) is None  # a question not asking which
    costs = [ev(1, "a", "The cost was $5 million."), ev(2, "b", "The total cost was $6 million.")]
    assert conflict(costs, focus=frozenset({"cost", "report"})) is not None
    assert conflict(costs, focus=frozenset({"cost", "report"}), names=False) is not None  # amounts still disagree
    assert conflict(costs, focus=frozenset({"industri", "mean"})) is None


def test_a_social_media_post_is_unverified() -> None:
    """A claim attributed to a post, or the embedded post itself (its byline under it), rests on the poster alone."""
    byline = "— Alexander Doria (@Dorialexander) January 28, 2025"
    embedded = "I feel this should be a much bigger story: it runs on the 910C."
    note = unverified([
        ev(1, "a", "In a new post on X from Alexander Doria, we're finding out that R1 was trained on H800s."),
        ev(2, "b", embedded, f"Intro line.\n{embedded} pic.twitter.com/6IAgQlQ3ou\n{byline}\nNext paragraph."),
        ev(3, "c", "He took the post by May.", f"{byline}\nHe took the post by May."),
        ev(4, "d", "Model X was launched in May.", "Model X was launched in May."),
    ])
    assert note is not None and note.citations == (1, 2)
    assert "“post on X”" in note.text and "“a post by @Dorialexander”" in note.text
