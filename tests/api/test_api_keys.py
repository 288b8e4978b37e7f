"""API keys: created and revoked by club admins in the browser or by a command, shown once,
stored hashed, acting as their own club-level account."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from api.models import ApiKey
from clubs.models import AuditEvent, Membership
from core.errors import Invalid, NotAllowed
from dispatch.services.bookings import BookingInput, booking_create
from tests.api.conftest import ApiClient, base
from tests.conftest import at, client_for


def test_an_admin_creates_a_key_in_the_browser_shown_once_and_stored_hashed(admin, club):
    page = client_for(admin)
    response = page.post(reverse("api_keys", args=[club.slug]), {"name": "Club website", "scopes": "read"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = re.search(r'<code id="new-key">(fl_[^<]+)</code>', response.content.decode()).group(1)
    key = ApiKey.objects.get()
    assert key.key_hash != raw and raw not in repr(list(ApiKey.objects.values()))
    assert raw.startswith(key.prefix)
    assert raw not in page.get(reverse("api_keys", args=[club.slug])).content.decode()
    assert ApiClient(raw).get(base(club)).status_code == 200
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert AuditEvent.objects.filter(action="api_key.created").exists()


def test_revoking_in_the_browser_refuses_the_key_from_then_on(admin, club, write_key):
    key, raw = write_key
    response = client_for(admin).post(reverse("api_key_revoke", args=[club.slug, key.pk]))
    assert response.status_code == 302
    assert ApiClient(raw).get(base(club)).status_code == 401
    key.refresh_from_db()
    assert key.revoked_at is not None and not key.actor.is_active


def test_only_admins_see_the_keys_page(club, dispatcher, pilot, outsider, write_key):
    for member in (dispatcher, pilot, outsider):
        assert client_for(member).get(reverse("api_keys", args=[club.slug])).status_code == 404
        assert client_for(member).post(reverse("api_key_revoke", args=[club.slug, write_key[0].pk])).status_code == 404
    assert ApiKey.objects.get().revoked_at is None


def test_a_key_cannot_make_keys_or_touch_integrations(write_key):
    from api.keys import api_key_create

    with pytest.raises(NotAllowed):
        api_key_create(actor=write_key[0].actor, name="Child", scopes="read,write")


def test_the_command_prints_a_working_key(admin, club):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_key_create", "--club", club.slug, "--name", "Logbook sync", "--scopes", "read,write",
                 stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert ApiClient(raw).get(base(club)).status_code == 200
    assert "shown once" in err.getvalue()
    assert ApiKey.objects.get().can_write


def test_the_keys_account_is_no_member_and_never_flies(admin, club, write_key, aircraft):
    account = write_key[0].actor
    assert account not in Membership.objects.people()
    assert account.user.display_name not in client_for(admin).get(reverse("member_list", args=[club.slug])).content.decode()
    with pytest.raises(Invalid) as refused:
        booking_create(actor=admin, data=BookingInput(aircraft=aircraft, start=at(10, 9), end=at(10, 10),
                                                      crew=[(account, "pic")]))
    assert refused.value.code == "crew_not_a_person"
    assert not account.user.has_usable_password()


def test_a_name_with_control_characters_is_refused(admin):
    from api.keys import api_key_create

    with pytest.raises(Invalid) as refused:
        api_key_create(actor=admin, name="Bad\x0bname", scopes="read")
    assert refused.value.code == "control_characters"
    assert not ApiKey.objects.exists()
