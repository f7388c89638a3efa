"""``akhbar prune-static-mirror``: remove mirrored pages older than AKHBAR_EDGE_TTL (run it from cron)."""

from django.core.management.base import BaseCommand

from akhbar.edge import conf, mirror


class Command(BaseCommand):
    help = (
        "Remove static mirror pages older than --max-age (default AKHBAR_EDGE_TTL) and leftovers. "
        "Run it every 10 minutes from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, default=None, help="seconds (default AKHBAR_EDGE_TTL)")

    def handle(self, *args, **options):
        root = mirror.mirror_root()
        if root is None:
            self.stdout.write("static mirror is off (AKHBAR_STATIC_MIRROR_DIR not set)")
            return
        max_age = options["max_age"] if options["max_age"] is not None else int(conf.get("AKHBAR_EDGE_TTL"))
        counts = mirror.prune(max_age, root)
        self.stdout.write(f"{root}: removed {counts['pages']} pages, {counts['index']} index entries, {counts['temporary']} temporary files")
