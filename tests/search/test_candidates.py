"""The candidate tiers: PostgreSQL's one statement against the tier-by-tier path, the headline
tier's ``#`` lexemes, round trips, and rows read as bytes (run on SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from akhbar.search import engine
from akhbar.search import query as q
from akhbar.search.engine import Filters, backend_for

from .conftest import make_article

pytestmark = pytest.mark.django_db


class _TierByTier:
    """A backend without ``gather``: :func:`engine.gather` then runs the tiers one by one."""

    def __init__(self, backend):
        self._backend = backend

    def ids(self, *args):
        return self._backend.ids(*args)

    def count(self, *args):
        return self._backend.count(*args)

    def session(self):
        return self._backend.session()


@pytest.fixture
def crowded(politics):
    """Twelve stories with both words in the body (tier 1), four in the headline, two more in
    the lead only, and three with one word only (relaxed tier)."""
    now = timezone.now()
    made = {"body": [], "title": [], "lead": [], "one": []}
    for n in range(12):
        made["body"].append(make_article(politics, f"تقرير يومي {n}", body="انتخابات بلدية في المدينة", when=now - dt.timedelta(minutes=n)))
    for n in range(4):
        made["title"].append(make_article(politics, f"انتخابات بلدية {n}", when=now - dt.timedelta(days=30 + n)))
    for n in range(2):
        made["lead"].append(make_article(politics, f"خبر {n}", standfirst="انتخابات بلدية هادئة", when=now - dt.timedelta(days=60 + n)))
    for n in range(3):
        made["one"].append(make_article(politics, f"انتخابات فقط {n}", when=now - dt.timedelta(days=90 + n)))
    return made


@pytest.mark.parametrize("window", [3, 5, 8, 30, 200])
@pytest.mark.parametrize("raw", ["انتخابات بلدية", "انتخابات بلدية المدينة", "بلدية", "انتخابات فقط خبر", '"انتخابات بلدية"'])
@pytest.mark.parametrize("recent", [False, True])
def test_one_statement_gathers_what_the_tiers_gather(crowded, monkeypatch, window, raw, recent, politics):
    monkeypatch.setattr(engine, "CANDIDATES", window)
    plan = q.parse_query(raw)
    engine.prepare(plan)
    backend = backend_for()
    filters = Filters()
    if recent:  # filters repeat in every tier: their parameters must follow the statement's order
        filters = Filters(section_id=politics.pk, date_from=timezone.localdate() - dt.timedelta(days=45))
    fast = engine.gather(plan, backend, filters)
    slow = engine.gather(plan, _TierByTier(backend), filters)
    assert sorted(r.article_id for r in fast.rows) == sorted(r.article_id for r in slow.rows)
    assert (fast.count, fast.relaxed) == (slow.count, slow.relaxed)
    assert fast.rows and all(isinstance(r.body, bytes) for r in fast.rows)


def test_headline_tier_is_only_the_headline(crowded):
    backend = backend_for()
    plan = q.parse_query("انتخابات بلدية")
    engine.prepare(plan)
    for g in plan.groups:  # stems only (a name key of the title tier may be in the lead too)
        g.use_key, g.splits = False, []
    plan.joins = ["" for _j in plan.joins]
    got = set(backend.ids(q.all_expression(plan, "title"), Filters(), 100))
    assert got == {a.pk for a in crowded["title"]}
    head = set(backend.ids(q.all_expression(plan, "head"), Filters(), 100))
    assert head == {a.pk for a in crowded["title"] + crowded["lead"]}


def test_postgresql_headline_terms_need_no_recheck(crowded):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL tsquery")
    backend = backend_for()
    plan = q.parse_query("انتخابات بلدية")
    engine.prepare(plan)
    params = []
    backend.compile(q.all_expression(plan, "title"), params)
    assert "'#انتخاب'" in params[0] and ":A" not in params[0]  # no weights: GIN decides alone
    phrase = q.parse_query('"انتخابات بلدية"')
    params = []
    backend.compile(q.all_expression(phrase, "title"), params)
    assert "'انتخاب':A <-> 'بلد':A" in params[0]  # a quoted phrase still needs positions


def test_a_relevance_search_is_two_statements_on_postgresql(crowded, monkeypatch):
    monkeypatch.setattr(engine, "CANDIDATES", 5)  # the window is cut: every tier takes part
    with CaptureQueriesContext(connection) as captured:
        results = engine.search("انتخابات بلدية")
    assert len(results.ids) == 10
    if connection.vendor == "postgresql":
        assert len(captured.captured_queries) == 2  # prepare, then candidates + rows
        assert captured.captured_queries[1]["sql"].startswith("SET LOCAL enable_seqscan = off; ")
        assert " WITH s AS MATERIALIZED " in captured.captured_queries[1]["sql"]
    with connection.cursor() as cursor:  # the setting did not outlive the statement
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"


def _server_side_binding() -> bool:
    return connection.vendor == "postgresql" and bool(connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"))


def _candidate_plans() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%WITH s AS MATERIALIZED%"],
        )
        return {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}


def test_the_candidate_statement_is_prepared_once_per_connection(crowded):
    """With server-side binding (``AKHBAR_DB_PREPARE_THRESHOLD`` > 0) the candidate statement is a
    prepared statement run with its generic plan: searches of the same shape plan nothing."""
    if not _server_side_binding():
        pytest.skip("prepared candidate statements need PostgreSQL with server-side binding")
    before = _candidate_plans()  # the connection may hold statements of earlier tests
    first = engine.search("انتخابات بلدية")
    again = engine.search("الانتخابات البلدية")  # same stems, same shape
    assert again.ids == first.ids and first.ids
    after = _candidate_plans()
    used = {s: (g - before.get(s, (0, 0))[0], c - before.get(s, (0, 0))[1]) for s, (g, c) in after.items() if (g, c) != before.get(s)}
    assert list(used.values()) == [(2, 0)]  # one statement, its generic plan used twice, never a custom plan


@pytest.mark.django_db(transaction=True)
def test_the_pipelined_statement_runs_in_its_own_transaction():
    """Outside an ``atomic`` block: ``BEGIN``, the settings, the statement and ``COMMIT`` in one
    pipeline; the settings end with it, a failing statement is rolled back and the connection
    stays usable. (No ``search_match`` here: this test commits.)"""
    if not _server_side_binding():
        pytest.skip("the pipelined path needs PostgreSQL with server-side binding")
    from django.db import DataError

    rows = engine._generic_plan_rows(
        connection, "SELECT %s::text, current_setting('enable_seqscan'), current_setting('plan_cache_mode')", ["نص"]
    )
    assert rows == [("نص".encode(), b"off", b"force_generic_plan")]  # text as UTF-8 bytes
    assert all(type(value) is bytes for value in rows[0])  # not memoryview: ranking calls bytes methods
    with pytest.raises(DataError):
        engine._generic_plan_rows(connection, "SELECT 1 / %s::int", [0])
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"
    assert connection.connection.info.transaction_status.name == "IDLE"


def test_prepare_reads_statistics_and_spellings_in_one_statement(crowded):
    plan = q.parse_query("انتخابات بلدية")
    with CaptureQueriesContext(connection) as captured:
        stats = engine.prepare(plan)
    assert len(captured.captured_queries) == 1
    assert stats.n == 21 and stats.df["انتخاب"] == 21 and stats.df["بلد"] == 18


def test_rows_are_read_as_bytes_and_the_driver_is_restored(crowded):
    rows = engine.fetch_rows([crowded["title"][0].pk])
    assert rows[0].title == " انتخاب بلد 0 ".encode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT title FROM search_document WHERE article_id = %s", [crowded["title"][0].pk])
        assert isinstance(cursor.fetchone()[0], str)
