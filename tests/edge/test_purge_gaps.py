"""Changes that do not go through a publish still reach the page cache.

* Comments opened or closed for a whole section (``section_comments_switched``):
  the article pages of that section, and only those, are purged.
* ``save()`` of a live article, section or home page without publishing
  (a field corrected from a script, the demo re-dating) purges like a
  publish; saves of drafts and Wagtail's bookkeeping saves purge nothing, and
  a publish purges once.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.comments.actions import set_comment_switch
from akhbar.comments.models import Discussion
from akhbar.edge import purge
from akhbar.news.models import ArticlePage, HomePage, SectionPage
from tests.news.factories import ArticlePageFactory

from .test_invalidation import state, warm


def body(client, url) -> str:
    return client.get(url).content.decode()


FORM = 'id="comment-form"'


@pytest.fixture
def purges(monkeypatch):
    """Every call of ``purge.purge_tags`` as a list of tag sets (the calls still happen)."""
    calls = []
    real = purge.purge_tags

    def spy(*tags, urls=()):
        calls.append(set(tags))
        return real(*tags, urls=urls)

    monkeypatch.setattr(purge, "purge_tags", spy)
    return calls


# --- (a) comment switch of a whole section ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_closing_comments_for_a_section_purges_its_article_pages(client, story, politics, economy):
    other = ArticlePageFactory(parent=economy, title="خبر اقتصادي")
    warm(client, story.url, other.url, politics.url, "/")
    assert FORM in body(client, story.url)

    set_comment_switch(politics, Discussion.Mode.CLOSED)

    html = body(client, story.url)
    assert FORM not in html and 'class="comments__closed"' in html
    # Targeted: another section's articles and the listings (no comment form on them) stay cached.
    assert state(client, other.url) == "HIT"
    assert state(client, politics.url) == "HIT"
    assert state(client, "/") == "HIT"

    set_comment_switch(politics, Discussion.Mode.DEFAULT)
    assert FORM in body(client, story.url)


@pytest.mark.django_db(transaction=True)
def test_opening_comments_for_a_section_shows_the_form_on_old_articles(client, politics, settings):
    settings.AKHBAR_COMMENTS_CLOSE_AFTER_DAYS = 30
    set_comment_switch(politics, Discussion.Mode.CLOSED)
    old = ArticlePageFactory(parent=politics, title="خبر قديم", first_published_at=timezone.now() - timedelta(days=3))
    warm(client, old.url)
    assert FORM not in body(client, old.url)
    set_comment_switch(politics, Discussion.Mode.DEFAULT)
    assert FORM in body(client, old.url)


@pytest.mark.django_db
def test_section_switch_signal_is_sent_after_commit_for_sections_only(story, politics, django_capture_on_commit_callbacks):
    from akhbar.comments.signals import section_comments_switched

    received = []

    def receiver(sender, section, mode, **kwargs):
        received.append((section.pk, mode))

    section_comments_switched.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            set_comment_switch(politics, Discussion.Mode.CLOSED)
        assert received == [(politics.pk, "closed")]
        with django_capture_on_commit_callbacks(execute=True):
            set_comment_switch(story, Discussion.Mode.CLOSED)  # an article: comment_published, not this signal
        assert received == [(politics.pk, "closed")]
    finally:
        section_comments_switched.disconnect(receiver)


# --- (b) saves of live pages without a publish ------------------------------------------------


@pytest.mark.django_db
def test_saving_a_live_article_without_publishing_purges_it_and_its_listings(client, story, politics):
    warm(client, story.url, politics.url, "/")
    article = ArticlePage.objects.get(pk=story.pk)
    article.standfirst = "تصحيح مباشر للمقدمة"
    article.save()
    assert "تصحيح مباشر للمقدمة" in body(client, story.url)
    assert "تصحيح مباشر للمقدمة" in body(client, politics.url)  # section cards show the standfirst


@pytest.mark.django_db
def test_saving_selected_fields_of_a_live_article_purges(client, story):
    warm(client, story.url)
    article = ArticlePage.objects.get(pk=story.pk)
    article.dateline = "بيروت"
    article.save(update_fields=["dateline"])
    assert "بيروت" in body(client, story.url)


@pytest.mark.django_db
def test_demo_redating_purges_the_demo_stories(client, home):
    from akhbar.news.demo.loader import load_demo

    load_demo()
    article = ArticlePage.objects.filter(external_id__startswith="demo:").live().first()
    warm(client, article.url)
    created, redated = load_demo(now=timezone.now() + timedelta(days=400))
    assert created == 0 and redated > 0
    assert state(client, article.url) == "MISS"


@pytest.mark.django_db
def test_draft_and_bookkeeping_saves_purge_nothing(story, politics, purges):
    draft = ArticlePageFactory(parent=politics, title="مسودة", live=False, first_published_at=None, last_published_at=None)
    purges.clear()
    draft.standfirst = "تغيير في مسودة"
    draft.save()
    draft.save_revision()
    live = ArticlePage.objects.get(pk=story.pk)
    live.title = "عنوان في مسودة جديدة"
    live.save_revision()  # a new draft revision of a live story: the public page is unchanged
    assert purges == []


@pytest.mark.django_db
def test_a_publish_purges_once(story, purges):
    article = ArticlePage.objects.get(pk=story.pk)
    article.title = "عنوان منشور"
    revision = article.save_revision()
    purges.clear()
    revision.publish()
    article_tag = f"article:{story.pk}"
    assert [call for call in purges if article_tag in call] and len([c for c in purges if article_tag in c]) == 1


@pytest.mark.django_db
def test_unpublish_purges_once_and_removes_the_page(client, story, purges):
    warm(client, story.url)
    purges.clear()
    ArticlePage.objects.get(pk=story.pk).unpublish()
    assert len([c for c in purges if f"article:{story.pk}" in c]) == 1
    assert client.get(story.url).status_code == 404


@pytest.mark.django_db
def test_saving_a_live_section_or_home_without_publishing_purges(client, story, politics):
    warm(client, story.url, "/")
    section = SectionPage.objects.get(pk=politics.pk)
    section.title = "شؤون سياسية"
    section.save()
    assert "شؤون سياسية" in body(client, "/")
    assert "شؤون سياسية" in body(client, story.url)
    warm(client, "/")
    home = HomePage.objects.get()
    home.seo_title = "الصفحة الأولى"
    home.save()
    assert state(client, "/") == "MISS"


@pytest.mark.django_db
def test_publishing_a_section_purges_once(politics, purges):
    section = SectionPage.objects.get(pk=politics.pk)
    section.description = "وصف جديد"
    revision = section.save_revision()
    purges.clear()
    revision.publish()
    assert len([c for c in purges if "site" in c]) == 1
