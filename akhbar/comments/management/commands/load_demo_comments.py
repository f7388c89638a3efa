from django.core.management.base import BaseCommand

from akhbar.comments.demo import load_demo_comments


class Command(BaseCommand):
    help = "Add sample reader comments (one waiting for moderation) to the newest demo stories; idempotent."

    def handle(self, *args, **options):
        self.stdout.write(f"demo comments: {load_demo_comments()} created")
