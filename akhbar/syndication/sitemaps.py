"""Sitemap files built from the database with bounded, aggregate queries.

Files (all under ``AKHBAR_BASE_URL``):

* ``/sitemap.xml`` — the index: the news sitemaps, the pages and author
  sitemaps and one entry per archive part.
* ``/sitemaps/news.xml`` (``news-2.xml`` …) — Google News: articles first
  published in the last 48 hours, at most 1,000 per file.
* ``/sitemaps/articles-YYYY-MM.xml`` (``-2.xml`` …) — every article by the
  month (site time zone) it was first published, at most
  ``AKHBAR_SITEMAP_MAX_URLS`` (≤ 50,000) per file; a month with more is split.
* ``/sitemaps/pages.xml`` — home and sections; ``/sitemaps/authors.xml`` (``-2`` …) — author pages.

The index needs one ``GROUP BY month`` query whatever the archive size; an
archive part reads one slice of one month through the ``published_at``
index, as ``values_list`` rows (never model instances). Stories whose
canonical URL is their original source are left out (sitemaps list canonical
URLs only), as are private pages.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from akhbar.news.models import ArticlePage, Author, NewsImage, SectionPage

from . import cache, links
from .sitemap_xml import MAX_NEWS_URLS, MAX_URLS, NewsInfo, Part, UrlEntry, archive_name, numbered_name, plan_parts

#: Google News takes articles published in the last two days.
NEWS_WINDOW = timedelta(hours=48)


def url_limit() -> int:
    """URLs per archive/author file: ``AKHBAR_SITEMAP_MAX_URLS`` capped at the protocol's 50,000."""
    return max(1, min(int(getattr(settings, "AKHBAR_SITEMAP_MAX_URLS", MAX_URLS)), MAX_URLS))


def news_limit() -> int:
    """URLs per news sitemap file (Google's maximum: 1,000)."""
    return max(1, min(int(getattr(settings, "AKHBAR_NEWS_SITEMAP_MAX_URLS", MAX_NEWS_URLS)), MAX_NEWS_URLS))


def points_to_source_q() -> Q:
    """Articles whose canonical URL is the original (mirror of ``ArticlePage.canonical_points_to_source``)."""
    return Q(canonical_is_source=True) & ~Q(source_url="") & ~Q(source_kind=ArticlePage.SOURCE_STAFF)


def sitemap_articles():
    """Live, public, published articles whose canonical URL is ours."""
    return ArticlePage.objects.live().public().filter(published_at__isnull=False).exclude(points_to_source_q())


def _image_url(storage, name: str | None) -> tuple[str, ...]:
    return (links.media_url(storage.url(name)),) if name else ()


def _storage():
    return NewsImage._meta.get_field("file").storage


# --- Monthly archive ------------------------------------------------------------


def month_bounds(year: int, month: int, tz=None) -> tuple[datetime, datetime]:
    """Aware ``[start, end)`` of a calendar month in ``tz`` (default: the site time zone)."""
    tz = tz or timezone.get_default_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def _summaries(**filters) -> list[tuple[tuple[int, int], int, datetime | None]]:
    tz = timezone.get_default_timezone()
    rows = (
        sitemap_articles()
        .filter(**filters)
        .annotate(month=TruncMonth("published_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"), changed=Max("updated_at"), published=Max("published_at"))
        .order_by("month")
    )
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime) and timezone.is_aware(month):
            month = month.astimezone(tz)
        changed = max(filter(None, [row["changed"], row["published"]]), default=None)
        result.append(((month.year, month.month), row["n"], changed))
    return result


def current_month(now=None) -> tuple[int, int]:
    local = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    return local.year, local.month


def month_summaries(now=None) -> list[tuple[tuple[int, int], int, datetime | None]]:
    """``[((year, month), article_count, newest_change), …]`` oldest first.

    Past months come from one ``GROUP BY month`` query over the archive,
    cached until an article dated before this month changes (``history``
    version) or the month ends; this month (and any later date) is counted
    live through the ``published_at`` index. So a publish costs the index one
    small range query, not a scan of a million rows.
    """
    this_month = current_month(now)
    start, _end = month_bounds(*this_month)
    history = cache.cached(
        f"months-before:{this_month[0]:04d}-{this_month[1]:02d}",
        (cache.ARCHIVE, cache.HISTORY),
        lambda: _summaries(published_at__lt=start),
        timeout=cache.ARCHIVE_TIMEOUT,
    )
    return list(history) + _summaries(published_at__gte=start)


def archive_parts(summaries=None) -> list[tuple[Part, datetime | None]]:
    """Every archive part with the newest change of its month, newest month first."""
    summaries = month_summaries() if summaries is None else summaries
    changed = {key: when for key, _count, when in summaries}
    parts = plan_parts([(key, count) for key, count, _when in summaries], url_limit())
    return sorted(((part, changed[part.group]) for part in parts), key=lambda item: (item[0].group, -item[0].number), reverse=True)


