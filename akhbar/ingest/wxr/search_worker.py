"""Index imported articles in a second process, on its own database connection.

On PostgreSQL most of the cost of akhbar's search index is the server's own work
(the ``search_match`` trigger, its GIN indexes, the ``search_term`` upserts) plus
the Arabic analysis in Python. In the importer's process both run serially with
the page writes: the server waits for the importer and the importer for the
server, and the second core stays idle. :class:`SearchWorker` moves them to a
forked child process with its own connection: the importer hands it each batch
of articles **after the batch's transaction has committed**
(``transaction.on_commit``), the child analyses and writes the index rows in a
transaction of its own, and the two servers' backends work at the same time.

Guarantees kept:

* all-or-nothing items: only committed articles are ever sent, so a batch that
  rolls back leaves no index rows;
* freshness: :meth:`SearchWorker.close` waits for every batch, and the importer
  then indexes itself any live article of the site that still has no index row
  (a batch the child could not write, or a run killed in between), so every
  imported live article is searchable when the import ends;
* bounded memory: at most ``max_pending`` batches wait in the queue (the
  importer blocks when the child falls behind).

Not for SQLite (one writer at a time: the two would only wait for each other) nor
inside a surrounding transaction (the child could not see uncommitted pages).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import time
import traceback
from dataclasses import dataclass, field

from django.db import connection, connections


@dataclass
class WorkerResult:
    """What the child did: documents written, and the batches it could not write."""

    indexed: int = 0
    failures: list = field(default_factory=list)  # (first article id, number of articles, error)


def usable() -> bool:
    """True when a second connection can index in parallel: PostgreSQL, no open transaction."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _serve(tasks, results) -> None:
    """Child process: index each batch of ``SourceDocument`` from ``tasks`` until ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the importer, which stops this process
    from akhbar.news.models import ArticlePage
    from akhbar.search import indexer
    from akhbar.search.analysis import trim_word_caches

    result = WorkerResult()
    parent = os.getppid()
    try:
        while True:
            try:
                sources = tasks.get(timeout=5)
            except queue.Empty:
                if os.getppid() != parent:  # the importer was killed: nothing more will come
                    break
                continue
            if sources is None:
                break
            try:
                trim_word_caches()
                # an article unpublished or deleted since its batch committed is not indexed
                live = set(ArticlePage.objects.filter(pk__in=[s.article_id for s in sources], live=True).values_list("pk", flat=True))
                result.indexed += indexer.write_batch(indexer.analyse_batch(s for s in sources if s.article_id in live))
            except Exception as exc:  # noqa: BLE001 - reported; the importer indexes these itself at the end
                first = sources[0].article_id if sources else None
                result.failures.append((first, len(sources), f"{type(exc).__name__}: {exc}"[:500]))
                traceback.print_exc()
    finally:
        connection.close()
        results.put(result)


class SearchWorker:
    """A child process that writes akhbar's search index for committed batches (see the module docstring)."""

    def __init__(self, max_pending: int = 2):
        ctx = multiprocessing.get_context("fork")  # inherits Django's settings, apps and the test database name
        connections.close_all()  # the child must never use the parent's socket; the parent reconnects on demand
        self.tasks = ctx.Queue(max_pending)
        self.results = ctx.Queue()
        self.process = ctx.Process(target=_serve, args=(self.tasks, self.results), name="wxr-search-index", daemon=True)
        self.process.start()
        self.submitted = 0
        self.patience = 600  # seconds submit() waits for room in the queue before giving up on the child
        self.stalled = False

    def submit(self, sources: list) -> None:
        """Queue a committed batch of ``SourceDocument`` (blocks while ``max_pending`` batches wait).

        Never raises for a stopped child: what it does not index, :meth:`close`'s
        caller indexes itself."""
        if not sources or self.stalled:
            return
        deadline = time.monotonic() + self.patience
        while True:
            if not self.process.is_alive():
                return  # never raises (runs after a commit): the importer's final pass indexes these
            try:
                self.tasks.put(list(sources), timeout=1)
                break
            except queue.Full:
                if time.monotonic() > deadline:  # the child takes nothing any more: stop feeding it
                    self.stalled = True
                    return
        self.submitted += len(sources)

    def close(self, timeout: float = 600) -> WorkerResult:
        """Wait until every queued batch is written; returns the child's :class:`WorkerResult`.

        A child that has not finished within ``timeout`` seconds (a few batches are
        left at most: normally seconds) is stopped and reported as failed; the
        caller then indexes what is missing itself."""
        deadline = time.monotonic() + timeout
        result = None
        while result is None and self.process.is_alive() and time.monotonic() < deadline:
            try:
                self.tasks.put(None, timeout=1)
                break
            except queue.Full:
                continue
        while result is None:
            try:
                result = self.results.get(timeout=1)
            except queue.Empty:
                if (not self.process.is_alive() and self.results.empty()) or time.monotonic() > deadline:
                    # the child died or hangs: the importer's own pass indexes what is missing
                    result = WorkerResult(failures=[(None, self.submitted, "the search index process stopped")])
        self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        return result

    def kill(self) -> None:
        """Stop the child at once (the importer failed)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
