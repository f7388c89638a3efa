"""PostgreSQL: keep ``search_document`` rows uncompressed and in line (``toast_tuple_target = 8160``).

A relevance search reads the analysed text of its 200–600 candidates (``engine.gather``). With
the default target (~2 KB) most rows were compressed and a third of them had a value moved out
of line to the TOAST table: reading 600 rows cost the server ~11 ms, of which ~6 ms were
TOAST index look-ups and decompression (LZ4), against ~5 ms for the same rows stored in line
(a copy of the table at 100,000 articles: 256 MB → 336 MB). Rows longer than 8,160 bytes (the
longest 1 %) are still compressed and moved out as before.

The setting applies to rows written from now on: ``akhbar reindex`` rewrites the existing ones.
SQLite: nothing changes.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_document SET (toast_tuple_target = 8160)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_document RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchterm_key")]

    operations = [migrations.RunPython(forward, backward)]
