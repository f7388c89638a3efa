"""``akhbar load-demo``: the project's own sample stories, with drawn images."""

from django.core.management.base import BaseCommand

from akhbar.news.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load (or re-date) the demo stories written for akhbar."

    def handle(self, *args, **options):
        created, redated = load_demo()
        self.stdout.write(f"demo stories: {created} created, {redated} re-dated")
