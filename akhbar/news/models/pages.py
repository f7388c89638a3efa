"""The page tree: ``HomePage`` → ``SectionPage`` → ``ArticlePage``.

An article's parent section is its *primary section*; it is also stored in
``ArticlePage.section`` together with ``published_at`` so that section
listings use one composite index (``section``, ``-published_at``) and stay
fast at a million articles.
"""

import re
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, TitleFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import ArticleBodyBlock
from ..forms import NewsPageForm
from ..slugs import MAX_SLUG_CHARS, MAX_SLUG_ENCODED, encoded_length, make_slug


class RestrictionsMixin:
    """Skip Wagtail's two view-restriction queries when no ancestor is restricted (cached list)."""

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        from ..queries import restricted_paths

        paths = restricted_paths()
        if self.alias_of_id or any(self.path.startswith(p) for p in paths):
            return super().get_view_restrictions()
        return PageViewRestriction.objects.none()


_SERVE_TAIL = re.compile(r"(?:[\w\-]+/)*")  # wagtail.urls serve_pattern (WAGTAIL_APPEND_SLASH)
_serve_prefixes: dict = {}


def _serve_prefix() -> str:
    """``reverse("wagtail_serve", args=[""])`` (``/`` or ``/en/``), memoised per language, script prefix and URLconf."""
    key = (get_language(), get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    prefix = _serve_prefixes.get(key)
    if prefix is None:
        prefix = _serve_prefixes[key] = reverse("wagtail_serve", args=[""])
    return prefix


_quoted_tails: dict = {}
_MAX_QUOTED_TAILS = 50_000


def _quoted_tail(tail: str) -> str | None:
    """``tail`` (a page path below its site root) quoted as ``reverse()`` quotes it, or ``None`` when
    it is not what ``wagtail_serve`` matches. Memoised (a pure function of the string; Arabic paths
    are ~60 UTF-8 bytes, each quoted in Python: ~40 µs, and a listing links ~30 pages)."""
    quoted = _quoted_tails.get(tail, False)
    if quoted is False:
        quoted = quote(tail, safe=RFC3986_SUBDELIMS + "/~:@") if _SERVE_TAIL.fullmatch(tail) else None
        if len(_quoted_tails) >= _MAX_QUOTED_TAILS:
            _quoted_tails.clear()
        _quoted_tails[tail] = quoted
    return quoted


class UrlMixin:
    """``get_url_parts`` without a ``reverse()`` per link (``{% pageurl %}``, ``page.url``).

    Wagtail reverses ``wagtail_serve`` for every page URL it builds (~40 µs; a
    section page links 30 pages). With one site, no Wagtail i18n and the
    default trailing slash, the result is the reversed prefix of the active
    language plus the page's path quoted exactly as ``reverse`` quotes it
    (RFC 3986 ``pchar``); any other case is left to Wagtail.
    """

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        """Wagtail's site root paths from this worker's copy (``memo.site_root_paths``), kept on
        ``cache_object`` (the request) as Wagtail does; without one, nothing is kept on the page."""
        if kwargs:
            return super()._get_site_root_paths(cache_object, **kwargs)
        if cache_object is not None:
            try:
                return cache_object._wagtail_cached_site_root_paths
            except AttributeError:
                pass
        from ..memo import site_root_paths

        paths = site_root_paths()
        if cache_object is not None:
            cache_object._wagtail_cached_site_root_paths = paths
        return paths

    def get_url(self, request=None, current_site=None):
        """Wagtail's ``Page.get_url``: with a single site root path, the page's local path, which
        Wagtail returns then whatever the current site (it looks the site up first, then
        builds the URL parts and counts the sites: three passes over the root paths per link)."""
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) and WAGTAIL_APPEND_SLASH:
            paths = self._get_site_root_paths(request)
            if len(paths) == 1 and self.url_path.startswith(paths[0].root_path):
                quoted = _quoted_tail(self.url_path[len(paths[0].root_path) :])
                if quoted is not None:
                    return _serve_prefix() + quoted
        return super().get_url(request, current_site)

    def get_url_parts(self, request=None):
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not WAGTAIL_APPEND_SLASH:
            return super().get_url_parts(request)
        possible_sites = self._get_relevant_site_root_paths(request)
        if len(possible_sites) != 1:
            return super().get_url_parts(request)
        site_id, root_path, root_url, _language = possible_sites[0]
        quoted = _quoted_tail(self.url_path[len(root_path) :])
        if quoted is None:
            return super().get_url_parts(request)
        return (site_id, root_url, _serve_prefix() + quoted)


