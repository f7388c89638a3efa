"""PostgreSQL: two storage changes that make a relevance search's one statement cheaper.

1. ``search_document`` rows stay uncompressed and in line (``toast_tuple_target = 8160``). A
   relevance search reads the analysed text of its 200–600 candidates (``engine.gather``).
   With the default target (~2 KB) three rows in four were compressed and many had a value
   moved out of line (at 100,000 articles: 153 MB of table, 103 MB of TOAST): reading 600 rows
   cost the server ~11 ms, against ~5 ms for the same rows in line (the table grows from
   256 MB to 339 MB in all). Rows longer than 8,160 bytes (~3 % at 100,000 articles) are still
   compressed and moved out as before. The setting applies
   to rows written from now on: ``akhbar reindex`` rewrites the existing ones.

2. ``search_match.tsh`` also holds every headline term with a ``#`` prefix (``#اتفاق``), without
   positions. The headline tier ("every word in the headline") was a ``tsquery`` with weight
   restrictions (``'اتفاق':A``), which GIN cannot decide alone: PostgreSQL re-read (de-TOASTed)
   the vector of every headline-or-lead match to check the weights, ~6,000 buffer reads and
   ~6 ms for a two-word query with 1,400 such matches at 100,000 articles. ``'#اتفاق'`` is
   answered by the index alone. A stem never contains ``#`` (it is Arabic, Latin or digits),
   so a prefixed lexeme never equals a term, as with the ``k`` of name keys. The weighted
   lexemes stay (quoted phrases in the headline still use them). ``search_match`` is refilled
   here from ``search_document`` and its indexes rebuilt (about a minute per 100,000 articles,
   during which searches wait); run ``VACUUM ANALYZE search_match`` afterwards (or let
   autovacuum do it).

SQLite: nothing changes.
"""

from importlib import import_module

from django.db import migrations

m3 = import_module("akhbar.search.migrations.0003_match_table")

_TITLE = (
    "array_to_tsvector(array_remove("
    "string_to_array('#' || replace(n.title, ' ', ' #'), ' '), '#'))"
)
_TSH = m3._TSH + " || " + _TITLE
_INSERT = (
    "INSERT INTO search_match (article_id, published_at, section_id, tsv, tsh) "
    f"SELECT n.article_id, n.published_at, n.section_id, {m3._TSV}, {_TSH} FROM {{source}} n"
)


def _sync(insert: str) -> str:
    return (
        "CREATE OR REPLACE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        "DELETE FROM search_match m USING old_rows o WHERE m.article_id = o.article_id; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {insert.format(source='new_rows')}; END IF; "
        "RETURN NULL; END $$"
    )


def _rebuild(schema_editor, insert: str) -> None:
    """New trigger function, and ``search_match`` refilled from ``search_document`` with its
    GIN indexes built afterwards (as migration 0003 did: an ``UPDATE`` of every row would
    leave the table and its indexes twice their size until a ``VACUUM FULL``)."""
    schema_editor.execute(_sync(insert))
    schema_editor.execute("DROP INDEX IF EXISTS search_match_tsv")
    schema_editor.execute("DROP INDEX IF EXISTS search_match_tsh")
    schema_editor.execute("TRUNCATE search_match")
    schema_editor.execute(insert.format(source="search_document"))
    schema_editor.execute("CREATE INDEX search_match_tsv ON search_match USING gin (tsv)")
    schema_editor.execute("CREATE INDEX search_match_tsh ON search_match USING gin (tsh)")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_document SET (toast_tuple_target = 8160)")
    _rebuild(schema_editor, _INSERT)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_document RESET (toast_tuple_target)")
    _rebuild(schema_editor, m3._INSERT)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchterm_key")]

    operations = [migrations.RunPython(forward, backward)]
