"""Tag-versioned page store: exact invalidation that works across workers and machines.

Scheme
------
Every cache tag (``article:42``, ``section:7``, ``home`` … see ``tags.py``)
has a *version token* in the ``edge`` cache (Redis in production). A stored
page records the version of each tag it depends on; it is fresh only while
all of them are unchanged. Purging a tag is one ``SET`` of a new random
token (``purge``), so it costs the same whether one or a million pages
depend on it, and every worker sees it at once because the versions live in
the shared cache, not in process memory.

A page whose tags changed is not deleted: it stays as a *stale copy* that
the middleware serves if the database fails (stale-if-error), until
``AKHBAR_EDGE_STALE_TTL`` expires it.

Race with a publish during rendering: the store also keeps a global purge
sequence token. ``lookup`` returns it; ``save`` refuses to store a page when
it changed while the page was being rendered (the page may hold pre-purge
data whose tags were then bumped). Purges are also repeated after commit
(``purge.py``), so a page rendered from not-yet-committed state is
invalidated again.

Eviction is safe: every tag a stored page depends on has a token (created
when the first page with that tag is stored), so a token lost to eviction
or culling reads as "changed" and invalidates, never revalidates, its
pages. With Redis prefer ``maxmemory-policy volatile-lru`` anyway (pages
carry a TTL, tokens do not): evicting tokens costs extra renders.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.cache import caches

from . import conf

SEQ_KEY = "seq"
SITE_TAG = "site"


def new_token() -> str:
    """A fresh, unique version token (time-ordered hex + randomness)."""
    return f"{time.time_ns():x}.{secrets.token_hex(4)}"


def version_key(tag: str) -> str:
    """Cache key holding the version token of ``tag`` (hashed when long)."""
    if len(tag) > 150:
        tag = "h:" + hashlib.sha1(tag.encode()).hexdigest()
    return "tv:" + tag


@dataclass
class Entry:
    """One stored page.

    ``headers``: list of (name, value) without Set-Cookie/Date; ``body``: the
    identity bytes; ``gzip``: the same body gzip-compressed (or ``None`` when
    compression does not pay); ``etag``: strong ETag of the identity body;
    ``created``/``fresh_until``: Unix times (s); ``tags``: tag → version token
    (``None``: never purged) when stored.
    """

    status: int
    headers: list
    body: bytes
    gzip: bytes | None
    etag: str
    created: float
    fresh_until: float
    tags: dict = field(default_factory=dict)


class PageStore:
    """Reads and writes pages and tag versions in the ``edge`` cache alias."""

    def __init__(self, alias: str = "edge"):
        self.alias = alias
        self._local: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    @property
    def cache(self):
        return caches[self.alias]

    # --- reading -------------------------------------------------------------
    def fetch(self, key: str) -> tuple[Entry | None, bool, str | None]:
        """``(entry, current, seq)`` for page ``key``.

        ``entry``: the stored page, fresh or stale (``None`` when absent);
        ``current``: True when it is within its TTL and none of its tags was
        purged since it was stored; ``seq``: the purge sequence token (for
        ``save``). A page this process already holds in its local copy costs
        one round trip (its tag versions); otherwise two (page, then versions).
        """
        local = self._local_get(key)
        if local is not None:
            current, seq = self._check(local, extra=[SEQ_KEY])
            if current:
                return local, True, seq
        found = self.cache.get_many([key, SEQ_KEY])
        entry = found.get(key)
        seq = found.get(SEQ_KEY)
        if not isinstance(entry, Entry):
            return None, False, seq
        current, _ = self._check(entry)
        if current:
            self._local_put(key, entry)
        return entry, current, seq

    def lookup(self, key: str) -> tuple[Entry | None, str | None]:
        """The stored page for ``key`` (fresh or not) and the purge sequence token."""
        entry, _current, seq = self.fetch(key)
        return entry, seq

    def is_current(self, entry: Entry, now: float | None = None) -> bool:
        """True when ``entry`` is within its TTL and none of its tags was purged since it was stored."""
        return self._check(entry, now=now)[0]

    def _check(self, entry: Entry, extra=(), now: float | None = None) -> tuple[bool, str | None]:
        if (now or time.time()) >= entry.fresh_until:
            return False, None
        tags = list(entry.tags)
        keys = [version_key(t) for t in tags]
        current = self.cache.get_many([*keys, *extra])
        ok = all(current.get(k) == entry.tags[t] for t, k in zip(tags, keys))
        return ok, current.get(SEQ_KEY)

    # --- per-process copy of hot pages ------------------------------------------
    # Pages are immutable once stored (a change makes a new entry with new tag
    # versions), so a worker may keep the unpickled page and only re-check its
    # tag versions in the shared cache on every hit: exactness is unchanged.
    def _local_get(self, key):
        with self._lock:
            entry = self._local.get(key)
            if entry is not None:
                self._local.move_to_end(key)
            return entry

    def _local_put(self, key, entry) -> None:
        limit = int(conf.get("AKHBAR_EDGE_LOCAL_ENTRIES"))
        if limit <= 0:
            return
        with self._lock:
            self._local[key] = entry
            self._local.move_to_end(key)
            while len(self._local) > limit:
                self._local.popitem(last=False)

    def forget_local(self) -> None:
        """Drop this process's copies (tests; the shared cache is untouched)."""
        with self._lock:
            self._local.clear()

    # --- writing -------------------------------------------------------------
    def save(self, key: str, entry: Entry, tags: set[str], seq_before: str | None) -> bool:
        """Store ``entry`` under ``key`` depending on ``tags``; returns False when it was not stored.

        Not stored when a purge happened since ``seq_before`` was read (the
        page may already be out of date).
        """
        tags = set(tags) | {SITE_TAG}
        keys = {t: version_key(t) for t in tags}
        current = self.cache.get_many([*keys.values(), SEQ_KEY])
        if current.get(SEQ_KEY) != seq_before:
            return False
        missing = [k for k in keys.values() if current.get(k) is None]
        if missing:
            # First page with these tags: give them a token now, so a version evicted later
            # reads as "changed" (None != token), never as "unchanged".
            for k in missing:
                self.cache.add(k, new_token(), None)
            current.update(self.cache.get_many(missing))
        entry.tags = {t: current.get(k) for t, k in keys.items()}
        timeout = max(1, int(entry.fresh_until - time.time())) + int(conf.get("AKHBAR_EDGE_STALE_TTL"))
        self.cache.set(key, entry, timeout)
        return True

    def purge(self, tags) -> list[str]:
        """Invalidate every page depending on any of ``tags``; returns the sorted tags purged.

        One ``SET`` per tag (a single ``MSET`` with Redis); cost independent of
        how many pages depend on them.
        """
        tags = sorted({t for t in tags if t})
        if not tags:
            return []
        token = new_token()
        values = {version_key(t): token for t in tags}
        values[SEQ_KEY] = token
        self.cache.set_many(values, None)
        return tags

    def clear(self) -> None:
        """Drop everything in the edge cache (pages, stale copies and versions) and the static mirror.

        Every mirror folder known here (this process's and the announced ones) is emptied and
        announced again, so later purges from any process still reach it.
        """
        from . import mirror

        roots = mirror.purge_roots()
        self.cache.clear()
        self.forget_local()
        mirror.reset(roots)


store = PageStore()
