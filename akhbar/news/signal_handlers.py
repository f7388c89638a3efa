"""Side effects of newsroom events, connected in ``NewsConfig.ready``."""


def keep_section_after_move(sender, instance, parent_page_after=None, **kwargs):
    """``post_page_move``: keep ``ArticlePage.section`` (denormalised parent) right after a move.

    Wagtail saves a moved page as a plain ``Page``, so ``ArticlePage.save``
    does not run; one UPDATE fixes the column the listings filter on.
    """
    from .models import ArticlePage, SectionPage

    if parent_page_after is None or not issubclass(sender, ArticlePage):
        return
    if SectionPage.objects.filter(pk=parent_page_after.pk).exists():
        ArticlePage.objects.filter(pk=instance.pk).exclude(section_id=parent_page_after.pk).update(section_id=parent_page_after.pk)


def connect() -> None:
    """Caching, search and syndication apps attach their own handlers in their own apps."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .models import SectionPage
    from .queries import forget_restrictions, forget_sections

    from wagtail.models import Site

    from .sites import forget_sites, forget_sites_for_page

    post_page_move.connect(keep_section_after_move, dispatch_uid="akhbar.news.keep_section_after_move")
    # Cached sites with their home pages (sites.py): dropped when a site or a site root changes.
    for signal in (post_save, post_delete):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"akhbar.news.forget_sites_{id(signal)}")
    for signal in (page_published, page_unpublished, post_save, post_delete, post_page_move):
        signal.connect(forget_sites_for_page, dispatch_uid=f"akhbar.news.forget_sites_page_{id(signal)}")
    # Cached navigation and view-restriction lists (queries.py) are dropped when they change.
    post_page_move.connect(forget_sections, dispatch_uid="akhbar.news.forget_sections_move")
    for signal in (page_published, page_unpublished, post_save, post_delete):
        signal.connect(forget_sections, sender=SectionPage, dispatch_uid=f"akhbar.news.forget_sections_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(forget_restrictions, sender=PageViewRestriction, dispatch_uid=f"akhbar.news.forget_restrictions_{id(signal)}")
