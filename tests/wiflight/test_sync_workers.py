"""The reservation sync with real Celery worker processes, against the simulator over HTTP.

Runs in both configurations: embedded (SQLite + kombu's filesystem broker in a per-test
folder) and scaled (DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://...). The test
process publishes kicks for real (Celery not eager) and the workers share its test database,
hence `transactional_db`. Short backoff, lease and sweep come from the workers' environment.
"""

import hashlib
import random
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from dispatch.models import Booking, BookingCrew
from dispatch.services.bookings import BookingInput, booking_cancel, booking_create, booking_update
from integrations.wiflight.client import WiFlightClient, WiFlightError
from integrations.wiflight.documents import wanted_reservation
from integrations.wiflight.models import ReservationSync
from integrations.wiflight.xml import build_reservation_xml, parse_reservation_xml
from tests.conftest import make_member
from tests.wiflight.conftest import FLEET_ADMIN, FLEET_PASSWORD, NAME_DOMAIN
from tests.wiflight.workers import CeleryWorkers, is_scaled, wait_until

PIC = BookingCrew.Role.PIC
SYNC_ENV = {
    "WIFLIGHT_SYNC_BACKOFF_BASE": "1",
    "WIFLIGHT_SYNC_BACKOFF_CAP": "2",
    # Longer than one send under the 2 s delay fault (login + PUT), short enough to recover fast.
    "WIFLIGHT_SYNC_LEASE_SECONDS": "6",
    "WIFLIGHT_SYNC_SWEEP_SECONDS": "1",
    "WIFLIGHT_SYNC_DRAIN_SECONDS": "5",
}


@pytest.fixture
def workers(transactional_db, connection, tmp_path):
    # Depends on transactional_db so the workers are gone before the tables are flushed.
    pool = CeleryWorkers(tmp_path, SYNC_ENV)
    try:
        yield pool
    finally:
        pool.stop_all()
        pool.restore()
        print(pool.tail())  # pytest shows it only when the test failed


@pytest.fixture
def sim_client(sim):
    client = WiFlightClient(sim.base_url, FLEET_ADMIN, FLEET_PASSWORD)
    yield client
    client.session.close()


def _slot(i: int) -> datetime:
    """Booking i lives in its own 4-hour window, so every edit within it keeps the aircraft
    and crew overlap rules satisfied whatever aircraft and pilot it picks."""
    base = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    return base + timedelta(hours=4 * i)


def _put_log(sim, name: str | None = None) -> list[dict]:
    query = {"method": "PUT", "limit": 10000, **({"reservation": name} if name else {})}
    return sim.control("GET", f"requests?{urlencode(query)}")["requests"]


def _all_synced() -> bool:
    rows = list(ReservationSync.objects.values_list("state", "synced_version", "wanted_version"))
    return bool(rows) and all(state == "synced" and synced == wanted for state, synced, wanted in rows)


def _queue_summary() -> str:
    from collections import Counter

    return str(Counter(ReservationSync.objects.values_list("state", flat=True)))


def _remote(client: WiFlightClient, name: str):
    try:
        return parse_reservation_xml(client.get_reservation(name)[0])
    except WiFlightError as exc:
        if exc.status == 404:
            return None
        raise


def _assert_simulator_matches_bookings(sim, client, conn) -> int:
    """Field by field: every live booking is at the simulator as booked; cancelled ones are not."""
    checked = 0
    for booking in Booking.objects.select_related("aircraft").prefetch_related("crew__membership"):
        name = conn.reservation_name(str(booking.uid))
        remote = _remote(client, name)
        if booking.status == Booking.Status.CANCELLED:
            assert remote is None, f"cancelled booking {name} is still at Wi-Flight"
            continue
        assert remote is not None, f"booking {name} is missing at Wi-Flight"
        assert (remote.name, remote.domain, remote.tail, remote.start, remote.end) == (
            name, conn.match_domain, booking.aircraft.registration, booking.start, booking.end)
        assert sorted(u.name for u in remote.crew) == sorted(s.membership.wiflight_username for s in booking.crew.all())
        checked += 1
    live = Booking.objects.exclude(status=Booking.Status.CANCELLED).count()
    assert sim.control("GET", "stats")["reservations"] == live  # nothing extra over there
    return checked


