"""Wire copies: one agency story run by several outlets is one cluster, one origin, one source."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.answering.notes import Evidence, derive_notes, shared_origin, wire_copies
from index import wire
from index.handle import NewsIndex
from index.manifest import ArticleEntry, Manifest
from tests.conftest import make_index

STORY = """Dockworkers at the port of Rotterdam walked off the job on Tuesday in a dispute over automation, halting \
container traffic at Europe's largest port for at least 48 hours, the FNV union said.

The union said about 4,000 workers joined the strike after talks with terminal operators broke down late on Monday. \
Operators want to bring in remote-controlled cranes at two terminals by 2027, a plan the union says would cut 800 jobs.

"We are not against new technology, but we will not accept that it is used to throw people out of work," union \
negotiator Marieke van Dijk told reporters outside the Maasvlakte terminal.

The port authority said 37 container ships were waiting to berth and that it expected delays to spread to Antwerp \
and Hamburg if the strike lasted into the weekend. Shipping group Maersk said it was diverting two vessels to \
Bremerhaven.

The Dutch employers' association VNO-NCW called the walkout irresponsible and urged both sides to return to \
mediation. Terminal operator ECT said it had offered job guarantees until 2030 and retraining for every worker \
affected.

Rotterdam handled 13.4 million containers last year, about a third more than Antwerp-Bruges, its nearest rival.
"""

# Four outlets run the agency story, each lightly edited the way copy desks do.
EDITS: dict[str, list[tuple[str, str]]] = {
    "courier": [],
    "harbour-times": [  # trims the last paragraph, shortens an attribution
        ("Rotterdam handled 13.4 million containers last year, about a third more than Antwerp-Bruges, its nearest "
         "rival.\n", ""),
        ("told reporters outside the Maasvlakte terminal", "said"),
        ("on Tuesday in", "on Tuesday morning in"),
    ],
    "gazette": [  # a new opening line, a few words changed
        ("Dockworkers at the port", "Europe's biggest port ground to a halt on Tuesday.\n\nDockworkers at the port"),
        ("for at least 48 hours", "for two days"),
        ("Shipping group Maersk", "Danish shipping giant Maersk"),
    ],
    "metro-wire": [  # rewrites the first sentence, drops the employers' paragraph
        ("Dockworkers at the port of Rotterdam walked off the job on Tuesday in a dispute over automation, halting "
         "container traffic at Europe's largest port for at least 48 hours, the FNV union said.",
         "Thousands of Rotterdam dockworkers went on strike on Tuesday over automation, stopping container traffic "
         "at Europe's largest port for at least 48 hours, according to the FNV union."),
        ("The Dutch employers' association VNO-NCW called the walkout irresponsible and urged both sides to return "
         "to mediation. Terminal operator ECT said it had offered job guarantees until 2030 and retraining for every "
         "worker affected.\n\n", ""),
    ],
}

# Same topic, different stories: they share a quote and a background paragraph with the wire story.
ANALYSIS = """Robot cranes have been coming to Europe's ports for two decades, and the walkout in Rotterdam shows how \
hard the last step is. At the Maasvlakte terminals, most stacking is already automated; what remains is the work of \
loading ships, where operators say remote control from an office would be safer and cheaper.

"We are not against new technology, but we will not accept that it is used to throw people out of work," union \
negotiator Marieke van Dijk told reporters outside the Maasvlakte terminal.

Economists at Erasmus University estimate that full remote operation would remove about one job in five on the \
quay, though new roles in maintenance and control rooms would absorb some of those workers. Hamburg and Antwerp \
are watching closely: their own unions have signed deals that link automation to guaranteed employment, and both \
ports expect to face the same choice within five years.
"""

FOLLOW_UP = """The strike at the port of Rotterdam ended on Thursday after the FNV union and terminal operators \
agreed to a deal brokered by a government mediator, the union said.

Under the agreement, remote-controlled cranes will be introduced at one terminal in 2027 rather than two, and no \
worker will be dismissed before 2032. Members will vote on the deal next week.

Rotterdam handled 13.4 million containers last year, about a third more than Antwerp-Bruges, its nearest rival.

