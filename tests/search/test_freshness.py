"""The index follows publishing: publish, edit, unpublish, delete (Wagtail's own API and signals)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from akhbar.news.models import ArticlePage
from akhbar.search.analysis import analyze_terms
from akhbar.search.engine import search
from akhbar.search.models import SearchDocument, SearchStats, SearchTerm
from tests.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def found(raw):
    return search(raw).ids


def draft(section, title):
    return ArticlePageFactory(parent=section, title=title, live=False, first_published_at=None, last_published_at=None)


def test_draft_is_not_searchable_until_published(politics):
    page = draft(politics, "مهرجان قرطاج السينمائي يفتتح دورته")
    assert found("قرطاج") == []
    page.save_revision().publish()
    assert found("قرطاج") == [page.pk]
    assert found("قرطاج")  # and variants of it
    assert found("مهرجان قرطاج") == [page.pk]


def test_unpublish_removes_and_republish_restores(politics):
    page = draft(politics, "مهرجان قرطاج السينمائي يفتتح دورته")
    page.save_revision().publish()
    page.refresh_from_db()
    page.unpublish()
    assert found("قرطاج") == []
    assert not SearchDocument.objects.filter(article_id=page.pk).exists()
    page.refresh_from_db()
    page.save_revision().publish()
    assert found("قرطاج") == [page.pk]


def test_published_edit_replaces_old_text_and_draft_edit_does_not(politics):
    page = draft(politics, "مهرجان قرطاج السينمائي يفتتح دورته")
    page.save_revision().publish()
    page.refresh_from_db()
    page.title = "مهرجان الجونة السينمائي يفتتح دورته"
    page.save_revision()  # a draft: the live text stays searchable, the draft is not
    assert found("قرطاج") == [page.pk]
    assert found("الجونة") == []
    page.refresh_from_db()
    page.get_latest_revision().publish()
    assert found("الجونة") == [page.pk]
    assert found("قرطاج") == []
    assert SearchTerm.objects.get(term="قرطاج").df == 0


def test_delete_removes(politics):
    page = draft(politics, "مهرجان قرطاج السينمائي يفتتح دورته")
    page.save_revision().publish()
    ArticlePage.objects.get(pk=page.pk).delete()
    assert found("قرطاج") == []
    assert SearchStats.objects.get().documents == 0


def test_reindex_rebuilds_in_place_and_drops_stale_entries(politics, capsys):
    pages = [ArticlePageFactory(parent=politics, title=f"مباراة الدوري رقم {n}") for n in range(5)]
    SearchDocument.objects.filter(article_id=pages[0].pk).delete()  # lost entry
    ArticlePage.objects.filter(pk=pages[1].pk).update(live=False)  # unpublished without signals
    call_command("reindex", batch_size=2, no_progress=True)
    assert "indexed 4 articles, removed 1 stale" in capsys.readouterr().out
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {p.pk for p in pages if p.pk != pages[1].pk}
    assert len(search("مباراة الدوري").ids) == 4
    call_command("reindex", clear=True, no_progress=True)
    assert SearchStats.objects.get().documents == 4
    assert SearchTerm.objects.get(term=analyze_terms("مباراة")[0]).df == 4


def test_term_statistics_stay_consistent(politics):
    pages = [ArticlePageFactory(parent=politics, title=f"قمة العشرين {n}", first_published_at=timezone.now()) for n in range(3)]
    assert SearchTerm.objects.get(term="عشر").df == 3
    pages[0].delete()
    assert SearchTerm.objects.get(term="عشر").df == 2
    stats = SearchStats.objects.get()
    assert stats.documents == 2
    assert stats.title_tokens == sum(len(d.title.split()) for d in SearchDocument.objects.all())
