"""Public comment views.

``/comments/<article id>/``        published comments, page by page (cacheable, no form token)
``/comments/<article id>/new/``    the form page: never cached, with CSRF token and form token printed
``/comments/<article id>/post/``   where both forms post (CSRF-exempt, checked by Origin/Referer or CSRF token)
``/comments/<article id>/sent/``   "awaiting moderation" / "published", reached by a signed link
``/comments/token/``               a fresh form token for the cached article page (JSON, never cached)
``/comments/c/<comment id>/``      permalink: redirects to the page that shows the comment

Why the post endpoint is CSRF-exempt: the article page is served from a shared
cache, so it cannot carry Django's per-visitor CSRF token. Comments need no
session, so a forged post gains an attacker nothing but the victim's IP
address; the endpoint refuses cross-site posts by checking ``Origin`` (every
browser sends it with a cross-site form POST) or, without it, ``Referer``, and
falls back to Django's CSRF check (the form page prints a token) when neither
header is there. Rejections never lose the reader's text: the form page is
shown again with the text, the reason and a fresh token.
"""

from django.core import signing
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from akhbar.news.models import ArticlePage

from . import conf
from .actions import CommentRejected, Submission, check_token_or_reject, post_comment
from .forms import HONEYPOT_FIELD, CommentForm
from .models import Comment
from .origin import client_ip, has_valid_csrf_token, is_same_origin
from .queries import comment_page, discussion_state, page_of_comment
from .tokens import check_token, issue_token

SENT_SALT = "akhbar.comments.sent"
SENT_MAX_AGE = 86400


def get_public_article(request, article_id: int) -> ArticlePage:
    """The live article ``article_id`` if this request may see it; ``Http404`` otherwise."""
    article = get_object_or_404(ArticlePage.objects.live().select_related("section"), pk=article_id)
    for restriction in article.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404("restricted article")
    return article


def _private(response):
    """Mark a response as personal to its reader: never stored by a shared or browser cache."""
    patch_cache_control(response, private=True, no_store=True, no_cache=True, max_age=0)
    return response


def _reply_target(article, parent_id):
    if not parent_id:
        return None
    return Comment.objects.filter(pk=parent_id, article=article, status=Comment.Status.APPROVED).only("id", "name", "depth").first()


