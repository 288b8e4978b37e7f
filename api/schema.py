"""The envelopes and the error body, described for the OpenAPI document (drf-spectacular):
every endpoint's responses in the shapes it really sends."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

_cache: dict[str, serializers.Serializer] = {}


def _named(name: str, fields: dict):
    if name not in _cache:
        _cache[name] = inline_serializer(name=name, fields=fields)
    return _cache[name]


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("_"))


def _resource(kind: str, attributes, name: str):
    return _named(f"{name}Resource", {
        "id": serializers.CharField(),
        "type": serializers.CharField(help_text=f'Always "{kind}".'),
        "attributes": attributes(),
    })


def envelope_of(kind: str, attributes, name: str | None = None, *, partial: bool = False, meta=None):
    """{"data": {"id", "type", "attributes"}}. For a request body, `attributes` is the
    write serializer; the API also accepts the bare attributes object. `meta`: a serializer
    of the answer's `meta` (a booking write's warnings)."""
    name = name or _camel(kind)
    attrs = (lambda: attributes(partial=True)) if partial else attributes
    if meta is not None:
        # The same resource as the plain answer's: only the envelope differs.
        return _named(f"{name}Envelope", {"data": _resource(kind, attrs, _camel(kind)), "meta": meta()})
    return _named(f"{name}Envelope", {"data": _resource(kind, attrs, name)})


def list_of(kind: str, attributes, name: str | None = None):
    name = name or _camel(kind)
    if f"{name}List" in _cache:  # two lists of one kind (a club's squawks, an aircraft's): one schema
        return _cache[f"{name}List"]
    return _named(f"{name}List", {
        "data": serializers.ListField(child=_resource(kind, attributes, name)),
        "links": _named("ListLinks", {"self": serializers.URLField(), "next": serializers.URLField(allow_null=True),
                                      "prev": serializers.URLField(allow_null=True)}),
        "meta": _named("ListMeta", {"count": serializers.IntegerField(), "page": serializers.IntegerField(),
                                    "page_size": serializers.IntegerField()}),
    })


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message", "details"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "details": {"type": "object", "additionalProperties": True,
                        "description": "`field` and `issue` for the first problem; `errors`: all of them."},
        },
    }},
}

ERROR_STATUSES = {
    "400": "Malformed or invalid input (validation_error)", "401": "No or unknown credential",
    "403": "The credential's scope or the actor's role does not allow it", "404": "Not found (or another club's)",
    "405": "Method not allowed", "406": "Not acceptable", "409": "Conflict with the schedule or the object's state",
    "413": "Body too large", "415": "Not JSON", "422": "A rule refused the request (the refusal's code)",
    "429": "Rate limit exceeded (Retry-After)", "500": "Server error",
}

RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed in the current hourly window",
    "X-RateLimit-Remaining": "Requests left in the window",
    "X-RateLimit-Reset": "When the window ends (epoch seconds)",
}


def add_errors_and_rate_headers(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: every operation may answer any error in
    the one envelope, and every response carries the rate-limit headers."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    headers = {name: {"schema": {"type": "integer"}, "description": text} for name, text in RATE_HEADERS.items()}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for status, text in ERROR_STATUSES.items():
                responses.setdefault(status, {"description": text, "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
            for response in responses.values():
                response.setdefault("headers", {}).update(headers)
            responses["429"]["headers"]["Retry-After"] = {"schema": {"type": "integer"},
                                                          "description": "Seconds until the window resets"}
    return result


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer",
                "description": "An API key (`fl_...`) created by a club admin."}
