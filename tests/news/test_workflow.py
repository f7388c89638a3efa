"""Newsroom roles and the draft → review → publish workflow; scheduled publishing."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from akhbar.news.models import ArticlePage
from akhbar.news.newsroom import CHIEF_EDITORS, EDITORS, REPORTERS, REVIEW_TASK, SIGNOFF_TASK, WORKFLOW_NAME

from .factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_roles_publish_rights(politics, make_user):
    article = ArticlePageFactory(parent=politics, live=False)
    reporter, editor, chief = make_user("r", REPORTERS), make_user("e", EDITORS), make_user("c", CHIEF_EDITORS)
    assert politics.permissions_for_user(reporter).can_add_subpage()
    assert not article.permissions_for_user(reporter).can_publish()
    assert not article.permissions_for_user(editor).can_publish()
    assert article.permissions_for_user(editor).can_edit()
    assert article.permissions_for_user(chief).can_publish()


def test_every_story_goes_through_the_newsroom_workflow(politics):
    article = ArticlePageFactory(parent=politics, live=False)
    workflow = article.get_workflow()
    assert workflow is not None and workflow.name == WORKFLOW_NAME
    assert [t.name for t in workflow.tasks] == [REVIEW_TASK, SIGNOFF_TASK]
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_reporter_cannot_publish_through_the_admin(client, politics, make_user):
    reporter = make_user("rep", REPORTERS)
    client.force_login(reporter)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk))
    data = {
        "title": "خبر من المراسل",
        "slug": "خبر-من-المراسل",
        "standfirst": "مقدمة",
        "body-count": "0",
        "article_authors-TOTAL_FORMS": "0",
        "article_authors-INITIAL_FORMS": "0",
        "article_authors-MIN_NUM_FORMS": "0",
        "article_authors-MAX_NUM_FORMS": "1000",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "corrections-MIN_NUM_FORMS": "0",
        "corrections-MAX_NUM_FORMS": "1000",
        "source_kind": "staff",
        "action-publish": "action-publish",
    }
    client.post(url, data)
    page = ArticlePage.objects.filter(title="خبر من المراسل").first()
    assert page is not None, "the draft should still be saved"
    assert not page.live


def test_reporter_draft_submitted_to_review_then_chief_publishes(politics, make_user):
    reporter, editor, chief = make_user("r2", REPORTERS), make_user("e2", EDITORS), make_user("c2", CHIEF_EDITORS)
    article = ArticlePageFactory(parent=politics, live=False, first_published_at=None, owner=reporter)
    article.save_revision(user=reporter)
    workflow = article.get_workflow()
    workflow_state = workflow.start(article, reporter)
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.user_can_access_editor(article, editor)
    task_state.task.specific.on_action(task_state, editor, "approve")
    workflow_state.refresh_from_db()
    task_state = workflow_state.current_task_state
    assert task_state.task.name == SIGNOFF_TASK
    assert not task_state.task.specific.get_actions(article, editor)
    task_state.task.specific.on_action(task_state, chief, "approve")
    article.refresh_from_db()
    assert article.live and article.published_at is not None


def test_scheduled_publishing_fires_with_publish_scheduled(politics):
    """``akhbar publish-scheduled`` (run every minute from cron/systemd) publishes due stories."""
    from unittest import mock

    article = ArticlePageFactory(parent=politics, live=False, first_published_at=None)
    go_live = timezone.now() + timedelta(hours=1)
    article.go_live_at = go_live
    article.save_revision().publish()  # go_live_at in the future: scheduled, not live
    call_command("publish_scheduled")
    article.refresh_from_db()
    assert not article.live
    later = go_live + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    article.refresh_from_db()
    assert article.live and article.published_at is not None
