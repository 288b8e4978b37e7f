"""A "who may" rule written once, usable two ways.

A Relation is how a member stands to an object (on its crew, teaching someone on it, a role
that sees the whole club), given both as a queryset filter (`q`) and as a test on an object
already in memory (`holds`, for pages that decide per row without another query). Policy
modules build every rule from relations, and tests/dispatch/test_booking_policy.py and
tests/flights/test_policy.py check that the two halves agree for every persona and case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Relation:
    q: Q
    holds: Callable[[Any], bool]

    def __or__(self, other: "Relation") -> "Relation":
        if self is EVERYTHING or other is EVERYTHING:
            # Anything or everything is everything: no always-true OR for the planner to
            # carry (it kept a see-all list's count from being read off an index range).
            return EVERYTHING
        return Relation(self.q | other.q, lambda obj: self.holds(obj) or other.holds(obj))

    def __and__(self, other: "Relation") -> "Relation":
        if other is EVERYTHING:
            return self
        if self is EVERYTHING:
            return other
        return Relation(self.q & other.q, lambda obj: self.holds(obj) and other.holds(obj))


# Not Q(): Django drops an empty Q from `Q() | Q(x)` (the result is Q(x)), so
# `when(admin, EVERYTHING) | on_crew` would filter to the crew alone.
EVERYTHING = Relation(Q(pk__isnull=False), lambda obj: True)
NOTHING = Relation(Q(pk__in=[]), lambda obj: False)


def when(condition: bool, relation: Relation) -> Relation:
    """`relation` if the actor meets `condition` (a role, say), else nothing."""
    return relation if condition else NOTHING
