"""Template context shared by every public page: site name, sections, language switch."""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils.translation import get_language

def translated_url(path: str, language: str) -> str:
    """``django.urls.translate_url(path, language)``, memoised per path, target and active language,
    URLconf and script prefix (what URL resolution and reversing read; no database). Every public
    page links its other-language version; resolving and reversing cost ~50 µs."""
    return _translated(path, language, get_language(), get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())


@functools.lru_cache(maxsize=10_000)
def _translated(path, language, _active, _urlconf, _root_urlconf, _prefix) -> str:
    return translate_url(path, language)


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
            language_links.append({"code": code, "name": name, "url": translated_url(path, code)})
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
