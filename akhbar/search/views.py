"""The public search page ``/search/?q=`` and the JSON API ``/api/search/?q=&page=``.

Query parameters (both views): ``q`` (words; "quoted words" must appear
together), ``page`` (1-based), ``section`` (section slug), ``author`` and
``tag`` (slug or exact name), ``from`` / ``to`` (``YYYY-MM-DD``, inclusive),
``sort`` (``relevance`` or ``newest``). The API's answer is documented in
``docs/api.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from taggit.models import Tag

from akhbar.news.dates import in_calendar
from akhbar.news.models import Author, SectionPage
from akhbar.news.queries import live_articles_by_pk, sections_in_order

from . import result_html
from .engine import SORTS, Filters, search
from .highlight import highlight, matcher, snippet
from .indexer import html_to_text
from .suggest import suggest

PER_PAGE = 10
MAX_PAGE = 1000
MAX_QUERY_LENGTH = 200


class BadRequest(ValueError):
    """A parameter that cannot be understood; ``str(err)`` says which."""


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadRequest(_("%(name)s must be a date like 2018-05-21.") % {"name": name}) from None
    if not in_calendar(day):
        raise BadRequest(_("%(name)s must be a date like 2018-05-21.") % {"name": name})
    return day


@dataclass
class SearchForm:
    """The parsed query string; ``section``, ``author`` and ``tag`` are model instances or None."""

    q: str = ""
    page: int = 1
    sort: str = "relevance"
    section: SectionPage | None = None
    author: Author | None = None
    tag: Tag | None = None
    date_from: date | None = None
    date_to: date | None = None
    section_slug: str = ""
    author_text: str = ""
    tag_text: str = ""

    @classmethod
    def from_request(cls, request) -> SearchForm:
        get = request.GET
        form = cls(q=" ".join(get.get("q", "").split())[:MAX_QUERY_LENGTH])
        try:
            form.page = int(get.get("page") or 1)
        except ValueError:
            raise BadRequest(_("page must be a whole number.")) from None
        if not 1 <= form.page <= MAX_PAGE:
            raise BadRequest(_("page is out of range."))
        form.sort = get.get("sort") or "relevance"
        if form.sort not in SORTS:
            raise BadRequest(_("sort must be relevance or newest."))
        form.date_from = _date(get.get("from", ""), "from")
        form.date_to = _date(get.get("to", ""), "to")
        form.section_slug = get.get("section", "").strip()
        if form.section_slug:
            form.section = SectionPage.objects.live().filter(slug=form.section_slug).first()
        form.author_text = get.get("author", "").strip()[:255]
        if form.author_text:
            form.author = Author.objects.filter(Q(slug=form.author_text) | Q(name=form.author_text)).first()
        form.tag_text = get.get("tag", "").strip()[:100]
        if form.tag_text:
            form.tag = Tag.objects.filter(Q(slug=form.tag_text) | Q(name=form.tag_text)).first()
        return form

    @property
    def unknown_filter(self) -> bool:
        """A filter was given that names nothing: no article can match."""
        return bool(
            (self.section_slug and not self.section)
            or (self.author_text and not self.author)
            or (self.tag_text and not self.tag)
        )

    def filters(self) -> Filters:
        return Filters(
            section_id=self.section.pk if self.section else None,
            author_id=self.author.pk if self.author else None,
            tag_id=self.tag.pk if self.tag else None,
            date_from=self.date_from,
            date_to=self.date_to,
        )


class ResultsPage:
    """What the pagination template needs (the interface of Django's ``Page``)."""

    def __init__(self, number: int, count: int, per_page: int):
        self.number = number
        self.count = count
        self.num_pages = max(1, -(-count // per_page))
        self.paginator = self

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def run_search(form: SearchForm):
    """Search and load the live articles of one page, in result order."""
    if not form.q or form.unknown_filter:
        return None, []
    results = search(form.q, filters=form.filters(), sort=form.sort, page=form.page, per_page=PER_PAGE)
    by_id = {p.pk: p for p in live_articles_by_pk(results.ids)}  # prepared query, sections from the cached list
    return results, [by_id[i] for i in results.ids if i in by_id]


def paragraph_texts(article) -> list[str]:
    """The plain text of each paragraph block of ``article.body``, in order (for snippets). Read
    from the stored JSON (``raw_data``: a paragraph's value is its HTML source) without turning
    every block into its value object."""
    return [html_to_text(block["value"]) for block in article.body.raw_data if block.get("type") == "paragraph" and block.get("value")]


@require_GET
def search_page(request):
    """``/search/``: the results page (HTML)."""
    try:
        form = SearchForm.from_request(request)
        error = None
    except BadRequest as exc:
        form, error = SearchForm(q=" ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]), str(exc)
    results, articles = (None, []) if error else run_search(form)
    items = []
    if results is not None:
        matches = matcher(results.plan)  # one per page: it remembers each word's answer
        for article in articles:
            paragraphs = paragraph_texts(article)
            item = {
                "article": article,
                "headline": highlight(article.title, results.plan, matches),
                "snippet": snippet([article.standfirst, *paragraphs], results.plan, matches=matches),
            }
            item["html"] = result_html.render(item, request)
            items.append(item)
    suggestion = None
    if results is not None and results.count == 0:
        suggestion = suggest(results.plan)
    context = {
        "form": form,
        "error": error,
        "results": results,
        "items": items,
        "page_obj": ResultsPage(form.page, results.count if results else 0, PER_PAGE),
        "start_number": (form.page - 1) * PER_PAGE + 1,
        "suggestion": suggestion,
        "sections": sections_in_order(),
        "search_query": form.q,
        "sorts": [("relevance", _("Relevance")), ("newest", _("Newest first"))],
    }
    status = 400 if error else 200
    return render(request, "search/search_page.html", context, status=status)


@require_GET
def search_api(request):
    """``/api/search/``: ``{"count": N, "results": [{"url", "headline", "standfirst", "section", "published"}]}``.

    Ten results a page, best first. Errors answer 400 with ``{"error": message}``.
    """
    try:
        form = SearchForm.from_request(request)
    except BadRequest as exc:
        return JsonResponse({"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
    results, articles = run_search(form)
    payload = {
        "count": results.count if results else 0,
        "results": [
            {
                "url": request.build_absolute_uri(article.url) if article.url else "",
                "headline": article.title,
                "standfirst": article.standfirst,
                "section": article.section.title if article.section_id else None,
                "published": article.published_at.isoformat() if article.published_at else None,
            }
            for article in articles
        ],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
