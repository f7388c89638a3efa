"""Template context shared by every public page: site name, sections, language switch."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language


def site_chrome(request) -> dict:
    """Return ``site_name``, ``nav_sections`` (lazy), ``search_url`` and ``language_links``.

    ``nav_sections`` is a callable so pages that do not render navigation (the
    admin) cost no query.
    """
    if request.path.startswith("/admin/"):
        return {}

    def nav_sections():
        from akhbar.news.queries import sections_in_order

        return sections_in_order()

    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    language_links = []
    for code, name in settings.LANGUAGES:
        if code != current:
            language_links.append({"code": code, "name": name, "url": translate_url(path, code)})
    try:
        search_url = reverse("search")
    except NoReverseMatch:
        search_url = "/search/"
    return {
        "site_name": settings.AKHBAR_SITE_NAME,
        "nav_sections": nav_sections,
        "search_url": search_url,
        "language_links": language_links,
        "base_url": settings.AKHBAR_BASE_URL,
    }
