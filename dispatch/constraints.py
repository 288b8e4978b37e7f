"""A PostgreSQL exclusion constraint that stands aside on other databases.

The aircraft double-booking rule is guaranteed by PostgreSQL itself. SQLite has no exclusion
constraints: there the booking service checks and inserts under SQLite's immediate write lock
(see DATABASES in portal/settings.py), which serializes writers instead. Returning no SQL on
other backends keeps one model definition and one migration history for both.
"""

from django.contrib.postgres.constraints import ExclusionConstraint


class PostgresExclusionConstraint(ExclusionConstraint):
    def _applies(self, schema_editor) -> bool:
        return schema_editor.connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return super().constraint_sql(model, schema_editor) if self._applies(schema_editor) else None

    def create_sql(self, model, schema_editor):
        return super().create_sql(model, schema_editor) if self._applies(schema_editor) else None

    def remove_sql(self, model, schema_editor):
        return super().remove_sql(model, schema_editor) if self._applies(schema_editor) else None

    def validate(self, *args, **kwargs):
        # Model validation is the booking service's job (it names the conflicting booking);
        # the constraint is the guarantee underneath it.
        return None
