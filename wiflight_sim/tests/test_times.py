"""Compact and extended UTC times (property-based)."""

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wiflight_sim.timefmt import TimeFormatError, format_time, parse_time

instants = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=timezone.utc)
)


@given(instants)
def test_compact_round_trip(moment):
    text = format_time(moment)
    assert len(text) == 16 and text[8] == "T" and text.endswith("Z")
    assert parse_time(text) == moment


@given(instants, st.sampled_from(["Z", "+00:00", "+0000"]), st.booleans())
def test_extended_equals_compact(moment, suffix, fraction):
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + (".250" if fraction else "") + suffix
    assert parse_time(text) == parse_time(format_time(moment))


@given(st.text(max_size=30))
def test_garbage_never_parses_silently(text):
    try:
        parsed = parse_time(text)
    except TimeFormatError:
        return
    assert format_time(parsed)[:8].isdigit()


@pytest.mark.parametrize(
    "text", ["20131201T120000", "2013-12-01 12:00:00Z", "20131301T120000Z", "20131201t120000z", "2013-12-01T12:00:00+01:00"]
)
def test_rejects_non_utc_or_malformed(text):
    with pytest.raises(TimeFormatError):
        parse_time(text)