class HomePage(UrlMixin, RestrictionsMixin, Page):
    """The front page: a lead story and the latest stories of each section."""

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage", "news.StaticPage"]

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Find ``/section/`` without a query and ``/section/article/`` with one (Wagtail walks the
        tree: two queries per level); anything else, or no match, falls back to Wagtail's routing.

        The section comes from the live sections (``queries.sections_in_order``, the worker's
        copy); the article query then needs no join to the section's two tables, which made
        PostgreSQL spend ~2 ms planning it. The section's comment switch (its ``mode``, all that
        article pages read of it) comes in the same query as a subquery.
        """
        if len(path_components) == 2 and all(path_components):
            section = self._child_section(path_components[0])
            if section is not None:
                found = list(_ARTICLE_IN_SECTION(path_components[1], section.pk, static=(self.depth, self.path)))
                if found:
                    article = found[0]
                    _attach_route_facts(article, section)
                    return article.route(request, [])
        elif len(path_components) == 1 and path_components[0]:
            section = self._child_section(path_components[0])
            if section is not None:
                return section.route(request, [])
        return super().route(request, path_components)

    def _child_section(self, slug):
        """The live section ``slug`` directly under this home page (``None`` if there is none)."""
        from ..queries import sections_in_order

        for section in sections_in_order():
            if section.slug == slug and section.depth == self.depth + 1 and section.path.startswith(self.path):
                return section
        return None

    def get_context(self, request, *args, **kwargs):
        from ..queries import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self))
        return context


class SectionPage(UrlMixin, RestrictionsMixin, Page):
    """A section of the paper (سياسة، اقتصاد، رياضة ...); lists its articles newest first."""

    base_form_class = NewsPageForm

    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    corpus_labels = models.CharField(
        _("corpus labels"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated source labels (e.g. economy) whose articles are filed here."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order in navigation"), default=100)

    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]
    content_panels = Page.content_panels + [FieldPanel("name_en"), FieldPanel("description")]
    promote_panels = Page.promote_panels + [FieldPanel("corpus_labels"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    @property
    def display_name(self) -> str:
        """The section's name in the active interface language."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.title

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = paginate(request, SectionArchive(self.pk, section=self))
        return context


class SectionArchive:
    """The live articles of a section, newest first, as a sequence for ``Paginator``.

    Equivalent to ``ArticlePage.objects.listing().filter(section=...)`` but
    built for deep archives (a million articles): the count and the page's
    ids come from an index-only scan of ``article_section_listing`` with the
    (few) unpublished pages excluded through the partial index
    ``news_page_not_live`` (no per-row join), then the 20 cards are loaded
    by primary key. Page 5,000 of a 160,000-article section costs an index
    walk, not 100,000 joins (see docs/benchmarks.md, "Archive scale").
    """

    def __init__(self, section_id: int, section=None):
        self.section_id = section_id
        self.section = section  # the SectionPage itself, set on the cards (no join); optional

    def ids(self):
        """Queryset of article ids (``values_list``) in listing order."""
        return _section_ids(self.section_id)

    #: Sections larger than this keep their count for ``COUNT_TTL`` seconds (a page number, not content).
    CACHE_COUNT_ABOVE = 10_000
    COUNT_TTL = 60

    def count(self) -> int:
        """Live articles in the section: exact below ``CACHE_COUNT_ABOVE``; above it, an exact
        count taken at most ``COUNT_TTL`` seconds ago (counting 300,000 index entries costs
        ~100 ms, the listing itself does not depend on it)."""
        from ..queries import _shared_cache

        key = f"news:section-count:{self.section_id}"
        cached = _shared_cache().get(key)
        if cached is not None:
            return cached
        n = _count_section(self.section_id)
        if n > self.CACHE_COUNT_ABOVE:
            _shared_cache().set(key, n, self.COUNT_TTL)
        return n

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        from ..queries import cards_by_pk

        if index.step is None and index.start is not None and index.stop is not None and 0 <= index.start < index.stop:
            ids = list(_SECTION_IDS(self.section_id, static=(index.start, index.stop)))  # compiled once per (start, stop)
        else:
            ids = list(self.ids()[index])
        cards = cards_by_pk(ids) if self.section is not None else ArticlePage.objects.listing().filter(pk__in=ids)
        found = {a.pk: a for a in cards}
        result = [found[pk] for pk in ids if pk in found]
        if self.section is not None:
            for article in result:
                article.section = self.section
        return result


