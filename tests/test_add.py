"""`add`: files become UTF-8 Markdown articles in the corpus; unsafe names and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.add import add_article, add_files, safe_name
from index.articles import UnreadableArticle, scan_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus"
    path.mkdir()
    return path


def test_txt_becomes_markdown_with_front_matter(corpus: Path) -> None:
    added = add_article(corpus, "Big News.txt", b"Big news today\n\nSomething happened in Shenzhen.\n")
    assert added.path == "big-news.md"
    article = scan_corpus(corpus).articles[0]
    assert article.title == "Big news today"
    assert article.source_file == "Big News.txt"
    assert "Something happened in Shenzhen." in article.body


def test_non_utf8_file_is_converted_to_utf8(corpus: Path) -> None:
    raw = "Café prices\n\nThe café charged £5 for a coffee in Zürich, according to the menu.\n".encode("cp1252")
    add_article(corpus, "cafe.txt", raw)
    text = (corpus / "cafe.md").read_text(encoding="utf-8")
    assert "£5" in text and "Zürich" in text


def test_html_is_extracted(corpus: Path) -> None:
    paragraph = b"Real article text here. " * 5
    html = b"<html><head><title>T</title></head><body><article><p>" + paragraph + b"</p></article></body></html>"
    add_article(corpus, "page.html", html)
    assert "Real article text here." in (corpus / "page.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd.txt", "..\\evil.txt", ".hidden.md", "a/../../b.txt", ""]
)
def test_names_that_could_escape_are_refused(name: str) -> None:
    with pytest.raises(UnreadableArticle, match="refusing file name"):
        safe_name(name)


def test_add_files_refuses_bad_inputs_and_keeps_going(corpus: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Headline\n\nGood text.\n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (5 * 1024 * 1024 + 10))
    outside = tmp_path / "outside.txt"
    outside.write_text("Secret\n\nsecret\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0\n", encoding="utf-8")
    added, refused = add_files(corpus, [good, binary, big, link, passwd, tmp_path / "missing.txt"])
    assert [a.path for a in added] == ["good.md"]
    reasons = {Path(s.path).name: s.reason for s in refused}
    assert "binary" in reasons["image.txt"]
    assert "5 MB" in reasons["big.txt"]
    assert "symlink" in reasons["link.txt"]
    assert "unsupported file type" in reasons["passwd"]
    assert "no such file" in reasons["missing.txt"]
    assert sorted(p.name for p in corpus.iterdir()) == ["good.md"]


def test_existing_article_is_not_clobbered_without_replace(corpus: Path) -> None:
    add_article(corpus, "story.txt", b"Story\n\nFirst version.\n")
    assert add_article(corpus, "story.txt", b"Story\n\nFirst version.\n").status == "unchanged"
    with pytest.raises(UnreadableArticle, match="--replace"):
        add_article(corpus, "story.txt", b"Story\n\nSecond version.\n")
    assert "First version." in (corpus / "story.md").read_text(encoding="utf-8")
    assert add_article(corpus, "story.txt", b"Story\n\nSecond version.\n", replace=True).status == "replaced"
    assert "Second version." in (corpus / "story.md").read_text(encoding="utf-8")
