"""Every posting rule, through ``actions.post_comment`` and the post endpoint."""

import http.server
import threading
import time
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from akhbar.comments import actions, conf
from akhbar.comments.actions import CommentData, CommentRejected, Submission
from akhbar.comments.checkers import AkismetChecker, CheckRequest, Verdict
from akhbar.comments.models import BlockedTerm, Comment, Discussion
from akhbar.comments.tokens import check_token, issue_token
from tests.news.factories import ArticlePageFactory

from .conftest import aged_token, post_comment

pytestmark = pytest.mark.django_db


def submit(article, *, name="سارة", email="sara@example.org", body="تعليق مفيد.", parent_id=None, **submission):
    submission.setdefault("token", aged_token())
    return actions.post_comment(article, CommentData(name, email, body, parent_id), Submission(**submission))


def rejected(article, **kwargs) -> CommentRejected:
    with pytest.raises(CommentRejected) as err:
        submit(article, **kwargs)
    return err.value


# --- open / closed -------------------------------------------------------------------


def test_new_comments_wait_for_moderation_by_default(article):
    assert submit(article).status == Comment.Status.PENDING


def test_closed_article_refuses_comments(article):
    actions.set_comment_switch(article, Discussion.Mode.CLOSED)
    assert rejected(article).code == "closed"


def test_closed_section_closes_its_articles_unless_article_is_open(article, politics):
    actions.set_comment_switch(politics, Discussion.Mode.CLOSED)
    assert rejected(article).code == "closed"
    actions.set_comment_switch(article, Discussion.Mode.OPEN)
    assert submit(article).pk


def test_comments_close_automatically_after_n_days(politics, settings):
    old = ArticlePageFactory(parent=politics, first_published_at=timezone.now() - timedelta(days=31))
    assert rejected(old).code == "closed"
    settings.AKHBAR_COMMENTS_CLOSE_AFTER_DAYS = 0  # never
    assert submit(old).pk
    settings.AKHBAR_COMMENTS_CLOSE_AFTER_DAYS = 30
    actions.set_comment_switch(old, Discussion.Mode.OPEN)
    assert submit(old, body="تعليق آخر مختلف").pk


def test_site_wide_switch_closes_everything(article, settings):
    settings.AKHBAR_COMMENTS_ENABLED = False
    assert rejected(article).code == "closed"


def test_closed_article_page_shows_no_form_but_keeps_comments(client, article):
    comment = submit(article)
    actions.approve_comments([comment.pk])
    actions.set_comment_switch(article, Discussion.Mode.CLOSED)
    html = client.get(article.url).content.decode()
    assert 'id="comment-form"' not in html and "تعليق مفيد." in html


# --- honeypot and form token -----------------------------------------------------------


def test_honeypot_filled_is_refused_with_text_kept(client, article):
    response = post_comment(client, article, homepage="http://spam.example")
    assert response.status_code == 400
    html = response.content.decode()
    assert "تعليق مفيد على الخبر." in html and 'name="homepage" type="text" value=""' in html
    assert not Comment.objects.exists()


def test_token_missing_asks_to_confirm_and_confirmation_posts(client, article):
    response = post_comment(client, article, token="")
    assert response.status_code == 200 and not Comment.objects.exists()
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html and "تعليق مفيد على الخبر." in html
    token = html.split('name="token" value="')[1].split('"')[0]
    assert check_token(token).status == "too_fast"  # the clock starts now
    assert check_token(token, now=time.time() + 5).ok


def test_token_too_fast_expired_and_forged(article, settings):
    settings.AKHBAR_COMMENT_MIN_SECONDS = 10
    assert rejected(article, token=issue_token()).code == "too_fast"
    settings.AKHBAR_COMMENT_FORM_MAX_AGE = 3600
    assert rejected(article, token=issue_token(now=time.time() - 7200)).code == "token_expired"
    assert rejected(article, token=aged_token()[:-3] + "AAA").code == "token_invalid"
    assert rejected(article, token="").code == "token_missing"
    settings.AKHBAR_COMMENT_MIN_SECONDS = 0
    assert submit(article, token=issue_token()).pk


