"""A publish purges a real Varnish (Debian's varnishd on loopback, deploy/varnish/akhbar.vcl)."""

import os
import re
import shutil
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from wagtail.models import Site

from akhbar.news.models import ArticlePage, SectionPage
from tests.news.factories import ArticlePageFactory

from .proxy_process import free_port, listening

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "akhbar.vcl"
VARNISHD = shutil.which("varnishd") or ("/usr/sbin/varnishd" if os.path.exists("/usr/sbin/varnishd") else None)

pytestmark = pytest.mark.skipif(VARNISHD is None, reason="varnishd not installed (Debian: apt-get install varnish)")


@pytest.fixture
def varnish(live_server):
    """varnishd in front of the live server; yields its base URL; stopped afterwards."""
    backend_port = live_server.url.rsplit(":", 1)[1]
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="akhbar-varnish-")
    os.chmod(workdir, 0o755)  # varnishd drops privileges to its own user
    vcl = Path(workdir) / "akhbar.vcl"
    text = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";')
    text = re.sub(r"\.probe = \{.*?\n    \}\n", "", text, flags=re.S)  # no health probe hitting the test database
    vcl.write_text(text)
    vcl.chmod(0o644)
    try:
        with listening("varnishd", [VARNISHD, "-F", "-a", f"127.0.0.1:{port}", "-f", str(vcl), "-n", str(Path(workdir) / "n"), "-s", "malloc,32m", "-p", "default_grace=0"], port):
            yield f"http://127.0.0.1:{port}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode(), response.headers


@pytest.mark.django_db(transaction=True)
def test_publish_purges_varnish_and_the_next_request_shows_the_change(varnish, settings, home):
    port = int(varnish.rsplit(":", 1)[1])
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=port)
    Site.clear_site_root_paths_cache()
    settings.WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}}
    politics = SectionPage.objects.get(slug="سياسة")
    for n in range(22):  # a second section page
        ArticlePageFactory(parent=politics, title=f"أرشيف {n}")
    article = ArticlePageFactory(parent=politics, title="العنوان قبل التعديل", live=False, first_published_at=None, last_published_at=None)
    article.save_revision().publish()
    article.refresh_from_db()
    article_url = varnish + article.url
    section_url = varnish + politics.url
    page2_url = section_url + "?page=2"

    for url in (article_url, section_url, page2_url):
        fetch(url)
        _body, headers = fetch(url)
        assert headers["X-Proxy-Cache"] == "HIT", url

    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "العنوان بعد التعديل"
    started = time.monotonic()
    article.save_revision().publish()
    body, headers = fetch(article_url)
    elapsed = time.monotonic() - started
    assert "العنوان بعد التعديل" in body and headers["X-Proxy-Cache"] == "MISS"
    assert elapsed <= 1.0
    body, _ = fetch(section_url)
    assert "العنوان بعد التعديل" in body
    _body, headers = fetch(page2_url)  # every page of the section was banned, not only page 1
    assert headers["X-Proxy-Cache"] == "MISS"


@pytest.mark.django_db(transaction=True)
def test_varnish_passes_logged_in_readers_and_refuses_foreign_purges(varnish, home):
    request = urllib.request.Request(varnish + "/", headers={"Cookie": "sessionid=abc"})
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Proxy-Cache"] == "MISS"
    fetch(varnish + "/")
    _body, headers = fetch(varnish + "/?utm_source=x")
    assert headers["X-Proxy-Cache"] == "HIT"  # tracking parameters share the cached page
    request = urllib.request.Request(varnish + "/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["X-Proxy-Cache"] == "HIT"  # the language is in the URL, not negotiated
        assert "accept-language" not in (response.headers.get("Vary") or "").lower()
