"""The static mirror (akhbar/edge/mirror.py): what is written, where, and when it is deleted."""

import gzip
import os
import stat
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.encoding import iri_to_uri

from akhbar.edge import middleware as edge_middleware
from akhbar.edge import mirror, nginx, purge
from akhbar.edge import tags as T
from akhbar.news.models import Author

from .conftest import publish_edit
from .test_resilience import database_down


@pytest.fixture
def mirror_dir(settings, tmp_path):
    settings.AKHBAR_STATIC_MIRROR_DIR = str(tmp_path / "mirror")
    return tmp_path / "mirror"


def mirrored(root: Path, url: str, host: str = "testserver") -> Path:
    """Where the page of ``url`` (a path, percent-encoded or not) is mirrored."""
    return root / mirror.relative_dir(host, unquote(url)) / "index.html"


# --- mapping --------------------------------------------------------------------------------
def test_paths_are_percent_encoded_like_browsers_send_them():
    assert mirror.encoded_path("/") == "/"
    assert mirror.encoded_path("/سياسة/خبر-عاجل/") == "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/%D8%AE%D8%A8%D8%B1-%D8%B9%D8%A7%D8%AC%D9%84/"
    assert mirror.encoded_path("/سياسة/خبر-عاجل/") == iri_to_uri("/سياسة/خبر-عاجل/")
    assert mirror.encoded_path("/a b/100%/") == "/a%20b/100%25/"  # "%" itself is encoded: one file per path
    assert mirror.encoded_path("/tags/x:y@z/") == "/tags/x:y@z/"
    longest = "/سياسة/" + "ب" * 20 + "-" + "ت" * 19 + "/"  # news/slugs.py: at most 240 encoded bytes
    assert len(mirror.encoded_path(longest).split("/")[2]) == 235 and mirror.relative_dir("h", longest)


@pytest.mark.parametrize(
    "path",
    ["/a/../b/", "/../", "/./", "/a//b/", "/.index/", "/a/.hidden/", "/no-slash", "", "a/", "/a\x00/", "/a\\b/", "/" + "ب" * 43 + "/", "/a/" * 400],
)
def test_unsafe_or_absurd_paths_are_never_mirrored(path):
    assert mirror.encoded_path(path) is None


def test_hosts_are_lower_case_names_without_port():
    assert mirror.normal_host("News.Example:8000") == "news.example"
    assert mirror.normal_host("127.0.0.1") == "127.0.0.1"
    for bad in ("", "[::1]:8000", "..", ".index", "a/b", "a..b", "-x", "x_y"):
        assert mirror.normal_host(bad) is None, bad


def test_a_symlink_inside_the_mirror_cannot_lead_outside(tmp_path):
    root, outside = tmp_path / "m", tmp_path / "outside"
    (root / "h").mkdir(parents=True)
    outside.mkdir()
    os.symlink(outside, root / "h" / "evil")
    assert mirror.page_file(root, "h/evil/") is None
    assert mirror.page_file(root, "h/ok/") == root / "h" / "ok" / "index.html"
    assert mirror.page_file(root, "../x/") is None and mirror.page_file(root, "h/../../x/") is None


# --- what is mirrored -----------------------------------------------------------------------
def _request(path="/x/", method="GET", **extra):
    request = getattr(RequestFactory(), method.lower())(path, **extra)
    return request


def _html(**headers):
    response = HttpResponse("<p>x</p>")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def test_mirrorable_rules():
    assert mirror.mirrorable(_request(), _html())
    assert not mirror.mirrorable(_request("/x/?page=2"), _html())
    assert not mirror.mirrorable(_request("/x/?utm_source=a"), _html())  # tracking parameters too
    assert not mirror.mirrorable(_request(method="HEAD"), _html())
    assert not mirror.mirrorable(_request("/admin/pages/"), _html())
    assert not mirror.mirrorable(_request(HTTP_COOKIE="sessionid=abc"), _html())
    assert not mirror.mirrorable(_request(HTTP_COOKIE="akhbar_nocache=1"), _html())
    assert not mirror.mirrorable(_request(HTTP_AUTHORIZATION="Basic eDp5"), _html())
    assert not mirror.mirrorable(_request(), _html(Vary="Accept-Encoding, Cookie"))
    assert not mirror.mirrorable(_request(), _html(Cache_Control="private"))
    assert not mirror.mirrorable(_request(), _html(Cache_Control="no-store"))
    assert not mirror.mirrorable(_request(), HttpResponse("{}", content_type="application/json"))
    assert not mirror.mirrorable(_request(), HttpResponse("x", status=404))
    assert not mirror.mirrorable(_request(), HttpResponse("x", status=500))
    with_cookie = _html()
    with_cookie.set_cookie("a", "b")
    assert not mirror.mirrorable(_request(), with_cookie)
    preview = _request()
    preview.is_preview = True
    assert not mirror.mirrorable(preview, _html())


