"""Template tags for reader comments on public pages.

``{% article_comments page %}``  the comments section of an article page (list + form)
``{% comment_count article %}``  "N comments" for an article card (no query with ``listing()``)
``{{ comment.body|comment_html }}``  plain text to safe HTML (``text.render_body``)
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from .. import conf
from ..forms import HONEYPOT_FIELD
from ..queries import comment_page, count_for, discussion_state
from ..text import render_body

register = template.Library()


@register.filter
def comment_html(text):
    return render_body(text or "")


@register.inclusion_tag("comments/includes/article_comments.html", takes_context=True)
def article_comments(context, article):
    """The first page of published comments and, when open, the form (no per-visitor data: cache-safe).

    Two queries: the comment switches with the count, and the page of comments.
    """
    state = discussion_state(article)
    page_obj = comment_page(article, 1, state.count) if state.count else None
    return {
        "request": context.get("request"),
        "article": article,
        "state": state,
        "page_obj": page_obj,
        "comments": page_obj.object_list if page_obj else [],
        "values": {},
        "errors": {},
        "with_csrf": False,
        "honeypot_field": HONEYPOT_FIELD,
        "max_length": conf.get("AKHBAR_COMMENT_MAX_LENGTH"),
        "max_links": conf.get("AKHBAR_COMMENT_MAX_LINKS"),
    }


@register.simple_tag
def comment_count(article):
    """`` · <span class="card__comments">N comments</span>``, or nothing when there are none.

    Self-contained (the separator is in the markup) because listing pages do not load comments.css.
    """
    count = count_for(article)
    if not count:
        return ""
    label = ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}
    return format_html('<span aria-hidden="true"> · </span><span class="card__comments">{}</span>', label)
