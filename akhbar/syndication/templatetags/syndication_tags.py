"""Template tags of the syndication app.

* ``{% syndication_head %}`` in ``base.html``'s ``<head>``: canonical and
  hreflang links, feed autodiscovery, Open Graph, Twitter cards and JSON-LD
  for the page being rendered (see ``akhbar.syndication.head``).
* ``{% corrections_box page %}`` on article pages: the dated corrections.
"""

from django import template
from django.utils.safestring import mark_safe

from akhbar.syndication import content
from akhbar.syndication.head import head_for
from akhbar.theme.card_html import value_html

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
    e = value_html  # conditional_escape of each value, as format_html applies it
    parts = []
    if head.canonical:
        parts.append(f'<link rel="canonical" href="{e(head.canonical)}">\n')
    parts += [f'<link rel="alternate" hreflang="{e(hreflang)}" href="{e(href)}">\n' for hreflang, href in head.alternates]
    parts += [f'<link rel="alternate" type="{e(f["type"])}" title="{e(f["title"])}" href="{e(f["href"])}">\n' for f in head.feeds]
    parts += [f'<meta property="{e(prop)}" content="{e(value)}">\n' for prop, value in head.og]
    parts += [f'<meta name="{e(name)}" content="{e(value)}">\n' for name, value in head.twitter]
    parts += [e(element) + "\n" for element in head.jsonld]
    return mark_safe("".join(parts) + "\n")


@register.inclusion_tag("syndication/corrections.html")
def corrections_box(article):
    return {"corrections": content.corrections_of(article) if article is not None else []}
