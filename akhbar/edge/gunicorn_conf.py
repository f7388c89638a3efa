"""gunicorn configuration used by ``akhbar serve`` (values come from the command line / environment).

Worker model: ``gthread`` (threads per process) so keep-alive connections from
a proxy are reused and a worker waiting on PostgreSQL or Redis does not
block its siblings. ``max_requests`` with jitter recycles workers to keep
memory flat over long runs.
"""

import os

from akhbar.edge import garbage

bind = os.environ.get("AKHBAR_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("AKHBAR_WORKERS", "3"))
threads = int(os.environ.get("AKHBAR_THREADS", "4"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("AKHBAR_TIMEOUT", "30"))  # a worker silent this long is killed and replaced
graceful_timeout = int(os.environ.get("AKHBAR_GRACEFUL_TIMEOUT", "20"))
keepalive = int(os.environ.get("AKHBAR_KEEPALIVE", "5"))
max_requests = int(os.environ.get("AKHBAR_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
backlog = 2048
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("AKHBAR_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("AKHBAR_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
loglevel = os.environ.get("AKHBAR_GUNICORN_LOG_LEVEL", "info")
proc_name = "akhbar"
preload_app = True  # import Django once, fork workers (copy-on-write memory)


def pre_fork(server, worker):
    # What the master loaded is never traversed by a worker's collector (edge/garbage.py).
    garbage.freeze_before_fork()


def post_fork(server, worker):
    # Connections must not be shared across forked processes.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()
    garbage.configure_worker()


def post_request(worker, req, environ, resp):
    # The response is written: the young objects left now are mostly this request's cyclic garbage.
    garbage.collect_after_response()


def when_ready(server):
    # The static mirror (AKHBAR_STATIC_MIRROR_DIR) now belongs to this deploy: the previous code's pages go.
    from akhbar.edge import mirror

    mirror.claim()
