"""Read-side queries for the public site, each bounded (no scan of the archive).

Every function here issues a fixed number of SQL queries whatever the size of
the archive or of an article (blocks, tags, authors); tests assert the budget.
"""

from django.conf import settings
from django.core.cache import caches
from django.db.models import prefetch_related_objects

from .memo import forget, memoized
from .models import ArticleAuthor, ArticlePage, SectionPage
from .models.pages import CARD_DEFERRED, NO_AUTHORS, NO_TAGS
from .prepared import PreparedQuery

HOME_LATEST_PER_SECTION = 4
TOP_STORIES = 5  # the lead story and the next four
RELATED_COUNT = 4
SECTIONS_KEY = "news:sections-in-order"
RESTRICTED_KEY = "news:restricted-paths"
SHARED_TTL = 300  # seconds; a safety net only, changes invalidate at once (see forget_sections)


def _shared_cache():
    """The cache shared by all workers (``edge``: Redis or files), else ``default``."""
    return caches["edge" if "edge" in settings.CACHES else "default"]


def sections_in_order():
    """Live sections in navigation order: one query, then cached until a section changes
    (``forget_sections``); this worker's copy while the shared generation is unchanged (``memo``)."""
    return list(memoized("sections", _shared_sections))


def _shared_sections():
    sections = _shared_cache().get(SECTIONS_KEY)
    if sections is None:
        sections = list(SectionPage.objects.live().order_by("sort_order", "title"))
        _shared_cache().set(SECTIONS_KEY, sections, SHARED_TTL)
    return sections


def forget_sections(**kwargs) -> None:
    """Drop the cached section list in every worker (connected to section publish/unpublish/move/delete)."""
    forget(SECTIONS_KEY)


def restricted_paths() -> tuple:
    """Tree paths of pages with a view restriction (private/password): cached, usually empty."""
    return memoized("restricted-paths", _shared_restricted_paths)


def _shared_restricted_paths() -> tuple:
    paths = _shared_cache().get(RESTRICTED_KEY)
    if paths is None:
        from wagtail.models import PageViewRestriction

        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        _shared_cache().set(RESTRICTED_KEY, paths, SHARED_TTL)
    return paths


def forget_restrictions(**kwargs) -> None:
    """Drop the cached restricted paths in every worker (connected to PageViewRestriction save/delete)."""
    forget(RESTRICTED_KEY)


def article_images(article) -> list:
    """The lead image and the images of the figure blocks of ``article`` (figure images: one query, StreamField bulk load)."""
    images = [article.lead_image] if article.lead_image_id and article.lead_image else []
    for block in article.body:
        if block.block_type == "figure" and block.value.get("image") is not None:
            images.append(block.value["image"])
    return images


def prefetch_article_images(article, extra=()) -> None:
    """Load the renditions of the lead image and of every figure of ``article`` in one query.

    ``extra``: more images (e.g. the related cards' lead images) loaded in the same query.
    """
    images = article_images(article) + [image for image in extra if image is not None]
    if images:
        prefetch_related_objects(images, "renditions")


def attach_sections(articles, sections=None) -> None:
    """Set ``article.section`` from ``sections`` (default: the cached ``sections_in_order()``) for
    cards loaded with ``ArticlePage.objects.cards()``; an article of a section not in the list
    keeps the ordinary lazy relation."""
    by_pk = {s.pk: s for s in (sections_in_order() if sections is None else sections)}
    for article in articles:
        section = by_pk.get(article.section_id)
        if section is not None:
            article.section = section


def home_context(home) -> dict:
    """Lead story, next stories and the latest per section for the front page.

    Returns ``{"lead": ArticlePage|None, "top": [ArticlePage], "section_blocks": [(SectionPage, [ArticlePage])]}``.
    Three queries: the ids (one ``UNION ALL``), the cards, their renditions.
    """
    sections = sections_in_order()
    # One query for the newest stories overall and every section's newest: each
    # subquery walks a (-published_at) index for a few rows, whatever the archive size.
    per_section = HOME_LATEST_PER_SECTION + TOP_STORIES
    rows = newest_per_section([s.pk for s in sections], per_section, overall=TOP_STORIES)
    latest_ids = [pk for pk, section_id in rows if section_id is None]
    shown = set(latest_ids)
    chosen: dict = {}
    for pk, section_id in rows:
        if section_id is None:
            continue
        picked = chosen.setdefault(section_id, [])
        if pk not in shown and len(picked) < HOME_LATEST_PER_SECTION:
            picked.append(pk)
    wanted = latest_ids + [pk for pks in chosen.values() for pk in pks]
    found = {a.pk: a for a in cards_by_pk(wanted)}
    attach_sections(found.values(), sections)
    latest = [found[pk] for pk in latest_ids if pk in found]
    lead, top = (latest[0], latest[1:]) if latest else (None, [])
    section_blocks = []
    for section in sections:
        stories = [found[pk] for pk in chosen.get(section.pk, []) if pk in found]
        if stories:
            section_blocks.append((section, stories))
    return {"lead": lead, "top": top, "section_blocks": section_blocks}


