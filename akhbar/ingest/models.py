"""What the WordPress importer remembers: sites, the item map and imported comments.

* :class:`WxrSite` — one WordPress site (keyed by host + path of its URL), so
  exports of two sites never overwrite each other.
* :class:`WxrItem` — WordPress id → the object it became (page, image,
  document, author, tag, section), with a digest of what was imported so a
  re-import updates changed items and skips unchanged ones.
* :class:`ImportedComment` — comments with threading, status and the
  commenter's details, as WordPress had them; reader comments on articles
  are adopted into the comments app (``comment_id``; see
  ``akhbar.ingest.comments`` and ``docs/wordpress-import.md``, "Comments"). E-mail addresses and IP
  addresses are personal data: they are never shown publicly.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class WxrSite(models.Model):
    """A WordPress site whose export was imported. ``key`` is ``host[:port]/path`` (no scheme)."""

    key = models.CharField(_("site key"), max_length=255, unique=True)
    base_url = models.CharField(_("site URL"), max_length=500)
    title = models.CharField(_("title"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=35, blank=True)
    created_at = models.DateTimeField(_("first imported"), auto_now_add=True)
    last_imported_at = models.DateTimeField(_("last imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("WordPress site")
        verbose_name_plural = _("WordPress sites")

    def __str__(self):
        return self.key


class WxrItem(models.Model):
    """One WordPress object and what it became here."""

    POST = "post"
    PAGE = "page"
    ATTACHMENT = "attachment"
    CATEGORY = "category"
    TAG = "tag"
    AUTHOR = "author"
    KINDS = [
        (POST, _("post")),
        (PAGE, _("page")),
        (ATTACHMENT, _("attachment")),
        (CATEGORY, _("category")),
        (TAG, _("tag")),
        (AUTHOR, _("author")),
    ]

    site = models.ForeignKey(WxrSite, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    wp_id = models.CharField(_("WordPress id"), max_length=191, help_text=_("Post or term id; the login for authors."))
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.BigIntegerField(null=True, blank=True)
    wp_status = models.CharField(_("WordPress status"), max_length=20, blank=True)
    wp_url = models.CharField(_("WordPress URL"), max_length=2000, blank=True)
    digest = models.CharField(_("digest"), max_length=64, blank=True, help_text=_("Of the imported source; empty means import again."))
    revision_id = models.BigIntegerField(null=True, blank=True, help_text=_("Latest revision when imported: a newer one means an editor changed it here."))
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("imported WordPress item")
        verbose_name_plural = _("imported WordPress items")
        constraints = [models.UniqueConstraint(fields=["site", "kind", "wp_id"], name="wxr_item_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="wxr_item_target")]

    def __str__(self):
        return f"{self.site.key} {self.kind} {self.wp_id}"

    @property
    def target(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class ImportedComment(models.Model):
    """A WordPress comment, threaded, waiting for the comments app to adopt it.

    ``parent`` links replies (``wp_parent_id`` keeps WordPress's id even when
    the parent could not be linked). ``page`` is the imported article or page.
    ``adopted_at`` and ``comment_id`` record the adoption into the comments
    app (``akhbar.ingest.comments``): ``comment_id`` is the ``Comment`` made
    from the row; ``adopted_at`` set with ``comment_id`` null means that
    comment was deleted here since, and is not made again. ``erased_at``: the
    commenter's erasure request reached this row (``akhbar.ingest.erasure``).
    """

    APPROVED = "approved"
    PENDING = "pending"
    SPAM = "spam"
    TRASH = "trash"
    STATUSES = [(APPROVED, _("approved")), (PENDING, _("pending")), (SPAM, _("spam")), (TRASH, _("trash"))]

    site = models.ForeignKey(WxrSite, on_delete=models.CASCADE, related_name="comments")
    wp_id = models.BigIntegerField(_("WordPress comment id"))
    wp_post_id = models.BigIntegerField(_("WordPress post id"))
    wp_parent_id = models.BigIntegerField(_("WordPress parent comment id"), default=0)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies")
    status = models.CharField(_("status"), max_length=10, choices=STATUSES, db_index=True)
    comment_type = models.CharField(_("type"), max_length=20, default="comment", help_text=_("comment, pingback or trackback"))
    author_name = models.CharField(_("name"), max_length=255, blank=True)
    author_email = models.CharField(_("e-mail"), max_length=254, blank=True)
    author_url = models.CharField(_("website"), max_length=500, blank=True)
    author_ip = models.CharField(_("IP address"), max_length=45, blank=True)
    wp_user_id = models.BigIntegerField(_("WordPress user id"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_local = models.CharField(_("submitted (site time)"), max_length=19, blank=True)
    content = models.TextField(_("text"))
    meta = models.JSONField(_("comment meta"), default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopted by the comments app"), null=True, blank=True)
    comment_id = models.BigIntegerField(
        _("reader comment"), null=True, blank=True, db_index=True,
        help_text=_("Id of the comments app's Comment made from this row (not a foreign key: the import works without that app)."),
    )

    erased_at = models.DateTimeField(
        _("erased"), null=True, blank=True,
        help_text=_("Set when the commenter's data was erased at their request: name, e-mail, IP, website and text are blank and a re-import does not bring them back."),
    )

    class Meta:
        verbose_name = _("imported comment")
        verbose_name_plural = _("imported comments")
        ordering = ["submitted_at", "wp_id"]
        constraints = [models.UniqueConstraint(fields=["site", "wp_id"], name="imported_comment_unique")]
        indexes = [models.Index(fields=["page", "status"], name="imported_comment_page")]

    def __str__(self):
        return f"{self.author_name or '?'}: {self.content[:40]}"
