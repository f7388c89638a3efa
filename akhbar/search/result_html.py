"""One search result's ``<li>`` written in Python: the same bytes as ``search/includes/result.html``.

A result page lists ten; through the template engine each cost ~0.3 ms of CPU (a ``{% with %}``
scope, four ``{% if %}``, two ``date`` filters, ``{% pageurl %}``). ``render(item, request)`` calls
what the template calls, as ``theme/card_html.py`` does for story cards: ``Page.get_url``,
``conditional_escape`` for every ``{{ }}`` (the headline and snippet are already safe HTML from
``highlight``), the two date formats on the value in local time. ``tests/search/test_result_html.py``
compares both outputs.
"""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from akhbar.theme.card_html import day_month_year, iso_date, value_html as _value


def render(item: dict, request) -> str:
    """HTML of one result: ``item`` is ``{"article": ArticlePage, "headline": SafeString, "snippet": SafeString}``."""
    article = item["article"]
    parts = ['\n    <li class="search-result">\n      ']
    section = article.section if article.section_id else None
    if section:
        parts += ['<p class="search-result__section">', _value(section.display_name), "</p>"]
    parts += [
        '\n      <h2 class="search-result__headline"><a href="', _value(article.get_url(request=request)), '">',
        _value(item["headline"]), "</a></h2>\n      ",
    ]
    if item["snippet"]:
        parts += ['<p class="search-result__snippet">', _value(item["snippet"]), "</p>"]
    published = template_localtime(article.published_at)
    parts += [
        '\n      <p class="search-result__meta"><time datetime="', _value(iso_date(published)), '">',
        _value(day_month_year(published)), "</time></p>\n    </li>\n  ",
    ]
    return mark_safe("".join(parts))
