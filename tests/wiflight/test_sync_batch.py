"""The batch path of the sync (docs/sync.md, "Batches"): a batch's outcomes recorded together
and each row ending where it would alone, a row edited while its PUT is on the wire sent
again, a batch's query count the same at any size, and one club's broken account never
spending the batch of another club.

Kicks are switched off while the rows are made (`quiet_kicks`), so each test claims and sends
its batch itself, against the simulator over real HTTP."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dispatch.models import Aircraft, Booking
from dispatch.services.bookings import BookingInput, booking_update
from integrations.wiflight import sync_marking, sync_sending
from integrations.wiflight.client import WiFlightClient, WiFlightError, WiFlightUnavailable
from integrations.wiflight.models import ReservationSync, WiFlightConnection
from tests.tcp_servers import closed_port
from tests.wiflight.conftest import FLEET_ADMIN, FLEET_PASSWORD, NAME_DOMAIN


@pytest.fixture
def quiet_kicks(monkeypatch):
    monkeypatch.setattr(sync_marking, "enqueue_send", lambda sync_id: None)


def _future(hours):
    start = (timezone.now() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=1)


def _rows(book, aircraft, pilot, count, first_hour=24):
    return [ReservationSync.objects.get(booking=book(aircraft, *_future(first_hour + 2 * i), [(pilot, "pic")]))
            for i in range(count)]


def _state(row):
    return ReservationSync.objects.filter(pk=row.pk).values_list(
        "state", "synced_version", "wanted_version", "attempts", "lease_owner").get()


def _claim(limit=50):
    owner = sync_sending.new_owner()
    return owner, sync_sending.claim_due(owner=owner, limit=limit)


def test_a_batch_of_mixed_outcomes_records_each_row_as_alone(connection, sim, quiet_kicks, book, aircraft, pilot,
                                                             monkeypatch):
    ok, refused, outage, timed_out = _rows(book, aircraft, pilot, 4)
    real_put = WiFlightClient.put_reservation

    def put(self, name, body, **kwargs):
        if name == refused.name:
            raise WiFlightError(403, "Cannot create this user")
        if name == outage.name:
            raise WiFlightUnavailable(self.where, retry_after=120)  # a 503 after login
        if name == timed_out.name:
            raise WiFlightUnavailable(self.where)
        return real_put(self, name, body, **kwargs)

    monkeypatch.setattr(WiFlightClient, "put_reservation", put)
    owner, claimed = _claim()
    assert [c.pk for c in claimed] == [ok.pk, refused.pk, outage.pk, timed_out.pk]
    before = timezone.now()
    states = sync_sending.sync_send_batch(claimed, owner)
    assert states == {ok.pk: "synced", refused.pk: "dead", outage.pk: "failed", timed_out.pk: "failed"}
    assert _state(ok) == ("synced", 1, 1, 0, "")
    assert _state(refused) == ("dead", 0, 1, 1, "")
    assert _state(outage)[:4] == ("failed", 0, 1, 1) and _state(timed_out)[:4] == ("failed", 0, 1, 1)
    rows = {r.pk: r for r in ReservationSync.objects.filter(pk__in=[ok.pk, refused.pk, outage.pk, timed_out.pk])}
    assert rows[refused.pk].last_error == "403 Cannot create this user"
    assert "wiflight_unreachable" in rows[outage.pk].last_error
    assert rows[outage.pk].next_attempt_at >= before + timedelta(seconds=120)  # Retry-After kept
    assert rows[timed_out.pk].next_attempt_at >= before
    assert rows[ok.pk].etag and not rows[refused.pk].etag
    # Nothing due again but, at most, the timed-out row once its short backoff (the tests'
    # settings) has run out on a slow machine: done, dead and Retry-After rows stay put.
    assert {c.pk for c in sync_sending.claim_due(owner=owner, limit=50)} <= {timed_out.pk}


def test_a_row_edited_while_its_put_is_on_the_wire_is_sent_again(connection, sim, quiet_kicks, book, aircraft, pilot,
                                                                 dispatcher, monkeypatch):
    first, raced, last = _rows(book, aircraft, pilot, 3)
    real_put = WiFlightClient.put_reservation
    edited = []

    def put(self, name, body, **kwargs):
        result = real_put(self, name, body, **kwargs)
        if name == raced.name and not edited:
            booking = Booking.objects.get(pk=raced.booking_id)
            edited.append(booking_update(actor=dispatcher, booking=booking, data=BookingInput(
                aircraft=aircraft, start=booking.start, end=booking.end + timedelta(hours=1), crew=[(pilot, "pic")])))
        return result

    monkeypatch.setattr(WiFlightClient, "put_reservation", put)
    owner, claimed = _claim()
    sync_sending.sync_send_batch(claimed, owner)
    assert _state(first)[:3] == ("synced", 1, 1) and _state(last)[:3] == ("synced", 1, 1)
    assert _state(raced)[:3] == ("pending", 1, 2)  # version 1 went out; 2 is still wanted
    assert sync_sending.drain(time_budget=10) == 1
    assert _state(raced)[:3] == ("synced", 2, 2)
    puts = sim.control("GET", "stats")["puts_ok"]
    assert (puts[first.name], puts[raced.name], puts[last.name]) == (1, 2, 1)


def _batch_queries(book, aircraft, pilot, count, first_hour) -> int:
    _rows(book, aircraft, pilot, count, first_hour)
    owner = sync_sending.new_owner()
    with CaptureQueriesContext(db_connection) as queries:
        claimed = sync_sending.claim_due(owner=owner, limit=100)
        states = sync_sending.sync_send_batch(claimed, owner)
    assert len(claimed) == count and set(states.values()) == {"synced"}
    return len(queries)


def test_a_batch_costs_the_same_queries_at_any_size(connection, sim, quiet_kicks, book, aircraft, aircraft2, pilot,
                                                    pilot2, dispatcher):
    from openid_provider.services import identity_for

    for member in (pilot, pilot2):
        identity_for(member.user)  # made on first use, once per member ever
    _rows(book, aircraft, pilot, 1, 400)
    owner, claimed = _claim()
    sync_sending.sync_send_batch(claimed, owner)  # logs in: the session is kept for what follows
    small = _batch_queries(book, aircraft, pilot, 2, 100)
    large = _batch_queries(book, aircraft2, pilot2, 12, 200)
    assert small == large


def test_a_club_whose_connection_fails_is_backed_off_whole_and_never_spends_the_others_batch(
        connection, sim, quiet_kicks, book, aircraft, pilot, other_club, outsider, monkeypatch):
    theirs = Aircraft.objects.create(organization=other_club, registration="F-GXYZ", aircraft_type="Cessna 152")
    broken = WiFlightConnection(organization=other_club, enabled=True, base_url=f"http://127.0.0.1:{closed_port()}",
                                username=FLEET_ADMIN, name_domain=NAME_DOMAIN, match_domain="flightline-test-other")
    broken.set_password(FLEET_PASSWORD)
    broken.save()
    # The broken club's rows first (the oldest in the queue), then the healthy club's.
    failing = _rows(lambda *a: book(*a, actor=outsider), theirs, outsider, 5, 24)
    healthy = _rows(book, aircraft, pilot, 3, 48)
    logins = []
    real_login = WiFlightClient.login
    monkeypatch.setattr(WiFlightClient, "login", lambda self: (logins.append(self.base_url), real_login(self))[1])
    monkeypatch.setattr(sync_sending.random, "uniform", lambda low, high: low)  # the shortest wait jitter allows

    owner, claimed = _claim(limit=6)  # the 5 broken rows and one healthy row
    assert [c.pk for c in claimed] == [r.pk for r in failing] + [healthy[0].pk]
    sent_at = timezone.now()
    states = sync_sending.sync_send_batch(claimed, owner)
    assert [states[r.pk] for r in failing] == ["failed"] * 5 and states[healthy[0].pk] == "synced"
    assert logins.count(broken.base_url) == 1  # tried once for the whole club, not once a row
    # The next batch is the healthy club's alone: the broken club waits, as a whole, the same time.
    owner, claimed = _claim(limit=6)
    assert [c.pk for c in claimed] == [r.pk for r in healthy[1:]]
    sync_sending.sync_send_batch(claimed, owner)
    waits = set(ReservationSync.objects.filter(pk__in=[r.pk for r in failing]).values_list("next_attempt_at", flat=True))
    assert len(waits) == 1
    # Not a moment later: even the shortest jitter is half the first ceiling (base x 2), so the
    # next attempt's timeout does not come round again at once.
    assert min(waits) - sent_at >= timedelta(seconds=django_settings.WIFLIGHT_SYNC_BACKOFF_BASE)
    assert all(_state(r)[0] == "synced" for r in healthy)


def test_a_broken_club_backs_off_its_rows_that_were_not_in_the_batch(
        connection, sim, quiet_kicks, book, aircraft, pilot):
    WiFlightConnection.objects.filter(pk=connection.pk).update(base_url=f"http://127.0.0.1:{closed_port()}")
    rows = _rows(book, aircraft, pilot, 4)
    owner, claimed = _claim(limit=1)
    sync_sending.sync_send_batch(claimed, owner)
    assert {_state(r)[0] for r in rows} == {"failed"}
    assert sync_sending.claim_due(owner=owner, limit=10) == []
    # One schedule for the club: its rows come due together, and cost one attempt then.
    assert len(set(ReservationSync.objects.filter(pk__in=[r.pk for r in rows]).values_list(
        "next_attempt_at", flat=True))) == 1


def test_a_slow_batch_renews_the_leases_of_the_rows_still_to_send(connection, sim, quiet_kicks, book, aircraft, pilot,
                                                                  settings):
    rows = _rows(book, aircraft, pilot, 3)
    owner, claimed = _claim()
    thief = ReservationSync.objects.filter(pk=rows[2].pk)
    thief.update(lease_owner="another-worker")  # its lease ran out and another worker took it
    settings.WIFLIGHT_SYNC_LEASE_SECONDS = 0  # every send "slow": renewed before each row
    states = sync_sending.sync_send_batch(claimed, owner)
    assert set(states) == {rows[0].pk, rows[1].pk}  # the stolen row is left to its new owner
    assert _state(rows[2])[0] == "pending" and thief.get().lease_owner == "another-worker"


def test_a_kick_drains_whatever_is_due(connection, sim, quiet_kicks, book, aircraft, pilot):
    rows = _rows(book, aircraft, pilot, 3)
    assert sync_sending.sync_one(rows[0].pk) == 3
    assert {_state(r)[0] for r in rows} == {"synced"}


def test_the_session_cache_is_bounded(settings, club, other_club):
    from integrations.wiflight import client as wiflight_client

    settings.WIFLIGHT_CLIENT_CACHE_SIZE = 1
    wiflight_client._clients.clear()
    conns = []
    for org in (club, other_club):
        conn = WiFlightConnection(organization=org, base_url="http://127.0.0.1:9", username="u", name_domain="x")
        conn.set_password("p")
        conns.append(conn)
    first = wiflight_client.client_for(conns[0])
    assert wiflight_client.client_for(conns[0]) is first
    wiflight_client.client_for(conns[1])
    assert list(wiflight_client._clients) == [other_club.pk]
    assert wiflight_client.client_for(conns[0]) is not first
    wiflight_client._clients.clear()

