"""Headline search of the admin article list (article_listing.py) served by an index.

Django's ``draft_title__icontains`` is ``UPPER(draft_title) LIKE UPPER('%…%')``
on PostgreSQL; a trigram GIN index on that expression answers it without
scanning a million pages. Built ``CONCURRENTLY`` (no write lock on a live
newsroom), hence a non-atomic migration. PostgreSQL only; SQLite archives are
small enough to scan.
"""

import sys

from django.db import migrations

INDEX = "news_page_draft_title_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            try:
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except Exception as exc:  # a managed database may refuse extensions to this role
                sys.stderr.write(
                    f"news 0005: cannot create the pg_trgm extension ({exc}); the admin article list's headline "
                    "search will scan the page table. Run CREATE EXTENSION pg_trgm as a superuser and migrate "
                    "news back to 0004 and forward again to add the index.\n"
                )
                return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON wagtailcore_page USING gin (UPPER(draft_title) gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("news", "0004_listing_indexes_after_merge"),
    ]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