def render_form_page(request, article, *, values=None, errors=None, rejection=None, status=200, retry_after=None):
    """The uncached form page, empty or shown again after a rejection.

    ``values`` are the reader's inputs to keep, ``errors`` maps field names
    (``None``: the whole form) to messages, ``rejection`` is the
    ``CommentRejected`` being explained (or ``None``).
    """
    values = dict(values or {})
    if not values.get("token") or check_token(values["token"]).status not in ("ok", "too_fast"):
        values["token"] = issue_token()
    try:
        parent_id = int(values.get("parent") or 0)
    except ValueError:
        parent_id = 0
    reply_to = _reply_target(article, parent_id)
    if reply_to is None or (rejection is not None and rejection.code == "parent"):
        values["parent"] = ""
        reply_to = None
    errors = dict(errors or {})
    summary = [(field, message) for field, messages in errors.items() for message in messages]
    state = discussion_state(article)
    response = render(
        request,
        "comments/form_page.html",
        {
            "page": article,
            "article": article,
            "section": article.section,
            "state": state,
            "values": values,
            "errors": errors,
            "error_summary": summary,
            "reply_to": reply_to,
            "with_csrf": True,
            "honeypot_field": HONEYPOT_FIELD,
            "max_length": conf.get("AKHBAR_COMMENT_MAX_LENGTH"),
            "max_links": conf.get("AKHBAR_COMMENT_MAX_LINKS"),
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return _private(response)


@never_cache
@require_GET
def new_comment(request, article_id: int):
    """The form page (for readers without JavaScript, and for replies)."""
    article = get_public_article(request, article_id)
    values = {"parent": request.GET.get("reply_to", "")}
    return render_form_page(request, article, values=values)


def _too_big(request, article):
    message = _(
        "Your comment could not be read because the form sent too much data. Comments can be at most %(limit)d characters."
    ) % {"limit": int(conf.get("AKHBAR_COMMENT_MAX_LENGTH"))}
    return render_form_page(request, article, errors={None: [message]}, status=413)


@csrf_exempt
@require_POST
def submit_comment(request, article_id: int):
    """Receive a comment from the article page's form or the form page; see the module docstring."""
    article = get_public_article(request, article_id)
    try:
        request.POST  # noqa: B018 (parse now, to answer oversized posts with a clear page)
    except (RequestDataTooBig, TooManyFieldsSent, SuspiciousOperation):
        return _too_big(request, article)

    form = CommentForm(request.POST)
    valid = form.is_valid()
    token = form.cleaned_data.get("token", "")
    if not (is_same_origin(request) or has_valid_csrf_token(request)):
        # Not provably from our pages: show the form again (with a CSRF token) rather than lose the text.
        rejection = CommentRejected("origin", _("Please check your comment and press “Send comment” again."), status=403)
        return render_form_page(request, article, values=form.kept_data(token=""), errors={None: [rejection.message]}, rejection=rejection, status=403)

    if not valid:
        errors = {field: list(messages) for field, messages in form.errors.items()}
        try:
            check_token_or_reject(token)
        except CommentRejected as exc:
            if exc.code != "too_fast":
                errors.setdefault(None, []).append(exc.message)
        return render_form_page(request, article, values=form.kept_data(), errors=errors, status=400)

    submission = Submission(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:500],
        referrer=request.META.get("HTTP_REFERER", "")[:1000],
        language=get_language() or "ar",
        token=form.cleaned_data["token"],
        honeypot=form.cleaned_data[HONEYPOT_FIELD],
        site_url=request.build_absolute_uri("/"),
        permalink=article.get_full_url(request) or "",
    )
    try:
        comment = post_comment(article, form.comment_data(), submission)
    except CommentRejected as exc:
        errors = {exc.field: [exc.message]}
        return render_form_page(
            request, article, values=form.kept_data(), errors=errors, rejection=exc, status=exc.status, retry_after=exc.retry_after
        )
    ticket = signing.dumps({"c": comment.pk}, salt=SENT_SALT, compress=False)
    response = HttpResponseRedirect(reverse("comments:sent", args=[article.pk]) + "?c=" + ticket, status=303)
    return _private(response)


@never_cache
@require_GET
def comment_sent(request, article_id: int):
    """After posting: the reader's comment and whether it is published or awaiting moderation."""
    article = get_public_article(request, article_id)
    try:
        comment_id = signing.loads(request.GET.get("c", ""), salt=SENT_SALT, max_age=SENT_MAX_AGE)["c"]
    except (signing.BadSignature, KeyError, TypeError):
        raise Http404("no such ticket") from None
    comment = Comment.objects.filter(pk=comment_id, article=article).first()
    if comment is None:
        raise Http404("comment gone")
    permalink = reverse("comments:permalink", args=[comment.pk]) if comment.is_public else None
    response = render(
        request,
        "comments/sent_page.html",
        {"page": article, "article": article, "section": article.section, "comment": comment, "permalink": permalink},
    )
    return _private(response)


@require_GET
def comment_list(request, article_id: int):
    """Published comments of an article, page by page (``?page=N``)."""
    article = get_public_article(request, article_id)
    state = discussion_state(article)
    number = request.GET.get("page", "1")
    page_obj = comment_page(article, number, state.count)
    if str(page_obj.number) != number and number != "1":
        raise Http404("no such page")
    return TemplateResponse(
        request,
        "comments/list_page.html",
        {"page": article, "article": article, "section": article.section, "state": state, "page_obj": page_obj},
    )


@never_cache
@require_GET
def form_token(request):
    """``{"token": "..."}``: a fresh form token for the article page's form (see ``tokens``)."""
    return JsonResponse({"token": issue_token()})


@require_GET
def permalink(request, comment_id: int):
    """Redirect to the listing page that shows a published comment."""
    comment = get_object_or_404(Comment.objects.only("id", "article_id", "thread_path", "status"), pk=comment_id, status=Comment.Status.APPROVED)
    get_public_article(request, comment.article_id)
    number = page_of_comment(comment)
    url = reverse("comments:list", args=[comment.article_id])
    if number > 1:
        url += f"?page={number}"
    return HttpResponseRedirect(f"{url}#comment-{comment.pk}")
