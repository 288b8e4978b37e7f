"""Simulator-only switches: faults, reset, and the counters the portal's tests read."""

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from wiflight_sim.errors import ApiError
from wiflight_sim.models import FaultState, Flight, FlightMatch, Notification, RequestLog, Reservation
from wiflight_sim.services.sessions import sessions_expire_all

_FAULT_FIELDS = {
    "unavailable": ("unavailable", bool),
    "delay": ("delay_seconds", float),
    "drop": ("drop_connections", bool),
    "fail_fraction": ("fail_fraction", float),
    "notifications_paused": ("notifications_paused", bool),
}


@transaction.atomic
def faults_update(changes: dict) -> dict:
    """Apply a partial fault update; `clear` resets all, `expire_sessions` is a one-shot action."""
    unknown = set(changes) - set(_FAULT_FIELDS) - {"clear", "expire_sessions", "accounts"}
    if unknown:
        raise ApiError(400, "Unknown fault", f"Unknown fault switches: {', '.join(sorted(unknown))}")
    state = FaultState.current()
    if changes.get("clear"):
        state = FaultState(pk=1)
    for key, (field, kind) in _FAULT_FIELDS.items():
        if key in changes:
            value = changes[key]
            if kind is bool and not isinstance(value, bool):
                raise ApiError(400, "Bad fault value", f"{key} must be true or false")
            if kind is float:
                try:
                    value = float(value)
                except (TypeError, ValueError) as exc:
                    raise ApiError(400, "Bad fault value", f"{key} must be a number") from exc
            setattr(state, field, value)
    if "accounts" in changes:
        state.accounts = _account_faults(changes["accounts"], state.accounts)
    if not 0 <= state.fail_fraction <= 1 or state.delay_seconds < 0:
        raise ApiError(400, "Bad fault value", "fail_fraction must be 0..1 and delay >= 0")
    state.updated_at = timezone.now()
    state.save()
    result = state.as_dict()
    if changes.get("expire_sessions"):
        result["sessions_expired"] = sessions_expire_all()
    return result


_ACCOUNT_FAULTS = {"refuse": bool, "delay": float}


def _account_faults(changes, current: dict) -> dict:
    """Merge `{"<username>": {"refuse": true} | {"delay": seconds} | null}` into the per-account
    faults (null, or an empty object, clears that account's)."""
    if not isinstance(changes, dict):
        raise ApiError(400, "Bad fault value", "accounts must map usernames to faults")
    merged = dict(current or {})
    for username, faults in changes.items():
        if not faults:
            merged.pop(username, None)
            continue
        if not isinstance(faults, dict) or set(faults) - set(_ACCOUNT_FAULTS):
            raise ApiError(400, "Bad fault value", f"account faults are {', '.join(_ACCOUNT_FAULTS)}")
        clean = {}
        for key, value in faults.items():
            if _ACCOUNT_FAULTS[key] is bool:
                if not isinstance(value, bool):
                    raise ApiError(400, "Bad fault value", f"{key} must be true or false")
            else:
                try:
                    value = float(value)
                except (TypeError, ValueError) as exc:
                    raise ApiError(400, "Bad fault value", f"{key} must be a number") from exc
                if value < 0:
                    raise ApiError(400, "Bad fault value", f"{key} must be >= 0")
            clean[key] = value
        merged[str(username)] = clean
    return merged


@transaction.atomic
def sim_reset(*, clear_faults: bool = True) -> None:
    """Wipe reservations, flights, matches, outbox and request log; keep accounts and aircraft."""
    Notification.objects.all().delete()
    FlightMatch.objects.all().delete()
    Flight.objects.all().delete()
    Reservation.objects.all().delete()
    RequestLog.objects.all().delete()
    if clear_faults:
        FaultState.objects.all().delete()


def sim_stats() -> dict:
    puts = RequestLog.objects.filter(method="PUT").exclude(reservation_name="")
    by_status = RequestLog.objects.values("method", "status").annotate(n=Count("id"))
    notifications = Notification.objects.values("status").annotate(n=Count("id"))
    return {
        "requests": RequestLog.objects.count(),
        "requests_by_method_status": {f"{r['method']} {r['status']}": r["n"] for r in by_status},
        "puts": {r["reservation_name"]: r["n"] for r in puts.values("reservation_name").annotate(n=Count("id"))},
        "puts_ok": {
            r["reservation_name"]: r["n"]
            for r in puts.filter(status__in=[200, 201]).values("reservation_name").annotate(n=Count("id"))
        },
        "deletes": {
            r["reservation_name"]: r["n"]
            for r in RequestLog.objects.filter(method="DELETE")
            .exclude(reservation_name="")
            .values("reservation_name")
            .annotate(n=Count("id"))
        },
        "logins": RequestLog.objects.filter(path="/auth/login", status=200).count(),
        "reservations": Reservation.objects.count(),
        "flights": Flight.objects.count(),
        "matches": FlightMatch.objects.count(),
        "notifications": {r["status"]: r["n"] for r in notifications},
        "faults": FaultState.current().as_dict(),
    }
