"""Each booking rule through the pages: the booking form (the board's click-to-book lands on
it), the check-out form on the booking page and walk-up dispatch. A block shows its message;
a dispatcher gets the override box and books with a reason; a pilot is told who may
override, with no box; warnings are messages after saving and listed on the booking page."""

import html
import re
from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from dispatch.models import Booking, Dispatch
from dispatch.services.bookings import booking_create
from tests.booking_rules.conftest import AT_CHECK_OUT, OUT, RULES, overrides_of, rule_params
from tests.conftest import client_for

OVERRIDE_BOX = 'name="override_reason"'
MAY_OVERRIDE = "A dispatcher or an admin may override it."


def _url(club, name, *args):
    return reverse(f"dispatch:{name}", args=[club.slug, *args])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _text(response) -> str:
    return html.unescape(response.content.decode())


@rule_params(RULES)
def test_booking_form_pilot_blocked_sees_who_may_override_and_no_box(scenario, set_rules, aircraft, club):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    before = Booking.objects.count()
    response = client_for(scenario.booker).post(_url(club, "booking_new"), scenario.form(aircraft, notes="Navex"))
    assert response.status_code == 400
    text = _text(response)
    assert MAY_OVERRIDE in text and OVERRIDE_BOX not in text
    assert "Navex" in text and scenario.start.strftime("%Y-%m-%dT%H:%M") in text  # what was typed stays
    assert Booking.objects.count() == before


@rule_params(RULES)
def test_booking_form_pilot_forging_a_reason_is_refused(scenario, set_rules, aircraft, club):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    response = client_for(scenario.booker).post(_url(club, "booking_new"),
                                                scenario.form(aircraft, override_reason="Trust me"))
    assert response.status_code == 400
    text = _text(response)
    assert "Only dispatchers and admins override" in text and OVERRIDE_BOX not in text


@rule_params(RULES)
def test_booking_form_dispatcher_overrides_with_a_reason(scenario, set_rules, aircraft, club, dispatcher):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    client = client_for(dispatcher)
    refused = client.post(_url(club, "booking_new"), scenario.form(aircraft, notes="Navex"))
    assert refused.status_code == 400
    text = _text(refused)
    assert OVERRIDE_BOX in text and "Give an override reason to book anyway." in text and "Book anyway" in text
    message = refused.context["form"].non_field_errors()[0]
    booked = client.post(_url(club, "booking_new"), scenario.form(aircraft, notes="Navex",
                                                                   override_reason="Chief pilot agreed"))
    assert booked.status_code == 302
    booking = Booking.objects.get(notes="Navex")
    assert [(f["code"], f["overridden"]) for f in booking.rule_findings] == [(scenario.code, True)]
    [event] = overrides_of(booking)
    assert event.details["reason"] == "Chief pilot agreed"
    despite = [m for m in _messages(booked) if m.startswith("Booked despite")]
    assert despite == [f"Booked despite {booking.rule_findings[0]['message'].rstrip('.')}: Chief pilot agreed"]
    assert booking.rule_findings[0]["message"] in message


@rule_params(RULES)
def test_booking_form_warning_is_a_message_and_on_the_booking_page(scenario, set_rules, aircraft, club, dispatcher):
    set_rules(**{scenario.rule: "warn"}, **scenario.parameters)
    client = client_for(dispatcher)
    response = client.post(_url(club, "booking_new"), scenario.form(aircraft, notes="Navex"))
    assert response.status_code == 302
    booking = Booking.objects.get(notes="Navex")
    [finding] = booking.rule_findings
    assert f"Rule warning: {finding['message']}" in _messages(response)
    page = _text(client.get(_url(club, "booking", booking.pk)))
    assert "Rule warnings at booking/check-out" in page and finding["message"] in page


