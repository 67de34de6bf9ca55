"""The name model: is a name a person's, a place's or an organisation's (the packaged weights, no fixtures)."""

from __future__ import annotations

import pytest

from bot.answering import entity_kind


@pytest.mark.parametrize(("name", "kind"), [
    ("Jose Mourinho", "person"), ("Lakshmi Mittal", "person"), ("Charles Kennedy", "person"),
    ("Kazakhstan", "place"), ("Guantanamo Bay", "place"), ("Knowsley Road", "place"),
    ("Microsoft", "organisation"), ("South China Morning Post", "organisation"), ("BBC News", "organisation"),
])
def test_names_of_each_kind_are_told_apart(name: str, kind: str) -> None:
    assert entity_kind.likeliest(name) == kind


def test_probabilities_are_a_distribution_over_the_three_kinds() -> None:
    found = entity_kind.probabilities("Inner Mongolia Yili Industrial")
    assert found is not None and set(found) == set(entity_kind.KINDS)
    assert sum(found.values()) == pytest.approx(1.0, abs=1e-5)


def test_features_are_stable_hashes_of_the_name_alone() -> None:
    """Training and run time must hash alike: crc32, not Python's per-process hash()."""
    assert entity_kind.features("Tony Blair") == entity_kind.features("Tony Blair")
    assert all(0 <= f < entity_kind.DIMENSIONS for f in entity_kind.features("Tony Blair"))
    assert entity_kind.features("Tony Blair") != entity_kind.features("Tony Blairs")
