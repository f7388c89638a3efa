"""A reader goes home → section → article in chromium; the anatomy is visible and usable by keyboard."""

import pytest

from akhbar.news.models import ArticlePage, SectionPage

from ..news.factories import ArticlePageFactory, NewsImageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story(transactional_db):
    from akhbar.news.newsroom import ensure_newsroom

    home = ensure_newsroom()
    section = SectionPage.objects.child_of(home).get(slug="اقتصاد")
    photo = NewsImageFactory(description="أعمدة بيانية تصعد من اليسار إلى اليمين", credit="قسم الرسوم / أخبار")
    body = [{"type": "paragraph", "value": f"<p>فقرة رقم {i} من المتن الطويل للخبر.</p>"} for i in range(25)]
    body.insert(2, {"type": "figure", "value": {"image": photo.pk, "alt_text": "", "decorative": False, "caption": "تطور الإنفاق الشهري", "credit": ""}})
    return ArticlePageFactory(parent=section, title="الحكومة تقر الموازنة الجديدة", slug="الموازنة", standfirst="عجز أقل من المتوقع.", body=body)


def test_home_to_section_to_article(live_server, page, story, artifacts):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("navigation", name="الأقسام").get_by_role("link", name="اقتصاد").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "اقتصاد"
    page.get_by_role("link", name="الحكومة تقر الموازنة الجديدة").first.click()
    page.wait_for_load_state()

    assert page.locator("h1").inner_text() == "الحكومة تقر الموازنة الجديدة"
    caption = page.locator("figure figcaption").first
    assert caption.is_visible()
    assert "تطور الإنفاق الشهري" in caption.inner_text() and "قسم الرسوم / أخبار" in caption.inner_text()
    img = page.locator("figure img").first
    assert img.get_attribute("alt") == "أعمدة بيانية تصعد من اليسار إلى اليمين"
    assert "أعمدة بيانية" not in page.locator("body").inner_text()  # alt is not printed as text
    page.screenshot(path=str(artifacts / "article-page.png"), full_page=True)

    # back to top, by keyboard only
    page.keyboard.press("End")
    page.wait_for_function("window.scrollY > 500")
    back = page.get_by_role("link", name="العودة إلى الأعلى")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('back-to-top')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('back-to-top')"), "back-to-top not reachable by Tab"
    assert back.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("window.scrollY < 50")
    assert page.evaluate("location.hash") == "#top"
