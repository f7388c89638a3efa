"""The newsroom's article list (/admin/articles/): roles, filters, bounded queries, cheap counts."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Workflow
from wagtail.permission_policies.pages import PagePermissionPolicy

from akhbar.news import article_listing
from akhbar.news.article_listing import (
    CountedPaginator,
    ListingCount,
    explorable_paths,
    listing_count,
    listing_url,
    paths_q,
    table_row_estimate,
)
from akhbar.news.models import ArticleAuthor, ArticlePage, SectionPage
from akhbar.news.newsroom import CHIEF_EDITORS, EDITORS, REPORTERS, WORKFLOW_NAME

from .factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/articles/"


@pytest.fixture
def economy(home):
    return SectionPage.objects.child_of(home).get(slug="اقتصاد")


@pytest.fixture
def roles(make_user):
    return {
        "reporter": make_user("list-reporter", REPORTERS),
        "editor": make_user("list-editor", EDITORS),
        "chief": make_user("list-chief", CHIEF_EDITORS),
        "admin": make_user("list-admin", is_superuser=True, is_staff=True),
    }


def make_articles(section, n, start=None, **kwargs):
    """``n`` live articles, one a day back from ``start`` (newest first in creation order)."""
    start = start or timezone.now()
    return [
        ArticlePageFactory(parent=section, first_published_at=start - timedelta(days=i), **kwargs) for i in range(n)
    ]


def listed_ids(response) -> list[int]:
    """Article ids in the listing's rows, in order (from the bulk-action checkboxes)."""
    import re

    return [int(i) for i in re.findall(r'data-object-id="(\d+)" data-bulk-action-checkbox', response.content.decode())]


# --- Rendering and roles ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reporter", "editor", "chief", "admin"])
def test_listing_renders_for_each_role_newest_first(client, roles, role, politics, economy):
    old = ArticlePageFactory(parent=politics, title="خبر قديم عن الانتخابات", first_published_at=timezone.now() - timedelta(days=3))
    new = ArticlePageFactory(parent=economy, title="خبر جديد عن الأسواق", first_published_at=timezone.now() - timedelta(hours=1))
    author = AuthorFactory(name="سلمى المراسلة")
    ArticleAuthor.objects.create(page=new, author=author, sort_order=0)
    draft = ArticlePageFactory(parent=politics, title="مسودة لم تنشر", live=False, first_published_at=None)
    client.force_login(roles[role])
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    # Never-published drafts first, then newest publication first.
    assert listed_ids(response) == [draft.pk, new.pk, old.pk]
    for text in ["خبر جديد عن الأسواق", "اقتصاد", "سلمى المراسلة", "قائمة الأخبار", "آخر تعديل"]:
        assert text in html, text
    assert '"/admin/articles/"' in html  # the menu item (in the sidebar's JSON)
    assert "3 الأخبار" in html  # exact count, small listing


def test_menu_item_and_listing_hidden_without_page_permissions(client, make_user):
    """A user who may enter the admin but explore no pages gets neither the menu item nor the list."""
    clerk = make_user("clerk")
    group = Group.objects.create(name="أرشيف")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    clerk.groups.add(group)
    client.force_login(clerk)
    assert "/admin/articles/" not in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.get(LIST)  # Wagtail turns PermissionDenied into a redirect with a message
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def test_reporter_sees_every_story_but_edits_only_their_own(client, roles, politics):
    reporter = roles["reporter"]
    mine = ArticlePageFactory(parent=politics, title="مسودتي", live=False, first_published_at=None, owner=reporter)
    theirs = ArticlePageFactory(parent=politics, title="خبر زميل", owner=roles["editor"])
    client.force_login(reporter)
    response = client.get(LIST)
    html = response.content.decode()
    assert set(listed_ids(response)) == {mine.pk, theirs.pk}
    assert f'href="/admin/pages/{mine.pk}/edit/"' in html
    assert f'href="/admin/pages/{theirs.pk}/edit/"' not in html
    # Editors may edit both.
    client.force_login(roles["editor"])
    html = client.get(LIST).content.decode()
    assert f'href="/admin/pages/{theirs.pk}/edit/"' in html and f'href="/admin/pages/{mine.pk}/edit/"' in html


