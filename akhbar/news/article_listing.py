"""The newsroom's article list in the Wagtail admin (menu *Article list*, ``/admin/articles/``).

Wagtail's page explorer lists a section's children with an exact ``COUNT(*)``
over ``wagtailcore_page`` and orders by last edit; at 300,000 articles in one
section that alone costs most of a second. This listing is built from
Wagtail's own ``PageListingViewSet`` (table, columns, filters drill-down,
bulk actions, edit / view / more buttons, "add" through *choose parent*) with
these changes that keep it fast at a million articles:

* **Order**: newest first on ``(published_at DESC NULLS FIRST, page_ptr DESC)``,
  exactly the ``article_listing`` / ``article_section_listing`` indexes (news
  migration 0002), so page N is an index walk, not a sort. Never-published
  drafts (no ``published_at``) come first, newest draft first.
* **Count** (``listing_count``): no exact ``COUNT(*)`` of the archive. With no
  filter and no search (and a user who sees every section), PostgreSQL's own
  row estimate of ``news_articlepage`` (``pg_class.reltuples``, kept by
  autovacuum / ``ANALYZE``) is shown as "about N"; otherwise the rows are
  counted up to a cap (``COUNT_CAP`` + 1, raised to the requested page) and
  shown as "more than 10,000" past it (headline searches: 1,000). "Next"
  always works: the cap follows the page asked for.
* **Scope**: the articles a user may explore, as Wagtail's explorer decides it
  (``explorable_instances``: every page under a page where the user's groups
  hold add / change / publish / lock / unlock / bulk-delete), expressed as tree-path
  prefixes on the listed rows instead of an ``IN`` over a million page ids
  (and no filter at all for a user who reaches every section).
* **Paging** (``IdsFirst``): a page's 50 ids come from ``news_articlepage``
  alone when no filter needs the page table, then the rows load by primary
  key; "live" / "draft" go through the partial index of unpublished pages.

Filters: section, status (live / draft / scheduled / in workflow), author,
publication date range; search is ``icontains`` on the headline as editors
see it (``draft_title``), served on PostgreSQL by a trigram index (news
migration 0005).

``SectionExplorerView`` / ``ArticlePageViewSet`` give Wagtail's own explorer of
a section the same capped count (it is otherwise Wagtail's). Numbers:
docs/benchmarks.md, "Archive scale".
"""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.forms import CheckboxSelectMultiple, RadioSelect, Select
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.ui.tables.pages import BulkActionsColumn, PageStatusColumn, PageTitleColumn
from wagtail.admin.views.pages.listing import ExplorableIndexView, IndexView
from wagtail.admin.viewsets.pages import PageListingViewSet, PageViewSet
from wagtail.models import Page, Revision, WorkflowState, get_default_page_content_type
from wagtail.permission_policies.pages import PagePermissionPolicy

from .dates import in_calendar
from .models import ArticlePage, Author, SectionPage

#: Filtered listings count at most this many rows (plus one, to know there are more).
COUNT_CAP = 10_000
#: Headline searches count at most this many: each match is a heap read of the page table (the
#: trigram index needs a recheck), and "more than 1,000 matches" says enough.
SEARCH_COUNT_CAP = 1_000
#: Rows per page.
PER_PAGE = 50
#: Page actions that make a page (and everything under it) explorable in Wagtail's admin.
EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


# --- Counting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListingCount:
    """How many rows a listing has.

    ``value`` is what the paginator uses; ``kind`` says how far to trust it:
    ``"exact"``, ``"at_least"`` (the count stopped at ``value``, there are more
    than ``value - 1``) or ``"about"`` (a database estimate).
    """

    value: int
    kind: str = "exact"

    @property
    def label(self) -> str:
        """The count as shown to editors: ``1,234``, "more than 10,000", "about 1,000,000".

        Digits are grouped by three with a comma in every language (Django's Arabic
        number format has no grouping, and "حوالي 999322" is hard to read).
        """
        if self.kind == "at_least":
            return gettext("more than %(count)s") % {"count": f"{self.value - 1:,}"}
        if self.kind == "about":
            return gettext("about %(count)s") % {"count": f"{self.value:,}"}
        return f"{self.value:,}"

    def __str__(self) -> str:
        return self.label


