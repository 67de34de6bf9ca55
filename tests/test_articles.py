"""Reading the corpus: formats, metadata, offsets, and bad files skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.add import convert_html_in_corpus
from index.articles import TITLE_MAX_CHARS, parse_article, scan_corpus
from index.convert import front_matter
from tests.conftest import CORPUS


def test_project_corpus_has_metadata_and_verbatim_bodies() -> None:
    scan = scan_corpus(CORPUS)
    assert not scan.skipped
    assert len(scan.articles) == 5
    by_source = {a.source_file: a for a in scan.articles}
    tweaktown = by_source["001_131d153e4c53daba.txt"]
    assert tweaktown.outlet == "TweakTown"
    assert tweaktown.published == "2025-01-28"
    assert by_source["003_5de292750dcaaf38.txt"].published == "2025-01-30"
    seeds = CORPUS.parent.parent / "shared" / "seeds"
    if seeds.exists():
        for article in scan.articles:
            seed = (seeds / article.source_file).read_text(encoding="utf-8")
            for paragraph in article.body.split("\n"):
                assert paragraph.strip() in seed, f"{article.path}: body line not in the seed"


def test_markdown_front_matter_sets_fields_and_body_offset() -> None:
    text = '---\ntitle: "A title"\noutlet: Wire\npublished: 2025-01-28\n---\n\nBody sentence one.\n'
    article = parse_article(text, "a.md")
    assert (article.title, article.outlet, article.published) == ("A title", "Wire", "2025-01-28")
    assert text[article.body_start :] == "Body sentence one.\n"


def test_txt_title_is_first_line() -> None:
    article = parse_article("\nHeadline here\n\nBody text.\n", "b.txt")
    assert article.title == "Headline here"
    assert article.article_id == "b"


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_bad_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "good.txt", b"Good headline\n\nA real article about chips.\n")
    write(corpus / "empty.txt", b"")
    write(corpus / "blank.md", b"   \n\n")
    write(corpus / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20)
    write(corpus / "latin1.txt", "Caf\xe9 news\n\nPrices in \xa3.\n".encode("latin-1"))
    write(corpus / "huge.txt", b"word " * (1_100_000))
    write(corpus / "zcopy.txt", b"Good headline\n\nA  real article   about chips.\n")
    write(corpus / "notes.pdf", b"%PDF-1.4 not an article")
    write(corpus / "badyaml.md", b"---\ntitle: [unclosed\n---\nBody\n")
    write(corpus / "listtitle.md", b"---\ntitle:\n  - a\n  - b\n---\nBody text\n")
    write(corpus / "baddate.md", b"---\ntitle: T\npublished: yesterday\n---\nBody text\n")
    write(corpus / ".hidden.txt", b"ignored dotfile")
    scan = scan_corpus(corpus)
    assert [a.path for a in scan.articles] == ["good.txt"]
    reasons = {s.path: s.reason for s in scan.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "only whitespace" in reasons["blank.md"]
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "5 MB" in reasons["huge.txt"]
    assert reasons["zcopy.txt"] == "duplicates the text of good.txt"
    assert "unsupported file type '.pdf'" in reasons["notes.pdf"]
    assert "not valid YAML" in reasons["badyaml.md"]
    assert "must be text" in reasons["listtitle.md"]
    assert "must be a date" in reasons["baddate.md"]
    assert ".hidden.txt" not in reasons


def test_symlink_pointing_outside_the_corpus_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    secret = write(tmp_path / "secret.txt", b"Secret\n\nnot for the corpus\n")
    corpus.mkdir()
    (corpus / "link.txt").symlink_to(secret)
    scan = scan_corpus(corpus)
    assert scan.articles == []
    assert scan.skipped[0].reason == "symlink pointing outside the corpus directory"


def test_html_in_corpus_is_converted_and_original_kept(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    html = (
        "<html><head><title>Chip story</title><meta property='og:site_name' content='Example News'>"
        "<meta property='article:published_time' content='2025-02-01'></head><body><nav>Home | World</nav>"
        "<article><h1>Chip story</h1><p>Huawei makes a new accelerator for inference at scale, says a report.</p>"
        "<p>The accelerator is said to compete with the best chips available today.</p></article></body></html>"
    )
    write(corpus / "story.html", html.encode())
    converted, skipped = convert_html_in_corpus(corpus)
    assert skipped == []
    assert [c.path for c in converted] == ["story.md"]
    assert (corpus / ".originals" / "story.html").exists()
    article = scan_corpus(corpus).articles[0]
    assert article.title == "Chip story"
    assert article.outlet == "Example News"
    assert article.published == "2025-02-01"
    assert "Home | World" not in article.body
    assert "new accelerator for inference" in article.body


@pytest.mark.parametrize("name", ["story.md", "story.txt"])
def test_crlf_offsets_follow_read_text(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, b"Title line\r\n\r\nFirst sentence.\r\nSecond sentence.\r\n")
    article = parse_article(path.read_text(encoding="utf-8"), name)
    assert path.read_text(encoding="utf-8")[article.body_start :].startswith("Title line\n")


def test_front_matter_keeps_a_long_url_whole_and_caps_the_title() -> None:
    url = "https://example.com/news/" + "a" * 400
    text = front_matter({"title": "T" * 500, "url": url}) + "Body.\n"
    article = parse_article(text, "long.md")
    assert article.url == url
    assert article.title == "T" * TITLE_MAX_CHARS
