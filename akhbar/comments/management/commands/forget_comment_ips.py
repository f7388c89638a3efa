from django.core.management.base import BaseCommand

from akhbar.comments.actions import forget_old_ip_addresses


class Command(BaseCommand):
    help = "Clear the IP address stored with comments older than AKHBAR_COMMENT_IP_RETENTION_DAYS (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Override AKHBAR_COMMENT_IP_RETENTION_DAYS.")

    def handle(self, *args, days=None, **options):
        cleared = forget_old_ip_addresses(days)
        self.stdout.write(f"cleared the IP address of {cleared} comments")
