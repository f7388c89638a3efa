"""Corrections appended to published stories.

A correction is public and permanent: it is shown in a box on the article,
moves the article's ``dateModified`` and is noted in the feeds.
"""

from datetime import timedelta

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

#: How far in the future a correction date may be (clock skew between editor and server).
FUTURE_TOLERANCE = timedelta(minutes=5)


class Correction(Orderable):
    """A dated correction of an article (InlinePanel ``corrections`` on ``ArticlePage``).

    ``corrected_at`` is when the error was corrected (aware datetime, default now);
    ``text`` says what was wrong and what is right, in plain text.
    """

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField(_("date of correction"), default=timezone.now)
    text = models.TextField(
        _("correction"),
        help_text=_("What was wrong and what is right, e.g. An earlier version gave the wrong date for the vote."),
    )

    panels = [FieldPanel("corrected_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.corrected_at:%Y-%m-%d}: {self.text[:60]}"

    def clean(self):
        super().clean()
        errors = {}
        if not (self.text or "").strip():
            errors["text"] = _("Say what was corrected.")
        if self.corrected_at:
            if self.corrected_at > timezone.now() + FUTURE_TOLERANCE:
                errors["corrected_at"] = _("A correction cannot be dated in the future.")
            else:
                try:
                    published_at = self.page.published_at
                except ObjectDoesNotExist:
                    published_at = None
                if published_at and self.corrected_at < published_at - FUTURE_TOLERANCE:
                    errors["corrected_at"] = _("A correction cannot be dated before the story was first published.")
        if errors:
            raise ValidationError(errors)
