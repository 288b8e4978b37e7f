"""Writes for clubs and members: invitations, roles, activation. Each is one transaction with
its audit entry; email goes out only after the commit (no network I/O inside a transaction)."""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clubs import policy
from clubs.audit import audit_record
from clubs.changes import change_record
from clubs.events import member_payload
from clubs.models import ROLE_FIELDS, AltitudeUnit, BookingStep, Invitation, Membership, Organization, Role, User
from core.entry_points import system_entry_point
from core.errors import Conflict, Invalid, NotAllowed
from core.text import require_plain_line


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _unique_username(email: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower())[:30] or "member"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _lock_club(organization_id: int) -> None:
    """Serialize membership changes within one club. Without it two admins demoting each other
    at the same moment on PostgreSQL would each still see the other as admin, and both win."""
    list(Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk", flat=True))


def _guard_last_admin(membership: Membership, *, keeps_admin: bool) -> None:
    if keeps_admin or not (membership.is_admin and membership.is_active):
        return
    # An API key's account holds the admin role but is no one to hand the club to.
    others = Membership.objects.people().filter(
        organization=membership.organization, is_admin=True, is_active=True
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise Conflict("last_admin", "A club needs at least one active admin: make someone else admin first.")


EMAIL_TAKEN = "Another account already uses this email address."
WIFLIGHT_USERNAME_TAKEN = "Another member of this club already has this Wi-Flight username."


def _check_instructor(actor: Membership, instructor: Membership | None) -> None:
    if instructor is None:
        return
    policy.require_same_club(actor, instructor, "instructor")
    if not instructor.is_instructor or not instructor.is_active:
        raise Invalid("not_an_instructor", f"{instructor.user.display_name} is not an active instructor.",
                      field="instructor")


@dataclass(frozen=True)
class MemberDetails:
    full_name: str
    email: str
    roles: frozenset[str]
    wiflight_username: str = ""
    instructor: Membership | None = None


def _check_plain_text(details: MemberDetails) -> None:
    require_plain_line(details.full_name, field="full_name", label="A name")
    require_plain_line(details.email, field="email", label="An email address")
    require_plain_line(details.wiflight_username, field="wiflight_username", label="A Wi-Flight username")


def _apply_roles(membership: Membership, roles: frozenset[str]) -> None:
    unknown = roles - set(Role.values)
    if unknown:
        raise Invalid("unknown_role", f"Unknown role(s): {', '.join(sorted(unknown))}.", field="roles")
    if not roles:
        raise Invalid("roles_required", "Give the member at least one role.", field="roles")
    for role, field in ROLE_FIELDS.items():
        setattr(membership, field, role.value in roles)


def member_invite(*, actor: Membership, details: MemberDetails) -> tuple[Membership, str]:
    """Create (or reuse) the user, add them to the club and send a one-time invitation link.

    The member exists from now on (a dispatcher can book them before they accept); the link
    lets them set a password once. Returns the membership and the raw token (for tests).
    """
    policy.require_member_manager(actor)
    organization = actor.organization
    _check_plain_text(details)
    _check_instructor(actor, details.instructor)
    email = details.email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=_unique_username(email), email=email, full_name=details.full_name.strip())
            user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(organization=organization, user=user).exists():
            raise Conflict("already_member", f"{email} is already a member of {organization.name}.", field="email")
        membership = Membership(organization=organization, user=user, instructor=details.instructor)
        _apply_roles(membership, details.roles)
        membership.wiflight_username = details.wiflight_username.strip() or membership.default_wiflight_username()
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as exc:
            raise Conflict("wiflight_username_taken", WIFLIGHT_USERNAME_TAKEN, field="wiflight_username") from exc
        token = _new_invitation(membership, actor.user)
        change_record(
            event="member.added", audit_action="member.invited", organization=organization, actor=actor,
            target=membership, summary=f"Invited {user.display_name} <{email}> as {', '.join(membership.role_labels)}",
            details={"email": email, "roles": sorted(details.roles)}, payload=member_payload(membership),
        )
    _send_invitation_after_commit(membership, token)
    return membership, token


def _new_invitation(membership: Membership, actor: User) -> str:
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        membership=membership,
        token_hash=_hash_token(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    return token


def _send_invitation_after_commit(membership: Membership, token: str) -> None:
    link = settings.PUBLIC_BASE_URL + reverse("invitation_accept", args=[token])
    context = {"membership": membership, "club": membership.organization, "link": link,
               "days": settings.INVITATION_MAX_AGE_DAYS}
    subject = f"You are invited to {membership.organization.name} on Flightline"
    body = render_to_string("clubs/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [membership.user.email], fail_silently=False))


def invitation_resend(*, membership: Membership, actor: Membership) -> str:
    policy.require_member_manager(actor, membership)
    with transaction.atomic():
        Invitation.objects.filter(membership=membership, used_at__isnull=True).update(expires_at=timezone.now())
        token = _new_invitation(membership, actor.user)
        audit_record(organization=membership.organization, actor=actor.user, action="member.invitation_resent",
                     target=membership, summary=f"Sent a new invitation to {membership.user.email}")
    _send_invitation_after_commit(membership, token)
    return token


@system_entry_point("the invitation page, by token")
def invitation_lookup(token: str) -> Invitation | None:
    """The usable invitation for a raw token, or None (unknown, used or expired)."""
    return (
        Invitation.objects.select_related("membership__user", "membership__organization")
        .filter(token_hash=_hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


@system_entry_point("the invitation page, by token (the token is the credential)")
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invitee's password, once. A conditional UPDATE makes a link single-use even if
    it is submitted twice at the same moment."""
    with transaction.atomic():
        invitation = invitation_lookup(token)
        if invitation is None:
            raise Invalid("invitation_invalid", "This invitation link is not valid any more. Ask your club admin for a new one.")
        claimed = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
        if claimed != 1:
            raise Conflict("invitation_used", "This invitation link has already been used.")
        user = invitation.membership.user
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
        audit_record(organization=invitation.membership.organization, actor=user, action="member.joined",
                     target=invitation.membership, summary=f"{user.display_name} accepted the invitation")
    return user


def _shared_with_other_clubs(membership: Membership) -> bool:
    return Membership.objects.filter(user_id=membership.user_id).exclude(pk=membership.pk).exists()


def member_update(*, membership: Membership, actor: Membership, details: MemberDetails) -> Membership:
    """Roles, instructor and Wi-Flight username are the club's to set. Name and email belong to
    the person: a club admin may set them only while the account belongs to this club alone
    (otherwise one club's admin could redirect another club member's password resets)."""
    policy.require_member_manager(actor, membership)
    _check_plain_text(details)
    _check_instructor(actor, details.instructor)
    if details.instructor is not None and details.instructor.pk == membership.pk:
        raise Invalid("own_instructor", "A member cannot be their own instructor.", field="instructor")
    with transaction.atomic():
        _lock_club(membership.organization_id)
        membership = Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)
        user = membership.user
        before = {"full_name": user.full_name, "email": user.email, "roles": membership.roles,
                  "wiflight_username": membership.wiflight_username,
                  "instructor": membership.instructor_id}
        _guard_last_admin(membership, keeps_admin=Role.ADMIN.value in details.roles)
        email = details.email.strip().lower()
        identity_changed = email != user.email.lower() or details.full_name.strip() != user.full_name
        if identity_changed and _shared_with_other_clubs(membership):
            raise NotAllowed("identity_shared", f"{user.display_name} also belongs to another club: only they can "
                             "change their name and email.", field="email")
        if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise Conflict("email_taken", EMAIL_TAKEN, field="email")
        user.full_name, user.email = details.full_name.strip(), email
        _apply_roles(membership, details.roles)
        membership.wiflight_username = details.wiflight_username.strip() or membership.default_wiflight_username()
        membership.instructor = details.instructor
        try:
            with transaction.atomic():
                user.save(update_fields=["full_name", "email"])
                membership.save()
        except IntegrityError as exc:
            if "email" in str(exc).lower():
                raise Conflict("email_taken", EMAIL_TAKEN, field="email") from exc
            raise Conflict("wiflight_username_taken", WIFLIGHT_USERNAME_TAKEN, field="wiflight_username") from exc
        after = {"full_name": user.full_name, "email": user.email, "roles": membership.roles,
                 "wiflight_username": membership.wiflight_username,
                 "instructor": membership.instructor_id}
        changed = {k: {"from": str(before[k]), "to": str(after[k])} if k in ("day_starts", "day_ends")
                   else {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
        if changed:
            change_record(event="member.updated", organization=membership.organization, actor=actor,
                          target=membership, summary=f"Changed {', '.join(changed)} of {user.display_name}",
                          details=changed, payload=member_payload(membership))
    return membership


def member_set_active(*, membership: Membership, actor: Membership, active: bool) -> Membership:
    """Deactivate or reactivate. A deactivated member keeps their history but cannot be
    booked; a user with no active membership left cannot sign in at all."""
    policy.require_member_manager(actor, membership)
    with transaction.atomic():
        _lock_club(membership.organization_id)
        membership = Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)
        if membership.is_active == active:
            return membership
        if not active:
            _guard_last_admin(membership, keeps_admin=False)
        user = membership.user
        membership.is_active = active
        membership.save(update_fields=["is_active"])
        if active and not user.is_active and user.disabled_by_clubs:
            user.is_active, user.disabled_by_clubs = True, False
            user.save(update_fields=["is_active", "disabled_by_clubs"])
        elif (not active and user.is_active and not user.is_superuser
              and not user.memberships.filter(is_active=True).exists()):
            user.is_active, user.disabled_by_clubs = False, True
            user.save(update_fields=["is_active", "disabled_by_clubs"])
        verb = "Reactivated" if active else "Deactivated"
        change_record(event="member.reactivated" if active else "member.deactivated",
                      organization=membership.organization, actor=actor, target=membership,
                      summary=f"{verb} {user.display_name}", payload=member_payload(membership))
    return membership


MAX_PASSENGERS_LIMIT = 50


# How the club runs its day: each left as it is when not given (None).
DAY_SETTINGS = ("day_starts", "day_ends", "booking_step_minutes", "default_booking_minutes",
                "pilots_self_dispatch", "show_instructor_rows", "altitude_unit")


def _check_day_settings(organization: Organization, given: dict) -> None:
    unknown = set(given) - set(DAY_SETTINGS)
    if unknown:
        raise TypeError(f"unknown club settings: {sorted(unknown)}")
    starts = given.get("day_starts") or organization.day_starts
    ends = given.get("day_ends") or organization.day_ends
    if ends <= starts:
        raise Invalid("day_hours_order", "The day must end after it starts (for example 06:00 to 22:00).",
                      field="day_ends")
    step = given.get("booking_step_minutes")
    if step is not None and step not in BookingStep.values:
        raise Invalid("booking_step_unknown", "Choose a step of 5, 10, 15, 30 or 60 minutes.",
                      field="booking_step_minutes")
    length = given.get("default_booking_minutes")
    if length is not None and not 5 <= length <= 1440:
        raise Invalid("default_length_out_of_range", "Give a default length from 5 minutes to 24 hours.",
                      field="default_booking_minutes")
    unit = given.get("altitude_unit")
    if unit is not None and unit not in AltitudeUnit.values:
        raise Invalid("altitude_unit_unknown", "Choose feet or metres.", field="altitude_unit")


def organization_update(*, actor: Membership, name: str, timezone_name: str, wiflight_user_domain: str,
                        max_passengers: int | None = None,
                        passengers_block_bookings: bool | None = None, **day_settings) -> Organization:
    """The club's settings. The passenger rules and the day settings (DAY_SETTINGS) are left
    as they are when not given."""
    policy.require_capability(actor, "manage_club", "Only club admins change the club's settings.")
    organization = actor.organization
    require_plain_line(name, field="name", label="The club's name")
    require_plain_line(wiflight_user_domain, field="wiflight_user_domain", label="The Wi-Flight user domain")
    if max_passengers is not None and not 0 <= max_passengers <= MAX_PASSENGERS_LIMIT:
        raise Invalid("max_passengers_out_of_range", f"Give a number of passengers from 0 to {MAX_PASSENGERS_LIMIT}.",
                      field="max_passengers")
    day_settings = {k: v for k, v in day_settings.items() if v is not None}
    _check_day_settings(organization, day_settings)
    fields = ("name", "timezone", "wiflight_user_domain", "max_passengers", "passengers_block_bookings", *DAY_SETTINGS)
    with transaction.atomic():
        before = {f: getattr(organization, f) for f in fields}
        organization.name, organization.timezone = name.strip(), timezone_name
        organization.wiflight_user_domain = wiflight_user_domain.strip().lower().lstrip("@")
        if max_passengers is not None:
            organization.max_passengers = max_passengers
        if passengers_block_bookings is not None:
            organization.passengers_block_bookings = passengers_block_bookings
        for setting, value in day_settings.items():
            setattr(organization, setting, value)
        organization.full_clean(exclude=["slug"])
        organization.save()
        after = {f: getattr(organization, f) for f in fields}
        changed = {k: {"from": str(before[k]), "to": str(after[k])} if k in ("day_starts", "day_ends")
                   else {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]}
        if changed:
            audit_record(organization=organization, actor=actor.user, action="club.updated", target=organization,
                         summary=f"Changed the club's {', '.join(changed)}", details=changed)
    return organization


DOCUMENT_FIELDS = ("licence_expires_on", "medical_expires_on", "flight_review_expires_on")


def member_documents_update(*, membership: Membership, actor: Membership, licence_expires_on=None,
                            medical_expires_on=None, flight_review_expires_on=None) -> Membership:
    """The member's licence, medical and flight-review expiry dates, as the club keeps them
    (booking_rules checks them; reminders warn before they lapse). Admins and dispatchers
    keep them; None: not on file. Audited with the dates before and after."""
    policy.require_document_keeper(actor, membership)
    if actor.pk == membership.pk and not actor.is_admin:
        # The dates the booking rules check are not one's own to set: another keeper (or an
        # admin) enters them from the documents seen.
        raise NotAllowed("own_documents", "Another dispatcher or an admin enters your own document dates.")
    given = {"licence_expires_on": licence_expires_on, "medical_expires_on": medical_expires_on,
             "flight_review_expires_on": flight_review_expires_on}
    for field, value in given.items():
        if value is not None and not (date(1900, 1, 1) <= value <= date(2100, 12, 31)):
            raise Invalid("date_out_of_range", "Give a date between 1900 and 2100.", field=field)
    with transaction.atomic():
        locked = Membership.objects.select_for_update().select_related("user", "organization").get(pk=membership.pk)
        changed = {f: {"from": getattr(locked, f).isoformat() if getattr(locked, f) else None,
                       "to": v.isoformat() if v else None} for f, v in given.items() if getattr(locked, f) != v}
        if not changed:
            return locked
        for field, value in given.items():
            setattr(locked, field, value)
            setattr(membership, field, value)
        locked.save(update_fields=list(DOCUMENT_FIELDS))
        change_record(event="member.documents_changed", organization=locked.organization, actor=actor, target=locked,
                      summary=f"Changed the document dates of {locked.user.display_name}", details=changed,
                      payload=member_payload(locked))
    return membership


def member_reminders_set(*, membership: Membership, actor: Membership, email_reminders: bool) -> Membership:
    """A member chooses whether reminders are emailed to them (their own choice only)."""
    policy.require_active(actor)
    policy.require_same_club(actor, membership, "member")
    if actor.pk != membership.pk:
        raise NotAllowed("not_allowed", "Members choose their own reminders.")
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(email_reminders=bool(email_reminders))
        membership.email_reminders = bool(email_reminders)
        audit_record(organization=membership.organization, actor=actor.user, action="member.reminders_set",
                     target=membership, summary=f"{membership.user.display_name} turned email reminders "
                     + ("on" if email_reminders else "off"))
    return membership
