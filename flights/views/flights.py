"""Detected flights: my flights, the club's, an aircraft's, one flight (track picture, KML,
playback link), and the flight log. Who sees what: flights.policy."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from clubs.access import club_member
from clubs.models import Membership
from clubs.policy import can
from core.form_errors import add_service_error
from core.query_params import parse_day, parse_id
from core.url_patterns import url_pattern
from dispatch.policy import bookings_visible
from dispatch.selectors import DISPLAY_NAME_FIELDS
from dispatch.views.lookups import aircraft_for
from flights.event_names import event_name
from flights.forms import LogbookEntryForm
from flights.kml import build_kml, kml_filename
from flights.models import LogbookEntry
from flights.pictures import track_path, track_picture
from flights.policy import may_assign_flights, may_edit_entry, visible_entries, visible_flights
from flights.selectors import (
    FlightFilters, aircraft_totals, filter_flights, flights_of_member, flights_without_booking, logbook_of,
    with_listing_relations)
from flights.services.logbook import logbook_mark_billed, logbook_update
from flights.tracks import flight_playback_url, flight_track
from flights.units import units_for

PAGE_SIZE = 50


def with_links(flights, slug: str) -> list:
    """The flights as flights_table.html lists them: each with its page's address (`href`),
    its booking's (`booking_href`) and both times in the active (club's) time zone, formatted
    as the |date filter would (two reverse() a page, not two a row; no filter a row)."""
    flight_url, booking_url = url_pattern("flights:flight", slug), url_pattern("dispatch:booking", slug)
    flights = list(flights)
    for f in flights:
        f.href = flight_url.format(f.pk)
        f.start_text = dateformat.format(timezone.localtime(f.start), "D d M Y H:i")
        f.booking_href = f.booking_start_text = ""
        if f.booking is not None:
            f.booking_href = booking_url.format(f.booking_id)
            f.booking_start_text = dateformat.format(timezone.localtime(f.booking.start), "d M H:i")
    return flights


def flight_for(request, pk: int):
    qs = visible_flights(request.membership).select_related("aircraft", "booking", "organization__wiflight")
    return get_object_or_404(qs.prefetch_related("events", "crew__membership__user"), pk=pk)


@club_member()
def my_flights(request):
    m = request.membership
    return render(request, "flights/flights_mine.html", {
        "flights": with_links(with_listing_relations(flights_of_member(m))[:100], request.club.slug),
        "entries": logbook_of(m)[:200],
    })


@club_member("see_all_flights")
def flight_list(request):
    club = request.club
    filters = FlightFilters(date_from=parse_day(request.GET.get("from")), date_to=parse_day(request.GET.get("to")),
                            aircraft_id=parse_id(request.GET.get("aircraft")), membership_id=parse_id(request.GET.get("member")))
    flights = with_listing_relations(filter_flights(visible_flights(request.membership), filters, club.tz))
    page = Paginator(flights, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_links(page.object_list, club.slug)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "flights/flights_club.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        "aircraft_list": club.aircraft.order_by("registration").only("pk", "organization_id", "registration"),
        "without_booking": flights_without_booking(request.membership).count(),
        "members": Membership.objects.people().filter(organization=club).select_related("user")
        .only("pk", "organization_id", *DISPLAY_NAME_FIELDS),
    })


@club_member()
def aircraft_flights(request, pk: int):
    aircraft = aircraft_for(request, pk)
    flights = with_listing_relations(visible_flights(request.membership).filter(aircraft=aircraft))
    page = Paginator(flights, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_links(page.object_list, request.club.slug)
    totals = aircraft_totals(request.club).get(aircraft.pk) if can(request.membership, "see_all_flights") else None
    return render(request, "flights/flights_aircraft.html", {"aircraft": aircraft, "page": page, "totals": totals})


@club_member()
def flight_detail(request, pk: int):
    flight = flight_for(request, pk)
    points = flight_track(flight)
    track_error = "" if points is not None else "The track is being fetched from Wi-Flight; reload in a moment."
    picture, units = track_picture(points or []), units_for(request.club)
    return render(request, "flights/flight_detail.html", {
        "flight": flight, "picture": picture, "track_error": track_error, "units": units,
        "altitudes": picture and (units.altitude_of(picture.min_alt), units.altitude_of(picture.max_alt)),
        "max_speed": picture and units.speed_of(picture.max_speed),
        "events": [(e, event_name(e.kind)) for e in flight.events.all()],
        "track_path": track_path(points or []),
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "playback_url": flight_playback_url(request.user, flight), "playback_path": settings.WIFLIGHT_PLAYBACK_PATH,
        "entries": [(e, may_edit_entry(request.membership, e)) for e in
                    visible_entries(request.membership).filter(flight=flight).select_related("membership__user")],
        "may_assign": may_assign_flights(request.membership),
        # Crew matched only by their Wi-Flight username may see the flight but not the booking.
        "booking_visible": flight.booking_id is not None
        and bookings_visible(request.membership).filter(pk=flight.booking_id).exists(),
    })


@club_member()
def flight_kml(request, pk: int):
    flight = flight_for(request, pk)
    points = flight_track(flight)
    if points is None:
        response = HttpResponse("The track is being fetched from Wi-Flight; try again in a moment.", status=503,
                                content_type="text/plain")
        response["Retry-After"] = "10"
        return response
    body = build_kml(name=f"{flight.tail} {flight.headline}".strip(), points=points)
    response = HttpResponse(body, content_type="application/vnd.google-earth.kml+xml")
    response["Content-Disposition"] = content_disposition_header(True, kml_filename(flight))
    return response


def _entry_for(request, pk: int) -> LogbookEntry:
    qs = visible_entries(request.membership).select_related("membership__user", "flight", "booking")
    return get_object_or_404(qs, pk=pk)


def _back_from(request, entry: LogbookEntry):
    if entry.flight_id is not None:
        return redirect("flights:flight", request.club.slug, entry.flight_id)
    return redirect("flights:my_flights", request.club.slug)


@club_member()
def logbook_entry_edit(request, pk: int):
    entry = _entry_for(request, pk)
    form = LogbookEntryForm(request.POST or None, initial={
        "remarks": entry.remarks, "approaches": entry.approaches, "landings": entry.landings})
    if request.method == "POST" and form.is_valid():
        try:
            logbook_update(actor=request.membership, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Flight log entry saved.")
            return _back_from(request, entry)
    return render(request, "flights/flights_log_entry.html", {
        "form": form, "entry": entry, "may_edit": may_edit_entry(request.membership, entry),
    }, status=400 if form.errors else 200)


@require_POST
@club_member("manage_flight_log")
def logbook_entry_billed(request, pk: int):
    entry = _entry_for(request, pk)
    if logbook_mark_billed(actor=request.membership, entry=entry):
        messages.success(request, "Marked billed.")
    return _back_from(request, entry)
