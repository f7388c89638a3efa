"""A story card's HTML written in Python: the same bytes as ``news/includes/card.html``.

A card is the unit of every listing (home: ~30, a section page: 20). Through the
template engine one costs ~0.25 ms of CPU (node dispatch, variable resolution,
an isolated context, the ``{% picture %}`` tag's argument parsing); most of
it is the engine, not the card. ``render(article, request, **flags)`` produces the
identical HTML with the functions the template calls: Wagtail's
``get_renditions_or_not_found`` and ``Picture`` (the ``{% picture %}`` tag),
``Page.get_url`` (``{% pageurl %}``), ``truncatewords``, ``comment_count`` and
``conditional_escape`` for every ``{{ }}``; the two ``date`` filters (``'c'``
and ``"j F Y"``) are written out as Django's ``DateFormat`` computes them, on the
value converted to local time as the engine does. ``cards.render_card`` uses it
only while ``card.html`` is akhbar's own file (a project that overrides the
template gets its template); ``tests/theme/test_card_html.py`` compares both
outputs for every variant, in Arabic and English.
"""

from __future__ import annotations

import functools
from html import escape as _escape

from django.template.defaultfilters import truncatewords
from django.utils.dates import MONTHS
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

#: ``{% picture %}`` of each variant: (filter specs as written in the tag, attributes in tag order).
_LEAD = (
    ["format-{avif,webp,jpeg}", "fill-{480x270,960x540,1280x720}"],
    {"sizes": "(max-width: 60rem) calc(100vw - 2rem), 42rem", "alt": "", "loading": "eager", "fetchpriority": "high", "class": "card__image"},
)
_EAGER = (
    ["format-{avif,webp,jpeg}", "fill-{320x180,480x270,960x540}"],
    {"sizes": "(max-width: 40rem) calc(100vw - 2rem), 22rem", "alt": "", "loading": "eager", "class": "card__image"},
)
_LAZY = (
    ["format-{avif,webp,jpeg}", "fill-{320x180,480x270,960x540}"],
    {"sizes": "(max-width: 40rem) calc(100vw - 2rem), 22rem", "alt": "", "loading": "lazy", "decoding": "async", "class": "card__image"},
)
_expanded: dict = {}


def _specs(tag_specs) -> list[str]:
    """``Filter.expand_spec`` of a tag's filter specs (memoised: a pure function of the strings)."""
    key = tuple(tag_specs)
    found = _expanded.get(key)
    if found is None:
        from wagtail.images.models import Filter

        found = _expanded[key] = list(Filter.expand_spec(list(tag_specs)))
    return found


@functools.lru_cache(maxsize=256)
def _filter(spec: str):
    """Wagtail's ``Filter`` of a spec string (its parsed operations memoised with it)."""
    from wagtail.images.models import Filter

    return Filter(spec=spec)


@functools.lru_cache(maxsize=256)
def _vary_fields(spec: str) -> tuple:
    """The image fields a filter spec's rendition depends on (its operations' ``vary_fields``, in
    order, as ``Filter.get_cache_key`` reads them)."""
    return tuple(name for op in _filter(spec).operations for name in getattr(op, "vary_fields", []))


def prefetched_renditions(image, specs: list[str]) -> dict | None:
    """``{spec: rendition}`` as ``image.get_renditions(*specs)`` returns it when every rendition is
    among the image's prefetched ones (``image.prefetched_renditions``, the list
    ``news.renditions.attach_card_renditions`` sets): the same match as Wagtail's
    ``find_existing_renditions`` (filter spec, then the focal point key), without a ``Filter`` per
    spec. ``None`` when they are not prefetched that way, a spec asks for ``preserve-svg``, or a
    rendition is missing: Wagtail's own path then finds or creates them."""
    if "renditions" in getattr(image, "_prefetched_objects_cache", {}):
        return None  # Django's prefetch: Wagtail reads that one first
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is None:
        return None
    available: dict = {}
    for rendition in prefetched:
        available.setdefault((rendition.filter_spec, rendition.focal_point_key), rendition)
    keys: dict = {}
    found: dict = {}
    for spec in specs:
        if "preserve-svg" in spec.split("|"):
            return None
        fields = _vary_fields(spec)  # specs varying on the same fields share Wagtail's key
        key = keys.get(fields)
        if key is None:
            key = keys[fields] = _filter(spec).get_cache_key(image)
        rendition = available.get((spec, key))
        if rendition is None:
            return None
        rendition._from_cache = True  # as Wagtail marks a rendition it did not create
        found[spec] = rendition
    return found


def picture(image, variant) -> str:
    """What ``{% picture image <specs> <attrs> %}`` renders (``""`` without an image)."""
    from wagtail.images.models import Filter, Picture
    from wagtail.images.shortcuts import get_renditions_or_not_found

    if not image:
        return ""
    tag_specs, attrs = variant
    specs = _specs(tag_specs)
    renditions = prefetched_renditions(image, specs)
    if renditions is None:
        renditions = get_renditions_or_not_found(image, [Filter(spec=spec) for spec in specs])
    # String literals in a template are safe strings: the tag passes them on unescaped.
    attrs = {name: mark_safe(value) for name, value in attrs.items()}
    return picture_html(renditions, attrs) or Picture(renditions, attrs).__html__()


def _flatatt(attrs) -> str:
    """``django.forms.utils.flatatt``: `` key="value"`` pairs sorted by key, then boolean keys; ``None``
    and ``False`` left out; keys and values through ``conditional_escape`` (here ``_value``)."""
    pairs = sorted((k, v) for k, v in attrs.items() if v is not None and not isinstance(v, bool))
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join([f' {_value(k)}="{_value(v)}"' for k, v in pairs] + [f" {_value(k)}" for k in flags])


