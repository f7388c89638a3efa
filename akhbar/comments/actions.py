"""State changes of reader comments: posting, moderation, comment switches, readers' data requests.

Views and admin screens only parse input and call one of these functions.
Every change to what the public sees sends ``signals.comment_published``
after the transaction commits.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import blocklist, conf, ratelimit
from .checkers import CheckRequest, Verdict, run_checker
from .models import BlockedTerm, Comment, Discussion
from .queries import discussion_state
from .signals import commenter_erased, comment_published, section_comments_switched
from .text import clean_email, find_links, fingerprint
from .tokens import check_token

logger = logging.getLogger(__name__)
Status = Comment.Status


class CommentRejected(Exception):
    """A comment was refused. ``message`` is said to the reader as it is.

    ``code`` names the rule (``closed``, ``honeypot``, ``token_missing``,
    ``token_invalid``, ``token_expired``, ``too_fast``, ``parent``, ``links``,
    ``blocked_word``, ``blocked_address``, ``duplicate``, ``rate``); ``field``
    is the form field the message belongs to (``None``: the whole form);
    ``status`` the HTTP status to answer with; ``retry_after`` seconds for
    ``rate``.
    """

    def __init__(self, code, message, *, field=None, status=400, retry_after=None):
        super().__init__(code)
        self.code = code
        self.message = message
        self.field = field
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Submission:
    """Where a comment came from, as the view saw the request."""

    ip: str | None = None
    user_agent: str = ""
    referrer: str = ""
    language: str = "ar"
    token: str = ""
    honeypot: str = ""
    site_url: str = ""
    permalink: str = ""


@dataclass(frozen=True)
class CommentData:
    """A comment's fields, already cleaned by ``forms.CommentForm``."""

    name: str
    email: str
    body: str
    parent_id: int | None = None


TOKEN_MESSAGES = {
    "missing": _("Please check your comment and press “Send comment” again."),
    "invalid": _("This form could not be verified. Please press “Send comment” again."),
    "expired": _("This form has expired. Please press “Send comment” again."),
}


# --- posting ------------------------------------------------------------------


def check_token_or_reject(token: str) -> None:
    """Raise ``CommentRejected`` unless the form token is valid, old enough and not expired."""
    result = check_token(token)
    if result.ok:
        return
    if result.status == "too_fast":
        message = ngettext(
            "You sent the form very quickly. Please wait %(seconds)d second, then press “Send comment” again.",
            "You sent the form very quickly. Please wait %(seconds)d seconds, then press “Send comment” again.",
            result.wait,
        ) % {"seconds": result.wait}
        raise CommentRejected("too_fast", message)
    raise CommentRejected(f"token_{result.status}", TOKEN_MESSAGES[result.status], status=200 if result.status == "missing" else 400)


def _thread_position(article, parent_id):
    """``(parent, path_prefix, depth)`` for a new comment; replies beyond the depth limit join the deepest allowed level."""
    if not parent_id:
        return None, "", 0
    parent = Comment.objects.filter(pk=parent_id, article=article, status=Status.APPROVED).only("id", "thread_path", "depth").first()
    if parent is None:
        raise CommentRejected("parent", _("The comment you are replying to is no longer available. Your comment will be posted on its own if you send it again."))
    segments = parent.thread_path.split("/")
    keep = min(len(segments), conf.max_depth() - 1)
    if keep == 0:  # threads are switched off: every comment stands alone
        return None, "", 0
    ancestors = segments[:keep]
    return int(ancestors[-1]), "/".join(ancestors) + "/", keep


def _is_duplicate(article, fp: str, email: str, ip: str | None, now) -> bool:
    """Same text (fingerprint) from the same email or IP: on this article ever, elsewhere within the window."""
    hours = int(conf.get("AKHBAR_COMMENT_DUPLICATE_HOURS"))
    same_author = Q(email=email) | (Q(ip_address=ip) if ip else Q(pk__in=[]))
    where = Q(article=article)
    if hours > 0:
        where |= Q(created_at__gte=now - timedelta(hours=hours))
    return Comment.objects.filter(Q(fingerprint=fp) & same_author & where).exists()


