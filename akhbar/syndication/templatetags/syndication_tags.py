"""Template tags of the syndication app.

* ``{% syndication_head %}`` in ``base.html``'s ``<head>``: canonical and
  hreflang links, feed autodiscovery, Open Graph, Twitter cards and JSON-LD
  for the page being rendered (see ``akhbar.syndication.head``).
* ``{% corrections_box page %}`` on article pages: the dated corrections.
"""

from django import template

from akhbar.syndication import content
from akhbar.syndication.head import head_for

register = template.Library()


@register.inclusion_tag("syndication/head.html", takes_context=True)
def syndication_head(context):
    return {"head": head_for(context)}


@register.inclusion_tag("syndication/corrections.html")
def corrections_box(article):
    return {"corrections": content.corrections_of(article) if article is not None else []}
