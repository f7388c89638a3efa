"""Reader comments end to end in Debian's chromium: post by keyboard, moderate in Wagtail, see it; axe on the form."""

import re

import pytest
from django.db import connections
from django.urls import reverse

from akhbar.comments.models import Comment
from akhbar.news.models import HomePage, SectionPage
from akhbar.news.newsroom import EDITORS, ensure_newsroom
from tests.news.factories import ArticlePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _release_database_connections(settings, monkeypatch):
    """Leave no PostgreSQL session behind, or the test database cannot be dropped.

    The live server's request threads would keep persistent connections while the
    browser keeps its sockets alive; and inside Playwright's event loop Django keys
    the test's own connections by context, not thread, so pytest-django misses them.
    """
    monkeypatch.setitem(settings.DATABASES["default"], "CONN_MAX_AGE", 0)
    yield
    connections.close_all()


@pytest.fixture
def new_page(browser):
    """``new_page(**context_options)``: a page in a fresh browser context, closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**{"locale": "ar", **options})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def story(settings):
    settings.AKHBAR_COMMENT_RATE = "0"
    settings.AKHBAR_COMMENT_MIN_SECONDS = 0  # the fill-time rule has unit tests; no waiting in the browser
    home = HomePage.objects.first() or ensure_newsroom()
    politics = SectionPage.objects.child_of(home).get(slug="سياسة")
    return ArticlePageFactory(parent=politics, title="زيارة رسمية تختتم باتفاق")


def tab_to(page, element_id, limit=80):
    """Press Tab until the element with ``element_id`` has focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def active_id(page):
    return page.evaluate("document.activeElement && (document.activeElement.id || document.activeElement.tagName)")


def axe_violations(page, context):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context)
    assert results.response["passes"], "axe checked nothing: is the context selector right?"
    return results.violations_count, results.generate_report()


def test_reader_posts_by_keyboard_and_editor_approves_in_wagtail(live_server, story, new_page, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("editor", password="pw-editor-123")
    editor.groups.add(Group.objects.get(name=EDITORS))
    comment_text = "تحليل دقيق، شكرًا للمراسل."

    reader = new_page()
    reader.goto(live_server.url + story.url)
    tab_to(reader, "comment-name")
    reader.keyboard.type("سارة من الرياض")
    reader.keyboard.press("Tab")
    assert active_id(reader) == "comment-email"
    reader.keyboard.type("sara.reader@example.org")
    reader.keyboard.press("Tab")
    assert active_id(reader) == "comment-body"
    reader.keyboard.type(comment_text)
    reader.wait_for_function("document.querySelector('#comment-form input[name=token]').value !== ''")
    reader.keyboard.press("Tab")
    assert reader.evaluate("document.activeElement.type") == "submit"  # the honeypot is not in the tab order
    reader.keyboard.press("Enter")
    reader.wait_for_url(re.compile(r"/comments/\d+/sent/"))
    assert "تعليقك بانتظار المراجعة" in reader.locator("h1").inner_text()
    assert comment_text in reader.content() and "sara.reader@example.org" not in reader.content()
    reader.goto(live_server.url + story.url)
    assert comment_text not in reader.content()  # not before an editor approves it

    admin = new_page()
    admin.goto(live_server.url + reverse("wagtailadmin_login"))
    admin.fill("#id_username", "editor")
    admin.fill("#id_password", "pw-editor-123")
    admin.keyboard.press("Enter")
    admin.wait_for_url(live_server.url + reverse("wagtailadmin_home"))
    admin.goto(live_server.url + reverse("wagtailsnippets_comments_comment:list"))
    comment = Comment.objects.get()
    approve = admin.locator(f'button[data-w-action-url-value*="/moderate/{comment.pk}/approve/"]')
    approve.focus()
    with admin.expect_navigation():
        admin.keyboard.press("Enter")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED

    reader.goto(live_server.url + story.url)
    body = reader.locator(f"#comment-{comment.pk} .comment__body")
    assert body.inner_text().strip() == comment_text
    assert reader.locator(f"#comment-{comment.pk} .comment__author").inner_text() == "سارة من الرياض"


def test_javascript_off_reader_confirms_once_and_the_text_survives(live_server, story, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + story.url)
    page.fill("#comment-name", "علي")
    page.fill("#comment-email", "ali@example.org")
    page.fill("#comment-body", "تعليق من متصفح بلا جافاسكربت")
    page.click("button.comment-form__submit")
    page.wait_for_load_state()
    assert page.locator("#comment-body").input_value() == "تعليق من متصفح بلا جافاسكربت"
    assert "مرة أخرى" in page.locator("#comment-errors").inner_text()
    page.click("button.comment-form__submit")
    page.wait_for_url(re.compile(r"/comments/\d+/sent/"))
    assert Comment.objects.filter(body="تعليق من متصفح بلا جافاسكربت").exists()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_comment_form_has_no_axe_violations(live_server, story, new_page, language):
    from django.utils.translation import override

    with override(language):
        article_url = story.url
        form_url = reverse("comments:new", args=[story.pk])
    page = new_page(locale=language)
    page.goto(live_server.url + article_url)
    count, report = axe_violations(page, "#comments")
    assert count == 0, report

    page.goto(live_server.url + form_url)
    page.click("button.comment-form__submit")  # empty form: every field in error
    page.wait_for_selector("#comment-errors")
    assert page.evaluate("document.activeElement.id") == "comment-errors"
    count, report = axe_violations(page, "main")
    assert count == 0, report
