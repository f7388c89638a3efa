"""Moderation in the Wagtail admin: the queue, one-click and bulk actions, editing, switches, data requests."""

import json

import pytest
from django.contrib.messages import get_messages
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import ModelLogEntry

from akhbar.comments import actions
from akhbar.comments.actions import CommentData, Submission
from akhbar.comments.models import BlockedTerm, Comment, Discussion
from akhbar.news.newsroom import CHIEF_EDITORS, EDITORS, REPORTERS

from .conftest import aged_token

pytestmark = pytest.mark.django_db

QUEUE = "wagtailsnippets_comments_comment"


def post(article, body, email="reader@example.org", name="قارئ"):
    return actions.post_comment(article, CommentData(name, email, body), Submission(token=aged_token(), ip="203.0.113.4"))


@pytest.fixture
def editor(client, make_user):
    user = make_user("editor", EDITORS)
    client.force_login(user)
    return user


def test_queue_shows_comments_awaiting_moderation_by_default(client, editor, article):
    waiting = post(article, "ينتظر المراجعة")
    done = post(article, "منشور سابقا", email="x@example.org")
    actions.approve_comments([done.pk])
    html = client.get(reverse(f"{QUEUE}:list")).content.decode()
    assert "ينتظر المراجعة" in html and "منشور سابقا" not in html
    html = client.get(reverse(f"{QUEUE}:list") + "?status=all").content.decode()
    assert "ينتظر المراجعة" in html and "منشور سابقا" in html
    html = client.get(reverse(f"{QUEUE}:list") + f"?status=all&article={article.pk}&q=reader@example").content.decode()
    assert "ينتظر المراجعة" in html and "منشور سابقا" not in html
    assert f'data-w-action-url-value="{reverse("reader_comments:moderate", args=[waiting.pk, "approve"])}' in html


def test_one_click_moderation(client, editor, article):
    comment = post(article, "تعليق")
    url = reverse("reader_comments:moderate", args=[comment.pk, "approve"])
    assert client.get(url).status_code == 405
    response = client.post(url + "?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == editor
    for action, status in [("spam", "spam"), ("reject", "rejected"), ("pending", "pending")]:
        client.post(reverse("reader_comments:moderate", args=[comment.pk, action]))
        comment.refresh_from_db()
        assert comment.status == status
    assert client.post(reverse("reader_comments:moderate", args=[comment.pk, "explode"])).status_code == 404
    entries = ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Comment), object_id=str(comment.pk))
    assert {e.action for e in entries} >= {"comments.approve", "comments.spam", "comments.reject", "comments.unpublish"}


def test_reporters_cannot_moderate(client, make_user, article):
    client.force_login(make_user("reporter", REPORTERS))
    comment = post(article, "تعليق")
    assert client.post(reverse("reader_comments:moderate", args=[comment.pk, "approve"])).status_code in (302, 403)
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert client.get(reverse(f"{QUEUE}:list")).status_code in (302, 403)


@pytest.mark.parametrize(
    ("action", "status", "told"),
    # the admin speaks Arabic by default: two comments take the dual
    [("approve", "approved", "نُشر تعليقان."), ("reject", "rejected", "رُفض تعليقان."),
     ("spam", "spam", "وُسم تعليقان بأنهما مزعجان.")],
)
def test_bulk_actions(client, editor, article, action, status, told):
    comments = [post(article, f"تعليق {i}", email=f"r{i}@example.org") for i in range(3)]
    url = reverse("wagtail_bulk_action", args=("comments", "comment", action))
    query = "?" + "&".join(f"id={c.pk}" for c in comments[:2]) + "&next=/admin/"
    confirm = client.get(url + query)
    assert confirm.status_code == 200 and "تعليق 0" in confirm.content.decode()
    response = client.post(url + query)
    assert response.status_code == 302
    assert told in [str(m).strip() for m in get_messages(response.wsgi_request)]
    assert sorted(Comment.objects.values_list("status", flat=True)) == sorted([status, status, "pending"])
    if action == "approve":
        assert Discussion.objects.get(page_id=article.pk).approved_count == 2


def test_bulk_select_all_means_every_waiting_comment(client, editor, article):
    waiting = [post(article, f"تعليق {i}", email=f"r{i}@example.org") for i in range(3)]
    rejected = post(article, "مرفوض", email="z@example.org")
    actions.reject_comments([rejected.pk])
    client.post(reverse("wagtail_bulk_action", args=("comments", "comment", "approve")) + "?id=all")
    assert set(Comment.objects.filter(status="approved").values_list("pk", flat=True)) == {c.pk for c in waiting}


def test_bulk_delete_keeps_counts_right(client, editor, article):
    comments = [post(article, f"تعليق {i}", email=f"r{i}@example.org") for i in range(2)]
    actions.approve_comments([c.pk for c in comments])
    url = reverse("wagtail_bulk_action", args=("comments", "comment", "delete")) + f"?id={comments[0].pk}"
    assert client.post(url).status_code == 302
    assert Discussion.objects.get(page_id=article.pk).approved_count == 1