def test_scope_matches_wagtails_explorable_pages(make_user, roles, politics, economy):
    """The path prefixes give exactly the articles Wagtail's explorer lets each user reach."""
    make_articles(politics, 2)
    make_articles(economy, 2)
    desk = Group.objects.create(name="مكتب الاقتصاد")
    desk.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=desk, page=economy, permission=Permission.objects.get(codename="change_page"))
    users = dict(roles, desk=make_user("desk-editor", "مكتب الاقتصاد"), nobody=make_user("nobody"), gone=make_user("gone", REPORTERS, is_active=False))
    policy = PagePermissionPolicy()
    for name, user in users.items():
        wagtail = set(ArticlePage.objects.filter(pk__in=policy.explorable_instances(user).values("pk")).values_list("pk", flat=True))
        paths = explorable_paths(user)
        ours = set(ArticlePage.objects.filter(paths_q(paths) if paths is not None else ~paths_q([])).values_list("pk", flat=True))
        assert ours == wagtail, name
    assert explorable_paths(users["desk"]) == [economy.path]
    assert explorable_paths(roles["admin"]) is None
    assert explorable_paths(users["gone"]) == []


def test_section_desk_sees_only_its_section_with_an_exact_count(client, make_user, politics, economy):
    make_articles(politics, 2)
    mine = make_articles(economy, 3)
    desk = Group.objects.create(name="مكتب الاقتصاد")
    desk.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=desk, page=economy, permission=Permission.objects.get(codename="change_page"))
    client.force_login(make_user("desk", "مكتب الاقتصاد"))
    response = client.get(LIST)
    assert listed_ids(response) == [a.pk for a in mine]
    assert response.context["paginator"].listing_count == ListingCount(3, "exact")


# --- Filters ----------------------------------------------------------------------------------------


@pytest.fixture
def newsroom_mix(politics, economy, roles):
    """A live story per section, a draft, a scheduled story, one in review, one by a named author."""
    now = timezone.now()
    live_politics = ArticlePageFactory(parent=politics, title="البرلمان يقر الميزانية", first_published_at=now - timedelta(days=40))
    live_economy = ArticlePageFactory(parent=economy, title="البورصة ترتفع", first_published_at=now - timedelta(days=2))
    draft = ArticlePageFactory(parent=economy, title="مسودة عن التضخم", live=False, first_published_at=None)
    draft.save_revision(user=roles["reporter"])
    scheduled = ArticlePageFactory(parent=politics, title="خبر مجدول", live=False, first_published_at=None)
    scheduled.go_live_at = now + timedelta(days=1)
    scheduled.save_revision(user=roles["chief"]).publish(user=roles["chief"])
    in_review = ArticlePageFactory(parent=politics, title="خبر قيد المراجعة", live=False, first_published_at=None, owner=roles["reporter"])
    in_review.save_revision(user=roles["reporter"])
    Workflow.objects.get(name=WORKFLOW_NAME).start(in_review, roles["reporter"])
    author = AuthorFactory(name="كاتب معروف")
    ArticleAuthor.objects.create(page=live_economy, author=author, sort_order=0)
    return {
        "live_politics": live_politics,
        "live_economy": live_economy,
        "draft": draft,
        "scheduled": scheduled,
        "in_review": in_review,
        "author": author,
    }


def test_filters(client, roles, newsroom_mix, politics, economy):
    m = newsroom_mix
    client.force_login(roles["chief"])

    def ids(**params):
        response = client.get(listing_url(**params))
        assert response.status_code == 200
        return set(listed_ids(response))

    assert ids() == {a.pk for k, a in m.items() if k != "author"}
    assert ids(section=economy.pk) == {m["live_economy"].pk, m["draft"].pk}
    assert ids(section=[economy.pk, politics.pk]) == ids()
    assert ids(status="live") == {m["live_politics"].pk, m["live_economy"].pk}
    assert ids(status="draft") == {m["draft"].pk}
    assert ids(status="scheduled") == {m["scheduled"].pk}
    assert ids(status="in_workflow") == {m["in_review"].pk}
    assert ids(author=m["author"].pk) == {m["live_economy"].pk}
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    assert ids(published_at_from=week_ago) == {m["live_economy"].pk}
    assert ids(published_at_to=week_ago) == {m["live_politics"].pk}
    assert ids(q="البورصة") == {m["live_economy"].pk}
    assert ids(q="مسودة", section=economy.pk, status="draft") == {m["draft"].pk}
    assert ids(q="لا يوجد خبر بهذا") == set()


