"""Load the Arabic news corpus (JSON Lines) into the page tree.

Format: one JSON object per line with ``id``, ``title``, ``body`` (paragraphs
separated by blank lines), ``section``, ``date`` (ISO 8601), ``source``,
``url``, ``summary`` and ``author`` (see ``shared/data/arabic-news/README.md``).

The loader streams (memory does not grow with the file), is idempotent (keyed
by the record ``id`` stored in ``ArticlePage.external_id``), writes each
article all-or-nothing, and reports every rejected line with its number and
reason while loading the rest.
"""

import json
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from pathlib import Path

from django.db import transaction
from django.utils.encoding import iri_to_uri

from akhbar.news.models import ArticleAuthor, ArticlePage, Author, SectionPage
from akhbar.news.newsroom import SectionSpec, ensure_home, ensure_section
from akhbar.news.slugs import make_slug, with_suffix

from .bylines import parse_credit

FALLBACK_SECTION_LABEL = "misc"
#: How the corpus's outlets are named on an Arabic page.
OUTLET_NAMES_AR = {
    "Al Arabiya": "العربية",
    "BBC Arabic": "بي بي سي عربي",
    "CNN Arabic": "سي إن إن بالعربية",
    "France 24 Arabic": "فرانس 24",
    "Sky News Arabia": "سكاي نيوز عربية",
}
MAX_TAGS = 5
_HASHTAG = re.compile(r"#([\w\u0600-\u06ff]{2,60})")
_RULE = re.compile(r"^[-_=*~]{3,}$")


class RecordError(ValueError):
    """A corpus line that cannot become an article; ``str(err)`` is the reason."""


@dataclass
class CorpusRecord:
    """A validated corpus record; ``paragraphs`` is the body split on blank lines."""

    id: str
    title: str
    paragraphs: list[str]
    section: str
    date: datetime
    source: str
    url: str
    summary: str
    author: str


