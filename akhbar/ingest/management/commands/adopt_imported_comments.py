"""``akhbar adopt-imported-comments [--site KEY] [--overwrite]``: move comments of earlier WordPress imports into the comments app.

Imports made before the comments app adopted comments left them in
``ingest.ImportedComment``; this command adopts them (threaded, statuses
mapped, counts right; see ``akhbar.ingest.comments``). Running it again does
nothing new. The page cache is refreshed once at the end.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from akhbar.ingest.actions import adopt_imported_comments
from akhbar.ingest.comments import comments_available
from akhbar.ingest.models import WxrSite


class Command(BaseCommand):
    help = "Adopt comments of earlier WordPress imports (ingest.ImportedComment) into the comments app; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--site", default=None, help="only this imported site (its key, e.g. old.example or old.example/news)")
        parser.add_argument(
            "--overwrite", action="store_true",
            help="also re-apply rows adopted before, overwriting changes moderators made here since",
        )

    def handle(self, *args, site, overwrite, **options):
        if not comments_available():
            raise CommandError("the comments app (akhbar.comments) is not installed: nothing to adopt into")
        wxr_site = None
        if site:
            wxr_site = WxrSite.objects.filter(key=site).first()
            if wxr_site is None:
                known = ", ".join(WxrSite.objects.values_list("key", flat=True)[:20]) or "none"
                raise CommandError(f"no imported site {site!r} (imported sites: {known})")
        with translation.override(settings.LANGUAGE_CODE):
            report = adopt_imported_comments(site=wxr_site, overwrite=overwrite)
        self.stdout.write(report.as_text())
