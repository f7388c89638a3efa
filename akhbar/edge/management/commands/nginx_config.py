"""``akhbar nginx-config``: print the nginx configuration serving the static mirror in front of akhbar."""

import os

from django.core.management.base import BaseCommand, CommandError

from akhbar.edge import conf, nginx


class Command(BaseCommand):
    help = (
        "Print an nginx server block (with its map/upstream blocks, for /etc/nginx/conf.d/) that serves "
        "pages from the static mirror (AKHBAR_STATIC_MIRROR_DIR) and passes everything else to akhbar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--mirror-dir", default="", help="default: AKHBAR_STATIC_MIRROR_DIR")
        parser.add_argument("--upstream", default=os.environ.get("AKHBAR_BIND", "127.0.0.1:8000"), help="akhbar serve's host:port (default AKHBAR_BIND or 127.0.0.1:8000)")
        parser.add_argument("--listen", default="80", help="nginx listen argument (default 80)")
        parser.add_argument("--server-name", default="_", help="server_name (default _)")
        parser.add_argument("--standalone", metavar="DIR", help="print a complete nginx.conf keeping pid, logs and temporary files in DIR (tests, benchmarks)")

    def handle(self, *args, **options):
        mirror_dir = options["mirror_dir"] or conf.get("AKHBAR_STATIC_MIRROR_DIR")
        if not mirror_dir:
            raise CommandError("set AKHBAR_STATIC_MIRROR_DIR (the same value akhbar serve runs with) or give --mirror-dir")
        try:
            text = nginx.render(mirror_dir, options["upstream"], options["listen"], options["server_name"], options["standalone"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(text, ending="")
