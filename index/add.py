"""Bring new article files into the corpus folder safely, as UTF-8 Markdown."""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index.articles import HTML_SUFFIXES, Skipped, UnreadableArticle, is_inside, parse_article
from index.atomic import write_atomic
from index.convert import to_markdown
from index.errors import NewsdeskError

ORIGINALS_DIR = ".originals"


@dataclass(frozen=True)
class Added:
    """A file that now lives in the corpus, and whether its text changed anything."""

    source: str
    path: str
    status: str  # "new", "replaced" or "unchanged"


def safe_name(name: str) -> str:
    """Refuse a file name that could point outside the corpus: separators, '..', absolute, hidden."""
    bad = (
        not name
        or name.startswith((".", "~"))
        or "/" in name
        or "\\" in name
        or ".." in name
        or any(unicodedata.category(ch).startswith("C") for ch in name)
    )
    if bad:
        raise UnreadableArticle(f"refusing file name {name[:80]!r}: it could point outside the corpus")
    return name


def slugify(stem: str) -> str:
    """A lowercase ASCII file stem made of letters, digits and dashes."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-")
    return slug[:80].strip("-") or "article"


def target_path(corpus_dir: Path, name: str) -> Path:
    """Where an added file goes: <slug>.md directly inside the corpus folder."""
    target = corpus_dir / f"{slugify(Path(safe_name(name)).stem)}.md"
    if target.is_symlink() or not is_inside(target.resolve().parent, corpus_dir.resolve()):
        raise UnreadableArticle(f"refusing to write {target.name}: it would leave the corpus folder")
    return target


def add_article(corpus_dir: Path, name: str, raw: bytes, replace: bool = False) -> Added:
    """Convert one article's bytes to Markdown and write it into the corpus; never clobber silently."""
    if not corpus_dir.is_dir():
        raise NewsdeskError(f"corpus directory {corpus_dir} does not exist; create it first")
    target = target_path(corpus_dir, name)
    return place_markdown(target, name, to_markdown(raw, name), replace)


def place_markdown(target: Path, source: str, markdown: str, replace: bool = False) -> Added:
    """Write a ready Markdown article at target: the same text is a no-op, different text needs replace."""
    parse_article(markdown, target.name)
    status = "new"
    if target.exists():
        if target.read_text(encoding="utf-8", errors="replace") == markdown:
            return Added(source, target.name, "unchanged")
        if not replace:
            raise UnreadableArticle(
                f"the corpus already has a different {target.name}; add it again with replace "
                "(`newsdesk add --replace`, or `/add replace:True`) to overwrite it"
            )
        status = "replaced"
    write_atomic(target, markdown.encode("utf-8"))
    return Added(source, target.name, status)


def add_files(corpus_dir: Path, paths: list[Path], replace: bool = False) -> tuple[list[Added], list[Skipped]]:
    """Add each file; a bad one is skipped with its reason and the rest still go in."""
    added: list[Added] = []
    skipped: list[Skipped] = []
    for path in paths:
        try:
            if path.is_symlink():
                raise UnreadableArticle("is a symlink; pass the real file")
            if not path.is_file():
                raise UnreadableArticle("no such file")
            added.append(add_article(corpus_dir, path.name, read_limited(path), replace))
        except UnreadableArticle as exc:
            skipped.append(Skipped(str(path), str(exc)))
    return added, skipped


def read_limited(path: Path) -> bytes:
    """Read at most 5 MB + 1 byte, so a huge file is refused without loading it all."""
    from index.articles import MAX_BYTES

    with path.open("rb") as handle:
        return handle.read(MAX_BYTES + 1)


def convert_html_in_corpus(corpus_dir: Path) -> tuple[list[Added], list[Skipped]]:
    """Turn HTML files dropped into the corpus into .md articles; keep originals in .originals/."""
    added: list[Added] = []
    skipped: list[Skipped] = []
    for path in sorted(p for p in corpus_dir.rglob("*") if p.suffix.lower() in HTML_SUFFIXES):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        try:
            added.append(convert_one_html(corpus_dir, path))
        except UnreadableArticle as exc:
            skipped.append(Skipped(rel.as_posix(), str(exc)))
    return added, skipped


def convert_one_html(corpus_dir: Path, path: Path) -> Added:
    """Convert one HTML file in place, then move the original aside so it is not read twice."""
    if path.is_symlink():
        raise UnreadableArticle("symlinks are not read; copy the file into the corpus")
    target = path.with_suffix(".md")
    if target.exists():
        raise UnreadableArticle(f"{target.name} already exists; remove one of the two")
    markdown = to_markdown(read_limited(path), path.name)
    parse_article(markdown, target.name)
    write_atomic(target, markdown.encode("utf-8"))
    aside = corpus_dir / ORIGINALS_DIR / path.relative_to(corpus_dir)
    aside.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, aside)
    return Added(path.relative_to(corpus_dir).as_posix(), target.relative_to(corpus_dir).as_posix(), "new")
