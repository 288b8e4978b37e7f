"""Strict readers for settings that come from environment variables.

Every knob of Flightline is an environment variable. A value that cannot be parsed is an
error at start-up, never a silent default: `DEBUG=ture` must not quietly mean "off".
A secret may also come from a file named by `<NAME>_FILE` (Docker and systemd credentials).
"""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str | None = None) -> str | None:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            with open(file_name, encoding="utf-8") as handle:
                return handle.read().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name!r} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is neither true nor false (use 1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from exc


def env_seconds(name: str, default: float, *, zero_allowed: bool = False) -> float:
    """A positive number of seconds, fractions allowed (a timeout); 0 too if zero_allowed."""
    value = env_str(name)
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={value!r} is not a number of seconds") from exc
    if not 0 <= seconds < float("inf") or (seconds == 0 and not zero_allowed):  # nan fails the first test
        raise ImproperlyConfigured(f"{name}={value!r} must be {'0 or more' if zero_allowed else 'more than 0'} seconds")
    return seconds


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str, default: list[str]) -> list[str]:
    """A comma-separated list of CIDR networks ("127.0.0.0/8,::1/128"), normalized. A network
    with host bits set ("127.0.0.1/8") is an error: it says something other than it means."""
    networks = []
    for item in env_list(name, default):
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {item!r} is not a network like 10.0.0.0/8 ({exc})") from exc
    return networks