@rule_params(AT_CHECK_OUT)
def test_check_out_form_block_override_and_pilot(scenario, set_rules, aircraft, club, dispatcher):
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    client = client_for(dispatcher)
    refused = client.post(_url(club, "check_out", booking.pk), OUT)
    assert refused.status_code == 400
    text = _text(refused)
    assert OVERRIDE_BOX in text and "Check out anyway" in text and 'value="1000.0"' in text
    club.pilots_self_dispatch = True
    club.save()
    pilot_page = client_for(scenario.booker).post(_url(club, "check_out", booking.pk), OUT)
    assert pilot_page.status_code == 400
    assert MAY_OVERRIDE in _text(pilot_page) and OVERRIDE_BOX not in _text(pilot_page)
    done = client.post(_url(club, "check_out", booking.pk), {**OUT, "override_reason": "Renewal posted"})
    assert done.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DISPATCHED
    assert any(m.startswith("Checked out despite") and m.endswith(": Renewal posted") for m in _messages(done))
    page = _text(client.get(_url(club, "booking", booking.pk)))
    assert "At check-out" in page and "Overridden block" in page


def _walkup_form(scenario, aircraft, **extra):
    end = timezone.localtime() + timedelta(hours=2)
    form = scenario.form(aircraft, **extra)
    del form["start"]
    return {**form, "end": end.strftime("%Y-%m-%dT%H:%M"), "hobbs_out": "1000.0", "tach_out": "800.0",
            "correction_reason": ""}


@rule_params([r for r in RULES if r != "horizon"])  # a walk-up starts now
def test_walkup_block_then_dispatcher_override(scenario, set_rules, aircraft, club, dispatcher):
    set_rules(**{scenario.rule: "block"}, **scenario.parameters)
    client = client_for(dispatcher)
    refused = client.post(_url(club, "walkup"), _walkup_form(scenario, aircraft, notes="Walk-up"))
    assert refused.status_code == 400
    assert OVERRIDE_BOX in _text(refused) and "Dispatch anyway" in _text(refused)
    assert not Booking.objects.filter(notes="Walk-up").exists()
    done = client.post(_url(club, "walkup"), _walkup_form(scenario, aircraft, notes="Walk-up",
                                                           override_reason="Instructor on the radio"))
    assert done.status_code == 302
    booking = Booking.objects.get(notes="Walk-up")
    assert booking.status == Booking.Status.DISPATCHED
    assert {f["code"] for f in booking.rule_findings} == {scenario.code}
    assert all(f["overridden"] for f in booking.rule_findings)
    assert overrides_of(booking)
    despite = [m for m in _messages(done) if "despite" in m]
    assert len(despite) == 1 and despite[0].startswith("Dispatched despite")
    assert despite[0].endswith(": Instructor on the radio")


def test_walkup_form_first_shows_no_override_box(club, dispatcher, aircraft):
    response = client_for(dispatcher).get(_url(club, "walkup") + f"?aircraft={aircraft.pk}")
    assert response.status_code == 200 and OVERRIDE_BOX not in _text(response)


def test_booking_form_first_shows_no_override_box(club, pilot, dispatcher):
    for who in (pilot, dispatcher):
        response = client_for(who).get(_url(club, "booking_new"))
        assert response.status_code == 200 and OVERRIDE_BOX not in _text(response)


@rule_params(["licence"])
def test_through_the_board_link_to_the_form(scenario, set_rules, aircraft, club, dispatcher, pilot):
    set_rules(licence="block")
    client = client_for(pilot)
    board = _text(client.get(_url(club, "board") + "?date=2030-06-10"))
    link = re.search(r'href="(/o/tac/bookings/new/\?aircraft=%d&start=[^"]+)"' % aircraft.pk, board).group(1)
    form = client.get(link)
    assert form.status_code == 200
    initial = form.context["form"].initial
    data = {"aircraft": aircraft.pk, "start": initial["start"].strftime("%Y-%m-%dT%H:%M"),
            "end": initial["end"].strftime("%Y-%m-%dT%H:%M"), "pic": pilot.pk, "purpose": "rental"}
    refused = client.post(_url(club, "booking_new"), data)
    assert refused.status_code == 400 and MAY_OVERRIDE in _text(refused)
    booked = client_for(dispatcher).post(_url(club, "booking_new"), {**data, "override_reason": "Licence seen"})
    assert booked.status_code == 302


