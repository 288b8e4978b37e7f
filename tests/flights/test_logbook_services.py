"""flights.services.logbook: the pilot completes their entry (no oversight audit), billing
stops them, admins change it after (audited as logbook.changed), outsiders find nothing."""

import pytest

from clubs.models import AuditEvent
from core.errors import NotAllowed, NotFound
from flights.models import LogbookEntry
from flights.services.logbook import logbook_mark_billed, logbook_update
from tests.conftest import at
from tests.flights.conftest import detect, reservation_for

FORM = {"remarks": " Circuits ", "approaches": 1, "landings": 4}


@pytest.fixture
def entry(club, booking, pilot, notify_conn):
    detect(club, "61", at(10, 9, 5), reservation_name=reservation_for(booking))
    return LogbookEntry.objects.get(membership=pilot)


def test_the_pilot_completes_their_entry_without_an_oversight_audit(entry, pilot):
    logbook_update(actor=pilot, entry=entry, **FORM)
    entry.refresh_from_db()
    assert (entry.remarks, entry.landings, entry.approaches) == ("Circuits", 4, 1) and entry.completed_at
    assert not AuditEvent.objects.filter(action="logbook.changed").exists()
    audit = AuditEvent.objects.get(action="flight_log.updated", target_id=str(entry.pk))
    assert audit.details["after"]["landings"] == 4


def test_billing_stops_the_pilot_and_the_admin_change_is_audited(entry, pilot, admin):
    assert logbook_mark_billed(actor=admin, entry=entry)
    assert AuditEvent.objects.filter(action="logbook.billed").count() == 1
    assert not logbook_mark_billed(actor=admin, entry=entry)
    with pytest.raises(NotAllowed) as refused:
        logbook_update(actor=pilot, entry=entry, **FORM)
    assert refused.value.code == "entry_billed"
    logbook_update(actor=admin, entry=entry, **FORM)
    assert "after billing" in AuditEvent.objects.get(action="logbook.changed").summary


def test_others_cannot_touch_an_entry(entry, pilot2, outsider, instructor):
    for actor in (pilot2, outsider):
        with pytest.raises(NotFound):
            logbook_update(actor=actor, entry=entry, **FORM)
        with pytest.raises(NotFound):
            logbook_mark_billed(actor=actor, entry=entry)
    entry.refresh_from_db()
    assert entry.remarks == "" and entry.billed_at is None


def test_only_admins_bill(entry, pilot):
    with pytest.raises(NotAllowed) as refused:
        logbook_mark_billed(actor=pilot, entry=entry)
    assert refused.value.code == "not_allowed"
