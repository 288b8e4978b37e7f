"""Crew roles read as words wherever a role code was shown raw ("Pat Pilot (pic)")."""

import pytest
from django.template import Context, Template


@pytest.mark.parametrize("code,words", [("pic", "Pilot in command"), ("student", "Student"),
                                        ("passenger", "Passenger"), ("Safety pilot", "Safety pilot"), ("", "")])
def test_crew_role_filter(code, words):
    assert Template("{% load crew_roles %}{{ role|crew_role }}").render(Context({"role": code})) == words
