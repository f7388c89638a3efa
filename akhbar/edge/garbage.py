"""The garbage collector of a server worker: the young generation is collected between requests.

CPython's collector (3.11, ``Modules/gcmodule.c``; the ``gc`` module's documentation) traverses
its youngest generation whenever container allocations minus deallocations exceed 700, the oldest
generation's objects only after ten collections of the middle one, and so on. Rendering a page keeps
tens of thousands of containers alive until the response is written (model instances, template
contexts, rows), so a collection during a request traverses them all, finds them alive, and
promotes them to generation 1, where the next collections traverse them again. What a page leaves
behind is mostly its model instances, which sit in reference cycles (a ``FieldFile`` and its
instance; an image and its prefetched renditions): garbage the moment the response is written,
which only the collector frees. Measured on the home page (``docs/benchmarks.md``, session 7):
~0.25 ms of collector time per request, about 5 %, with pauses of ~80 ms when generation 2 came
round.

So, in the workers of ``akhbar serve`` (``edge/gunicorn_conf.py`` calls these):

* ``freeze_before_fork()``, in the master after the application is loaded: ``gc.freeze()`` moves
  every object it holds to the permanent generation, never traversed again; a worker's
  copy-on-write pages stay shared (the ``gc.freeze`` documentation's advice for a pre-fork server).
* ``configure_worker()``, in each worker: the automatic threshold of generation 0 is raised to
  ``AUTOMATIC_THRESHOLD``, a safety net that still collects a request that allocates far more
  than a page does (an import, a large admin list) while it runs.
* ``collect_after_response()``, after each response: when generation 0 holds more than
  ``YOUNG_THRESHOLD`` objects net, it is collected. The request's objects that were not in
  cycles are freed by then, so the collector traverses little more than the request's cyclic
  leftovers. Generation 1 is collected with it after every 10 such collections, as CPython
  does; generation 2 after every 100 of those, where CPython's 10 is tempered by a rule a
  program cannot read (a full collection only once the objects waiting for one are a quarter of
  the long-lived ones): a worker's own caches (compiled templates, the search word index) are
  not frozen, and a full collection traverses them all.

``AKHBAR_GC_BETWEEN_REQUESTS=0`` keeps CPython's defaults in the workers (and freezes nothing).
"""

from __future__ import annotations

import gc
import os

#: Net allocations of containers in generation 0 that trigger a collection after a response.
YOUNG_THRESHOLD = 700
#: Generation 0's automatic threshold in a worker (CPython's default: 700).
AUTOMATIC_THRESHOLD = 50_000
#: Collections of generation 0 before generation 1 is collected with it, and of generation 1
#: before generation 2 is.
OLDER_THRESHOLDS = (10, 100)


def enabled() -> bool:
    """``AKHBAR_GC_BETWEEN_REQUESTS`` (default on; ``0``, ``false``, ``no`` or ``off``: off)."""
    return os.environ.get("AKHBAR_GC_BETWEEN_REQUESTS", "1").strip().lower() not in ("0", "false", "no", "off")


def freeze_before_fork() -> None:
    """In the master process, before a worker is forked: collect, then freeze every surviving object."""
    if not enabled():
        return
    gc.collect()
    gc.freeze()


def configure_worker() -> None:
    """In a new worker: generation 0 is collected automatically only past ``AUTOMATIC_THRESHOLD``."""
    if not enabled():
        return
    gc.set_threshold(AUTOMATIC_THRESHOLD, *OLDER_THRESHOLDS)


def collect_after_response() -> int | None:
    """Collect the young generation if it holds more than ``YOUNG_THRESHOLD`` objects net, with the
    older generations whose count reached ``OLDER_THRESHOLDS``. Returns the generation collected
    (0, 1 or 2), or ``None`` when nothing was collected (below the threshold, or off)."""
    if not enabled() or not gc.isenabled():
        return None
    young, middle, old = gc.get_count()
    if young <= YOUNG_THRESHOLD:
        return None
    if middle >= OLDER_THRESHOLDS[0]:
        generation = 2 if old >= OLDER_THRESHOLDS[1] else 1
    else:
        generation = 0
    gc.collect(generation)
    return generation
