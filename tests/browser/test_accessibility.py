"""Every public page passes an automated axe-core check (bundled with axe-playwright-python), light and dark."""

import pytest

from akhbar.news.models import ArticleAuthor, SectionPage

from ..news.factories import ArticlePageFactory, AuthorFactory, NewsImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_pages(transactional_db):
    from akhbar.news.newsroom import ensure_newsroom

    home = ensure_newsroom()
    section = SectionPage.objects.child_of(home).get(slug="ثقافة")
    photo = NewsImageFactory(description="قاعة عرض فيها لوحات معلقة", credit="Lina Haddad / أخبار")
    body = [
        {"type": "paragraph", "value": "<p>افتتح المعرض أبوابه أمس.</p>"},
        {"type": "crosshead", "value": "أعمال جديدة"},
        {"type": "figure", "value": {"image": photo.pk, "alt_text": "", "decorative": False, "caption": "القاعة الرئيسية", "credit": ""}},
        {"type": "quote", "value": {"text": "الفن للجميع", "attribution": "مديرة المعرض"}},
        {"type": "separator", "value": None},
    ]
    articles = [
        ArticlePageFactory(parent=section, title=f"معرض الفن رقم {i}", body=body, lead_image=photo, lead_image_caption="الافتتاح")
        for i in range(3)
    ]
    author = AuthorFactory(name="ليلى عبد النور")
    ArticleAuthor.objects.create(page=articles[0], author=author, sort_order=0)
    articles[0].tags.add("فنون")
    articles[0].save()
    urls = ["/", section.url, articles[0].url, author.get_absolute_url(), "/tags/فنون/", "/لا-توجد-صفحة/"]
    return urls + ["/en" + urls[2]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_public_pages_have_no_axe_violations(live_server, browser, site_pages, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(locale="ar", color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    failures = []
    for url in site_pages:
        page.goto(live_server.url + url)
        result = Axe().run(page)
        for violation in result.response["violations"]:
            failures.append(f"{url} [{scheme}] {violation['id']}: {[n['target'] for n in violation['nodes']][:3]}")
    context.close()
    assert not failures, "\n".join(failures)
