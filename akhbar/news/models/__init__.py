"""News models, one module per concept, re-exported here."""

from .authors import Author
from .images import NewsImage, NewsRendition
from .pages import ArticleAuthor, ArticlePage, ArticleTag, HomePage, SectionPage, StaticPage

__all__ = [
    "ArticleAuthor",
    "ArticlePage",
    "ArticleTag",
    "Author",
    "HomePage",
    "NewsImage",
    "NewsRendition",
    "SectionPage",
    "StaticPage",
]
