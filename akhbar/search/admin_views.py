"""The admin's article search (``/admin/article-search/?q=``); Wagtail checks admin access."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from akhbar.news.models import ArticlePage

from .engine import search

PER_PAGE = 20


def article_search(request):
    """Live articles ranked by akhbar search, then drafts whose headline contains the words."""
    q = " ".join(request.GET.get("q", "").split())[:200]
    live, drafts, count = [], [], 0
    if q:
        results = search(q, per_page=PER_PAGE)
        count = results.count
        pages = ArticlePage.objects.filter(pk__in=results.ids).select_related("section")
        by_id = {p.pk: p for p in pages}
        live = [by_id[i] for i in results.ids if i in by_id]
        drafts = list(ArticlePage.objects.filter(live=False, title__icontains=q).select_related("section").order_by("-latest_revision_created_at")[:PER_PAGE])
    return render(
        request,
        "search/admin_search.html",
        {"q": q, "live": live, "drafts": drafts, "count": count, "page_title": _("Articles"), "header_icon": "doc-full"},
    )