def test_search_matches_the_headline_editors_see(client, roles, politics):
    """A live story whose new headline waits in a draft is found by the new headline (``draft_title``)."""
    article = ArticlePageFactory(parent=politics, title="العنوان المنشور")
    article.title = "العنوان الجديد في المسودة"
    article.save_revision()
    client.force_login(roles["editor"])
    assert listed_ids(client.get(listing_url(q="الجديد"))) == [article.pk]


def test_orderings_are_index_friendly_and_total(client, roles, politics):
    same_time = timezone.now() - timedelta(days=1)
    a, b = (ArticlePageFactory(parent=politics, first_published_at=same_time) for _ in range(2))
    older = ArticlePageFactory(parent=politics, first_published_at=same_time - timedelta(days=1))
    client.force_login(roles["chief"])
    assert listed_ids(client.get(LIST)) == [b.pk, a.pk, older.pk]  # ties broken by id, newest first
    assert listed_ids(client.get(listing_url(ordering="published_at"))) == [older.pk, a.pk, b.pk]
    assert client.get(listing_url(ordering="title")).status_code == 200  # unknown → default order


def test_bad_filter_values_give_the_form_error_not_a_crash(client, roles, politics):
    make_articles(politics, 2)
    client.force_login(roles["chief"])
    for params in [{"status": "nonsense"}, {"section": "x"}, {"author": "999999"}, {"published_at_from": "yesterday"}, {"p": "abc"},
                   {"published_at_from": "0001-01-01"}, {"published_at_to": "9999-12-31"}]:
        assert client.get(listing_url(**params)).status_code == 200, params
    html = client.get(listing_url(published_at_from="0001-01-01")).content.decode()
    assert "9998" in html  # the form says which dates it takes


# --- Bounded work -----------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"status": "draft"}, {"q": "عنوان"}])
def test_query_count_does_not_grow_with_rows(client, roles, politics, economy, params):
    """5 or 60 articles (with authors, drafts and two sections) cost the same number of queries."""
    client.force_login(roles["chief"])
    author = AuthorFactory()

    def add(n):
        for article in make_articles(politics, n) + make_articles(economy, 1, live=False):
            ArticleAuthor.objects.create(page=article, author=author, sort_order=0)

    add(4)
    url = listing_url(**params)
    count_queries(client, url)  # warm per-process caches (content types, sites)
    few = count_queries(client, url)
    add(55)
    many = count_queries(client, url)
    assert many == few
    assert many <= 25


# --- Counting ---------------------------------------------------------------------------------------


def test_listing_count_exact_below_the_cap_and_capped_above(politics, monkeypatch):
    make_articles(politics, 7)
    qs = ArticlePage.objects.all()
    assert listing_count(qs) == ListingCount(7, "exact")
    monkeypatch.setattr(article_listing, "COUNT_CAP", 5)
    assert listing_count(qs, per_page=2) == ListingCount(6, "at_least")  # stopped at 5 + 1
    assert listing_count(qs, per_page=2, page_number=3) == ListingCount(7, "at_least")  # cap follows the page (6 + 1)
    assert listing_count(qs, per_page=2, page_number=4) == ListingCount(7, "exact")  # (8 + 1)
    assert listing_count(qs, per_page=2, page_number=2) == ListingCount(6, "at_least")
    with CaptureQueriesContext(connection) as ctx:
        listing_count(qs.filter(live=True), per_page=2)
    assert len(ctx.captured_queries) == 1
    assert "LIMIT 6" in ctx.captured_queries[0]["sql"]


def test_listing_count_labels():
    assert ListingCount(1234).label == "1,234"
    assert ListingCount(10_001, "at_least").label == "أكثر من 10,000"
    assert ListingCount(999_322, "about").label == "حوالي 999,322"
    assert str(ListingCount(7)) == "7"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite path")
