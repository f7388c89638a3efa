"""Which Wagtail site (and home page) answers a request, without a query per request.

Wagtail looks the site up with one SQL query on every request
(``Site.find_for_request``: hostname, port and default-site matching), then
loads the specific home page with a second one before routing. Both change
only when an editor edits a site or the home page, so the sites with their
specific root pages are kept in the shared cache (``_shared_cache()``: Redis
in production, so every worker sees a change at once) and dropped when a
site, the home page or any other site root is saved, published, unpublished,
moved or deleted (``forget_sites``, connected in ``signal_handlers``).

``SiteMiddleware`` sets ``request._wagtail_site`` (the attribute Wagtail's
``Site.find_for_request`` caches its answer in) from that list, with the
same matching rules as ``wagtail.models.sites.get_site_for_hostname``, so
routing, ``pageurl`` and friends reuse it.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http.request import split_domain_port

SITES_KEY = "news:sites"
SITES_TTL = 300  # seconds; a safety net only, changes invalidate at once


def cached_sites() -> list:
    """Every ``Site`` with ``root_page`` set to its specific page: this worker's copy while the shared
    generation is unchanged (``memo``), else one cache read (two queries when cold)."""
    from .memo import memoized

    return memoized("sites", _shared_sites)


def _shared_sites() -> list:
    from wagtail.models import Site

    from .queries import _shared_cache

    sites = _shared_cache().get(SITES_KEY)
    if sites is None:
        sites = list(Site.objects.select_related("root_page"))
        for site in sites:  # one query per site (usually one): what Wagtail's routing does per request
            site.root_page = site.root_page.specific
        _shared_cache().set(SITES_KEY, sites, SITES_TTL)
    return sites


def forget_sites(**kwargs) -> None:
    """Drop the cached sites and Wagtail's site root paths (a site or a site's root page changed),
    in every worker (``memo.forget``)."""
    from wagtail.models import Site

    from .memo import forget

    forget(SITES_KEY, before=[Site.clear_site_root_paths_cache])


def forget_sites_for_page(sender=None, instance=None, **kwargs) -> None:
    """Page signal receiver: forget the sites when ``instance`` is (or may be) a site root."""
    from wagtail.models import Page

    from .models import HomePage

    if isinstance(instance, HomePage) or (isinstance(instance, Page) and (instance.depth or 0) <= 2):
        forget_sites()


def match_site(sites, hostname: str, port: int):
    """The site for ``hostname``/``port``: Wagtail's rules (exact host and port, host and default,
    the only host match when the default site has another host, else the default); ``None``."""
    exact = [s for s in sites if s.hostname == hostname and s.port == port]
    if exact:
        return exact[0]
    default = [s for s in sites if s.is_default_site]
    if default and default[0].hostname == hostname:
        return default[0]
    same_host = [s for s in sites if s.hostname == hostname]
    if default:
        return same_host[0] if len(same_host) == 1 else default[0]
    return same_host[0] if len(same_host) == 1 else None


def site_for_request(request):
    """The ``Site`` answering ``request`` (``None`` when no site matches)."""
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except (TypeError, ValueError):
        port = None
    return match_site(cached_sites(), hostname, port)


class SiteMiddleware:
    """Resolve the Wagtail site of public requests from the cached list (see the module docstring).

    The admin is left to Wagtail (it edits the very pages cached here).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/admin/"):
            return self.get_response(request)
        from . import memo

        memo.begin_request()  # one read of the shared generation for the whole request
        try:
            try:
                request._wagtail_site = site_for_request(request)
            except DatabaseError:
                # Database down with a cold cache: leave the lookup to Wagtail inside the view,
                # where the page cache turns the error into its stale copy or its 503 page.
                pass
            return self.get_response(request)
        finally:
            memo.end_request()
