"""Every public service protects itself: called with an actor of another club, it refuses
and changes nothing. The walk discovers the services, so one added later cannot skip it:
a public function of a services module either takes `actor` (and is called here with an
admin of another club) or is marked `@system_entry_point(reason)` (core.entry_points)."""

import importlib
import importlib.util
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django.apps import apps

from core.errors import NotFound, Refusal
from dispatch.models import BookingCrew
from tests.conftest import at

SERVICE_PACKAGES = ["clubs.services", "dispatch.services", "flights.services", "integrations.wiflight", "api.keys",
                    "integrations.webhooks", "api.oauth_apps", "accounting.services", "maintenance.services",
                    "booking_rules.services", "calendars.services", "reminders"]
# Modules in those packages that hold services (the rest are rules, documents, transports).
SERVICE_MODULE_SUFFIXES = ("services", "bookings", "dispatching", "fleet", "logbook", "assignment", "ingest",
                           "sync_sending", "sync_marking", "connection_services", "notifications", "reconciliation",
                           "manual_entries", "delivery", "endpoints", "outbox", "availability", "connection_test",
                           "accounts", "charges", "ledger", "invoices", "payments", "expenses", "terms",
                           "grounding", "items", "squawks", "planner", "sender")

def _service_modules():
    for package_name in SERVICE_PACKAGES:
        if importlib.util.find_spec(package_name.split(".")[0]) is None:
            continue
        try:
            package = importlib.import_module(package_name)
        except ModuleNotFoundError as missing:  # a package still being written (reminders' planner and sender)
            if missing.name != package_name:
                raise
            continue
        if not hasattr(package, "__path__"):
            yield package
            continue
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.endswith(SERVICE_MODULE_SUFFIXES):
                yield importlib.import_module(f"{package_name}.{info.name}")


def _public_functions():
    seen = {}
    for module in _service_modules():
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            # `__mutmut`: the mutant copies `make mutate` puts beside each function.
            if name.startswith("_") or "__mutmut" in name or fn.__module__ != module.__name__:
                continue
            seen[f"{module.__name__}.{name}"] = fn
    return seen


def _actor_services():
    """Services a member calls. A system entry point may take `actor` only to name who is
    recorded in the audit (accounting's ledger steps): the service that called it checked them."""
    return {k: f for k, f in _public_functions().items() if "actor" in inspect.signature(f).parameters
            and not getattr(f, "system_entry_point", "")}


def test_every_public_service_takes_an_actor_or_says_why_not():
    functions = _public_functions()
    assert len(_actor_services()) >= 12  # the walk itself works
    unchecked = [name for name, fn in functions.items()
                 if "actor" not in inspect.signature(fn).parameters
                 and not getattr(fn, "system_entry_point", "")]
    assert unchecked == [], "give these an actor, or mark them @system_entry_point(reason)"


