"""Template tags for reader comments on public pages.

``{% article_comments page %}``  the comments section of an article page (list + form)
``{% comment_count article %}``  "N comments" for an article card (no query with ``listing()``)
``{{ comment.body|comment_html }}``  plain text to safe HTML (``text.render_body``)
"""

import threading
from collections import OrderedDict

from django import template
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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


ARTICLE_COMMENTS_TEMPLATE = "comments/includes/article_comments.html"
#: Rendered comment sections of articles without published comments, per process (bounded LRU):
#: the form and its labels are ~0.5 ms of template work and depend only on the key below.
_empty_sections: OrderedDict = OrderedDict()
_EMPTY_SECTIONS_MAX = 2000
_lock = threading.Lock()


@register.simple_tag(takes_context=True)
def article_comments(context, article):
    """The first page of published comments and, when open, the form (no per-visitor data: cache-safe).

    Two queries: the comment switches with the count (none when the routing query joined
    them), and the page of comments. An article without published comments gets the same HTML
    for the same (article, open or closed, language, URL prefix, limits), so that HTML is reused.
    """
    state = discussion_state(article)
    key = None
    if not state.count:
        key = (article.pk, state.is_open, get_language(), get_script_prefix(), conf.get("AKHBAR_COMMENT_MAX_LENGTH"), conf.get("AKHBAR_COMMENT_MAX_LINKS"))
        with _lock:
            html = _empty_sections.get(key)
            if html is not None:
                _empty_sections.move_to_end(key)
                return html
    template = context.template.engine.get_template(ARTICLE_COMMENTS_TEMPLATE)
    new_context = context.new(_section_context(context, article, state))
    csrf_token = context.get("csrf_token")  # what an inclusion tag passes on
    if csrf_token is not None:
        new_context["csrf_token"] = csrf_token
    html = mark_safe(template.render(new_context))
    if key is not None:
        with _lock:
            _empty_sections[key] = html
            while len(_empty_sections) > _EMPTY_SECTIONS_MAX:
                _empty_sections.popitem(last=False)
    return html


def _section_context(context, article, state) -> dict:
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
