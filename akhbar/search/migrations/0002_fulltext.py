"""Full-text indexes over the analysed columns of ``search_document``.

SQLite: an FTS5 external-content table ``search_fts`` (``tokenize='ascii'``:
a token is exactly one analysed term, nothing is re-analysed) kept in sync by
triggers. PostgreSQL: generated ``tsvector`` columns over
``to_tsvector('simple', ...)`` (which only splits and lower-cases, so the
terms stay exactly as analysed) with GIN indexes: ``tsv`` (headline A, lead
B, body C, and every name key prefixed with ``k``) and ``tsh`` (headline A,
lead B, and their name keys prefixed with ``k``).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title, lead, body, head_keys, body_keys, content='search_document', "
    "content_rowid='article_id', tokenize='ascii', detail='full')",
    "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, title, lead, body, head_keys, body_keys) VALUES (new.article_id, new.title, new.lead, new.body, new.head_keys, new.body_keys); END",
    "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, lead, body, head_keys, body_keys) VALUES ('delete', old.article_id, old.title, old.lead, old.body, old.head_keys, old.body_keys); END",
    "CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, lead, body, head_keys, body_keys) VALUES ('delete', old.article_id, old.title, old.lead, old.body, old.head_keys, old.body_keys); "
    "INSERT INTO search_fts(rowid, title, lead, body, head_keys, body_keys) VALUES (new.article_id, new.title, new.lead, new.body, new.head_keys, new.body_keys); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TABLE IF EXISTS search_fts",
]
#: Name keys share the stems' tsvector with a ``k`` prefix (``kبلنكن``): a stem is Arabic-only,
#: Latin-only or digits, so the two never collide, and one GIN scan answers a whole query.
_ALL_KEYS = "regexp_replace(head_keys || ' ' || body_keys, '([^ |]+)', 'k\\1', 'g')"
_HEAD_KEYS = "regexp_replace(head_keys, '([^ |]+)', 'k\\1', 'g')"
POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, lead), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'C') || "
    f"to_tsvector('simple'::regconfig, {_ALL_KEYS})) STORED",
    "ALTER TABLE search_document ADD COLUMN tsh tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title), 'A') || setweight(to_tsvector('simple'::regconfig, lead), 'B') || "
    f"to_tsvector('simple'::regconfig, {_HEAD_KEYS})) STORED",
    "CREATE INDEX search_document_tsv ON search_document USING gin (tsv)",
    "CREATE INDEX search_document_tsh ON search_document USING gin (tsh)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsv",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS tsh",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"akhbar search supports SQLite and PostgreSQL, not {schema_editor.connection.vendor}")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
