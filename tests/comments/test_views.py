"""Public comment pages: the cache-safe article form, the form page, the post endpoint's answers."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import override

from akhbar.comments import actions
from akhbar.comments.models import Comment, Discussion
from tests.news.factories import ArticlePageFactory

from .conftest import ORIGIN, aged_token, form_data, post_comment

pytestmark = pytest.mark.django_db


def approved(article, n=1, **fields):
    comments = []
    for i in range(n):
        comment = Comment.objects.create(
            article=article, name=fields.get("name", f"قارئ {i}"), email=f"reader{i}@example.org",
            body=fields.get("body", f"تعليق رقم {i}"), status="pending",
        )
        comment.thread_path = Comment.path_segment(comment.pk)
        comment.save(update_fields=["thread_path"])
        comments.append(comment)
    actions.approve_comments([c.pk for c in comments])
    return comments


# --- the article page (served from a shared cache) -------------------------------------


def test_article_page_form_has_no_per_visitor_data(client, article):
    response = client.get(article.url)
    html = response.content.decode()
    assert 'id="comment-form"' in html and "csrfmiddlewaretoken" not in html
    assert not response.cookies, "an article page must not set cookies (it is cached for everyone)"
    assert 'name="token" value=""' in html
    assert f'action="{reverse("comments:post", args=[article.pk])}"' in html


def test_form_promises_privacy_and_explains_the_asterisk_in_arabic(client, article):
    html = client.get(article.url).content.decode()
    assert "لن يتم نشر عنوان بريدك الإلكتروني." in html
    assert "الحقول الإلزامية مشار إليها بـ *" in html
    assert "اترك تعليقًا" in html
    for field in ("name", "email", "body"):
        tag = re.search(rf'<(?:input|textarea) id="comment-{field}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in tag and " required" in tag
        assert f'<label for="comment-{field}">' in html


def test_english_interface_gets_english_labels(client, article):
    with override("en"):
        url = article.url
    assert url.startswith("/en/")
    html = client.get(url).content.decode()
    assert "Your email address will not be published." in html and "Leave a comment" in html
    assert 'action="/en/comments/' in html


def test_comments_render_oldest_first_with_count_heading(client, article):
    approved(article, 3)
    html = client.get(article.url).content.decode()
    assert html.index("تعليق رقم 0") < html.index("تعليق رقم 1") < html.index("تعليق رقم 2")
    assert "3 تعليقات" in html


def test_article_page_links_to_all_comments_when_more_than_a_page(client, article, settings):
    settings.AKHBAR_COMMENTS_PER_PAGE = 5
    approved(article, 7)
    html = client.get(article.url).content.decode()
    assert html.count('class="comment comment--depth-0"') == 5
    assert f'{reverse("comments:list", args=[article.pk])}?page=2' in html


# --- the form page and the post endpoint ---------------------------------------------------


def test_form_page_is_private_and_carries_csrf_and_form_tokens(client, article):
    response = client.get(reverse("comments:new", args=[article.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html and re.search(r'name="token" value="[^"]+"', html)
    assert '<meta name="robots" content="noindex">' in html


def test_form_page_for_a_reply_names_the_parent(client, article):
    parent = approved(article, name="ليلى")[0]
    html = client.get(reverse("comments:new", args=[article.pk]) + f"?reply_to={parent.pk}").content.decode()
    assert "ردًا على" in html and "<bdi>ليلى</bdi>" in html and f'name="parent" value="{parent.pk}"' in html
    html = client.get(reverse("comments:new", args=[article.pk]) + "?reply_to=99999").content.decode()
    assert 'name="parent" value=""' in html


def test_successful_post_redirects_to_awaiting_moderation(client, article):
    response = post_comment(client, article)
    assert response.status_code == 303 and "no-store" in response["Cache-Control"]
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "تعليقك بانتظار المراجعة" in html and "تعليق مفيد على الخبر." in html
    assert "sara@example.org" not in html and "no-store" in page["Cache-Control"]


def test_sent_page_says_published_for_trusted_commenters(client, article, settings):
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    approved(article)  # reader0@example.org
    response = post_comment(client, article, email="reader0@example.org", body="تعليق موثوق")
    html = client.get(response["Location"]).content.decode()
    assert "نُشر تعليقك" in html


@pytest.mark.parametrize("ticket", ["", "garbage", "eyJjIjoxfQ:1xXwUh:forged"])
def test_sent_page_needs_a_signed_ticket(client, article, ticket):
    assert client.get(reverse("comments:sent", args=[article.pk]) + f"?c={ticket}").status_code == 404


def test_field_errors_are_tied_to_fields_and_text_kept(client, article):
    response = post_comment(client, article, name="", email="not-an-email", body="نص التعليق الذي كتبه القارئ")
    assert response.status_code == 400 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "يُرجى كتابة اسمك." in html and "يُرجى كتابة بريد إلكتروني صالح" in html
    assert 'aria-invalid="true" aria-describedby="comment-name-error"' in html
    assert 'aria-describedby="comment-email-help comment-email-error"' in html
    assert "نص التعليق الذي كتبه القارئ</textarea>" in html and 'value="not-an-email"' in html
    assert 'href="#comment-name"' in html  # the summary links to the field


def test_errors_are_english_under_en(client, article):
    with override("en"):
        url = reverse("comments:post", args=[article.pk])
    response = client.post(url, form_data(name=""), HTTP_ORIGIN=ORIGIN)
    assert "Please enter your name." in response.content.decode()


def test_nul_bytes_get_a_clear_error_and_text_is_kept_without_them(client, article):
    response = post_comment(client, article, body="قبل\x00بعد")
    html = response.content.decode()
    assert response.status_code == 400 and "NUL" in html and "قبلبعد</textarea>" in html


def test_invalid_utf8_gets_a_clear_error(client, article):
    url = reverse("comments:post", args=[article.pk])
    body = b"name=%D8%B3&email=a%40example.org&body=%FF%FE%FDabc&token=" + aged_token().encode()
    response = client.post(url, body, content_type="application/x-www-form-urlencoded", HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert not Comment.objects.exists()


def test_oversized_post_gets_413_with_a_clear_page(client, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    response = post_comment(client, article, body="ب" * 30_000)
    assert response.status_code == 413
    assert "أكثر من اللازم" in response.content.decode()


def test_too_many_fields_get_413(client, article, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    data = form_data(**{f"x{i}": "1" for i in range(20)})
    response = client.post(reverse("comments:post", args=[article.pk]), data, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 413


def test_one_megabyte_comment_is_refused_as_too_long_and_kept(client, article):
    body = "ج" * 1_000_000
    response = post_comment(client, article, body=body)
    html = response.content.decode()
    assert response.status_code == 400 and "تعليقك طويل جدًا" in html and body in html


def test_closed_article_post_keeps_the_text(client, article):
    actions.set_comment_switch(article, Discussion.Mode.CLOSED)
    response = post_comment(client, article, body="نص لا أريد أن أفقده")
    html = response.content.decode()
    assert response.status_code == 403 and "مغلقة" in html and "نص لا أريد أن أفقده" in html


def test_get_on_post_endpoint_is_not_allowed(client, article):
    assert client.get(reverse("comments:post", args=[article.pk])).status_code == 405


@pytest.mark.parametrize("name", ["comments:list", "comments:new"])
def test_unpublished_articles_have_no_comment_pages(client, politics, name):
    draft = ArticlePageFactory(parent=politics, live=False)
    assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert post_comment(client, draft).status_code == 404


# --- listing pages and permalinks ---------------------------------------------------------------


def test_listing_pages_and_permalink(client, article, settings):
    settings.AKHBAR_COMMENTS_PER_PAGE = 5
    comments = approved(article, 12)
    url = reverse("comments:list", args=[article.pk])
    page3 = client.get(url + "?page=3").content.decode()
    assert "تعليق رقم 10" in page3 and "تعليق رقم 9" not in page3
    assert "الصفحة 3 من 3" in page3
    assert client.get(url + "?page=4").status_code == 404
    assert client.get(url + "?page=x").status_code == 404
    response = client.get(reverse("comments:permalink", args=[comments[11].pk]))
    assert response.status_code == 302 and response["Location"] == f"{url}?page=3#comment-{comments[11].pk}"
    first = client.get(reverse("comments:permalink", args=[comments[0].pk]))
    assert first["Location"] == f"{url}#comment-{comments[0].pk}"


def test_permalink_of_unpublished_comment_is_404(client, article):
    post_comment(client, article)
    assert client.get(reverse("comments:permalink", args=[Comment.objects.get().pk])).status_code == 404