def test_token_endpoint_returns_fresh_uncacheable_token(client):
    response = client.get(reverse("comments:token"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert check_token(response.json()["token"], now=time.time() + 60).ok


# --- where a post comes from -------------------------------------------------------------


def test_cross_site_post_is_not_accepted_but_text_is_kept(article):
    client = Client(enforce_csrf_checks=True)
    response = post_comment(client, article, origin="https://evil.example")
    assert response.status_code == 403 and not Comment.objects.exists()
    assert "تعليق مفيد على الخبر." in response.content.decode()


def test_same_origin_post_needs_no_csrf_cookie(article):
    client = Client(enforce_csrf_checks=True)
    assert post_comment(client, article).status_code == 303


def test_referer_counts_when_origin_is_absent(article):
    client = Client(enforce_csrf_checks=True)
    data = {"name": "سارة", "email": "s@example.org", "body": "نص التعليق", "token": aged_token()}
    url = reverse("comments:post", args=[article.pk])
    assert client.post(url, data, HTTP_REFERER="http://testserver/x/").status_code == 303
    assert client.post(url, {**data, "body": "نص آخر"}, HTTP_REFERER="https://evil.example/").status_code == 403


def test_without_origin_or_referer_the_csrf_token_of_the_form_page_is_accepted(client, article):
    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(reverse("comments:new", args=[article.pk]))
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    data = {"name": "سارة", "email": "s@example.org", "body": "نص التعليق", "token": aged_token(), "csrfmiddlewaretoken": token}
    assert csrf_client.post(reverse("comments:post", args=[article.pk]), data).status_code == 303
    assert Client(enforce_csrf_checks=True).post(reverse("comments:post", args=[article.pk]), {**data, "body": "آخر"}).status_code == 403


# --- rate limits --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", []), ("off", []), ("", []), ("5/m", [conf.Rate(5, 60)]), ("5/m, 30/h", [conf.Rate(5, 60), conf.Rate(30, 3600)]),
     ("10/15m", [conf.Rate(10, 900)]), ("2/s,0/h", [conf.Rate(2, 1)])],
)
def test_rate_setting_is_parsed(value, expected):
    assert conf.parse_rates(value) == expected


@pytest.mark.parametrize("value", ["5", "5/x", "five/m", "5/0m", "-1/m"])
def test_malformed_rate_setting_fails_loudly(value):
    with pytest.raises(ImproperlyConfigured):
        conf.parse_rates(value)


def test_rate_limit_per_ip(article, settings):
    settings.AKHBAR_COMMENT_RATE = "2/m"
    for n in range(2):
        submit(article, email=f"r{n}@example.org", body=f"تعليق رقم {n}", ip="203.0.113.5")
    error = rejected(article, email="r9@example.org", body="تعليق ثالث", ip="203.0.113.5")
    assert error.code == "rate" and error.status == 429 and 0 < error.retry_after <= 61
    assert submit(article, email="other@example.org", body="من عنوان آخر", ip="203.0.113.6").pk


def test_rate_limit_per_email(article, settings):
    settings.AKHBAR_COMMENT_RATE = "2/m"
    for n in range(2):
        submit(article, body=f"تعليق رقم {n}", ip=f"198.51.100.{n}")
    assert rejected(article, body="تعليق ثالث", ip="198.51.100.9").code == "rate"


def test_rate_limit_zero_switches_limits_off(article, settings):
    settings.AKHBAR_COMMENT_RATE = "0"
    for n in range(12):
        submit(article, body=f"تعليق رقم {n}", ip="203.0.113.5")
    assert Comment.objects.count() == 12


def test_rate_limited_post_answers_429_with_retry_after_and_text(client, article, settings):
    settings.AKHBAR_COMMENT_RATE = "1/h"
    assert post_comment(client, article).status_code == 303
    response = post_comment(client, article, body="تعليق ثان مختلف")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "تعليق ثان مختلف" in response.content.decode()


# --- duplicates and links ----------------------------------------------------------------------


def test_duplicate_from_same_email_is_refused_even_reworded_slightly(article):
    submit(article, body="هذا تعليق مكرر")
    error = rejected(article, body="  هذا   تعليقٌ مكرر!! ")
    assert error.code == "duplicate" and error.field == "body"


def test_duplicate_from_same_ip_with_another_email(article):
    submit(article, body="نص متطابق", ip="203.0.113.7")
    assert rejected(article, email="x@example.org", body="نص متطابق", ip="203.0.113.7").code == "duplicate"


def test_same_text_by_different_readers_is_fine(article):
    submit(article, body="شكرا")
    assert submit(article, email="b@example.org", body="شكرا", ip="203.0.113.9").pk


def test_duplicate_window_applies_across_articles(article, politics, settings):
    other = ArticlePageFactory(parent=politics)
    submit(article, body="نفس النص في كل مكان")
    assert rejected(other, body="نفس النص في كل مكان").code == "duplicate"
    Comment.objects.update(created_at=timezone.now() - timedelta(hours=25))
    assert submit(other, body="نفس النص في كل مكان").pk


