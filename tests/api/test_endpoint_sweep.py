"""Every endpoint, walked from the URL patterns (one added later cannot skip it):

- a credential of another club gets 404 for every method, with our organization's slug and
  our objects' ids, and changes nothing;
- every list answers in a fixed number of queries, however many rows it holds;
- per persona (an OAuth token of each role), what each list answers.
"""

import json
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from django.utils import timezone
from oauth2_provider.models import AccessToken, set_token_value

from api import urls as api_urls
from api.oauth_apps import oauth_app_register
from calendars.services import EventInput, event_create
from dispatch.models import BookingCrew, InstructorAvailability
from flights.models import Flight, LogbookEntry
from maintenance.services.squawks import squawk_report
from tests.api.conftest import ApiClient, base
from tests.conftest import at, make_member

METHODS = ("get", "post", "patch", "delete")


def _org_patterns() -> list[URLPattern]:
    return [p for p in api_urls.urlpatterns if isinstance(p, URLPattern) and "<slug:slug>" in str(p.pattern)]


def _snapshot():
    rows = {}
    for model in apps.get_models():
        # A key records its last use and a request its count: that is all a refusal may change.
        if model._meta.app_label in {"clubs", "dispatch", "flights", "api", "webhooks", "accounting", "maintenance",
                                     "calendars", "booking_rules"} and \
                model._meta.label not in {"api.ApiKey", "api.RateLimitWindow"}:
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


@pytest.fixture
def ours(club, admin, pilot, aircraft, book):
    from accounting.services.expenses import expense_submit
    from accounting.services.invoices import invoice_line_add
    from accounting.services.payments import payment_record

    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    flight = Flight.objects.create(organization=club, wiflight_id="4242", aircraft=aircraft, tail=aircraft.registration,
                                   start=at(10, 9), length_seconds=3600, engine_seconds=3500, airtime_seconds=3000,
                                   raw_document="<flight/>", source="notification", booking=booking)
    entry = LogbookEntry.objects.create(organization=club, membership=pilot, date=at(10, 9).date(),
                                        registration="N1", block_minutes=60)
    invoice = invoice_line_add(actor=admin, member=pilot, description="Fee", amount=Decimal("10")).invoice
    today = timezone.localdate(timezone=club.tz)
    payment = payment_record(actor=admin, member=pilot, amount=Decimal("5"), method="cash", received_on=today)
    expense = expense_submit(actor=pilot, member=pilot, spent_on=today, description="Oil", amount=Decimal("3"))
    squawk = squawk_report(actor=pilot, aircraft=aircraft, description="Door rattles")
    event = event_create(actor=admin, data=EventInput(kind="meeting", title="AGM", start=at(12, 18), end=at(12, 20)))
    return {"booking": booking, "flight": flight, "entry": entry, "member": pilot, "aircraft": aircraft,
            "invoice": invoice, "payment": payment, "expense": expense, "squawk": squawk, "event": event}


def _pk_for(pattern: URLPattern, ours) -> int:
    name = pattern.name
    for key, names in (("booking", ("booking", "booking_cancel")), ("flight", ("flight",)),
                       ("entry", ("flight_log",)), ("member", ("member", "member_deactivate", "member_reactivate")),
                       ("aircraft", ("aircraft", "aircraft_status", "aircraft_maintenance_items", "aircraft_squawks")),
                       ("member", ("member_balance",)),
                       ("booking", ("booking_check_out", "booking_check_in")), ("squawk", ("squawk", "squawk_clear")),
                       ("event", ("event",)),
                       ("invoice", ("invoice", "invoice_issue", "invoice_void", "invoice_credit")),
                       ("payment", ("payment", "payment_void")),
                       ("expense", ("expense", "expense_approve", "expense_reject"))):
        if name in names:
            return ours[key].pk
    raise AssertionError(f"the sweep has no object for {name}: add it")


def _path(pattern: URLPattern, slug: str, ours) -> str:
    route = str(pattern.pattern).replace("<slug:slug>", slug)
    if "<int:pk>" in route:
        route = route.replace("<int:pk>", str(_pk_for(pattern, ours)))
    return "/api/v1/" + route


def test_the_sweep_sees_every_endpoint():
    assert len(_org_patterns()) >= 14


