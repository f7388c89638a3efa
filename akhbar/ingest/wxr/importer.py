"""Import a WordPress export (WXR) into akhbar: ``import_wxr(path, ...)`` → :class:`ImportReport`.

The run, in order:

1. **Scan** (:mod:`.scan`): the whole file is read once and checked before
   anything is written — a malformed or hostile file stops the import with
   its file, line and reason, and nothing is imported.
2. **Site**: the export is keyed by its site URL (``wp:base_blog_url``, host
   + subfolder). Every WordPress id is remembered per site (``WxrItem``) and
   posts carry ``ArticlePage.external_id = "wxr:<host/path>:<post id>"``, so
   re-importing updates, never duplicates, and two sites never collide.
3. **Authors, categories, tags** (channel level): authors → ``Author`` (no
   e-mail, no password), categories → sections or tags (the mapping file,
   :mod:`.mapping`), tags → tags; with redirects from ``/author/...``,
   ``/category/...``, ``/tag/...``.
4. **Items**, streamed: posts → ``ArticlePage`` (written in batches through
   :func:`akhbar.news.bulk.bulk_add_children`; a batch that fails is retried
   item by item so one bad post is reported with its id and the rest go in),
   pages → ``StaticPage``, attachments → images/documents, comments →
   ``ImportedComment`` and, for reader comments on articles, the comments
   app (:mod:`akhbar.ingest.comments`); live articles → akhbar's search
   index (once per batch); redirects from every old permalink. Each item is
   written all-or-nothing (its page, tags, authors, comments, search entry,
   redirects and id map in one transaction).
5. **Page cache**: bulk writes send no signals, so a run that wrote anything
   ends by invalidating every cached page (:mod:`akhbar.ingest.cache`).

``dry_run=True`` does all the reading, converting and checking and writes
nothing (no database row, no file). Items whose source is unchanged since the
last import are *skipped*; changed ones are *updated* unless an editor changed
the page in akhbar since (then skipped with that reason; ``force=True``
overwrites).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import resource
import time
import unicodedata
from collections import Counter, OrderedDict, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from datetime import timezone as dt_timezone
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

import nh3
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils import translation
from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction, Site

from akhbar.news.bulk import bulk_add_children, insert_rows
from akhbar.news.models import ArticleAuthor, ArticlePage, ArticleTag, Author, SectionPage, StaticPage
from akhbar.news.newsroom import SectionSpec, ensure_home, ensure_section
from akhbar.news.slugs import with_suffix

from ..cache import refresh_page_cache
from ..comments import AdoptionReport, adopt as adopt_comments, adopt_waiting
from ..models import ImportedComment, WxrItem, WxrSite
from .convert import Converter, excerpt_text, first_sentences, plain_title, text_of
from .links import SiteUrl, author_paths, decode_slug, post_paths, term_paths, upload_path, wagtail_slug
from .mapping import UNCATEGORIZED, Mapping, load_mapping
from .media import MediaError, MediaLibrary, is_image_name
from .parse import WxrError, WxrItem as SourceItem, iter_wxr
from .scan import ScanResult, parse_wp_date, scan

LIST_LIMIT = 500  # longest list kept in the report (counts are exact)
SKIPPED_POST_TYPES_REASON = "post type {0!r} is not content akhbar imports"
COMMENT_STATUS = {"1": "approved", "approve": "approved", "0": "pending", "hold": "pending", "spam": "spam", "trash": "trash", "post-trashed": "trash"}
COMMENT_TAGS = {"p", "br", "a", "b", "strong", "i", "em", "blockquote", "code", "ul", "ol", "li"}


class ItemError(Exception):
    """One item cannot be imported; ``str(err)`` is the reason."""


# --------------------------------------------------------------------------- report
@dataclass
class ImportReport:
    """Counts and findings of an import. ``counts[kind]`` has imported/updated/skipped/failed."""

    file: str = ""
    site: str = ""
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    failures: list = field(default_factory=list)  # (kind, wp id, line, reason)
    skip_reasons: Counter = field(default_factory=Counter)
    missing: list = field(default_factory=list)  # (post id, what)
    missing_count: int = 0
    figures: int = 0
    figures_missing_alt: list = field(default_factory=list)  # (post id, image)
    figures_missing_alt_count: int = 0
    figures_missing_credit: list = field(default_factory=list)
    figures_missing_credit_count: int = 0
    lead_images_missing_credit: int = 0
    unknown_blocks: Counter = field(default_factory=Counter)
    unknown_shortcodes: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    embeds: int = 0
    sections_created: list = field(default_factory=list)
    redirects_created: int = 0
    redirect_conflicts: list = field(default_factory=list)
    redirect_conflict_count: int = 0
    warnings: list = field(default_factory=list)
    slugs_changed: int = 0
    comments_adopted: int = 0  # new reader comments (comments app)
    comments_adoption_updated: int = 0
    comments_top_level: int = 0  # replies whose parent is missing, adopted at the top level
    comments_not_adopted: Counter = field(default_factory=Counter)  # reason -> rows kept in ImportedComment only
    page_cache_refreshed: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_memory_mb: float = 0.0
    search_process_cpu_seconds: float = 0.0  # the search index process (PostgreSQL), not in cpu_seconds
    search_process_peak_mb: float = 0.0
    error: str = ""

    def count(self, kind: str, outcome: str, n: int = 1):
        self.counts[kind][outcome] += n

    def fail(self, kind: str, wp_id, line: int | None, reason: str):
        self.count(kind, "failed")
        if len(self.failures) < LIST_LIMIT:
            self.failures.append((kind, wp_id, line, reason[:500]))

    def skip(self, kind: str, reason: str):
        self.count(kind, "skipped")
        self.skip_reasons[f"{kind}: {reason}"] += 1

    def missing_media(self, what: str, post_id):
        self.missing_count += 1
        if len(self.missing) < LIST_LIMIT:
            self.missing.append((post_id, what))

    def adoption(self, adopted: AdoptionReport):
        """Add the counts of one comment adoption (:func:`akhbar.ingest.comments.adopt`)."""
        self.comments_adopted += adopted.created
        self.comments_adoption_updated += adopted.updated
        self.comments_top_level += adopted.top_level
        self.comments_not_adopted.update(adopted.skipped)

    def warn(self, message: str):
        if len(self.warnings) < LIST_LIMIT:
            self.warnings.append(message)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def ok(self) -> bool:
        return not self.error and self.total("failed") == 0

    def posts_per_second(self) -> float:
        done = self.counts["post"]["imported"] + self.counts["post"]["updated"]
        return done / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["counts"] = {k: dict(v) for k, v in self.counts.items()}
        for key in ("skip_reasons", "unknown_blocks", "unknown_shortcodes", "dropped", "comments_not_adopted"):
            data[key] = dict(data[key])
        data["totals"] = {o: self.total(o) for o in ("imported", "updated", "skipped", "failed")}
        return data

    def as_text(self) -> str:
        lines = [f"WordPress import of {self.file} (site {self.site or '?'}){' — DRY RUN, nothing written' if self.dry_run else ''}"]
        if self.error:
            lines.append(f"ERROR: {self.error}")
        lines.append(f"{'':14}{'imported':>10}{'updated':>10}{'skipped':>10}{'failed':>10}")
        order = ["post", "page", "attachment", "comment", "author", "category", "tag", "item"]
        plural = {"category": "categories"}
        for kind in order + sorted(k for k in self.counts if k not in order):
            if kind in self.counts:
                c = self.counts[kind]
                lines.append(f"{plural.get(kind, kind + 's'):14}{c['imported']:>10}{c['updated']:>10}{c['skipped']:>10}{c['failed']:>10}")
        lines.append(f"{'total':14}{self.total('imported'):>10}{self.total('updated'):>10}{self.total('skipped'):>10}{self.total('failed'):>10}")
        if self.sections_created:
            lines.append(f"sections created: {', '.join(self.sections_created)}")
        lines.append(f"redirects created: {self.redirects_created}; conflicts (left unchanged): {self.redirect_conflict_count}")
        lines.append(
            f"figures: {self.figures} (without alt text: {self.figures_missing_alt_count}, without credit: "
            f"{self.figures_missing_credit_count}); lead images without credit: {self.lead_images_missing_credit}; embeds: {self.embeds}"
        )
        if self.comments_adopted or self.comments_adoption_updated or self.comments_not_adopted or self.comments_top_level:
            line = (f"reader comments: {self.comments_adopted} added to the comments app, {self.comments_adoption_updated} updated; "
                    f"replies without their parent (now top level): {self.comments_top_level}")
            if self.comments_not_adopted:
                line += "; kept in ImportedComment only: " + ", ".join(f"{k} ×{v}" for k, v in self.comments_not_adopted.most_common())
            lines.append(line)
        if self.slugs_changed:
            lines.append(f"slugs adjusted (invalid characters or taken): {self.slugs_changed}")
        for title, counter in (("unknown blocks (text kept)", self.unknown_blocks), ("unknown shortcodes (kept as text)", self.unknown_shortcodes), ("removed unsafe/unsupported HTML", self.dropped)):
            if counter:
                lines.append(f"{title}: " + ", ".join(f"{k} ×{v}" for k, v in counter.most_common()))
        sections = [
            ("missing media files", self.missing_count, [f"post {p}: {w}" if p else w for p, w in self.missing]),
            ("figures without alt text", self.figures_missing_alt_count, [f"post {p}: {w}" for p, w in self.figures_missing_alt]),
            ("figures without credit", self.figures_missing_credit_count, [f"post {p}: {w}" for p, w in self.figures_missing_credit]),
            ("redirect conflicts", self.redirect_conflict_count, self.redirect_conflicts),
            ("failures", self.total("failed"), [f"{k} {i}{f' (line {ln})' if ln else ''}: {r}" for k, i, ln, r in self.failures]),
        ]
        for title, count, items in sections:
            if count:
                lines.append(f"{title} ({count}):")
                lines.extend(f"  {item}" for item in items[:50])
                if count > 50:
                    lines.append(f"  … {count - 50} more (see --report-json)")
        if self.skip_reasons:
            lines.append("skipped:")
            lines.extend(f"  {reason} ×{n}" for reason, n in self.skip_reasons.most_common(30))
        for warning in self.warnings[:30]:
            lines.append(f"warning: {warning}")
        lines.append(
            f"time {self.seconds:.1f} s ({self.cpu_seconds:.1f} s CPU), {self.posts_per_second():.0f} posts/s, "
            f"peak memory {self.peak_memory_mb:.0f} MB"
        )
        if self.search_process_cpu_seconds or self.search_process_peak_mb:
            lines.append(
                f"search index process: {self.search_process_cpu_seconds:.1f} s CPU, peak memory {self.search_process_peak_mb:.0f} MB"
            )
        return "\n".join(lines)


# --------------------------------------------------------------------------- prepared items
@dataclass
class Prepared:
    """A post or page converted and ready to write (plain data: can be rebuilt after a failed batch)."""

    wp_id: int
    line: int
    kind: str
    fields: dict
    slug: str
    slug_changed: bool
    parent_id: int | None  # section (posts) or parent page (pages); None = home
    tag_ids: list  # tag names from prepare(); ids after resolve_tags()
    author_ids: list
    paths: list
    comments: list
    restriction: tuple | None  # (type, password)
    scheduled: datetime | None
    digest: str
    wp_status: str
    wp_url: str


def _digest(item: SourceItem, extra: str) -> str:
    """SHA-256 of everything the export says about an item (its line number aside) plus ``extra``."""
    data = dict(item.__dict__)
    data.pop("line", None)
    data["comments"] = [c.__dict__ for c in item.comments]
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str) + extra
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def term_key(slug: str) -> str:
    """The ``WxrItem.wp_id`` of a term or author: its decoded slug, hashed when longer than the column."""
    key = decode_slug(slug) or slug
    if len(key) <= 191:
        return key
    return "sha1:" + hashlib.sha1(key.encode("utf-8")).hexdigest()


def peak_memory_mb() -> float:
    """Peak resident memory of this process in MB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


