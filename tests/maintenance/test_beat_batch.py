"""The hourly maintenance beat at fleet scale: a fixed number of queries per club, whatever
the number of aircraft, and only the aircraft whose status must move are touched."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dispatch.models import Aircraft
from maintenance.models import MaintenanceItem
from maintenance.services.items import ItemInput, item_create
from maintenance.tasks import check_due_all
from tests.maintenance.conftest import today_of


def _fleet(club, mechanic, count, start=0):
    made = []
    for i in range(start, start + count):
        aircraft = Aircraft.objects.create(organization=club, registration=f"F-B{i:03d}", aircraft_type="Robin DR400",
                                           hobbs=Decimal("100.0"), tach=Decimal("100.0"))
        item_create(actor=mechanic, aircraft=aircraft, data=ItemInput(
            kind="annual", name="Annual inspection", interval_months=12,
            next_due_on=today_of(club) + timedelta(days=90)))
        made.append(aircraft)
    return made


def _beat_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        assert check_due_all() == 0
    return len(queries)


def test_the_beat_asks_the_same_queries_for_three_aircraft_and_for_twenty(club, mechanic):
    _fleet(club, mechanic, 3)
    few = _beat_queries()
    _fleet(club, mechanic, 17, start=3)
    assert _beat_queries() == few


def test_the_beat_grounds_only_what_fell_overdue_and_releases_it_after(club, mechanic):
    fleet = _fleet(club, mechanic, 5)
    overdue = fleet[2]
    MaintenanceItem.objects.filter(aircraft=overdue).update(next_due_on=today_of(club) - timedelta(days=1))
    assert check_due_all() == 1
    statuses = dict(Aircraft.objects.filter(organization=club).values_list("registration", "status"))
    assert statuses.pop(overdue.registration) == Aircraft.Status.GROUNDED
    assert set(statuses.values()) == {Aircraft.Status.AVAILABLE}
    assert check_due_all() == 0
    MaintenanceItem.objects.filter(aircraft=overdue).update(next_due_on=today_of(club) + timedelta(days=30))
    assert check_due_all() == 1
    overdue.refresh_from_db()
    assert overdue.status == Aircraft.Status.AVAILABLE and not overdue.grounded_by_maintenance


def test_a_second_overdue_cause_moves_the_reason_shown_but_is_no_status_change(club, mechanic):
    (aircraft,) = _fleet(club, mechanic, 1)
    MaintenanceItem.objects.filter(aircraft=aircraft).update(next_due_on=today_of(club) - timedelta(days=1))
    assert check_due_all() == 1
    item_create(actor=mechanic, aircraft=aircraft, data=ItemInput(
        kind="elt", name="ELT battery", interval_months=12, next_due_on=today_of(club) - timedelta(days=400)))
    MaintenanceItem.objects.filter(aircraft=aircraft, name="Annual inspection").update(is_active=False)
    assert check_due_all() == 0
    aircraft.refresh_from_db()
    assert aircraft.is_grounded and "ELT battery" in aircraft.grounded_reason
