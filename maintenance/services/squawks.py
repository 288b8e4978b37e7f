"""Report a squawk, and maintenance's answer to it: re-rate (defer a grounding one), clear.

A grounding squawk grounds the aircraft in the transaction that files it; clearing or
deferring the last one returns it to service when nothing else holds it."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from clubs.changes import change_record
from clubs.models import Membership
from core.entry_points import system_entry_point
from core.errors import Conflict, Invalid
from core.text import require_plain_text
from dispatch.models import Aircraft, Booking, Dispatch, SquawkSeverity
from dispatch.services.rules import check_aircraft_in_service
from maintenance import policy
from maintenance.events import squawk_payload
from maintenance.models import Squawk
from maintenance.services.grounding import grounding_sync

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_PIXELS = 40_000_000


def _check_description(description: str) -> str:
    description = (description or "").strip()
    if not description:
        raise Invalid("squawk_required", "Say what is wrong with the aircraft.", field="description")
    if len(description) > 2000:
        raise Invalid("squawk_too_long", "Keep the squawk under 2000 characters.", field="description")
    require_plain_text(description, field="description", label="The squawk")
    return description


def _check_severity(severity: str) -> None:
    if severity not in SquawkSeverity.values:
        raise Invalid("squawk_severity_unknown", "Choose how bad the squawk is: minor, deferred or grounding.",
                      field="severity")


@system_entry_point("a pure check of an upload (the forms ask it too); writes nothing")
def check_photo(photo: UploadedFile | None) -> str | None:
    """A photo is optional; when given it is a real JPEG, PNG or WebP image of bounded size.
    Returns its format (JPEG, PNG, WEBP)."""
    if photo is None:
        return None
    if photo.size > settings.SQUAWK_PHOTO_MAX_BYTES:
        raise Invalid("photo_too_large", f"The photo is over {settings.SQUAWK_PHOTO_MAX_BYTES // (1024 * 1024)} MB.",
                      field="photo")
    from PIL import Image, UnidentifiedImageError

    try:
        photo.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(photo) as image:
                image.verify()
                fmt = "JPEG" if image.format == "MPO" else image.format  # a phone's JPEG with a preview
                pixels = image.width * image.height
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise Invalid("photo_too_large", f"The photo has over {PHOTO_MAX_PIXELS // 1_000_000} million pixels: "
                      "send a smaller one.", field="photo") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid("photo_invalid", "The photo is not a JPEG, PNG or WebP image.", field="photo") from exc
    finally:
        photo.seek(0)
    if fmt not in PHOTO_FORMATS:
        raise Invalid("photo_invalid", "The photo is not a JPEG, PNG or WebP image.", field="photo")
    if pixels > PHOTO_MAX_PIXELS:
        # A few kilobytes can hold an image every phone that shows it must decode in full.
        raise Invalid("photo_too_large", f"The photo has over {PHOTO_MAX_PIXELS // 1_000_000} million pixels: "
                      "send a smaller one.", field="photo")
    return fmt


def _store_photo(photo: UploadedFile, fmt: str) -> str:
    """Re-encoded (upright, without its metadata: a phone's photo carries where and with what
    it was taken) and written before the squawk's transaction under a name of ours, never the
    uploader's, so a rollback can take it away again (squawk_report)."""
    from PIL import Image, ImageOps

    photo.seek(0)
    out = io.BytesIO()
    with Image.open(photo) as image:
        upright = ImageOps.exif_transpose(image)
        if fmt == "JPEG":
            upright.convert("RGB").save(out, "JPEG", quality=88)
        elif fmt == "WEBP":
            upright.save(out, "WEBP", quality=88)
        else:
            upright.save(out, "PNG")
    name = timezone.now().strftime("squawks/%Y/%m/") + f"{uuid.uuid4().hex}.{PHOTO_EXTENSIONS[fmt]}"
    return default_storage.save(name, ContentFile(out.getvalue()))