def table_row_estimate(model) -> int | None:
    """PostgreSQL's estimate of the rows in ``model``'s own table (``pg_class.reltuples``).

    One catalogue lookup, no table access. ``None`` on other databases, and when
    the table has never been vacuumed or analysed (``reltuples`` is -1 then).
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        row = cursor.fetchone()
    if row is None or row[0] is None or row[0] < 0:
        return None
    return int(row[0])


def listing_count(
    queryset, *, page_number: int = 1, per_page: int = PER_PAGE, estimate: bool = False, cap: int | None = None
) -> ListingCount:
    """Count ``queryset`` without counting a million rows.

    With ``estimate=True`` (the caller knows the queryset is the whole table)
    and PostgreSQL's row estimate above the cap, returns that estimate
    (``kind="about"``, one catalogue query). Otherwise counts at most
    ``max(cap, page_number * per_page) + 1`` rows (``cap`` defaults to
    ``COUNT_CAP``; one ``SELECT COUNT(*) FROM (… LIMIT n)`` query): below that
    the count is exact, at it the result is ``kind="at_least"`` and the page
    asked for plus one more page stay reachable.
    """
    page_number = max(1, page_number)
    limit = max(COUNT_CAP if cap is None else cap, page_number * per_page) + 1
    if estimate:
        about = table_row_estimate(queryset.model)
        if about is not None and about >= limit:
            return ListingCount(about, "about")
    n = queryset.order_by()[:limit].count()
    return ListingCount(n, "at_least" if n >= limit else "exact")


class CountedPaginator(WagtailPaginator):
    """Wagtail's paginator with a count given in advance (a ``ListingCount``), never ``COUNT(*)``."""

    def __init__(self, object_list, per_page, *, listing_count: ListingCount, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.listing_count = listing_count

    @cached_property
    def count(self):
        return self.listing_count.value

    @cached_property
    def items_count_label(self):
        return f"{self.listing_count.label} {self.verbose_name_plural}"


class IdsFirst:
    """A listing as a sequence for ``Paginator``: a page's ids first, then its rows by primary key.

    ``ids`` is the filtered, ordered queryset; a slice of it is read as
    ``values_list("pk")`` — when no filter touches ``wagtailcore_page`` that is
    an index-only walk of ``news_articlepage`` (page 3,000 of a section skips
    150,000 index entries, not 150,000 joins). ``rows`` (annotated, any order)
    then loads those ≤ 50 pages, returned in listing order. The same two steps
    as ``SectionArchive`` on the public site.
    """

    def __init__(self, ids, rows):
        self.ids = ids.values_list("pk", flat=True)
        self.rows = rows.order_by()
        self.model = rows.model

    def __len__(self):
        raise TypeError("IdsFirst has no length: give the paginator a ListingCount")

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = list(self.ids[index])
        found = {row.pk: row for row in self.rows.filter(pk__in=ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]


# --- Who sees what ----------------------------------------------------------------------------------

_policy = PagePermissionPolicy()


def explorable_paths(user) -> list[str] | None:
    """Tree-path prefixes under which ``user`` may explore pages; ``None`` means everything.

    Mirrors Wagtail's ``PagePermissionPolicy.explorable_instances`` for pages
    that have no children (articles): a page is explorable when one of the
    user's group page permissions for an ``EXPLORE_ACTIONS`` action sits on
    it or an ancestor. An inactive user gets ``[]`` (nothing). Uses the
    policy's per-request permission cache (one query per request).
    """
    if not user.is_active:
        return []
    if user.is_superuser:
        return None
    codenames = _policy._get_permission_codenames(EXPLORE_ACTIONS)
    paths = sorted({perm.page.path for perm in _policy.get_cached_permissions_for_user(user) if perm.permission.codename in codenames})
    # Drop paths that lie under another one (a permission on the home page covers its sections).
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def paths_q(paths: list[str]) -> Q:
    """``Q`` matching pages under any of ``paths``; matches nothing for ``[]``."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return q


def sees_every_article(user, paths: list[str] | None) -> bool:
    """True when ``paths`` (from ``explorable_paths``) cover every section (one small query)."""
    if paths is None:
        return True
    if not paths:
        return False
    return not SectionPage.objects.exclude(paths_q(paths)).exists()


# --- Filters ----------------------------------------------------------------------------------------

STATUS_LIVE = "live"
STATUS_DRAFT = "draft"
STATUS_SCHEDULED = "scheduled"
STATUS_IN_WORKFLOW = "in_workflow"


def scheduled_article_ids() -> list[int]:
    """Ids of pages with a revision approved to go live later (``approved_go_live_at``, indexed)."""
    ids = Revision.page_revisions.filter(approved_go_live_at__isnull=False).values_list("object_id", flat=True)
    return sorted({int(i) for i in ids})


def in_workflow_article_ids() -> list[int]:
    """Ids of pages in a workflow that is in progress or waiting for changes."""
    states = WorkflowState.objects.active().filter(base_content_type=get_default_page_content_type())
    return sorted({int(i) for i in states.values_list("object_id", flat=True)})


class BoundedDateRangeField(django_filters.fields.DateRangeField):
    """A date range whose ends lie in years 2–9998: dates at the very edge of Python's calendar
    overflow once moved to UTC (a 500 instead of a form error)."""

    def compress(self, data_list):
        for day in data_list or ():
            if day and not in_calendar(day):
                raise ValidationError(_("Enter a date between the years 2 and 9998."), code="out_of_range")
        return super().compress(data_list)


class BoundedDateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    """``DateFromToRangeFilter`` with ``BoundedDateRangeField``."""

    field_class = BoundedDateRangeField


class ArticleFilterSet(WagtailFilterSet):
    """Section, status, author and publication dates; every filter keeps the listing on an index."""

    section = django_filters.ModelMultipleChoiceFilter(
        label=_("Section"),
        queryset=lambda request: SectionPage.objects.order_by("sort_order", "title"),
        widget=CheckboxSelectMultiple,
        distinct=False,  # no join, no duplicates: DISTINCT would sort the whole section
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Any"),
        choices=[
            (STATUS_LIVE, _("Live")),
            (STATUS_DRAFT, _("Draft")),
            (STATUS_SCHEDULED, _("Scheduled")),
            (STATUS_IN_WORKFLOW, _("In workflow")),
        ],
        widget=RadioSelect,
        method="filter_status",
    )
    author = django_filters.ModelChoiceFilter(
        label=_("Author"),
        queryset=lambda request: Author.objects.order_by("name"),
        widget=Select,
        method="filter_author",
    )
    published_at = BoundedDateFromToRangeFilter(label=_("Published"), widget=DateRangePickerWidget)

    class Meta:
        model = ArticlePage
        fields = []

    def filter_status(self, queryset, name, value):
        """live: published (may have newer draft changes); scheduled: a revision approved to go live;
        in workflow: under review; draft: none of these."""
        # "Not live" goes through the partial index ``news_page_not_live`` (few rows) instead of a
        # join to every page: the listing stays an index walk of news_articlepage.
        not_live = Page.objects.filter(live=False).values("pk")
        if value == STATUS_LIVE:
            return queryset.exclude(pk__in=not_live)
        if value == STATUS_SCHEDULED:
            return queryset.filter(pk__in=scheduled_article_ids())
        if value == STATUS_IN_WORKFLOW:
            return queryset.filter(pk__in=in_workflow_article_ids())
        if value == STATUS_DRAFT:
            return queryset.filter(pk__in=not_live).exclude(pk__in=scheduled_article_ids() + in_workflow_article_ids())
        return queryset

    def filter_author(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(article_authors__author=value)


# --- The view ---------------------------------------------------------------------------------------


def author_names(article) -> str:
    """The byline: authors in order (prefetched), else the agency credit."""
    names = [link.author.name for link in article.article_authors.all()]
    return "، ".join(names) if names else article.byline


class CountedListingMixin:
    """Give a Wagtail page listing view a ``ListingCount`` (see ``listing_count``) instead of ``COUNT(*)``."""

    paginator_class = CountedPaginator
    listing_count = None

    def requested_page_number(self) -> int:
        try:
            return max(1, int(self.request.GET.get(self.page_kwarg, 1)))
        except (TypeError, ValueError):
            return 1

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = self.listing_count
        if count is not None and context.get("is_paginated"):
            # Wagtail shows "1-50 of N articles": N is a label when the count is not exact.
            context["items_count"] = count.value if count.kind == "exact" else count.label
        return context


class ArticleIndexView(CountedListingMixin, IndexView):
    """Wagtail's flat page listing for ``ArticlePage`` with index-friendly order and a cheap count."""

    page_title = _("Article list")
    template_name = "news/admin/article_list.html"  # no "select all pages in listing" (see the template)
    paginate_by = PER_PAGE
    paginator_class = CountedPaginator
    default_ordering = "-published_at"
    search_backend_name = None  # headline ``icontains`` (trigram index), not Wagtail's search index

    ORDERINGS = {
        "-published_at": (F("published_at").desc(nulls_first=True), F("page_ptr_id").desc()),
        "published_at": (F("published_at").asc(nulls_last=True), F("page_ptr_id").asc()),
        "-latest_revision_created_at": (F("latest_revision_created_at").desc(nulls_last=True), F("page_ptr_id").desc()),
        "latest_revision_created_at": (F("latest_revision_created_at").asc(nulls_first=True), F("page_ptr_id").asc()),
    }

    @cached_property
    def scope_paths(self):
        return explorable_paths(self.request.user)

    @cached_property
    def sees_everything(self):
        """The user reaches every section: no path filter needed (and the estimate may be shown)."""
        return sees_every_article(self.request.user, self.scope_paths)

    def get_valid_orderings(self):
        return list(self.ORDERINGS)

    def get_ordering(self):
        ordering = self.request.GET.get("ordering", self.default_ordering)
        return ordering if ordering in self.ORDERINGS else self.default_ordering

    def order_queryset(self, queryset):
        return queryset.order_by(*self.ORDERINGS[self.ordering])

    def get_base_queryset(self):
        """The articles this user may explore, unannotated (annotations come after counting)."""
        articles = ArticlePage.objects.all()
        if not self.sees_everything:
            articles = articles.filter(paths_q(self.scope_paths))
        return articles

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(draft_title__icontains=self.search_query)

    def get_queryset(self):
        self.filtered_queryset = super().get_queryset()
        return self.annotate_queryset(self.filtered_queryset)

    def annotate_queryset(self, pages):
        """What a row shows, for 50 rows in a fixed number of queries (no ``.specific()``: these are articles)."""
        from django.conf import settings

        pages = pages.select_related("section").prefetch_related("article_authors__author").defer_streamfields()
        if getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            pages = pages.prefetch_workflow_states()
        return pages.annotate_site_root_state().annotate_approved_schedule()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        whole = not (self.is_filtering or self.is_searching) and self.sees_everything
        self.listing_count = listing_count(
            self.filtered_queryset,
            page_number=self.requested_page_number(),
            per_page=per_page,
            estimate=whole,
            cap=SEARCH_COUNT_CAP if self.is_searching else None,
        )
        return self.paginator_class(
            IdsFirst(self.filtered_queryset, queryset),
            per_page,
            listing_count=self.listing_count,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
        )


class SectionExplorerView(CountedListingMixin, ExplorableIndexView):
    """Wagtail's page explorer of a section (``/admin/pages/<section>/``), unchanged but for the count.

    Wagtail counts every child (a sequential scan of ``wagtailcore_page`` at
    300,000 stories); here the children are counted up to ``COUNT_CAP`` + 1
    ("more than 10,000"), the cap following the page asked for. Searches that
    go through Wagtail's search backend keep its own count.
    """

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if not isinstance(queryset, QuerySet):
            return super().get_paginator(queryset, per_page, orphans=orphans, allow_empty_first_page=allow_empty_first_page, **kwargs)
        self.listing_count = listing_count(queryset, page_number=self.requested_page_number(), per_page=per_page)
        return self.paginator_class(
            queryset, per_page, listing_count=self.listing_count, orphans=orphans, allow_empty_first_page=allow_empty_first_page
        )


class ArticlePageViewSet(PageViewSet):
    """Wagtail's views for ``ArticlePage`` (edit, add, history ... as Wagtail ships them); only the
    explorer of its parents — the sections — is ``SectionExplorerView``."""

    model = ArticlePage
    name = "article_pages"
    index_view_class = SectionExplorerView


class ArticleListingMenuItem(MenuItem):
    """Shown to users who may explore pages (the newsroom roles, superusers)."""

    def is_shown(self, request):
        return _policy.user_has_any_permission(request.user, EXPLORE_ACTIONS)


class ArticleListingViewSet(PageListingViewSet):
    """``/admin/articles/``: every article newest first, filterable, 50 a page (see module docstring)."""

    model = ArticlePage
    index_view_class = ArticleIndexView
    filterset_class = ArticleFilterSet
    icon = "doc-full-inverse"
    menu_label = _("Article list")
    menu_name = "article-list"
    menu_order = 110
    add_to_admin_menu = True
    name = "articles"
    list_per_page = PER_PAGE
    ordering = "-published_at"
    columns = [
        BulkActionsColumn("bulk_actions"),
        PageTitleColumn("title", label=_("Headline"), classname="title"),
        Column("section", label=_("Section"), accessor="section", width="12%"),
        Column("authors", label=_("Authors"), accessor=author_names, width="14%"),
        PageStatusColumn("status", label=_("Status"), width="10%"),
        DateColumn("published_at", label=_("Published"), sort_key="published_at", width="12%"),
        DateColumn("latest_revision_created_at", label=_("Last edited"), sort_key="latest_revision_created_at", width="12%"),
    ]

    @property
    def menu_item_class(self):
        return ArticleListingMenuItem


def listing_url(**params) -> str:
    """URL of the article list with filters, e.g. ``listing_url(section=12)``."""
    url = reverse("articles:index")
    return f"{url}?{urlencode(params, doseq=True)}" if params else url
