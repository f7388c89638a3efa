"""Imported WordPress comments adopted into the comments app: statuses, threads, counts, re-imports, the command."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from akhbar.comments.actions import approve_comments, reject_comments
from akhbar.comments.models import Comment, Discussion
from akhbar.ingest.comments import AdoptionReport, adopt_waiting, plain_text
from akhbar.ingest.models import ImportedComment
from akhbar.ingest.wxr import importer as importer_module
from akhbar.ingest.wxr.importer import import_wxr
from akhbar.news.models import ArticlePage, StaticPage
from tests.ingest.wxr_fixtures import Comment as WpComment
from tests.ingest.wxr_fixtures import Post, write, wxr

pytestmark = pytest.mark.django_db


def run(tmp_path, items, name="export.xml", **options):
    return import_wxr(write(tmp_path, wxr(items), name), **options)


def article(wp_id):
    return ArticlePage.objects.get(external_id=f"wxr:old.example:{wp_id}")


def by_wp_id():
    rows = ImportedComment.objects.all()
    comments = Comment.objects.in_bulk([r.comment_id for r in rows if r.comment_id])
    return {r.wp_id: comments.get(r.comment_id) for r in rows}


def published_count(page):
    row = Discussion.objects.filter(page_id=page.pk).first()
    return row.approved_count if row else 0


THREAD = [
    WpComment(1, content="<p>أول تعليق</p><p>فقرة ثانية<br>وسطر</p>"),
    WpComment(2, parent=1, author="  ردّ  "),
    WpComment(3, parent=2),
    WpComment(4, parent=3),  # deeper than AKHBAR_COMMENT_MAX_DEPTH (3): joins the deepest allowed level
    WpComment(5, approved="0"),
    WpComment(6, approved="spam", ip="not-an-ip"),
    WpComment(7, approved="trash"),
    WpComment(8, type="pingback", content="إشارة من موقع آخر"),
    WpComment(9, author="", email="", content='انظر <a href="https://example.test/x">هنا</a>'),
]


def test_comments_become_reader_comments_with_status_thread_and_details(tmp_path, home, settings):
    settings.AKHBAR_COMMENT_MAX_DEPTH = 3
    report = run(tmp_path, [Post(id=1, slug="a", comments=THREAD)])
    page = article(1)
    c = by_wp_id()
    assert c[8] is None  # pingback: kept as ImportedComment only
    assert report.comments_not_adopted == {"pingback (not a reader comment)": 1}
    assert report.comments_adopted == 8 == Comment.objects.count()
    assert {k: v.status for k, v in c.items() if v} == {
        1: "approved", 2: "approved", 3: "approved", 4: "approved", 5: "pending", 6: "spam", 7: "rejected", 9: "approved",
    }
    assert all(v.article_id == page.pk for v in c.values() if v)
    # threads: parent links and reading-order paths
    assert c[1].parent is None and c[1].depth == 0 and c[1].thread_path == Comment.path_segment(c[1].pk)
    assert c[2].parent_id == c[1].pk and c[2].depth == 1 and c[2].thread_path == f"{c[1].thread_path}/{Comment.path_segment(c[2].pk)}"
    assert c[3].parent_id == c[2].pk and c[3].depth == 2
    assert c[4].parent_id == c[2].pk and c[4].depth == 2 and c[4].thread_path.startswith(c[2].thread_path + "/")
    # who and when
    assert c[1].name == "قارئ" and c[2].name == "ردّ" and c[9].name == "زائر مجهول"  # as WordPress shows "Anonymous"
    assert c[1].email == "reader@example.test" and c[1].ip_address == "192.0.2.7" and c[6].ip_address is None
    assert c[1].created_at == datetime(2020, 1, 2, 10, 0, tzinfo=UTC)
    assert c[1].body == "أول تعليق\n\nفقرة ثانية\nوسطر"
    assert c[9].body == "انظر هنا (https://example.test/x)"
    assert c[1].fingerprint and c[1].moderated_at is None and c[1].flags == "WordPress"
    # the published count (approved only)
    assert published_count(page) == 5
    rows = {r.wp_id: r for r in ImportedComment.objects.all()}
    assert rows[1].adopted_at is not None and rows[1].comment_id == c[1].pk
    assert rows[8].adopted_at is None and rows[8].comment_id is None


def test_email_is_never_public(tmp_path, home, client):
    run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1, email="secret.reader@example.test")])])
    page = article(1)
    assert Comment.objects.get().email == "secret.reader@example.test"
    for url in (page.url, reverse("comments:list", args=[page.pk])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "تعليق" in html and "secret.reader" not in html


def test_reimport_updates_and_never_duplicates(tmp_path, home):
    comments = [WpComment(1), WpComment(2, parent=1, approved="0"), WpComment(3, approved="spam")]
    run(tmp_path, [Post(id=1, slug="a", comments=comments)])
    first = by_wp_id()
    assert published_count(article(1)) == 1
    again = run(tmp_path, [Post(id=1, slug="a", comments=comments)])
    assert again.comments_adopted == 0 and Comment.objects.count() == 3
    # the old site approved the pending reply and deleted... no: un-spammed comment 3, and edited comment 1
    changed = [WpComment(1, content="نص معدّل"), WpComment(2, parent=1, approved="1"), WpComment(3, approved="1")]
    report = run(tmp_path, [Post(id=1, slug="a", comments=changed)], name="second.xml")
    assert report.comments_adopted == 0 and report.comments_adoption_updated == 3
    now = by_wp_id()
    assert Comment.objects.count() == 3 and {k: v.pk for k, v in now.items()} == {k: v.pk for k, v in first.items()}
    assert now[1].body == "نص معدّل" and now[2].status == "approved" and now[3].status == "approved"
    assert now[2].parent_id == now[1].pk
    assert published_count(article(1)) == 3


def test_moderation_here_wins_over_a_reimport_unless_forced(tmp_path, home):
    run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1, approved="0"), WpComment(2)])])
    c = by_wp_id()
    approve_comments([c[1].pk])
    reject_comments([c[2].pk])
    assert published_count(article(1)) == 1
    edited = [WpComment(1, approved="0", content="تغيّر هناك"), WpComment(2, content="وهنا")]
    report = run(tmp_path, [Post(id=1, slug="a", comments=edited)], name="second.xml")
    assert report.comments_not_adopted["changed in akhbar since it was adopted (kept)"] == 2
    now = by_wp_id()
    assert now[1].status == "approved" and now[1].body == "تعليق" and now[2].status == "rejected"
    assert published_count(article(1)) == 1
    edited[1] = WpComment(2, content="مرة ثالثة")
    run(tmp_path, [Post(id=1, slug="a", comments=edited)], name="third.xml", force=True)
    now = by_wp_id()
    assert now[1].status == "pending" and now[1].body == "تغيّر هناك" and now[2].status == "approved"
    assert published_count(article(1)) == 1


def test_comment_deleted_here_is_not_made_again(tmp_path, home):
    run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1), WpComment(2)])])
    by_wp_id()[1].delete()  # a moderator, or a reader's erasure request
    assert published_count(article(1)) == 1
    report = run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1, content="مرة أخرى"), WpComment(2)])], name="b.xml")
    assert report.comments_not_adopted["deleted in akhbar since it was adopted"] == 1
    assert Comment.objects.count() == 1 and published_count(article(1)) == 1
    row = ImportedComment.objects.get(wp_id=1)
    assert row.adopted_at is not None and row.comment_id is None


def test_erasure_request_blanks_the_imported_copy_and_a_reimport_does_not_restore_it(tmp_path, home, django_capture_on_commit_callbacks):
    from akhbar.comments.actions import erase_commenter

    items = [Post(id=1, slug="a", comments=[
        WpComment(1, email="Gone@Example.test", author="سيُمحى", content="نص شخصي"),
        WpComment(2, parent=1, email="stays@example.test", author="باق"),
        WpComment(3, email="gone@example.test", approved="0"),
    ])]
    run(tmp_path, items)
    with django_capture_on_commit_callbacks(execute=True):
        report = erase_commenter("gone@example.test")
    assert report.comments == 2
    erased = ImportedComment.objects.filter(wp_id__in=[1, 3])
    assert all(r.erased_at and r.comment_id is None and r.adopted_at for r in erased)
    assert all((r.author_name, r.author_email, r.author_ip, r.author_url, r.content) == ("", "", "", "", "") for r in erased)
    kept = ImportedComment.objects.get(wp_id=2)
    assert kept.author_email == "stays@example.test" and kept.erased_at is None and kept.comment_id
    # the export again (unchanged: skipped whole; changed: its comments are read again):
    # nothing personal comes back, no comment is recreated
    run(tmp_path, items, name="same.xml")
    items[0].comments[1] = WpComment(2, parent=1, email="stays@example.test", author="باق", content="عُدّل")
    again = run(tmp_path, items, name="again.xml")
    assert again.skip_reasons["comment: erased at the commenter's request"] == 2
    assert not ImportedComment.objects.filter(author_email__iexact="gone@example.test").exists()
    assert not Comment.objects.filter(email__iexact="gone@example.test").exists()
    assert Comment.objects.filter(email="stays@example.test").count() == 1
    call_command("adopt_imported_comments", "--overwrite")
    assert not Comment.objects.filter(email__iexact="gone@example.test").exists()


def test_erasing_an_empty_address_erases_nothing(tmp_path, home):
    from akhbar.ingest.erasure import erase_imported_comments

    run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1, email="")])])
    assert erase_imported_comments("  ") == 0
    assert ImportedComment.objects.get(wp_id=1).erased_at is None


def test_reply_without_its_parent_goes_to_the_top_level(tmp_path, home):
    items = [Post(id=1, slug="a", comments=[WpComment(1), WpComment(2, parent=999), WpComment(3, parent=4), WpComment(4, type="trackback")])]
    report = run(tmp_path, items)
    c = by_wp_id()
    assert report.comments_top_level == 2
    assert c[2].parent is None and c[2].depth == 0 and c[3].parent is None and c[3].depth == 0
    assert ImportedComment.objects.get(wp_id=2).wp_parent_id == 999  # WordPress's link is kept


def test_comments_on_static_pages_stay_imported_comments(tmp_path, home):
    report = run(tmp_path, [Post(id=5, type="page", slug="about", comments=[WpComment(1), WpComment(2, parent=1)])])
    assert StaticPage.objects.filter(slug="about").exists()
    assert Comment.objects.count() == 0
    assert report.comments_not_adopted == {"on a static page (comments are for articles)": 2}
    assert ImportedComment.objects.filter(adopted_at=None).count() == 2
    assert "kept in ImportedComment only: on a static page" in report.as_text()


def test_failed_post_leaves_no_comment_and_counts_are_not_doubled(tmp_path, home, monkeypatch):
    real = importer_module.bulk_add_children

    def flaky(parent, pages, **kwargs):
        if any(p.slug == "bad" for p in pages):
            raise RuntimeError("disk on fire")
        return real(parent, pages, **kwargs)

    monkeypatch.setattr(importer_module, "bulk_add_children", flaky)
    items = [Post(id=1, slug="good", comments=[WpComment(1)]), Post(id=2, slug="bad", comments=[WpComment(2), WpComment(3)])]
    report = run(tmp_path, items)
    assert report.counts["post"]["failed"] == 1
    assert Comment.objects.count() == 1 and not ImportedComment.objects.filter(wp_id__in=[2, 3]).exists()
    assert report.comments_adopted == 1 and report.counts["comment"]["imported"] == 1  # the rolled-back batch is not counted
    assert published_count(article(1)) == 1


def test_adopt_command_takes_over_rows_of_earlier_imports(tmp_path, home, monkeypatch):
    # an import made before adoption existed: rows stay in ImportedComment
    monkeypatch.setattr(importer_module, "adopt_comments", lambda rows, **kw: AdoptionReport())
    monkeypatch.setattr(importer_module.WxrImporter, "_adopt_waiting_comments", lambda self: None)
    items = [
        Post(id=1, slug="a", comments=[WpComment(1), WpComment(2, parent=1), WpComment(3, approved="trash"), WpComment(4, type="pingback")]),
        Post(id=2, slug="b", comments=[WpComment(5), WpComment(6, parent=5, approved="0")]),
        Post(id=9, type="page", slug="about", comments=[WpComment(7)]),
    ]
    run(tmp_path, items)
    assert Comment.objects.count() == 0 and ImportedComment.objects.filter(adopted_at=None).count() == 7
    monkeypatch.undo()
    call_command("adopt_imported_comments", stdout=(out := __import__("io").StringIO()))
    assert "5 new" in out.getvalue()
    c = by_wp_id()
    assert Comment.objects.count() == 5 and c[2].parent_id == c[1].pk and c[6].parent_id == c[5].pk
    assert c[3].status == "rejected" and c[6].status == "pending"
    assert published_count(article(1)) == 2 and published_count(article(2)) == 1
    call_command("adopt_imported_comments", stdout=(out := __import__("io").StringIO()))
    assert "0 new, 0 updated" in out.getvalue() and Comment.objects.count() == 5
    # a later import of the same site catches up by itself as well (nothing left here)
    assert adopt_waiting(only_adoptable=True).created == 0


def test_import_catches_up_with_rows_left_by_an_earlier_import(tmp_path, home, monkeypatch):
    monkeypatch.setattr(importer_module, "adopt_comments", lambda rows, **kw: AdoptionReport())
    monkeypatch.setattr(importer_module.WxrImporter, "_adopt_waiting_comments", lambda self: None)
    run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1), WpComment(2, parent=1)])])
    monkeypatch.undo()
    report = run(tmp_path, [Post(id=1, slug="a", comments=[WpComment(1), WpComment(2, parent=1)])])  # post unchanged
    assert report.counts["post"]["skipped"] == 1 and report.comments_adopted == 2
    c = by_wp_id()
    assert c[2].parent_id == c[1].pk and published_count(article(1)) == 2


def test_adopt_command_refuses_an_unknown_site(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no imported site"):
        call_command("adopt_imported_comments", site="nowhere.example")


def test_plain_text_of_wordpress_comment_html():
    assert plain_text("<p>سطر<br />آخر</p>\n<ul><li>أ</li><li>ب</li></ul>") == "سطر\nآخر\n\n• أ\n• ب"
    assert plain_text('<a href="https://x.test/" rel="nofollow">https://x.test/</a> &amp; نص') == "https://x.test/ & نص"
    assert plain_text('<a href="mailto:a@b.test">راسلني</a>') == "راسلني"


def test_import_refreshes_the_page_cache(tmp_path, home, client, settings):
    from akhbar.edge.store import store

    settings.AKHBAR_EDGE_ENABLED = True
    store.forget_local()
    try:
        client.get("/")
        assert client.get("/")["X-Cache"] == "HIT"
        report = run(tmp_path, [Post(id=1, slug="a", title="خبر مستورد جديد")])
        assert report.page_cache_refreshed
        response = client.get("/")
        assert response["X-Cache"] != "HIT" and "خبر مستورد جديد" in response.content.decode()
    finally:
        store.forget_local()


def test_dry_run_and_unchanged_reimport_leave_the_page_cache_alone(tmp_path, home, client, settings):
    from akhbar.edge.store import store

    run(tmp_path, [Post(id=1, slug="a")])
    settings.AKHBAR_EDGE_ENABLED = True
    store.forget_local()
    try:
        client.get("/")
        assert client.get("/")["X-Cache"] == "HIT"
        assert not run(tmp_path, [Post(id=1, slug="a")], dry_run=True).page_cache_refreshed
        assert not run(tmp_path, [Post(id=1, slug="a")]).page_cache_refreshed  # nothing changed
        assert client.get("/")["X-Cache"] == "HIT"
    finally:
        store.forget_local()
