"""Store each field's term count in ``search_document`` (``title_length``, ``lead_length``,
``body_length``).

Ranking needs every candidate's field lengths (BM25 length normalisation). Counting the spaces of
~250 candidates' analysed text (~0.5 MB) took ~1 ms of each relevance search; the indexer now
writes the counts and the engine reads them.

The columns are nullable (a row written by another writer still ranks: the engine counts when they
are NULL), so adding them is a plain ``ADD COLUMN`` on both databases. Existing rows are filled
here in one ``UPDATE``: analysed text is single-spaced, so a non-empty field has one more term
than spaces. The ``search_document`` triggers that re-index the full-text tables are switched off
for that ``UPDATE`` (the indexed columns do not change): on PostgreSQL with ``DISABLE TRIGGER``, on
SQLite by dropping the update trigger and creating it again. On PostgreSQL every row gets a new
version: ``VACUUM search_document`` afterwards (or autovacuum) gives the old ones back.
"""

from importlib import import_module

from django.db import migrations, models

m2 = import_module("akhbar.search.migrations.0002_fulltext")

_COUNT = "CASE WHEN {c} = '' THEN 0 ELSE length({c}) - length(replace({c}, ' ', '')) + 1 END"
_FILL = (
    "UPDATE search_document SET "
    + ", ".join(f"{c}_length = {_COUNT.format(c=c)}" for c in ("title", "lead", "body"))
)


def fill(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_document DISABLE TRIGGER search_document_match_au")
        schema_editor.execute(_FILL)
        schema_editor.execute("ALTER TABLE search_document ENABLE TRIGGER search_document_match_au")
    elif vendor == "sqlite":
        update_trigger = next(sql for sql in m2.SQLITE_FORWARD if sql.startswith("CREATE TRIGGER search_document_au "))
        schema_editor.execute("DROP TRIGGER IF EXISTS search_document_au")
        schema_editor.execute(_FILL)
        schema_editor.execute(update_trigger)
    else:  # pragma: no cover - akhbar supports SQLite and PostgreSQL
        schema_editor.execute(_FILL)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_search_storage")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="title_length",
            field=models.PositiveIntegerField(blank=True, help_text="number of terms in title", null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="lead_length",
            field=models.PositiveIntegerField(blank=True, help_text="number of terms in lead", null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="body_length",
            field=models.PositiveIntegerField(blank=True, help_text="number of terms in body", null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
