from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "akhbar.ingest"
    label = "ingest"
    verbose_name = "Ingest"

    def ready(self):
        from django.apps import apps

        if apps.is_installed("akhbar.comments"):
            from akhbar.comments.signals import commenter_erased

            from .erasure import on_commenter_erased

            commenter_erased.connect(on_commenter_erased, dispatch_uid="ingest-erase-imported-comments")
