"""Public listing views that are not pages in the tree: author and tag pages."""

from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from .models import Author
from .models.pages import paginate
from .queries import articles_by_author, articles_by_tag


def author_page(request, slug: str):
    """``/authors/<slug>/``: the author's profile and their stories, newest first, paginated."""
    author = get_object_or_404(Author, slug=slug)
    page_obj = paginate(request, articles_by_author(author))
    return render(request, "news/author_page.html", {"author": author, "page_obj": page_obj})


def tag_page(request, slug: str):
    """``/tags/<slug>/``: stories with this tag, newest first, paginated."""
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = paginate(request, articles_by_tag(tag))
    return render(request, "news/tag_page.html", {"tag": tag, "page_obj": page_obj})