def test_link_limit(article, settings):
    settings.AKHBAR_COMMENT_MAX_LINKS = 2
    assert submit(article, body="https://a.example/ و https://b.example/").pk
    error = rejected(article, body="http://a.example/ http://b.example/ www.c.example")
    assert error.code == "links" and error.field == "body"
    settings.AKHBAR_COMMENT_MAX_LINKS = 0
    assert rejected(article, body="انظر https://a.example/ الآن").code == "links"


# --- blocklist ------------------------------------------------------------------------------------


def block(kind, value, action):
    entry = BlockedTerm(kind=kind, value=value, action=action)
    entry.full_clean()
    entry.save()
    return entry


def test_blocked_word_refused_with_plain_reason(article):
    block("word", "كلمةسيئة", "reject")
    error = rejected(article, body="هذا نص فيه كلمةسيئة واضحة")
    assert error.code == "blocked_word" and error.field == "body"


@pytest.mark.parametrize("body", ["أنت كَلْب", "والكلب هنا", "بالكلب!", "فالكلب", "للكلب", "كـلـب"])
def test_blocked_arabic_word_matches_with_prefixes_diacritics_and_tatweel(article, body):
    block("word", "كلب", "reject")
    assert rejected(article, body=body).code == "blocked_word"


@pytest.mark.parametrize("body", ["كلبة في النص", "الكلبي", "مكلب"])
def test_blocked_arabic_word_matches_whole_words_only(article, body):
    block("word", "كلب", "reject")
    assert submit(article, body=body).pk


def test_blocked_word_with_star_matches_inside_words(article):
    block("word", "spam*", "reject")
    assert rejected(article, body="great SPAMMERS here").code == "blocked_word"
    assert rejected(article, body="ѕраm with Cyrillic letters").code == "blocked_word"


def test_blocked_word_in_name(article):
    block("word", "viagra", "reject")
    assert rejected(article, name="Vi\u200bagra Seller").code == "blocked_word"


def test_blocked_email_domain_and_ip_network(article):
    block("email", "@spam.example", "reject")
    block("ip", "203.0.113.0/24", "reject")
    assert rejected(article, email="x@spam.example").code == "blocked_address"
    error = rejected(article, email="ok@example.org", ip="203.0.113.77")
    assert error.code == "blocked_address" and error.status == 403
    assert submit(article, email="ok@example.org", ip="198.51.100.1").pk


def test_blocklist_hold_and_spam_actions(article, settings):
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    block("word", "crypto", "hold")
    block("email", "bot@example.org", "spam")
    trusted = submit(article, email="t@example.org", body="أول تعليق")
    actions.approve_comments([trusted.pk])
    held = submit(article, email="t@example.org", body="about crypto today")
    assert held.status == Comment.Status.PENDING and "word:crypto" in held.flags
    assert submit(article, email="bot@example.org", body="hello").status == Comment.Status.SPAM


def test_blocklist_edits_apply_immediately(article):
    entry = block("word", "ممنوع", "reject")
    assert rejected(article, body="نص ممنوع").code == "blocked_word"
    entry.delete()
    assert submit(article, body="نص ممنوع").pk


@pytest.mark.parametrize(("kind", "value"), [("email", "not-an-email"), ("ip", "999.1.1.1"), ("word", "  **  ")])
def test_blocklist_entries_are_validated(kind, value):
    with pytest.raises(ValidationError):
        BlockedTerm(kind=kind, value=value, action="hold").full_clean()


# --- trusted commenters, threads --------------------------------------------------------------------


def test_trusted_returning_commenter_skips_the_queue_only_when_enabled(article, settings):
    first = submit(article, body="أول")
    actions.approve_comments([first.pk])
    assert submit(article, body="ثان").status == Comment.Status.PENDING
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    assert submit(article, body="ثالث").status == Comment.Status.APPROVED
    assert submit(article, email="new@example.org", body="جديد").status == Comment.Status.PENDING


def test_spam_history_revokes_trust(article, settings):
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    ok = submit(article, body="أول")
    actions.approve_comments([ok.pk])
    bad = submit(article, body="ثان")
    actions.mark_spam([bad.pk])
    assert submit(article, body="ثالث").status == Comment.Status.PENDING


def test_reply_must_target_a_published_comment_of_the_same_article(article, politics):
    parent = submit(article)
    assert rejected(article, body="رد", parent_id=parent.pk).code == "parent"  # still pending
    actions.approve_comments([parent.pk])
    reply = submit(article, body="رد", parent_id=parent.pk)
    assert reply.parent_id == parent.pk and reply.depth == 1
    other = ArticlePageFactory(parent=politics)
    assert rejected(other, body="رد آخر", parent_id=parent.pk).code == "parent"


