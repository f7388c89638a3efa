"""Page cache invalidation after bulk writes (imports), which send no signals the cache could follow."""

from django.apps import apps


def refresh_page_cache() -> bool:
    """Invalidate every cached public page (bulk writes send no signals the page cache could follow).

    Uses the page cache's public API (``akhbar.edge.purge.purge_everything``:
    the ``site`` tag, now and after commit, plus the site roots at a
    configured proxy/CDN). Returns False when the edge app is not installed.
    """
    if not apps.is_installed("akhbar.edge"):
        return False
    from akhbar.edge.purge import purge_everything

    purge_everything()
    return True
