"""``akhbar import-wxr FILE [--media-dir UPLOADS] [--dry-run] [--mapping FILE]``: import a WordPress export.

Exit status: 0 when every item was imported, updated or skipped; 1 when some
items failed (the rest is imported; the report lists each failure with its
WordPress id and reason); 2 when the file cannot be imported at all
(malformed or hostile XML, not a WordPress export, bad mapping file) — then
nothing was written.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from akhbar.ingest.actions import import_wordpress_export
from akhbar.ingest.wxr.mapping import MappingError, load_mapping
from akhbar.ingest.wxr.parse import WxrError


class Command(BaseCommand):
    help = "Import a WordPress export (WXR): posts, pages, categories, tags, authors, comments, media, redirects."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xml file WordPress exported (Tools → Export)")
        parser.add_argument("--media-dir", type=Path, default=None, help="a copy of wp-content/uploads (nothing is downloaded)")
        parser.add_argument("--dry-run", action="store_true", help="read, convert and report; write nothing")
        parser.add_argument("--mapping", type=Path, default=None, help="JSON file mapping categories/authors (docs/wordpress-import.md)")
        parser.add_argument("--site-url", default=None, help="the old site's URL when the export does not name it")
        parser.add_argument("--force", action="store_true", help="also overwrite pages editors changed in akhbar since the last import")
        parser.add_argument("--batch-size", type=int, default=500, help="posts written per transaction (default 500)")
        parser.add_argument("--report-json", type=Path, default=None, help="also write the full report as JSON to this file")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, media_dir, dry_run, mapping, site_url, force, batch_size, report_json, no_progress, **options):
        if not file.is_file():
            raise CommandError(f"{file} is not a file")
        try:
            mapping_obj = load_mapping(mapping)
        except MappingError as exc:
            self.stderr.write(f"error: {exc}")
            sys.exit(2)
        bar = tqdm(unit=" items", file=sys.stderr, disable=no_progress, mininterval=1 if sys.stderr.isatty() else 15, desc="import-wxr")

        def progress(done, total):
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        try:
            report = import_wordpress_export(
                file, media_dir=media_dir, dry_run=dry_run, mapping=mapping_obj, site_url=site_url,
                batch_size=batch_size, progress=progress, force=force,
            )
        except WxrError as exc:
            bar.close()
            self.stderr.write(f"error: {exc}")
            self.stderr.write("nothing was imported.")
            sys.exit(2)
        bar.close()
        self.stdout.write(report.as_text())
        if report_json:
            report_json.write_text(json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        if report.total("failed"):
            sys.exit(1)