def _overlapping(spans: list[tuple[datetime, datetime]]) -> list:
    """Spans that start before an earlier-starting span has ended."""
    found, latest_end = [], None
    for begins, ends in sorted(spans):
        if latest_end is not None and begins < latest_end:
            found.append((begins, ends))
        latest_end = ends if latest_end is None else max(latest_end, ends)
    return found


def test_edits_during_an_outage_become_one_put_of_the_final_state(
        workers, sim, sim_client, connection, book, aircraft, aircraft2, pilot, pilot2, dispatcher):
    workers.start("sweeper", beat=True)
    sim.faults(unavailable=True)
    start = _slot(0)
    booking = book(aircraft, start, start + timedelta(hours=1), [(pilot, PIC)])
    sync = ReservationSync.objects.get(booking=booking)
    for i in range(100):
        begins = start + timedelta(minutes=i)
        booking = booking_update(actor=dispatcher, booking=booking, data=BookingInput(
            aircraft=(aircraft, aircraft2)[i % 2], start=begins, end=begins + timedelta(minutes=60 + i),
            crew=[((pilot, pilot2)[i % 3 == 0], PIC)]))
    # The workers really tried (and failed: the login is refused first) while Wi-Flight was down.
    wait_until(lambda: ReservationSync.objects.filter(pk=sync.pk, attempts__gte=2, last_error__contains="wiflight_unreachable").exists(),
               timeout=30, what="attempts failed during the outage")
    sync.refresh_from_db()
    assert sync.wanted_version == 101 and sync.state in ("failed", "pending")

    sim.faults(clear=True)
    wait_until(_all_synced, timeout=60, what="the reservation to be synced after the outage")

    sync.refresh_from_db()
    assert sync.synced_version == sync.wanted_version == 101
    accepted = [r for r in _put_log(sim, sync.name) if 200 <= r["status"] < 300]
    assert len(accepted) == 1, accepted
    final = build_reservation_xml(wanted_reservation(sync, connection))
    assert accepted[0]["body_sha256"] == hashlib.sha256(final).hexdigest()
    assert _assert_simulator_matches_bookings(sim, sim_client, connection) == 1


def test_a_thousand_changes_under_random_failures_end_equal_field_by_field(
        workers, sim, sim_client, connection, club, aircraft, aircraft2, dispatcher):
    pilots = [make_member(club, f"crew{i}", is_pilot=True) for i in range(6)]
    fleet = (aircraft, aircraft2)
    sim.faults(fail_fraction=0.3)
    workers.start("w1", beat=True)
    workers.start("w2")
    workers.wait_ready("w1", "w2")
    rng = random.Random(20301)
    ops = ["create"] * 200 + ["edit"] * 760 + ["cancel"] * 40
    rng.shuffle(ops)
    live: dict[int, tuple[Booking, int]] = {}
    done = {"create": 0, "edit": 0, "cancel": 0}

    def wanted(slot: int) -> BookingInput:
        begins = _slot(slot) + timedelta(minutes=10 * rng.randrange(7))
        crew = rng.sample(pilots, rng.choice((1, 2)))
        return BookingInput(aircraft=rng.choice(fleet), start=begins, end=begins + timedelta(minutes=rng.choice((60, 90, 120))),
                            crew=[(crew[0], PIC)] + [(m, BookingCrew.Role.PASSENGER) for m in crew[1:]])

    began = time.monotonic()
    for op in ops:
        if op != "create" and not live:
            op = "create"
        if op == "create":
            slot = done["create"] + done["edit"] + done["cancel"]  # a fresh window per booking
            booking = booking_create(actor=dispatcher, data=wanted(slot))
            live[booking.pk] = (booking, slot)
        elif op == "edit":
            booking, slot = live[rng.choice(list(live))]
            live[booking.pk] = (booking_update(actor=dispatcher, booking=booking, data=wanted(slot)), slot)
        else:
            booking, _ = live.pop(rng.choice(list(live)))
            booking_cancel(actor=dispatcher, booking=booking)
        done[op] += 1
    enqueued = time.monotonic() - began
    assert sum(done.values()) == 1000

    wait_until(_all_synced, timeout=120, interval=0.5, what=f"1,000 changes to be synced ({_queue_summary()})")
    drained = time.monotonic() - began
    stats = sim.control("GET", "stats")
    sim.faults(clear=True)  # our own reads must not be failed at random
    checked = _assert_simulator_matches_bookings(sim, sim_client, connection)
    print(f"\n1,000 changes {done}: enqueued in {enqueued:.1f}s, all synced after {drained:.1f}s; "
          f"{checked} reservations checked; simulator: {stats['requests_by_method_status']}")


