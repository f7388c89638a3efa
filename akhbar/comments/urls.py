"""Public comment URLs, included under ``comments/`` inside the i18n patterns (``/comments/``, ``/en/comments/``)."""

from django.urls import path
from django.utils.translation import override

from . import views

app_name = "comments"

urlpatterns = [
    path("token/", views.form_token, name="token"),
    path("c/<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:article_id>/", views.comment_list, name="list"),
    path("<int:article_id>/new/", views.new_comment, name="new"),
    path("<int:article_id>/post/", views.submit_comment, name="post"),
    path("<int:article_id>/sent/", views.comment_sent, name="sent"),
]


def public_paths(article) -> list[str]:
    """Paths whose content changes with an article's published comments, in every interface language.

    For a cache layer that purges by URL (besides the article page itself).
    Listing pages past the first carry ``?page=N`` and should be purged by prefix.
    """
    from django.conf import settings
    from django.urls import reverse

    paths = []
    for code, _name in settings.LANGUAGES:
        with override(code):
            paths.append(reverse("comments:list", args=[article.pk]))
    return paths
