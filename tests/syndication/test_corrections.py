"""Corrections: appended by an editor, shown on the page, moving dateModified, feeds and sitemaps."""

from datetime import datetime, timedelta

import extruct
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html, rich_text, streamfield

from akhbar.news.models import ArticlePage
from akhbar.syndication.actions import append_correction
from akhbar.syndication.models import Correction

from .sitemap_rules import NS, validate_urlset

pytestmark = pytest.mark.django_db

TEXT = "ذكرت نسخة سابقة من هذا الخبر أن الجلسة استمرت ثماني ساعات، والصحيح عشر ساعات."


def news_article(client, article):
    html = client.get(article.url).content.decode()
    data = extruct.extract(html, syntaxes=["json-ld"], uniform=False)["json-ld"]
    return html, next(item for item in data if item["@type"] == "NewsArticle")


def test_a_correction_shows_on_the_page_and_moves_date_modified(client, story):
    _html, before = news_article(client, story)
    assert "correction" not in before
    correction = append_correction(story, TEXT)
    story.refresh_from_db()
    assert story.updated_at >= correction.corrected_at > story.published_at

    html, after = news_article(client, story)
    tree = etree.fromstring(html, etree.HTMLParser())
    (box,) = tree.xpath("//aside[@id='corrections']")
    heading_id = box.get("aria-labelledby")
    assert tree.xpath(f"//*[@id='{heading_id}']/text()") == ["تصحيح على هذا الخبر"]
    (item,) = box.xpath(".//li")
    assert TEXT in "".join(item.itertext())
    assert item.xpath(".//time/@datetime")[0] == timezone.localtime(correction.corrected_at).isoformat()

    assert datetime.fromisoformat(after["dateModified"]) > datetime.fromisoformat(before["dateModified"])
    assert after["datePublished"] == before["datePublished"]
    assert after["correction"] == [
        {"@type": "CorrectionComment", "text": TEXT, "datePublished": timezone.localtime(correction.corrected_at).isoformat(timespec="seconds")}
    ]


def test_corrections_accumulate_in_date_order(client, story):
    append_correction(story, "التصحيح الثاني", corrected_at=timezone.now() - timedelta(minutes=1))
    append_correction(story, "التصحيح الأول", corrected_at=timezone.now() - timedelta(minutes=30))
    tree = etree.fromstring(client.get(story.url).content, etree.HTMLParser())
    items = ["".join(li.itertext()) for li in tree.xpath("//aside[@id='corrections']//li")]
    assert ["الأول" in items[0], "الثاني" in items[1]] == [True, True]
    assert tree.xpath("//h2[@id='corrections-heading']/text()") == ["تصحيحان على هذا الخبر"]
    assert story.corrections.count() == 2


def test_the_sitemap_lastmod_follows_a_correction(client, story):
    month = timezone.localtime(story.published_at)
    path = f"/sitemaps/articles-{month:%Y-%m}.xml"
    before = validate_urlset(client.get(path).content).findtext("sm:url/sm:lastmod", namespaces=NS)
    append_correction(story, TEXT)
    after = validate_urlset(client.get(path).content).findtext("sm:url/sm:lastmod", namespaces=NS)
    assert datetime.fromisoformat(after) > datetime.fromisoformat(before)


def test_correction_rules(story):
    with pytest.raises(ValidationError) as err:
        append_correction(story, "تصحيح من المستقبل", corrected_at=timezone.now() + timedelta(days=1))
    assert "corrected_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        append_correction(story, "تصحيح قبل النشر", corrected_at=story.published_at - timedelta(days=1))
    assert "corrected_at" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        append_correction(story, "   ")
    assert "text" in err.value.message_dict
    assert Correction.objects.count() == 0


def test_only_published_stories_take_corrections(make_story):
    draft = make_story(slug="مسودة", live=False, first_published_at=None, image=False)
    with pytest.raises(ValidationError):
        append_correction(draft, TEXT)


def test_a_pending_draft_is_kept_and_not_published(story):
    story.title = "عنوان جديد لم يُنشر بعد"
    story.save_revision()
    append_correction(story, TEXT)
    live = ArticlePage.objects.get(pk=story.pk)
    assert live.title == "البرلمان يقرّ قانون الموازنة بعد جلسة طويلة"
    assert [c.text for c in live.corrections.all()] == [TEXT]
    assert live.has_unpublished_changes
    draft = live.get_latest_revision_as_object()
    assert draft.title == "عنوان جديد لم يُنشر بعد"
    assert [c.text for c in draft.corrections.all()] == [TEXT]


def test_the_stored_publication_date_survives_a_correction(story):
    first = story.published_at - timedelta(days=3)
    ArticlePage.objects.filter(pk=story.pk).update(published_at=first)  # e.g. an import that dated the story
    append_correction(story, TEXT, corrected_at=timezone.now())
    assert ArticlePage.objects.get(pk=story.pk).published_at == first


def test_an_editor_appends_a_correction_in_the_admin(client, story, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(admin)
    edit_url = f"/admin/pages/{story.pk}/edit/"
    page = client.get(edit_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="id_corrections-TOTAL_FORMS"' in html
    data = querydict_from_html(html, form_id="page-edit-form")
    corrected_at = timezone.localtime().replace(second=0, microsecond=0)
    extra = nested_form_data(
        {
            "body": streamfield([("paragraph", rich_text("<p>فقرة أولى من متن الخبر.</p>"))]),
            "corrections": inline_formset([{"corrected_at": corrected_at.strftime("%Y-%m-%d %H:%M"), "text": TEXT}]),
        }
    )
    for key in list(data):
        if key.startswith(("corrections-", "body-")) or key == "body":
            del data[key]
    data.update(extra)
    data["action-publish"] = "action-publish"
    response = client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    story.refresh_from_db()
    (correction,) = story.corrections.all()
    assert correction.text == TEXT and correction.corrected_at == corrected_at
    assert story.live and not story.has_unpublished_changes
    client.logout()
    assert TEXT in client.get(story.url).content.decode()
