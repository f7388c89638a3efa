"""End to end: a reader types a variant spelling into the header box and opens the right story."""

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; the newsroom is rebuilt by post_migrate after each flush
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture
def articles():
    from akhbar.news.models import SectionPage
    from akhbar.news.newsroom import ensure_newsroom
    from tests.search.conftest import make_article

    home = ensure_newsroom()
    politics = SectionPage.objects.child_of(home).get(slug="سياسة")
    target = make_article(
        politics,
        "إسرائيل تعلن إغلاق المعابر مع قطاع غزة",
        "قررت الحكومة الإسرائيلية إغلاق المعابر حتى إشعار آخر.",
        "وقال مسؤول إن القرار مؤقت.",
    )
    make_article(politics, "وزير الخارجية يزور القاهرة", "زيارة تستمر يومين.", "بحث الوزير ملف المعابر.")
    return target


def test_variant_spelling_in_header_box_opens_the_story(live_server, articles, page):
    """Uses the shared chromium page of tests/browser/conftest.py (one Playwright per session)."""
    page.goto(live_server.url + "/")
    box = page.get_by_role("searchbox", name="ابحث في الأخبار")
    box.fill("اسرائيل تعلن اغلاق المعابر")  # no hamza: the story spells إسرائيل / إغلاق
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    first = page.locator(".search-result__headline a").first
    assert "إسرائيل" in first.inner_text()
    assert page.locator(".search-result__headline mark").first.inner_text() == "إسرائيل"
    axe = _axe_violations(page)
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().strip() == articles.title
    assert axe == [], axe


def _axe_violations(page):
    """axe-core violations of the current page (empty when axe is not installed)."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:  # pragma: no cover - the test extra installs it
        return []
    results = Axe().run(page)
    assert results.response["passes"], "axe did not run"
    return [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]
