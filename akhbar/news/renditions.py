"""Faster image rendition lookups for ``{% picture %}`` / ``{% image %}`` / ``{% srcset_image %}``.

Wagtail parses every filter spec (``fill-480x270|format-webp``) into image
operation objects each time a template asks for a rendition: a fresh
``Filter`` per spec per call, whose ``operations`` build each operation
through ``inspect.getcallargs``. A card's ``{% picture %}`` with 3 formats ×
3 sizes costs ~0.5 ms of CPU on that alone, the home page ~15 ms.

Operations depend only on the spec string (and on the registered
``register_image_operations`` hooks, fixed at start-up) and are never
modified after construction, so ``install()`` makes ``Filter.operations``
reuse one parsed list per spec for the life of the process. Rendition
choice, cache keys and generated files are unchanged.
"""

from __future__ import annotations

import threading

#: Every rendition a story card can show (the three ``{% picture %}`` variants of
#: ``news/includes/card.html``, also written by ``theme/card_html.py``; a test keeps them equal).
#: Listing pages that show only cards prefetch just these (Wagtail's documented filtered
#: ``Prefetch``), not the article-page and share-card sizes of the same images.
CARD_RENDITION_SPECS = tuple(
    f"format-{fmt}|fill-{size}" for fmt in ("avif", "webp", "jpeg") for size in ("320x180", "480x270", "960x540", "1280x720")
)

_parsed: dict[str, list] = {}
_lock = threading.Lock()
_MAX_SPECS = 2000  # a template bug generating endless specs must not grow memory without bound


def install() -> None:
    """Replace ``wagtail.images.models.Filter.operations`` with the memoised version (idempotent)."""
    from django.utils.functional import cached_property
    from wagtail.images.models import Filter

    if getattr(Filter, "_akhbar_memoised", False):
        return
    original = Filter.operations.func

    def operations(self):
        found = _parsed.get(self.spec)
        if found is None:
            found = original(self)
            with _lock:
                if len(_parsed) < _MAX_SPECS:
                    _parsed[self.spec] = found
        return found

    operations.__doc__ = original.__doc__
    prop = cached_property(operations)
    prop.__set_name__(Filter, "operations")
    Filter.operations = prop
    Filter._akhbar_memoised = True


_CARD_RENDITIONS: dict = {}
_MAX_PREPARED_IMAGES = 100


def attach_card_renditions(images) -> None:
    """Give each of ``images`` its existing card renditions (``CARD_RENDITION_SPECS``) in one query,
    as Wagtail's documented ``Prefetch("renditions", ..., to_attr="prefetched_renditions")`` does:
    ``image.prefetched_renditions`` is the list Wagtail's ``get_renditions`` reads instead of
    querying (a rendition missing from it is created, as with any prefetch), and each rendition's
    ``image`` is that object (its alt text, no query). The query is compiled once per number of
    images (``news/prepared.py``) and Django's generic prefetch, which built a related manager and
    queryset per image on every request, is not used."""
    from .models import NewsImage
    from .prepared import PreparedQuery

    by_pk = {}
    for image in images:
        by_pk.setdefault(image.pk, []).append(image)
    if not by_pk:
        return
    Rendition = NewsImage.get_rendition_model()
    ids = list(by_pk)
    if len(ids) > _MAX_PREPARED_IMAGES:
        rows = Rendition.objects.filter(image_id__in=ids, filter_spec__in=CARD_RENDITION_SPECS)
    else:
        prepared = _CARD_RENDITIONS.get(len(ids))
        if prepared is None:
            sentinels = [-7_100_000_000 - n for n in range(len(ids))]
            prepared = _CARD_RENDITIONS.setdefault(
                len(ids),
                PreparedQuery(lambda *pks: Rendition.objects.filter(image_id__in=pks, filter_spec__in=CARD_RENDITION_SPECS), sentinels),
            )
        rows = prepared(*ids)
    found: dict = {pk: [] for pk in ids}
    for rendition in rows:
        found[rendition.image_id].append(rendition)
    for pk, same in by_pk.items():
        renditions = found[pk]
        for rendition in renditions:
            rendition.image = same[0]
        for image in same:
            image.prefetched_renditions = list(renditions)