def test_replies_beyond_the_depth_limit_join_the_deepest_level(article, settings):
    settings.AKHBAR_COMMENT_MAX_DEPTH = 3
    top = submit(article, body="مستوى 1")
    actions.approve_comments([top.pk])
    second = submit(article, body="مستوى 2", parent_id=top.pk)
    actions.approve_comments([second.pk])
    third = submit(article, body="مستوى 3", parent_id=second.pk)
    actions.approve_comments([third.pk])
    fourth = submit(article, body="مستوى 4", parent_id=third.pk)
    assert (third.depth, fourth.depth) == (2, 2)
    assert fourth.parent_id == second.pk
    assert fourth.thread_path.startswith(second.thread_path + "/")


# --- external checker ----------------------------------------------------------------------------------

CHECKER_VERDICT = {"value": Verdict.HAM}
CHECKER_CALLS = []


def fake_checker(request: CheckRequest):
    CHECKER_CALLS.append(request)
    if CHECKER_VERDICT["value"] == "boom":
        raise RuntimeError("service down")
    return CHECKER_VERDICT["value"]


@pytest.mark.parametrize(
    ("verdict", "status"),
    [(Verdict.HAM, "pending"), (Verdict.SPAM, "spam"), (Verdict.UNSURE, "pending"), ("boom", "pending")],
)
def test_external_checker_hook(article, settings, verdict, status):
    settings.AKHBAR_COMMENT_CHECKER = "tests.comments.test_rules.fake_checker"
    CHECKER_VERDICT["value"] = verdict
    CHECKER_CALLS.clear()
    comment = submit(article, ip="203.0.113.1", user_agent="UA")
    assert comment.status == status
    assert CHECKER_CALLS and CHECKER_CALLS[0].email == "sara@example.org" and CHECKER_CALLS[0].ip == "203.0.113.1"
    if verdict != Verdict.HAM:
        assert "checker:" in comment.flags


def test_external_checker_is_off_by_default(article):
    CHECKER_CALLS.clear()
    submit(article)
    assert CHECKER_CALLS == []


def test_unsure_checker_stops_trusted_commenters_skipping_the_queue(article, settings):
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    first = submit(article, body="أول")
    actions.approve_comments([first.pk])
    settings.AKHBAR_COMMENT_CHECKER = "tests.comments.test_rules.fake_checker"
    CHECKER_VERDICT["value"] = Verdict.UNSURE
    assert submit(article, body="ثان").status == Comment.Status.PENDING


class _AkismetHandler(http.server.BaseHTTPRequestHandler):
    answers = []
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(parse_qs(body.decode()))
        answer, tip = self.answers.pop(0)
        self.send_response(200)
        if tip:
            self.send_header("X-akismet-pro-tip", tip)
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def akismet_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _AkismetHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/1.1/comment-check"
    server.shutdown()
    server.server_close()


def test_akismet_compatible_checker_speaks_the_protocol(akismet_server):
    checker = AkismetChecker(url=akismet_server, key="k123", timeout=2)
    request = CheckRequest("https://site/a/", "سارة", "s@example.org", "نص", "203.0.113.1", "UA", "", "ar", "https://site/")
    _AkismetHandler.answers[:] = [("true", None), ("false", None), ("false", "discard"), ("invalid", None)]
    _AkismetHandler.received.clear()
    assert [checker(request) for _ in range(4)] == [Verdict.SPAM, Verdict.HAM, Verdict.SPAM, Verdict.UNSURE]
    sent = _AkismetHandler.received[0]
    assert sent["api_key"] == ["k123"] and sent["comment_content"] == ["نص"] and sent["comment_type"] == ["comment"]


def test_akismet_checker_unreachable_is_unsure():
    assert AkismetChecker(url="http://127.0.0.1:9/x", key="k", timeout=0.5)(
        CheckRequest("", "n", "e@x.org", "b", None, "", "", "ar", "")
    ) == Verdict.UNSURE


def test_site_base_url_counts_as_our_origin_behind_a_tls_proxy(article, settings):
    settings.AKHBAR_BASE_URL = "https://news.example"
    client = Client(enforce_csrf_checks=True)
    assert post_comment(client, article, origin="https://news.example").status_code == 303
    assert post_comment(client, article, origin="https://news.example.evil", body="نص آخر").status_code == 403
