"""The ``akhbar`` console command: one entry point for everything an operator runs.

It is Django's ``manage.py`` with akhbar's settings preselected, and it accepts
dashed command names (``akhbar load-corpus``) as aliases of Django's
underscored ones (``load_corpus``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``argv`` defaults to ``sys.argv``.

    Exits with the command's status (Django raises ``SystemExit`` on errors).
    """
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.base")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
