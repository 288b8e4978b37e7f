"""Cancelling asks for confirmation; the reason is shown on the booking; a cancelled booking's
Wi-Flight label reads as a removal, not as a failure. Deactivating a member asks too."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clubs.models import Membership
from dispatch.models import Booking
from integrations.wiflight.models import ReservationSync
from tests.conftest import client_for


def _cancel_url(club, booking):
    return reverse("dispatch:booking_cancel", args=[club.slug, booking.pk])


def test_the_booking_page_leads_to_a_confirmation_not_a_one_click_cancel(club, dispatcher, booking):
    html = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert f'href="{_cancel_url(club, booking)}"' in html
    assert f'action="{_cancel_url(club, booking)}"' not in html


def test_get_shows_the_booking_and_asks(club, dispatcher, booking, pilot):
    response = client_for(dispatcher).get(_cancel_url(club, booking))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cancel this booking?" in html and "F-GABC" in html and "Pilot — Pilot in command" in html
    assert 'name="reason"' in html and "Cancel booking" in html and "Keep it" in html
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_post_cancels_and_the_reason_is_shown_on_the_booking(club, dispatcher, booking):
    client = client_for(dispatcher)
    response = client.post(_cancel_url(club, booking), {"reason": "Weather below minima"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancel_reason == "Weather below minima"
    html = client.get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    when = timezone.localtime(booking.cancelled_at, club.tz).strftime("%a %d %b %Y %H:%M")
    assert f"Cancelled {when} by Dispatcher: Weather below minima." in html


def test_a_reason_the_service_refuses_is_shown_on_the_confirmation(club, dispatcher, booking):
    response = client_for(dispatcher).post(_cancel_url(club, booking), {"reason": "line one\nline two"})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_member_who_may_not_cancel_gets_no_confirmation(club, pilot, pilot2, book, aircraft2, booking):
    other = book(aircraft2, booking.start, booking.end, [(pilot2, "pic")])
    assert client_for(pilot).get(_cancel_url(club, other)).status_code == 404


def test_a_dispatched_booking_offers_no_cancel_confirmation(club, dispatcher, booking, aircraft):
    from dispatch.services.dispatching import booking_check_out

    booking_check_out(actor=dispatcher, booking=booking, hobbs_out=aircraft.hobbs, tach_out=aircraft.tach)
    response = client_for(dispatcher).get(_cancel_url(club, booking))
    assert response.status_code == 302


def _badge(booking, **sync):
    row = ReservationSync.objects.create(organization=booking.organization, name=f"{booking.uid}@x", kind="booking",
                                         booking=booking, next_attempt_at=timezone.now(), **sync)
    booking = Booking.objects.select_related("wiflight_sync").get(pk=booking.pk)
    return render_to_string("wiflight/sync_badge.html", {"sync": booking.wiflight_sync}), row


@pytest.mark.parametrize("sync,reads", [
    ({"state": "synced", "synced_deleted": True, "synced_version": 1}, "Removed from Wi-Flight"),
    ({"state": "pending"}, "Removal from Wi-Flight pending"),
    ({"state": "failed", "last_error": "HTTP 503"}, "Removal from Wi-Flight pending"),
    # Wi-Flight keeps a reservation a flight matched (docs/wiflight.md); the page says why below.
    ({"state": "dead", "last_error": "HTTP 409 matched flights"}, "Kept on Wi-Flight"),
])
def test_a_cancelled_bookings_sync_label_reads_as_a_removal(dispatcher, booking, sync, reads):
    from dispatch.services.bookings import booking_cancel

    booking_cancel(actor=dispatcher, booking=booking)
    html, _ = _badge(booking, **sync)
    assert reads in html
    for jargon in ("Failed", "gave up", "Dead", "HTTP"):
        assert jargon not in html


def test_a_live_bookings_failed_sync_still_says_so(booking):
    html, _ = _badge(booking, state="dead", last_error="HTTP 400")
    assert "Wi-Flight sync gave up" in html


def test_the_cancelled_booking_page_shows_no_raw_sync_error(club, dispatcher, booking):
    from dispatch.services.bookings import booking_cancel

    booking_cancel(actor=dispatcher, booking=booking, reason="ill")
    _badge(booking, state="failed", last_error="HTTP 503 from wiflight")
    html = client_for(dispatcher).get(reverse("dispatch:booking", args=[club.slug, booking.pk])).content.decode()
    assert "Removal from Wi-Flight pending" in html and "HTTP 503" not in html


# Deactivating a member.

def _activation(club, member):
    return reverse("member_activation", args=[club.slug, member.pk])


def test_the_member_list_leads_to_a_deactivation_confirmation(club, admin, pilot):
    html = client_for(admin).get(reverse("member_list", args=[club.slug])).content.decode()
    assert f'<a href="{_activation(club, pilot)}">Deactivate' in html


def test_deactivation_asks_first_and_changes_nothing_until_confirmed(club, admin, pilot):
    client = client_for(admin)
    response = client.get(_activation(club, pilot))
    assert response.status_code == 200 and "Deactivate Pilot?" in response.content.decode()
    # A post without the confirmation (the old one-click button) only asks.
    response = client.post(_activation(club, pilot), {"action": "deactivate"})
    assert response.status_code == 400 and "Deactivate Pilot?" in response.content.decode()
    assert Membership.objects.get(pk=pilot.pk).is_active
    response = client.post(_activation(club, pilot), {"action": "deactivate", "confirm": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.get(pk=pilot.pk).is_active


def test_reactivation_needs_no_confirmation(club, admin, pilot):
    pilot.is_active = False
    pilot.save()
    assert client_for(admin).post(_activation(club, pilot), {"action": "reactivate"}).status_code == 302
    assert Membership.objects.get(pk=pilot.pk).is_active


def test_only_admins_reach_the_deactivation_confirmation(club, dispatcher, pilot):
    assert client_for(dispatcher).get(_activation(club, pilot)).status_code == 404