def archive_entries(year: int, month: int, number: int) -> list[UrlEntry] | None:
    """The URLs of archive part ``number`` of a month, oldest first; ``None`` when there is no such part."""
    limit = url_limit()
    if number < 1:
        return None
    start, end = month_bounds(year, month)
    offset = (number - 1) * limit
    rows = list(
        sitemap_articles()
        .filter(published_at__gte=start, published_at__lt=end)
        .order_by("published_at", "pk")
        .values_list("url_path", "updated_at", "published_at", "lead_image__file")[offset : offset + limit]
    )
    if not rows:
        return None
    paths, storage = links.PagePaths(), _storage()
    return [
        UrlEntry(loc=paths.url(url_path), lastmod=max(filter(None, [updated, published])), images=_image_url(storage, image))
        for url_path, updated, published, image in rows
    ]


# --- Google News ----------------------------------------------------------------


def news_window(now=None) -> tuple[datetime, datetime]:
    now = now or timezone.now()
    return now - NEWS_WINDOW, now


def news_queryset(now=None):
    start, end = news_window(now)
    return sitemap_articles().filter(published_at__gte=start, published_at__lte=end)


def news_summary(now=None) -> tuple[int, datetime | None]:
    """``(article_count, newest_publication)`` of the last 48 hours, in one query."""
    row = news_queryset(now).aggregate(n=Count("pk"), newest=Max("published_at"))
    return row["n"], row["newest"]


def news_entries(number: int = 1, now=None) -> list[UrlEntry] | None:
    """News sitemap part ``number`` (newest first); part 1 always exists (it may be empty)."""
    limit = news_limit()
    if number < 1:
        return None
    offset = (number - 1) * limit
    rows = list(
        news_queryset(now)
        .order_by("-published_at", "-pk")
        .values_list("url_path", "title", "published_at", "updated_at", "lead_image__file")[offset : offset + limit]
    )
    if not rows and number > 1:
        return None
    paths, storage = links.PagePaths(), _storage()
    name = settings.AKHBAR_NEWS_PUBLICATION_NAME
    return [
        UrlEntry(
            loc=paths.url(url_path),
            lastmod=max(filter(None, [updated, published])),
            images=_image_url(storage, image),
            news=NewsInfo(publication_name=name, language=links.CONTENT_LANGUAGE, publication_date=published, title=title),
        )
        for url_path, title, published, updated, image in rows
    ]


# --- Home, sections, authors ------------------------------------------------------


def page_entries() -> list[UrlEntry]:
    """Home and live sections; a section's lastmod is its newest story (one indexed query per section)."""
    from akhbar.news.models import HomePage

    paths = links.PagePaths()
    entries = []
    newest_overall = None
    sections = list(SectionPage.objects.live().public().order_by("sort_order", "title").values_list("pk", "url_path", "last_published_at"))
    section_entries = []
    for pk, url_path, last_published in sections:
        newest = (
            ArticlePage.objects.live().filter(section_id=pk).order_by("-published_at").values_list("published_at", flat=True).first()
        )
        lastmod = max(filter(None, [newest, last_published]), default=None)
        newest_overall = max(filter(None, [newest_overall, newest]), default=None)
        section_entries.append(UrlEntry(loc=paths.url(url_path), lastmod=lastmod))
    home = HomePage.objects.live().values_list("url_path", "last_published_at").first()
    if home:
        entries.append(UrlEntry(loc=paths.url(home[0]), lastmod=max(filter(None, [newest_overall, home[1]]), default=None)))
    return entries + section_entries


def author_count() -> int:
    return Author.objects.count()


def author_entries(number: int = 1) -> list[UrlEntry] | None:
    """Author pages, ``url_limit()`` per file, by id; ``None`` past the last part (part 1 always exists)."""
    limit = url_limit()
    if number < 1:
        return None
    offset = (number - 1) * limit
    slugs = list(Author.objects.order_by("pk").values_list("slug", flat=True)[offset : offset + limit])
    if not slugs and number > 1:
        return None
    return [UrlEntry(loc=links.named_url("author", slug)) for slug in slugs]


# --- Index -----------------------------------------------------------------------


def sitemap_url(stem: str) -> str:
    return links.absolute(f"/sitemaps/{stem}.xml")


def index_entries(now=None) -> list[tuple[str, datetime | None]]:
    """``(URL, lastmod)`` of every non-empty sitemap file, for ``/sitemap.xml``.

    The news and author sitemaps are listed only when they have URLs (an empty
    ``<urlset>`` is well formed but not valid against the sitemaps.org schema,
    which wants at least one ``<url>``); the pages sitemap always has the home page.
    """
    entries = []
    news_count, news_newest = news_summary(now)
    for number in range(1, -(-news_count // news_limit()) + 1):
        entries.append((sitemap_url(numbered_name("news", number)), news_newest))
    summaries = month_summaries()
    newest = max((when for _key, _n, when in summaries if when), default=None)
    entries.append((sitemap_url("pages"), newest))
    for number in range(1, -(-author_count() // url_limit()) + 1):
        entries.append((sitemap_url(numbered_name("authors", number)), None))
    for part, changed in archive_parts(summaries):
        year, month = part.group
        entries.append((sitemap_url(archive_name(year, month, part.number)), changed))
    return entries
