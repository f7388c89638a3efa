"""The commenter's email never reaches a public response (HTML, feeds, JSON, error pages, headers)."""

import re
from collections import deque
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from akhbar.comments import actions, queries
from akhbar.comments.models import Comment
from tests.news.factories import ArticlePageFactory

from .conftest import post_comment

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "Private.Reader+akhbar@Example.org"
LINK_RE = re.compile(r'(?:href|src|action)="([^"#]+)')


def forms_of(email: str) -> list[str]:
    lowered = email.lower()
    return [email, lowered, quote(lowered), quote(lowered, safe=""), lowered.replace("@", "&#64;"), lowered.split("@")[0]]


def assert_private(response, where: str):
    text = response.content.decode("utf-8", "replace").lower()
    headers = " ".join(f"{k}: {v}" for k, v in response.items()).lower()
    for form in forms_of(SECRET_EMAIL):
        assert form.lower() not in text, f"email found in the body of {where}"
        assert form.lower() not in headers, f"email found in the headers of {where}"


def crawl(client, start_urls, limit=400):
    """Every same-site, non-admin URL reachable from ``start_urls`` (links, forms' actions, feeds)."""
    seen, queue, visited = set(start_urls), deque(start_urls), []
    while queue and len(visited) < limit:
        url = queue.popleft()
        response = client.get(url, follow=False)
        visited.append((url, response))
        if response.status_code in (301, 302, 303, 307, 308):
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        content_type = response.get("Content-Type", "")
        if not any(kind in content_type for kind in ("html", "xml", "json")):
            continue
        for link in LINK_RE.findall(response.content.decode("utf-8", "replace")):
            link = link.replace("&amp;", "&")
            parts = urlsplit(urljoin(url, link))
            if parts.netloc not in ("", "testserver") or parts.path.startswith(("/admin", "/static/", "/media/")):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return visited


def test_email_is_nowhere_on_the_public_site(client, article, politics, settings):
    settings.AKHBAR_COMMENTS_PER_PAGE = 5
    other = ArticlePageFactory(parent=politics)
    response = post_comment(client, article, name="قارئة", email=SECRET_EMAIL, body="تعليق فيه رأي مهم")
    assert response.status_code == 303
    sent_page = client.get(response["Location"])
    assert_private(sent_page, "the 'comment received' page")
    published = Comment.objects.get()
    actions.approve_comments([published.pk])
    for i in range(6):  # enough for a second listing page, with replies to the secret commenter
        reply = Comment.objects.create(article=article, parent=published, depth=1, name=f"قارئ {i}", email=f"r{i}@example.org", body=f"رد {i}")
        reply.thread_path = published.thread_path + "/" + Comment.path_segment(reply.pk)
        reply.save()
        actions.approve_comments([reply.pk])
    pending = post_comment(client, other, name="قارئة", email=SECRET_EMAIL, body="تعليق ينتظر")
    assert pending.status_code == 303

    visited = crawl(Client(), ["/", "/en/", article.url, reverse("comments:list", args=[article.pk]), "/no-such-page/", "/en/no-such-page/"])
    urls = [url for url, _ in visited]
    assert article.url in urls and any(u.startswith(reverse("comments:list", args=[article.pk])) for u in urls)
    assert any("page=2" in u for u in urls), "the crawl must reach the second page of comments"
    assert any(r.status_code == 404 for _, r in visited), "the crawl must include an error page"
    assert len(visited) >= 20, urls
    for url, response in visited:
        assert response.status_code < 500, url
        assert_private(response, url)
    assert "قارئة" in client.get(article.url).content.decode()  # the name is public, the email is not


def test_pages_that_echo_the_readers_own_email_are_never_cached(client, article):
    response = post_comment(client, article, email=SECRET_EMAIL, name="")  # rejected: the form comes back filled in
    assert response.status_code == 400
    assert SECRET_EMAIL.lower() in response.content.decode().lower()  # the reader's own form...
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control  # ...that no shared cache may keep


def test_server_error_page_leaks_nothing(article, monkeypatch, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    post_comment(client, article, email=SECRET_EMAIL)
    actions.approve_comments(Comment.objects.values_list("pk", flat=True))

    def explode(*args, **kwargs):
        raise RuntimeError(f"database trouble with {SECRET_EMAIL}")

    monkeypatch.setattr(queries, "published_comments", explode)
    response = client.get(reverse("comments:list", args=[article.pk]))
    assert response.status_code == 500
    assert_private(response, "the 500 page")


def test_no_avatar_service_and_no_email_in_markup_attributes(client, article):
    post_comment(client, article, email=SECRET_EMAIL)
    actions.approve_comments(Comment.objects.values_list("pk", flat=True))
    html = client.get(article.url).content.decode()
    section = html[html.index('<section class="comments"'):]
    assert "gravatar" not in html.lower() and "<img" not in section.split("</ol>")[0]
    assert "mailto:" not in section


def test_comment_string_and_admin_log_labels_carry_no_email(article):
    post_comment(Client(), article, email=SECRET_EMAIL)
    comment = Comment.objects.get()
    assert SECRET_EMAIL.lower() not in str(comment).lower()


def test_demo_comments_load_once_and_their_addresses_stay_private(client):
    from akhbar.comments.demo import DEMO_DOMAIN, load_demo_comments
    from akhbar.news.demo.loader import load_demo

    load_demo()
    created = load_demo_comments()
    assert created and load_demo_comments() == 0
    assert Comment.objects.filter(status="pending").exists() and Comment.objects.filter(depth=2).exists()
    visited = crawl(client, ["/", "/en/"], limit=150)
    assert any('class="comment-list"' in r.content.decode("utf-8", "replace") for _, r in visited)
    for url, response in visited:
        assert f"@{DEMO_DOMAIN}".encode() not in response.content, url