def _srcset(renditions) -> str:
    """``ResponsiveImage.get_width_srcset``."""
    if len(renditions) == 1:
        return renditions[0].url
    return ", ".join([f"{r.url} {r.width}w" for r in renditions])


@functools.lru_cache(maxsize=256)
def _format_of(spec: str) -> str | None:
    """The first of ``FormatOperation.supported_formats`` a filter spec names (``format-webp``), or None."""
    from wagtail.images.image_operations import FormatOperation

    return next((f for f in FormatOperation.supported_formats if f"format-{f}" in spec), None)


def picture_html(renditions: dict, attrs: dict) -> str | None:
    """The HTML of Wagtail's ``Picture(renditions, attrs)`` (``{% picture %}``) with several formats,
    written without ``format_html`` per attribute; ``None`` for a single format (Wagtail's own path).

    Same steps as ``Picture.__html__``: renditions grouped by the ``format-…`` of their spec,
    the last format of ``Picture.source_format_order`` present is the ``<img>`` fallback, every
    other one a ``<source>``; the ``<img>`` has the fallback's ``src``/``width``/``height``/``alt``,
    the image app's ``default_attrs``, then ``attrs`` and the fallback ``srcset``.
    ``tests/theme/test_card_html.py`` compares the two."""
    from django.apps import apps
    from wagtail.images.image_operations import FormatOperation
    from wagtail.images.models import Picture

    formats: dict = {}
    for spec, rendition in renditions.items():
        fmt = _format_of(spec)
        if fmt is not None:
            formats.setdefault(fmt, []).append(rendition)
    if len(formats) < 2:
        return None
    order = Picture.source_format_order
    fallback = next(fmt.name for fmt in reversed(order) if fmt.name in formats)
    sources = [
        f"<source{_flatatt({'srcset': _srcset(formats[fmt.name]), 'sizes': attrs.get('sizes'), 'type': fmt.mime_type})}>"
        for fmt in order
        if fmt.name != fallback and fmt.name in formats
    ]
    base = formats[fallback]
    img = {"src": base[0].url, "width": base[0].width, "height": base[0].height, "alt": base[0].alt}
    img.update(apps.get_app_config("wagtailimages").default_attrs)
    img.update(attrs)
    if len(base) > 1:
        img["srcset"] = _srcset(base)
    return f"<picture>{''.join(sources)}<img{_flatatt(img)}></picture>"


def iso_date(value) -> str:
    """``{{ value|date:'c' }}`` of a datetime (Django's ``DateFormat.c``: ``isoformat()``), ``""`` for ``None``."""
    return "" if value in (None, "") else value.isoformat()


_month_names: dict = {}


def day_month_year(value) -> str:
    """``{{ value|date:"j F Y" }}`` of a datetime (``DateFormat.j``, ``.F``, ``.Y``): day, month name
    in the active language, four-digit year; ``""`` for ``None``. Month names are looked up once per
    language and process (Django keeps each language's catalogue for the life of the process too)."""
    if value in (None, ""):
        return ""
    language = get_language()
    names = _month_names.get(language)
    if names is None:
        names = _month_names[language] = {number: str(name) for number, name in MONTHS.items()}
    return f"{value.day} {names[value.month]} {value.year:04d}"


def value_html(value) -> str:
    """``conditional_escape(value)`` (the ``{{ }}`` of a template) without its lazy-argument wrapper:
    ``__html__()`` of a safe value, else ``html.escape(str(value))`` as Django's ``escape`` does."""
    html_method = getattr(value, "__html__", None)
    if html_method is not None:
        return html_method()
    return _escape(str(value))


_value = value_html


def render(article, request, is_lead=False, show_section=False, show_standfirst=False, heading="", eager=False) -> str:
    """The HTML of ``card.html`` for these flags (see the module docstring)."""
    from akhbar.comments.templatetags.comments_tags import comment_count

    parts = ['<article class="card', " card--lead" if is_lead else "", '">\n  ']
    if article.lead_image:
        parts.append(picture(article.lead_image, _LEAD if is_lead else _EAGER if eager else _LAZY))  # a tag's output: not escaped
    parts.append('\n  <div class="card__text">\n    ')
    if show_section and article.section:
        parts += ['<p class="card__section">', _value(article.section.display_name), "</p>"]
    parts.append("\n    ")
    url, title = _value(article.get_url(request=request)), _value(article.title)
    if is_lead:
        parts += ['<h2 class="card__headline card__headline--lead" lang="ar" dir="rtl"><a href="', url, '">', title, "</a></h2>"]
    elif heading == "h2":
        parts += ['<h2 class="card__headline" lang="ar" dir="rtl"><a href="', url, '">', title, "</a></h2>"]
    else:
        parts += ['<h3 class="card__headline" lang="ar" dir="rtl"><a href="', url, '">', title, "</a></h3>"]
    parts.append("\n    ")
    if is_lead or show_standfirst:
        parts += ['<p class="card__standfirst" lang="ar" dir="rtl">', _value(truncatewords(article.standfirst, 40)), "</p>"]
    published = template_localtime(article.published_at)
    parts += [
        '\n    <p class="card__meta"><time datetime="', _value(iso_date(published)), '">',
        _value(day_month_year(published)), "</time>", _value(comment_count(article)), "</p>\n  </div>\n</article>\n",
    ]
    return mark_safe("".join(parts))
