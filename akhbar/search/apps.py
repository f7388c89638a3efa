from django.apps import AppConfig


class SearchConfig(AppConfig):
    """akhbar's Arabic search: analyser, own index tables, search page and API."""

    name = "akhbar.search"
    label = "search"
    verbose_name = "Search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
