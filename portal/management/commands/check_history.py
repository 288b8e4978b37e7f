"""Refuse, with a message saying what to do, a database made before the migration history
was started afresh (when portal/ split into clubs/, dispatch/, flights/ and integrations/).

Without this, `migrate` on such a database dies with InconsistentMigrationHistory.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Migrations that exist only in the old history.
OLD_HISTORY = [("portal", "0001_initial"), ("dispatch", "0005_logbookentry_links"),
               ("wiflight", "0004_notification_retry_at")]


class Command(BaseCommand):
    help = "Check that the database's migration history is the current one."

    def handle(self, *args, **options):
        if "django_migrations" not in connection.introspection.table_names():
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
        if not applied.intersection(OLD_HISTORY):
            return
        where = connection.settings_dict["NAME"]
        raise CommandError(
            f"The database {where} was made by an older Flightline whose migration history has since been "
            "started afresh. It holds nothing but demo data: delete it (for the demo, `rm -rf var/`; for "
            "PostgreSQL, drop and create the database) and run the command again.")
