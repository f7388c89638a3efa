"""``index_batches``: the pipelined bulk indexer gives the same index as one batch at a time."""

import pytest

from akhbar.search import indexer
from akhbar.search.engine import search
from akhbar.search.models import SearchDocument, SearchStats, SearchTerm
from akhbar.search.indexer import SourceDocument

pytestmark = pytest.mark.django_db


def _source(n):
    return SourceDocument(
        article_id=n, title=f"وزير المالية يعرض الموازنة رقم {n}", lead="مقدمة الخبر عن الاقتصاد",
        body=f"نص الخبر {n} عن إسرائيل والأمم المتحدة", published_at=None, section_id=None,
    )


def _snapshot():
    terms = sorted(SearchTerm.objects.values_list("term", "df"))
    stats = SearchStats.objects.values_list("documents", "title_tokens", "lead_tokens", "body_tokens").first()
    return sorted(SearchDocument.objects.values_list("article_id", flat=True)), terms, stats


def test_pipelined_batches_write_what_single_batches_write():
    sources = [_source(n) for n in range(1, 23)]
    written = list(indexer.index_batches([sources[i:i + 5] for i in range(0, len(sources), 5)]))
    assert written == [5, 5, 5, 5, 2]
    pipelined = _snapshot()
    indexer.clear_index()
    for i in range(0, len(sources), 5):
        indexer.index_documents(sources[i:i + 5])
    assert _snapshot() == pipelined
    assert search("اسرائيل").count == 22


def test_an_error_in_the_analysis_stops_the_run_and_keeps_what_was_written(monkeypatch):
    real = indexer.analyse_document

    def analyse(src):
        if src.article_id == 7:
            raise ValueError("broken article")
        return real(src)

    monkeypatch.setattr(indexer, "analyse_document", analyse)
    batches = [[_source(1), _source(2)], [_source(7)], [_source(9)]]
    with pytest.raises(ValueError, match="broken article"):
        list(indexer.index_batches(batches))
    assert sorted(SearchDocument.objects.values_list("article_id", flat=True)) == [1, 2]


def _count(text: str) -> int:
    return len(text.split())


def test_documents_store_their_term_counts_and_the_migration_fills_them_alike():
    from importlib import import_module

    from django.db import connection

    sources = [_source(n) for n in range(1, 6)] + [
        SourceDocument(article_id=9, title="", lead="", body="كلمة", published_at=None, section_id=None)
    ]
    indexer.index_documents(sources)
    counted = {d.article_id: (_count(d.title), _count(d.lead), _count(d.body)) for d in SearchDocument.objects.all()}
    stored = {d.article_id: (d.title_length, d.lead_length, d.body_length) for d in SearchDocument.objects.all()}
    assert stored == counted and counted[9] == (0, 0, 1) and all(c[2] > 1 for i, c in counted.items() if i != 9)
    before = search("اسرائيل").ids
    SearchDocument.objects.update(title_length=None, lead_length=None, body_length=None)
    assert search("اسرائيل").ids == before  # NULL counts: the engine counts
    with connection.cursor() as cursor:
        cursor.execute(import_module("akhbar.search.migrations.0006_term_counts")._FILL)
    assert {d.article_id: (d.title_length, d.lead_length, d.body_length) for d in SearchDocument.objects.all()} == counted
    assert search("اسرائيل").ids == before
