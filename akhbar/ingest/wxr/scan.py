"""First pass over a WXR file: check it whole, and index what later items refer to.

The import reads the file twice. :func:`scan` reads it once completely
before anything is written, so a malformed or hostile file is refused with
nothing imported (``--dry-run`` finds the same error), and it records in a
temporary on-disk SQLite database — not in memory, so a 2 GB export with a
hundred thousand attachments still runs in flat memory — what items need
from each other: attachments (file, alt text, caption, credit, parent) for
featured images and galleries that may come *after* the post in the file,
page parents, categories, tags and authors. It also counts items (for the
progress bar) and learns the site's UTC offset from posts that carry both a
local and a GMT date.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import phpserial
from .parse import Channel, WxrAuthor, WxrItem, WxrTerm, iter_wxr

_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


@dataclass
class Attachment:
    id: int
    parent: int
    menu_order: int
    url: str
    file: str
    title: str
    alt: str
    caption: str
    description: str
    credit: str
    link: str
    slug: str


@dataclass
class ScanResult:
    channel: Channel
    counts: Counter = field(default_factory=Counter)
    offsets: Counter = field(default_factory=Counter)
    db: sqlite3.Connection | None = None
    path: str = ""

    @property
    def total_items(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("item:"))

    def utc_offset(self) -> timedelta | None:
        """The most common (local − GMT) difference among posts, if any post has both dates."""
        if not self.offsets:
            return None
        minutes = self.offsets.most_common(1)[0][0]
        return timedelta(minutes=minutes)

    # ---- lookups -----------------------------------------------------------
    def attachment(self, attachment_id: int) -> Attachment | None:
        row = self.db.execute("SELECT * FROM attachments WHERE id = ?", (attachment_id,)).fetchone()
        return Attachment(*row) if row else None

    def attachment_by_url(self, url: str) -> Attachment | None:
        key = upload_key(url)
        if not key:
            return None
        row = self.db.execute("SELECT id FROM attachment_keys WHERE key = ?", (key,)).fetchone()
        if row is None:
            row = self.db.execute("SELECT id FROM attachment_keys WHERE key = ?", (_SIZE_SUFFIX.sub("", key),)).fetchone()
        return self.attachment(row[0]) if row else None

    def children_attachments(self, parent: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM attachments WHERE parent = ? ORDER BY menu_order, id", (parent,))]

    def post(self, post_id: int) -> tuple[str, str, int, str] | None:
        """``(post_type, status, parent, slug)``."""
        return self.db.execute("SELECT type, status, parent, slug FROM posts WHERE id = ?", (post_id,)).fetchone()

    def terms(self, taxonomy: str) -> list[WxrTerm]:
        rows = self.db.execute("SELECT taxonomy, slug, name, id, parent_slug, description FROM terms WHERE taxonomy = ? ORDER BY rowid", (taxonomy,))
        return [WxrTerm(*row) for row in rows]

    def authors(self) -> list[WxrAuthor]:
        rows = self.db.execute("SELECT login, id, '', display_name, first_name, last_name FROM authors ORDER BY rowid")
        return [WxrAuthor(*row) for row in rows]

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None
        if self.path and os.path.exists(self.path):
            os.unlink(self.path)


def upload_key(url: str) -> str:
    """The part of an upload URL after ``/uploads/`` (or ``/files/`` on WordPress.com), decoded."""
    path = unquote(urlsplit(url or "").path)
    for marker in ("/wp-content/uploads/", "/uploads/", "/files/"):
        if marker in path:
            return path.split(marker, 1)[1].lstrip("/")
    return path.rsplit("/", 1)[-1] if path else ""


def parse_wp_date(value: str) -> datetime | None:
    """``2018-03-22 18:35:23`` → naive datetime; WordPress's ``0000-00-00 00:00:00`` → ``None``."""
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    head = value[:19]
    if len(head) == 19 and head[4] == "-" and head[7] == "-" and head[10] == " " and head[13] == ":" and head[16] == ":":
        try:  # the usual exact form, ~20x cheaper than strptime (two dates per post and comment)
            return datetime.fromisoformat(head)
        except ValueError:
            pass
    try:
        return datetime.strptime(head, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            return datetime.strptime(value[:10], "%Y-%m-%d")
        except ValueError:
            return None


def attachment_credit(meta: dict[str, str], credit_keys: list[str]) -> str:
    """Credit of an attachment: a credit meta key, else the IPTC/EXIF credit or copyright WordPress read."""
    for key in credit_keys:
        value = (meta.get(key) or "").strip()
        if value:
            return value[:255]
    data = phpserial.maybe_loads(meta.get("_wp_attachment_metadata", ""))
    if isinstance(data, dict) and isinstance(data.get("image_meta"), dict):
        for key in ("credit", "copyright"):
            value = data["image_meta"].get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()[:255]
    return ""


SCHEMA = """
CREATE TABLE attachments (id INTEGER PRIMARY KEY, parent INTEGER, menu_order INTEGER, url TEXT, file TEXT, title TEXT,
    alt TEXT, caption TEXT, description TEXT, credit TEXT, link TEXT, slug TEXT);
CREATE INDEX attachments_parent ON attachments(parent);
CREATE TABLE attachment_keys (key TEXT PRIMARY KEY, id INTEGER);
CREATE TABLE posts (id INTEGER PRIMARY KEY, type TEXT, status TEXT, parent INTEGER, slug TEXT);
CREATE TABLE terms (taxonomy TEXT, slug TEXT, name TEXT, id TEXT, parent_slug TEXT, description TEXT, UNIQUE (taxonomy, slug));
CREATE TABLE later_redirects (path TEXT, link TEXT, parent INTEGER);
CREATE TABLE authors (login TEXT PRIMARY KEY, id TEXT, display_name TEXT, first_name TEXT, last_name TEXT);
"""


def scan(path: str | Path, credit_keys: list[str] | None = None) -> ScanResult:
    """Read the whole file once (raises the parser's errors) and build the index."""
    from .mapping import CREDIT_META_KEYS

    credit_keys = credit_keys if credit_keys is not None else CREDIT_META_KEYS
    handle, db_path = tempfile.mkstemp(prefix="akhbar-wxr-", suffix=".sqlite3")
    os.close(handle)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(SCHEMA)
    result = ScanResult(channel=Channel(), db=db, path=db_path)
    try:
        for record in iter_wxr(path):
            if isinstance(record, Channel):
                result.channel = record
            elif isinstance(record, WxrAuthor):
                result.counts["author"] += 1
                db.execute(
                    "INSERT OR IGNORE INTO authors VALUES (?, ?, ?, ?, ?)",
                    (record.login, record.id, record.display_name, record.first_name, record.last_name),
                )
            elif isinstance(record, WxrTerm):
                result.counts[f"term:{record.taxonomy}"] += 1
                db.execute(  # wp:category and wp:term repeat the same term: keep the first
                    "INSERT OR IGNORE INTO terms VALUES (?, ?, ?, ?, ?, ?)",
                    (record.taxonomy, record.slug, record.name, record.id, record.parent_slug, record.description),
                )
            elif isinstance(record, WxrItem):
                _scan_item(result, record, credit_keys)
        db.commit()
    except BaseException:
        result.close()
        raise
    return result


def _scan_item(result: ScanResult, item: WxrItem, credit_keys: list[str]):
    db = result.db
    result.counts[f"item:{item.post_type or '?'}"] += 1
    result.counts["comment"] += len(item.comments)
    if item.post_id is None:
        return
    db.execute(
        "INSERT OR IGNORE INTO posts VALUES (?, ?, ?, ?, ?)", (item.post_id, item.post_type, item.status, item.post_parent, item.post_name)
    )
    local, gmt = parse_wp_date(item.post_date), parse_wp_date(item.post_date_gmt)
    if local and gmt and item.post_type in ("post", "page"):
        result.offsets[round((local - gmt).total_seconds() / 60)] += 1
    if item.post_type == "attachment":
        file = item.meta.get("_wp_attached_file", "") or upload_key(item.attachment_url)
        db.execute(
            "INSERT OR REPLACE INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.post_id,
                item.post_parent,
                item.menu_order,
                item.attachment_url or item.guid,
                file,
                item.title,
                (item.meta.get("_wp_attachment_image_alt") or "").strip(),
                item.excerpt,
                item.content,
                attachment_credit(item.meta, credit_keys),
                item.link,
                item.post_name,
            ),
        )
        for url in {item.attachment_url, item.guid, file}:
            key = upload_key(url) if "/" in (url or "") and "://" in (url or "") else (url or "")
            if key:
                db.execute("INSERT OR IGNORE INTO attachment_keys VALUES (?, ?)", (key, item.post_id))
