from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NewsConfig(AppConfig):
    name = "akhbar.news"
    label = "news"
    verbose_name = "News"

    def ready(self):
        from . import cluster_init, from_db, renditions, signal_handlers
        from .newsroom import ensure_newsroom_after_migrate

        post_migrate.connect(ensure_newsroom_after_migrate, sender=self)
        signal_handlers.connect()
        renditions.install()  # parsed image filter specs reused (see renditions.py)
        cluster_init.install()  # page instances from the database built without listing child relations
        from_db.install()  # page and comment-switch rows into instances without Model.__init__ (see from_db.py)
