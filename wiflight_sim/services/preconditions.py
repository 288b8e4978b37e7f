"""If-Match / If-None-Match against a reservation's ETag (RFC 9110 semantics, byte-exact)."""

from wiflight_sim.errors import ApiError


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def check_preconditions(current_etag: str | None, *, if_match: str | None, if_none_match: str | None) -> None:
    """Raise 412 when a precondition fails. `current_etag` is None when the object is absent."""
    if if_match is not None:
        tags = _tags(if_match)
        if current_etag is None or not ("*" in tags or current_etag in tags):
            raise ApiError(412, "Precondition Failed", "If-Match does not match the current reservation")
    if if_none_match is not None and current_etag is not None:
        tags = _tags(if_none_match)
        if "*" in tags or current_etag in tags:
            raise ApiError(412, "Precondition Failed", "If-None-Match: the reservation exists")
