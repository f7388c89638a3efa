"""Write many new pages under one parent fast, keeping Wagtail's page tree valid.

``parent.add_child(instance=page)`` costs a dozen queries per page (tree
locking, validation, slug check, ``url_path``, log entry, search index,
reference index) — about 60 pages/s here. :func:`bulk_add_children` does the
same work for a whole batch in a fixed number of queries:

1. locks the parent row (``SELECT ... FOR UPDATE`` where supported) and reads
   its last child, then computes the treebeard materialised paths of the new
   children itself (``steplen`` 4, base 36: the next free positions after the
   last child), with ``depth``, ``url_path``, ``locale``, ``draft_title`` and
   ``translation_key`` as ``Page.save`` would set them;
2. inserts the ``wagtailcore_page`` rows with one multi-row ``INSERT`` per
   chunk (``bulk_create``), then the rows of each model in the inheritance
   chain (``ArticlePage`` ...) the same way;
3. saves the pages' in-memory child relations (modelcluster: tags, authors,
   ...) with ``bulk_create``;
4. adds ``numchild`` to the parent;
5. optionally writes the ``wagtail.create`` log entries, Wagtail's search
   index entries (``add_bulk``, for models with ``search_auto_update``) and
   the reference index rows (image usage etc.).

It does **not** call ``Page.save``/``full_clean`` or send ``post_save`` /
``page_published``: callers validate what they write (at least: unique slugs
among siblings — checked here — and the fields' own limits) and clear or
rebuild caches that listen to those signals. It creates no revisions; a page
without revisions is edited in the admin from its live content, as Wagtail
does for pages created in code. Scheduled publishing needs a revision with
``approved_go_live_at``; create those pages with ``add_child`` and
``save_revision`` instead.

Must be called inside ``transaction.atomic()`` (the function opens one if
needed). ``Page.find_problems()`` reports nothing on a tree written this way
(see ``tests/news/test_bulk.py``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import F
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.models import Page, PageLogEntry, ReferenceIndex

#: Largest position treebeard can encode in one path step (36**4 - 1).
MAX_CHILDREN = len(Page.alphabet) ** Page.steplen - 1


class BulkPageError(ValueError):
    """The batch cannot be written as given (mixed models, duplicate slug, tree full)."""


def _chain(model) -> list:
    """Concrete models from ``Page`` down to ``model`` (multi-table inheritance order)."""
    parents = [p for p in reversed(model._meta.get_parent_list()) if not p._meta.abstract]
    return parents + [model]


def _insert_rows(model, objs, fields):
    """One multi-row ``INSERT`` per chunk of ``objs`` into ``model``'s own table."""
    insert_rows(model, objs, fields)


_PLAIN = frozenset({str, int, bool})
_SIMPLE_TYPES = frozenset({
    "CharField", "TextField", "SlugField", "EmailField", "URLField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "BooleanField", "AutoField", "BigAutoField",
})


def _is_simple(field) -> bool:
    """True when ``pre_save`` is a plain attribute read and a str/int/bool value needs no preparation."""
    target = field
    while target.is_relation:
        target = target.target_field
    if target.get_internal_type() not in _SIMPLE_TYPES or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return False
    return type(field).pre_save is models.Field.pre_save or field.is_relation


#: PostgreSQL's limit of parameters in one statement.
MAX_PG_PARAMS = 65535
#: Off only to measure the difference (tests, benchmarks).
ALLOW_RAW = True