def test_a_worker_killed_mid_send_loses_nothing(workers, sim, sim_client, connection, book, aircraft, aircraft2,
                                                 pilot, pilot2, dispatcher):
    sim.faults(delay=2)
    workers.start("doomed")
    bookings = [book((aircraft, aircraft2)[i % 2], _slot(i), _slot(i) + timedelta(hours=1), [((pilot, pilot2)[i % 2], PIC)])
                for i in range(4)]
    booking_update(actor=dispatcher, booking=bookings[0], data=BookingInput(
        aircraft=aircraft, start=_slot(0), end=_slot(0) + timedelta(hours=2), crew=[(pilot2, PIC)]))
    booking_cancel(actor=dispatcher, booking=Booking.objects.get(pk=bookings[1].pk))

    # Kill while a request is in flight: a lease is held and the simulator is still sleeping.
    leased = wait_until(lambda: list(ReservationSync.objects.exclude(lease_owner="").values_list("pk", "lease_owner")),
                        timeout=30, interval=0.05, what="the worker to claim a reservation")
    time.sleep(1)
    assert ReservationSync.objects.filter(pk=leased[0][0], lease_owner=leased[0][1]).exists(), "send ended too soon"
    workers.kill("doomed")
    assert not _all_synced()

    workers.start("rescuer", beat=True)
    wait_until(_all_synced, timeout=60, what=f"every change to be synced after the kill ({_queue_summary()})")
    assert _assert_simulator_matches_bookings(sim, sim_client, connection) == 3
    orphan = ReservationSync.objects.get(pk=leased[0][0])
    assert orphan.lease_owner == "" and orphan.synced_version == orphan.wanted_version


def test_two_workers_never_send_one_reservation_twice_at_once(workers, sim, sim_client, connection, club, aircraft,
                                                                aircraft2, dispatcher):
    """On PostgreSQL + Redis, 2 workers x 2 processes compete for the same rows.

    The assertion: the simulator logs each request's end time (`at`) and duration, so each
    PUT occupied [at - duration, at] at the server. For one reservation these intervals must
    be disjoint. A request that starts after the previous one's response was received always
    passes (the log row is written before the response leaves), so the check has no false
    alarms; and with a 0.2 s delay on every request, two workers sending the same row at once
    would overlap by construction. We also require overlap *between different* reservations,
    so the run demonstrably had parallel senders that the check could have caught.
    """
    if not is_scaled():
        pytest.skip("needs DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (the scaled configuration)")
    pilots = [make_member(club, f"crew{i}", is_pilot=True) for i in range(4)]
    sim.faults(delay=0.2)
    workers.start("w1", beat=True, concurrency=2)
    workers.start("w2", concurrency=2)
    workers.wait_ready("w1", "w2")  # edits must race live senders, not pile up before they start
    rng = random.Random(7)
    bookings = [booking_create(actor=dispatcher, data=BookingInput(
        aircraft=(aircraft, aircraft2)[i % 2], start=_slot(i), end=_slot(i) + timedelta(hours=1),
        crew=[(pilots[i % 4], PIC)])) for i in range(8)]
    for n in range(200):
        i = rng.randrange(len(bookings))
        begins = _slot(i) + timedelta(minutes=10 * rng.randrange(7))
        bookings[i] = booking_update(actor=dispatcher, booking=bookings[i], data=BookingInput(
            aircraft=rng.choice((aircraft, aircraft2)), start=begins, end=begins + timedelta(hours=1),
            crew=[(rng.choice(pilots), PIC)]))
    wait_until(_all_synced, timeout=90, what=f"200 edits to be synced ({_queue_summary()})")
    _assert_simulator_matches_bookings(sim, sim_client, connection)

    by_name: dict[str, list[tuple[datetime, datetime]]] = {}
    for r in _put_log(sim):
        end = datetime.fromisoformat(r["at"])
        by_name.setdefault(r["reservation"], []).append((end - timedelta(milliseconds=r["duration_ms"]), end))
    overlaps = {name: _overlapping(spans) for name, spans in by_name.items()}
    assert not any(overlaps.values()), f"PUTs of one reservation overlapped: {overlaps}"
    assert _overlapping([s for spans in by_name.values() for s in spans]), "the senders never ran in parallel"
    print(f"\n{sum(map(len, by_name.values()))} PUTs over {len(by_name)} reservations, none overlapping per reservation")
