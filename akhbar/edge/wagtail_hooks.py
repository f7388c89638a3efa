"""Wagtail hooks: every served page declares the cache tags it depends on."""

from wagtail import hooks

from . import tags as T


def page_cache_tags(page) -> set[str]:
    """Tags of a Wagtail page by type: home, section listing, article (+ related box, images).

    ``page`` is the specific page. No database query: reads ids already on
    the page and the raw JSON of the article body.
    """
    from akhbar.news.models import ArticlePage, HomePage, SectionPage

    result = {T.page(page.pk)}
    if isinstance(page, HomePage):
        result.add(T.HOME)
    elif isinstance(page, SectionPage):
        result.add(T.section(page.pk))
    elif isinstance(page, ArticlePage):
        result.add(T.article(page.pk))
        if page.section_id:
            result.add(T.related(page.section_id))
            result.add(T.comments(page.section_id))
        if page.lead_image_id:
            result.add(T.image(page.lead_image_id))
        result.update(T.image(pk) for pk in body_image_ids(page))
    return result


def body_image_ids(article) -> set:
    """Ids of the images in the figure blocks of ``article.body`` (from the raw JSON)."""
    ids = set()
    for block in getattr(article.body, "raw_data", None) or []:
        if isinstance(block, dict) and block.get("type") == "figure":
            value = block.get("value") or {}
            if value.get("image"):
                ids.add(value["image"])
    return ids


@hooks.register("before_serve_page")
def declare_page_tags(page, request, serve_args, serve_kwargs):
    T.add_cache_tags(request, *page_cache_tags(page))
