"""Per-process copies of the small read-side lists, checked against one shared generation per request.

The site list (``sites.cached_sites``), the live sections (``queries.sections_in_order``),
the restricted tree paths (``queries.restricted_paths``) and Wagtail's site root paths
(``site_root_paths``) are read by every public page, up to seven times each. They live
in the shared cache (Redis in production) so that a change reaches every worker at once,
but each read is a network round trip plus unpickling (~0.1–0.3 ms of CPU each).

Here each worker keeps its own copy, tagged with a *generation* token stored in the
shared cache under ``GEN_KEY``. A public request reads that token once
(``begin_request``, called by ``SiteMiddleware``) and every memoised list whose tag
matches is used without touching the shared cache; a list with another tag is read
again the ordinary way. Whatever invalidates one of the lists (``forget``) deletes its
shared key **first** and then writes a new token, so no worker can pair old data with
the new token; inside a transaction it does both again after the commit (a worker that
refilled a list from the database before the commit read the old rows). If the token
cannot be read (cache down or evicted and not re-creatable) nothing is memoised.

Values are kept pickled and unpickled once per request that uses them, so every request
gets its own objects (as it did when they came from Redis): attributes that a request
sets on a page object never leak into another request. Within a request pinned by
``begin_request`` the second use of a list gets the objects of the first (the front
page reads the sections for its blocks and again for the navigation); without a pinned
token (commands, the admin) every call gets a fresh copy.
"""

from __future__ import annotations

import pickle
import threading
import uuid

from django.db import transaction

GEN_KEY = "news:memo-generation"

_values: dict = {}  # name -> (generation token, pickled value)
_lock = threading.Lock()
_request = threading.local()


def _cache():
    from .queries import _shared_cache

    return _shared_cache()


def _read_generation():
    """The shared token (created when missing); ``None`` when the cache cannot give one."""
    cache = _cache()
    token = cache.get(GEN_KEY)
    if token is None:
        cache.add(GEN_KEY, uuid.uuid4().hex, None)
        token = cache.get(GEN_KEY)
    return token


def begin_request() -> None:
    """Read the generation token once for the request being handled by this thread."""
    _request.generation = _read_generation()
    _request.values = {}


def end_request() -> None:
    """Forget this thread's token and its copies (the next request reads them again)."""
    _request.generation = None
    _request.values = {}


def current_generation():
    """The token pinned by ``begin_request``, else a fresh read (commands, tests, the admin)."""
    token = getattr(_request, "generation", None)
    return token if token is not None else _read_generation()


def memoized(name: str, compute):
    """``compute()`` or this process's copy of it made under the current generation: a fresh copy
    for each request (the same objects for every call within a request pinned by ``begin_request``;
    a fresh copy each call otherwise)."""
    pinned = getattr(_request, "generation", None)
    if pinned is not None:
        mine = _request.values.get(name)
        if mine is not None and mine[0] == pinned:
            return mine[1]
    token = pinned if pinned is not None else _read_generation()
    if token is None:
        return compute()
    entry = _values.get(name)
    if entry is not None and entry[0] == token:
        value = pickle.loads(entry[1])
    else:
        value = compute()
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with _lock:
            _values[name] = (token, data)
    if pinned is not None:
        _request.values[name] = (pinned, value)
    return value


def _invalidate(keys, before) -> None:
    for clear in before:
        clear()
    cache = _cache()
    if keys:
        cache.delete_many(list(keys))
    cache.set(GEN_KEY, uuid.uuid4().hex, None)
    with _lock:
        _values.clear()
    _request.generation = None
    _request.values = {}


def forget(*keys: str, before=()) -> None:
    """Delete the shared ``keys`` (after calling each of ``before``, other clean-ups of shared
    entries) and start a new generation; again after the commit when in a transaction."""
    _invalidate(keys, before)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _invalidate(keys, before))


def site_root_paths() -> list:
    """Wagtail's ``Site.get_site_root_paths()`` (its cache entry, else the database), memoised here.

    Invalidated with the site list: ``sites.forget_sites`` clears Wagtail's entry before
    starting a new generation (Wagtail itself clears it only after the ``post_save``
    signal), so a new generation never meets Wagtail's old entry.
    """
    from wagtail.models import Site

    return memoized("site-root-paths", Site.get_site_root_paths)


def clear() -> None:
    """Empty this process's copies (tests)."""
    with _lock:
        _values.clear()
    _request.generation = None
    _request.values = {}
