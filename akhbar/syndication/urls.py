"""Syndication URLs, outside the language prefixes (one copy of each document).

Include at the root: ``path("", include("akhbar.syndication.urls"))``.
"""

from django.urls import path, re_path

from . import views

app_name = "syndication"

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    re_path(r"^sitemaps/news(?:-(?P<part>\d+))?\.xml$", views.sitemap_news, name="sitemap-news"),
    path("sitemaps/pages.xml", views.sitemap_pages, name="sitemap-pages"),
    re_path(r"^sitemaps/authors(?:-(?P<part>\d+))?\.xml$", views.sitemap_authors, name="sitemap-authors"),
    re_path(
        r"^sitemaps/articles-(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<part>\d+))?\.xml$",
        views.sitemap_archive,
        name="sitemap-archive",
    ),
    path("feeds/rss/", views.FEED_VIEWS["site", "rss"], name="site-rss"),
    path("feeds/atom/", views.FEED_VIEWS["site", "atom"], name="site-atom"),
]
for scope, plural in (("section", "sections"), ("tag", "tags"), ("author", "authors")):
    for fmt in ("rss", "atom"):
        urlpatterns.append(path(f"feeds/{plural}/<str:slug>/{fmt}/", views.FEED_VIEWS[scope, fmt], name=f"{scope}-{fmt}"))
