"""Static mirror of the page cache: cached anonymous HTML pages as files nginx serves itself.

When ``AKHBAR_STATIC_MIRROR_DIR`` is set, every page the page cache stores
(``X-Cache: MISS``), or serves while its file is missing (``HIT``: another
machine sharing Redis rendered it, or the mirror was emptied), that is an
anonymous ``200 text/html`` answer to a ``GET`` without query string is also
written to ::

    <dir>/<host>/<percent-encoded path>index.html      (identity body)
    <dir>/<host>/<percent-encoded path>index.html.gz   (for nginx gzip_static)

atomically (temporary file + ``os.replace``, mode 0644). Only paths ending
in ``/`` are mirrored (akhbar's pages all do), so ``/x`` and ``/x/`` never
share a file. ``akhbar nginx-config`` prints the nginx configuration that
serves these files and sends everything else to akhbar.

Invalidation is exactly the page cache's: each mirrored file is registered
under every cache tag of its page (``<dir>/.index/<hash of tag>/``), and
``purge.purge_tags`` (every publish, edit, unpublish, comment approval,
comment switch, byline/tag/image change …) deletes the files of the purged
tags on this machine, at once and again after commit. This is a superset of
the paths sent to Varnish/CDN. Tag ``site`` (navigation, ``edge-purge
--all``) and a change of the deploy key (``middleware.deploy_id``; checked when
``akhbar serve`` starts and before every write) empty the mirror. Pages older than ``AKHBAR_EDGE_TTL`` are removed by ``akhbar
prune-static-mirror`` (cron).

Race with a purge while a page is written: the writer registers the tags,
writes the file, then re-checks the page's tag versions in the shared store
and deletes its own file if any changed; a purger bumps the versions
(``store.purge``) before deleting the registered files. Either way no
outdated file survives.

Never raises into the request: file system errors are logged and the page
is simply not mirrored (nginx then passes the request to akhbar).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from . import conf

logger = logging.getLogger("akhbar.edge")

INDEX_DIR = ".index"
DEPLOY_FILE = ".deploy"
PAGE_FILE = "index.html"
#: Characters left as they are in a mirrored path (RFC 3986 ``pchar`` without ``%``, plus ``/``):
#: what browsers send for akhbar's URLs, so nginx can match ``$request_uri`` byte for byte.
SAFE_CHARS = "/-._~!$&'()*+,;=:@"
MAX_PATH_BYTES = 1024  # whole encoded path
MAX_SEGMENT_BYTES = 255  # one encoded segment: NAME_MAX (akhbar slugs are at most 240 encoded bytes)
_HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$")
#: When this process started (ns): of two deploys writing the same mirror, the later one wins.
STARTED_NS = time.time_ns()


#: Key in the ``edge`` cache listing the mirror folders in use (see :func:`purge_roots`).
ROOTS_KEY = "mirror:roots"
#: Folders this process has announced since it started (or since the edge cache was cleared).
_ANNOUNCED: set = set()


def mirror_root() -> Path | None:
    """The mirror folder (``AKHBAR_STATIC_MIRROR_DIR``) or ``None`` when the mirror is off."""
    value = conf.get("AKHBAR_STATIC_MIRROR_DIR")
    return Path(value) if value else None


# --- mapping -----------------------------------------------------------------------------
def normal_host(host: str) -> str | None:
    """``Example.ORG:8000`` → ``example.org``; ``None`` for anything but a plain DNS name or IPv4.

    nginx's ``$host`` (lower case, no port) names the same folder.
    """
    host = (host or "").lower().rsplit(":", 1)[0] if not (host or "").startswith("[") else ""
    if not _HOST_RE.match(host) or ".." in host:
        return None
    return host


def encoded_path(path: str) -> str | None:
    """The percent-encoded form of the decoded URL ``path`` used on disk, or ``None`` if not mirrorable.

    ``/سياسة/خبر/`` → ``/%D8%B3%D9%8A…/%D8%AE%D8%A8%D8%B1/``. Refused (``None``): paths not
    starting and ending with ``/``, empty segments (``//``), segments ``.``/``..`` or starting
    with ``.``, NUL or backslash, an encoded segment over ``MAX_SEGMENT_BYTES`` or a whole
    path over ``MAX_PATH_BYTES``.
    """
    if not path.startswith("/") or not path.endswith("/") or "\x00" in path or "\\" in path:
        return None
    segments = path[1:-1].split("/") if path != "/" else []
    encoded = []
    for segment in segments:
        if not segment or segment.startswith("."):
            return None
        piece = quote(segment, safe=SAFE_CHARS.replace("/", ""))
        if len(piece) > MAX_SEGMENT_BYTES:
            return None
        encoded.append(piece)
    result = "/" + "".join(p + "/" for p in encoded)
    return result if len(result) <= MAX_PATH_BYTES else None


@lru_cache(maxsize=8192)
def relative_dir(host: str, path: str) -> str | None:
    """``<host><encoded path>`` (e.g. ``example.org/%D8%B3/``): the page's folder under the mirror root."""
    name = normal_host(host)
    encoded = encoded_path(path)
    if name is None or encoded is None:
        return None
    return name + encoded


def page_file(root: Path, rel: str) -> Path | None:
    """``root/rel/index.html`` when ``rel`` (a ``relative_dir``) stays inside ``root``, else ``None``."""
    if not rel.endswith("/") or rel.startswith(("/", ".")) or "/." in rel or "\x00" in rel:
        return None
    target = root / rel / PAGE_FILE
    base = os.path.realpath(root)
    if not os.path.realpath(target).startswith(base + os.sep):
        return None  # a symlink planted inside the mirror
    return target


# --- what is mirrored ----------------------------------------------------------------------
def mirrorable(request, response) -> bool:
    """True when ``response`` to ``request`` may be served to every reader as a static file.

    Besides the page cache's own rules (the caller only asks for pages it stored): ``GET`` with
    an empty query string, an anonymous reader (no bypass cookie, no ``Authorization``, not
    logged in), no preview, not under an excluded prefix (``/admin/`` …), status 200,
    ``text/html``, no ``Set-Cookie``, no ``Vary: Cookie``, not ``private``/``no-store``/``no-cache``.
    """
    from .middleware import is_anonymous, is_excluded

    if request.method != "GET" or request.META.get("QUERY_STRING", ""):
        return False
    if not is_anonymous(request) or getattr(request, "is_preview", False) or is_excluded(request.path_info):
        return False
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return False
    if response.status_code != 200 or getattr(response, "streaming", False) or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if "cookie" in {v.strip().lower() for v in response.get("Vary", "").split(",")}:
        return False
    cc = response.get("Cache-Control", "").lower()
    return not any(word in cc for word in ("private", "no-store", "no-cache"))


def hit_mirrorable(request, entry) -> bool:
    """``mirrorable`` for a page-cache hit (the request already passed ``cacheable_request``).

    ``GET`` without query string of a stored ``200 text/html`` page without ``Vary: Cookie``;
    the entry's verdict is remembered on the (immutable) entry, so a hit costs two lookups.
    """
    if request.method != "GET" or request.META.get("QUERY_STRING", ""):
        return False
    verdict = entry.__dict__.get("_mirror_ok")
    if verdict is None:
        headers = {k.lower(): v for k, v in entry.headers}
        vary = {v.strip().lower() for v in headers.get("vary", "").split(",")}
        verdict = entry.status == 200 and headers.get("content-type", "").startswith("text/html") and "cookie" not in vary
        entry.__dict__["_mirror_ok"] = verdict
    return verdict


# --- writing --------------------------------------------------------------------------------
def _tag_dir(root: Path, tag: str) -> Path:
    digest = hashlib.sha1(tag.encode()).hexdigest()
    return root / INDEX_DIR / digest[:2] / digest


def _write_atomic(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # nginx runs as another user
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _register(root: Path, rel: str, tags) -> None:
    from .store import SITE_TAG

    name = hashlib.sha1(rel.encode()).hexdigest()[:24]
    data = rel.encode()
    for tag in tags:
        if tag == SITE_TAG:  # purging "site" empties the whole mirror
            continue
        folder = _tag_dir(root, tag)
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)


def _deploy_ok(root: Path) -> bool:
    """True when this process may write: the mirror holds pages of this deploy (emptied otherwise).

    ``<root>/.deploy`` holds ``<deploy id> <start ns>``. A different id written by a process
    started later means this process is the old deploy (still draining): it writes nothing.
    """
    from .middleware import deploy_id

    mine = deploy_id()
    try:
        their_id, their_start = (root / DEPLOY_FILE).read_text().split()
        their_start = int(their_start)
    except (OSError, ValueError):
        their_id, their_start = None, 0
    if their_id == mine:
        return True
    if their_id is not None and their_start > STARTED_NS:
        return False
    wipe(root)
    root.mkdir(parents=True, exist_ok=True)
    _write_atomic(root / DEPLOY_FILE, f"{mine} {STARTED_NS}\n".encode())
    return True


def announce(root: Path) -> None:
    """Record ``root`` in the shared ``edge`` cache as a mirror folder in use (no expiry).

    A process started without ``AKHBAR_STATIC_MIRROR_DIR`` (a cron ``publish-scheduled``, a
    ``shell``) still purges the page cache; :func:`purge_roots` lets it delete the mirrored files
    too, instead of leaving nginx to serve an outdated page until the prune. Errors are logged.
    """
    from django.core.cache import caches

    try:
        cache = caches["edge"]
        roots = set(cache.get(ROOTS_KEY) or ())
        if str(root) not in roots:
            cache.set(ROOTS_KEY, sorted(roots | {str(root)}), None)
    except Exception:  # the cache being down must not stop a server from starting
        logger.exception("static mirror: could not announce %s", root)


def purge_roots() -> list[Path]:
    """The mirror folders a purge in this process must reach: its own and every announced one.

    An announced folder counts only when it exists on this machine and holds the deploy marker
    (``.deploy``), i.e. a mirror akhbar wrote; ``[]`` when there is none.
    """
    from django.core.cache import caches

    roots = []
    own = mirror_root()
    if own is not None:
        roots.append(own)
    try:
        announced = caches["edge"].get(ROOTS_KEY) or ()
    except Exception:
        logger.exception("static mirror: could not read the announced folders")
        announced = ()
    for value in announced:
        root = Path(value)
        if root not in roots and (root / DEPLOY_FILE).is_file():
            roots.append(root)
    return roots


def reset(roots: list[Path]) -> None:
    """Empty each of ``roots`` and announce it again: the edge cache (and its announcements) was just cleared."""
    _ANNOUNCED.clear()
    for root in roots:
        wipe(root)
        announce(root)


def claim() -> bool:
    """Make the mirror this deploy's: empty it when it holds another deploy's pages.

    Called by ``akhbar serve``'s gunicorn master once the app is loaded (``gunicorn_conf.when_ready``),
    so pages rendered by the previous code never outlive a restart, even those nginx keeps
    serving without asking akhbar. False when the mirror is off or could not be claimed (logged).
    """
    root = mirror_root()
    if root is None:
        return False
    try:
        root.mkdir(parents=True, exist_ok=True)
        claimed = _deploy_ok(root)
    except OSError:
        logger.exception("static mirror: could not claim %s", root)
        return False
    announce(root)
    return claimed


def write(request, entry, tags, if_missing: bool = False) -> Path | None:
    """Mirror the stored page ``entry`` (``store.Entry``) of ``request``; returns the file or ``None``.

    ``tags``: the page's cache tags. ``if_missing``: do nothing when the file exists (a page-cache
    hit, e.g. on another machine sharing Redis, or after the mirror was emptied). ``None`` when
    the mirror is off, the host or path cannot be mapped, an older deploy is running, a purge
    landed meanwhile, or the disk failed (logged).
    """
    root = mirror_root()
    if root is None:
        return None
    # The host ``cache_key`` validated for this request (``get_host`` is costly on every hit).
    rel = relative_dir(getattr(request, "_edge_host", None) or request.get_host(), request.path)
    if rel is None:
        return None
    if if_missing and os.path.exists(os.path.join(root, rel, PAGE_FILE)):
        return None
    try:
        if not _deploy_ok(root):
            return None
        if root not in _ANNOUNCED:  # servers other than ``akhbar serve`` (which claims at start)
            announce(root)
            _ANNOUNCED.add(root)
        target = page_file(root, rel)
        if target is None:
            return None
        _register(root, rel, tags)
        target.parent.mkdir(parents=True, exist_ok=True)
        gz = target.with_name(PAGE_FILE + ".gz")
        if entry.gzip is not None:
            _write_atomic(gz, entry.gzip)
        else:
            _unlink(gz)
        _write_atomic(target, entry.body)
    except Exception:  # a full disk or a bad permission must not break the page
        logger.exception("static mirror: could not write %s", request.path)
        return None
    from .store import store

    if not store.is_current(entry):  # purged while we wrote: the file may hold outdated content
        remove(root, rel)
        return None
    return target


# --- invalidation ---------------------------------------------------------------------------
def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove(root: Path, rel: str) -> None:
    """Delete the mirrored page in folder ``rel`` (``index.html`` first: nginx then stops using it)."""
    target = page_file(root, rel)
    if target is not None:
        _unlink(target)
        _unlink(target.with_name(PAGE_FILE + ".gz"))


def remove_path(host: str, path: str) -> bool:
    """Delete the mirrored page of ``host`` + decoded ``path``; True when the mirror is on and it mapped."""
    root = mirror_root()
    rel = relative_dir(host, path) if root is not None else None
    if rel is None:
        return False
    remove(root, rel)
    return True


def purge(tags) -> int:
    """Delete the mirrored pages depending on any of ``tags``; returns how many were listed.

    Reaches this process's mirror and every folder announced by a server (:func:`purge_roots`),
    so a publish from a process without ``AKHBAR_STATIC_MIRROR_DIR`` leaves no outdated file.
    Tag ``site`` empties the mirror (returns -1). Each tag's registrations are moved aside (one rename) before
    their files are deleted, so pages registered meanwhile land in a fresh folder. Errors are logged.
    """
    tags = set(tags)
    roots = purge_roots()
    if not roots:
        return 0
    counts = [_purge_root(root, tags) for root in roots]
    return -1 if -1 in counts else sum(counts)


def _purge_root(root: Path, tags: set) -> int:
    from .store import SITE_TAG

    if SITE_TAG in tags:
        wipe(root)
        return -1
    count = 0
    for tag in tags:
        folder = _tag_dir(root, tag)
        aside = folder.with_name(".purging-" + secrets.token_hex(6))
        try:
            os.rename(folder, aside)
        except FileNotFoundError:
            continue
        except OSError:
            logger.exception("static mirror: could not purge tag %s", tag)
            continue
        for entry in os.scandir(aside):
            try:
                with open(entry.path, "rb") as f:
                    rel = f.read().decode()
            except (OSError, UnicodeDecodeError):
                continue
            remove(root, rel)
            count += 1
        shutil.rmtree(aside, ignore_errors=True)
    return count


def wipe(root: Path | None = None) -> None:
    """Empty the mirror (every host folder and the tag index); the deploy marker stays."""
    root = root or mirror_root()
    if root is None or not root.is_dir():
        return
    for child in os.scandir(root):
        if child.name == DEPLOY_FILE or child.name.startswith(".trash-"):
            continue
        aside = root / (".trash-" + secrets.token_hex(6))
        try:
            os.rename(child.path, aside)
        except OSError:
            continue
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            _unlink(aside)
    for child in os.scandir(root):
        if child.name.startswith(".trash-"):
            shutil.rmtree(child.path, ignore_errors=True)


# --- housekeeping ----------------------------------------------------------------------------
def prune(max_age: float, root: Path | None = None, now: float | None = None) -> dict:
    """Remove mirrored pages older than ``max_age`` seconds and leftovers; returns counts.

    ``{"pages": n, "index": n, "temporary": n}``. Tag registrations are kept one hour longer
    than the pages (a page is always removed before its registrations). Run it from cron
    (docs/operations.md). It never looks at the deploy marker: a cron job with another
    environment than the server must not empty the mirror (``claim`` does that at server start).
    """
    root = root or mirror_root()
    counts = {"pages": 0, "index": 0, "temporary": 0}
    if root is None or not root.is_dir():
        return counts
    now = now or time.time()
    page_limit, index_limit, tmp_limit = now - max_age, now - max_age - 3600, now - 300
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        in_index = (os.sep + INDEX_DIR) in dirpath[len(str(root)) :] or Path(dirpath).name == INDEX_DIR
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                mtime = os.lstat(path).st_mtime
            except FileNotFoundError:
                continue
            if name.startswith(".tmp-"):
                if mtime < tmp_limit:
                    _unlink(Path(path))
                    counts["temporary"] += 1
            elif in_index:
                if mtime < index_limit:
                    _unlink(Path(path))
                    counts["index"] += 1
            elif name == PAGE_FILE and mtime < page_limit:
                _unlink(Path(path))
                _unlink(Path(path + ".gz"))
                counts["pages"] += 1
            elif name == PAGE_FILE + ".gz" and mtime < page_limit and not os.path.exists(path[:-3]):
                _unlink(Path(path))
        for name in dirnames:
            path = os.path.join(dirpath, name)
            if name.startswith((".purging-", ".trash-")):
                try:
                    if os.lstat(path).st_mtime < tmp_limit:
                        shutil.rmtree(path, ignore_errors=True)
                except FileNotFoundError:
                    pass
                continue
            try:
                os.rmdir(path)  # only succeeds when empty
            except OSError:
                pass
    return counts
