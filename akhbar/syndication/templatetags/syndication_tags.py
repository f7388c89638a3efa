"""Template tags of the syndication app.

* ``{% syndication_head %}`` in ``base.html``'s ``<head>``: canonical and
  hreflang links, feed autodiscovery, Open Graph, Twitter cards and JSON-LD
  for the page being rendered (see ``akhbar.syndication.head``).
* ``{% corrections_box page %}`` on article pages: the dated corrections.
"""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from akhbar.syndication import content
from akhbar.syndication.head import head_for

register = template.Library()


@register.simple_tag(takes_context=True)
def syndication_head(context):
    """The ``<head>`` links and metadata of the page (``head_for``), written by ``render_head``."""
    return render_head(head_for(context))


def render_head(head) -> str:
    """HTML of a ``Head``: canonical, hreflang, feed links, Open Graph and Twitter ``<meta>``, JSON-LD.

    One element per line, attribute values escaped. Written in Python rather than as a template:
    an article head has ~40 elements and the template engine spent ~1 ms on the loops.
    """
    parts = []
    if head.canonical:
        parts.append(format_html('<link rel="canonical" href="{}">\n', head.canonical))
    parts.extend(format_html('<link rel="alternate" hreflang="{}" href="{}">\n', hreflang, href) for hreflang, href in head.alternates)
    parts.extend(
        format_html('<link rel="alternate" type="{}" title="{}" href="{}">\n', feed["type"], feed["title"], feed["href"]) for feed in head.feeds
    )
    parts.extend(format_html('<meta property="{}" content="{}">\n', prop, value) for prop, value in head.og)
    parts.extend(format_html('<meta name="{}" content="{}">\n', name, value) for name, value in head.twitter)
    parts.extend(conditional_escape(element) + "\n" for element in head.jsonld)
    return mark_safe("".join(parts) + "\n")


@register.inclusion_tag("syndication/corrections.html")
def corrections_box(article):
    return {"corrections": content.corrections_of(article) if article is not None else []}
