"""Authors: the people named in bylines."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from ..slugs import make_slug, with_suffix


class Author(index.Indexed, models.Model):
    """A reporter, editor or contributor. Has a public page at ``/authors/<slug>/``.

    No contact details are stored here: nothing of this model is private.
    """

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, allow_unicode=True)
    role = models.CharField(_("role"), max_length=255, blank=True, help_text=_("e.g. Cairo correspondent"))
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio"), FieldPanel("photo")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug_for(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("author", args=[self.slug])

    @classmethod
    def unique_slug_for(cls, name: str) -> str:
        """A slug for ``name`` not yet used by another author."""
        base = make_slug(name) or "author"
        slug, n = base, 1
        while cls.objects.filter(slug=slug).exists():
            n += 1
            slug = with_suffix(base, n)
        return slug
