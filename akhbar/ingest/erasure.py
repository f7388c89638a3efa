"""A reader's erasure request reaches the WordPress importer's copy of their comments.

The comments app deletes a reader's comments on request
(``akhbar.comments.actions.erase_commenter``) and sends
``commenter_erased``. The importer keeps each exported comment as an
``ImportedComment`` row (name, e-mail, IP, text), which would otherwise keep
the data and let a re-import of the same export bring the comments back.
Here those rows lose every personal field and are marked ``erased_at``; the
row itself stays (with its WordPress ids) so that a re-import recognises it
and writes nothing (see ``WxrImporter``), and adoption never recreates its
comment (``adopted_at`` set, ``comment_id`` empty).
"""

from __future__ import annotations

from django.utils import timezone

from .models import ImportedComment

ERASED_FIELDS = {"author_name": "", "author_email": "", "author_url": "", "author_ip": "", "content": "", "meta": {}, "wp_user_id": 0}


def erase_imported_comments(email: str) -> int:
    """Blank every ``ImportedComment`` of ``email`` (case-insensitive); returns how many rows.

    An empty address erases nothing (anonymous WordPress comments have none).
    """
    email = (email or "").strip()
    if not email:
        return 0
    now = timezone.now()
    rows = ImportedComment.objects.filter(author_email__iexact=email)
    rows.filter(adopted_at__isnull=True).update(adopted_at=now)
    return rows.update(erased_at=now, comment_id=None, **ERASED_FIELDS)


def on_commenter_erased(sender, email, **kwargs):
    """Receiver of ``akhbar.comments.signals.commenter_erased``."""
    erase_imported_comments(email)