def paginate(request, queryset, per_page: int | None = None):
    """Return the Django ``Page`` for ``?page=N``; raises ``Http404`` past the end.

    Uses one ``COUNT`` and one ``LIMIT/OFFSET`` query.
    """
    paginator = Paginator(queryset, per_page or settings.AKHBAR_SECTION_PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage) as exc:
        if request.GET.get("page") in (None, "", "1"):
            return paginator.page(1) if paginator.count else paginator.get_page(1)
        raise Http404("No such page") from exc


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticleQuerySet(PageQuerySet):
    def listing(self):
        """Live articles, newest first, with what a card shows (section, lead image and renditions, comment count)."""
        return (
            self.filter(live=True)
            .select_related("section", "lead_image", "reader_discussion")
            .prefetch_related("lead_image__renditions")  # card images: one query, not one per card
            .defer("body")
            .order_by("-published_at", "-pk")
        )


    def cards(self):
        """``listing()`` without the section join, for pages that already hold the sections
        (``queries.attach_sections``), and without the columns no card shows (``CARD_DEFERRED``:
        editorial state, revisions, SEO and source fields): fewer columns to read, convert and set.
        Reading a deferred field works but costs a query per object."""
        return self.listing().select_related(None).select_related("lead_image", "reader_discussion").defer(*CARD_DEFERRED)


#: Columns of an article that story cards (home, section pages, related stories) never read.
CARD_DEFERRED = (
    "body", "latest_revision_id", "has_unpublished_changes", "first_published_at", "last_published_at",
    "live_revision_id", "go_live_at", "expire_at", "expired", "locked", "locked_at", "locked_by_id", "draft_title",
    "owner_id", "latest_revision_created_at", "show_in_menus", "seo_title", "search_description",
    "dateline", "byline", "lead_image_caption", "source_kind", "source_name", "source_url", "source_licence",
    "canonical_is_source", "updated_at", "external_id",
)


class ArticleManager(PageManager.from_queryset(ArticleQuerySet)):
    pass


