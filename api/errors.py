"""Every API error in one envelope, whatever raised it:

    {"error": {"code": "...", "message": "...", "details": {"field": "...", "issue": "..."}}}

A service's refusal keeps its code and message (docs/errors.md) and maps its kind to a
status; DRF's and Django's own errors get codes of their own. When several fields are wrong,
`details.field`/`details.issue` name the first and `details.errors` lists them all."""

import logging

from django.core.exceptions import RequestDataTooBig, ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from core.errors import Refusal

log = logging.getLogger(__name__)

REFUSAL_STATUS = {"not_found": 404, "not_allowed": 403, "conflict": 409, "invalid": 422}

DRF_CODES: list[tuple[type, int, str]] = [
    (drf.NotAuthenticated, 401, "unauthenticated"),
    (drf.AuthenticationFailed, 401, "invalid_credentials"),
    (drf.PermissionDenied, 403, "forbidden"),
    (drf.NotFound, 404, "not_found"),
    (drf.MethodNotAllowed, 405, "method_not_allowed"),
    (drf.NotAcceptable, 406, "not_acceptable"),
    (drf.UnsupportedMediaType, 415, "unsupported_media_type"),
    (drf.ParseError, 400, "malformed_body"),
    (drf.Throttled, 429, "rate_limited"),
]


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def _field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {"field", "issue"}."""
    if isinstance(detail, dict):
        out = []
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else str(key))
            out += _field_errors(value, name)
        return out
    if isinstance(detail, list):
        out = []
        for i, value in enumerate(detail):
            out += _field_errors(value, f"{prefix}[{i}]" if isinstance(value, (dict, list)) else prefix)
        return out
    return [{"field": prefix or None, "issue": str(detail)}]


def validation_body(detail) -> dict:
    errors = _field_errors(detail)
    first = errors[0] if errors else {"field": None, "issue": "Invalid input."}
    message = first["issue"] if first["field"] is None else f"{first['field']}: {first['issue']}"
    return error_body("validation_error", message, {**first, "errors": errors})


def refusal_body(exc: Refusal) -> dict:
    return error_body(exc.code, exc.message, {"field": exc.field, "issue": exc.message, **exc.details})


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]."""
    headers = {}
    if isinstance(exc, Refusal):
        return Response(refusal_body(exc), status=REFUSAL_STATUS[exc.kind])
    if isinstance(exc, drf.ValidationError):
        return Response(validation_body(exc.detail), status=400)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_body(exc.message_dict if hasattr(exc, "error_dict") else exc.messages), status=400)
    if isinstance(exc, Http404):
        return Response(error_body("not_found", "Not found."), status=404)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", "The request body is too large."), status=413)
    for cls, status, code in DRF_CODES:
        if isinstance(exc, cls):
            if getattr(exc, "auth_header", None):
                headers["WWW-Authenticate"] = exc.auth_header
            if isinstance(exc, drf.Throttled) and exc.wait is not None:
                headers["Retry-After"] = str(int(exc.wait))
            return Response(error_body(code, _message(exc)), status=status, headers=headers)
    if isinstance(exc, drf.APIException):
        return Response(error_body(exc.default_code, _message(exc)), status=exc.status_code)
    log.exception("API request failed", exc_info=exc)
    return Response(error_body("server_error", "Something went wrong on our side; it has been logged."), status=500)


def _message(exc: drf.APIException) -> str:
    detail = exc.detail
    return str(detail if not isinstance(detail, (list, dict)) else exc.default_detail)


def not_found_json(request, exception=None):
    """handler404 for /api/ URLs that match no route."""
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)