def _is_trusted(email: str) -> bool:
    needed = int(conf.get("AKHBAR_COMMENT_TRUSTED_AFTER"))
    if needed <= 0:
        return False
    counts = Comment.objects.filter(email=email).aggregate(
        approved=Count("pk", filter=Q(status=Status.APPROVED)),
        refused=Count("pk", filter=Q(status__in=[Status.SPAM, Status.REJECTED])),
    )
    return counts["approved"] >= needed and counts["refused"] == 0


def post_comment(article, data: CommentData, submission: Submission) -> Comment:
    """Check a reader's comment against every rule and store it.

    Order: comments open → honeypot → form token (age) → thread → link limit →
    blocklist (refuse) → duplicate → rate limits → external checker. Returns
    the new ``Comment``: ``approved`` for a trusted returning commenter
    (``AKHBAR_COMMENT_TRUSTED_AFTER``) that nothing flagged, ``spam`` when the
    blocklist or the checker says so, otherwise ``pending``. Raises
    ``CommentRejected`` with a message for the reader.
    """
    data = CommentData(name=data.name, email=clean_email(data.email), body=data.body, parent_id=data.parent_id)
    now = timezone.now()
    state = discussion_state(article, now=now)
    if not state.is_open:
        raise CommentRejected("closed", _("Comments on this article are closed."), status=403)
    if submission.honeypot:
        raise CommentRejected(
            "honeypot",
            _("Your comment was not sent because a hidden field was filled in, which some autofill tools do. Please press “Send comment” again."),
        )
    check_token_or_reject(submission.token)
    parent_id, path_prefix, depth = _thread_position(article, data.parent_id)

    max_links = int(conf.get("AKHBAR_COMMENT_MAX_LINKS"))
    links = len(find_links(data.body))
    if links > max_links:
        if max_links == 0:
            message = _("Links are not allowed in comments. Please remove them.")
        else:
            message = ngettext(
                "A comment may contain at most %(count)d link. Please remove the others.",
                "A comment may contain at most %(count)d links. Please remove the others.",
                max_links,
            ) % {"count": max_links}
        raise CommentRejected("links", message, field="body")

    match = blocklist.check(name=data.name, body=data.body, email=data.email, ip=submission.ip)
    if match and match.action == BlockedTerm.Action.REJECT:
        if any(reason.startswith("word:") for reason in match.reasons):
            raise CommentRejected("blocked_word", _("Your comment contains a word that is not accepted here. Please rephrase it."), field="body")
        raise CommentRejected("blocked_address", _("Comments from this address are not accepted."), status=403)

    fp = fingerprint(data.body)
    if _is_duplicate(article, fp, data.email, submission.ip, now):
        raise CommentRejected("duplicate", _("You have already sent this comment."), field="body", status=409)

    retry_after = ratelimit.hit({"ip": submission.ip or "", "email": data.email})
    if retry_after:
        minutes = max(1, (retry_after + 59) // 60)
        message = ngettext(
            "You have sent several comments in a short time. Please wait %(minutes)d minute and send again.",
            "You have sent several comments in a short time. Please wait %(minutes)d minutes and send again.",
            minutes,
        ) % {"minutes": minutes}
        raise CommentRejected("rate", message, status=429, retry_after=retry_after)

    flags = list(match.reasons) if match else []
    status = Status.PENDING
    if match and match.action == BlockedTerm.Action.SPAM:
        status = Status.SPAM
    verdict = run_checker(
        CheckRequest(
            permalink=submission.permalink, name=data.name, email=data.email, body=data.body, ip=submission.ip,
            user_agent=submission.user_agent, referrer=submission.referrer, language=submission.language,
            site_url=submission.site_url,
        )
    )
    if verdict is not None and verdict != Verdict.HAM:
        flags.append(f"checker:{verdict.value}")
        if verdict == Verdict.SPAM:
            status = Status.SPAM
    if status == Status.PENDING and not flags and _is_trusted(data.email):
        status = Status.APPROVED

    with transaction.atomic():
        comment = Comment.objects.create(
            article=article, parent_id=parent_id, depth=depth, name=data.name, email=data.email, body=data.body,
            status=status, flags=", ".join(flags)[:255], fingerprint=fp, ip_address=submission.ip, created_at=now,
            moderated_at=now if status == Status.APPROVED else None,
        )
        comment.thread_path = path_prefix + Comment.path_segment(comment.pk)
        Comment.objects.filter(pk=comment.pk).update(thread_path=comment.thread_path)
        if status == Status.APPROVED:
            _shift_counts({article.pk: 1})
            _announce({article.pk}, "approved")
    return comment


# --- moderation -----------------------------------------------------------------

LOG_ACTIONS = {
    Status.APPROVED: "comments.approve",
    Status.REJECTED: "comments.reject",
    Status.SPAM: "comments.spam",
    Status.PENDING: "comments.unpublish",
}


def _shift_counts(deltas: dict[int, int]) -> None:
    """Add ``delta`` to the published count of each article (never below zero)."""
    for article_id, delta in deltas.items():
        if delta == 0:
            continue
        if delta > 0:
            Discussion.objects.get_or_create(page_id=article_id)
        Discussion.objects.filter(page_id=article_id).update(approved_count=Greatest(F("approved_count") + delta, 0))


def _announce(article_ids, action: str) -> None:
    """Send ``comment_published`` for each live article in ``article_ids`` once the transaction commits."""
    ids = set(article_ids)
    if not ids:
        return

    def send():
        from akhbar.news.models import ArticlePage

        for article in ArticlePage.objects.live().filter(pk__in=ids):
            comment_published.send(sender=Comment, article=article, action=action)

    transaction.on_commit(send)


def _log(comments, action: str, user) -> None:
    from wagtail.log_actions import log

    for comment in comments:
        log(instance=comment, action=action, user=user)


def set_status(comment_ids, status: str, user=None) -> int:
    """Move comments to ``status`` (approve, reject, mark as spam, back to the queue).

    Locks the rows, updates the published counts of the articles concerned and
    logs one admin history entry per comment. Returns how many comments changed.
    """
    now = timezone.now()
    with transaction.atomic():
        comments = list(Comment.objects.select_for_update().filter(pk__in=list(comment_ids)).order_by("pk"))
        changed = [c for c in comments if c.status != status]
        if not changed:
            return 0
        deltas: Counter = Counter()
        public_change = set()
        for comment in changed:
            if comment.status == Status.APPROVED:
                deltas[comment.article_id] -= 1
                public_change.add(comment.article_id)
            if status == Status.APPROVED:
                deltas[comment.article_id] += 1
                public_change.add(comment.article_id)
            comment.status = status
            comment.moderated_at = now
            comment.moderated_by = user
        Comment.objects.bulk_update(changed, ["status", "moderated_at", "moderated_by"])
        _shift_counts(deltas)
        _log(changed, LOG_ACTIONS[status], user)
        _announce(public_change, "approved" if status == Status.APPROVED else "removed")
    return len(changed)


def approve_comments(comment_ids, user=None) -> int:
    """Publish comments. Returns how many changed."""
    return set_status(comment_ids, Status.APPROVED, user)


def reject_comments(comment_ids, user=None) -> int:
    """Reject comments (kept for the record, never shown). Returns how many changed."""
    return set_status(comment_ids, Status.REJECTED, user)


def mark_spam(comment_ids, user=None) -> int:
    """Mark comments as spam (counts against the sender for the trusted rule). Returns how many changed."""
    return set_status(comment_ids, Status.SPAM, user)


def edit_comment(comment: Comment, *, name: str, body: str, user=None) -> Comment:
    """Save a moderator's edit of the name and text (cleaned like a reader's input)."""
    from .text import clean_body, clean_name

    with transaction.atomic():
        comment.name = clean_name(name)
        comment.body = clean_body(body)
        comment.fingerprint = fingerprint(comment.body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["name", "body", "fingerprint", "edited_at"])
        _log([comment], "wagtail.edit", user)
        if comment.status == Status.APPROVED:
            _announce({comment.article_id}, "edited")
    return comment


def forget_published_comment(comment: Comment) -> None:
    """Called for every deleted comment (``post_delete``): fix the count and tell the cache."""
    if comment.status == Status.APPROVED:
        _shift_counts({comment.article_id: -1})
        _announce({comment.article_id}, "removed")


# --- comment switches ------------------------------------------------------------


def set_comment_switch(page, mode: str, user=None) -> Discussion:
    """Open, close or reset (``default``) comments on an article or a whole section."""
    if mode not in Discussion.Mode.values:
        raise ValueError(f"unknown comment switch {mode!r}")
    with transaction.atomic():
        discussion, _created = Discussion.objects.select_for_update().get_or_create(page_id=page.pk)
        discussion.mode = mode
        discussion.changed_at = timezone.now()
        discussion.changed_by = user
        discussion.save(update_fields=["mode", "changed_at", "changed_by"])
        _announce({page.pk}, "switched")
        _announce_section(page, mode)
    return discussion


def _announce_section(page, mode: str) -> None:
    """Send ``section_comments_switched`` after commit when ``page`` is a section (articles use ``_announce``)."""
    from akhbar.news.models import SectionPage

    specific_class = getattr(page, "specific_class", type(page))
    if specific_class is None or not issubclass(specific_class, SectionPage):
        return
    section = page if isinstance(page, SectionPage) else page.specific
    transaction.on_commit(lambda: section_comments_switched.send(sender=Discussion, section=section, mode=mode))


# --- readers' data requests --------------------------------------------------------


@dataclass
class ErasureReport:
    comments: int = 0
    history_entries: int = 0
    blocklist_entries: int = 0
    articles: list[int] = field(default_factory=list)


def comments_of(email: str):
    """Every comment stored for ``email`` (any status, compared case-insensitively)."""
    return Comment.objects.filter(email__iexact=(email or "").strip())


def export_commenter(email: str) -> dict:
    """Everything stored for ``email``, as a JSON-serialisable dict (a reader's access request)."""
    from akhbar.news.models import ArticlePage

    email = (email or "").strip().lower()
    comments = list(comments_of(email).order_by("created_at", "pk"))
    articles = {a.pk: a for a in ArticlePage.objects.filter(pk__in={c.article_id for c in comments})}
    blocked = BlockedTerm.objects.filter(kind=BlockedTerm.Kind.EMAIL, value__iexact=email)
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": c.pk,
                "article": {
                    "id": c.article_id,
                    "headline": articles[c.article_id].title if c.article_id in articles else None,
                    "url": articles[c.article_id].full_url if c.article_id in articles else None,
                },
                "in_reply_to": c.parent_id,
                "name": c.name,
                "email": c.email,
                "comment": c.body,
                "status": c.status,
                "posted_at": c.created_at.isoformat(),
                "moderated_at": c.moderated_at.isoformat() if c.moderated_at else None,
                "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                "ip_address": c.ip_address,
                "moderation_notes": c.flags,
            }
            for c in comments
        ],
        "blocklist": [
            {"value": b.value, "action": b.action, "note": b.note, "created_at": b.created_at.isoformat()} for b in blocked
        ],
        "not_included": (
            "Rate-limit counters are kept in the cache for at most a day under a keyed hash of the address; "
            "they cannot be listed by address and expire on their own."
        ),
    }


