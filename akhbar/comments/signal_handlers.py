"""Side effects of comment events, connected in ``CommentsConfig.ready``."""

from django.db.models.signals import post_delete, post_save


def blocklist_changed(sender, **kwargs):
    from .blocklist import bump_version

    bump_version()


def comment_deleted(sender, instance, **kwargs):
    """Keep the published count right and tell the cache, however a comment was deleted."""
    from .actions import forget_published_comment

    forget_published_comment(instance)


def connect() -> None:
    from .models import BlockedTerm, Comment

    post_save.connect(blocklist_changed, sender=BlockedTerm, dispatch_uid="comments-blocklist-saved")
    post_delete.connect(blocklist_changed, sender=BlockedTerm, dispatch_uid="comments-blocklist-deleted")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="comments-comment-deleted")