def _raw_cursor(conn):
    """PostgreSQL: a Django cursor over psycopg's ``RawCursor`` (``$1`` placeholders, server-side binding).

    Django's psycopg cursors bind values on the client: psycopg parses the statement
    for ``%s`` and quotes every value into it. For a multi-row ``INSERT`` of
    thousands of values that parse is redone on every call (psycopg caches only
    statements under 4 KB) and was about a fifth of the WordPress importer's CPU.
    With ``$n`` placeholders psycopg sends the statement as it is and the values
    apart, already in the server's format. Same transaction, same connection;
    Django's execute wrappers and query logging still see the statement."""
    conn.ensure_connection()
    cursor = _unprepared_raw_cursor()(conn.connection)
    if not conn.queries_logged:
        return conn._prepare_cursor(cursor)
    # Logged (DEBUG, tests): with server-side binding on (settings, AKHBAR_DB_PREPARE_THRESHOLD)
    # Django logs a statement by merging its values into "%s" placeholders, which a "$n"
    # statement does not have; log the statement as sent instead.
    conn.validate_thread_sharing()
    return _RawDebugCursor(cursor, conn)


class _RawDebugCursor(CursorDebugWrapper):
    """Django's logging cursor wrapper that logs a ``$n`` statement as it is (not merged with its values)."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


_RAW_CURSOR = None


def _unprepared_raw_cursor():
    """psycopg's ``RawCursor`` that never prepares statements on the server (psycopg would after
    five runs of the same text; a transaction-pooling proxy such as PgBouncer may not keep them)."""
    global _RAW_CURSOR
    if _RAW_CURSOR is None:
        import psycopg

        class UnpreparedRawCursor(psycopg.RawCursor):
            def execute(self, query, params=None, *, prepare=None, binary=None):
                return super().execute(query, params, prepare=False, binary=binary)

        _RAW_CURSOR = UnpreparedRawCursor
    return _RAW_CURSOR


def insert_rows(model, objs, fields=None, *, returning: bool = False, ignore_conflicts: bool = False) -> int:
    """Insert ``objs`` into ``model``'s own table with multi-row ``INSERT``s, without Django's SQL compiler.

    The same rows ``model.objects.bulk_create(objs)`` writes (values from each
    field's ``pre_save`` + ``get_db_prep_save``, so ``auto_now``, JSON and
    stream fields behave as there) at a fraction of the Python cost: no
    per-value expression checks, one statement string per chunk size. No
    signals, no ``save()``; ``fields`` defaults to the table's concrete
    fields except an auto-incremented primary key. ``returning=True`` reads
    the new primary keys back (``RETURNING``, SQLite ≥ 3.35 and PostgreSQL,
    in insertion order as Django's ``bulk_create`` relies on) and sets them
    on ``objs``; ``ignore_conflicts`` skips rows that violate a unique
    constraint (``ON CONFLICT DO NOTHING``; not with ``returning``). Marks the
    objects as saved. Returns how many rows were sent.
    """
    objs = list(objs)
    if not objs:
        return 0
    meta = model._meta
    pk = meta.pk
    if fields is None:
        fields = [f for f in meta.local_concrete_fields if not (f.primary_key and f.db_returning)]
    if returning and ignore_conflicts:
        raise ValueError("returning and ignore_conflicts cannot be combined")
    # Text, number and boolean columns (and foreign keys to them) holding plain Python values are
    # sent as they are: Django's preparation returns those unchanged. Anything else takes the full path.
    plan = [(f, f.attname, _is_simple(f)) for f in fields]
    conn = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy (read once per value otherwise)
    qn = conn.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    suffix = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        suffix += f" RETURNING {qn(pk.column)}"
    raw = conn.vendor == "postgresql" and ALLOW_RAW
    if raw:  # $n placeholders, values sent apart from the statement (see _raw_cursor)
        batch = max(1, min(len(objs), 1000, MAX_PG_PARAMS // len(fields)))
        width = len(fields)

        def values(rows: int) -> str:
            return ", ".join("(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")" for r in range(rows))
    else:
        batch = max(1, min(len(objs), connection.ops.bulk_batch_size(fields, objs) or len(objs), 1000))
        placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"

        def values(rows: int) -> str:
            return ", ".join([placeholder] * rows)
    statements = {}
    using = connection.alias
    with _raw_cursor(conn) if raw else connection.cursor() as cursor:
        for start in range(0, len(objs), batch):
            chunk = objs[start : start + batch]
            params = []
            for obj in chunk:
                for f, attname, simple in plan:
                    if simple:
                        value = getattr(obj, attname)
                        if value is None or type(value) in _PLAIN:
                            params.append(value)
                            continue
                        params.append(f.get_db_prep_save(value, conn))
                    else:
                        params.append(f.get_db_prep_save(f.pre_save(obj, True), conn))
            sql = statements.get(len(chunk))
            if sql is None:
                sql = statements[len(chunk)] = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES {values(len(chunk))}{suffix}"
            cursor.execute(sql, params)
            if returning:
                ids = [row[0] for row in cursor.fetchall()]
                if len(ids) != len(chunk):
                    raise BulkPageError("the database did not return primary keys for every new row")
                for obj, value in zip(chunk, ids, strict=True):
                    setattr(obj, pk.attname, value)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return len(objs)


def bulk_add_children(
    parent: Page,
    pages: Sequence[Page],
    *,
    log_action: bool = True,
    update_search_index: bool = True,
    update_reference_index: bool = True,
    user=None,
) -> list[Page]:
    """Insert the unsaved ``pages`` (all of one specific model) as the last children of ``parent``.

    Sets ``pk``, ``path``, ``depth``, ``numchild``, ``url_path``,
    ``content_type``, ``locale``, ``draft_title`` and ``translation_key`` on
    each page and returns them in the given order. Raises
    :class:`BulkPageError` for mixed models, a slug used twice or already used
    by a sibling, or a parent that would exceed treebeard's 1,679,615
    children.
    """
    pages = list(pages)
    if not pages:
        return []
    model = type(pages[0])
    if any(type(p) is not model for p in pages):
        raise BulkPageError("all pages of one call must be of the same model")
    if any(p.pk for p in pages):
        raise BulkPageError("pages must be unsaved")
    slugs = [p.slug for p in pages]
    if any(not s for s in slugs):
        raise BulkPageError("every page needs a slug")
    if len(set(slugs)) != len(slugs):
        raise BulkPageError("two pages of the batch have the same slug")

    with transaction.atomic():
        locked = Page.objects.filter(pk=parent.pk)
        if connection.features.has_select_for_update:
            locked = locked.select_for_update()
        parent_row = locked.values("path", "depth", "url_path", "locale_id", "numchild").get()
        siblings = Page.objects.filter(path__startswith=parent_row["path"], depth=parent_row["depth"] + 1)
        taken = set(siblings.filter(slug__in=slugs).values_list("slug", flat=True))
        if taken:
            raise BulkPageError(f"slug already used under {parent_row['url_path']}: {sorted(taken)[:5]}")
        last_path = siblings.order_by("-path").values_list("path", flat=True).first()
        position = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
        if position + len(pages) > MAX_CHILDREN:
            raise BulkPageError(f"{parent_row['url_path']} cannot hold {len(pages)} more children")

        content_type = ContentType.objects.get_for_model(model)
        depth = parent_row["depth"] + 1
        now = timezone.now()
        for offset, page in enumerate(pages, start=1):
            page.path = Page._get_path(parent_row["path"], depth, position + offset)
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent_row['url_path']}{page.slug}/"
            page.content_type_id = content_type.pk
            page.locale_id = page.locale_id or parent_row["locale_id"]
            page.draft_title = page.draft_title or page.title
            if not page.translation_key:
                page.translation_key = uuid.uuid4()
            if page.live and page.first_published_at is None:
                page.first_published_at = now
            if page.live and page.last_published_at is None:
                page.last_published_at = page.first_published_at

        # Child relations held in memory (read now: once a page has a pk, modelcluster
        # would query the database for relations that were never touched).
        relations = []
        for relation in get_all_child_relations(model):
            accessor = relation.get_accessor_name()
            children = [(page, list(getattr(page, accessor).all())) for page in pages]
            for page, items in children:
                setattr(page, accessor, items)  # a new page's relations are exactly these: no query later
            if any(items for _, items in children):
                relations.append((relation, children))

        # 1. wagtailcore_page rows (bulk_create returns the new primary keys).
        chain = _chain(model)
        base_model = chain[0]
        base_fields = [f for f in base_model._meta.concrete_fields if not f.primary_key]
        insert_rows(base_model, pages, base_fields, returning=True)  # a page's base fields are its own attributes
        for page in pages:
            page.pk = page.id

        # 2. one table per model further down the chain (page_ptr_id = pk).
        for index, level in enumerate(chain[1:], start=1):
            link = level._meta.get_ancestor_link(chain[index - 1])
            for page in pages:
                setattr(page, link.attname, page.pk)
                page._state.adding = False
            _insert_rows(level, pages, list(level._meta.local_concrete_fields))
        for page in pages:
            page._state.adding = False
            page._state.db = Page.objects.db

        # 3. modelcluster child relations held in memory (tags, authors, ...).
        for relation, children in relations:
            fk_attname = relation.field.attname
            rows = []
            for page, items in children:
                for child in items:
                    setattr(child, fk_attname, page.pk)
                    rows.append(child)
            insert_rows(relation.related_model, rows)

        # 4. the parent's child count.
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
        parent.numchild = parent_row["numchild"] + len(pages)

        if log_action:
            insert_rows(
                PageLogEntry,
                [
                    PageLogEntry(
                        content_type_id=content_type.pk,
                        page_id=page.pk,
                        label=page.get_admin_display_title()[:255],
                        action="wagtail.create",
                        timestamp=now,
                        user=user,
                        content_changed=True,
                    )
                    for page in pages
                ],
            )
        if update_reference_index:
            add_references(pages)
        if update_search_index:
            add_to_search_index(model, pages)
    return pages


def add_references(objects: Sequence) -> int:
    """Write ``ReferenceIndex`` rows for newly created ``objects`` (of one model). Returns rows written.

    Equivalent to ``ReferenceIndex.create_or_update_for_object`` for objects
    that have no rows yet, in one ``bulk_create``.
    """
    objects = list(objects)
    if not objects or not ReferenceIndex.is_indexed(type(objects[0])):
        return 0
    sample = objects[0]
    content_type = ContentType.objects.get_for_model(sample, for_concrete_model=False)
    base_model = ([type(sample)] + sample._meta.get_parent_list())[-1]
    base_content_type = ContentType.objects.get_for_model(base_model, for_concrete_model=False)
    rows = []
    hashes: dict[str, object] = {}  # a batch has a handful of distinct content paths ("section", ...)
    for obj in objects:
        for to_ct, to_id, model_path, content_path in set(ReferenceIndex._extract_references_from_object(obj)):
            path_hash = hashes.get(content_path)
            if path_hash is None:
                path_hash = hashes[content_path] = ReferenceIndex._get_content_path_hash(content_path)
            rows.append(
                ReferenceIndex(
                    content_type=content_type,
                    base_content_type=base_content_type,
                    object_id=obj.pk,
                    to_content_type_id=to_ct,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=path_hash,
                )
            )
    insert_rows(ReferenceIndex, rows, ignore_conflicts=True)
    return len(rows)


def add_to_search_index(model, objects: Sequence) -> None:
    """Index ``objects`` in every auto-updating Wagtail search backend, one bulk call per backend.

    Does nothing for models whose ``search_auto_update`` is off, as Wagtail's
    own signal handlers do: ``ArticlePage`` is indexed by akhbar's search app
    instead (``akhbar.search.actions.index_articles`` for bulk writes).
    """
    from wagtail.search.backends import get_search_backends
    from wagtail.search.index import class_is_indexed

    if not objects or not class_is_indexed(model) or not getattr(model, "search_auto_update", True):
        return
    for backend in get_search_backends(with_auto_update=True):
        backend.add_bulk(model, list(objects))


def check_tree() -> list:
    """Treebeard's own consistency check; empty lists mean a valid tree.

    Returns ``Page.find_problems()``: ``(evil_chars, bad_steplen, orphans,
    wrong_depth, wrong_numchild)`` — lists of page ids.
    """
    return list(Page.find_problems())
