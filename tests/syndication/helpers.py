"""Small helpers shared by the syndication tests."""

from urllib.parse import unquote, urlsplit

from django.test import Client


def local_path(url: str) -> str:
    """The path (and query) of an absolute site URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def fetch(client: Client, url: str, status: int = 200):
    response = client.get(local_path(url))
    assert response.status_code == status, (url, response.status_code)
    return response


def decoded(url: str) -> str:
    return unquote(url)
