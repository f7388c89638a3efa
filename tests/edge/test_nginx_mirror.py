"""Debian's nginx on loopback serving the static mirror in front of a live akhbar (``akhbar nginx-config``)."""

import gzip
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote

import pytest

from akhbar.comments import actions
from akhbar.comments.actions import CommentData, Submission
from akhbar.comments.tokens import issue_token
from akhbar.edge import mirror, nginx
from akhbar.news.models import ArticlePage
from akhbar.news.slugs import make_slug
from tests.news.factories import ArticlePageFactory

from .proxy_process import free_port, listening

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx not installed (Debian: apt-get install nginx)")


@pytest.fixture
def front(live_server, settings):
    """nginx with the generated configuration in front of the live server; yields (base URL, mirror folder)."""
    workdir = Path(tempfile.mkdtemp(prefix="akhbar-nginx-"))
    os.chmod(workdir, 0o755)  # nginx workers run as another user
    root = workdir / "mirror"
    root.mkdir()
    settings.AKHBAR_STATIC_MIRROR_DIR = str(root)
    port = free_port()
    upstream = live_server.url.split("//", 1)[1]
    conf = workdir / "nginx.conf"
    conf.write_text(nginx.render(str(root), upstream=upstream, listen=f"127.0.0.1:{port}", standalone=str(workdir)))
    try:
        with listening("nginx", [NGINX, "-c", str(conf), "-g", "daemon off;"], port):
            yield f"http://127.0.0.1:{port}", root
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers


def page_file(root, url):
    return root / mirror.relative_dir("127.0.0.1", unquote(url)) / "index.html"


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_mirrored_pages_and_akhbar_deletes_them_on_publish(front, politics):
    base, root = front
    article = ArticlePageFactory(parent=politics, title="العنوان قبل التعديل")
    url = base + article.url

    status, body, headers = fetch(url)  # first request: akhbar renders, stores and mirrors
    assert status == 200 and headers["X-Cache"] == "MISS" and "X-Akhbar-Mirror" not in headers
    assert page_file(root, article.url).read_bytes() == body
    status, again, hit = fetch(url)  # then nginx answers from the file
    assert status == 200 and hit["X-Akhbar-Mirror"] == "hit" and "X-Cache" not in hit
    assert again == body
    # The same headers as akhbar's own cached page (security headers, Cache-Control, language).
    for name, value in headers.items():
        if name.lower() not in nginx.VOLATILE_HEADERS - {"content-type", "content-language", "vary"}:
            assert hit[name] == value, name
    assert hit["Content-Type"] == "text/html; charset=utf-8" == headers["Content-Type"]
    _status, packed, gz = fetch(url, **{"Accept-Encoding": "gzip"})
    assert gz["Content-Encoding"] == "gzip" and gz["X-Akhbar-Mirror"] == "hit"
    assert gzip.decompress(packed) == body

    for bypass in ({"Cookie": "sessionid=abc"}, {"Cookie": "theme=dark; akhbar_nocache=1"}, {"Authorization": "Basic eDp5"}):
        _status, _body, personal = fetch(url, **bypass)
        assert "X-Akhbar-Mirror" not in personal, bypass
    _status, _body, other_cookie = fetch(url, Cookie="theme=dark")
    assert other_cookie["X-Akhbar-Mirror"] == "hit"
    _status, _body, query = fetch(url + "?utm_source=x")
    assert "X-Akhbar-Mirror" not in query
    _status, _body, admin = fetch(base + "/admin/")
    assert "X-Akhbar-Mirror" not in admin

    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "العنوان بعد التعديل"
    started = time.monotonic()
    article.save_revision().publish()
    status, body, headers = fetch(url)
    elapsed = time.monotonic() - started
    assert status == 200 and "العنوان بعد التعديل" in body.decode() and "X-Akhbar-Mirror" not in headers
    assert elapsed <= 1.0
    _status, body, hit = fetch(url)
    assert hit["X-Akhbar-Mirror"] == "hit" and "العنوان بعد التعديل" in body.decode()


@pytest.mark.django_db(transaction=True)
def test_an_approved_comment_purges_its_article_from_nginx(front, politics):
    base, root = front
    # A headline long enough for the longest slug (80 letters, ~240 encoded bytes in one segment).
    title = "خبر للتعليق " + " ".join(["انطلاق مهرجان الفجيرة الدولي للفنون"] * 4)
    article = ArticlePageFactory(parent=politics, title=title, slug=make_slug(title))
    assert len(article.url.rstrip("/").rsplit("/", 1)[1]) > 200
    url = base + article.url
    fetch(url)
    assert fetch(url)[2]["X-Akhbar-Mirror"] == "hit"
    comment = actions.post_comment(
        article, CommentData("قارئة", "reader@example.org", "تعليق وافق عليه المحرر"), Submission(token=issue_token(now=time.time() - 60), ip="203.0.113.9")
    )
    started = time.monotonic()
    actions.approve_comments([comment.pk])
    status, body, headers = fetch(url)
    assert time.monotonic() - started <= 1.0
    assert status == 200 and "X-Akhbar-Mirror" not in headers and "تعليق وافق عليه المحرر" in body.decode()
    _status, body, hit = fetch(url)  # mirrored again, with the comment
    assert hit["X-Akhbar-Mirror"] == "hit" and "تعليق وافق عليه المحرر" in body.decode()
