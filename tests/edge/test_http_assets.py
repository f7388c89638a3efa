"""Static files and images: hashed static names served immutable, responsive images without layout shift."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.news.factories import ArticlePageFactory, NewsImageFactory

REPO = Path(__file__).resolve().parents[2]


def test_static_files_are_hashed_compressed_and_served_by_whitenoise(tmp_path):
    # production settings (the test settings swap the storage for speed): read them in a fresh process
    code = "import akhbar.settings.base as b, json; print(json.dumps([b.STORAGES['staticfiles']['BACKEND'], b.MIDDLEWARE]))"
    env = {**os.environ, "AKHBAR_DATA_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, check=True).stdout
    storage, middleware = json.loads(out)
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in middleware
    assert middleware.index("django.middleware.gzip.GZipMiddleware") < middleware.index("akhbar.edge.middleware.EdgeCacheMiddleware")


def test_whitenoise_marks_hashed_names_immutable(settings, monkeypatch):
    from whitenoise.middleware import WhiteNoiseMiddleware

    mw = WhiteNoiseMiddleware(lambda r: None)
    monkeypatch.setattr(mw, "get_static_url", lambda name: "/static/theme/site.0123456789ab.css" if name == "theme/site.css" else None)
    assert mw.immutable_file_test("", "/static/theme/site.0123456789ab.css")
    assert not mw.immutable_file_test("", "/static/theme/site.css")


@pytest.fixture
def illustrated(politics):
    lead = NewsImageFactory(file__width=1600, file__height=900)
    figure = NewsImageFactory(file__width=1200, file__height=800)
    body = [
        {"type": "paragraph", "value": "<p>فقرة.</p>"},
        {"type": "figure", "value": {"image": figure.pk, "alt_text": "وصف الشكل", "decorative": False, "caption": "", "credit": ""}},
        {"type": "figure", "value": {"image": figure.pk, "alt_text": "يُتجاهل", "decorative": True, "caption": "", "credit": "رويترز"}},
    ]
    return ArticlePageFactory(parent=politics, lead_image=lead, lead_image_alt="وصف الصورة الرئيسية", body=body)


def pictures(html):
    return re.findall(r"<picture>.*?</picture>", html, re.S)


@pytest.mark.django_db
def test_article_images_are_pictures_with_avif_webp_and_jpeg(client, illustrated):
    html = client.get(illustrated.url).content.decode()
    found = pictures(html)
    assert len(found) == 3
    lead, figure, decorative = found
    for picture in found:
        assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
        img = re.search(r"<img [^>]*>", picture).group(0)
        assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
        assert "srcset=" in img and "sizes=" in img and ".jpg" in img
        assert re.search(r"\d+w", img)
    assert 'alt="وصف الصورة الرئيسية"' in lead and 'fetchpriority="high"' in lead and 'loading="lazy"' not in lead
    assert 'alt="وصف الشكل"' in figure and 'loading="lazy"' in figure
    assert 'alt=""' in decorative and "يُتجاهل" not in decorative


@pytest.mark.django_db
def test_cards_keep_empty_alt_and_lazy_load_below_the_fold(client, politics, illustrated):
    for n in range(3):
        ArticlePageFactory(parent=politics, title=f"بصورة {n}", lead_image=NewsImageFactory(), lead_image_alt="وصف")
    html = client.get(politics.url).content.decode()
    cards = pictures(html)
    assert len(cards) == 4
    assert 'loading="eager"' in cards[0]  # first card: above the fold
    assert all('loading="lazy"' in card for card in cards[1:])
    assert all('alt=""' in card for card in cards)
    home = client.get("/").content.decode()
    assert 'fetchpriority="high"' in pictures(home)[0]