def _snapshot():
    """Every row of every model of ours: a refused call must leave all of them as they were."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in {"clubs", "dispatch", "flights", "wiflight", "api", "webhooks", "accounting",
                                     "maintenance", "booking_rules", "calendars", "reminders"}:
            rows[model._meta.label] = sorted(map(repr, model.objects.values()))
    return rows


@pytest.fixture
def victims(club, admin, pilot, student, instructor, aircraft, book, dispatcher):
    from flights.models import Flight, LogbookEntry
    from integrations.wiflight.models import FlightNotification, ReservationSync, WiFlightConnection

    booking = book(aircraft, at(10, 9), at(10, 11), [(pilot, BookingCrew.Role.PIC)])
    flown = book(aircraft, at(11, 9), at(11, 11), [(student, BookingCrew.Role.STUDENT),
                                                   (instructor, BookingCrew.Role.INSTRUCTOR)])
    flight = Flight.objects.create(organization=club, wiflight_id="4242", aircraft=aircraft, tail=aircraft.registration,
                                   start=at(12, 9), length_seconds=3600, engine_seconds=3500, airtime_seconds=3000,
                                   raw_document="<flight/>", source="notification")
    entry = LogbookEntry.objects.create(organization=club, flight=flight, membership=pilot, date=at(12, 9).date(),
                                        registration=aircraft.registration, block_minutes=60, air_minutes=50)
    connection = WiFlightConnection.objects.create(organization=club, base_url="https://wiflight.example/",
                                                   username="club@tac", name_domain="tac.example.com")
    sync = ReservationSync.objects.create(organization=club, name="x@tac.example.com", kind="booking",
                                          booking=booking, state="dead", next_attempt_at=at(10, 8))
    notification = FlightNotification.objects.create(organization=club, wiflight_flight_id="4242",
                                                     reservation_name="x@tac.example.com", body=b"<x/>", state="failed")
    from api.keys import api_key_create

    key, _ = api_key_create(actor=admin, name="club script", scopes="read")
    from integrations.webhooks.models import WebhookEndpoint, WebhookMessage

    endpoint = WebhookEndpoint(organization=club, url="https://hooks.example.com/in", events=["booking.created"])
    endpoint.set_secret("whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0")
    endpoint.save()
    webhook_message = WebhookMessage.objects.create(
        endpoint=endpoint, organization=club, event="booking.created", object_type="booking", object_id=str(booking.pk),
        ordering_key=f"booking:{booking.pk}", body="{}", created_at=at(10, 8), queued_at=at(10, 8),
        next_attempt_at=at(10, 8), state="dead")
    from api.oauth_apps import oauth_app_register

    app, _ = oauth_app_register(actor=admin, name="Logbook", redirect_uris=["https://logbook.example/cb"],
                                confidential=False)
    from dispatch.models import InstructorAvailability

    availability = InstructorAvailability.objects.create(organization=club, instructor=instructor,
                                                         start=at(14, 8), end=at(14, 12))
    money = _money_victims(club, pilot)
    issue14 = _maintenance_rules_calendar_victims(club, aircraft, pilot, student, instructor)
    return {**money, **issue14, "student": student, "instructor": instructor, "availability": availability, "app": app, "endpoint": endpoint, "webhook_message": webhook_message, "key": key, "notification": notification, "booking": booking, "flown": flown, "flight": flight, "entry": entry, "connection": connection,
            "sync": sync, "aircraft": aircraft, "membership": pilot, "club": club}


def _money_victims(club, pilot) -> dict:
    """An issued invoice with a line, a payment and an expense of the club, for the money services."""
    from datetime import date

    from accounting.models import Account, Expense, Invoice, InvoiceLine, Payment

    account = Account.objects.create(organization=club, membership=pilot)
    invoice = Invoice.objects.create(organization=club, account=account, currency="EUR", status="issued",
                                     number="INV-00001", total=Decimal("10"), issued_at=at(10, 8))
    line = InvoiceLine.objects.create(invoice=invoice, position=1, kind="manual", description="Fee", amount=Decimal("10"))
    payment = Payment.objects.create(organization=club, account=account, amount=Decimal("5"), method="cash",
                                     received_on=date(2030, 6, 1))
    expense = Expense.objects.create(organization=club, account=account, spent_on=date(2030, 6, 1),
                                     description="Oil", amount=Decimal("20"))
    return {"invoice": invoice, "line": line, "payment": payment, "expense": expense}


def _maintenance_rules_calendar_victims(club, aircraft, pilot, student, instructor) -> dict:
    """An inspection with a sign-off, an open squawk, a checkout, a solo endorsement and a club
    event of the club, for the maintenance, booking-rules and calendar services."""
    from datetime import date

    from booking_rules.models import AircraftCheckout, SoloEndorsement
    from calendars.models import ClubEvent
    from maintenance.models import MaintenanceItem, Squawk

    item = MaintenanceItem.objects.create(organization=club, aircraft=aircraft, kind="hundred_hour", name="100-hour",
                                          interval_hours=Decimal("100"), tolerance_hours=Decimal("10"),
                                          next_due_hours=Decimal("900"))
    squawk = Squawk.objects.create(organization=club, aircraft=aircraft, description="Flap squeaks",
                                   severity="minor", reported_by=pilot.user, reported_at=at(10, 12))
    checkout = AircraftCheckout.objects.create(organization=club, membership=pilot, aircraft_type="Robin DR400",
                                               granted_on=date(2030, 6, 1))
    endorsement = SoloEndorsement.objects.create(organization=club, membership=student, instructor=instructor,
                                                 granted_on=date(2030, 6, 1), expires_on=date(2030, 7, 1))
    event = ClubEvent.objects.create(organization=club, kind="meeting", title="AGM", start=at(15, 18), end=at(15, 20))
    return {"item": item, "squawk": squawk, "checkout": checkout, "endorsement": endorsement, "event": event}


# Parameters left out for a function, where giving every one it takes would ask a different
# question (a feed is a member's or an aircraft's: both at once is refused as invalid).
LEFT_OUT = {"calendars.services.feed_create": {"aircraft"}, "calendars.services.feed_revoke": {"aircraft"}}


def _arguments(fn, victims, outsider):
    from clubs.services import MemberDetails
    from dispatch.services.bookings import BookingInput
    from dispatch.services.fleet import AircraftInput
    from flights.services.manual_entries import ManualEntryInput
    from booking_rules.services import RulesInput
    from calendars.services import EventInput
    from maintenance.services.items import ItemInput

    v = victims
    by_name = {
        "actor": outsider, "booking": v["booking"], "aircraft": v["aircraft"], "membership": v["membership"],
        "entry": v["entry"], "flight": v["flight"], "connection": v["connection"], "sync_id": v["sync"].pk,
        "organization": v["club"], "notification_id": v["notification"].pk, "hobbs_out": Decimal("1001"), "tach_out": Decimal("801"),
        "hobbs_in": Decimal("1002"), "tach_in": Decimal("802"), "reason": "because", "grounded": True,
        "active": False, "remarks": "r", "approaches": 0, "landings": 1, "changed_fields": set(), "password": "",
        "name": "Renamed", "timezone_name": "UTC", "wiflight_user_domain": "", "key": v["key"], "scopes": "read",
        "app": v["app"], "redirect_uris": ["https://x.example/cb"], "confidential": False,
        "endpoint": v["endpoint"], "message_id": v["webhook_message"].pk, "url": "https://hooks.example.com/in",
        "events": ["booking.created"], "description": "", "hobbs": Decimal("1500"), "tach": Decimal("1200"),
        "instructor": v["instructor"], "availability": v["availability"],
        "start": at(13, 8), "end": at(13, 12),
        # dispatch.services.dispatching.booking_check_in_correct
        "fuel_cost": Decimal("0"), "ground_hours": Decimal("0"),
        # accounting.services
        "invoice": v["invoice"], "line": v["line"], "payment": v["payment"], "expense": v["expense"],
        "member": v["membership"], "amount": Decimal("10"), "method": "cash", "received_on": at(10, 9).date(),
        "spent_on": at(10, 9).date(), "approve": True, "group": "member", "credit_limit": None,
        "currency": "EUR", "hours_step": "0.1", "money_step": "0.01", "payment_terms_days": 30,
        "invoice_prefix": "INV-", "credit_note_prefix": "CN-", "credit_limits": {}, "basis": "hobbs", "wet": True,
        "taxi_allowance_minutes": 0, "minimum_hours": Decimal("0"), "member_rate": Decimal("100"),
        "student_rate": None, "non_member_rate": None, "flight_rate": Decimal("50"), "ground_rate": Decimal("40"),
        # maintenance, booking_rules, calendars, reminders
        "item": v["item"], "squawk": v["squawk"], "checkout": v["checkout"], "endorsement": v["endorsement"],
        "student": v["student"], "event": v["event"], "expires_on": at(20, 9).date(), "aircraft_type": "Robin DR400",
        "severity": "deferred", "note": "checked", "notes": "done", "done_on": at(10, 9).date(),
        "done_hours": Decimal("850.0"), "photo": None, "kind": "booking_tomorrow", "email_reminders": False,
    }
    annotated = {
        "BookingInput": BookingInput(aircraft=v["aircraft"], start=at(13, 9), end=at(13, 10),
                                     crew=[(v["membership"], BookingCrew.Role.PIC)]),
        "AircraftInput": AircraftInput(registration="F-HIJK", aircraft_type="DR400"),
        "ManualEntryInput": ManualEntryInput(date=at(13, 9).date(), registration="F-HIJK", block_minutes=60,
                                             member=v["membership"]),
        "MemberDetails": MemberDetails(full_name="X", email="x@example.com", roles=frozenset({"pilot"}),
                                       instructor=v["membership"]),
        "ItemInput": ItemInput(kind="annual", name="Annual", interval_months=12, next_due_on=at(20, 9).date()),
        "RulesInput": RulesInput(medical="block"),
        "EventInput": EventInput(kind="ground_school", title="Ground school", start=at(16, 18), end=at(16, 20),
                                 instructor=v["instructor"]),
    }
    kwargs = {}
    left_out = LEFT_OUT.get(f"{fn.__module__}.{fn.__name__}", set())
    for name, param in inspect.signature(fn).parameters.items():
        if name in left_out:
            continue
        annotation = getattr(param.annotation, "__name__", str(param.annotation))
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if annotation in annotated:
            kwargs[name] = annotated[annotation]
        elif name in by_name:
            kwargs[name] = by_name[name]
        elif param.default is inspect.Parameter.empty:
            pytest.fail(f"{fn.__module__}.{fn.__name__}: no test value for parameter {name!r}")
    return kwargs


def _touches_club(kwargs, victims) -> bool:
    """Only calls naming an object of the victims' club can cross clubs; the rest act on the
    actor's own club (organization_update, a plain invite) and are not a tenancy question."""
    club_objects = {id(o) for o in victims.values()}
    return any(id(value) in club_objects or _holds_club_object(value, victims) for key, value in kwargs.items()
               if key != "actor") or any(name in kwargs for name in ("sync_id", "notification_id", "message_id"))