def test_edit_cleans_like_reader_input(client, editor, article):
    comment = post(article, "نص أصلي")
    response = client.post(
        reverse(f"{QUEUE}:edit", args=[comment.pk]), {"name": "قا\u202eرئ", "body": "نص\u200b معدل <b>"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    comment.refresh_from_db()
    assert comment.name == "قارئ" and comment.body == "نص معدل <b>" and comment.edited_at


def test_delete_view(client, editor, article):
    comment = post(article, "سيحذف")
    actions.approve_comments([comment.pk])
    assert client.post(reverse(f"{QUEUE}:delete", args=[comment.pk])).status_code == 302
    assert not Comment.objects.exists() and Discussion.objects.get(page_id=article.pk).approved_count == 0


def test_nobody_creates_comments_in_the_admin(client, editor, admin_user):
    assert client.get(reverse(f"{QUEUE}:add")).status_code in (302, 403)
    client.force_login(admin_user)
    assert client.get(reverse(f"{QUEUE}:add")).status_code in (302, 403)


def test_inspect_shows_private_details_to_editors(client, editor, article):
    comment = post(article, "تعليق")
    html = client.get(reverse(f"{QUEUE}:inspect", args=[comment.pk])).content.decode()
    assert "reader@example.org" in html and "203.0.113.4" in html


def test_switch_article_and_section(client, editor, article, politics):
    url = reverse("reader_comments:switch", args=[article.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"mode": "closed"})
    assert Discussion.objects.get(page_id=article.pk).mode == "closed"
    client.post(reverse("reader_comments:switch", args=[politics.pk]), {"mode": "closed"})
    assert Discussion.objects.get(page_id=politics.pk).mode == "closed"
    listing = client.get(reverse("reader_comments:switches")).content.decode()
    assert article.title in listing and politics.title in listing
    assert client.get(reverse("reader_comments:switch", args=[politics.get_parent().pk])).status_code == 404


def test_page_editor_has_comment_buttons(client, editor, article):
    html = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()
    assert reverse("reader_comments:switch", args=[article.pk]) in html
    assert f"?article={article.pk}&amp;status=all" in html


def test_dashboard_shows_the_queue_length(client, editor, article):
    post(article, "تعليق")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "بانتظار المراجعة" in html or "awaiting moderation" in html


def test_blocklist_is_managed_in_the_admin(client, editor):
    url = reverse("wagtailsnippets_comments_blockedterm:add")
    response = client.post(url, {"kind": "email", "value": "  Spammer@Example.org ", "action": "reject", "note": ""})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().value == "spammer@example.org"


# --- readers' data requests ---------------------------------------------------------------------


@pytest.fixture
def chief(client, make_user):
    user = make_user("chief", CHIEF_EDITORS)
    client.force_login(user)
    return user


def test_data_requests_are_for_chief_editors(client, editor):
    assert client.get(reverse("reader_comments:data_requests")).status_code in (302, 403)


def test_export_gives_everything_stored_for_an_email(client, chief, article):
    comment = post(article, "تعليقي", email="Reader@Example.org")
    post(article, "تعليق شخص آخر", email="other@example.org")
    BlockedTerm.objects.create(kind="email", value="reader@example.org", action="hold")
    url = reverse("reader_comments:data_requests")
    found = client.post(url, {"email": "READER@example.org", "step": "find"}).content.decode()
    assert "تعليق واحد" in found and "تعليقان" not in found
    response = client.post(url, {"email": "reader@example.org", "step": "export"})
    assert response["Content-Disposition"].startswith("attachment;") and "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert [c["id"] for c in data["comments"]] == [comment.pk]
    assert data["comments"][0]["email"] == "reader@example.org" and data["comments"][0]["ip_address"] == "203.0.113.4"
    assert data["comments"][0]["article"]["headline"] == article.title
    assert data["blocklist"][0]["value"] == "reader@example.org"
    assert "reader@example.org" not in response.request["QUERY_STRING"]


def test_erase_deletes_comments_and_their_history_after_confirmation(client, chief, article):
    mine = post(article, "تعليقي", email="reader@example.org")
    actions.approve_comments([mine.pk], chief)
    other = post(article, "رد من قارئ آخر", email="other@example.org")
    url = reverse("reader_comments:data_requests")
    confirm = client.post(url, {"email": "reader@example.org", "step": "erase"}).content.decode()
    assert "نعم، امحُ كل شيء" in confirm and Comment.objects.filter(pk=mine.pk).exists()
    client.post(url, {"email": "reader@example.org", "step": "erase", "confirm": "yes"})
    assert not Comment.objects.filter(email="reader@example.org").exists()
    assert Comment.objects.filter(pk=other.pk).exists()
    ct = ContentType.objects.get_for_model(Comment)
    assert not ModelLogEntry.objects.filter(content_type=ct, object_id=str(mine.pk)).exists()
    assert Discussion.objects.get(page_id=article.pk).approved_count == 0


def test_comments_stay_out_of_wagtails_reference_index(client, editor, article):
    from wagtail.models import ReferenceIndex

    client.get(reverse(f"{QUEUE}:list"))  # the admin (and snippet registration) is loaded
    post(article, "تعليق")
    assert not ReferenceIndex.objects.filter(base_content_type=ContentType.objects.get_for_model(Comment)).exists()
