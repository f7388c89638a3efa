from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EdgeConfig(AppConfig):
    """Page cache for anonymous readers, HTTP caching headers and CDN purge."""

    name = "akhbar.edge"
    label = "edge"
    verbose_name = _("Edge cache")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
