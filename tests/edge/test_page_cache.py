"""The page cache: what is stored, what is served, what never is."""

import gzip

import pytest
from django.test import override_settings

from akhbar.edge import tags as T
from akhbar.edge.middleware import EdgeCacheMiddleware, cache_key
from akhbar.edge.store import store


def get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.mark.django_db
def test_second_anonymous_request_is_a_hit_with_the_same_page(client, story):
    first = get(client, story.url)
    second = get(client, story.url)
    assert first.status_code == second.status_code == 200
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "الخبر الأول" in second.content.decode()
    assert second["Content-Type"].startswith("text/html")
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_hit_runs_no_sql(client, story, django_assert_num_queries):
    get(client, story.url)
    with django_assert_num_queries(0):
        assert get(client, story.url)["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_public_cache_control_etag_and_304(client, story):
    first = get(client, story.url)
    cc = first["Cache-Control"]
    for word in ("public", "max-age=", "s-maxage=", "stale-while-revalidate=", "stale-if-error="):
        assert word in cc
    hit = get(client, story.url)
    etag = hit["ETag"]
    assert etag.startswith('"') and hit["Last-Modified"]
    assert "Age" not in hit  # re-validated on every hit: as fresh as a new render
    assert "Accept-Encoding" in hit["Vary"]
    not_modified = get(client, story.url, if_none_match=etag)
    assert not_modified.status_code == 304 and not not_modified.content
    assert not_modified["ETag"] == etag
    assert get(client, story.url, if_modified_since=hit["Last-Modified"]).status_code == 304
    assert get(client, story.url, if_none_match='"other"').status_code == 200


@pytest.mark.django_db
def test_gzip_body_is_served_to_clients_that_accept_it(client, story):
    get(client, story.url)
    plain = get(client, story.url)
    packed = get(client, story.url, accept_encoding="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] != plain["ETag"]
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)


@pytest.mark.django_db
def test_head_is_served_from_the_cache_without_body(client, story):
    get(client, story.url)
    head = client.head(story.url)
    assert head.status_code == 200 and head["X-Cache"] == "HIT" and head.content == b""


@pytest.mark.django_db
def test_logged_in_readers_are_never_cached(client, story, make_user):
    user = make_user("editor1", is_staff=True, is_superuser=True)
    get(client, story.url)  # anonymous copy stored
    client.force_login(user)
    response = get(client, story.url)
    assert response["X-Cache"] == "BYPASS"
    assert "private" in response["Cache-Control"]
    assert get(client, story.url)["X-Cache"] == "BYPASS"


@pytest.mark.django_db
def test_admin_is_private_no_store(client, make_user):
    client.force_login(make_user("admin1", is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_wagtail_preview_is_not_cached(client, story, make_user):
    client.force_login(make_user("admin2", is_staff=True, is_superuser=True))
    response = client.get(f"/admin/pages/{story.pk}/edit/preview/")
    assert response["Cache-Control"].count("no-store") >= 1
    assert "X-Cache" not in response or response["X-Cache"] != "HIT"


@pytest.mark.django_db
def test_unknown_query_parameters_bypass_and_tracking_ones_are_ignored(client, story):
    assert get(client, story.url)["X-Cache"] == "MISS"
    assert client.get(story.url + "?utm_source=x&fbclid=1")["X-Cache"] == "HIT"
    assert client.get(story.url + "?preview=1")["X-Cache"] == "BYPASS"
    assert client.get(story.url + "?preview=1")["X-Cache"] == "BYPASS"


@pytest.mark.django_db
def test_pagination_pages_are_separate_entries(client, politics):
    from tests.news.factories import ArticlePageFactory

    for n in range(25):
        ArticlePageFactory(parent=politics, title=f"قصة {n}")
    one = client.get(politics.url)
    two = client.get(politics.url + "?page=2")
    assert one["X-Cache"] == two["X-Cache"] == "MISS"
    assert one.content != two.content
    assert client.get(politics.url + "?page=2")["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_404_is_not_stored(client, home):
    assert client.get("/لا-يوجد/").status_code == 404
    response = client.get("/لا-يوجد/")
    assert response.status_code == 404 and response["X-Cache"] != "HIT"


@pytest.mark.django_db
def test_session_cookie_bypasses(client, story):
    get(client, story.url)
    client.cookies["sessionid"] = "x"
    assert get(client, story.url)["X-Cache"] == "BYPASS"


def _response(rf, body=b"<p>hi</p>", **headers):
    from django.http import HttpResponse

    request = rf.get("/x/")
    T.add_cache_tags(request, "home")
    response = HttpResponse(body)
    for k, v in headers.items():
        response[k] = v
    return request, response


def test_responses_with_cookies_csrf_tokens_or_private_are_not_storable(rf):
    mw = EdgeCacheMiddleware(lambda r: None)
    request, response = _response(rf)
    assert mw._storable(request, response)
    request, response = _response(rf)
    response.set_cookie("a", "b")
    assert not mw._storable(request, response)
    request, response = _response(rf, b'<input name="csrfmiddlewaretoken" value="x">')
    assert not mw._storable(request, response)
    for cc in ("private", "no-store", "no-cache"):
        request, response = _response(rf, **{"Cache-Control": cc})
        assert not mw._storable(request, response)
    request, response = _response(rf, Vary="User-Agent")
    assert not mw._storable(request, response)
    request = rf.get("/x/")  # no tag declared: nothing could purge it
    assert not mw._storable(request, _response(rf)[1])


def test_cache_key_depends_on_host_path_and_allowed_params(rf):
    assert cache_key(rf.get("/a/")) != cache_key(rf.get("/b/"))
    assert cache_key(rf.get("/a/?page=2")) != cache_key(rf.get("/a/"))
    assert cache_key(rf.get("/a/?page=2&q=x")) == cache_key(rf.get("/a/?q=x&page=2"))
    assert cache_key(rf.get("/a/?utm_medium=x")) == cache_key(rf.get("/a/"))
    assert cache_key(rf.get("/a/?x=1")) is None
    assert cache_key(rf.get("/a/", HTTP_HOST="localhost")) != cache_key(rf.get("/a/"))


@pytest.mark.django_db
@override_settings(AKHBAR_EDGE_ENABLED=False)
def test_cache_can_be_switched_off(client, story):
    get(client, story.url)
    assert get(client, story.url)["X-Cache"] == "BYPASS"


@pytest.mark.django_db
def test_stored_page_keeps_its_tags(client, story):
    get(client, story.url)
    key = cache_key(client.get(story.url).wsgi_request)
    entry, _seq = store.lookup(key)
    assert {T.article(story.pk), T.related(story.section_id), T.SITE} <= set(entry.tags)
    assert any(t.startswith("byline:") for t in entry.tags)
    assert sum(t.startswith("taglabel:") for t in entry.tags) == 2


@pytest.mark.django_db
def test_edge_purge_command(client, story):
    from django.core.management import call_command

    get(client, story.url)
    call_command("edge_purge", tag=[T.article(story.pk)])
    assert get(client, story.url)["X-Cache"] == "MISS"
    call_command("edge_purge", all=True)
    assert get(client, story.url)["X-Cache"] == "MISS"


def test_serve_command_builds_a_gunicorn_command_line(capsys):
    from django.core.management import call_command

    call_command("serve", bind="127.0.0.1:8123", workers=2, threads=3, check_config=True, no_collectstatic=True)
    out = capsys.readouterr().out
    assert "gunicorn" in out and "akhbar.wsgi:application" in out
    assert "bind=127.0.0.1:8123 workers=2 threads=3" in out


@pytest.mark.django_db
def test_an_evicted_tag_version_invalidates_instead_of_revalidating(client, story):
    from django.core.cache import caches

    from akhbar.edge.store import version_key

    get(client, story.url)
    assert get(client, story.url)["X-Cache"] == "HIT"
    caches["edge"].delete(version_key(T.article(story.pk)))  # evicted by Redis/culled by the file cache
    assert get(client, story.url)["X-Cache"] == "MISS"


def test_file_cache_is_shared_and_culls_lazily(tmp_path):
    from akhbar.edge.filecache import EdgeFileCache

    a = EdgeFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    b = EdgeFileCache(str(tmp_path), {})  # another worker process, same folder
    a.set("k", {"v": 1}, None)
    assert b.get("k") == {"v": 1}
    for n in range(60):
        a.set(f"x{n}", n, None)
    assert len(list(tmp_path.glob("*.djcache"))) <= 10 + EdgeFileCache.CULL_EVERY


def test_a_new_deploy_uses_new_page_keys(rf, settings, monkeypatch):
    from akhbar.edge import middleware

    monkeypatch.setattr(middleware, "_deploy_id", None)
    settings.AKHBAR_EDGE_KEY_VERSION = "release-1"
    first = cache_key(rf.get("/a/"))
    monkeypatch.setattr(middleware, "_deploy_id", None)
    settings.AKHBAR_EDGE_KEY_VERSION = "release-2"
    assert cache_key(rf.get("/a/")) != first
    monkeypatch.setattr(middleware, "_deploy_id", None)
