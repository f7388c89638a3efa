"""URL map. Public pages are Arabic at ``/`` and English at ``/en/`` (i18n_patterns)."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.static import serve as serve_static
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from akhbar.news import views as news_views
from akhbar.search import views as search_views

urlpatterns = [
    path("", include("akhbar.syndication.urls")),  # robots.txt, sitemaps, feeds
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if getattr(settings, "AKHBAR_SERVE_MEDIA", True):
    # Embedded default: Django serves uploaded media. In production the web
    # server, S3 or the CDN does (see docs/operations.md).
    urlpatterns += [
        re_path(r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"), serve_static, {"document_root": settings.MEDIA_ROOT}),
    ]

urlpatterns += i18n_patterns(
    path("authors/<str:slug>/", news_views.author_page, name="author"),
    path("tags/<str:slug>/", news_views.tag_page, name="tag"),
    path("comments/", include("akhbar.comments.urls")),
    path("search/", search_views.search_page, name="search"),
    path("api/search/", search_views.search_api, name="search_api"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "akhbar.theme.views.page_not_found"
handler500 = "akhbar.theme.views.server_error"
