"""The bulk page writer keeps the tree valid and the pages usable."""

import pytest
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from akhbar.news.bulk import BulkPageError, bulk_add_children, check_tree
from akhbar.news.models import ArticleAuthor, ArticlePage
from tests.news.factories import ArticlePageFactory, AuthorFactory, NewsImageFactory


def make(n, prefix="خبر-جماعي"):
    return [
        ArticlePage(
            title=f"عنوان {prefix} {i}",
            slug=f"{prefix}-{i}",
            standfirst="مقدمة.",
            body=[{"type": "paragraph", "value": f"<p>فقرة {i}</p>"}],
            live=True,
            published_at=timezone.now(),
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_bulk_children_follow_existing_ones_and_tree_stays_valid(politics):
    first = ArticlePageFactory(parent=politics)
    pages = bulk_add_children(politics, make(30))
    assert check_tree() == [[], [], [], [], []]
    politics.refresh_from_db()
    assert politics.numchild == 31
    children = list(politics.get_children().specific())
    assert children[0].pk == first.pk
    assert [c.pk for c in children[1:]] == [p.pk for p in pages]
    page = ArticlePage.objects.get(pk=pages[7].pk)
    assert page.url_path == politics.url_path + "خبر-جماعي-7/"
    assert page.get_parent().pk == politics.pk
    assert page.locale_id == politics.locale_id
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create").exists()
    # add_child after a bulk write continues the sequence
    later = ArticlePageFactory(parent=politics)
    assert later.path > pages[-1].path
    assert check_tree() == [[], [], [], [], []]


@pytest.mark.django_db
def test_bulk_pages_are_served_and_searchable(client, politics):
    (page,) = bulk_add_children(politics, make(1, "قابل-للبحث"))
    response = client.get(page.url)
    assert response.status_code == 200
    assert "فقرة 0" in response.content.decode()
    # articles are searched through akhbar's index (Wagtail's is off for them: search_auto_update)
    from akhbar.search.actions import index_articles
    from akhbar.search.engine import search

    assert search("قابل").count == 0  # bulk writes send no signals
    assert index_articles([page]) == 1
    assert page.pk in search("قابل").ids


@pytest.mark.django_db
def test_bulk_writes_wagtail_search_entries_only_for_models_that_want_them(politics, home):
    from wagtail.search.models import IndexEntry

    from akhbar.news.models import StaticPage

    before = IndexEntry.objects.count()
    bulk_add_children(politics, make(2, "بلا-فهرسة-فاغتيل"))
    assert IndexEntry.objects.count() == before  # ArticlePage.search_auto_update is False
    (static,) = bulk_add_children(home, [StaticPage(title="من نحن", slug="من-نحن-bulk")])
    assert static.pk in [p.pk for p in StaticPage.objects.search("نحن")]


@pytest.mark.django_db
def test_bulk_writes_child_relations_and_references(politics):
    image = NewsImageFactory()
    author = AuthorFactory()
    page = make(1, "مع-صورة")[0]
    page.lead_image = image
    page.tags.add("وسم أول", "وسم ثان")
    page.article_authors.add(ArticleAuthor(author=author, sort_order=0))
    bulk_add_children(politics, [page])
    stored = ArticlePage.objects.get(pk=page.pk)
    assert sorted(t.name for t in stored.tags.all()) == ["وسم أول", "وسم ثان"]
    assert [link.author_id for link in stored.article_authors.all()] == [author.pk]
    assert ReferenceIndex.get_references_to(image).filter(object_id=str(page.pk)).exists()


@pytest.mark.django_db
def test_bulk_refuses_duplicate_slugs(politics):
    ArticlePageFactory(parent=politics, slug="مكرر")
    dup = make(1)
    dup[0].slug = "مكرر"
    with pytest.raises(BulkPageError):
        bulk_add_children(politics, dup)
    twice = make(2)
    twice[1].slug = twice[0].slug
    with pytest.raises(BulkPageError):
        bulk_add_children(politics, twice)
    assert check_tree() == [[], [], [], [], []]


@pytest.mark.django_db
def test_fix_tree_finds_nothing_to_fix(politics):
    bulk_add_children(politics, make(5))
    before = list(Page.objects.order_by("path").values_list("path", "depth", "numchild"))
    Page.fix_tree()
    after = list(Page.objects.order_by("path").values_list("path", "depth", "numchild"))
    assert before == after


def test_insert_rows_same_rows_with_server_side_binding_chunked_and_ids_in_order(db, monkeypatch):
    """``insert_rows``: on PostgreSQL ``$n`` placeholders (``RawCursor``), more rows than one statement's
    65,535 parameters, ``RETURNING`` ids in insertion order, NULLs, JSON and unicode as Django writes them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.contrib.redirects.models import Redirect

    from akhbar.ingest.models import ImportedComment, WxrSite
    from akhbar.news import bulk

    site = WxrSite.objects.create(key="bulk.example", base_url="https://bulk.example")
    rows = [
        ImportedComment(site=site, wp_id=i, wp_post_id=1, status="approved", author_name=f"قارئ {i}", content="تعليق",
                        meta={"k": [i, None, "ع"]}, submitted_at=timezone.now() if i % 2 else None)
        for i in range(1, 4001)
    ]
    monkeypatch.setattr(bulk, "MAX_PG_PARAMS", 3000)  # a few rows per statement: several chunks
    with CaptureQueriesContext(connection) as queries:
        assert bulk.insert_rows(ImportedComment, rows, returning=True) == 4000
    assert len(queries) > 1  # chunked, and Django still sees (and logs) every statement
    stored = dict(ImportedComment.objects.values_list("pk", "wp_id"))
    assert [stored[r.pk] for r in rows] == list(range(1, 4001))  # ids set on the objects in order
    first, second = ImportedComment.objects.get(wp_id=1), ImportedComment.objects.get(wp_id=2)
    assert first.meta == {"k": [1, None, "ع"]} and first.author_name == "قارئ 1" and first.submitted_at is not None
    assert second.submitted_at is None
    from wagtail.models import Site

    here = Site.objects.first()
    redirects = [Redirect(old_path=f"/old/{i}", site=here, redirect_link="/new") for i in range(3)]
    redirects.append(Redirect(old_path="/old/0", site=here, redirect_link="/x"))  # a conflict: skipped
    bulk.insert_rows(Redirect, redirects, ignore_conflicts=True)
    assert Redirect.objects.get(old_path="/old/0").redirect_link == "/new" and Redirect.objects.count() == 3
