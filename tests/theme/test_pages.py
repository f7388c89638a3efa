"""Rendering of the public pages: the whole anatomy of an article, lang/dir, titles, errors."""

import re

import pytest
from django.test import Client

from akhbar.news.models import ArticleAuthor, SectionPage

from ..news.factories import ArticlePageFactory, AuthorFactory, NewsImageFactory

pytestmark = pytest.mark.django_db


def html_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def anatomy(politics):
    photo1 = NewsImageFactory(description="طائرة رئاسية تهبط على مدرج المطار", credit="Gavriil Grigorov/Sputnik via AP")
    photo2 = NewsImageFactory(description="الرئيسان يتصافحان أمام العلمين", credit="")
    body = [
        {"type": "paragraph", "value": "<p>وصل الرئيس إلى العاصمة صباح اليوم.</p>"},
        {"type": "figure", "value": {"image": photo1.pk, "alt_text": "", "decorative": False, "caption": "لحظة الوصول إلى المطار", "credit": ""}},
        {"type": "crosshead", "value": "مخاوف بشأن الأسلحة"},
        {"type": "quote", "value": {"text": "نريد أن نعرف ما الذي سيوقَّع باسمنا", "attribution": "Antony Blinken"}},
        {"type": "figure", "value": {"image": photo2.pk, "alt_text": "مصافحة رسمية", "decorative": False, "caption": "المصافحة في القصر", "credit": "سارة منير / أخبار"}},
        {"type": "paragraph", "value": "<p>ويختتم الرئيس زيارته غدًا.</p>"},
    ]
    article = ArticlePageFactory(
        parent=politics,
        title="الرئيس يصل إلى العاصمة في زيارة دولة",
        slug="زيارة-دولة",
        standfirst="زيارة تستمر يومين وتتناول الطاقة والموانئ.",
        body=body,
        dateline="موسكو",
        source_kind="translation",
        source_name="The Northern Herald",
        source_url="https://northern-herald.example/visit",
        source_licence="CC BY 4.0",
    )
    author = AuthorFactory(name="سلمى الراشد")
    ArticleAuthor.objects.create(page=article, author=author, sort_order=0)
    article.tags.add("زيارات رسمية")
    article.save()
    return article


def test_home_section_article_are_arabic_rtl(client, anatomy, politics):
    for url in ["/", politics.url, anatomy.url]:
        html = html_of(client, url)
        assert '<html lang="ar" dir="rtl">' in html


def test_article_page_has_the_whole_anatomy(client, anatomy, politics):
    html = html_of(client, anatomy.url)
    assert html.count("<h1") == 1
    assert re.search(r"<h1[^>]*>الرئيس يصل إلى العاصمة في زيارة دولة</h1>", html)
    assert f'<a href="{politics.url}">سياسة</a>' in html  # section label links to its section
    assert "زيارة تستمر يومين" in html
    assert html.count("<article") == 1 + html.count('class="card')  # one story <article>, cards aside
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', html)
    assert html.count("<figure class=\"figure\">") == 2 and html.count("<figcaption>") >= 2
    assert "Gavriil Grigorov/Sputnik via AP" in html and "سارة منير / أخبار" in html
    assert 'alt="طائرة رئاسية تهبط على مدرج المطار"' in html
    # alt text is never printed as visible text
    body = html[html.index("<body") :]
    visible = re.sub(r"<script[^>]*>.*?</script>|<[^>]+>", " ", body, flags=re.S)
    assert "طائرة رئاسية تهبط على مدرج المطار" not in visible
    assert '<h2 class="crosshead">مخاوف بشأن الأسلحة</h2>' in html
    assert "<blockquote dir=\"auto\">" in html and "<cite><bdi>Antony Blinken</bdi></cite>" in html
    assert 'rel="tag"' in html and "زيارات رسمية" in html
    assert "مترجم عن" in html and 'href="https://northern-herald.example/visit"' in html
    assert 'rel="author"' in html and "سلمى الراشد" in html
    assert "<bdi>موسكو</bdi>" in html
    assert 'class="back-to-top" href="#top"' in html and 'id="top"' in html
    assert "<title>الرئيس يصل إلى العاصمة في زيارة دولة | سياسة | أخبار</title>" in html