def test_estimate_falls_back_to_counting_without_postgresql(politics):
    make_articles(politics, 3)
    assert table_row_estimate(ArticlePage) is None
    assert listing_count(ArticlePage.objects.all(), estimate=True) == ListingCount(3, "exact")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_postgresql_estimate_used_for_the_whole_archive(politics, monkeypatch):
    make_articles(politics, 12)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_articlepage")
    assert table_row_estimate(ArticlePage) == 12
    monkeypatch.setattr(article_listing, "COUNT_CAP", 5)
    with CaptureQueriesContext(connection) as ctx:
        count = listing_count(ArticlePage.objects.all(), per_page=2, estimate=True)
    assert count == ListingCount(12, "about")
    assert len(ctx.captured_queries) == 1 and "pg_class" in ctx.captured_queries[0]["sql"]
    # Deep pages are counted again (the estimate is below the page asked for).
    assert listing_count(ArticlePage.objects.all(), per_page=2, page_number=7, estimate=True) == ListingCount(12, "exact")


def test_paginator_never_counts(politics):
    make_articles(politics, 3)
    paginator = CountedPaginator(ArticlePage.objects.order_by("-pk"), 2, listing_count=ListingCount(101, "at_least"))
    with CaptureQueriesContext(connection) as ctx:
        assert paginator.num_pages == 51
        assert "أكثر من" in paginator.items_count_label
    assert not ctx.captured_queries


def test_capped_count_in_the_listing_keeps_next_pages_reachable(client, roles, politics, monkeypatch):
    make_articles(politics, 60)
    monkeypatch.setattr(article_listing, "COUNT_CAP", 10)
    client.force_login(roles["chief"])
    first = client.get(listing_url(status="live"))
    assert first.context["paginator"].listing_count == ListingCount(51, "at_least")
    assert "أكثر من 50" in first.content.decode()
    assert len(listed_ids(first)) == 50
    second = client.get(listing_url(status="live", p=2))
    assert second.context["paginator"].listing_count == ListingCount(60, "exact")
    assert len(listed_ids(second)) == 10


def test_unfiltered_listing_asks_for_the_estimate_only_when_the_user_sees_everything(client, roles, politics, make_user, monkeypatch):
    make_articles(politics, 2)
    calls = []
    real = article_listing.listing_count

    def spy(queryset, **kwargs):
        calls.append(kwargs["estimate"])
        return real(queryset, **kwargs)

    monkeypatch.setattr(article_listing, "listing_count", spy)
    client.force_login(roles["reporter"])
    client.get(LIST)
    client.get(listing_url(status="live"))
    client.get(listing_url(q="عنوان"))
    assert calls == [True, False, False]


# --- Links from the explorer --------------------------------------------------------------------------


def test_section_explorer_links_to_its_filtered_list(client, roles, politics, home):
    client.force_login(roles["reporter"])
    section_explorer = client.get(reverse("wagtailadmin_explore", args=[politics.pk])).content.decode()
    assert f'href="/admin/articles/?section={politics.pk}"' in section_explorer
    assert "أخبار هذا القسم" in section_explorer
    home_explorer = client.get(reverse("wagtailadmin_explore", args=[home.pk])).content.decode()
    assert f'href="/admin/articles/?section={politics.pk}"' in home_explorer  # on the section's row
    assert 'href="/admin/articles/"' in home_explorer
    # Not on an article's row or header.
    article = ArticlePageFactory(parent=politics)
    assert "/admin/articles/?section" not in client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()


def test_add_goes_through_choosing_a_section(client, roles, politics):
    client.force_login(roles["reporter"])
    html = client.get(LIST).content.decode()
    assert reverse("articles:choose_parent") in html  # the listing's "add" button
    assert client.get(reverse("articles:choose_parent")).status_code == 200
    response = client.post(reverse("articles:choose_parent"), {"parent_page": politics.pk})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk))



