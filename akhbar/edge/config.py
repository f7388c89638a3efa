"""Settings helpers for the page cache and CDN purge, read from the environment.

Imported by ``akhbar/settings/base.py`` (so it must not import Django models).
See docs/operations.md, "Caching" and "Varnish / CDN".
"""

from __future__ import annotations

from pathlib import Path

from akhbar.settings.env import env_int, env_list, env_str


def edge_caches(redis_url: str, data_dir: Path) -> dict:
    """Cache aliases ``edge`` (pages + tag versions) and ``renditions`` (Wagtail image renditions).

    With ``redis_url`` both live in Redis, shared by every gunicorn worker and
    every machine. Without it pages go to a file cache under
    ``data_dir/cache/edge``, which several worker processes on one machine
    share too (a per-process memory cache would miss purges made by another
    worker). ``AKHBAR_EDGE_CACHE=memory`` forces a per-process cache (tests,
    single-process ``runserver``).
    """
    kind = env_str("AKHBAR_EDGE_CACHE", "redis" if redis_url else "file")
    prefix = env_str("AKHBAR_CACHE_PREFIX", "akhbar")
    if kind == "redis":
        if not redis_url:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured("AKHBAR_EDGE_CACHE=redis needs REDIS_URL")
        common = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            # A Redis outage must degrade to "no cache", never to an error page.
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
        return {
            "edge": {**common, "KEY_PREFIX": prefix + ":edge", "TIMEOUT": None},
            "renditions": {**common, "KEY_PREFIX": prefix + ":rnd", "TIMEOUT": 7 * 86400},
        }
    if kind == "file":
        location = Path(env_str("AKHBAR_EDGE_CACHE_DIR", str(data_dir / "cache" / "edge")))
        return {
            "edge": {
                "BACKEND": "akhbar.edge.filecache.EdgeFileCache",
                "LOCATION": str(location),
                "TIMEOUT": None,
                "OPTIONS": {"MAX_ENTRIES": env_int("AKHBAR_EDGE_MAX_ENTRIES", 50000)},
            },
            "renditions": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "akhbar-renditions",
                "OPTIONS": {"MAX_ENTRIES": 20000},
            },
        }
    if kind == "memory":
        return {
            "edge": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "akhbar-edge",
                "TIMEOUT": None,
                "OPTIONS": {"MAX_ENTRIES": env_int("AKHBAR_EDGE_MAX_ENTRIES", 5000)},
            },
            "renditions": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "akhbar-renditions",
                "OPTIONS": {"MAX_ENTRIES": 20000},
            },
        }
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"AKHBAR_EDGE_CACHE={kind!r}: use redis, file or memory")


def frontend_cache_backends() -> dict:
    """``WAGTAILFRONTENDCACHE`` from the environment (empty: no proxy/CDN to purge).

    * ``AKHBAR_PURGE_URLS``: comma-separated caching proxies (Varnish, nginx
      with a purge module) that accept ``PURGE <path>`` with the site's Host,
      e.g. ``http://127.0.0.1:6081``.
    * ``AKHBAR_CLOUDFLARE_ZONE_ID`` + ``AKHBAR_CLOUDFLARE_BEARER_TOKEN``.
    * ``AKHBAR_CLOUDFRONT_DISTRIBUTION_ID`` (needs ``boto3`` and AWS credentials
      in the usual AWS variables).
    """
    backends: dict = {}
    for n, url in enumerate(env_list("AKHBAR_PURGE_URLS", [])):
        backends[f"proxy{n}"] = {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": url}
    zone = env_str("AKHBAR_CLOUDFLARE_ZONE_ID")
    if zone:
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": zone,
            "BEARER_TOKEN": env_str("AKHBAR_CLOUDFLARE_BEARER_TOKEN"),
        }
    distribution = env_str("AKHBAR_CLOUDFRONT_DISTRIBUTION_ID")
    if distribution:
        backends["cloudfront"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": distribution,
        }
    return backends
