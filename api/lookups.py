"""Objects named in a request body or query, found within the actor's club only: another
club's aircraft or member is "not found", with the same codes the services use."""

from clubs.models import Membership
from core.errors import NotFound
from dispatch.models import Aircraft
from dispatch.models.fleet import REGISTRATION_KEY, registration_key


def aircraft_named(actor: Membership, value, *, field: str = "aircraft") -> Aircraft:
    """By id ("12") or registration ("C-GDFA", "cgdfa")."""
    club = Aircraft.objects.filter(organization_id=actor.organization_id)
    text = str(value).strip()
    found = None
    if text.isascii() and text.isdigit() and len(text) <= 18:
        found = club.filter(pk=int(text)).first()
    if found is None and text:
        found = club.annotate(key=REGISTRATION_KEY).filter(key=registration_key(text)).first()
    if found is None:
        raise NotFound("unknown_aircraft", f"No aircraft {text!r} in this club.", field=field)
    return found


def aircraft_by_registration(actor: Membership, registration: str) -> Aircraft | None:
    return (Aircraft.objects.filter(organization_id=actor.organization_id).annotate(key=REGISTRATION_KEY)
            .filter(key=registration_key(registration)).first())


def member_with_id(actor: Membership, pk: int, *, field: str = "member") -> Membership:
    found = (Membership.objects.people().select_related("user", "organization")
             .filter(organization_id=actor.organization_id, pk=pk).first())
    if found is None:
        raise NotFound("unknown_member", "Unknown member.", field=field)
    return found
