"""``akhbar serve``: the production server (gunicorn) on the demo's settings and database."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def default_workers() -> int:
    """``2 × cores + 1``, the gunicorn rule of thumb, capped at 9."""
    return min(9, 2 * (os.cpu_count() or 1) + 1)


class Command(BaseCommand):
    help = "Serve akhbar with gunicorn (multi-worker, timeouts), same settings and database as the demo."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("AKHBAR_BIND", "127.0.0.1:8000"), help="host:port (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("AKHBAR_WORKERS", default_workers())), help="worker processes")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("AKHBAR_THREADS", 4)), help="threads per worker (1 = sync workers)")
        parser.add_argument("--timeout", type=int, default=int(os.environ.get("AKHBAR_TIMEOUT", 30)), help="seconds before a stuck worker is restarted")
        parser.add_argument("--access-log", default=os.environ.get("AKHBAR_ACCESS_LOG", ""), help="file for the access log ('-' = stdout)")
        parser.add_argument("--no-collectstatic", action="store_true", help="do not collect static files when the manifest is missing")
        parser.add_argument("--check-config", action="store_true", help="print the gunicorn command and exit")

    def handle(self, *args, **options):
        if options["workers"] < 1 or options["threads"] < 1:
            raise CommandError("--workers and --threads must be at least 1")
        self._ensure_static(options)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", "akhbar.settings.base"))
        env.update(
            AKHBAR_BIND=options["bind"],
            AKHBAR_WORKERS=str(options["workers"]),
            AKHBAR_THREADS=str(options["threads"]),
            AKHBAR_TIMEOUT=str(options["timeout"]),
            AKHBAR_ACCESS_LOG=options["access_log"],
        )
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:akhbar.edge.gunicorn_conf", "akhbar.wsgi:application"]
        if options["check_config"]:
            self.stdout.write(" ".join(argv) + f"  (bind={options['bind']} workers={options['workers']} threads={options['threads']} timeout={options['timeout']}s)")
            return
        if settings.CACHES.get("edge", {}).get("BACKEND", "").endswith("LocMemCache") and options["workers"] > 1:
            self.stderr.write("warning: the page cache is per process (AKHBAR_EDGE_CACHE=memory); purges will not reach other workers")
        self.stdout.write(f"akhbar: gunicorn on http://{options['bind']}/ with {options['workers']} workers × {options['threads']} threads")
        sys.stdout.flush()
        os.execve(sys.executable, argv, env)

    def _ensure_static(self, options) -> None:
        storage = settings.STORAGES["staticfiles"]["BACKEND"]
        if "Manifest" not in storage or options["no_collectstatic"]:
            return
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists():
            self.stdout.write("collecting static files (first run) ...")
            call_command("collectstatic", interactive=False, verbosity=0)
