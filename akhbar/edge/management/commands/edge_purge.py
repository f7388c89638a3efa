"""``akhbar edge-purge``: invalidate cached pages by tag, or all of them."""

from django.core.management.base import BaseCommand, CommandError

from akhbar.edge import purge
from akhbar.edge.store import store


class Command(BaseCommand):
    help = "Invalidate cached pages: --tag TAG (repeatable, e.g. section:7, home) or --all."

    def add_arguments(self, parser):
        parser.add_argument("--tag", action="append", default=[], help="cache tag to purge (see akhbar/edge/tags.py)")
        parser.add_argument("--all", action="store_true", help="every page (tag 'site'), also at the proxy/CDN root")
        parser.add_argument("--drop", action="store_true", help="with --all: also delete stale copies (empties the edge cache)")

    def handle(self, *args, **options):
        if not options["tag"] and not options["all"]:
            raise CommandError("give --tag TAG or --all")
        if options["all"]:
            if options["drop"]:
                store.clear()
            purge.purge_everything()
            self.stdout.write("purged every page")
        if options["tag"]:
            purged = purge.purge_tags(*options["tag"])
            self.stdout.write("purged: " + ", ".join(purged))
