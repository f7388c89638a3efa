"""State changes of the ingest app, as verb-first functions (what commands and views call)."""

from pathlib import Path

from .wxr.importer import ImportReport, import_wxr


def import_wordpress_export(path: str | Path, **options) -> ImportReport:
    """Import a WordPress export (WXR) file; see :mod:`akhbar.ingest.wxr.importer` for ``options``.

    Returns the :class:`ImportReport`. Raises
    :class:`akhbar.ingest.wxr.parse.WxrError` when the file cannot be imported
    at all (nothing is written then).
    """
    return import_wxr(path, **options)
