"""State changes of the ingest app, as verb-first functions (what commands and views call)."""

from pathlib import Path

from .cache import refresh_page_cache
from .comments import AdoptionReport, adopt_waiting
from .wxr.importer import ImportReport, import_wxr


def import_wordpress_export(path: str | Path, **options) -> ImportReport:
    """Import a WordPress export (WXR) file; see :mod:`akhbar.ingest.wxr.importer` for ``options``.

    Returns the :class:`ImportReport`. Raises
    :class:`akhbar.ingest.wxr.parse.WxrError` when the file cannot be imported
    at all (nothing is written then).
    """
    return import_wxr(path, **options)


def adopt_imported_comments(*, site=None, overwrite: bool = False) -> AdoptionReport:
    """Adopt ``ImportedComment`` rows not adopted yet (of ``site``, a ``WxrSite``, or all) into the comments app,
    then refresh the page cache once if anything changed. Idempotent; see :mod:`akhbar.ingest.comments`."""
    report = adopt_waiting(site=site, overwrite=overwrite)
    if report.created or report.updated:
        refresh_page_cache()
    return report


__all__ = ["import_wordpress_export", "adopt_imported_comments", "refresh_page_cache"]
