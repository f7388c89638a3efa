"""Wire newsroom events to purges (connected in ``EdgeConfig.ready``).

* ArticlePage: snapshot before a save that may change what readers see
  (any save but Wagtail's bookkeeping ones, ``BOOKKEEPING_FIELDS``) and
  before a delete; purge on ``post_save`` when the page was or is live (so a
  direct ``page.save()`` of a live story, e.g. a field corrected from a
  script, is purged like a publish), ``page_published``,
  ``page_unpublished`` (skipped when the save inside the publish already
  purged: one purge per publish), ``post_page_move``, ``post_delete``.
  Saves of drafts (never live) purge nothing.
* SectionPage (navigation), Site: every page. HomePage and other pages: their own page.
  Same rule for saves of a live section or home page outside a publish.
* Author, taggit Tag: their listing and the pages showing their names.
* NewsImage: the pages showing it.
* Comments: ``akhbar.comments.signals.comment_published`` (if that module
  exists) purges the article page; ``section_comments_switched`` (comments
  opened or closed for a whole section) purges tag ``comments:<section id>``,
  i.e. the article pages of that section and nothing else.
"""

from __future__ import annotations

import importlib
import logging

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import purge
from . import tags as T

logger = logging.getLogger("akhbar.edge")
BEFORE_ATTR = "_edge_before"
#: Set on a page instance by the ``post_save`` purge, so the ``page_published``/``page_unpublished``
#: signal that follows the save inside a publish does not purge a second time.
PURGED_ATTR = "_edge_purged"
#: Page fields that Wagtail's own bookkeeping saves write (``save_revision``, locks, workflow,
#: ordering, aliases): nothing a reader sees. A save limited to these fields purges nothing.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
        "wagtail_admin_comments", "locked", "locked_at", "locked_by", "numchild", "translation_key",
        "locale", "alias_of_id", "live_revision", "approved_go_live_at", "go_live_at", "expire_at",
    }
)


def _public_save(update_fields) -> bool:
    """True when a save with ``update_fields`` (``None``: every field) may change the public page."""
    return update_fields is None or bool(set(update_fields) - BOOKKEEPING_FIELDS)


def _article_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance.__dict__.pop(PURGED_ATTR, None)
    if raw or not instance.pk or not _public_save(update_fields):
        return
    instance.__dict__[BEFORE_ATTR] = purge.snapshot(instance.pk)


def _article_changed(sender, instance, **kwargs):
    """``page_published`` / ``page_unpublished``: purge unless the save inside the action already did."""
    if instance.__dict__.pop(PURGED_ATTR, False):
        return
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if before is None and not getattr(instance, "live", False):
        return
    purge.purge_article_change(instance, before)


def _article_saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """``post_save``: purge what a live (or just unpublished) article appears on.

    Covers pages created live without a publish (importers), direct saves of
    live stories (a field corrected from a script or the shell, re-dating)
    and the save inside Wagtail's publish/unpublish (the signal that follows
    is then skipped, see ``PURGED_ATTR``). Drafts that were never live and
    bookkeeping saves (``BOOKKEEPING_FIELDS``) purge nothing.
    """
    if raw:
        return
    if created:
        if instance.live:
            after = purge.Snapshot(pk=instance.pk, live=True, section_id=instance.section_id, url_path=instance.url_path)
            purge.purge_article_change(instance, None, after=after)
            instance.__dict__[PURGED_ATTR] = True
        return
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if before is None or not (before.live or instance.live):
        return
    purge.purge_article_change(instance, before)
    instance.__dict__[PURGED_ATTR] = True


def _link_changed(sender, instance, raw=False, **kwargs):
    """A tag or author added to/removed from a live article: purge that tag's or author's listing."""
    if raw:
        return
    try:
        page = getattr(instance, "content_object", None) or getattr(instance, "page", None)
    except Exception:  # the article itself is being deleted: its own purge covers it
        return
    if page is None or not getattr(page, "live", False):
        return
    if hasattr(instance, "tag"):
        purge.purge_tags(T.tag(instance.tag.slug), urls=purge.named_urls("tag", instance.tag.slug))
    elif hasattr(instance, "author"):
        purge.purge_tags(T.author(instance.author.slug), urls=purge.named_urls("author", instance.author.slug))


def _article_pre_delete(sender, instance, **kwargs):
    instance.__dict__[BEFORE_ATTR] = purge.snapshot(instance.pk)


def _article_post_delete(sender, instance, **kwargs):
    before = instance.__dict__.pop(BEFORE_ATTR, None)
    if before is not None:
        purge.purge_article_change(instance, before, after=None)


def _page_moved(sender, instance, parent_page_before=None, parent_page_after=None, url_path_before="", url_path_after="", **kwargs):
    from akhbar.news.models import ArticlePage

    specific = instance.specific_deferred if hasattr(instance, "specific_deferred") else instance
    if isinstance(specific, ArticlePage):
        before = purge.snapshot(instance.pk)
        if before is not None:
            before.url_path = url_path_before
            before.section_id = getattr(parent_page_before, "pk", before.section_id)
        purge.purge_article_change(specific, before)
    else:
        purge.purge_everything()


def _other_page_changed(sender, instance, **kwargs):
    from akhbar.news.models import ArticlePage, SectionPage

    if isinstance(instance, ArticlePage):
        return
    if instance.__dict__.pop(PURGED_ATTR, False):  # the save inside this publish already purged
        return
    if isinstance(instance, SectionPage):
        purge.purge_everything()
    else:
        purge.purge_tags(T.page(instance.pk), urls=purge.page_urls(instance.url_path))