The port authority said the backlog of 52 waiting ships would take about a week to clear.
"""


def copy_of(outlet: str) -> str:
    """The wire story as one outlet ran it."""
    text = STORY
    for old, new in EDITS[outlet]:
        assert old in text, old
        text = text.replace(old, new)
    return text


def write_article(corpus: Path, name: str, body: str, outlet: str = "Wire") -> None:
    """A corpus .md file with front matter, as newsdesk reads it."""
    corpus.mkdir(parents=True, exist_ok=True)
    front = f"---\ntitle: Rotterdam dockworkers strike ({name})\noutlet: {outlet}\npublished: 2025-03-04\n---\n\n"
    (corpus / f"{name}.md").write_text(front + body, encoding="utf-8")


def write_corpus(corpus: Path) -> None:
    """Four outlets' copies of the wire story plus two different stories on the same strike."""
    for outlet in EDITS:
        write_article(corpus, outlet, copy_of(outlet), outlet.replace("-", " ").title())
    write_article(corpus, "analysis", ANALYSIS)
    write_article(corpus, "follow-up", FOLLOW_UP)


def origins(index: NewsIndex) -> dict[str, str | None]:
    """Each indexed article's recorded origin."""
    manifest = index.manifests.load()
    assert manifest is not None
    return {article_id: entry.origin for article_id, entry in manifest.articles.items()}


# --- the clustering function, on texts -----------------------------------------------------------------------


def test_light_edits_stay_above_the_threshold_and_other_stories_below() -> None:
    sketches = {name: wire.sketch(copy_of(name)) for name in EDITS}
    for name, sketch in sketches.items():
        assert wire.jaccard(sketches["courier"].hashes, sketch.hashes) >= wire.THRESHOLD, name
    for other in (ANALYSIS, FOLLOW_UP):
        assert wire.jaccard(sketches["courier"].hashes, wire.sketch(other).hashes) < 0.25


def test_one_story_from_four_outlets_is_one_cluster() -> None:
    texts = {name: copy_of(name) for name in EDITS} | {"analysis": ANALYSIS, "follow-up": FOLLOW_UP}
    assert wire.find_clusters(texts) == [sorted(EDITS)]


def test_shingles_fold_case_punctuation_and_short_texts() -> None:
    assert wire.jaccard(wire.shingles("The Cat, sat on the mat!"), wire.shingles("the cat sat on THE mat")) == 1.0
    assert len(wire.shingles("Too short")) == 1 and len(wire.shingles("")) == 0
    assert wire.find_clusters({"a": "", "b": "", "c": "one two"}) == []


def test_chains_join_and_ids_do_not_depend_on_order() -> None:
    clusters = wire.find_clusters({"z": copy_of("gazette"), "b": copy_of("courier"), "m": copy_of("metro-wire")})
    assert clusters == [["b", "m", "z"]]
    assert wire.origin_ids(clusters) == {"b": "b", "m": "b", "z": "b"}


def entry(article_id: str, version: str) -> ArticleEntry:
    """A manifest entry with only the fields the sketch cache reads."""
    return ArticleEntry(article_id, f"{article_id}.md", version, "Title", None, None, None, None, [])


def test_sketch_cache_reuses_unchanged_versions_and_forgets_old_ones() -> None:
    cache = wire.SketchCache()
    first = cache.sketches(Manifest(articles={"a": entry("a", "v1")}), {"a": STORY})["a"]
    assert cache.sketches(Manifest(articles={"a": entry("a", "v1")}), {"a": "ignored"})["a"] is first
    second = cache.sketches(Manifest(articles={"a": entry("a", "v2")}), {"a": ANALYSIS})["a"]
    assert second is not first and list(cache.by_version) == ["v2"]


# --- notes over hand-made evidence -----------------------------------------------------------------------------


def ev(n: int, article: str, quote: str, origin: str | None = None, context: str = "") -> Evidence:
    """Evidence for one citation, optionally in a wire cluster."""
    return Evidence(n, article, f"Title {article}", "2025-03-04", quote, context or quote, origin)


def test_four_wire_copies_give_one_shared_origin_note() -> None:
    quote = "About 4,000 workers joined the strike."
    evidence = [ev(i, name, quote, origin="courier") for i, name in enumerate(EDITS, 1)]
    evidence.append(ev(5, "analysis", "Robot cranes have been coming for two decades."))
    notes = [n for n in derive_notes(evidence) if n.kind == "shared_origin"]
    assert len(notes) == 1 and notes[0].citations == (1, 2, 3, 4)
    assert "copies of one story" in notes[0].text and "4 articles" in notes[0].text


def test_copies_in_one_article_or_different_clusters_are_not_noted() -> None:
    assert wire_copies([ev(1, "a", "x", origin="a"), ev(2, "a", "y", origin="a")]) == []
    assert wire_copies([ev(1, "a", "x", origin="a"), ev(2, "b", "y", origin="b"), ev(3, "c", "z")]) == []
    assert wire_copies([ev(1, "a", "x"), ev(2, "b", "y")]) == []


