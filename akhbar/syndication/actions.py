"""State changes of the syndication app (verb-first functions)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Correction


@transaction.atomic
def append_correction(article, text: str, *, user=None, corrected_at=None):
    """Append a dated correction to a published article and publish it.

    The correction is added to the *live* version (a pending draft is not
    published with it) and a new revision is published, which moves
    ``updated_at`` (``dateModified``) and invalidates feeds and sitemaps. If an
    editor had unpublished changes, they are kept as the latest draft, with
    the correction included. ``corrected_at`` defaults to now.

    Returns the saved ``Correction``. Raises ``ValidationError`` when the
    article is not live or the correction is invalid (empty, future-dated,
    or dated before first publication).
    """
    if not article.live:
        raise ValidationError("Only a published story can be corrected; edit the draft instead.")
    corrected_at = corrected_at or timezone.now()
    article = type(article).objects.get(pk=article.pk)
    pending_draft = article.get_latest_revision_as_object() if article.has_unpublished_changes else None

    live = article.live_revision.as_object() if article.live_revision_id else article
    # Revisions carry the dates they were saved with; the stored first-publication date wins.
    live.published_at = article.published_at
    correction = Correction(page=live, text=text.strip(), corrected_at=corrected_at)
    correction.full_clean(exclude=["page"])
    live.corrections.add(correction)
    live.save_revision(user=user, log_action=True).publish(user=user)

    if pending_draft is not None:
        pending_draft.published_at = article.published_at
        pending_draft.corrections.add(Correction(page=pending_draft, text=correction.text, corrected_at=corrected_at))
        pending_draft.save_revision(user=user, log_action=True)

    article.refresh_from_db()
    return article.corrections.get(corrected_at=corrected_at, text=correction.text)
