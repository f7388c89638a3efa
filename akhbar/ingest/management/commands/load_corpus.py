"""``akhbar load-corpus PATH [PATH ...] [--limit N]``: import the JSON Lines news corpus."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from akhbar.ingest.corpus import load_corpus


class Command(BaseCommand):
    help = "Import articles from JSON Lines files (or folders of *.jsonl); idempotent, keyed by record id."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="JSONL files or folders holding *.jsonl")
        parser.add_argument("--limit", type=int, default=None, help="read at most N records (default: all)")
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args, paths, limit, no_progress, **options):
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path} does not exist")
        if limit is not None and limit < 0:
            raise CommandError("--limit must be 0 or more")
        bar = tqdm(total=limit, unit=" lines", file=sys.stderr, disable=no_progress, mininterval=1 if sys.stderr.isatty() else 15)

        def progress(read):
            bar.update(read - bar.n)

        def on_reject(file, number, reason):
            bar.write(f"rejected {file} line {number}: {reason}", file=sys.stderr)

        report = load_corpus(paths, limit=limit, progress=progress, on_reject=on_reject)
        bar.close()
        self.stdout.write(
            f"created {report.created}, already present {report.existing}, rejected {len(report.rejected)} "
            f"in {report.seconds:.1f} s ({report.per_second:.0f} articles/s)"
        )