def test_filter_results_fragment(client, roles, politics, economy):
    """Wagtail refreshes the table through ``results/`` when a filter changes: same rows, same rules."""
    mine = make_articles(economy, 2)
    make_articles(politics, 1)
    client.force_login(roles["editor"])
    response = client.get(reverse("articles:index_results") + f"?section={economy.pk}")
    assert response.status_code == 200
    assert listed_ids(response) == [a.pk for a in mine]
    assert "<html" not in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_postgresql_listing_shows_the_estimate_unfiltered(client, roles, politics, monkeypatch):
    make_articles(politics, 60)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE news_articlepage")
    monkeypatch.setattr(article_listing, "COUNT_CAP", 5)  # page 1 counts up to 50 + 1 rows
    client.force_login(roles["chief"])
    response = client.get(LIST)
    assert response.context["paginator"].listing_count == ListingCount(60, "about")
    assert "حوالي 60" in response.content.decode()
    assert "حوالي" not in client.get(listing_url(section=politics.pk)).content.decode()


def test_page_ids_come_from_the_article_table_alone(client, roles, politics, economy):
    """Deep pages skip index entries, not joins: with no page-table filter the ids query reads
    news_articlepage only (the index ``article_section_listing``), for a role that sees every section."""
    articles = make_articles(politics, 55)
    make_articles(economy, 2)
    client.force_login(roles["chief"])
    for params in [{"section": politics.pk, "p": 2}, {"p": 2}, {"status": "live", "p": 2}]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(listing_url(**params))
        ids_queries = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "news_articlepage"."page_ptr_id" AS "pk"')]
        assert len(ids_queries) == 1, params
        assert "JOIN" not in ids_queries[0] and "OFFSET 50" in ids_queries[0], params
    assert listed_ids(response)  # page 2 of the live stories
    assert listed_ids(client.get(listing_url(section=politics.pk, p=2))) == [a.pk for a in articles[50:]]


def test_section_explorer_counts_children_up_to_the_cap(client, roles, politics, monkeypatch):
    """Wagtail's own explorer of a section no longer counts every story (SectionExplorerView)."""
    make_articles(politics, 55)
    monkeypatch.setattr(article_listing, "COUNT_CAP", 10)
    client.force_login(roles["chief"])
    url = reverse("wagtailadmin_explore", args=[politics.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "news_articlepage" in q["sql"]]
    assert counts and all("LIMIT 51" in sql for sql in counts), counts
    assert response.context["paginator"].listing_count == ListingCount(51, "at_least")
    assert "أكثر من 50" in response.content.decode()
    second = client.get(url + "?p=2")
    assert second.context["paginator"].listing_count == ListingCount(55, "exact")
    assert len(listed_ids(second)) == 5
    # Other page types keep Wagtail's explorer.
    assert type(client.get(reverse("wagtailadmin_explore", args=[politics.get_parent().pk])).context["view"]).__name__ == "ExplorableIndexView"


def test_headline_search_counts_to_a_smaller_cap(client, roles, politics, monkeypatch):
    make_articles(politics, 3)
    monkeypatch.setattr(article_listing, "SEARCH_COUNT_CAP", 1)
    monkeypatch.setattr(article_listing, "COUNT_CAP", 1)
    client.force_login(roles["chief"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(listing_url(q="عنوان"))
    assert response.context["paginator"].listing_count == ListingCount(3, "exact")
    assert any("COUNT(*)" in q["sql"] and "LIMIT 51" in q["sql"] for q in ctx.captured_queries)
    monkeypatch.setattr(article_listing, "COUNT_CAP", 10_000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(listing_url(q="عنوان"))
    assert any("COUNT(*)" in q["sql"] and "LIMIT 51" in q["sql"] for q in ctx.captured_queries)  # not 10,001


def test_bulk_actions_without_select_all_in_listing(client, roles, politics):
    """Rows of a page can be published / unpublished / moved / deleted together, but not "all pages in
    listing": Wagtail would apply that to every page of the site, ignoring the filters."""
    make_articles(politics, 55)
    client.force_login(roles["chief"])
    html = client.get(listing_url(section=politics.pk)).content.decode()
    assert "data-bulk-action-checkbox" in html and "/admin/bulk/wagtailcore/page/publish/" in html
    assert "data-bulk-action-num-objects-in-listing" not in html
    # Wagtail's explorer of the section keeps it (there "all" means the section's children).
    assert "data-bulk-action-num-objects-in-listing" in client.get(reverse("wagtailadmin_explore", args=[politics.pk])).content.decode()
