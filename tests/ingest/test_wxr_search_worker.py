"""The WordPress importer's search index process (PostgreSQL): committed batches only, nothing left unindexed.

These tests commit (``transaction=True``): the second process has its own
connection and sees only committed rows, as in a real import.
"""

import pytest
from django.db import connection, transaction

from akhbar.ingest.models import WxrItem
from akhbar.ingest.wxr import importer as importer_module
from akhbar.ingest.wxr import search_worker
from akhbar.ingest.wxr.importer import import_wxr
from akhbar.news.models import ArticlePage, HomePage
from akhbar.news.newsroom import ensure_newsroom
from akhbar.search import indexer
from akhbar.search.engine import search
from akhbar.search.models import SearchDocument
from tests.ingest.wxr_fixtures import Comment, Post, write, wxr

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the search process is used on PostgreSQL only")


@pytest.fixture
def committed_home(transactional_db, settings, tmp_path):
    """A newsroom in committed tables; the search tables emptied afterwards (``search_match`` is no Django model:
    the test database's flush would leave its rows behind)."""
    settings.MEDIA_ROOT = tmp_path / "media-root"
    home = HomePage.objects.first() or ensure_newsroom()
    yield home
    indexer.clear_index()


def external(wp_id):
    return f"wxr:old.example:{wp_id}"


def indexed_ids():
    return set(SearchDocument.objects.values_list("article_id", flat=True))


@postgres_only
def test_articles_are_indexed_by_the_second_process_and_searchable_at_the_end(tmp_path, committed_home):
    items = [Post(id=1, slug="a", title="زلزال قوي يضرب الساحل"), Post(id=2, slug="b", title="زلزال في مسودة", status="draft"),
             Post(id=3, slug="c", title="فيضان في الوادي")]
    report = import_wxr(write(tmp_path, wxr(items)), batch_size=2)
    assert report.ok and report.counts["post"]["imported"] == 3
    assert report.search_process_cpu_seconds > 0  # the second process did the indexing
    live = ArticlePage.objects.get(external_id=external(1))
    assert search("زلزال").ids == [live.pk]
    assert indexed_ids() == set(ArticlePage.objects.filter(live=True).values_list("pk", flat=True))


@postgres_only
def test_a_rolled_back_item_never_reaches_the_index(tmp_path, committed_home, monkeypatch):
    real = importer_module.WxrImporter.write_comments

    def failing(self, pairs):
        if any(page.slug == "bad" for page, _ in pairs):
            raise RuntimeError("disk on fire")  # after the page rows were written, inside the transaction
        return real(self, pairs)

    monkeypatch.setattr(importer_module.WxrImporter, "write_comments", failing)
    items = [Post(id=1, slug="good-1", title="خبر أول"), Post(id=2, slug="bad", title="خبر سيئ", comments=[Comment(5)]),
             Post(id=3, slug="good-2", title="خبر ثالث")]
    report = import_wxr(write(tmp_path, wxr(items)))
    assert report.counts["post"]["imported"] == 2 and report.counts["post"]["failed"] == 1
    assert not ArticlePage.objects.filter(slug="bad").exists()
    good = set(ArticlePage.objects.filter(external_id__in=[external(1), external(3)]).values_list("pk", flat=True))
    assert len(good) == 2 and indexed_ids() == good


@postgres_only
def test_what_the_process_did_not_index_is_indexed_by_the_importer(tmp_path, committed_home, monkeypatch):
    monkeypatch.setattr(search_worker.SearchWorker, "submit", lambda self, sources: None)  # a lost batch
    report = import_wxr(write(tmp_path, wxr([Post(id=1, slug="a", title="زلزال قوي")])))
    assert report.ok
    assert search("زلزال").ids == [ArticlePage.objects.get(external_id=external(1)).pk]


@postgres_only
def test_a_run_stopped_before_indexing_is_repaired_by_the_next_import(tmp_path, committed_home, monkeypatch):
    path = write(tmp_path, wxr([Post(id=1, slug="a", title="زلزال قوي"), Post(id=2, slug="b", title="زلزال آخر")]))
    with monkeypatch.context() as patched:  # the first run "dies" after committing its pages
        patched.setattr(search_worker.SearchWorker, "submit", lambda self, sources: None)
        patched.setattr(importer_module.WxrImporter, "_index_missing", lambda self: None)
        import_wxr(path)
    assert indexed_ids() == set() and WxrItem.objects.filter(kind="post").count() == 2
    again = import_wxr(path)
    assert again.counts["post"]["skipped"] == 2  # unchanged: not converted again, but indexed
    assert indexed_ids() == set(ArticlePage.objects.filter(live=True).values_list("pk", flat=True)) != set()


@postgres_only
def test_the_process_is_not_used_inside_a_transaction_or_when_turned_off(tmp_path, committed_home, monkeypatch):
    started = []
    monkeypatch.setattr(search_worker.SearchWorker, "__init__", lambda self, *a, **k: started.append(1) or None)
    with transaction.atomic():
        assert not search_worker.usable()
        report = import_wxr(write(tmp_path, wxr([Post(id=1, slug="a", title="زلزال قوي")])))
        assert report.ok and search("زلزال").ids  # indexed in the importer's own transaction
    import_wxr(write(tmp_path, wxr([Post(id=2, slug="b", title="فيضان")]), "other.xml"), search_worker=False)
    assert started == [] and len(indexed_ids()) == 2


def test_sqlite_never_uses_the_process(db):
    if connection.vendor == "sqlite":
        assert not search_worker.usable()


@postgres_only
def test_a_hung_process_is_given_up_and_never_blocks_the_import(committed_home, monkeypatch):
    import time

    from akhbar.search import analysis
    from akhbar.search.indexer import SourceDocument

    monkeypatch.setattr(analysis, "trim_word_caches", lambda: time.sleep(60))  # the child hangs on its first batch
    worker = search_worker.SearchWorker(max_pending=1)
    worker.patience = 2
    started = time.monotonic()
    for n in range(4):  # the first is taken (and hangs), the second fills the queue, then submit gives up
        worker.submit([SourceDocument(article_id=n, title="خبر")])
    assert worker.stalled
    result = worker.close(timeout=2)
    assert result.failures and not worker.process.is_alive()
    assert time.monotonic() - started < 30