def erase_commenter(email: str, *, include_blocklist: bool = False, user=None) -> ErasureReport:
    """Delete every comment of ``email`` and their admin history (a reader's erasure request).

    Replies by other readers stay, detached from the erased comment. With
    ``include_blocklist`` the blocklist entries for exactly this address go too.
    Published comments disappear from the site (``comment_published`` is sent);
    ``commenter_erased`` is sent so that other apps' copies go too (the
    WordPress importer's rows of the same address).
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry

    email = (email or "").strip().lower()
    report = ErasureReport()
    with transaction.atomic():
        comments = list(comments_of(email))
        ids = [c.pk for c in comments]
        report.articles = sorted({c.article_id for c in comments})
        content_type = ContentType.objects.get_for_model(Comment)
        report.history_entries = ModelLogEntry.objects.filter(
            content_type=content_type, object_id__in=[str(pk) for pk in ids]
        ).delete()[0]
        for comment in comments:
            comment.delete()
        report.comments = len(ids)
        if include_blocklist:
            report.blocklist_entries = BlockedTerm.objects.filter(kind=BlockedTerm.Kind.EMAIL, value__iexact=email).delete()[0]
        transaction.on_commit(lambda: commenter_erased.send(sender=Comment, email=email))
    logger.info("data request: erased %d comments on %d articles", report.comments, len(report.articles))
    return report


def forget_old_ip_addresses(days: int | None = None) -> int:
    """Clear the IP address of comments older than ``days`` (default ``AKHBAR_COMMENT_IP_RETENTION_DAYS``; 0 keeps them)."""
    days = int(conf.get("AKHBAR_COMMENT_IP_RETENTION_DAYS") if days is None else days)
    if days <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    return Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(ip_address=None)


def recount_published(article_ids=None) -> int:
    """Set ``Discussion.approved_count`` from the comments themselves (repair tool).

    ``article_ids`` limits the work to those articles (default: every article
    that has comments or a count). Returns how many counts were wrong.
    """
    published = Comment.objects.filter(status=Status.APPROVED)
    discussions = Discussion.objects.all()
    if article_ids is not None:
        published = published.filter(article_id__in=article_ids)
        discussions = discussions.filter(page_id__in=article_ids)
    truth = dict(published.values_list("article_id").annotate(n=Count("pk")).order_by())
    stored = dict(discussions.values_list("page_id", "approved_count"))
    fixed = []
    with transaction.atomic():
        for page_id in set(truth) | {pk for pk, count in stored.items() if count}:
            if stored.get(page_id, 0) != truth.get(page_id, 0):
                Discussion.objects.update_or_create(page_id=page_id, defaults={"approved_count": truth.get(page_id, 0)})
                fixed.append(page_id)
        _announce(fixed, "approved")
    return len(fixed)


# --- comments brought from another system (WordPress import) -----------------------


@dataclass
class ForeignComment:
    """A comment from another system, already moderated there, to store as a ``Comment``.

    ``ref`` is the caller's key for it (any hashable, unique in one call);
    ``parent_ref`` names a parent among the same call's entries, or
    ``parent_id`` an existing ``Comment`` (adopted earlier). ``comment_id``
    set means the comment was stored before: it is updated instead (unless a
    moderator changed it here since, see :func:`store_foreign_comments`).
    ``name``, ``email`` and ``body`` are cleaned here like a reader's input
    (``body`` is plain text: paragraphs at blank lines); ``ip_address`` must
    be a valid address or ``None``; ``status`` one of ``Comment.Status``.
    """

    ref: object
    article_id: int
    name: str
    email: str
    body: str
    status: str
    created_at: object
    ip_address: str | None = None
    parent_ref: object = None
    parent_id: int | None = None
    comment_id: int | None = None
    flags: str = ""


@dataclass
class ForeignResult:
    """What :func:`store_foreign_comments` did. ``comments`` maps each entry's ``ref`` to its ``Comment`` id
    (absent for entries whose comment was deleted here); the lists hold refs."""

    comments: dict = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list = field(default_factory=list)  # changed here since: left as they are
    deleted: list = field(default_factory=list)  # stored before, since deleted here: not recreated
    articles: set = field(default_factory=set)


FOREIGN_FIELDS = ("name", "email", "body", "status", "ip_address", "created_at", "flags")


def _clean_foreign(entry: ForeignComment) -> dict:
    from .text import clean_body, clean_name

    name = clean_name(entry.name or "")[: conf.NAME_MAX_LENGTH] or str(_("Anonymous"))
    return {
        "name": name,
        "email": clean_email(entry.email or "")[:254],
        "body": clean_body(entry.body or ""),
        "status": entry.status,
        "ip_address": entry.ip_address or None,
        "created_at": entry.created_at or timezone.now(),
        "flags": (entry.flags or "")[:255],
    }


def store_foreign_comments(entries, *, overwrite: bool = False) -> ForeignResult:
    """Store comments moderated elsewhere (an import) in bulk, threaded, with the published counts right.

    New entries are inserted with one multi-row ``INSERT`` per thread level
    (parents first) and their ``thread_path`` written with one
    ``executemany``; replies deeper than ``AKHBAR_COMMENT_MAX_DEPTH`` join the
    deepest allowed level, as replies posted here do. Entries with
    ``comment_id`` update that comment when their fields differ — except
    comments a moderator changed here since (``moderated_at`` or
    ``edited_at`` set), which are kept unless ``overwrite``; comments deleted
    here are not recreated (a reader's erasure request must stick). Then
    ``Discussion.approved_count`` is recomputed for every article touched
    (two queries). Sends no ``comment_published`` signal and writes no admin
    history: the caller refreshes caches once for the whole import (the page
    cache: ``akhbar.edge.purge.purge_everything``). Runs in one transaction.
    Raises ``ValueError`` for an unknown status.
    """
    from akhbar.news.bulk import insert_rows

    entries = list(entries)
    result = ForeignResult()
    if not entries:
        return result
    for entry in entries:
        if entry.status not in Status.values:
            raise ValueError(f"unknown comment status {entry.status!r}")
    with transaction.atomic():
        # 1. entries stored before: update, keep or note as deleted
        stored_ids = [e.comment_id for e in entries if e.comment_id]
        stored = Comment.objects.in_bulk(stored_ids) if stored_ids else {}
        changed = []
        fresh = []
        for entry in entries:
            if not entry.comment_id:
                fresh.append(entry)
                continue
            comment = stored.get(entry.comment_id)
            if comment is None:
                result.deleted.append(entry.ref)
                continue
            result.comments[entry.ref] = comment.pk
            values = _clean_foreign(entry)
            if all(getattr(comment, k) == v for k, v in values.items()):
                result.unchanged += 1
                continue
            if (comment.moderated_at or comment.edited_at) and not overwrite:
                result.kept.append(entry.ref)
                continue
            for key, value in values.items():
                setattr(comment, key, value)
            comment.fingerprint = fingerprint(comment.body)
            changed.append(comment)
            result.articles.add(comment.article_id)
        if changed:
            Comment.objects.bulk_update(changed, [*FOREIGN_FIELDS, "fingerprint"], batch_size=500)
            result.updated = len(changed)

        # 2. new entries, one level of the threads at a time
        by_ref = {e.ref: e for e in fresh}
        level: dict = {}

        def level_of(entry, seen=()):
            if entry.ref not in level:
                parent = by_ref.get(entry.parent_ref) if entry.parent_ref is not None else None
                level[entry.ref] = 0 if parent is None or parent.ref in seen else level_of(parent, (*seen, entry.ref)) + 1
            return level[entry.ref]

        outside = {e.parent_id for e in fresh if e.parent_id and e.parent_ref not in by_ref}
        paths = dict(Comment.objects.filter(pk__in=outside).values_list("pk", "thread_path")) if outside else {}
        limit = conf.max_depth()
        created: dict = {}
        for depth in sorted({level_of(e) for e in fresh}):
            rows = []
            for entry in (e for e in fresh if level[e.ref] == depth):
                if entry.parent_ref is not None and entry.parent_ref in created:
                    parent_path = created[entry.parent_ref].thread_path
                else:
                    parent_path = paths.get(entry.parent_id, "") if entry.parent_id else ""
                parent_id, prefix, reply_depth = None, "", 0
                if parent_path:
                    segments = parent_path.split("/")
                    keep = min(len(segments), limit - 1)
                    if keep:
                        parent_id, prefix, reply_depth = int(segments[keep - 1]), "/".join(segments[:keep]) + "/", keep
                values = _clean_foreign(entry)
                comment = Comment(article_id=entry.article_id, parent_id=parent_id, depth=reply_depth,
                                  fingerprint=fingerprint(values["body"]), **values)
                comment.thread_path = prefix  # completed with its own id once inserted
                rows.append((entry, comment))
            insert_rows(Comment, [c for _, c in rows], returning=True)
            for entry, comment in rows:
                if comment.pk is None:
                    raise RuntimeError("the database did not return primary keys for the new comments")
                comment.thread_path += Comment.path_segment(comment.pk)
                created[entry.ref] = comment
                result.comments[entry.ref] = comment.pk
                result.articles.add(entry.article_id)
        if created:
            table = connection.ops.quote_name(Comment._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET thread_path = %s WHERE id = %s", [(c.thread_path, c.pk) for c in created.values()]
                )
            result.created = len(created)

        # 3. published counts of the articles touched
        set_published_counts(result.articles)
    return result


def set_published_counts(article_ids) -> None:
    """Write ``Discussion.approved_count`` of ``article_ids`` from their comments (bulk; keeps each switch's mode)."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        truth = dict(
            Comment.objects.filter(article_id__in=chunk, status=Status.APPROVED).values_list("article_id").annotate(n=Count("pk")).order_by()
        )
        if truth:
            Discussion.objects.bulk_create(
                [Discussion(page_id=pk, approved_count=n) for pk, n in truth.items()],
                update_conflicts=True, unique_fields=["page"], update_fields=["approved_count"],
            )
        Discussion.objects.filter(page_id__in=[pk for pk in chunk if pk not in truth], approved_count__gt=0).update(approved_count=0)
