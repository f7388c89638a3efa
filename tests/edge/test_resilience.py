"""Database down: cached pages keep being served, the rest gets a sensible 503, recovery is automatic."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection

from akhbar.edge import purge


@contextmanager
def database_down():
    """Every SQL statement fails as if PostgreSQL were stopped (connection refused)."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.django_db
def test_fresh_cached_pages_are_served_while_the_database_is_down(client, story):
    client.get(story.url)
    with database_down():
        response = client.get(story.url)
    assert response.status_code == 200 and response["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_stale_copy_is_served_when_the_page_was_purged_and_the_database_fails(client, story, caplog):
    original = client.get(story.url).content
    purge.purge_article(story)  # the stored copy is now stale
    with database_down():
        response = client.get(story.url)
    assert response.status_code == 200
    assert response["X-Cache"] == "STALE"
    assert response.content == original
    assert "max-age=0" in response["Cache-Control"]
    assert int(response["Age"]) >= 0
    assert any("database unavailable" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_pages_never_cached_get_an_arabic_503(client, story, politics):
    with database_down():
        response = client.get(politics.url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'lang="ar"' in html and "غير متاح مؤقتًا" in html
    assert "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db
def test_recovers_by_itself_when_the_database_returns(client, story, politics):
    with database_down():
        assert client.get(politics.url).status_code == 503
        assert client.get(politics.url).status_code == 503
    response = client.get(politics.url)
    assert response.status_code == 200 and response["X-Cache"] == "MISS"
    assert story.title in response.content.decode()
    assert client.get(politics.url)["X-Cache"] == "HIT"


@pytest.mark.django_db
def test_nothing_is_stored_while_the_database_fails(client, story):
    with database_down():
        assert client.get("/").status_code == 503
    assert client.get("/")["X-Cache"] == "MISS"


@pytest.mark.django_db
def test_logged_in_editor_gets_the_503_too(client, story, make_user):
    user = make_user("ed", is_staff=True)
    client.force_login(user)
    with database_down():
        response = client.get(story.url)
    assert response.status_code == 503


@pytest.mark.django_db
def test_an_integrity_error_is_a_bug_not_an_outage(client, story, monkeypatch):
    from django.db import IntegrityError

    from akhbar.edge.middleware import EdgeCacheMiddleware

    mw = EdgeCacheMiddleware(lambda r: None)
    request = client.get("/").wsgi_request
    assert mw.process_exception(request, IntegrityError("duplicate key")) is None
    assert mw.process_exception(request, OperationalError("server closed the connection")).status_code == 503


@pytest.mark.django_db
def test_the_site_works_without_redis(client, story, settings):
    settings.CACHES = {
        **settings.CACHES,
        "edge": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    for _ in range(2):
        response = client.get(story.url)
        assert response.status_code == 200 and story.title in response.content.decode()