def _other_page_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance.__dict__.pop(PURGED_ATTR, None)
    if raw or not instance.pk or not _public_save(update_fields):
        return
    instance.__dict__[BEFORE_ATTR] = type(instance).objects.filter(pk=instance.pk).values_list("live", flat=True).first()


def _other_page_saved(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of a section or the home page that was or is live: same purge as a publish."""
    was_live = instance.__dict__.pop(BEFORE_ATTR, None)
    if raw or created or was_live is None or not (was_live or instance.live):
        return
    _other_page_changed(sender, instance)
    instance.__dict__[PURGED_ATTR] = True


def _author_pre_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance.__dict__[BEFORE_ATTR] = type(instance).objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _author_changed(sender, instance, **kwargs):
    slugs = {instance.slug, instance.__dict__.pop(BEFORE_ATTR, None)} - {None}
    urls = [u for s in slugs for u in purge.named_urls("author", s)]
    purge.purge_tags(T.byline(instance.pk), *(T.author(s) for s in slugs), urls=urls)


def _tag_pre_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance.__dict__[BEFORE_ATTR] = type(instance).objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _tag_changed(sender, instance, **kwargs):
    slugs = {instance.slug, instance.__dict__.pop(BEFORE_ATTR, None)} - {None}
    urls = [u for s in slugs for u in purge.named_urls("tag", s)]
    purge.purge_tags(T.tag_label(instance.pk), *(T.tag(s) for s in slugs), urls=urls)


def _image_changed(sender, instance, **kwargs):
    purge.purge_tags(T.image(instance.pk))


def _site_changed(sender, instance, **kwargs):
    purge.purge_everything()


def _comment_published(sender=None, article=None, **kwargs):
    """Receiver for ``comment_published``: accepts ``article=`` or a ``comment``/``instance`` with ``.article``/``.page``."""
    if article is None:
        for name in ("comment", "instance"):
            obj = kwargs.get(name)
            article = getattr(obj, "article", None) or getattr(obj, "page", None)
            if article is not None:
                break
    if article is None and hasattr(sender, "url_path"):
        article = sender
    if article is not None:
        purge.purge_article(article)


def _section_comments_switched(sender=None, section=None, **kwargs):
    """Receiver for ``section_comments_switched``: the article pages of that section (their comment form)."""
    section_id = getattr(section, "pk", section)
    if section_id:
        purge.purge_tags(T.comments(section_id))


def connect_comments() -> bool:
    """Connect to ``akhbar.comments.signals`` (``comment_published``, ``section_comments_switched``)
    if that app exists; True when connected."""
    try:
        module = importlib.import_module("akhbar.comments.signals")
    except ImportError:
        return False
    signal = getattr(module, "comment_published", None)
    if signal is None:
        logger.warning("akhbar.comments.signals has no comment_published signal: comments will not purge pages")
        return False
    signal.connect(_comment_published, dispatch_uid="akhbar.edge.comment_published")
    switched = getattr(module, "section_comments_switched", None)
    if switched is not None:
        switched.connect(_section_comments_switched, dispatch_uid="akhbar.edge.section_comments_switched")
    return True


def connect() -> None:
    from taggit.models import Tag
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from akhbar.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author, HomePage, NewsImage, SectionPage

    uid = "akhbar.edge."
    pre_save.connect(_article_pre_save, sender=ArticlePage, dispatch_uid=uid + "article_pre_save")
    page_published.connect(_article_changed, sender=ArticlePage, dispatch_uid=uid + "article_published")
    page_unpublished.connect(_article_changed, sender=ArticlePage, dispatch_uid=uid + "article_unpublished")
    post_save.connect(_article_saved, sender=ArticlePage, dispatch_uid=uid + "article_saved")
    for model in (ArticleTag, ArticleAuthor):
        post_save.connect(_link_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_saved")
        post_delete.connect(_link_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_deleted")
    pre_delete.connect(_article_pre_delete, sender=ArticlePage, dispatch_uid=uid + "article_pre_delete")
    post_delete.connect(_article_post_delete, sender=ArticlePage, dispatch_uid=uid + "article_post_delete")
    post_page_move.connect(_page_moved, dispatch_uid=uid + "page_moved")
    for model in (SectionPage, HomePage):
        page_published.connect(_other_page_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_published")
        page_unpublished.connect(_other_page_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_unpublished")
        post_delete.connect(_other_page_changed, sender=model, dispatch_uid=uid + f"{model.__name__}_deleted")
        pre_save.connect(_other_page_pre_save, sender=model, dispatch_uid=uid + f"{model.__name__}_pre_save")
        post_save.connect(_other_page_saved, sender=model, dispatch_uid=uid + f"{model.__name__}_saved")
    pre_save.connect(_author_pre_save, sender=Author, dispatch_uid=uid + "author_pre_save")
    post_save.connect(_author_changed, sender=Author, dispatch_uid=uid + "author_saved")
    post_delete.connect(_author_changed, sender=Author, dispatch_uid=uid + "author_deleted")
    pre_save.connect(_tag_pre_save, sender=Tag, dispatch_uid=uid + "tag_pre_save")
    post_save.connect(_tag_changed, sender=Tag, dispatch_uid=uid + "tag_saved")
    post_delete.connect(_tag_changed, sender=Tag, dispatch_uid=uid + "tag_deleted")
    post_save.connect(_image_changed, sender=NewsImage, dispatch_uid=uid + "image_saved")
    post_delete.connect(_image_changed, sender=NewsImage, dispatch_uid=uid + "image_deleted")
    post_save.connect(_site_changed, sender=Site, dispatch_uid=uid + "site_saved")
    post_delete.connect(_site_changed, sender=Site, dispatch_uid=uid + "site_deleted")
    connect_comments()