def test_attribution_counts_a_wire_cluster_as_one_article() -> None:
    says = "According to analyst Jan Smit, the strike will last a week."
    copies = [ev(1, "a", "It lasts a week.", "a", says), ev(2, "b", "It lasts a week.", "a", says)]
    assert shared_origin(copies) is None  # one story, so no second outlet repeats the analyst
    note = shared_origin([*copies, ev(3, "c", "A week.", None, says)])
    assert note is not None and note.citations == (1, 2, 3) and "3 articles" in note.text


# --- a real index ----------------------------------------------------------------------------------------------


@pytest.fixture
def wire_index(tmp_path: Path) -> NewsIndex:
    """A real index of the four copies and the two different stories."""
    write_corpus(tmp_path / "wire-corpus")
    index = make_index(tmp_path / "wire-corpus", tmp_path / "wire-data")
    index.reindex()
    return index


def test_index_records_one_cluster_and_search_carries_it(wire_index: NewsIndex) -> None:
    assert origins(wire_index) == {name: "courier" for name in EDITS} | {"analysis": None, "follow-up": None}
    assert wire_index.status().wire_clusters == 1 and wire_index.status().to_json()["wire_clusters"] == 1
    passages = wire_index.search("How many workers joined the Rotterdam strike?", k=10)
    assert passages and all(p.origin == ("courier" if p.article_id in EDITS else None) for p in passages)
    generation = wire_index.status().generation
    assert wire_index.reindex().added == 0 and wire_index.status().generation == generation  # no needless commit


def test_incremental_reindex_keeps_clusters_right(wire_index: NewsIndex) -> None:
    corpus = wire_index.config.corpus_dir
    write_article(corpus, "another", copy_of("gazette").replace("Tuesday", "Tuesday, March 4"))
    wire_index.reindex()
    assert origins(wire_index)["another"] == "another" == origins(wire_index)["courier"]  # smallest id names it
    (corpus / "another.md").unlink()
    write_article(corpus, "courier", "Correction: an earlier version of this page misstated how many ships were "
                  "waiting to berth in Rotterdam. The Courier has withdrawn the article.")
    wire_index.reindex()
    assert origins(wire_index) == {"gazette": "gazette", "harbour-times": "gazette", "metro-wire": "gazette",
                                   "courier": None, "analysis": None, "follow-up": None}
    for name in ("gazette", "harbour-times"):
        (corpus / f"{name}.md").unlink()
    wire_index.reindex()
    assert set(origins(wire_index).values()) == {None} and wire_index.status().wire_clusters == 0


def test_manifest_without_wire_fields_loads_and_is_clustered_on_next_run(wire_index: NewsIndex) -> None:
    data = wire_index.config.data_dir
    generation = wire_index.status().generation
    path = data / f"manifest-{generation}.json"
    raw = json.loads(path.read_bytes())
    raw.pop("wire")
    for entry in raw["articles"].values():
        entry.pop("origin")
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert wire_index.status().wire_clusters is None and set(origins(wire_index).values()) == {None}
    report = wire_index.reindex()
    assert report.added == report.updated == 0 and wire_index.status().generation == generation + 1
    assert wire_index.status().wire_clusters == 1


def test_status_line_names_the_cluster_count(wire_index: NewsIndex) -> None:
    from rich.console import Console

    from bot.render import status_renderable

    console = Console(width=200, record=True)
    console.print(status_renderable(wire_index.status()))
    line = next(line for line in console.export_text().splitlines() if line.strip().startswith("wire copies"))
    assert line.split() == "wire copies 1 cluster of near-identical articles".split()


def test_candidate_pairs_are_the_pairs_that_share_a_band() -> None:
    """The LSH step finds exactly the pairs equal in every row of some band, checked pair by pair."""
    rng = np.random.default_rng(7)
    signatures = [rng.integers(0, 3, wire.BANDS * wire.ROWS).astype(np.uint64) for _ in range(60)]
    signatures += [signatures[4].copy(), signatures[9].copy()]  # whole copies share every band

    def share_a_band(a: np.ndarray, b: np.ndarray) -> bool:
        rows = wire.ROWS
        return any(np.array_equal(a[i * rows : (i + 1) * rows], b[i * rows : (i + 1) * rows])
                   for i in range(wire.BANDS))

    expected = {(a, b) for a in range(len(signatures)) for b in range(a + 1, len(signatures))
                if share_a_band(signatures[a], signatures[b])}
    assert (4, 60) in expected and (9, 61) in expected
    assert wire.candidate_pairs(signatures) == expected
    assert wire.candidate_pairs([]) == set()
    assert wire.candidate_pairs(signatures[:1]) == set()
