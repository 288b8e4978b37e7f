"""Instructors' available hours: who may mark them, for whom, the time rules, merging, audit,
and the page."""

from datetime import datetime

import pytest
from django.urls import reverse

from clubs.models import AuditEvent
from core.errors import Invalid, NotAllowed, NotFound
from dispatch.models import InstructorAvailability
from dispatch.services.availability import availability_add, availability_remove
from tests.conftest import PARIS, at, client_for, make_member


@pytest.fixture
def instructor2(club):
    return make_member(club, "instructor2", is_instructor=True, is_pilot=True)


def _spans(instructor):
    return list(InstructorAvailability.objects.filter(instructor=instructor).order_by("start").values_list("start", "end"))


def test_instructor_marks_own_hours_audited(instructor, club):
    span = availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 12), note="CPL only")
    assert (span.organization, span.start, span.end, span.note) == (club, at(10, 9), at(10, 12), "CPL only")
    event = AuditEvent.objects.get(action="availability.added")
    assert event.actor == instructor.user and event.target_id == str(span.pk)


@pytest.mark.parametrize("persona", ["dispatcher", "admin"])
def test_dispatchers_and_admins_mark_any_instructors_hours(request, instructor, persona):
    availability_add(actor=request.getfixturevalue(persona), instructor=instructor, start=at(10, 9), end=at(10, 12))
    assert _spans(instructor) == [(at(10, 9), at(10, 12))]


@pytest.mark.parametrize("persona", ["instructor2", "pilot", "student", "mechanic"])
def test_others_may_not_mark_an_instructors_hours(request, instructor, persona):
    with pytest.raises(NotAllowed) as refused:
        availability_add(actor=request.getfixturevalue(persona), instructor=instructor, start=at(10, 9), end=at(10, 12))
    assert refused.value.code == "not_allowed"
    assert _spans(instructor) == []


def test_only_instructors_have_hours(dispatcher, pilot):
    with pytest.raises(Invalid) as refused:
        availability_add(actor=dispatcher, instructor=pilot, start=at(10, 9), end=at(10, 12))
    assert refused.value.code == "not_an_instructor"


def test_another_clubs_instructor_is_not_found(outsider, instructor):
    with pytest.raises(NotFound):
        availability_add(actor=outsider, instructor=instructor, start=at(10, 9), end=at(10, 12))
    span = availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 12))
    with pytest.raises(NotFound):
        availability_remove(actor=outsider, availability=span)
    assert _spans(instructor) == [(at(10, 9), at(10, 12))]


@pytest.mark.parametrize("start,end,code", [
    (at(10, 12), at(10, 12), "period_invalid"), (at(10, 12), at(10, 9), "period_invalid"),
    (at(10, 9), datetime(2101, 1, 1, tzinfo=PARIS), "time_out_of_range"),
    (datetime(1999, 12, 31, 23, tzinfo=PARIS), at(10, 9), "time_out_of_range"),
    (None, at(10, 9), "period_required"),
])
def test_period_rules(instructor, start, end, code):
    with pytest.raises(Invalid) as refused:
        availability_add(actor=instructor, instructor=instructor, start=start, end=end)
    assert refused.value.code == code


def test_overlapping_and_touching_hours_merge_into_one_span(instructor, instructor2):
    availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 11), note="a")
    availability_add(actor=instructor, instructor=instructor, start=at(10, 14), end=at(10, 16))
    availability_add(actor=instructor2, instructor=instructor2, start=at(10, 8), end=at(10, 20))
    merged = availability_add(actor=instructor, instructor=instructor, start=at(10, 10), end=at(10, 14), note="b")
    assert _spans(instructor) == [(at(10, 9), at(10, 16))]
    assert merged.note == "a; b"
    assert _spans(instructor2) == [(at(10, 8), at(10, 20))]  # someone else's hours are theirs


def test_remove_own_or_as_dispatcher_not_another_instructors(instructor, instructor2, dispatcher):
    span = availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 12))
    with pytest.raises(NotAllowed):
        availability_remove(actor=instructor2, availability=span)
    availability_remove(actor=instructor, availability=span)
    assert _spans(instructor) == []
    span = availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 12))
    availability_remove(actor=dispatcher, availability=span)
    assert _spans(instructor) == [] and AuditEvent.objects.filter(action="availability.removed").count() == 2


def test_page_is_for_instructors_and_dispatchers(instructor, dispatcher, pilot, outsider, club):
    url = reverse("dispatch:availability", args=[club.slug])
    assert client_for(instructor).get(url).status_code == 200
    assert client_for(dispatcher).get(url).status_code == 200
    assert client_for(pilot).get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404


def test_instructor_adds_and_removes_hours_on_the_page(instructor, club):
    client = client_for(instructor)
    url = reverse("dispatch:availability", args=[club.slug])
    response = client.post(url, {"day": "2030-06-10", "start": "09:00", "end": "12:30", "note": ""})
    assert response.status_code == 302
    span = InstructorAvailability.objects.get()
    assert (span.instructor, span.start, span.end) == (instructor, at(10, 9), at(10, 12, 30))
    assert "Mon 10 Jun 09:00–12:30" in client.get(url).content.decode()
    assert client.post(reverse("dispatch:availability_remove", args=[club.slug, span.pk])).status_code == 302
    assert not InstructorAvailability.objects.exists()


def test_dispatcher_marks_hours_for_a_chosen_instructor(dispatcher, instructor, club):
    url = reverse("dispatch:availability", args=[club.slug])
    r = client_for(dispatcher).post(url, {"instructor": instructor.pk, "day": "2030-06-10", "start": "13:00", "end": "00:00"})
    assert r.status_code == 302
    assert _spans(instructor) == [(at(10, 13), at(11, 0))]


def test_page_shows_a_refusal_on_the_form(instructor, instructor2, club):
    url = reverse("dispatch:availability", args=[club.slug])
    r = client_for(instructor).post(url, {"day": "2101-06-10", "start": "09:00", "end": "10:00"})
    assert r.status_code == 400 and not InstructorAvailability.objects.exists()


def test_another_clubs_hours_cannot_be_removed_from_here(outsider, instructor, club, other_club):
    span = availability_add(actor=instructor, instructor=instructor, start=at(10, 9), end=at(10, 12))
    r = client_for(outsider).post(reverse("dispatch:availability_remove", args=[other_club.slug, span.pk]))
    assert r.status_code == 404 and InstructorAvailability.objects.filter(pk=span.pk).exists()


def test_hours_typed_backwards_are_refused_not_stretched_over_the_night(instructor, club):
    url = reverse("dispatch:availability", args=[club.slug])
    response = client_for(instructor).post(url, {"day": "2030-06-10", "start": "14:00", "end": "10:00", "note": ""})
    assert response.status_code == 400
    assert "must end after they start" in response.content.decode()
    assert not InstructorAvailability.objects.exists()
