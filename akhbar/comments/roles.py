"""Who may moderate: the newsroom roles get the comment permissions after every ``migrate``.

Editors and chief editors moderate comments, manage the blocklist and switch
comments on and off; only chief editors answer readers' data requests
(export and erase by email). Idempotent; never removes a permission.
"""

from django.db import transaction

MODERATION_PERMISSIONS = [
    "view_comment", "change_comment", "delete_comment",
    "view_blockedterm", "add_blockedterm", "change_blockedterm", "delete_blockedterm",
    "view_discussion", "add_discussion", "change_discussion",
]
DATA_REQUEST_PERMISSIONS = ["handle_data_request"]


def grant_comment_permissions_after_migrate(sender, using="default", **kwargs):
    """``post_migrate`` receiver (runs after the newsroom's own, which creates the groups)."""
    from django.contrib.auth.management import create_permissions

    create_permissions(sender, verbosity=0, using=using)
    grant_comment_permissions()


@transaction.atomic
def grant_comment_permissions():
    from django.contrib.auth.models import Group, Permission

    from akhbar.news.newsroom import CHIEF_EDITORS, EDITORS

    plan = {EDITORS: MODERATION_PERMISSIONS, CHIEF_EDITORS: MODERATION_PERMISSIONS + DATA_REQUEST_PERMISSIONS}
    for group_name, codenames in plan.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        group.permissions.add(*Permission.objects.filter(content_type__app_label="comments", codename__in=codenames))