def _holds_club_object(value, victims) -> bool:
    return any(getattr(value, f, None) is victims[k]
               for f, k in (("aircraft", "aircraft"), ("instructor", "membership"), ("instructor", "instructor")))


@pytest.mark.django_db(transaction=False)
def test_every_service_refuses_an_actor_of_another_club(victims, outsider):
    called = []
    for name, fn in sorted(_actor_services().items()):
        kwargs = _arguments(fn, victims, outsider)
        if not _touches_club(kwargs, victims):
            continue
        before = _snapshot()
        with pytest.raises(Refusal) as refused:
            fn(**kwargs)
        assert isinstance(refused.value, NotFound), f"{name} answered {refused.value!r}, not 'not found'"
        assert _snapshot() == before, f"{name} changed something before refusing"
        called.append(name)
    assert len(called) >= 10
    assert {"accounting.services.invoices.invoice_void", "accounting.services.invoices.invoice_credit",
            "accounting.services.invoices.invoice_line_remove", "accounting.services.payments.payment_record",
            "accounting.services.payments.payment_void", "accounting.services.expenses.expense_decide",
            "accounting.services.terms.aircraft_terms_update", "accounting.services.terms.account_update",
            "dispatch.services.dispatching.booking_check_in_correct"} <= set(called)
    issue14 = {"maintenance.services.items.item_create", "maintenance.services.items.item_update",
               "maintenance.services.items.item_remove", "maintenance.services.items.item_sign_off",
               "maintenance.services.squawks.squawk_report", "maintenance.services.squawks.squawk_rate",
               "maintenance.services.squawks.squawk_clear", "booking_rules.services.checkout_grant",
               "booking_rules.services.checkout_revoke", "booking_rules.services.endorsement_grant",
               "booking_rules.services.endorsement_revoke", "calendars.services.event_create",
               "calendars.services.event_update", "calendars.services.event_cancel",
               "calendars.services.feed_create", "calendars.services.feed_revoke",
               "clubs.services.member_documents_update", "clubs.services.member_reminders_set"}
    assert issue14 - set(called) == set()


def test_an_aircraft_of_another_club_has_no_feed_for_an_outsider(aircraft, outsider):
    from calendars.models import CalendarFeed
    from calendars.services import feed_create, feed_revoke

    for service in (feed_create, feed_revoke):
        with pytest.raises(NotFound):
            service(actor=outsider, aircraft=aircraft)
    assert not CalendarFeed.objects.exists()
