from django.core.management.base import BaseCommand

from akhbar.comments.actions import recount_published


class Command(BaseCommand):
    help = "Recompute the published-comment count of every article from the comments themselves."

    def handle(self, *args, **options):
        fixed = recount_published()
        self.stdout.write(f"corrected the comment count of {fixed} articles")