class ArticlePage(UrlMixin, RestrictionsMixin, Page):
    """A news story. ``title`` is the headline.

    Source credit (``source_*``) is required for wire and translated items:
    see ``clean``.
    """

    base_form_class = NewsPageForm

    SOURCE_STAFF = "staff"
    SOURCE_WIRE = "wire"
    SOURCE_TRANSLATION = "translation"
    SOURCE_SYNDICATED = "syndicated"
    SOURCE_KINDS = [
        (SOURCE_STAFF, _("Our newsroom")),
        (SOURCE_WIRE, _("Wire agency")),
        (SOURCE_TRANSLATION, _("Translated from another outlet")),
        (SOURCE_SYNDICATED, _("Republished from another outlet")),
    ]

    kicker = models.CharField(_("kicker"), max_length=100, blank=True, help_text=_("Short label above the headline; defaults to the section."))
    standfirst = models.TextField(_("standfirst"), help_text=_("One or two sentences under the headline; also used in feeds and share cards."))
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    dateline = models.CharField(_("dateline"), max_length=255, blank=True, help_text=_("Where the story was filed, e.g. القاهرة"))
    byline = models.CharField(_("byline credit"), max_length=255, blank=True, help_text=_("Agency or outlet credit when there is no named author, e.g. رويترز"))
    lead_image = models.ForeignKey("news.NewsImage", verbose_name=_("lead image"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lead_image_alt = models.CharField(_("lead image alt text"), max_length=500, blank=True)
    lead_image_caption = models.CharField(_("lead image caption"), max_length=1000, blank=True)

    source_kind = models.CharField(_("source"), max_length=20, choices=SOURCE_KINDS, default=SOURCE_STAFF)
    source_name = models.CharField(_("source name"), max_length=255, blank=True)
    source_url = models.URLField(_("original URL"), max_length=2000, blank=True)
    source_licence = models.CharField(_("licence"), max_length=255, blank=True)
    canonical_is_source = models.BooleanField(
        _("original is the canonical page"),
        default=False,
        help_text=_(
            "Tick when the licence asks that search engines index the original story: "
            "the page's canonical link then points to the original URL and the story is left out of the sitemaps."
        ),
    )

    section = models.ForeignKey("news.SectionPage", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("first published"), null=True, blank=True, help_text=_("Set automatically on first publication."))
    updated_at = models.DateTimeField(_("last updated"), null=True, blank=True)
    external_id = models.CharField(_("import key"), max_length=255, null=True, blank=True, unique=True, editable=False)
    featured = models.BooleanField(
        _("featured"), default=False, help_text=_("Keep at the top of the front page (WordPress's \"sticky\" posts).")
    )

    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))

    objects = ArticleManager()

    parent_page_types = ["news.SectionPage"]
    subpage_types = []

    content_panels = [
        FieldPanel("kicker"),
        TitleFieldPanel("title", heading=_("Headline")),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [InlinePanel("article_authors", label=_("Author")), FieldPanel("byline"), FieldPanel("dateline")],
            heading=_("Byline and dateline"),
        ),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_alt"), FieldPanel("lead_image_caption")], heading=_("Lead image")),
        FieldPanel("body"),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("source_kind"), FieldPanel("source_name"), FieldPanel("source_url"), FieldPanel("source_licence"), FieldPanel("canonical_is_source")],
            heading=_("Source credit"),
        ),
        InlinePanel(
            "corrections",
            heading=_("Corrections"),
            label=_("Correction"),
            help_text=_("Append a dated correction when a published story was wrong; never delete an earlier one."),
        ),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("featured"), FieldPanel("published_at"), FieldPanel("updated_at")]

    search_fields = Page.search_fields + [index.SearchField("standfirst"), index.SearchField("body")]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # Listings order by (-published_at, -pk): the pk in the index makes the order total, so
        # LIMIT/OFFSET walks the index without a sort (home, section pages; bench/scale).
        indexes = [
            models.Index(fields=["section", "-published_at", "-page_ptr"], name="article_section_listing"),
            models.Index(fields=["-published_at", "-page_ptr"], name="article_listing"),
            # Sitemap month ranges and the 48-hour news sitemap (akhbar.syndication) use ("-published_at", ...) above.
        ]

    @property
    def headline(self) -> str:
        return self.title

    @property
    def lead_alt(self) -> str:
        """Alt text of the lead image (its own field, else the image's description)."""
        return self.lead_image_alt or (self.lead_image.description if self.lead_image else "")

    @property
    def canonical_points_to_source(self) -> bool:
        """True when the canonical URL is the original story's (``source_url``), not ours.

        Only for stories from elsewhere whose licence asks for it (``canonical_is_source``).
        """
        return bool(self.canonical_is_source and self.source_url and self.source_kind != self.SOURCE_STAFF)

    @property
    def was_updated(self) -> bool:
        """True when the story changed more than five minutes after first publication."""
        return bool(self.updated_at and self.published_at and (self.updated_at - self.published_at).total_seconds() > 300)

    def full_clean(self, *args, **kwargs):
        # Over-long slugs (pasted or auto-generated from a long headline) are cut between words.
        if self.slug and (len(self.slug) > MAX_SLUG_CHARS or encoded_length(self.slug) > MAX_SLUG_ENCODED):
            self.slug = make_slug(self.slug) or self.slug[:MAX_SLUG_CHARS]
        super().full_clean(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.source_kind != self.SOURCE_STAFF and not self.source_name:
            errors["source_name"] = _("Wire, translated and republished stories must name their source.")
        if self.source_kind in (self.SOURCE_TRANSLATION, self.SOURCE_SYNDICATED) and not self.source_url:
            errors["source_url"] = _("Link to the original story.")
        if self.canonical_is_source and (self.source_kind == self.SOURCE_STAFF or not self.source_url):
            errors["canonical_is_source"] = _("Only a story from another outlet, with its original URL, can point search engines to the original.")
        if self.lead_image and not self.lead_alt:
            errors["lead_image_alt"] = _("Describe the lead image for readers who cannot see it.")
        if self.lead_image and not self.lead_image.credit:
            errors["lead_image"] = _("The lead image has no photo credit; add one to the image.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None and self.section_id != parent.pk:
            self.section_id = parent.pk
        if self.live:
            now = timezone.now()
            if self.published_at is None:
                self.published_at = self.first_published_at or now
            if self.last_published_at and (self.updated_at is None or self.last_published_at > self.updated_at):
                self.updated_at = self.last_published_at
            if self.updated_at is None:
                self.updated_at = self.published_at
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..queries import article_context

        context = super().get_context(request, *args, **kwargs)
        context.update(article_context(self))
        return context


class ArticleAuthor(Orderable):
    """Byline order: the authors of an article, first named first."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey("news.Author", on_delete=models.CASCADE, related_name="article_links")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        unique_together = [("page", "author")]


class StaticPage(UrlMixin, Page):
    """A standing page of the site that is not news: about us, editorial team, privacy policy.

    Lives under the home page (or under another static page, for a
    hierarchy such as من نحن › فريق التحرير), so its URL is ``/<slug>/`` —
    the same path a WordPress page had. No dates, authors or section.
    """

    base_form_class = NewsPageForm

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    external_id = models.CharField(_("import key"), max_length=255, null=True, blank=True, unique=True, editable=False)

    parent_page_types = ["news.HomePage", "news.StaticPage"]
    subpage_types = ["news.StaticPage"]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("static page")
        verbose_name_plural = _("static pages")


# --- hot queries compiled once per process (news/prepared.py) ---------------------------
def _section_ids(section_id):
    not_live = Page.objects.filter(live=False).values("pk")
    return (
        ArticlePage.objects.filter(section_id=section_id)
        .exclude(pk__in=not_live)
        .order_by("-published_at", "-page_ptr_id")
        .values_list("page_ptr_id", flat=True)
    )


def _count_section(section_id) -> int:
    """``_section_ids(section_id).count()`` with the SQL compiled once per process."""
    from django.db import connections

    sql, params, alias = _SECTION_ID_ROWS.sql(section_id)
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS section_ids", params)
        return cursor.fetchone()[0]


def _article_in_section(home_depth, home_path, slug, section_id):
    """The live article ``slug`` of section ``section_id`` under the home page at ``home_path``
    (0 or 1 row), with the section's comment switch (``_section_comment_mode``) and whether the
    article has tags, authors and corrections (``_has_*``: most have none, and then the page
    needs no query for them; see ``_attach_route_facts``)."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef, Subquery

    section_mode = _discussion_model().objects.filter(page_id=OuterRef("section_id")).values("mode")[:1]
    correction = apps.get_model("syndication", "Correction")
    return (
        ArticlePage.objects.live()
        .filter(depth=home_depth + 2, path__startswith=home_path, slug=slug, section_id=section_id)
        .select_related("lead_image", "reader_discussion")
        .annotate(
            _section_comment_mode=Subquery(section_mode),
            _has_tags=Exists(ArticleTag.objects.filter(content_object_id=OuterRef("pk"))),
            _has_authors=Exists(ArticleAuthor.objects.filter(page_id=OuterRef("pk"))),
            _has_corrections=Exists(correction.objects.filter(page_id=OuterRef("pk"))),
        )[:1]
    )


#: Set on an article loaded by the routing query when it has no tags / no authors (``queries.article_context``).
NO_TAGS = "_akhbar_no_tags"
NO_AUTHORS = "_akhbar_no_authors"


def _attach_route_facts(article, section) -> None:
    """Set ``article.section`` (a live section object of this request), the section's comment
    switch as ``select_related("section__reader_discussion")`` would, and the empty relations
    the routing query found (no tags, no authors, no corrections) so nothing queries them again."""
    facts = article.__dict__
    mode = facts.pop("_section_comment_mode", None)
    article.section = section
    related = Page.reader_discussion.related
    if mode is None:
        related.set_cached_value(section, None)  # the section has no comment switch row
    else:
        related.set_cached_value(section, _discussion_model()(page_id=section.pk, mode=mode))
    if facts.pop("_has_tags", True) is False:
        facts[NO_TAGS] = True
    if facts.pop("_has_authors", True) is False:
        facts[NO_AUTHORS] = True
    if facts.pop("_has_corrections", True) is False:
        facts["_akhbar_corrections"] = []  # syndication.content.corrections_of's memo


def _discussion_model():
    """The comments app's ``Discussion`` (the comment switch of a page, ``Page.reader_discussion``)."""
    from django.apps import apps

    return apps.get_model("comments", "Discussion")


from ..prepared import PreparedQuery  # noqa: E402

_ARTICLE_IN_SECTION = PreparedQuery(_article_in_section, ["\x00akhbar-slug", -7_000_000_001])
_SECTION_ID_ROWS = PreparedQuery(lambda section_id: _section_ids(section_id).order_by(), [-7_000_000_001])
_SECTION_IDS = PreparedQuery(lambda start, stop, section_id: _section_ids(section_id)[start:stop], [-7_000_000_001])