def newest_per_section(section_ids, limit: int, overall: int = 0) -> list[tuple[int, int | None]]:
    """``(article id, section id)`` of the ``limit`` newest live articles of each section, one query.

    With ``overall`` > 0, also the ``overall`` newest live articles of the
    whole site, first, as ``(article id, None)``.

    ``UNION ALL`` of one ``ORDER BY … LIMIT`` subquery per section (on PostgreSQL
    one ``LATERAL`` subquery per section id), each a short walk of the
    ``article_section_listing`` index (an ``OR`` of ``IN``-subqueries makes
    PostgreSQL scan the whole archive instead).
    Written as SQL: compiling six ORM querysets cost more than running them.
    Same rows as ``ArticlePage.objects.listing().filter(section_id=...)``
    (and ``listing()[:overall]``).
    """
    from django.db import connection
    from wagtail.models import Page

    if not section_ids and not overall:
        return []
    article, page = ArticlePage._meta.db_table, Page._meta.db_table
    select = f"SELECT a.page_ptr_id, a.section_id FROM {article} a INNER JOIN {page} p ON p.id = a.page_ptr_id WHERE p.live"
    order = "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s"
    if connection.vendor == "postgresql":
        # One LATERAL subquery over the sections as an array, without parameters: the section ids
        # and limits (whole numbers from the database and the code, never input) are written in,
        # so the prepared statement's plan is reused as it is. The UNION ALL below, or this with
        # "$n" parameters, was re-planned on every request (~2 ms): PostgreSQL priced its generic
        # plan higher than the custom ones.
        dated = select.replace("a.section_id FROM", "a.section_id, a.published_at FROM", 1)
        ids = ", ".join(str(int(pk)) for pk in section_ids) or "NULL"
        newest = "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT "
        sql = (
            f"SELECT t.page_ptr_id, NULL::bigint, 0 AS ord, t.published_at FROM ({dated} {newest}{int(overall)}) AS t "
            f"UNION ALL SELECT n.page_ptr_id, n.section_id, s.ord, n.published_at FROM unnest(ARRAY[{ids}]::bigint[]) WITH ORDINALITY AS s(id, ord) "
            f"CROSS JOIN LATERAL ({dated} AND a.section_id = s.id {newest}{int(limit)}) AS n "
            "ORDER BY 3, 4 DESC, 1 DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [(row[0], row[1]) for row in cursor.fetchall()]
    parts, params = [], []
    if overall:
        parts.append(f"SELECT page_ptr_id, NULL AS section_id FROM ({select} {order}) AS top_stories")
        params.append(overall)
    for n, section_id in enumerate(section_ids):
        parts.append(f"SELECT * FROM ({select} AND a.section_id = %s {order}) AS s{n}")
        params += [section_id, limit]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return [(row[0], row[1]) for row in cursor.fetchall()]


def article_context(article: ArticlePage) -> dict:
    """Authors (in byline order), tags and related stories of the same section.

    The renditions of the article's images and of the related cards' images come in one query.
    """
    no_tags, no_authors = article.__dict__.get(NO_TAGS), article.__dict__.get(NO_AUTHORS)  # set by routing
    authors = [] if no_authors else [link.author for link in _AUTHORS(article.pk)]
    related = []
    if article.section_id:
        related = list(_RELATED(article.section_id, article.pk))
        for card in related:
            card.section = article.section
    prefetch_article_images(article, extra=[card.lead_image for card in related if card.lead_image_id])
    return {
        "section": article.section if article.section_id else None,
        "authors": authors,
        "article_tags": [] if no_tags else list(article.tags.all()),
        "related": related,
    }


def cards_by_pk(ids) -> list:
    """``ArticlePage.objects.cards().filter(pk__in=ids)`` (any order), compiled once per number of ids,
    with only the card renditions of the lead images (the home and section pages show nothing else:
    ``renditions.attach_card_renditions``). The ids are matched on ``wagtailcore_page.id``
    (:func:`_by_page_ids`)."""
    from .renditions import attach_card_renditions

    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    if len(ids) > _MAX_PREPARED_IN:
        cards = list(_by_page_ids(ArticlePage.objects.cards().prefetch_related(None), ids))
    else:
        prepared = _CARDS_BY_PK.get(len(ids))
        if prepared is None:
            sentinels = [-7_000_000_000 - n for n in range(len(ids))]
            prepared = _CARDS_BY_PK.setdefault(
                len(ids), PreparedQuery(lambda *pks: _by_page_ids(ArticlePage.objects.cards().prefetch_related(None), pks), sentinels)
            )
        cards = list(prepared(*ids))
    attach_card_renditions([card.lead_image for card in cards if card.lead_image_id])
    return cards


def live_articles_by_pk(ids) -> list:
    """``ArticlePage.objects.live().filter(pk__in=ids)`` (any order; with the body, without the other
    columns no card reads, ``CARD_DEFERRED``) with their sections attached from ``sections_in_order()``:
    compiled once per number of ids, no join. For search results (a card with a text snippet)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    if len(ids) > _MAX_PREPARED_IN:
        found = list(_by_page_ids(_live_with_body(), ids))
    else:
        prepared = _LIVE_BY_PK.get(len(ids))
        if prepared is None:
            sentinels = [-7_000_000_000 - n for n in range(len(ids))]
            prepared = _LIVE_BY_PK.setdefault(len(ids), PreparedQuery(lambda *pks: _by_page_ids(_live_with_body(), pks), sentinels))
        found = list(prepared(*ids))
    attach_sections(found)
    return found


def _by_page_ids(queryset, ids):
    """``queryset.filter(pk__in=ids)`` for an ``ArticlePage`` queryset, written on the parent table's
    ``wagtailcore_page.id`` rather than ``news_articlepage.page_ptr_id`` (the same rows). PostgreSQL
    does not carry an ``IN`` list across a join: on the child's key it scanned every row of
    ``wagtailcore_page`` to hash-join 31 home cards (0.68 ms executing, warm, at 2,000 articles,
    growing with the archive); on the parent's key both tables are read by primary key (0.17 ms).

    Django writes ``filter(id__in=...)`` on the child's key too (it trims the join), so the lookup
    names the parent table's column in the query (``Col``) when the query joins that table, as
    every live-article queryset does (``live`` is the parent's); otherwise it is ``pk__in``."""
    from django.db.models.expressions import Col
    from django.db.models.lookups import In
    from wagtail.models import Page

    table = Page._meta.db_table
    alias = next((a for a, join in queryset.query.alias_map.items() if join.table_name == table), None)
    if alias is None:
        return queryset.filter(pk__in=ids)
    return queryset.filter(In(Col(alias, Page._meta.pk), list(ids)))


def _live_with_body():
    return ArticlePage.objects.live().defer(*[name for name in CARD_DEFERRED if name != "body"])


_MAX_PREPARED_IN = 100
_CARDS_BY_PK: dict = {}
_LIVE_BY_PK: dict = {}
_AUTHORS = PreparedQuery(
    lambda page_id: ArticleAuthor.objects.filter(page_id=page_id).select_related("author").order_by("sort_order"), [-7_000_000_001]
)
_RELATED = PreparedQuery(
    lambda section_id, pk: ArticlePage.objects.cards().prefetch_related(None).filter(section_id=section_id).exclude(pk=pk)[:RELATED_COUNT],
    [-7_000_000_001, -7_000_000_002],
)


def articles_by_author(author):
    return ArticlePage.objects.listing().filter(article_authors__author=author)


def articles_by_tag(tag):
    return ArticlePage.objects.listing().filter(tagged_items__tag=tag)


__all__ = [
    "article_context",
    "articles_by_author",
    "articles_by_tag",
    "attach_sections",
    "cards_by_pk",
    "forget_restrictions",
    "forget_sections",
    "home_context",
    "live_articles_by_pk",
    "newest_per_section",
    "prefetch_article_images",
    "restricted_paths",
    "sections_in_order",
]