@rule_params(["length"])
def test_the_board_shows_a_booking_with_warnings(scenario, set_rules, aircraft, club, dispatcher, pilot):
    set_rules(length="warn", **scenario.parameters)
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    assert booking.rule_findings
    for who in (pilot, dispatcher):
        response = client_for(who).get(_url(club, "board") + "?date=2030-06-10")
        assert response.status_code == 200
        assert _url(club, "booking", booking.pk) in response.content.decode()


def test_check_in_keeps_the_squawk_severity(club, dispatcher, booking):
    from dispatch.services.dispatching import booking_check_out

    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    client = client_for(dispatcher)
    page = _text(client.get(_url(club, "booking", booking.pk)))
    assert 'name="squawk_severity"' in page
    response = client.post(_url(club, "check_in", booking.pk), {
        "hobbs_in": "1001.0", "tach_in": "800.8", "squawks": "Left brake soft", "squawk_severity": "deferred"})
    assert response.status_code == 302
    record = Dispatch.objects.get(booking=booking)
    assert (record.squawks, record.squawk_severity) == ("Left brake soft", "deferred")


def test_check_in_refuses_an_unknown_severity(club, dispatcher, booking):
    from dispatch.services.dispatching import booking_check_out

    booking_check_out(actor=dispatcher, booking=booking, **OUT)
    response = client_for(dispatcher).post(_url(club, "check_in", booking.pk), {
        "hobbs_in": "1001.0", "tach_in": "800.8", "squawks": "Brake", "squawk_severity": "catastrophic"})
    assert response.status_code == 400
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.DISPATCHED


@rule_params(["length"])
def test_changing_a_booking_meets_the_rules_too(scenario, set_rules, aircraft, club, dispatcher):
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    set_rules(length="block", **scenario.parameters)
    client = client_for(dispatcher)
    form = scenario.form(aircraft, notes="Longer", end="2030-06-10T12:00")
    refused = client.post(_url(club, "booking_edit", booking.pk), form)
    assert refused.status_code == 400 and OVERRIDE_BOX in _text(refused) and "Save anyway" in _text(refused)
    saved = client.post(_url(club, "booking_edit", booking.pk), {**form, "override_reason": "Long cross-country"})
    assert saved.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "Longer" and booking.rule_findings[0]["overridden"]
    assert any(m.startswith("Changed despite") for m in _messages(saved))


@rule_params(["length"])
def test_a_change_of_the_notes_alone_is_not_refused(scenario, set_rules, aircraft, club, dispatcher):
    """The rules look at the aircraft, the times and the crew: a change of the notes alone
    is not asked again, and what the booking kept stays as it was."""
    booking = booking_create(actor=dispatcher, data=scenario.data(aircraft))
    kept = booking.rule_findings
    set_rules(length="block", **scenario.parameters)
    saved = client_for(dispatcher).post(_url(club, "booking_edit", booking.pk), scenario.form(aircraft, notes="Fuel"))
    assert saved.status_code == 302
    booking.refresh_from_db()
    assert booking.notes == "Fuel" and booking.rule_findings == kept


@rule_params(["licence"])
def test_a_reason_too_long_stays_in_its_box_with_the_error(scenario, set_rules, aircraft, club, dispatcher):
    set_rules(licence="block")
    response = client_for(dispatcher).post(_url(club, "booking_new"), scenario.form(aircraft, override_reason="x" * 301))
    assert response.status_code == 400
    assert OVERRIDE_BOX in _text(response) and "override_reason" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_the_booking_page_links_the_crew_to_their_qualifications(club, booking, pilot, dispatcher):
    link = reverse("booking_rules:member", args=[club.slug, pilot.pk])
    for who in (pilot, dispatcher):
        assert link in client_for(who).get(_url(club, "booking", booking.pk)).content.decode(), who
