"""Load the demo stories (``stories.py``) with drawn images; idempotent.

Stories are keyed ``demo:<key>`` in ``ArticlePage.external_id``. A re-run
creates what is missing and re-dates the demo stories relative to now (so the
demo front page and news sitemap always hold fresh news); it changes nothing
else an editor may have edited.
"""

import io
from datetime import timedelta
from html import escape


from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from ..models import ArticleAuthor, ArticlePage, Author, NewsImage, SectionPage
from ..newsroom import ensure_newsroom
from ..slugs import make_slug
from .images import draw_scene
from .stories import AUTHORS, STORIES


def _image(spec) -> NewsImage:
    key, kind, alt, credit = spec
    title = f"demo-{key}"
    image = NewsImage.objects.filter(title=title).first()
    if image is None:
        data = draw_scene(key, kind)
        image = NewsImage(title=title, description=alt, credit=credit, file=ImageFile(io.BytesIO(data), name=f"{key}.jpg"))
        image.save()
    return image


def _body(items) -> list[dict]:
    stream = []
    for kind, value in items:
        if kind == "paragraph":
            stream.append({"type": "paragraph", "value": f"<p>{escape(value, quote=False)}</p>"})
        elif kind == "crosshead":
            stream.append({"type": "crosshead", "value": value})
        elif kind == "quote":
            stream.append({"type": "quote", "value": dict(value)})
        elif kind == "figure":
            image = _image(value["image"])
            stream.append(
                {
                    "type": "figure",
                    "value": {"image": image.pk, "alt_text": value.get("alt", ""), "decorative": False, "caption": value["caption"], "credit": ""},
                }
            )
    return stream


@transaction.atomic
def load_demo(now=None) -> tuple[int, int]:
    """Create or re-date every demo story. Returns ``(created, redated)``."""
    now = now or timezone.now()
    home = ensure_newsroom()
    authors = {}
    for spec in AUTHORS:
        author = Author.objects.filter(name=spec["name"]).first() or Author.objects.create(name=spec["name"], role=spec["role"], bio=spec["bio"])
        authors[spec["key"]] = author
    created = redated = 0
    for story in STORIES:
        when = now - timedelta(hours=story["hours_ago"])
        external_id = f"demo:{story['key']}"
        existing = ArticlePage.objects.filter(external_id=external_id).first()
        if existing:
            # A save (not a queryset update) so that the page cache hears of it (post_save purge).
            existing.published_at = existing.updated_at = existing.first_published_at = existing.last_published_at = when
            existing.save(update_fields=["published_at", "updated_at", "first_published_at", "last_published_at"], clean=False)
            redated += 1
            continue
        section = SectionPage.objects.child_of(home).get(slug=story["section"])
        source = story.get("source", {})
        page = ArticlePage(
            title=story["headline"],
            slug=make_slug(story["headline"]),
            standfirst=story["standfirst"],
            dateline=story.get("dateline", ""),
            byline=story.get("byline", ""),
            body=_body(story["body"]),
            source_kind=source.get("kind", ArticlePage.SOURCE_STAFF),
            source_name=source.get("name", ""),
            source_url=source.get("url", ""),
            source_licence=source.get("licence", ""),
            external_id=external_id,
        )
        if story.get("image"):
            page.lead_image = _image(story["image"])
            page.lead_image_caption = story.get("lead_caption", "")
        section.add_child(instance=page)
        for order, key in enumerate(story.get("authors", [])):
            ArticleAuthor.objects.create(page=page, author=authors[key], sort_order=order)
        page.tags.add(*story.get("tags", []))
        page.full_clean()
        page.save_revision().publish()
        # Same transaction as the publish, whose purge is repeated after commit: no stale page survives.
        ArticlePage.objects.filter(pk=page.pk).update(published_at=when, updated_at=when, first_published_at=when, last_published_at=when)
        created += 1
    return created, redated
