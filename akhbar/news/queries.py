"""Read-side queries for the public site, each bounded (no scan of the archive).

Every function here issues a fixed number of SQL queries whatever the size of
the archive or of an article (blocks, tags, authors); tests assert the budget.
"""


from .models import ArticleAuthor, ArticlePage, SectionPage

HOME_LATEST_PER_SECTION = 4
RELATED_COUNT = 4


def sections_in_order():
    """Live sections in navigation order (one query)."""
    return list(SectionPage.objects.live().order_by("sort_order", "title"))


def home_context(home) -> dict:
    """Lead story, next stories and the latest per section for the front page.

    Returns ``{"lead": ArticlePage|None, "top": [ArticlePage], "section_blocks": [(SectionPage, [ArticlePage])]}``.
    """
    latest = list(ArticlePage.objects.listing()[: 1 + 4])
    lead, top = (latest[0], latest[1:]) if latest else (None, [])
    shown = {a.pk for a in latest}
    section_blocks = []
    for section in sections_in_order():
        stories = [a for a in ArticlePage.objects.listing().filter(section=section)[: HOME_LATEST_PER_SECTION + len(shown)] if a.pk not in shown]
        if stories:
            section_blocks.append((section, stories[:HOME_LATEST_PER_SECTION]))
    return {"lead": lead, "top": top, "section_blocks": section_blocks}


def article_context(article: ArticlePage) -> dict:
    """Authors (in byline order), tags and related stories of the same section."""
    authors = [link.author for link in ArticleAuthor.objects.filter(page=article).select_related("author").order_by("sort_order")]
    related = []
    if article.section_id:
        related = list(ArticlePage.objects.listing().filter(section_id=article.section_id).exclude(pk=article.pk)[:RELATED_COUNT])
    return {
        "section": article.section if article.section_id else None,
        "authors": authors,
        "article_tags": list(article.tags.all()),
        "related": related,
    }


def articles_by_author(author):
    return ArticlePage.objects.listing().filter(article_authors__author=author)


def articles_by_tag(tag):
    return ArticlePage.objects.listing().filter(tagged_items__tag=tag)


__all__ = ["article_context", "articles_by_author", "articles_by_tag", "home_context", "sections_in_order"]
