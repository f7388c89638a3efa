from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "akhbar.comments"
    label = "comments"
    verbose_name = _("Reader comments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import conf, signal_handlers
        from .roles import grant_comment_permissions_after_migrate

        conf.rates()  # a malformed AKHBAR_COMMENT_RATE stops the process at start-up, not at the first comment
        signal_handlers.connect()
        post_migrate.connect(grant_comment_permissions_after_migrate, sender=self)
