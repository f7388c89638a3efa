"""WordPress export (WXR) import: ``akhbar import-wxr FILE``.

Modules:

* :mod:`.parse` — streaming, hardened WXR reader (lxml ``iterparse``).
* :mod:`.phpserial` — safe reader for PHP-serialised post meta.
* :mod:`.wpautop` — WordPress's automatic paragraphs, ported.
* :mod:`.gutenberg` — block-editor comment grammar (``<!-- wp:... -->``).
* :mod:`.convert` — post content → ``ArticleBodyBlock`` stream data.
* :mod:`.mapping` — the user-overridable category / author mapping file.
* :mod:`.media` — attachments from ``--media-dir`` → images and documents.
* :mod:`.links` — old permalinks → redirects.
* :mod:`.importer` — the import itself and its report.

See ``docs/wordpress-import.md``.
"""
