"""A reader opens an imported WordPress post, then follows its old permalinks (Debian's chromium)."""

from urllib.parse import unquote

import pytest
from PIL import Image

from tests.paths import CASES_DIR

# transaction=True: the live server sees the data; the newsroom is rebuilt by post_migrate after each flush
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC = CASES_DIR / "wxr" / "generated-arabic" / "akhbar-arabic-sample.wordpress.xml"
OLD_LINK = "/2018/03/%d9%88%d8%a7%d8%b4%d9%86%d8%b7%d9%86-%d8%aa%d9%84%d8%a7%d8%ad%d9%82-%d9%83%d9%8a%d9%85%d9%8a%d8%a7%d8%a6%d9%8a-%d9%81%d8%b1%d9%86%d8%b3%d9%8a-%d8%b3%d8%a7%d8%b9%d8%af-%d8%af%d8%a7%d8%b9%d8%b4/"


@pytest.fixture
def wxr_page(page):
    """The shared chromium page (tests/browser/conftest.py): one Playwright per session."""
    return page


@pytest.mark.skipif(not ARABIC.exists(), reason=f"Arabic WordPress export not found at {ARABIC}")
def test_imported_post_opens_and_old_permalinks_lead_to_it(live_server, wxr_page, settings, tmp_path):
    from akhbar.ingest.wxr.importer import import_wxr
    from akhbar.news.models import ArticlePage
    from akhbar.news.newsroom import ensure_newsroom

    settings.MEDIA_ROOT = tmp_path / "media"
    ensure_newsroom()
    uploads = tmp_path / "uploads" / "2018" / "06"
    uploads.mkdir(parents=True)
    Image.new("RGB", (200, 120), (20, 80, 140)).save(uploads / "صورة-الغلاف.png")
    report = import_wxr(ARABIC, media_dir=tmp_path / "uploads")
    assert report.ok, report.as_text()
    post = ArticlePage.objects.get(external_id="wxr:localhost:8080:64")

    page = wxr_page
    response = page.goto(live_server.url + post.url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "واشنطن تلاحق \"كيميائي فرنسي\" ساعد داعش"
    assert "لائحة الإرهاب العالمية" in page.locator(".story").inner_text()

    for old in (OLD_LINK, "/?p=64", "/2018/03/22/" + unquote(OLD_LINK.split("/")[3]) + "/"):
        response = page.goto(live_server.url + old)
        assert response.status == 200, old
        assert unquote(page.url) == unquote(live_server.url + post.url), old
        assert page.locator("h1").inner_text().startswith("واشنطن تلاحق")

    # the gallery post shows its captioned figure with alt text from the export
    gallery = ArticlePage.objects.get(external_id="wxr:localhost:8080:100")
    page.goto(live_server.url + gallery.url)
    figure = page.locator(".story__body figure img").first
    assert figure.get_attribute("alt") == "نص بديل"
    assert "غلاف: مشهد من العاصمة" in page.locator(".story__body figure figcaption").first.inner_text()