def test_related_articles_from_the_same_section(client, anatomy, politics):
    other = ArticlePageFactory(parent=politics, title="خبر آخر في السياسة")
    html = html_of(client, anatomy.url)
    assert 'class="related"' in html and other.title in html


def test_title_never_duplicates_section_or_site(client, politics):
    article = ArticlePageFactory(parent=politics, title="البرلمان يجتمع | سياسة")
    html = html_of(client, article.url)
    assert "<title>البرلمان يجتمع | سياسة | أخبار</title>" in html


def test_section_page_paginates_newest_first_with_rel_links(client, politics, settings):
    settings.AKHBAR_SECTION_PAGE_SIZE = 2
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for i in range(5):
        ArticlePageFactory(parent=politics, title=f"خبر رقم {i}", first_published_at=now - timedelta(hours=i))
    page1 = html_of(client, politics.url)
    assert page1.index("خبر رقم 0") < page1.index("خبر رقم 1")
    assert '<link rel="next" href="' in page1 and 'rel="prev"' not in page1
    page2 = html_of(client, politics.url + "?page=2")
    assert "خبر رقم 2" in page2 and '<link rel="prev"' in page2 and '<link rel="next"' in page2
    html_of(client, politics.url + "?page=99", status=404)
    html_of(client, politics.url + "?page=abc", status=404)


def test_author_and_tag_pages(client, anatomy):
    author = anatomy.article_authors.first().author
    html = html_of(client, author.get_absolute_url())
    assert anatomy.title in html and '<html lang="ar" dir="rtl">' in html
    tag = anatomy.tags.first()
    html = html_of(client, f"/tags/{tag.slug}/")
    assert anatomy.title in html


def test_english_interface_is_ltr_and_translated(client, anatomy):
    url = anatomy.url  # computed before /en/ activates English in this thread
    html = html_of(client, "/en" + url)
    assert '<html lang="en" dir="ltr">' in html
    assert "Back to top" in html and "الرئيس يصل" in html
    arabic = html_of(client, url)
    assert "العودة إلى الأعلى" in arabic and "Back to top" not in arabic


def test_arabic_404_page(client, home):
    html = html_of(client, "/لا-يوجد/", status=404)
    assert '<html lang="ar" dir="rtl">' in html and "الصفحة غير موجودة" in html


def test_500_page_is_arabic_and_leaks_nothing(rf):
    from akhbar.theme.views import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500 and 'lang="ar" dir="rtl"' in html and "Traceback" not in html


def test_no_admin_or_licence_notice_on_public_pages(client, anatomy, politics):
    for url in ["/", politics.url, anatomy.url]:
        html = html_of(client, url)
        for leak in ["wagtail", "csrfmiddlewaretoken", "admin/", "license key", "Activate", "userbar"]:
            assert leak.lower() not in html.lower(), (url, leak)


def test_logged_in_editor_sees_no_admin_chrome(client, anatomy, make_user):
    user = make_user("chief-x", is_staff=True, is_superuser=True)
    client.force_login(user)
    html = html_of(client, anatomy.url)
    assert "userbar" not in html.lower() and "/admin/" not in html


def test_security_headers(client, anatomy):
    response = client.get(anatomy.url)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hostile_headline_is_escaped(client, politics):
    article = ArticlePageFactory(parent=politics, title='<script>alert("x")</script> عنوان', standfirst="<img src=x onerror=alert(1)>")
    html = html_of(client, article.url)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_home_has_one_lead_story_and_smaller_top_stories(client, politics):
    for i in range(4):
        ArticlePageFactory(parent=politics, title=f"خبر الصفحة الأولى {i}")
    html = html_of(client, "/")
    assert html.count("card--lead") == 1
    assert html.count("card__headline--lead") == 1
