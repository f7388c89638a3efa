"""``akhbar ensure-admin``: create the admin (and demo newsroom users) and print the login."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from akhbar.news.newsroom import CHIEF_EDITORS, EDITORS, REPORTERS


class Command(BaseCommand):
    help = "Create or reset the 'admin' superuser and demo users for each newsroom role; print the login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--no-role-users", action="store_true", help="do not create reporter/editor/chief users")

    def password(self) -> str:
        if os.environ.get("AKHBAR_ADMIN_PASSWORD"):
            return os.environ["AKHBAR_ADMIN_PASSWORD"]
        store = Path(settings.DATA_DIR) / "admin-password"
        if store.exists():
            return store.read_text().strip()
        value = secrets.token_urlsafe(12)
        store.write_text(value + "\n")
        store.chmod(0o600)
        return value

    def handle(self, *args, username, no_role_users, **options):
        User = get_user_model()
        password = self.password()
        user, _ = User.objects.get_or_create(username=username, defaults={"email": "admin@example.invalid"})
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        lines = [f"admin login: {settings.AKHBAR_BASE_URL}/admin/  user: {username}  password: {password}"]
        if not no_role_users:
            for name, group in (("reporter", REPORTERS), ("editor", EDITORS), ("chief", CHIEF_EDITORS)):
                member, _ = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.invalid"})
                member.set_password(password)
                member.save()
                member.groups.add(Group.objects.get(name=group))
            lines.append(f"newsroom roles (same password): reporter ({REPORTERS}), editor ({EDITORS}), chief ({CHIEF_EDITORS})")
        for line in lines:
            self.stdout.write(line)