@dataclass
class LoadReport:
    """Counts of a load. ``rejected`` holds ``(file, line, reason)`` tuples."""

    created: int = 0
    existing: int = 0
    rejected: list[tuple[str, int, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def _text(value, name: str, required: bool = True) -> str:
    if value is None:
        if required:
            raise RecordError(f"missing {name}")
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{name} is not a string")
    value = unicodedata.normalize("NFC", value).replace("\x00", "").strip()
    if required and not value:
        raise RecordError(f"empty {name}")
    return value


def parse_line(line: str) -> CorpusRecord:
    """Parse and validate one JSON line. Raises :class:`RecordError` with the reason."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise RecordError("not a JSON object")
    record_id = _text(data.get("id"), "id")
    if len(record_id) > 200:
        raise RecordError("id longer than 200 characters")
    title = _text(data.get("title"), "title")
    body = _text(data.get("body"), "body")
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", body)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise RecordError("empty body")
    raw_date = _text(data.get("date"), "date")
    try:
        date = datetime.fromisoformat(raw_date.replace("Z", "+00:00"))
    except ValueError:
        raise RecordError(f"date {raw_date[:40]!r} is not ISO 8601") from None
    if date.tzinfo is None:
        raise RecordError(f"date {raw_date[:40]!r} has no UTC offset")
    url = _text(data.get("url"), "url", required=False)
    if url and not re.match(r"^https?://", url):
        raise RecordError("url is not http(s)")
    return CorpusRecord(
        id=record_id,
        title=title[:255],
        paragraphs=paragraphs,
        section=_text(data.get("section"), "section", required=False) or FALLBACK_SECTION_LABEL,
        date=date,
        source=_text(data.get("source"), "source", required=False),
        url=iri_to_uri(url)[:2000] if url else "",
        summary=" ".join(_text(data.get("summary"), "summary", required=False).split()),
        author=_text(data.get("author"), "author", required=False),
    )


def iter_lines(paths: Iterable[Path]) -> Iterator[tuple[str, int, str]]:
    """Yield ``(file name, line number, line)`` for every non-blank line, streaming.

    A directory stands for its ``*.jsonl`` files in name order. Undecodable
    bytes are replaced (and then fail JSON parsing with a clear reason).
    """
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            with open(file, encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, start=1):
                    if line.strip():
                        yield file.name, number, line


def split_standfirst(record: CorpusRecord) -> tuple[str, list[str]]:
    """Choose the standfirst and the body paragraphs.

    The corpus ``summary`` is a written standfirst for some outlets and a copy
    of the first paragraph for others; a copy is moved out of the body rather
    than shown twice.
    """
    paragraphs = list(record.paragraphs)
    summary = record.summary
    first = paragraphs[0]
    key = lambda s: re.sub(r"[\W_]+", "", s)  # noqa: E731
    is_copy = not summary or key(first).startswith(key(summary)[: max(20, len(key(summary)) - 5)])
    if not is_copy:
        return summary, paragraphs
    if len(paragraphs) > 1:
        return first, paragraphs[1:]
    sentence = re.split(r"(?<=[.!؟?])\s", first, maxsplit=1)[0]
    if len(sentence) > 300:
        sentence = sentence[:300].rsplit(" ", 1)[0] + "…"
    return sentence, paragraphs


def body_blocks(paragraphs: list[str]) -> list[dict]:
    """Plain-text paragraphs → StreamField data (paragraph and separator blocks)."""
    blocks = []
    for text in paragraphs:
        if _RULE.match(text):
            blocks.append({"type": "separator", "value": None})
        else:
            blocks.append({"type": "paragraph", "value": f"<p>{escape(text, quote=False)}</p>"})
    return blocks


def hashtags(paragraphs: list[str]) -> list[str]:
    """Up to ``MAX_TAGS`` distinct hashtags of the body, ``_`` read as a space."""
    seen: list[str] = []
    for paragraph in paragraphs:
        for match in _HASHTAG.finditer(paragraph):
            name = match.group(1).replace("_", " ").strip()
            if name and not name.isdigit() and name not in seen:
                seen.append(name)
                if len(seen) == MAX_TAGS:
                    return seen
    return seen


class CorpusLoader:
    """Creates ``ArticlePage``s from corpus records; see :func:`load_corpus`."""

    def __init__(self):
        self.home = ensure_home()
        self.sections: dict[str, SectionPage] = {}
        for section in SectionPage.objects.child_of(self.home):
            for label in filter(None, (x.strip() for x in section.corpus_labels.split(","))):
                self.sections.setdefault(label.lower(), section)
        self.authors: dict[str, Author] = {}

    def section_for(self, label: str) -> SectionPage:
        """The section a corpus label maps to; an unknown label gets a new section."""
        key = label.strip().lower()
        if key not in self.sections:
            title = label.strip()[:100]
            slug = make_slug(title) or "section"
            spec = SectionSpec(title=title, slug=slug, name_en=title, corpus_labels=key, sort_order=200)
            self.sections[key] = ensure_section(self.home, spec)
        return self.sections[key]

    def author_for(self, name: str) -> Author:
        if name not in self.authors:
            author = Author.objects.filter(name=name).first()
            if author is None:
                author = Author.objects.create(name=name[:255])
            self.authors[name] = author
        return self.authors[name]

    def unique_slug(self, section: SectionPage, title: str, record_id: str) -> str:
        base = make_slug(title) or make_slug(record_id) or "story"
        slug, n = base, 1
        siblings = ArticlePage.objects.filter(path__startswith=section.path, depth=section.depth + 1)
        while siblings.filter(slug=slug).exists():
            n += 1
            slug = with_suffix(base, n)
        return slug

    @transaction.atomic
    def create(self, record: CorpusRecord) -> ArticlePage:
        """Write one article (all-or-nothing) and return it."""
        section = self.section_for(record.section)
        section.refresh_from_db(fields=["path", "numchild", "depth"])
        credit = parse_credit(record.author)
        standfirst, paragraphs = split_standfirst(record)
        page = ArticlePage(
            title=record.title,
            slug=self.unique_slug(section, record.title, record.id),
            standfirst=standfirst,
            body=body_blocks(paragraphs),
            dateline=credit.dateline[:255],
            byline=(credit.byline or ("" if credit.reporters else OUTLET_NAMES_AR.get(record.source, record.source)))[:255],
            source_kind=ArticlePage.SOURCE_SYNDICATED if record.url else ArticlePage.SOURCE_STAFF,
            source_name=OUTLET_NAMES_AR.get(record.source, record.source or ""),
            source_url=record.url,
            external_id=record.id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=record.date,
            last_published_at=record.date,
            published_at=record.date,
            updated_at=record.date,
        )
        if page.source_kind != ArticlePage.SOURCE_STAFF and not page.source_name:
            page.source_name = re.sub(r"^https?://(www\.)?", "", record.url).split("/")[0]
        tags = hashtags(record.paragraphs)
        if tags:
            page.tags.add(*tags)  # ClusterTaggableManager: written with the page
        section.add_child(instance=page)
        for order, name in enumerate(credit.reporters):
            ArticleAuthor.objects.create(page=page, author=self.author_for(name), sort_order=order)
        return page


def load_corpus(paths: Iterable[Path], limit: int | None = None, progress=None, on_reject=None, batch_size: int = 200) -> LoadReport:
    """Load corpus records from ``paths``; returns a :class:`LoadReport`.

    ``limit`` caps the number of non-blank lines read (so a limited load is
    the same set of records every time); ``progress`` is called with the
    number of lines read so far; ``on_reject(file, line, reason)`` is called
    for each rejected line. Records whose ``id`` is already loaded are
    counted as ``existing`` and left untouched.
    """
    report = LoadReport()
    started = time.monotonic()
    loader = CorpusLoader()
    seen_ids: set[str] = set()

    def flush(batch):
        ids = [record.id for _, _, record in batch]
        already = set(ArticlePage.objects.filter(external_id__in=ids).values_list("external_id", flat=True))
        for file, number, record in batch:
            if record.id in already or record.id in seen_ids:
                report.existing += 1
                continue
            try:
                loader.create(record)
            except Exception as exc:  # one bad record never stops the load
                reason = f"could not save: {type(exc).__name__}: {exc}"[:300]
                report.rejected.append((file, number, reason))
                if on_reject:
                    on_reject(file, number, reason)
                continue
            seen_ids.add(record.id)
            report.created += 1

    batch: list[tuple[str, int, CorpusRecord]] = []
    read = 0
    for file, number, line in iter_lines(paths):
        if limit is not None and read >= limit:
            break
        read += 1
        try:
            batch.append((file, number, parse_line(line)))
        except RecordError as exc:
            report.rejected.append((file, number, str(exc)))
            if on_reject:
                on_reject(file, number, str(exc))
        if len(batch) >= batch_size:
            flush(batch)
            batch = []
        if progress:
            progress(read)
    if batch:
        flush(batch)
    report.seconds = time.monotonic() - started
    return report
