"""Reader comments, per-page comment switches with the published count, and the blocklist.

State changes go through ``akhbar.comments.actions``; these models only
answer questions about themselves.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel

from .conf import NAME_MAX_LENGTH

#: Width of one segment of ``Comment.thread_path`` (zero-padded primary key).
PATH_SEGMENT = 12


class Comment(models.Model):
    """One reader comment on an article.

    ``thread_path`` is the chain of primary keys from the thread's first comment
    down to this one, each zero-padded to ``PATH_SEGMENT`` digits and joined by
    ``/``; ordering by it lists a discussion in reading order (every thread
    oldest first, each reply after its parent) with one indexed query and plain
    LIMIT/OFFSET pagination.

    ``email`` is private: it is never rendered on a public page; see
    docs/comments.md ("Privacy").
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", pgettext_lazy("reader comments", "Published")
        REJECTED = "rejected", pgettext_lazy("reader comments", "Rejected")
        SPAM = "spam", pgettext_lazy("reader comments", "Spam")

    article = models.ForeignKey(
        "news.ArticlePage", verbose_name=pgettext_lazy("reader comments", "article"), on_delete=models.CASCADE, related_name="reader_comments"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("in reply to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    thread_path = models.CharField(max_length=PATH_SEGMENT * 8 + 7, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(pgettext_lazy("reader comments", "name"), max_length=NAME_MAX_LENGTH)
    email = models.EmailField(pgettext_lazy("reader comments", "email"), max_length=254, help_text=_("Never shown on the site."))
    body = models.TextField(pgettext_lazy("reader comments", "comment"))
    status = models.CharField(pgettext_lazy("reader comments", "status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    flags = models.CharField(
        _("moderation notes"), max_length=255, blank=True, help_text=_("Why the comment was held or marked as spam.")
    )
    fingerprint = models.CharField(max_length=64, editable=False, default="")
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(pgettext_lazy("reader comments", "posted"), default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(pgettext_lazy("reader comments", "moderated"), null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(pgettext_lazy("reader comments", "edited"), null=True, blank=True, editable=False)

    panels = [FieldPanel("name"), FieldPanel("body")]
    # A comment is not a "usage" of its article: keep thousands of them out of Wagtail's reference index.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("reader comment")
        verbose_name_plural = _("reader comments")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["article", "status", "thread_path"], name="comment_reading_order"),
            models.Index(fields=["status", "created_at"], name="comment_queue"),
            models.Index(fields=["email", "created_at"], name="comment_by_email"),
            models.Index(fields=["fingerprint", "created_at"], name="comment_fingerprint"),
        ]
        permissions = [("handle_data_request", _("Can export and erase a commenter's data"))]

    def __str__(self):
        excerpt = " ".join(self.body.split())
        if len(excerpt) > 60:
            excerpt = excerpt[:59] + "…"
        return f"{self.name}: {excerpt}"

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def reply_depth_allowed(self) -> bool:
        """True when a reply to this comment stays within the depth limit."""
        from .conf import max_depth

        return self.depth + 1 < max_depth()

    @staticmethod
    def path_segment(pk: int) -> str:
        return f"{pk:0{PATH_SEGMENT}d}"


class Discussion(models.Model):
    """Comment switch of one page (article or section) and, for articles, the published count.

    Rows are created on demand: an article without a row has comments in the
    default state and a count of 0. ``approved_count`` is kept in step by
    ``actions`` (and by the ``post_delete`` handler) so article cards show the
    count without a query per card.
    """

    class Mode(models.TextChoices):
        DEFAULT = "default", _("Default (open, closes automatically)")
        OPEN = "open", pgettext_lazy("reader comments", "Open")
        CLOSED = "closed", pgettext_lazy("reader comments", "Closed")

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="reader_discussion"
    )
    mode = models.CharField(pgettext_lazy("reader comments", "comments"), max_length=10, choices=Mode.choices, default=Mode.DEFAULT)
    approved_count = models.PositiveIntegerField(_("published comments"), default=0)
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("comment switch")
        verbose_name_plural = _("comment switches")

    def __str__(self):
        return f"{self.page_id}: {self.mode}"


class BlockedTerm(models.Model):
    """An entry of the editor-managed blocklist.

    * ``word``: a word or phrase, matched in the name and the comment after
      folding (case, diacritics, tatweel, alef forms, look-alike letters);
      Arabic words also match with attached prefixes (و، ف، ب، ل، ال...). A
      ``*`` at either end matches inside longer words.
    * ``email``: a full address (``someone@example.com``) or a domain (``@example.com``).
    * ``ip``: an address (``203.0.113.7``) or a network (``203.0.113.0/24``).
    """

    class Kind(models.TextChoices):
        WORD = "word", _("Word or phrase")
        EMAIL = "email", _("Email address or @domain")
        IP = "ip", _("IP address or network")

    class Action(models.TextChoices):
        HOLD = "hold", _("Hold for moderation")
        SPAM = "spam", _("Mark as spam")
        REJECT = "reject", _("Refuse the comment")

    kind = models.CharField(pgettext_lazy("reader comments", "kind"), max_length=10, choices=Kind.choices, default=Kind.WORD)
    value = models.CharField(pgettext_lazy("reader comments", "value"), max_length=255)
    action = models.CharField(pgettext_lazy("reader comments", "action"), max_length=10, choices=Action.choices, default=Action.HOLD)
    note = models.CharField(pgettext_lazy("reader comments", "note"), max_length=255, blank=True, help_text=_("Why this entry exists (for other editors)."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("action"), FieldPanel("note")]

    class Meta:
        verbose_name = _("blocked word or address")
        verbose_name_plural = _("comment blocklist")
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="blockedterm_unique_value")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    def clean(self):
        super().clean()
        value = (self.value or "").strip()
        if self.kind == self.Kind.EMAIL:
            value = value.lower()
            try:
                if value.startswith("@"):
                    validate_email("x" + value)
                else:
                    validate_email(value)
            except ValidationError:
                raise ValidationError({"value": _("Enter an email address or a domain starting with @.")}) from None
        elif self.kind == self.Kind.IP:
            try:
                value = str(ipaddress.ip_network(value, strict=False))
            except ValueError:
                raise ValidationError({"value": _("Enter an IP address or a network such as 203.0.113.0/24.")}) from None
        else:
            from .text import fold

            if not fold(value.strip("*")).strip():
                raise ValidationError({"value": _("Enter a word or phrase.")})
        self.value = value
