import pytest
from django.core.management import CommandError, call_command
from django.db import connection


def test_current_history_passes(db):
    call_command("check_history")


def test_a_database_of_the_old_history_is_refused_with_what_to_delete(db):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('portal', '0001_initial', %s)",
                       ["2026-11-01 00:00:00"])
    with pytest.raises(CommandError, match=r"rm -rf var/"):
        call_command("check_history")
