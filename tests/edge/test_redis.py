"""With Redis, a purge made by one process (another gunicorn worker, a CLI) reaches every other."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("AKHBAR_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
REPO = Path(__file__).resolve().parents[2]


def redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except Exception:
        return False


pytestmark = pytest.mark.skipif(not redis_up(), reason=f"no Redis at {REDIS_URL} (set AKHBAR_TEST_REDIS_URL)")


@pytest.fixture
def redis_edge(settings):
    prefix = f"akhbar-test-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        **settings.CACHES,
        "edge": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix + ":edge", "TIMEOUT": None},
    }
    yield prefix
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.mark.django_db
def test_a_purge_from_another_process_invalidates_here(client, story, redis_edge, tmp_path):
    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "AKHBAR_CACHE_PREFIX": redis_edge,
        "AKHBAR_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "akhbar.settings.base",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "akhbar", "edge_purge", "--tag", f"article:{story.pk}"], env=env, cwd=REPO, check=True, capture_output=True, timeout=120)
    response = client.get(story.url)
    assert response["X-Cache"] == "MISS"
    assert client.get(story.url)["X-Cache"] == "HIT"
