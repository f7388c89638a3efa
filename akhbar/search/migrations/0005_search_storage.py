"""PostgreSQL: two storage changes that make a relevance search's one statement cheaper.

1. ``search_document`` rows stay uncompressed and in line (``toast_tuple_target = 8160``). A
   relevance search reads the analysed text of its 200–600 candidates (``engine.gather``).
   With the default target (~2 KB) most rows were compressed and a third of them had a value
   moved out of line to the TOAST table: reading 600 rows cost the server ~11 ms, of which
   ~6 ms were TOAST index look-ups and decompression (LZ4), against ~5 ms for the same rows in
   line (at 100,000 articles the table grows from 256 MB to 339 MB). Rows longer than 8,160
   bytes (the longest 1 %) are still compressed and moved out as before. The setting applies
   to rows written from now on: ``akhbar reindex`` rewrites the existing ones.

2. ``search_match.tsh`` also holds every headline term with a ``#`` prefix (``#اتفاق``), without
   positions. The headline tier ("every word in the headline") was a ``tsquery`` with weight
   restrictions (``'اتفاق':A``), which GIN cannot decide alone: PostgreSQL re-read (de-TOASTed)
   the vector of every headline-or-lead match to check the weights, ~6,000 buffer reads and
   ~6 ms for a two-word query with 1,400 such matches at 100,000 articles. ``'#اتفاق'`` is
   answered by the index alone. A stem never contains ``#`` (it is Arabic, Latin or digits),
   so a prefixed lexeme never equals a term, as with the ``k`` of name keys. The weighted
   lexemes stay (quoted phrases in the headline still use them). Existing rows are rebuilt
   here (one ``UPDATE`` of ``search_match``: about a minute per 100,000 articles).

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


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_document SET (toast_tuple_target = 8160)")
    schema_editor.execute(_sync(_INSERT))
    schema_editor.execute(f"UPDATE search_match m SET tsh = {_TSH} FROM search_document n WHERE n.article_id = m.article_id")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_document RESET (toast_tuple_target)")
    schema_editor.execute(_sync(m3._INSERT))
    schema_editor.execute(f"UPDATE search_match m SET tsh = {m3._TSH} FROM search_document n WHERE n.article_id = m.article_id")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_searchterm_key")]

    operations = [migrations.RunPython(forward, backward)]
