"""Runtime knobs of the page cache. Each reads ``settings.<NAME>`` first, then the environment.

=================================  =======  =====================================================
name                               default  meaning
=================================  =======  =====================================================
AKHBAR_EDGE_ENABLED                1        0 turns the application page cache off (headers stay)
AKHBAR_EDGE_TTL                    86400    seconds a stored page counts as fresh (purges are exact)
AKHBAR_EDGE_STALE_TTL              604800   seconds a stale copy is kept to serve if the database fails
AKHBAR_CACHE_MAX_AGE               30       browsers: ``Cache-Control: max-age``
AKHBAR_CACHE_S_MAXAGE              300      shared caches (Varnish, CDN): ``s-maxage``; 86400 when a
                                            purge backend is configured
AKHBAR_CACHE_SWR                   60       ``stale-while-revalidate``
AKHBAR_CACHE_SIE                   86400    ``stale-if-error``
AKHBAR_EDGE_QUERY_PARAMS           page,q   query parameters a cached page may vary on; any other
                                            parameter (except ignored ones) bypasses the cache
AKHBAR_EDGE_IGNORED_PARAMS         utm_*,…  parameters dropped from the key (tracking)
AKHBAR_EDGE_BYPASS_COOKIES         …        cookies that mark a reader as logged in / personal
AKHBAR_EDGE_KEY_VERSION            ""       deploy identifier in every page key (default: a fingerprint
                                            of the code and static files), so a deploy starts fresh
AKHBAR_EDGE_LOCAL_ENTRIES          300      hot pages each worker keeps unpickled (re-validated
                                            against the shared tag versions on every hit)
AKHBAR_EDGE_TAG_HEADER             ""       if set (e.g. ``Cache-Tag``), responses carry their tags
                                            in this header for a CDN that purges by tag
AKHBAR_PURGE_EXTRA_PATHS           …        paths purged at the proxy/CDN with every article
                                            change (feeds, sitemaps)
AKHBAR_STATIC_MIRROR_DIR           ""       if set, a folder where cached anonymous HTML pages are
                                            also written as static files for nginx
                                            (``<dir>/<host>/<path>/index.html`` + ``.gz``, see
                                            ``mirror.py``, ``akhbar nginx-config``); empty = off
=================================  =======  =====================================================
"""

from __future__ import annotations

from django.conf import settings
from django.core.signals import setting_changed

from akhbar.settings.env import env_bool, env_int, env_list, env_str

_DEFAULTS = {
    "AKHBAR_EDGE_ENABLED": lambda: env_bool("AKHBAR_EDGE_ENABLED", True),
    "AKHBAR_EDGE_TTL": lambda: env_int("AKHBAR_EDGE_TTL", 86400),
    "AKHBAR_EDGE_STALE_TTL": lambda: env_int("AKHBAR_EDGE_STALE_TTL", 7 * 86400),
    "AKHBAR_CACHE_MAX_AGE": lambda: env_int("AKHBAR_CACHE_MAX_AGE", 30),
    "AKHBAR_CACHE_S_MAXAGE": lambda: env_int(
        "AKHBAR_CACHE_S_MAXAGE", 86400 if getattr(settings, "WAGTAILFRONTENDCACHE", None) else 300
    ),
    "AKHBAR_CACHE_SWR": lambda: env_int("AKHBAR_CACHE_SWR", 60),
    "AKHBAR_CACHE_SIE": lambda: env_int("AKHBAR_CACHE_SIE", 86400),
    "AKHBAR_EDGE_QUERY_PARAMS": lambda: env_list("AKHBAR_EDGE_QUERY_PARAMS", ["page", "q"]),
    "AKHBAR_EDGE_IGNORED_PARAMS": lambda: env_list(
        "AKHBAR_EDGE_IGNORED_PARAMS", ["utm_*", "fbclid", "gclid", "mc_cid", "mc_eid", "ref"]
    ),
    "AKHBAR_EDGE_BYPASS_COOKIES": lambda: env_list(
        "AKHBAR_EDGE_BYPASS_COOKIES", [settings.SESSION_COOKIE_NAME, "akhbar_nocache"]
    ),
    "AKHBAR_EDGE_KEY_VERSION": lambda: env_str("AKHBAR_EDGE_KEY_VERSION", ""),
    "AKHBAR_EDGE_LOCAL_ENTRIES": lambda: env_int("AKHBAR_EDGE_LOCAL_ENTRIES", 300),
    "AKHBAR_EDGE_TAG_HEADER": lambda: env_str("AKHBAR_EDGE_TAG_HEADER", ""),
    "AKHBAR_PURGE_EXTRA_PATHS": lambda: env_list("AKHBAR_PURGE_EXTRA_PATHS", ["/feed/", "/sitemap.xml"]),
    "AKHBAR_STATIC_MIRROR_DIR": lambda: env_str("AKHBAR_STATIC_MIRROR_DIR", ""),
    # (regex on the path without language prefix, tag): pages of apps that do not tag themselves.
    "AKHBAR_EDGE_PATH_TAGS": lambda: [
        (r"^/search/", "search"),
        (r"(^|/)(feeds?|rss|atom)(/|\.xml$|$)", "feeds"),
        (r"sitemap[^/]*\.xml$", "sitemaps"),
    ],
    # Paths never cached nor given public headers.
    "AKHBAR_EDGE_EXCLUDED_PREFIXES": lambda: ["/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/_util/"],
}


_memo: dict = {}


def get(name: str):
    """The value of knob ``name`` (see the module docstring); ``KeyError`` for unknown names.

    Values are memoised per process; ``override_settings`` clears the memo.
    """
    try:
        return _memo[name]
    except KeyError:
        pass
    value = getattr(settings, name) if hasattr(settings, name) else _DEFAULTS[name]()
    _memo[name] = value
    return value


def _reset(**kwargs) -> None:
    _memo.clear()


setting_changed.connect(_reset)
