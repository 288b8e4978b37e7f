"""A page's URL with a hole for the object's id: one reverse() a page instead of one a row (the
board's blocks, the lists' rows)."""

from django.urls import reverse

_ID = 2**31 - 1  # an id no slug contains, replaced by the hole


def url_pattern(name: str, slug: str) -> str:
    """The URL of `name` in club `slug` with "{}" for the object's id (`pattern.format(pk)`)."""
    return reverse(name, args=[slug, _ID]).replace(str(_ID), "{}")
