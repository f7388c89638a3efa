"""Admin integration: an "Articles" area in the Wagtail admin search, served by akhbar's index.

Wagtail's own index no longer covers articles (see ``signal_handlers.connect``); editors search
them here with the same Arabic analysis as readers (live stories), plus drafts by headline.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.search import SearchArea

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("article-search/", admin_views.article_search, name="akhbar_article_search")]


@hooks.register("register_admin_search_area")
def register_article_search_area():
    return SearchArea(
        _("Articles"), reverse("akhbar_article_search"), name="akhbar_articles", icon_name="doc-full", order=50
    )
