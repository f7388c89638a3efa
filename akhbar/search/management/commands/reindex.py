"""``akhbar reindex``: rebuild the search index from the live articles.

Works in chunks of ``--batch-size`` articles (memory stays bounded whatever
the size of the archive) and shows progress. By default the index is updated
in place, so search keeps working during the rebuild, and entries of
articles that are no longer live are removed at the end; ``--clear`` empties
the index first (faster, but search is incomplete until it finishes). The analysis of
the next chunk overlaps the database write of the current one
(:func:`~akhbar.search.indexer.index_batches`). At the end the
search tables are tidied (:func:`~akhbar.search.indexer.optimize_index`: PostgreSQL
``VACUUM ANALYZE``, SQLite ``PRAGMA optimize``).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from akhbar.news.models import ArticlePage
from akhbar.search.indexer import clear_index, index_batches, optimize_index, remove_documents, source_for_page
from akhbar.search.models import SearchDocument


class Command(BaseCommand):
    help = "Rebuild akhbar's search index from the live articles (in chunks, with progress)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="articles per transaction (default 200)")
        parser.add_argument("--clear", action="store_true", help="empty the index first instead of updating it in place")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, batch_size, clear, no_progress, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        started = time.monotonic()
        if clear:
            clear_index()
        live = ArticlePage.objects.live()
        total = live.count()
        bar = tqdm(total=total, unit=" articles", file=sys.stderr, disable=no_progress, mininterval=1 if sys.stderr.isatty() else 15)
        done = 0

        def batches():
            # read in this thread (database); analysed in a worker while the previous batch is written
            last = 0
            while True:
                chunk = list(live.filter(pk__gt=last).order_by("pk")[:batch_size])
                if not chunk:
                    return
                last = chunk[-1].pk
                yield [source_for_page(page) for page in chunk]

        for written in index_batches(batches()):
            done += written
            bar.update(written)
        bar.close()
        removed = 0
        if not clear:
            live_ids = ArticlePage.objects.live().values("pk")
            stale = SearchDocument.objects.exclude(article_id__in=live_ids).values_list("article_id", flat=True)
            while True:
                ids = list(stale[:batch_size])
                if not ids:
                    break
                removed += remove_documents(ids)
        optimize_index()
        seconds = time.monotonic() - started
        rate = done / seconds if seconds else 0
        self.stdout.write(f"indexed {done} articles, removed {removed} stale entries in {seconds:.1f} s ({rate:.0f} articles/s)")
