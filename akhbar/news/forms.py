"""Admin form of the newsroom's pages: a slug made from the headline when the editor leaves it empty.

Wagtail fills the slug in the browser as the headline is typed (``TitleFieldPanel``);
this form does the same on the server, so a story saved without JavaScript, from a
pasted headline, or with the slug cleared still gets one. The slug follows
``akhbar.news.slugs.make_slug`` (Arabic letters kept, harakat dropped, cut between
words) and gets ``-2``, ``-3``… when a sibling already uses it.
"""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from .slugs import make_slug, with_suffix


def available_slug(base: str, parent_page, instance, *, attempts: int = 1000) -> str:
    """``base`` or ``base-N`` (N from 2), the first free one under ``parent_page``.

    Raises ``ValueError`` when ``attempts`` suffixes are all taken (never in practice).
    """
    if Page._slug_is_available(base, parent_page, instance):
        return base
    for n in range(2, attempts + 2):
        candidate = with_suffix(base, n)
        if Page._slug_is_available(candidate, parent_page, instance):
            return candidate
    raise ValueError(f"no free slug for {base!r}")


class NewsPageForm(WagtailAdminPageForm):
    """``WagtailAdminPageForm`` whose slug may be left empty: it is made from the headline."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean(self):
        title = (self.cleaned_data.get("title") or "").strip()
        if "slug" in self.fields and not self.cleaned_data.get("slug") and title and "slug" not in self.errors:
            base = make_slug(title) or "story"
            parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
            self.cleaned_data["slug"] = available_slug(base, parent, self.instance) if parent is not None else base
        return super().clean()