@pytest.mark.django_db
def test_a_cached_page_is_written_with_its_gzip_twin(client, story, mirror_dir):
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    page = mirrored(mirror_dir, story.url)
    assert page.read_bytes() == response.content
    assert gzip.decompress(page.with_name("index.html.gz").read_bytes()) == response.content
    assert stat.S_IMODE(page.stat().st_mode) == 0o644  # nginx runs as another user
    assert not [p for p in page.parent.iterdir() if p.name.startswith(".tmp-")]
    assert client.get(story.url)["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_no_file_when_the_mirror_is_off_or_the_page_is_personal(client, story, mirror_dir, settings, django_user_model):
    client.get(story.url + "?utm_source=x")  # stored in the page cache, never mirrored
    assert not mirrored(mirror_dir, story.url).exists()
    client.cookies["akhbar_nocache"] = "1"
    client.get(story.url)
    assert not mirrored(mirror_dir, story.url).exists()
    del client.cookies["akhbar_nocache"]
    client.force_login(django_user_model.objects.create_user("reader", password="pw"))
    client.get(story.url)
    assert not mirrored(mirror_dir, story.url).exists()
    client.logout()
    client.cookies.clear()
    assert client.get("/no-such-page/").status_code == 404
    assert not mirrored(mirror_dir, "/no-such-page/").exists()
    settings.AKHBAR_STATIC_MIRROR_DIR = ""
    from akhbar.edge.store import store

    store.clear()
    client.get(story.url)
    assert not mirrored(mirror_dir, story.url).exists()


@pytest.mark.django_db
def test_a_stale_copy_served_when_the_database_fails_is_not_mirrored(client, story, mirror_dir, monkeypatch):
    client.get(story.url)
    purge.purge_article(story)
    assert not mirrored(mirror_dir, story.url).exists()
    with database_down():
        response = client.get(story.url)
    assert response["X-Cache"] == "STALE"
    assert not mirrored(mirror_dir, story.url).exists()


# --- invalidation ---------------------------------------------------------------------------
def _warm(client, root, *urls):
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert mirrored(root, url).exists(), url


@pytest.mark.django_db
def test_a_publish_deletes_every_path_varnish_is_sent_and_keeps_the_others(client, story, politics, economy, mirror_dir):
    author = story.article_authors.first().author
    other = economy.url
    pages = ["/", "/en/", story.url, politics.url, reverse("tag", args=["انتخابات"]), reverse("author", args=[author.slug]), other]
    _warm(client, mirror_dir, *pages)
    before = purge.snapshot(story.pk)
    publish_edit(story, title="عنوان جديد")
    proxy_paths = {
        iri_to_uri(u).split("//", 1)[1].split("/", 1)[1] for u in purge.article_change_urls(before, purge.snapshot(story.pk))
    }
    for url in pages[:-1]:
        assert not mirrored(mirror_dir, url).exists(), url
        assert iri_to_uri(url).lstrip("/") in proxy_paths, url  # the same list the proxy/CDN gets
    assert mirrored(mirror_dir, other).exists()  # an unrelated section stays
    assert "عنوان جديد" in client.get(story.url).content.decode()


@pytest.mark.django_db
def test_tag_only_changes_delete_the_pages_the_path_purge_would_miss(client, story, politics, mirror_dir):
    _warm(client, mirror_dir, story.url)
    author = Author.objects.get(pk=story.article_authors.first().author_id)
    author.name = "اسم جديد"
    author.save()  # byline on the article page: tag byline:<id>
    assert not mirrored(mirror_dir, story.url).exists()
    _warm(client, mirror_dir, story.url)
    purge.purge_tags(T.comments(politics.pk))  # comments switched for the section
    assert not mirrored(mirror_dir, story.url).exists()
    _warm(client, mirror_dir, story.url)
    purge.purge_tags(T.related(politics.pk))  # the "more from" box
    assert not mirrored(mirror_dir, story.url).exists()


@pytest.mark.django_db
def test_site_wide_purge_and_a_new_deploy_empty_the_mirror(client, story, politics, mirror_dir, monkeypatch):
    _warm(client, mirror_dir, "/", story.url)
    purge.purge_everything()
    assert not mirrored(mirror_dir, "/").exists() and not mirrored(mirror_dir, story.url).exists()
    _warm(client, mirror_dir, "/")
    monkeypatch.setattr(edge_middleware, "_deploy_id", "newdeploy1")  # code changed, workers restarted
    monkeypatch.setattr(mirror, "STARTED_NS", time.time_ns())
    client.get(politics.url)  # new key: a miss, whose write first empties the old deploy's files
    assert not mirrored(mirror_dir, "/").exists()
    assert mirrored(mirror_dir, politics.url).exists()
    monkeypatch.setattr(edge_middleware, "_deploy_id", "olddeploy0")  # an old worker still draining
    monkeypatch.setattr(mirror, "STARTED_NS", 1)
    client.get(story.url)
    assert not mirrored(mirror_dir, story.url).exists()
    assert mirrored(mirror_dir, politics.url).exists()


@pytest.mark.django_db
def test_a_purge_landing_while_the_file_is_written_removes_it(client, story, mirror_dir, monkeypatch):
    from akhbar.edge.store import store

    monkeypatch.setattr(store, "is_current", lambda entry, now=None: False)
    assert client.get(story.url)["X-Cache"] == "MISS"
    assert not mirrored(mirror_dir, story.url).exists()


@pytest.mark.django_db
def test_prune_removes_old_pages_and_keeps_fresh_ones(client, story, politics, mirror_dir):
    _warm(client, mirror_dir, story.url, politics.url)
    old = time.time() - 90000
    os.utime(mirrored(mirror_dir, story.url), (old, old))
    counts = mirror.prune(86400)
    assert counts["pages"] == 1
    assert not mirrored(mirror_dir, story.url).exists() and not mirrored(mirror_dir, story.url).with_suffix(".html.gz").exists()
    assert mirrored(mirror_dir, politics.url).exists()
    assert mirror.prune(86400, now=time.time() + 10 * 86400)["index"] > 0  # registrations expire too
    assert not mirrored(mirror_dir, politics.url).exists()
    _warm(client, mirror_dir, "/")
    (mirror_dir / ".deploy").write_text("someotherdeploy 99999999999999999999\n")
    mirror.prune(86400)  # cron may run with another environment: it never empties the mirror
    assert mirrored(mirror_dir, "/").exists()


@pytest.mark.django_db
def test_server_start_claims_the_mirror_for_its_deploy(client, story, mirror_dir):
    _warm(client, mirror_dir, "/")
    assert mirror.claim() and mirrored(mirror_dir, "/").exists()  # same deploy: kept
    (mirror_dir / ".deploy").write_text("previousdeploy 1\n")  # pages of the previous code
    assert mirror.claim()
    assert not mirrored(mirror_dir, "/").exists()
    assert (mirror_dir / ".deploy").read_text().split()[0] == edge_middleware.deploy_id()
    from akhbar.edge import gunicorn_conf

    _warm(client, mirror_dir, "/")
    (mirror_dir / ".deploy").write_text("previousdeploy 1\n")
    gunicorn_conf.when_ready(None)
    assert not mirrored(mirror_dir, "/").exists()


@pytest.mark.django_db
def test_prune_command(mirror_dir, capsys):
    from django.core.management import call_command

    mirror_dir.mkdir()
    call_command("prune_static_mirror", "--max-age", "60")
    assert "removed 0 pages" in capsys.readouterr().out


# --- nginx configuration --------------------------------------------------------------------
@pytest.mark.django_db
def test_nginx_headers_are_the_headers_akhbar_sends_on_cached_pages(client, story):
    client.get(story.url)
    hit = client.get(story.url)
    theirs = {(k.lower(), v) for k, v in hit.headers.items() if k.lower() not in nginx.VOLATILE_HEADERS}
    ours = {(k.lower(), v) for k, v in nginx.page_headers()}
    assert theirs == ours
    assert hit["Vary"] == nginx.page_vary()


def test_nginx_config_command(settings, tmp_path, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.AKHBAR_STATIC_MIRROR_DIR = ""
    with pytest.raises(CommandError):
        call_command("nginx_config")
    settings.AKHBAR_STATIC_MIRROR_DIR = str(tmp_path)
    call_command("nginx_config", "--upstream", "127.0.0.1:8123")
    text = capsys.readouterr().out
    assert "server 127.0.0.1:8123;" in text and "gzip_static on;" in text and f"root {tmp_path};" in text
    assert "(sessionid|akhbar_nocache)=" in text and "location /admin/" in text
    assert settings.AKHBAR_CSP in text and "immutable" in text
    settings.AKHBAR_CSP = "default-src 'self' $x"
    with pytest.raises(CommandError):
        call_command("nginx_config")


@pytest.mark.django_db
def test_a_hit_writes_the_file_when_it_is_missing(client, story, mirror_dir, settings):
    settings.AKHBAR_STATIC_MIRROR_DIR = ""
    client.get(story.url)  # cached before the mirror was switched on (or by another machine)
    settings.AKHBAR_STATIC_MIRROR_DIR = str(mirror_dir)
    response = client.get(story.url)
    assert response["X-Cache"] == "HIT"
    page = mirrored(mirror_dir, story.url)
    assert page.read_bytes() == response.content
    os.utime(page, (1, 1))
    client.get(story.url)
    assert page.stat().st_mtime == 1  # an existing file is left alone
    assert client.get(story.url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"
    page.unlink()
    client.get(story.url, HTTP_ACCEPT_ENCODING="gzip")
    assert page.read_bytes() == response.content  # the identity body, whatever the client accepted
    purge.purge_article(story)
    assert not page.exists()


def test_the_nginx_map_finds_exactly_the_files_akhbar_writes():
    import re

    pattern = re.compile(nginx.mirror_file_regex().replace("(?<", "(?P<"))

    def file_of(shared, host, uri):
        m = pattern.match(f"{shared}|{host}|{uri}")
        return f"{m['mh']}{m['mp']}index.html" if m else None

    for path in ("/", "/سياسة/خبر-عاجل/", "/en/tags/x:y@z/", "/a b/100%/"):
        uri = mirror.encoded_path(path)
        assert file_of(1, "news.example", uri) == mirror.relative_dir("news.example", path) + "index.html", path
    for uri in ("/x/?a=1", "/x/?", "/x", "/a/../", "/./", "/.index/", "/x/.deploy/", "/a//b/", "/x/index.html"):
        assert file_of(1, "news.example", uri) is None, uri
    assert file_of(0, "news.example", "/x/") is None  # personal cookie, Authorization or a POST
    assert file_of(1, ".index", "/x/") is None


@pytest.mark.django_db
def test_hits_of_feeds_and_query_strings_are_not_mirrored(client, story, mirror_dir, politics):
    for url in ("/feeds/rss/", politics.url + "?page=1", politics.url + "?utm_source=x"):
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200 and response["X-Cache"] == "HIT", url
    assert not mirrored(mirror_dir, "/feeds/rss/").exists() and not mirrored(mirror_dir, politics.url).exists()
    assert not (mirror_dir.exists() and list(mirror_dir.rglob("index.html")))


@pytest.mark.django_db
def test_an_unwritable_mirror_never_breaks_pages_or_publishing(client, story, settings, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings.AKHBAR_STATIC_MIRROR_DIR = str(blocker / "mirror")
    assert client.get(story.url).status_code == 200
    assert client.get(story.url)["X-Cache"] == "HIT"
    assert "عنوان آخر" in client.get(publish_edit(story, title="عنوان آخر").url).content.decode()
    assert any("static mirror" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_publish_from_a_process_without_the_mirror_setting_still_deletes_the_files(client, story, politics, mirror_dir, settings):
    """A cron ``publish-scheduled`` or a ``shell`` run without AKHBAR_STATIC_MIRROR_DIR: the
    server announced its mirror in the shared edge cache, so the purge reaches the files."""
    assert mirror.claim()  # what ``akhbar serve`` does at start
    _warm(client, mirror_dir, story.url, politics.url)
    settings.AKHBAR_STATIC_MIRROR_DIR = ""  # the other process
    assert mirror.mirror_root() is None and mirror.purge_roots() == [mirror_dir]
    publish_edit(story, title="عنوان من المجدول")
    assert not mirrored(mirror_dir, story.url).exists() and not mirrored(mirror_dir, politics.url).exists()


@pytest.mark.django_db
def test_announced_folders_survive_a_cache_clear_and_unknown_ones_are_ignored(story, mirror_dir, settings, tmp_path):
    from akhbar.edge.store import store

    assert mirror.claim()
    mirror.announce(tmp_path / "not-a-mirror")  # no deploy marker: never touched
    settings.AKHBAR_STATIC_MIRROR_DIR = ""
    assert mirror.purge_roots() == [mirror_dir]
    store.clear()
    assert mirror.purge_roots() == [mirror_dir]