def test_another_clubs_credential_gets_404_everywhere_and_changes_nothing(club, ours, other_api):
    before = _snapshot()
    for pattern in _org_patterns():
        path = _path(pattern, club.slug, ours)
        for method in METHODS:
            response = getattr(other_api, method)(path, {}) if method in ("post", "patch") else getattr(
                other_api, method)(path)
            assert response.status_code in (404, 405), (method, path, response.status_code)
            assert response.json()["error"]["code"] in ("not_found", "method_not_allowed")
    assert _snapshot() == before


def test_our_ids_under_their_own_slug_are_not_found(ours, other_api, other_club):
    for pattern in _org_patterns():
        if "<int:pk>" not in str(pattern.pattern):
            continue
        path = _path(pattern, other_club.slug, ours)
        actions = ("cancel", "status", "activate", "issue", "void", "credit", "approve", "reject", "check-out",
                   "check-in", "clear")
        response = other_api.get(path) if not path.endswith(actions) else other_api.post(path, {})
        assert response.status_code == 404, (path, response.content)


@pytest.mark.parametrize("path", ["members", "aircraft", "bookings", "flights", "flight-logs", "squawks", "events",
                                  "instructor-availability"])
def test_every_list_takes_the_same_queries_for_few_or_many(api, club, admin, aircraft, book, path):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{base(club)}/{path}", {"page_size": "200"}).status_code == 200
        return len(ctx.captured_queries)

    def grow(n, offset):
        for i in range(n):
            m = make_member(club, f"m{offset + i}", is_pilot=True)
            start = at(10, 0) + timedelta(hours=offset + i)
            b = book(aircraft, start, start + timedelta(minutes=50), [(m, "pic")])
            f = Flight.objects.create(organization=club, wiflight_id=f"f{offset + i}", aircraft=aircraft,
                                      tail=aircraft.registration, start=start, length_seconds=3000,
                                      engine_seconds=2900, airtime_seconds=2500, raw_document="<flight/>",
                                      source="notification", booking=b)
            f.crew.create(membership=m, role="pic")
            f.events.create(kind="takeoff", time=start, airport="LFPN")
            LogbookEntry.objects.create(organization=club, membership=m, flight=f, date=start.date(),
                                        registration=aircraft.registration, block_minutes=50)
            squawk_report(actor=m, aircraft=aircraft, description=f"Squawk {offset + i}")
            event_create(actor=admin, data=EventInput(kind="meeting", title=f"Meeting {offset + i}", start=start,
                                                      end=start + timedelta(hours=1), instructor=None))
            InstructorAvailability.objects.create(organization=club, instructor=m, start=start,
                                                  end=start + timedelta(hours=1))

    grow(2, 0)
    queries()  # the key's first use of the minute also records it
    few = queries()
    grow(12, 100)
    assert queries() == few


def _token_for(membership, app, scope="read write") -> ApiClient:
    raw = secrets.token_urlsafe(30)
    token = AccessToken(user=membership.user, application=app, scope=scope,
                        expires=timezone.now() + timedelta(hours=1))
    set_token_value(token, raw)
    token.save()
    return ApiClient(raw)


PERSONAS = {
    # persona: what the lists answer (members is the only one a role can be refused)
    "admin": 200, "dispatcher": 200, "viewer": 200, "instructor": 403, "pilot": 403, "mechanic": 403,
}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_each_persona_reads_what_its_role_allows(persona, club, admin, ours, instructor, pilot, mechanic, dispatcher):
    viewer = make_member(club, "viewer", is_viewer=True)
    members = {"admin": admin, "dispatcher": dispatcher, "viewer": viewer, "instructor": instructor, "pilot": pilot,
               "mechanic": mechanic}
    app, _ = oauth_app_register(actor=admin, name="App", redirect_uris=["https://app.example/cb"], confidential=False)
    client = _token_for(members[persona], app)
    assert client.get(f"{base(club)}/members").status_code == PERSONAS[persona]
    bookings = client.get(f"{base(club)}/bookings").json()["data"]
    sees_all = persona in ("admin", "dispatcher", "viewer", "mechanic")
    assert [b["id"] for b in bookings] == ([str(ours["booking"].pk)] if sees_all or persona == "pilot" else [])
    entries = client.get(f"{base(club)}/flight-logs").json()["data"]
    assert bool(entries) == (persona in ("admin", "viewer", "pilot"))
    write = client.post(f"{base(club)}/aircraft", {"registration": f"F-{persona[:4].upper()}", "aircraft_type": "x"})
    assert write.status_code == (201 if persona == "admin" else 403), (persona, write.content)
    if persona == "viewer":
        assert write.json()["error"]["code"] == "not_allowed"
