"""PostgreSQL: match on a narrow table ``search_match`` instead of ``search_document``.

Before, the ``tsv``/``tsh`` vectors were generated columns of ``search_document``, whose
rows also hold the analysed text (about 1.6 KB a row, 5 rows per 8 KB page). Every
candidate query reads the heap row of *every* match (to sort by date and check
visibility): 7,000 matches at 100,000 articles touched 6,000 pages, more than
``shared_buffers`` keeps, and took 11–85 ms. ``search_match`` holds only what matching,
filtering and ordering need (``article_id``, ``published_at``, ``section_id``) and the
two vectors, forced out of line (``toast_tuple_target = 128``) so that a row is ~60 bytes
and the whole table is a few MB; the GIN indexes are the same. Statement-level triggers
keep it in step with ``search_document`` (as FTS5's triggers do on SQLite), in the same
transaction.

The analysed text that ranking reads (``fetch_rows``) is stored with LZ4 compression when
the server supports it (PostgreSQL 14+ built with lz4): decompressing pglz was most of the
time of reading 400–600 candidates.

SQLite: nothing changes (FTS5 already keeps its own index).
"""

from django.db import DatabaseError, migrations, transaction


def _keys(text: str) -> str:
    """The name keys in ``text`` (space-separated, a ``|`` between headline and lead) as
    ``k``-prefixed lexemes without positions (nothing matches keys by position): the same
    lexemes as ``to_tsvector('simple', regexp_replace(text, '([^ |]+)', 'k\\1', 'g'))`` of
    migration 0002, at a quarter of its cost (no regular expression, no parser)."""
    return (
        "array_to_tsvector(array_remove(array_remove("
        f"string_to_array('k' || replace({text}, ' ', ' k'), ' '), 'k'), 'k|'))"
    )


_TSV = (
    "setweight(to_tsvector('simple'::regconfig, n.title), 'A') || setweight(to_tsvector('simple'::regconfig, n.lead), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, n.body), 'C') || "
    + _keys("n.head_keys || ' ' || n.body_keys")
)
_TSH = (
    "setweight(to_tsvector('simple'::regconfig, n.title), 'A') || setweight(to_tsvector('simple'::regconfig, n.lead), 'B') || "
    + _keys("n.head_keys")
)
_INSERT = (
    "INSERT INTO search_match (article_id, published_at, section_id, tsv, tsh) "
    f"SELECT n.article_id, n.published_at, n.section_id, {_TSV}, {_TSH} FROM {{source}} n"
)

POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS search_document_tsv",
    "DROP INDEX IF EXISTS search_document_tsh",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsh",
    "CREATE TABLE search_match (article_id bigint PRIMARY KEY, published_at timestamptz NULL, section_id bigint NULL, "
    "tsv tsvector NOT NULL, tsh tsvector NOT NULL) WITH (toast_tuple_target = 128)",
    "ALTER TABLE search_match ALTER COLUMN tsv SET STORAGE EXTERNAL",
    "ALTER TABLE search_match ALTER COLUMN tsh SET STORAGE EXTERNAL",
    _INSERT.format(source="search_document"),
    "CREATE INDEX search_match_tsv ON search_match USING gin (tsv)",
    "CREATE INDEX search_match_tsh ON search_match USING gin (tsh)",
    "CREATE FUNCTION search_match_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "DELETE FROM search_match m USING old_rows o WHERE m.article_id = o.article_id; END IF; "
    f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {_INSERT.format(source='new_rows')}; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER search_document_match_ai AFTER INSERT ON search_document "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_match_sync()",
    "CREATE TRIGGER search_document_match_au AFTER UPDATE ON search_document "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION search_match_sync()",
    "CREATE TRIGGER search_document_match_ad AFTER DELETE ON search_document "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION search_match_sync()",
]
#: Optional: only where the server was built with lz4 (applies to values written from now on).
POSTGRES_LZ4 = [
    f"ALTER TABLE search_document ALTER COLUMN {column} SET COMPRESSION lz4"
    for column in ("title", "lead", "body", "head_keys", "body_keys")
]
_GENERATED_ALL_KEYS = "regexp_replace(head_keys || ' ' || body_keys, '([^ |]+)', 'k\\1', 'g')"
_GENERATED_HEAD_KEYS = "regexp_replace(head_keys, '([^ |]+)', 'k\\1', 'g')"
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_match_ai ON search_document",
    "DROP TRIGGER IF EXISTS search_document_match_au ON search_document",
    "DROP TRIGGER IF EXISTS search_document_match_ad ON search_document",
    "DROP FUNCTION IF EXISTS search_match_sync()",
    "DROP TABLE IF EXISTS search_match",
    # the layout of 0002
    "ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, lead), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'C') || "
    f"to_tsvector('simple'::regconfig, {_GENERATED_ALL_KEYS})) STORED",
    "ALTER TABLE search_document ADD COLUMN tsh tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, lead), 'B') || "
    f"to_tsvector('simple'::regconfig, {_GENERATED_HEAD_KEYS})) STORED",
    "CREATE INDEX search_document_tsv ON search_document USING gin (tsv)",
    "CREATE INDEX search_document_tsh ON search_document USING gin (tsh)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_FORWARD:
        schema_editor.execute(sql)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            for sql in POSTGRES_LZ4:
                schema_editor.execute(sql)
    except DatabaseError:  # a server without lz4: keep the default compression
        pass


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES_BACKWARD:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [migrations.RunPython(forward, backward)]
