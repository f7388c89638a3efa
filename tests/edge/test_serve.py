"""``akhbar serve`` starts a real multi-worker gunicorn: static files immutable, database failure → 503."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .proxy_process import free_port

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``akhbar serve`` on an empty data folder (no database tables yet); stopped afterwards."""
    data = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(AKHBAR_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="akhbar.settings.base", AKHBAR_LOG_LEVEL="CRITICAL")
    proc = subprocess.Popen(
        [sys.executable, "-m", "akhbar", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2", "--timeout", "20"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # first run collects static files
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("akhbar serve exited: " + proc.stdout.read().decode(errors="replace")[-2000:])
            try:
                urllib.request.urlopen(base + "/static/theme/site.css", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        else:
            pytest.fail("akhbar serve did not answer in time")
        yield base, data
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_serve_runs_gunicorn_workers_and_serves_hashed_static_files_immutable(server):
    base, data = server
    manifest = json.loads((data / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["theme/site.css"]
    with urllib.request.urlopen(f"{base}/static/{hashed}", timeout=10) as response:
        assert response.headers["Server"].startswith("gunicorn")
        assert "immutable" in response.headers["Cache-Control"]
        assert re.search(r"max-age=\d{6,}", response.headers["Cache-Control"])


def test_serve_answers_503_in_arabic_when_the_database_is_unusable(server):
    base, _data = server  # no migrations ran: every query fails with OperationalError
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(base + "/", timeout=10)
    assert err.value.code == 503
    assert err.value.headers["Retry-After"] == "30"
    assert "غير متاح مؤقتًا" in err.value.read().decode()