def _file(aircraft: Aircraft, *, description: str, severity: str, reported_by, booking: Booking | None,
          photo_name: str | None, actor: Membership | None) -> Squawk:
    squawk = Squawk(organization_id=aircraft.organization_id, aircraft=aircraft, booking=booking,
                    description=description, severity=severity, reported_by=reported_by, reported_at=timezone.now())
    if photo_name:
        squawk.photo.name = photo_name
    squawk.save()
    change_record(event="squawk.reported", organization=aircraft.organization, actor=actor, target=squawk,
                  summary=f"Squawk on {aircraft.registration} ({squawk.get_severity_display().split(':')[0].lower()}): "
                  f"{description[:120]}", payload=squawk_payload(squawk))
    if severity == SquawkSeverity.GROUNDING:
        grounding_sync(aircraft)
    return squawk


def squawk_report(*, actor: Membership, aircraft: Aircraft, description: str, severity: str = SquawkSeverity.MINOR,
                  photo: UploadedFile | None = None) -> Squawk:
    policy.require_squawk_reporter(actor, aircraft)
    description = _check_description(description)
    _check_severity(severity)
    fmt = check_photo(photo)
    check_aircraft_in_service(aircraft, "report a squawk on")
    photo_name = _store_photo(photo, fmt) if photo is not None else None
    try:
        with transaction.atomic():
            return _file(aircraft, description=description, severity=severity, reported_by=actor.user, booking=None,
                         photo_name=photo_name, actor=actor)
    except BaseException:
        if photo_name:
            default_storage.delete(photo_name)
        raise


@system_entry_point("the check-in's squawk, filed by maintenance's subscriber of booking.completed")
def squawk_from_check_in(*, booking_id: int) -> Squawk | None:
    """The squawk written at check-in, filed once (one per check-in: the constraint holds a
    repeat of the event to it). Inside the check-in's transaction."""
    record = Dispatch.objects.select_related("booking__aircraft__organization", "checked_in_by").filter(
        booking_id=booking_id).first()
    if record is None or not record.squawks or Squawk.objects.filter(booking_id=booking_id).exists():
        return None
    booking = record.booking
    return _file(booking.aircraft, description=record.squawks[:2000], severity=record.squawk_severity,
                 reported_by=record.checked_in_by, booking=booking, photo_name=None, actor=None)


def _locked(actor: Membership, squawk: Squawk) -> Squawk:
    policy.require_maintainer(actor, squawk.aircraft)
    locked = Squawk.objects.select_for_update().select_related("aircraft__organization").get(pk=squawk.pk)
    if not locked.is_open:
        raise Conflict("squawk_cleared", "This squawk was already cleared.")
    return locked


def _note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    require_plain_text(note, field="note", label="The note")
    if required and not note:
        raise Invalid("reason_required", "Say what was done or decided.", field="note")
    if len(note) > 500:
        raise Invalid("reason_too_long", "Keep the note under 500 characters.", field="note")
    return note


def squawk_rate(*, actor: Membership, squawk: Squawk, severity: str, note: str) -> Squawk:
    """Maintenance re-rates a squawk: defers a grounding one (flyable, listed at every
    check-out), or makes one grounding. Said why, audited."""
    _check_severity(severity)
    note = _note(note, required=True)
    with transaction.atomic():
        locked = _locked(actor, squawk)
        before = locked.severity
        if before == severity:
            return locked
        locked.severity, locked.maintenance_note = severity, note
        locked.save(update_fields=["severity", "maintenance_note", "updated_at"])
        change_record(event="squawk.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="squawk.rated",
                      summary=f"Squawk on {locked.aircraft.registration} now {severity} (was {before}): {note}",
                      details={"from": before, "to": severity, "note": note}, payload=squawk_payload(locked))
        grounding_sync(locked.aircraft)
    return locked


def squawk_clear(*, actor: Membership, squawk: Squawk, note: str) -> Squawk:
    """Maintenance fixed it (or found nothing wrong): the squawk closes; the aircraft returns
    to service when nothing else holds it."""
    note = _note(note, required=True)
    with transaction.atomic():
        locked = _locked(actor, squawk)
        locked.status, locked.cleared_by, locked.cleared_at = Squawk.Status.CLEARED, actor.user, timezone.now()
        locked.maintenance_note = note
        locked.save(update_fields=["status", "cleared_by", "cleared_at", "maintenance_note", "updated_at"])
        change_record(event="squawk.changed", organization=actor.organization, actor=actor, target=locked,
                      audit_action="squawk.cleared", summary=f"Cleared a squawk on {locked.aircraft.registration}: {note}",
                      details={"note": note}, payload=squawk_payload(locked))
        grounding_sync(locked.aircraft)
    return locked
