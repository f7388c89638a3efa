"""Story cards (``news/includes/card.html``): written by ``card_html``, optionally reused per process.

A card is the unit of every listing (home: ~30, section page: 20). ``render_card``
writes it with ``card_html`` (~0.1 ms; ~0.3 ms through the template engine), or
through the template when a project overrides ``card.html``. Opt-in
(``AKHBAR_CARD_CACHE_ENTRIES`` > 0), the HTML is also kept per process, keyed by
everything it shows (so a page served with it is no longer rendered from the
database alone, which is why it is off by default):

* the article: id, headline, standfirst, publication date, what its URL is
  made of (tree path, the sites' root paths, the request's site, script
  prefix), comment count, section name when shown;
* the lead image: id, file, size and focal point, and every prefetched
  rendition (id, filter, focal key, file, size) — a new or regenerated
  rendition changes the key;
* the card variant (``is_lead``, ``show_section``, ``show_standfirst``,
  ``heading``, ``eager``), the active language and time zone.

Any change to any of these makes a new key, so nothing is ever invalidated
and nothing stale can be shown; old entries fall out of the bounded LRU
(``AKHBAR_CARD_CACHE_ENTRIES`` per process). A card
whose image renditions are not prefetched, or whose render created
renditions, is rendered normally and not kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from django.conf import settings
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import card_html

CARD_TEMPLATE = "news/includes/card.html"
FLAGS = ("is_lead", "show_section", "show_standfirst", "heading", "eager")
IMAGE_PART = 10  # index of the lead image's part in a card key

_cards: OrderedDict = OrderedDict()
_lock = threading.Lock()


def _limit() -> int:
    return int(getattr(settings, "AKHBAR_CARD_CACHE_ENTRIES", 0))


def _image_key(article):
    """The lead image's identity and prefetched renditions; ``False`` when they are not prefetched."""
    if not article.lead_image_id:
        return None
    image = article.lead_image
    if image is None:
        return None
    # Wagtail reads either, in this order: its documented to_attr list, Django's prefetch cache
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is None:
        prefetched = getattr(image, "_prefetched_objects_cache", {}).get("renditions")
    if prefetched is None:
        return False
    # (a rendition just created by a bulk insert may have no id yet: -1)
    renditions = tuple(sorted((r.pk or -1, r.filter_spec, r.focal_point_key, r.file.name, r.width, r.height) for r in prefetched))
    return (
        image.pk, image.file.name, image.width, image.height,
        image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height,
        renditions,
    )


def card_key(article, flags: dict, request) -> tuple | None:
    """The cache key of a card (see the module docstring), or ``None`` when it must not be cached."""
    from akhbar.comments.queries import count_for

    image = _image_key(article)
    if image is False:
        return None
    section_name = None
    if flags.get("show_section") and article.section_id:
        section = article.section
        section_name = section.display_name if section is not None else None
    # The card's URL is a function of the page's tree path, the sites' root paths (cached on the
    # request by Wagtail), the site of the request, the language and the script prefix: cheaper
    # to key on than to build (the URL itself is built only when the card is rendered).
    site = getattr(request, "_wagtail_site", None)
    return (
        article.pk, article.title, article.standfirst, article.published_at,
        article.url_path, tuple(article._get_site_root_paths(request)), getattr(site, "pk", None), get_script_prefix(),
        count_for(article), section_name, image,
        tuple(flags.get(name) for name in FLAGS),
        get_language(), timezone.get_current_timezone_name(),
    )


def render_card(context, article, **flags) -> str:
    """HTML of ``card.html`` for ``article`` with ``flags`` (an isolated context: the card reads nothing else)."""
    request = context.get("request")
    template = context.template.engine.get_template(CARD_TEMPLATE)
    limit = _limit()
    key = card_key(article, flags, request) if limit > 0 else None
    if key is not None:
        with _lock:
            html = _cards.get(key)
            if html is not None:
                _cards.move_to_end(key)
                return html
    if _is_own_template(template):
        html = card_html.render(article, request, **{name: flags.get(name) for name in FLAGS})
    else:
        values = {"article": article, "request": request, **{name: flags.get(name) for name in FLAGS}}
        html = mark_safe(template.render(context.new(values)))
    if key is not None and _image_key(article) == key[IMAGE_PART]:  # no rendition was created while rendering
        with _lock:
            _cards[key] = html
            while len(_cards) > limit:
                _cards.popitem(last=False)
    return html


_OWN_TEMPLATE = str(Path(__file__).resolve().parent / "templates" / CARD_TEMPLATE)


def _is_own_template(template) -> bool:
    """True when ``card.html`` resolved to akhbar's file (``card_html`` writes exactly that file's HTML)."""
    origin = getattr(getattr(template, "template", template), "origin", None)
    return origin is not None and str(origin.name) == _OWN_TEMPLATE


def forget_cards() -> None:
    """Empty this process's card cache (tests)."""
    with _lock:
        _cards.clear()
