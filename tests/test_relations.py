"""Who-sees-what relations (core/relations.py): EVERYTHING absorbs an OR and vanishes from an
AND, so a see-all actor's query carries no always-true clause, and the answers stay the same."""

from django.db.models import Q

from core.relations import EVERYTHING, NOTHING, Relation, when

MINE = Relation(Q(owner=1), lambda obj: obj == "mine")


def test_everything_or_anything_is_everything():
    assert (EVERYTHING | MINE) is EVERYTHING and (MINE | EVERYTHING) is EVERYTHING
    assert (when(True, EVERYTHING) | MINE | NOTHING) is EVERYTHING


def test_anything_and_everything_is_itself():
    assert (MINE & EVERYTHING) is MINE and (EVERYTHING & MINE) is MINE
    assert (MINE & when(True, EVERYTHING)).q == Q(owner=1)


def test_the_answers_do_not_change():
    for relation, expected in ((EVERYTHING | MINE, {"mine", "theirs"}), (MINE & EVERYTHING, {"mine"}),
                               (when(False, EVERYTHING) | MINE, {"mine"}), (NOTHING & EVERYTHING, set())):
        assert {obj for obj in ("mine", "theirs") if relation.holds(obj)} == expected