# --------------------------------------------------------------------------- importer
class WxrImporter:
    """One import run; see the module docstring. Use :func:`import_wxr`."""

    def __init__(
        self,
        path,
        *,
        media_dir=None,
        dry_run: bool = False,
        mapping: Mapping | str | Path | None = None,
        site_url: str | None = None,
        batch_size: int = 500,
        progress=None,
        force: bool = False,
        search_worker: bool | None = None,
    ):
        self.path = Path(path)
        self.media_dir = Path(media_dir) if media_dir else None
        self.dry_run = dry_run
        self.mapping = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
        self.site_url = site_url
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.force = force
        self.use_search_worker = search_worker  # None: on PostgreSQL outside a transaction (search_worker.usable())
        self.search_worker = None
        self.report = ImportReport(file=self.path.name, dry_run=dry_run)
        self.batch: list[Prepared] = []
        self.deferred_pages: list[SourceItem] = []
        self.authors: dict[str, int | None] = {}
        self.categories: dict[str, tuple[int | None, list[str]]] = {}  # nicename -> (section id, tag names)
        self.tag_ids = LRU(20_000)
        self.sections: dict[int, SectionPage] = {}
        self.section_keys: dict[str, int] = {}
        self.fake_ids = iter(range(-1, -10**9, -1))
        self.search_index = None  # akhbar.search.indexer, when the search app is installed
        self.trim_search_caches = None
        if apps.is_installed("akhbar.search"):
            from akhbar.search import indexer
            from akhbar.search.analysis import trim_word_caches

            self.search_index = indexer
            self.trim_search_caches = trim_word_caches

    # ------------------------------------------------------------------ run
    def run(self) -> ImportReport:
        started, cpu_started = time.monotonic(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = self.report
        if self.media_dir is not None and not self.media_dir.is_dir():
            raise WxrError(f"--media-dir {self.media_dir} is not a folder")
        self.index: ScanResult = scan(self.path, self.mapping.credit_meta_keys)
        try:
            with translation.override(settings.LANGUAGE_CODE):
                self._setup()
                self._import_authors()
                self._import_categories()
                self._import_tags()
                self._start_search_worker()
                done = 0
                for record in iter_wxr(self.path):
                    if isinstance(record, SourceItem):
                        self.handle_item(record)
                        done += 1
                        if self.progress:
                            self.progress(done, self.index.total_items)
                self.flush()
                self._finish_search_worker()
                self._finish_deferred_pages()
                self._finish_attachment_redirects()
                if self.wxr_site is not None and not self.dry_run:
                    self._adopt_waiting_comments()
                    WxrSite.objects.filter(pk=self.wxr_site.pk).update(last_imported_at=timezone.now())
                wrote = report.total("imported") or report.total("updated") or report.comments_adopted or report.comments_adoption_updated
                if not self.dry_run and wrote:
                    # bulk writes send no signals: no cached page may outlive the import
                    report.page_cache_refreshed = refresh_page_cache()
        finally:
            if self.search_worker is not None:  # the run failed: stop the child (its batches were committed
                self.search_worker.kill()  # pages; the next import indexes what it did not, see _index_missing)
            self.index.close()
            report.seconds = time.monotonic() - started
            report.cpu_seconds = time.process_time() - cpu_started
            report.peak_memory_mb = peak_memory_mb()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if after.ru_utime + after.ru_stime > children.ru_utime + children.ru_stime:  # the search process ran
                report.search_process_cpu_seconds = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
                report.search_process_peak_mb = after.ru_maxrss / 1024
        return report

    def _start_search_worker(self):
        """Index committed batches in a second process (:mod:`.search_worker`) when that can overlap."""
        if self.search_index is None or self.dry_run or self.use_search_worker is False:
            return
        from . import search_worker

        if search_worker.usable():
            self.search_worker = search_worker.SearchWorker()

    def _finish_search_worker(self):
        """Wait for the search process, then index here every live article of the site still missing
        from the index (a batch the process could not write, or an earlier run stopped in between)."""
        worker, self.search_worker = self.search_worker, None
        if worker is not None:
            result = worker.close()
            for first, count, error in result.failures:
                self.report.warn(f"search index process: {count} articles (first id {first}) not indexed there ({error}); indexed by the importer")
        if self.search_index is not None and not self.dry_run and self.wxr_site is not None and worker is not None:
            self._index_missing()

    def _index_missing(self):
        """Index the site's live imported articles that have no search row (in chunks, one transaction each)."""
        from akhbar.search.models import SearchDocument

        posts = WxrItem.objects.filter(site=self.wxr_site, kind=WxrItem.POST).values("object_id")
        missing = (  # NOT EXISTS: an anti-join, fast at a million index rows (NOT IN would not be)
            ArticlePage.objects.filter(live=True, pk__in=posts)
            .filter(~Exists(SearchDocument.objects.filter(article_id=OuterRef("pk"))))
            .values_list("pk", flat=True)
        )
        ids = list(missing)
        for start in range(0, len(ids), self.batch_size):
            try:
                with transaction.atomic():
                    pages = ArticlePage.objects.filter(pk__in=ids[start : start + self.batch_size], live=True)
                    self.search_index.index_documents(self.search_index.source_for_page(page) for page in pages)
            except Exception as exc:  # noqa: BLE001 - the pages are in; akhbar reindex repairs the index
                self.forget_uncommitted()
                self.report.warn(f"search index: {len(ids[start:start + self.batch_size])} articles not indexed "
                                 f"({type(exc).__name__}: {exc}); run akhbar reindex")

    def _adopt_waiting_comments(self):
        """Comments of this site left unadopted by earlier imports (before adoption existed, or failed)."""
        try:
            self.report.adoption(adopt_waiting(site=self.wxr_site, only_adoptable=True, overwrite=False))
        except Exception as exc:  # noqa: BLE001 - the posts are in; the command can adopt them later
            self.report.warn(f"comments of earlier imports not adopted ({type(exc).__name__}: {exc}); run akhbar adopt-imported-comments")

    def _setup(self):
        channel = self.index.channel
        url = self.site_url or channel.base_blog_url or channel.base_site_url or channel.link
        if not url or "://" not in url:
            raise WxrError(
                f"{self.path.name}: the export names no site URL (wp:base_blog_url / wp:base_site_url / link); "
                "pass --site-url so its items can be told apart from other sites'"
            )
        self.site = SiteUrl(url)
        self.report.site = self.site.key
        self.key_prefix = f"wxr:{self.site.key[:180]}:"
        self.tz = self._timezone()
        self.home = ensure_home() if not self.dry_run else self._home_readonly()
        self.home_path = self.home.url_path if self.home else "/"
        self.redirect_site = None
        if self.mapping.redirect_site:
            self.redirect_site = Site.objects.filter(hostname=self.mapping.redirect_site).first()
            if self.redirect_site is None:
                raise WxrError(f"redirect_site {self.mapping.redirect_site!r} is not a Wagtail site")
        self.wxr_site = WxrSite.objects.filter(key=self.site.key).first()
        if self.wxr_site is None and not self.dry_run:
            self.wxr_site = WxrSite.objects.create(
                key=self.site.key, base_url=url[:500], title=channel.title[:255], language=channel.language[:35]
            )
        self.media = MediaLibrary(self.wxr_site, self.index, self.media_dir, self.dry_run, self.report)
        for section in SectionPage.objects.child_of(self.home) if self.home else []:
            self._remember_section(section)
        self.content_types = {
            model: ContentType.objects.get_for_model(model) for model in (ArticlePage, StaticPage, SectionPage, Author, Tag)
        }

    def _home_readonly(self):
        from akhbar.news.models import HomePage

        return HomePage.objects.first()

    def _timezone(self):
        if self.mapping.timezone:
            return ZoneInfo(self.mapping.timezone)
        offset = self.index.utc_offset()
        if offset is not None:
            return dt_timezone(offset)
        return ZoneInfo(settings.TIME_ZONE)

    def report_checkpoint(self) -> dict:
        """A copy of the report's state, to return to when the transaction that follows rolls back."""
        return copy.deepcopy(self.report.__dict__)

    def forget_uncommitted(self, checkpoint: dict | None = None):
        """After a rolled-back transaction: drop cached ids that may belong to rows it created, and
        (given the ``report_checkpoint`` taken before it) the counts of what it wrote."""
        if checkpoint is not None:
            self.report.__dict__.update(checkpoint)
        self.tag_ids.clear()
        self.authors.clear()
        self.media.cache.clear()
        self.media.imported_ids.clear()
        if self.home is not None and not self.dry_run:
            self.sections.clear()
            self.section_keys.clear()
            for section in SectionPage.objects.child_of(self.home):
                self._remember_section(section)
            self.categories = {k: v for k, v in self.categories.items() if v[0] is None or v[0] in self.sections}

    # -------------------------------------------------------------- helpers
    def aware(self, local: str, gmt: str) -> tuple[datetime | None, datetime | None]:
        """``(UTC-aware datetime, naive local datetime)`` from WordPress's local/GMT pair."""
        local_dt, gmt_dt = parse_wp_date(local), parse_wp_date(gmt)
        if gmt_dt is not None:
            utc = gmt_dt.replace(tzinfo=UTC)
            return utc, local_dt or utc.astimezone(self.tz).replace(tzinfo=None)
        if local_dt is not None:
            return local_dt.replace(tzinfo=self.tz).astimezone(UTC), local_dt
        return None, None

    def item_map(self, kind: str, wp_ids) -> dict[str, WxrItem]:
        if self.wxr_site is None:
            return {}
        return {w.wp_id: w for w in WxrItem.objects.filter(site=self.wxr_site, kind=kind, wp_id__in=[str(i) for i in wp_ids])}

    def remember(self, kind: str, wp_id, obj, *, digest: str = "", status: str = "", url: str = "", revision_id=None):
        WxrItem.objects.update_or_create(
            site=self.wxr_site,
            kind=kind,
            wp_id=str(wp_id),
            defaults={
                "content_type": self.content_types.get(type(obj)) or ContentType.objects.get_for_model(obj),
                "object_id": obj.pk,
                "digest": digest,
                "wp_status": status[:20],
                "wp_url": url[:2000],
                "revision_id": revision_id,
            },
        )

    def public_path(self, page) -> str:
        """The page's path on the akhbar site (``url_path`` without the home page's part)."""
        url_path = page.url_path or ""
        if url_path.startswith(self.home_path):
            url_path = "/" + url_path[len(self.home_path) :]
        return Redirect.normalise_path(url_path)

    def write_redirects(self, targets: list[tuple[str, object]]):
        """Create redirects ``[(old_path, page_or_link)]``; never overwrite one that points elsewhere."""
        if self.dry_run or not targets:
            return
        wanted: dict[str, object] = {}
        current_paths: dict[int, str] = {}  # a page's own path, once per page (a post has ~7 old paths)
        for path, target in targets:
            if isinstance(target, Page):
                here = current_paths.get(id(target))
                if here is None:
                    here = current_paths[id(target)] = self.public_path(target)
                if path == here:
                    continue
            wanted.setdefault(path, target)
        existing = {r.old_path: r for r in Redirect.objects.filter(site=self.redirect_site, old_path__in=list(wanted))}
        new = []
        for path, target in wanted.items():
            current = existing.get(path)
            if current is not None:
                same = (isinstance(target, Page) and current.redirect_page_id == target.pk) or (
                    isinstance(target, str) and current.redirect_link == target
                )
                if not same:
                    self.report.redirect_conflict_count += 1
                    if len(self.report.redirect_conflicts) < LIST_LIMIT:
                        self.report.redirect_conflicts.append(f"{path} already redirects elsewhere")
                continue
            if isinstance(target, Page):
                new.append(Redirect(old_path=path, site=self.redirect_site, redirect_page_id=target.pk, is_permanent=True))
            elif len(str(target)) <= 255:
                new.append(Redirect(old_path=path, site=self.redirect_site, redirect_link=str(target), is_permanent=True))
            else:
                self.report.warn(f"no redirect from {path}: its target is longer than 255 characters")
        insert_rows(Redirect, new)
        self.report.redirects_created += len(new)

    # -------------------------------------------------------------- authors
    def _import_authors(self):
        for author in self.index.authors():
            try:
                with transaction.atomic():
                    self.author_for(author.login, author.display_name, author.first_name, author.last_name, author.id)
            except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                self.forget_uncommitted()
                self.report.fail("author", author.login, None, f"{type(exc).__name__}: {exc}")

    def author_for(self, login: str, display_name: str = "", first: str = "", last: str = "", author_id: str = "") -> int | None:
        """Author id for a WordPress login (created on first use); ``None`` when mapped to ``skip``."""
        login = (login or "").strip()
        if not login:
            return None
        if login in self.authors:
            return self.authors[login]
        rule = self.mapping.author_rule(login)
        if rule.get("skip"):
            self.authors[login] = None
            self.report.skip("author", "mapped to skip")
            return None
        name = (rule.get("name") or display_name or f"{first} {last}".strip() or login).strip()[:255]
        name = unicodedata.normalize("NFC", text_of(name) or login)
        known = self.item_map(WxrItem.AUTHOR, [term_key(login)]).get(term_key(login))
        if self.dry_run:
            self.report.count("author", "skipped" if known else "imported")
            self.authors[login] = known.object_id if known else 0
            return self.authors[login]
        author = Author.objects.filter(pk=known.object_id).first() if known else None
        if author is not None:
            if author.name != name and known.digest != name:
                author.name = name
                author.save(update_fields=["name"])
                self.report.count("author", "updated")
            else:
                self.report.count("author", "skipped")
                self.report.skip_reasons["author: unchanged"] += 1
        else:
            author = Author.objects.filter(name=name).first() or Author.objects.create(name=name)
            self.report.count("author", "imported")
            self.write_redirects([(p, reverse("author", args=[author.slug])) for p in author_paths(self.site, login, author_id)])
        self.remember(WxrItem.AUTHOR, term_key(login), author, digest=name)
        self.authors[login] = author.pk
        return author.pk

    # ----------------------------------------------------------- categories
    def _remember_section(self, section: SectionPage):
        self.sections[section.pk] = section
        self.section_keys.setdefault(section.slug, section.pk)
        self.section_keys.setdefault(section.title, section.pk)

    def section_for(self, key: str, title: str = "", description: str = "") -> int | None:
        """Id of the section named by slug or title ``key``, created when missing (a fake id in a dry run)."""
        key = (key or "").strip()
        slug, _changed = wagtail_slug(key, title or key, "section")
        for candidate in (key, slug, title):
            if candidate and candidate in self.section_keys:
                return self.section_keys[candidate]
        title = (title or key)[:255]
        if self.dry_run:
            fake = next(self.fake_ids)
            self.section_keys[key] = self.section_keys[slug] = fake
            self.report.sections_created.append(title)
            return fake
        base, n = slug, 1
        while Page.objects.child_of(self.home).filter(slug=slug).exists():
            n += 1
            slug = with_suffix(base, n)
        spec = SectionSpec(title=title, slug=slug, name_en=title if title.isascii() else "", corpus_labels="", sort_order=200)
        section = ensure_section(self.home, spec)
        if description:
            section.description = text_of(description)
            section.save(update_fields=["description"])
        self._remember_section(section)
        self.section_keys[key] = section.pk
        self.report.sections_created.append(title)
        return section.pk

    def _import_categories(self):
        terms = self.index.terms("category")
        by_slug = {t.slug: t for t in terms}
        done: dict[str, tuple[int | None, list[str]]] = {}

        def ancestry(term) -> list:
            chain, seen = [term], {term.slug}
            while chain[-1].parent_slug and chain[-1].parent_slug in by_slug and chain[-1].parent_slug not in seen:
                chain.append(by_slug[chain[-1].parent_slug])
                seen.add(chain[-1].slug)
            return list(reversed(chain))

        def resolve(term) -> tuple[int | None, list[str]]:
            if term.slug in done:
                return done[term.slug]
            done[term.slug] = (None, [])  # cycle guard
            name = text_of(term.name) or decode_slug(term.slug)
            decoded = decode_slug(term.slug)
            rule = self.mapping.rule_for(term.slug, name)
            parent = by_slug.get(term.parent_slug) if term.parent_slug else None
            if rule and rule.skip:
                result = (None, [])
            elif rule and rule.section:
                result = (self.section_for(rule.section), [])
            elif rule and rule.tag:
                result = ((resolve(parent)[0] if parent else None), [rule.tag])
            elif decoded.lower() in UNCATEGORIZED or name.lower() in ("uncategorized", "غير مصنف"):
                result = (self.section_for(self.mapping.default_section), [])
            elif parent is not None and self.mapping.child_categories == "tags":
                parent_section, parent_tags = resolve(parent)
                result = (parent_section, parent_tags + [name])
            else:
                result = (self.section_for(decoded, name, term.description), [])
            done[term.slug] = result
            return result

        for term in terms:
            try:
                with transaction.atomic():
                    section_id, tag_names = resolve(term)
                    self.categories[term.slug] = (section_id, tag_names)
                    self._category_item(term, section_id, tag_names, [t.slug for t in ancestry(term)])
            except Exception as exc:  # noqa: BLE001
                self.forget_uncommitted()
                self.categories.pop(term.slug, None)
                for slug in [s for s, (section, _) in done.items() if section is not None and section not in self.sections]:
                    done.pop(slug)
                self.report.fail("category", decode_slug(term.slug), None, f"{type(exc).__name__}: {exc}")

    def _category_item(self, term, section_id, tag_names, slug_path):
        key = term_key(term.slug)
        known = self.item_map(WxrItem.CATEGORY, [key]).get(key)
        digest = hashlib.sha1(repr((section_id, tag_names, slug_path, self.mapping.digest)).encode()).hexdigest()
        if known and known.digest == digest:
            self.report.skip("category", "unchanged")
            return
        self.report.count("category", "updated" if known else "imported")
        if self.dry_run:
            return
        paths = term_paths(self.site, taxonomy="category", slug_path=slug_path, term_id=term.id)
        if tag_names:
            tag = Tag.objects.get(pk=self.tag_id(tag_names[-1]))
            self.write_redirects([(p, reverse("tag", args=[tag.slug])) for p in paths])
            self.remember(WxrItem.CATEGORY, key, tag, digest=digest)
        elif section_id:
            section = self.sections[section_id]
            self.write_redirects([(p, section) for p in paths])
            self.remember(WxrItem.CATEGORY, key, section, digest=digest)

    # ----------------------------------------------------------------- tags
    def tag_id(self, name: str) -> int:
        """Id of the taggit tag named ``name`` (created when missing; 0 in a dry run)."""
        name = unicodedata.normalize("NFC", " ".join(name.split()))[:100]
        hit = self.tag_ids.get(name)
        if hit is not None:
            return hit
        if self.dry_run:
            tag_id = Tag.objects.filter(name=name).values_list("pk", flat=True).first() or 0
        else:
            tag_id = Tag.objects.get_or_create(name=name)[0].pk
        self.tag_ids.put(name, tag_id)
        return tag_id

    def resolve_tags(self, prepared: list[Prepared]):
        """Replace tag names by ids for a batch: one query for the known, bulk creation for the new."""
        names = {n for p in prepared for n in p.tag_ids if isinstance(n, str) and n not in self.tag_ids}
        if names and not self.dry_run:
            for pk, name in Tag.objects.filter(name__in=names).values_list("pk", "name"):
                self.tag_ids.put(name, pk)
            missing = [n for n in names if n not in self.tag_ids]
            if missing:
                slugs = {n: Tag().slugify(n) for n in missing}
                taken = set(Tag.objects.filter(slug__in=list(slugs.values())).values_list("slug", flat=True))
                fresh, seen_slugs = [], set()
                for name in missing:
                    if slugs[name] and slugs[name] not in taken and slugs[name] not in seen_slugs:
                        fresh.append(Tag(name=name, slug=slugs[name]))
                        seen_slugs.add(slugs[name])
                Tag.objects.bulk_create(fresh)
                for pk, name in Tag.objects.filter(name__in=[t.name for t in fresh]).values_list("pk", "name"):
                    self.tag_ids.put(name, pk)
        for p in prepared:
            p.tag_ids = list(dict.fromkeys(self.tag_id(n) if isinstance(n, str) else n for n in p.tag_ids))

    def _import_tags(self):
        for term in self.index.terms("post_tag"):
            name = text_of(term.name) or decode_slug(term.slug)
            if not name:
                continue
            try:
                with transaction.atomic():
                    key = term_key(term.slug)
                    known = self.item_map(WxrItem.TAG, [key]).get(key)
                    if known and known.digest == name:
                        self.report.skip("tag", "unchanged")
                        continue
                    self.report.count("tag", "updated" if known else "imported")
                    if self.dry_run:
                        continue
                    tag = Tag.objects.get(pk=self.tag_id(name))
                    paths = term_paths(self.site, taxonomy="post_tag", slug_path=[term.slug], term_id=term.id)
                    self.write_redirects([(p, reverse("tag", args=[tag.slug])) for p in paths])
                    self.remember(WxrItem.TAG, key, tag, digest=name)
            except Exception as exc:  # noqa: BLE001
                self.forget_uncommitted()
                self.report.fail("tag", decode_slug(term.slug), None, f"{type(exc).__name__}: {exc}")

    # ---------------------------------------------------------------- items
    def handle_item(self, item: SourceItem):
        kind = item.post_type or "item"
        if item.post_id is None:
            self.report.fail("item", "?", item.line, "no WordPress id (wp:post_id missing, or in a foreign namespace)")
            return
        if kind == "attachment":
            self.handle_attachment(item)
            return
        if kind not in ("post", "page"):
            self.report.skip(kind, SKIPPED_POST_TYPES_REASON.format(kind))
            return
        status = (item.status or "publish").lower()
        if status in ("auto-draft", "inherit", "trash"):
            self.report.skip(kind, f"status {status!r}")
            return
        if kind == "page" and item.post_parent and not self._parent_page_ready(item):
            self.deferred_pages.append(item)
            return
        if kind == "post":
            self.batch.append(item)  # converted in flush(), after unchanged posts are weeded out
            if len(self.batch) >= self.batch_size:
                self.flush()
            return
        prepared = self.prepare_or_fail(item)
        if prepared is not None:
            self.write_one(prepared)

    def prepare_or_fail(self, item: SourceItem) -> Prepared | None:
        try:
            return self.prepare(item)
        except ItemError as exc:
            self.report.fail(item.post_type, item.post_id, item.line, str(exc))
        except Exception as exc:  # noqa: BLE001 - a converter bug must not stop the run
            self.forget_uncommitted()
            self.report.fail(item.post_type, item.post_id, item.line, f"cannot convert: {type(exc).__name__}: {exc}")
        return None

    def _parent_page_ready(self, item: SourceItem) -> bool:
        parent = self.index.post(item.post_parent)
        if parent is None or parent[0] != "page":
            return True  # parent not in the export (or not a page): the page goes under home
        if any(p.post_id == item.post_parent for p in self.deferred_pages):
            return False
        return self.dry_run or str(item.post_parent) in self.item_map(WxrItem.PAGE, [item.post_parent])

    def _finish_deferred_pages(self):
        pending = self.deferred_pages
        while pending:
            self.deferred_pages = []
            progress = False
            for item in pending:
                if self._parent_page_ready(item):
                    self.handle_item(item)
                    progress = True
                else:
                    self.deferred_pages.append(item)
            if not progress:  # parent never imported (failed): place under home
                for item in self.deferred_pages:
                    self.report.warn(f"page {item.post_id}: parent page {item.post_parent} was not imported; placed under the home page")
                    item.post_parent = 0
                    self.handle_item(item)
                break
            pending = self.deferred_pages

    # ------------------------------------------------------------- prepare
    def prepare(self, item: SourceItem) -> Prepared:
        report = self.report
        self.media.current_post = item.post_id
        self.media.incomplete = False
        converter = Converter(self.media, f"{self.site.scheme}://{self.site.netloc}", self.mapping.default_credit)
        body = converter.convert(item.content)
        stats = converter.stats
        report.figures += stats.figures
        report.embeds += stats.embeds
        report.unknown_blocks.update(stats.unknown_blocks)
        report.unknown_shortcodes.update(stats.unknown_shortcodes)
        report.dropped.update(stats.dropped)
        for label in stats.images_unavailable:
            report.missing_media(f"{label}: image not available, figure left out", item.post_id)
        for label in stats.figures_missing_alt:
            report.figures_missing_alt_count += 1
            if len(report.figures_missing_alt) < LIST_LIMIT:
                report.figures_missing_alt.append((item.post_id, label))
        for label in stats.figures_missing_credit:
            report.figures_missing_credit_count += 1
            if len(report.figures_missing_credit) < LIST_LIMIT:
                report.figures_missing_credit.append((item.post_id, label))

        title = plain_title(item.title)[:255]
        first_text = next((text_of(b["value"]) for b in body if b["type"] == "paragraph" and text_of(b["value"])), "")
        if not title:
            title = first_sentences(first_text, 120) or f"#{item.post_id}"
            report.warn(f"{item.post_type} {item.post_id} has no title; headline taken from its text: {title[:60]}")
        intro = excerpt_text(item.excerpt)
        if not intro and item.post_type == "post" and first_text:
            intro = first_sentences(first_text, 300)
            first_para = next(i for i, b in enumerate(body) if b["type"] == "paragraph" and text_of(b["value"]))
            if intro == first_text and len(body) > 1:
                body.pop(first_para)  # the standfirst is that paragraph: do not show it twice

        published, local = self.aware(item.post_date, item.post_date_gmt)
        modified, _ = self.aware(item.post_modified, item.post_modified_gmt)
        status = (item.status or "publish").lower()
        password = item.post_password
        live = status == "publish" and not password
        scheduled = published if status == "future" and published and published > timezone.now() else None
        if status == "future" and scheduled is None:
            live = not password  # a "future" post whose date has passed: WordPress would have published it
        restriction = None
        if password:
            restriction = (PageViewRestriction.PASSWORD, password[:255])
        elif status == "private":
            restriction = (PageViewRestriction.LOGIN, "")

        slug, changed = wagtail_slug(item.post_name, title, str(item.post_id))
        report.slugs_changed += int(changed)
        fields = {
            "title": title,
            "draft_title": title,
            "live": live,
            "has_unpublished_changes": not live,
            "first_published_at": published if live else None,
            "last_published_at": (modified or published) if live else None,
            "go_live_at": scheduled,
            "search_description": text_of(item.meta.get("_yoast_wpseo_metadesc", ""))[:2000],
            "seo_title": "" if "%%" in item.meta.get("_yoast_wpseo_title", "%%") else text_of(item.meta["_yoast_wpseo_title"])[:255],
            "body": body,
        }
        parent_id = None
        tag_ids: list = []
        author_ids: list[int] = []
        if item.post_type == "post":
            section_id, extra_tags = self.post_section(item)
            parent_id = section_id
            names = extra_tags + [text_of(n) or decode_slug(s) for d, s, n in item.terms if d == "post_tag"]
            seen: list[str] = []
            for name in names:
                name = unicodedata.normalize("NFC", " ".join(name.split()))[:100]
                if name and name not in seen:
                    seen.append(name)
            tag_ids = seen  # names; turned into ids for the whole batch in resolve_tags()
            author = self.author_for(item.creator)
            author_ids = [author] if author is not None else []
            lead_id, lead_alt, lead_caption = None, "", ""
            thumb = item.meta.get("_thumbnail_id", "")
            if thumb.strip().isdigit():
                ref = self.media.image(int(thumb), "")
                if ref is not None:
                    lead_id, lead_alt, lead_caption = ref.image_id or None, ref.alt, ref.caption
                    if not ref.alt:
                        report.figures_missing_alt_count += 1
                        if len(report.figures_missing_alt) < LIST_LIMIT:
                            report.figures_missing_alt.append((item.post_id, f"featured image {thumb}"))
                    if not ref.credit:
                        report.lead_images_missing_credit += 1
            fields.update(
                standfirst=intro,
                featured=item.is_sticky,
                # kept for private and protected posts too: if an editor publishes one, its date stays
                published_at=published if (live or scheduled or status in ("publish", "private", "future")) else None,
                updated_at=max(modified, published) if (live and modified and published) else (published if live else None),
                external_id=f"{self.key_prefix}{item.post_id}",
                lead_image_id=lead_id,
                lead_image_alt=lead_alt[:500],
                lead_image_caption=lead_caption[:1000],
            )
        else:
            fields.update(intro=intro, external_id=f"{self.key_prefix}page:{item.post_id}")

        paths = post_paths(
            self.site, post_id=item.post_id, post_type=item.post_type, link=item.link, guid=item.guid,
            slug_raw=item.post_name, local_date=local,
        )
        comments = [self.prepare_comment(item.post_id, c) for c in item.comments]
        return Prepared(
            wp_id=item.post_id, line=item.line, kind=item.post_type, fields=fields, slug=slug, slug_changed=changed,
            parent_id=parent_id, tag_ids=tag_ids, author_ids=author_ids, paths=paths, comments=comments,
            restriction=restriction, scheduled=scheduled, digest="" if self.media.incomplete else _digest(item, self.mapping.digest),
            wp_status=status, wp_url=item.link,
        )

    def post_section(self, item: SourceItem) -> tuple[int | None, list[str]]:
        """Primary section id and extra tag names from the post's categories (Yoast's primary first)."""
        cats = [(nicename, name) for domain, nicename, name in item.terms if domain == "category"]
        primary = item.meta.get("_yoast_wpseo_primary_category", "").strip()
        if primary:
            by_id = {t.id: t.slug for t in self.index.terms("category")} if cats else {}
            slug = by_id.get(primary)
            cats.sort(key=lambda c: c[0] != slug)
        section_id, tags = None, []
        for nicename, name in cats:
            target = self.categories.get(nicename)
            if target is None:  # a category missing from the channel list: resolve by name
                target = (self.section_for(decode_slug(nicename) or name, text_of(name) or decode_slug(nicename)), [])
                self.categories[nicename] = target
            cat_section, cat_tags = target
            tags.extend(cat_tags)
            if cat_section is not None and section_id is None:
                section_id = cat_section
            elif cat_section is not None and cat_section != section_id:
                tags.append(text_of(name) or decode_slug(nicename))  # secondary section kept as a tag
        if section_id is None:
            section_id = self.section_for(self.mapping.default_section)
        return section_id, tags

    def prepare_comment(self, post_id: int, c) -> dict:
        submitted, local = self.aware(c.date, c.date_gmt)
        content = nh3.clean(c.content or "", tags=COMMENT_TAGS, attributes={"a": {"href"}}, url_schemes={"http", "https", "mailto"}, link_rel="nofollow ugc noopener")
        return {
            "wp_id": c.id,
            "wp_post_id": post_id,
            "wp_parent_id": c.parent,
            "status": COMMENT_STATUS.get(c.approved.lower(), "pending"),
            "comment_type": (c.type or "comment")[:20],
            "author_name": text_of(c.author)[:255],
            "author_email": c.author_email[:254],
            "author_url": c.author_url[:500] if re.match(r"^https?://", c.author_url or "", re.I) else "",
            "author_ip": c.author_ip[:45],
            "wp_user_id": c.user_id,
            "submitted_at": submitted,
            "submitted_local": local.strftime("%Y-%m-%d %H:%M:%S") if local else "",
            "content": content,
            "meta": {k: v[:2000] for k, v in list(c.meta.items())[:50]},
        }

    # -------------------------------------------------------------- writing
    def flush(self):
        """Write the queued posts: unchanged ones skipped unread, new ones in one bulk transaction
        (retried one by one on error), changed ones updated one by one."""
        items, self.batch = self.batch, []
        if not items:
            return
        if self.trim_search_caches is not None:
            self.trim_search_caches()  # the search analyser's word caches: bounded memory over a long run
        known = self.item_map(WxrItem.POST, [i.post_id for i in items])
        alive = set(ArticlePage.objects.filter(pk__in=[k.object_id for k in known.values()]).values_list("pk", flat=True)) if known else set()
        todo, seen = [], set()
        for item in items:
            if item.post_id in seen:
                self.report.skip("post", "the same post id appears twice in the export")
                continue
            seen.add(item.post_id)
            mark = known.get(str(item.post_id))
            if mark is not None and mark.object_id in alive and mark.digest and not self.force:
                if mark.digest == _digest(item, self.mapping.digest):
                    self.report.skip("post", "unchanged since the last import")
                    continue
            todo.append(item)
        batch = [p for p in (self.prepare_or_fail(item) for item in todo) if p is not None]
        by_external = {}
        if not self.dry_run:
            externals = [p.fields["external_id"] for p in batch if str(p.wp_id) not in known]
            by_external = dict(ArticlePage.objects.filter(external_id__in=externals).values_list("external_id", "pk"))
        new, updates = [], []
        for p in batch:
            mark = known.get(str(p.wp_id))
            if mark is not None and mark.object_id in alive:
                updates.append((p, mark, mark.object_id))
            elif p.fields["external_id"] in by_external:
                updates.append((p, mark, by_external[p.fields["external_id"]]))
            else:
                new.append(p)
        if self.dry_run:
            self.report.count("post", "imported", len(new))
            self.report.count("post", "updated", len(updates))
            return
        self.resolve_tags(new + [p for p, _, _ in updates])
        if new:
            saved = self.report_checkpoint()
            try:
                with transaction.atomic():
                    self.write_new_posts(new)
            except Exception:  # noqa: BLE001 - find the bad item(s) one by one
                self.forget_uncommitted(saved)
                self.resolve_tags(new)
                for p in new:
                    saved = self.report_checkpoint()
                    try:
                        with transaction.atomic():
                            self.write_new_posts([p])
                    except Exception as exc:  # noqa: BLE001
                        self.forget_uncommitted(saved)
                        self.report.fail("post", p.wp_id, p.line, f"{type(exc).__name__}: {exc}")
        for p, item, page_id in updates:
            saved = self.report_checkpoint()
            try:
                with transaction.atomic():
                    self.update_page(p, item, ArticlePage.objects.get(pk=page_id))
            except ItemError as exc:
                self.report.skip("post", str(exc))
            except Exception as exc:  # noqa: BLE001
                self.forget_uncommitted(saved)
                self.report.fail("post", p.wp_id, p.line, f"{type(exc).__name__}: {exc}")

    def unique_slugs(self, parent: Page, prepared: list[Prepared]) -> list[str]:
        wanted = [p.slug for p in prepared]
        siblings = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        taken = set(siblings.filter(slug__in=wanted).values_list("slug", flat=True))
        used: set[str] = set()
        out = []
        for p in prepared:
            slug, n = p.slug, 1
            while slug in taken or slug in used:
                n += 1
                slug = with_suffix(p.slug, n)
                if siblings.filter(slug=slug).exists():
                    taken.add(slug)
            if slug != p.slug:
                self.report.slugs_changed += 1
            used.add(slug)
            out.append(slug)
        return out

    def build_article(self, p: Prepared, slug: str) -> ArticlePage:
        fields = dict(p.fields)
        page = ArticlePage(slug=slug, section_id=p.parent_id, **fields)
        for order, author_id in enumerate(p.author_ids):
            page.article_authors.add(ArticleAuthor(author_id=author_id, sort_order=order))
        for tag_id in p.tag_ids:
            page.tagged_items.add(ArticleTag(tag_id=tag_id))
        return page

    def write_new_posts(self, prepared: list[Prepared]):
        groups: dict[int, list[Prepared]] = defaultdict(list)
        for p in prepared:
            groups[p.parent_id].append(p)
        built = []
        for section_id, group in groups.items():
            section = self.sections[section_id]
            slugs = self.unique_slugs(section, group)
            built.append((section, group, [self.build_article(p, slug) for p, slug in zip(group, slugs, strict=True)]))
        live = [page for _, _, pages in built for page in pages if page.live] if self.search_index is not None else []
        if self.search_worker is not None:
            # akhbar's search index in the second process, once this batch has committed
            for section, group, pages in built:
                bulk_add_children(section, pages)
                self.after_write(group, pages, new=True)
            if live:
                sources = [self.search_index.source_for_page(page) for page in live]
                transaction.on_commit(partial(self.search_worker.submit, sources))
            self.report.count("post", "imported", len(prepared))
            return
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="wxr-search-analysis") as pool:
            # akhbar's search index, the whole batch at once: its text is analysed in a worker thread
            # (pure Python, no database) while the pages are written; the rows go in the same transaction.
            analysed = None
            if live:
                index = self.search_index
                analysed = pool.submit(index.analyse_batch, [index.source_for_page(page) for page in live])
            for section, group, pages in built:
                bulk_add_children(section, pages)
                self.after_write(group, pages, new=True)
            if analysed is not None:
                batch = analysed.result()
                for row, page in zip(batch.rows, live, strict=True):  # ids and dates exist only now
                    row.article_id, row.section_id = page.pk, page.section_id
                    row.published_at = page.published_at or page.first_published_at
                self.search_index.write_batch(batch)
        self.report.count("post", "imported", len(prepared))

    def after_write(self, prepared: list[Prepared], pages: list[Page], new: bool):
        """Everything that hangs off a written page: id map, redirects, comments, restrictions, schedule."""
        kind = WxrItem.POST if prepared[0].kind == "post" else WxrItem.PAGE
        content_type = self.content_types[type(pages[0])]
        redirects = []
        restrictions = []
        self.write_comments([(page, p.comments) for p, page in zip(prepared, pages, strict=True)])
        for p, page in zip(prepared, pages, strict=True):
            redirects.extend((path, page) for path in p.paths)
            if p.restriction and not PageViewRestriction.objects.filter(page=page).exists():
                restrictions.append(PageViewRestriction(page=page, restriction_type=p.restriction[0], password=p.restriction[1]))
            if p.scheduled:
                revision = page.save_revision(approved_go_live_at=p.scheduled, clean=False)
                page.latest_revision_id = revision.pk
        if new:
            insert_rows(
                WxrItem,
                [
                    WxrItem(
                        site=self.wxr_site, kind=kind, wp_id=str(p.wp_id), content_type=content_type, object_id=page.pk,
                        wp_status=p.wp_status[:20], wp_url=p.wp_url[:2000], digest=p.digest,
                        revision_id=getattr(page, "latest_revision_id", None),
                    )
                    for p, page in zip(prepared, pages, strict=True)
                ],
            )
        PageViewRestriction.objects.bulk_create(restrictions)
        self.write_redirects(redirects)

    def write_comments(self, pairs: list[tuple[Page, list[dict]]]):
        """Create or update the comments of several pages at once (threaded), then adopt them into the comments app.

        New rows are inserted parents first (one multi-row ``INSERT`` per
        thread level), so each reply's ``parent`` is set as it is written.
        Every row that is new, changed or not adopted yet (with ``force``: every
        row of the pages written, overwriting moderators' changes) goes to
        :func:`akhbar.ingest.comments.adopt` in the same transaction.
        """
        pairs = [(page, comments) for page, comments in pairs if comments]
        if not pairs:
            return
        ids = [c["wp_id"] for _, comments in pairs for c in comments]
        existing = {c.wp_id: c for c in ImportedComment.objects.filter(site=self.wxr_site, wp_id__in=ids)}
        created, changed, by_post = [], [], defaultdict(list)
        for page, comments in pairs:
            for data in comments:
                row = existing.get(data["wp_id"])
                if row is None:
                    row = ImportedComment(site=self.wxr_site, page=page, **data)
                    created.append(row)
                    self.report.count("comment", "imported")
                elif row.erased_at is not None:
                    self.report.skip("comment", "erased at the commenter's request")
                    continue
                else:
                    differs = any(getattr(row, k) != v for k, v in data.items()) or row.page_id != page.pk
                    for key, value in data.items():
                        setattr(row, key, value)
                    row.page = page
                    if differs:
                        changed.append(row)
                        self.report.count("comment", "updated")
                    else:
                        self.report.skip("comment", "unchanged")
                by_post[data["wp_post_id"]].append(row)
        # threading: all comments of a post come with it, so parents are among its own rows
        parent_of = {}
        for rows in by_post.values():
            by_id = {row.wp_id: row for row in rows}
            for row in rows:
                parent = by_id.get(row.wp_parent_id) if row.wp_parent_id else None
                parent_of[id(row)] = parent if parent is not row else None
        new = {id(row) for row in created}
        level: dict[int, int] = {}

        def level_of(row, seen=()):
            key = id(row)
            if key not in level:
                parent = parent_of.get(key)
                level[key] = 0 if parent is None or id(parent) not in new or key in seen else level_of(parent, (*seen, key)) + 1
            return level[key]

        for depth in sorted({level_of(row) for row in created}):
            layer = [row for row in created if level[id(row)] == depth]
            for row in layer:
                parent = parent_of.get(id(row))
                row.parent_id = parent.pk if parent is not None and (parent.pk or id(parent) not in new) else None
            insert_rows(ImportedComment, layer, returning=True)
        if changed:
            ImportedComment.objects.bulk_update(changed, list(pairs[0][1][0].keys()) + ["page"], batch_size=500)
        relinked = []
        for rows in by_post.values():
            for row in rows:
                if id(row) in new:
                    continue
                parent = parent_of.get(id(row))
                parent_id = parent.pk if parent is not None else None
                if row.parent_id != parent_id:
                    row.parent_id = parent_id
                    relinked.append(row)
        if relinked:
            ImportedComment.objects.bulk_update(relinked, ["parent"], batch_size=500)
        changed_ids = {id(row) for row in changed} | {id(row) for row in relinked}
        adopt_rows = [
            row for rows in by_post.values() for row in rows
            if self.force or id(row) in new or id(row) in changed_ids or row.adopted_at is None
        ]
        self.report.adoption(adopt_comments(adopt_rows, overwrite=self.force))

    def write_one(self, p: Prepared):
        """Pages (WordPress "pages" → ``StaticPage``): one at a time, parents first."""
        known = self.item_map(WxrItem.PAGE, [p.wp_id]).get(str(p.wp_id))
        if known is not None and not StaticPage.objects.filter(pk=known.object_id).exists():
            known = None
        if known is not None and known.digest and known.digest == p.digest and not self.force:
            self.report.skip("page", "unchanged since the last import")
            return
        if self.dry_run:
            self.report.count("page", "updated" if known else "imported")
            return
        saved = self.report_checkpoint()
        try:
            with transaction.atomic():
                if known is not None:
                    self.update_page(p, known, StaticPage.objects.get(pk=known.object_id))
                    return
                parent = self.home
                post = self.index.post(p.wp_id)
                if post and post[2]:
                    parent_item = self.item_map(WxrItem.PAGE, [post[2]]).get(str(post[2]))
                    if parent_item is not None:
                        parent = StaticPage.objects.filter(pk=parent_item.object_id).first() or self.home
                parent = Page.objects.get(pk=parent.pk)
                (slug,) = self.unique_slugs(parent, [p])
                if slug != p.slug:
                    self.report.warn(f"page {p.wp_id}: the slug {p.slug!r} is taken under {parent.url_path}; the page is at {slug!r}")
                page = StaticPage(slug=slug, **p.fields)
                bulk_add_children(parent, [page])
                self.after_write([p], [page], new=True)
                self.report.count("page", "imported")
        except ItemError as exc:
            self.report.skip("page", str(exc))
        except Exception as exc:  # noqa: BLE001
            self.forget_uncommitted(saved)
            self.report.fail("page", p.wp_id, p.line, f"{type(exc).__name__}: {exc}")

    def update_page(self, p: Prepared, item: WxrItem | None, page: Page):
        """Bring an imported page up to date with its changed WordPress source."""
        kind = p.kind
        if item is not None and item.revision_id != page.latest_revision_id and not self.force:
            raise ItemError("changed in akhbar since the last import (use --force to overwrite)")
        fields = dict(p.fields)
        fields.pop("external_id", None)
        for key, value in fields.items():
            setattr(page, key, value)
        if p.slug != page.slug and not Page.objects.child_of(page.get_parent()).filter(slug=p.slug).exclude(pk=page.pk).exists():
            page.slug = p.slug  # Wagtail's redirect app adds a redirect from the previous URL
        if kind == "post":
            page.article_authors = [ArticleAuthor(author_id=a, sort_order=i) for i, a in enumerate(p.author_ids)]
            page.tagged_items = [ArticleTag(tag_id=t) for t in p.tag_ids]
            if p.parent_id and page.get_parent().pk != p.parent_id:
                page.save(clean=False)
                page.move(self.sections[p.parent_id], pos="last-child")
                page.refresh_from_db()
                for key, value in fields.items():
                    setattr(page, key, value)
                page.section_id = p.parent_id
        page.save(clean=False)
        self.after_write([p], [page], new=False)
        WxrItem.objects.update_or_create(
            site=self.wxr_site, kind=WxrItem.POST if kind == "post" else WxrItem.PAGE, wp_id=str(p.wp_id),
            defaults={
                "content_type": self.content_types[type(page)], "object_id": page.pk, "digest": p.digest,
                "wp_status": p.wp_status[:20], "wp_url": p.wp_url[:2000], "revision_id": page.latest_revision_id,
            },
        )
        self.report.count(kind, "updated")

    # ---------------------------------------------------------- attachments
    def handle_attachment(self, item: SourceItem):
        attachment = self.index.attachment(item.post_id)
        if attachment is None:
            self.report.fail("attachment", item.post_id, item.line, "attachment without id")
            return
        known = self.item_map(WxrItem.ATTACHMENT, [item.post_id]).get(str(item.post_id))
        self.media.current_post = None
        try:
            with transaction.atomic():
                if is_image_name(attachment.file or attachment.url):
                    ref = self.media.image(item.post_id)
                    if ref is None:
                        self.report.skip("attachment", "file missing or unusable (listed under missing media)")
                        return
                    if known is not None and item.post_id not in self.media.imported_ids:
                        self.report.skip("attachment", "already imported")
                    if self.dry_run:
                        return
                    from akhbar.news.models import NewsImage

                    target = NewsImage.objects.get(pk=ref.image_id)
                elif known is not None and known.target is not None:
                    self.report.skip("attachment", "already imported")
                    target = known.target
                else:
                    try:
                        path = self.media.locate(attachment)
                    except MediaError as exc:
                        self.report.missing_media(f"{attachment.file or attachment.url}: {exc}", None)
                        self.report.skip("attachment", "file missing or unusable (listed under missing media)")
                        return
                    self.report.count("attachment", "imported")
                    if self.dry_run:
                        return
                    target = self.media.store_document(attachment, path)
                self.attachment_redirects(item, attachment, target.file.url)
        except Exception as exc:  # noqa: BLE001
            self.forget_uncommitted()
            self.report.fail("attachment", item.post_id, item.line, f"{type(exc).__name__}: {exc}")

    def attachment_redirects(self, item: SourceItem, attachment, file_url: str):
        """Old upload URL → the file now; attachment pages → their post, at the end of the run.

        The post an attachment belongs to often comes later in the file, so
        attachment-page redirects wait (in the scan database, not in memory)
        until every post is written; :meth:`_finish_attachment_redirects`
        points them to the post, or to the file when the post is not here.
        """
        redirects = []
        upload = upload_path(self.site, attachment.url)
        if upload:
            redirects.append((upload, file_url))
        self.write_redirects(redirects)
        paths = post_paths(self.site, post_id=item.post_id, post_type="attachment", link=item.link, guid="", slug_raw="", local_date=None)
        self.index.db.executemany(
            "INSERT INTO later_redirects VALUES (?, ?, ?)", [(path, file_url, attachment.parent or 0) for path in paths]
        )

    def _finish_attachment_redirects(self):
        if self.dry_run:
            return
        rows = self.index.db.execute("SELECT path, link, parent FROM later_redirects ORDER BY parent")
        while chunk := rows.fetchmany(500):
            parents = self.item_map(WxrItem.POST, {parent for _, _, parent in chunk if parent})
            pages = {p.pk: p for p in Page.objects.filter(pk__in=[i.object_id for i in parents.values()])}
            targets = []
            for path, link, parent in chunk:
                item = parents.get(str(parent))
                page = pages.get(item.object_id) if item is not None else None
                targets.append((path, page or link))
            try:
                with transaction.atomic():
                    self.write_redirects(targets)
            except Exception as exc:  # noqa: BLE001
                self.forget_uncommitted()
                self.report.warn(f"attachment redirects not written: {type(exc).__name__}: {exc}")


def import_wxr(path, **options) -> ImportReport:
    """Import the WXR file at ``path``; options as :class:`WxrImporter`. Raises :class:`WxrError` for unusable files."""
    return WxrImporter(path, **options).run()


__all__ = ["ImportReport", "WxrImporter", "import_wxr", "ItemError"]
