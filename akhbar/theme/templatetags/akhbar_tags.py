"""Template helpers for the public theme: titles, story cards, home URL, pagination links."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.encoding import iri_to_uri
from django.utils.http import urlencode

from akhbar.theme.cards import render_card
from akhbar.theme.titles import compose_title

register = template.Library()


@register.simple_tag
def page_title(*parts) -> str:
    """``{% page_title headline section site_name %}`` → "headline | section | site", deduplicated."""
    return compose_title(*[str(p) if p else "" for p in parts])


@register.simple_tag(takes_context=True)
def card(context, article, is_lead=False, show_section=False, show_standfirst=False, heading="", eager=False):
    """``{% card article show_section=True %}``: ``news/includes/card.html`` for ``article``, reused
    while nothing it shows changes (``akhbar.theme.cards``)."""
    return render_card(
        context, article, is_lead=is_lead, show_section=show_section, show_standfirst=show_standfirst, heading=heading, eager=eager
    )


PARAGRAPH_TEMPLATE = "news/blocks/paragraph.html"


@register.simple_tag(takes_context=True)
def body_blocks(context, body):
    """``{% body_blocks page.body %}``: the same HTML as ``{% for b in body %}{% include_block b %}{% endfor %}``.

    Paragraphs are written directly (their template is ``{{ value|richtext }}`` and a newline),
    without two template renders and a copy of the whole context each; every other block goes
    through ``include_block``'s path (``render_as_block`` with the flattened parent context,
    flattened once for the whole body).
    """
    parent = None
    parts = []
    for block in body:
        if block.block_type == "paragraph" and getattr(block.block.meta, "template", None) == PARAGRAPH_TEMPLATE:
            parts.append(conditional_escape(block.value) + "\n")
            continue
        if parent is None:
            parent = context.flatten()
        output = block.render_as_block(context=parent)
        parts.append(conditional_escape(output) if context.autoescape else str(output))
    return mark_safe("".join(parts))


@register.simple_tag(takes_context=True)
def nav_links(context):
    """``{% nav_links %}``: the same HTML as ``{% for section in nav_sections %}<li><a href="{% pageurl
    section %}"{% if current_section_id == section.pk %} aria-current="page"{% endif %}>{{
    section.display_name }}</a></li>{% endfor %}``, without the template engine (every page has it)."""
    sections = context.get("nav_sections")
    if callable(sections):
        sections = sections()
    if not sections:
        return ""
    request, current = context.get("request"), context.get("current_section_id")
    parts = []
    for section in sections:
        current_attr = ' aria-current="page"' if current == section.pk else ""
        url, name = conditional_escape(section.get_url(request=request)), conditional_escape(section.display_name)
        parts.append(f'<li><a href="{url}"{current_attr}>{name}</a></li>')
    return mark_safe("".join(parts))


@register.simple_tag
def home_url() -> str:
    """The home page URL in the active language (``/`` or ``/en/``)."""
    return reverse("wagtail_serve", args=[""])


@register.simple_tag(takes_context=True)
def page_link(context, number: int) -> str:
    """The current URL with ``?page=number`` (other query parameters kept)."""
    request = context["request"]
    params = request.GET.copy()
    if number == 1:
        params.pop("page", None)
    else:
        params["page"] = number
    query = urlencode(sorted(params.lists()), doseq=True)
    return iri_to_uri(request.path) + (f"?{query}" if query else "")
