"""CPU cost of rendering public pages with the page cache off (and of a page-cache hit).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_speed_bench \\
        /work/main/.venv/bin/python bench/http/render_cpu.py [--setup 500] [--runs 50] [--json out.json]
    ... render_cpu.py --profile article [--profiler cprofile|pyinstrument] [--top 40]

What it measures: each request goes through Django's ``WSGIHandler`` in this
process (the same code path gunicorn calls, without the socket), and the cost
is the CPU time of this Python process (``time.process_time``), so it does not
depend on how busy the machine is (PostgreSQL's own CPU is not included; the
wall time is printed too, for information). Every page is requested once
first (image renditions are created then, a one-time write), then ``--runs``
times; the median and the 90th percentile are printed in milliseconds, and
the number of SQL queries of one request (counted in a separate request, as
counting makes queries slower).

Pages: ``article`` (the newest live article with a lead image), ``home``,
``section`` (page 1 of the section with most articles), ``search``
(``/search/?q=<word>``), and ``hit`` (the article again, served from the page
cache). ``--pages`` chooses among them.

Database: ``DATABASE_URL`` (default: SQLite in ``AKHBAR_DATA_DIR``, itself
defaulting to ``/tmp/akhbar-render-bench``). ``--setup N`` first migrates,
loads the demo stories and ``N`` corpus articles from ``--corpus`` when the
database holds fewer than ``N`` articles (``akhbar load-demo`` +
``akhbar load-corpus``). Errors (no article, a page not answering 200) stop
the run with a message.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.base")
os.environ.setdefault("AKHBAR_DATA_DIR", "/tmp/akhbar-render-bench")
os.environ.setdefault("AKHBAR_LOG_LEVEL", "ERROR")
os.environ["AKHBAR_EDGE_ENABLED"] = "0"
os.environ.setdefault("AKHBAR_DEBUG", "0")

PAGES = ("article", "home", "section", "search", "hit")


def _environ(path: str, gzip: bool) -> dict:
    """A WSGI environ for ``GET path`` as a server builds it (``PATH_INFO``: UTF-8 bytes as latin-1)."""
    from urllib.parse import unquote_to_bytes

    from django.test import RequestFactory
    from django.utils.encoding import iri_to_uri

    path, _, query = path.partition("?")
    extra = {"HTTP_ACCEPT_ENCODING": "gzip"} if gzip else {}
    environ = RequestFactory().get("/", **extra).environ
    environ["PATH_INFO"] = unquote_to_bytes(iri_to_uri(path)).decode("iso-8859-1")
    environ["QUERY_STRING"] = query
    return environ


class Requester:
    """Calls the WSGI application in process; ``get(path)`` returns ``(status, body bytes)``."""

    def __init__(self, gzip: bool = False):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.gzip = gzip

    def get(self, path: str):
        status = {}

        def start_response(s, headers, exc_info=None):
            status["s"] = s
            status["h"] = headers

        environ = _environ(path, self.gzip)
        environ["wsgi.input"] = io.BytesIO(b"")
        result = self.handler(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return int(status["s"].split()[0]), body, dict(status["h"])


def setup_database(n: int, corpus: Path) -> None:
    """Migrate; load the demo and ``n`` corpus articles unless the database already has ``n``."""
    from django.core.management import call_command

    from akhbar.news.models import ArticlePage

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    have = ArticlePage.objects.count()
    if have >= n:
        print(f"database already has {have} articles", file=sys.stderr)
        return
    call_command("load_demo")
    call_command("load_corpus", str(corpus), limit=n)


def choose_urls(search_word: str) -> dict:
    """``{page name: path}`` for the pages measured (see the module docstring)."""
    from django.db.models import Count

    from akhbar.news.models import ArticlePage, SectionPage

    article = ArticlePage.objects.live().filter(lead_image__isnull=False).order_by("-published_at").first()
    article = article or ArticlePage.objects.live().order_by("-published_at").first()
    if article is None:
        raise SystemExit("no live article in the database: run with --setup N")
    biggest = (
        ArticlePage.objects.live().values("section_id").annotate(n=Count("pk")).order_by("-n").values_list("section_id", flat=True).first()
    )
    section = SectionPage.objects.get(pk=biggest)
    from urllib.parse import quote

    return {
        "article": article.url,
        "home": "/",
        "section": section.url,
        "search": "/search/?q=" + quote(search_word),
        "hit": article.url,
    }


def count_queries(requester, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        requester.get(path)
    return len(ctx.captured_queries)


def measure(requester, path: str, runs: int) -> dict:
    """Median / p90 CPU ms and median wall ms of ``runs`` requests of ``path`` (after one warm-up)."""
    status, body, _h = requester.get(path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    cpu, wall = [], []
    for _ in range(runs):
        w0, c0 = time.perf_counter(), time.process_time()
        requester.get(path)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    cpu.sort()
    return {
        "cpu_ms_median": round(statistics.median(cpu), 2),
        "cpu_ms_p90": round(cpu[int(len(cpu) * 0.9) - 1], 2),
        "cpu_ms_min": round(cpu[0], 2),  # least disturbed by a busy machine: compare two versions on this
        "wall_ms_median": round(statistics.median(wall), 2),
        "bytes": len(body),
        "runs": runs,
    }


def profile(requester, path: str, runs: int, profiler: str, top: int) -> None:
    """Print a profile of ``runs`` requests of ``path`` (cProfile sorted by cumulative and own time, or pyinstrument)."""
    requester.get(path)
    if profiler == "pyinstrument":
        try:
            from pyinstrument import Profiler
        except ImportError as exc:
            raise SystemExit("pyinstrument is not installed: pip install pyinstrument, or use --profiler cprofile") from exc
        p = Profiler(interval=0.0005)
        p.start()
        for _ in range(runs):
            requester.get(path)
        p.stop()
        print(p.output_text(unicode=True, color=False))
        return
    import cProfile
    import pstats

    prof = cProfile.Profile(time.process_time)
    prof.enable()
    for _ in range(runs):
        requester.get(path)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print_by_package(stats, runs)


def _package(filename: str) -> str:
    """``django/template``, ``akhbar/theme``, ``psycopg``, ``stdlib`` ... for a profiled file name."""
    parts = filename.replace("\\", "/").split("/")
    for anchor in ("site-packages", "akhbar"):
        if anchor in parts:
            i = len(parts) - 1 - parts[::-1].index(anchor)
            rest = parts[i + 1 :] if anchor == "site-packages" else parts[i:]
            if len(rest) > 2 and rest[0] in ("django", "wagtail", "akhbar"):
                return "/".join(rest[:2])
            return rest[0].removesuffix(".py") if rest else anchor
    return "builtins" if filename.startswith("~") else "stdlib"


def print_by_package(stats, runs: int) -> None:
    """Own CPU time per package (ms per request), largest first: where the time goes, not who called it."""
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        key = _package(filename)
        totals[key] = totals.get(key, 0.0) + tottime
    whole = sum(totals.values())
    print(f"own time by package (ms per request, profiler overhead included; total {whole / runs * 1000:.1f}):")
    for key, value in sorted(totals.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {value / runs * 1000:7.2f}  {value / whole:5.1%}  {key}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--setup", type=int, default=0, metavar="N", help="load demo + N corpus articles if missing")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "arabic-news")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset of " + ",".join(PAGES))
    parser.add_argument("--search-word", default="الحكومة")
    parser.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip (GZipMiddleware compresses)")
    parser.add_argument("--profile", choices=PAGES, help="profile this page instead of measuring")
    parser.add_argument("--profiler", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write each page's HTML to DIR/<page>.html (to diff two versions)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    if args.setup:
        setup_database(args.setup, args.corpus)
    urls = choose_urls(args.search_word)
    requester = Requester(gzip=args.gzip)

    from akhbar.edge import conf as edge_conf

    def cache(on: bool) -> None:
        settings.AKHBAR_EDGE_ENABLED = on
        edge_conf._reset()

    if args.profile:
        cache(args.profile == "hit")
        profile(requester, urls[args.profile], args.runs, args.profiler, args.top)
        return 0

    from akhbar.news.models import ArticlePage

    results = {
        "database": connection.vendor,
        "articles": ArticlePage.objects.live().count(),
        "debug": settings.DEBUG,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "pages": {},
    }
    for name in [p.strip() for p in args.pages.split(",") if p.strip()]:
        if name not in PAGES:
            raise SystemExit(f"unknown page {name!r}; choose among {', '.join(PAGES)}")
        path = urls[name]
        cache(name == "hit")
        if name == "hit":
            requester.get(path)  # store it
            status, _b, headers = requester.get(path)
            if headers.get("X-Cache") != "HIT":
                raise SystemExit(f"{path} was not served from the page cache (X-Cache: {headers.get('X-Cache')})")
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{name}.html").write_bytes(requester.get(path)[1])
        row = measure(requester, path, args.runs)
        row["queries"] = count_queries(requester, path)
        row["path"] = path
        results["pages"][name] = row
        print(f"{name:8} cpu median {row['cpu_ms_median']:7.2f} ms  p90 {row['cpu_ms_p90']:7.2f} ms  "
              f"wall {row['wall_ms_median']:7.2f} ms  {row['queries']:2d} queries  {row['bytes']} bytes", flush=True)
    cache(False)
    results["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
