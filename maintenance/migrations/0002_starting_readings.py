"""Every aircraft that flew before the meter chain existed starts it with its meters as they
stand (the last check-in's): the hours maintenance counts begin there."""

from django.db import migrations
from django.utils import timezone


def start_chains(apps, schema_editor):
    Aircraft = apps.get_model("dispatch", "Aircraft")
    MeterReading = apps.get_model("maintenance", "MeterReading")
    now = timezone.now()
    MeterReading.objects.bulk_create([
        MeterReading(organization_id=a.organization_id, aircraft_id=a.pk, at=now, source="initial", hobbs=a.hobbs,
                     tach=a.tach, hours=a.tach, note="The meters when maintenance tracking began")
        for a in Aircraft.objects.all().only("pk", "organization_id", "hobbs", "tach")])


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial"), ("dispatch", "0004_grounding_squawks_and_rule_findings")]
    operations = [migrations.RunPython(start_chains, migrations.RunPython.noop)]
