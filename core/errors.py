"""Refusals: a service's "no", as a value with a stable code, the field it concerns and one
message written where the rule is.

Four kinds, which the API maps to status codes and forms show as they are:
- NotFound: the object is not the actor's to know about (another club, or not visible to
  them). Views answer 404; the API 404.
- NotAllowed: the actor sees the object but their role does not allow the action (403).
- Conflict: the action collides with the state of the world (a booking overlaps, the row
  changed under us) (409).
- Invalid: the input is wrong (400 / 422).

A Refusal is a Django ValidationError, so forms and `pytest.raises(ValidationError)` keep
working; tests assert `.code`. docs/errors.md lists every code (a test checks it does).
"""

from django.core.exceptions import ValidationError


class Refusal(ValidationError):
    kind = "invalid"

    def __init__(self, code: str, message: str, *, field: str | None = None, details: dict | None = None):
        super().__init__(message, code=code)
        self.code = code
        self.field = field
        self.details = details or {}

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, field={self.field!r})"


class NotFound(Refusal):
    kind = "not_found"


class NotAllowed(Refusal):
    kind = "not_allowed"


class Conflict(Refusal):
    kind = "conflict"


class Invalid(Refusal):
    kind = "invalid"


def refusal_code(exc: ValidationError) -> str | None:
    """The code of a refusal (or of a plain ValidationError carrying one)."""
    return getattr(exc, "code", None)
