"""Reservation writes: PUT (create or replace) and DELETE, each one transaction.

Everything a PUT does (crew users created, the reservation, new matches, queued
notifications) commits together or not at all: a document refused half-way changes nothing.
"""

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction

from wiflight_sim.errors import ApiError
from wiflight_sim.matching import match_reservation
from wiflight_sim.models import Aircraft, NotifyProfile, Reservation, SimUser, UserOpenID
from wiflight_sim.reservation_doc import CrewInput, ReservationInput, parse_reservation_document
from wiflight_sim.services.accounts import normalize_openid
from wiflight_sim.services.preconditions import check_preconditions
from wiflight_sim.xml import XMLRejected, parse_document

CANNOT_RESERVE = "Cannot reserve this aircraft"  # the reason phrase clients key on


def reservation_for_owner(*, user: SimUser, name: str) -> Reservation | None:
    if not user.owns_name(name):
        raise ApiError(403, "Not authorized for this reservation name")
    return Reservation.objects.select_related("aircraft").filter(name=name).first()


def _aircraft(user: SimUser, doc: ReservationInput) -> Aircraft:
    rows = Aircraft.objects.all()
    if doc.aircraft_id is not None:
        rows = rows.filter(pk=doc.aircraft_id)
    if doc.aircraft_tail is not None:
        rows = rows.filter(tail__iexact=doc.aircraft_tail)
    aircraft = rows.first()
    # Unknown and not-in-your-fleet are one answer: an outsider learns nothing about tails.
    if aircraft is None or aircraft.fleet_id is None or aircraft.fleet_id != user.fleet_id:
        raise ApiError(403, CANNOT_RESERVE)
    return aircraft


def _crew_user(owner: SimUser, crew: CrewInput) -> SimUser:
    existing = SimUser.objects.filter(username__iexact=crew.name).first()
    if existing is not None:
        return existing  # the contract: details of existing users are ignored
    if not owner.owns_name(crew.name):
        raise ApiError(403, "Cannot create this user", f"Cannot create user {crew.name}: not in your domains")
    if not crew.fullname:
        raise ApiError(400, "Missing fullname for new user", f"User {crew.name} does not exist: <fullname> is required")
    user = SimUser.objects.create(username=crew.name, role=SimUser.END_USER, fullname=crew.fullname, email=crew.email or "")
    for openid in crew.openids:
        claimed = normalize_openid(openid)
        if UserOpenID.objects.filter(claimed_id=claimed).exists():
            raise ApiError(400, "OpenID already in use", f"OpenID {openid} belongs to another user")
        UserOpenID.objects.create(user=user, claimed_id=claimed)
    return user


def _content_hash(doc: ReservationInput, aircraft: Aircraft, crew: list[SimUser]) -> str:
    content = [doc.domain, aircraft.pk, doc.start.isoformat(), doc.end.isoformat(), doc.notify_profile]
    content.append(sorted(u.username for u in crew))
    return hashlib.sha256(json.dumps(content).encode()).hexdigest()


def reservation_put(
    *, user: SimUser, name: str, body: bytes, if_match: str | None, if_none_match: str | None
) -> tuple[Reservation, bool]:
    """Create or replace reservation `name`; returns (reservation, created)."""
    if not user.owns_name(name):
        raise ApiError(403, "Not authorized for this reservation name")
    try:
        doc = parse_reservation_document(parse_document(body, max_bytes=settings.SIM_MAX_BODY_BYTES), name)
    except XMLRejected as exc:
        raise ApiError(exc.status, _reason(str(exc)), str(exc)) from exc
    try:
        with transaction.atomic():
            return _apply(user, doc, if_match=if_match, if_none_match=if_none_match)
    except IntegrityError as exc:
        # Only reachable if two writers race past IMMEDIATE locking (another database engine).
        raise ApiError(409, "Conflicting concurrent update") from exc


def _apply(user: SimUser, doc: ReservationInput, *, if_match, if_none_match) -> tuple[Reservation, bool]:
    existing = Reservation.objects.filter(name=doc.name).first()
    check_preconditions(existing.etag if existing else None, if_match=if_match, if_none_match=if_none_match)
    aircraft = _aircraft(user, doc)
    if doc.notify_profile and not NotifyProfile.objects.filter(name=doc.notify_profile).exists():
        raise ApiError(400, "Unknown notify profile", f"No notify profile named {doc.notify_profile!r}")
    crew = [_crew_user(user, member) for member in doc.crew]
    content_hash = _content_hash(doc, aircraft, crew)
    reservation = existing or Reservation(name=doc.name, owner=user)
    if existing is not None and existing.content_hash != content_hash:
        reservation.version += 1
    reservation.domain, reservation.aircraft = doc.domain, aircraft
    reservation.start, reservation.end = doc.start, doc.end
    reservation.notify_profile, reservation.content_hash = doc.notify_profile, content_hash
    reservation.save()
    reservation.crew.set(crew)
    match_reservation(reservation)
    return reservation, existing is None


@transaction.atomic
def reservation_delete(*, user: SimUser, name: str, if_match: str | None) -> None:
    reservation = reservation_for_owner(user=user, name=name)
    if reservation is None:
        raise ApiError(404, "No such reservation")
    check_preconditions(reservation.etag, if_match=if_match, if_none_match=None)
    if reservation.matches.exists():
        raise ApiError(409, "Reservation has matched flights", "A flight has matched this reservation; it cannot be deleted")
    reservation.delete()


def _reason(message: str) -> str:
    # Reason phrases are one short latin-1 line; the body carries the full message.
    first = message.splitlines()[0] if message else "Bad Request"
    return first.encode("ascii", "replace").decode()[:120]
