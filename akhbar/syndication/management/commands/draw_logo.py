"""``akhbar draw-logo``: draw the publisher logos (PNG) into the syndication app's static folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from akhbar.syndication.logo import STATIC_DIR, draw_logos


class Command(BaseCommand):
    help = "Draw the publisher logo PNGs (600x60 and 512x512) with the site name."

    def add_arguments(self, parser):
        parser.add_argument("--text", default=None, help="Text of the logo (default: AKHBAR_SITE_NAME).")
        parser.add_argument("--out", default=str(STATIC_DIR / "syndication"), help="Output folder.")

    def handle(self, *args, **options):
        try:
            paths = draw_logos(options["text"] or settings.AKHBAR_SITE_NAME, Path(options["out"]))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        for path in paths:
            self.stdout.write(f"wrote {path}")
