"""Adoption of imported WordPress comments (``ImportedComment``) into the comments app.

:func:`adopt` turns ``ImportedComment`` rows into ``akhbar.comments`` ``Comment``
rows on their articles, in bulk, through
``akhbar.comments.actions.store_foreign_comments`` (threading, counts), and
links each row to its comment (``comment_id``, ``adopted_at``). It is called by
the importer for every post it writes (inside that post's transaction) and by
``akhbar adopt-imported-comments`` for rows left from earlier imports.

What is adopted and what is not (see docs/wordpress-import.md, "Comments"):

* ``comment`` rows on an imported **article**: adopted. Status: WordPress
  ``approved`` → published, ``pending`` → awaiting moderation, ``spam`` →
  spam, ``trash`` → rejected. Name, e-mail (private, as every comment's),
  IP address and date are kept; the text becomes plain text (paragraphs and
  line breaks kept, a link written as its text and address).
* pingbacks and trackbacks: not reader comments (another site's excerpt, no
  person behind them): kept as ``ImportedComment`` only, counted as skipped.
* comments on imported **static pages**: the comments app takes comments on
  articles only; kept as ``ImportedComment``, counted as skipped.
* a reply whose parent is missing (not in the export, a pingback, or deleted
  here): adopted at the top level of its article's discussion, counted.
* a row whose comment was deleted here since its adoption (moderator, a
  reader's erasure request): not adopted again.

Idempotent: a row already adopted updates its comment when the row changed
(a re-import after the old site moderated it), unless a moderator changed the
comment here since (kept; ``overwrite=True`` overwrites).
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from .models import ImportedComment

#: ``ImportedComment.status`` → ``Comment.Status`` value.
STATUS_MAP = {
    ImportedComment.APPROVED: "approved",
    ImportedComment.PENDING: "pending",
    ImportedComment.SPAM: "spam",
    ImportedComment.TRASH: "rejected",
}
ADOPTED_TYPES = ("comment", "")
FLAG = "WordPress"

_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(?:p|blockquote|ul|ol)\s*>|<(?:p|blockquote|ul|ol)(?:\s[^>]*)?>", re.I)
_ITEM = re.compile(r"<li(?:\s[^>]*)?>", re.I)
_LINK = re.compile(r"<a\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")


def comments_available() -> bool:
    """True when the comments app is installed (otherwise rows wait in ``ImportedComment``)."""
    return apps.is_installed("akhbar.comments")


@dataclass
class AdoptionReport:
    """Counts of one adoption. ``skipped`` counts rows not adopted, by reason."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    top_level: int = 0  # replies whose parent is missing, attached at the top level
    skipped: Counter = field(default_factory=Counter)

    def add(self, other: AdoptionReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.top_level += other.top_level
        self.skipped.update(other.skipped)

    def as_text(self) -> str:
        text = (f"comments adopted: {self.created} new, {self.updated} updated, {self.unchanged} unchanged; "
                f"replies without their parent (now top level): {self.top_level}")
        if self.skipped:
            text += "; not adopted: " + ", ".join(f"{reason} ×{n}" for reason, n in self.skipped.most_common())
        return text


def plain_text(content: str) -> str:
    """The plain text of a sanitised WordPress comment (``ImportedComment.content``).

    Paragraphs become blank lines, ``<br>`` line breaks, list items lines
    starting with "• ", a link its text followed by its address in
    parentheses (unless the text is the address); other tags are dropped and
    entities decoded. The comments app renders it as it renders readers' text.
    """

    def link(match):
        href, text = html.unescape(match.group(1)), _TAG.sub("", match.group(2)).strip()
        if not href or href.startswith("mailto:"):
            return text
        return href if not text or html.unescape(text) == href else f"{text} ({href})"

    text = _LINK.sub(link, content or "")
    text = _BREAK.sub("\n", text)
    text = _ITEM.sub("\n• ", text)
    text = _BLOCK_END.sub("\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(_TAG.sub("", text))).strip()


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def _link(rows) -> None:
    """Write ``comment_id`` and ``adopted_at`` of ``rows`` (one ``executemany``: cheaper than ``bulk_update``)."""
    if not rows:
        return
    table = connection.ops.quote_name(ImportedComment._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET comment_id = %s, adopted_at = %s WHERE id = %s",
            [(row.comment_id, adapt(row.adopted_at), row.pk) for row in rows],
        )


def adopt(rows, *, overwrite: bool = False) -> AdoptionReport:
    """Adopt ``ImportedComment`` rows (instances, saved) into the comments app; see the module docstring.

    Rows of one call may span many articles; a reply's parent may be in the
    call or adopted before. Writes in one transaction: the comments (bulk),
    the counts, and ``comment_id``/``adopted_at`` of the rows (bulk). Returns
    the counts; a no-op (all rows skipped) when the comments app is missing.
    """
    report = AdoptionReport()
    rows = list(rows)
    if not rows:
        return report
    if not comments_available():
        report.skipped["the comments app is not installed"] += len(rows)
        return report
    from akhbar.comments.actions import ForeignComment, store_foreign_comments
    from akhbar.news.models import ArticlePage

    page_ids = {r.page_id for r in rows if r.page_id}
    articles = set(ArticlePage.objects.filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    by_pk = {r.pk: r for r in rows}
    parent_ids = {r.parent_id for r in rows if r.parent_id and r.parent_id not in by_pk}
    outside = {p.pk: p for p in ImportedComment.objects.filter(pk__in=parent_ids).only("pk", "comment_id", "comment_type")} if parent_ids else {}

    entries, adoptable = [], []
    for row in rows:
        if row.comment_type not in ADOPTED_TYPES:
            report.skipped[f"{row.comment_type} (not a reader comment)"] += 1
            continue
        if row.page_id is None:
            report.skipped["its post was not imported"] += 1
            continue
        if row.page_id not in articles:
            report.skipped["on a static page (comments are for articles)"] += 1
            continue
        if row.adopted_at is not None and row.comment_id is None:
            report.skipped["deleted in akhbar since it was adopted"] += 1
            continue
        parent_ref = parent_id = None
        if row.parent_id in by_pk and by_pk[row.parent_id].comment_type in ADOPTED_TYPES and by_pk[row.parent_id].page_id == row.page_id:
            parent = by_pk[row.parent_id]
            if parent.comment_id:
                parent_id = parent.comment_id
            elif not (parent.adopted_at and parent.comment_id is None):
                parent_ref = parent.pk
        elif row.parent_id in outside and outside[row.parent_id].comment_type in ADOPTED_TYPES:
            parent_id = outside[row.parent_id].comment_id
        if row.wp_parent_id and parent_ref is None and parent_id is None and row.comment_id is None:
            report.top_level += 1
        entries.append(
            ForeignComment(
                ref=row.pk, article_id=row.page_id, name=row.author_name, email=row.author_email,
                body=plain_text(row.content) or "…", status=STATUS_MAP.get(row.status, "pending"),
                created_at=row.submitted_at, ip_address=_ip(row.author_ip), parent_ref=parent_ref,
                parent_id=parent_id, comment_id=row.comment_id, flags=FLAG,
            )
        )
        adoptable.append(row)
    if not entries:
        return report
    with transaction.atomic():
        result = store_foreign_comments(entries, overwrite=overwrite)
        report.created, report.updated, report.unchanged = result.created, result.updated, result.unchanged
        if result.kept:
            report.skipped["changed in akhbar since it was adopted (kept)"] += len(result.kept)
        if result.deleted:
            report.skipped["deleted in akhbar since it was adopted"] += len(result.deleted)
        now = timezone.now()
        linked = []
        for row in adoptable:
            comment_id = result.comments.get(row.pk)
            if row.comment_id != comment_id or row.adopted_at is None:
                row.comment_id = comment_id
                row.adopted_at = row.adopted_at or now
                linked.append(row)
        _link(linked)
    return report


def adopt_waiting(
    *, site=None, batch_size: int = 2000, overwrite: bool = False, only_adoptable: bool = False, progress=None
) -> AdoptionReport:
    """Adopt every ``ImportedComment`` not adopted yet (optionally of one ``WxrSite``), a batch of articles at a time.

    Rows that cannot be adopted (pingbacks, static pages, ...) stay and are
    counted each run. Idempotent: a second run finds nothing to do. With
    ``overwrite`` also re-applies every adopted row to its comment (changes
    made here are overwritten). ``only_adoptable`` looks only at reader
    comments on articles (the importer's catch-up pass: rows kept on purpose
    are not counted again). ``progress(done)`` is called after each batch.
    """
    report = AdoptionReport()
    waiting = ImportedComment.objects.all() if overwrite else ImportedComment.objects.filter(adopted_at__isnull=True)
    if site is not None:
        waiting = waiting.filter(site=site)
    if only_adoptable:
        from akhbar.news.models import ArticlePage

        waiting = waiting.filter(comment_type__in=ADOPTED_TYPES, page__in=ArticlePage.objects.values("pk"))
    # whole articles per batch, so that replies find their parents in the same batch
    page_ids = list(waiting.exclude(page=None).values_list("page_id", flat=True).distinct().order_by("page_id"))
    orphans = waiting.filter(page=None).count()
    if orphans:
        report.skipped["its post was not imported"] += orphans
    per_batch = max(1, batch_size // 4)  # articles per batch (a few comments each)
    done = 0
    for start in range(0, len(page_ids), per_batch):
        chunk = page_ids[start : start + per_batch]
        rows = list(waiting.filter(page_id__in=chunk).order_by("submitted_at", "wp_id"))
        report.add(adopt(rows, overwrite=overwrite))
        done += len(rows)
        if progress:
            progress(done)
    return report
