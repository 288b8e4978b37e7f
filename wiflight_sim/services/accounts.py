"""Accounts as Wi-Flight staff would configure them (management commands, demo seed)."""

from django.db import transaction
from openid.urinorm import urinorm

from wiflight_sim.models import Aircraft, Fleet, NameDomain, SimUser, UserOpenID


def normalize_openid(url: str) -> str:
    try:
        return urinorm(url.strip())
    except ValueError:
        return url.strip()


@transaction.atomic
def user_configure(
    *,
    username: str,
    role: str = SimUser.END_USER,
    password: str | None = None,
    fullname: str = "",
    email: str = "",
    fleet_name: str | None = None,
    domains: tuple[str, ...] = (),
    openids: tuple[str, ...] = (),
) -> SimUser:
    """Create or update a user (idempotent: running it twice leaves one user)."""
    user, _ = SimUser.objects.get_or_create(username=username)
    user.role = role
    if password is not None:
        user.set_password(password)
    user.fullname = fullname or user.fullname
    user.email = email or user.email
    if fleet_name:
        user.fleet, _ = Fleet.objects.get_or_create(name=fleet_name)
    user.save()
    for domain in domains:
        NameDomain.objects.update_or_create(domain=domain.lstrip("@").lower(), defaults={"user": user})
    for openid in openids:
        UserOpenID.objects.update_or_create(claimed_id=normalize_openid(openid), defaults={"user": user})
    return user


@transaction.atomic
def aircraft_configure(*, tail: str, model: str, fleet_name: str, home_airport: str | None = None) -> Aircraft:
    fleet, _ = Fleet.objects.get_or_create(name=fleet_name)
    defaults = {"model": model, "fleet": fleet}
    if home_airport:
        defaults["home_airport"] = home_airport.upper()
    aircraft, _ = Aircraft.objects.update_or_create(tail=tail.upper(), defaults=defaults)
    return aircraft
