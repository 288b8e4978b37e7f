from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from openid_provider.links import playback_url

IDENTITY = "https://club.example/openid/id/AbC-123_x/"


def test_playback_url_shape(settings):
    settings.WIFLIGHT_PLAYBACK_PATH = "/flightview/{flight_id}"
    url = playback_url(wiflight_base_url="https://www.wi-flight.net/", identity_url=IDENTITY, flight_id=3189)
    assert url == ("https://www.wi-flight.net/auth/openid_enter"
                   "?openid=https%3A%2F%2Fclub.example%2Fopenid%2Fid%2FAbC-123_x%2F&url=%2Fflightview%2F3189")


def test_playback_path_is_a_setting(settings):
    settings.WIFLIGHT_PLAYBACK_PATH = "/playback?flight={flight_id}"
    url = playback_url(wiflight_base_url="http://127.0.0.1:8001", identity_url=IDENTITY, flight_id="42")
    assert parse_qs(urlsplit(url).query)["url"] == ["/playback?flight=42"]
    assert url.startswith("http://127.0.0.1:8001/auth/openid_enter?")


@given(flight_id=st.text(min_size=1, max_size=20), slug=st.text(min_size=1, max_size=30))
def test_parameters_round_trip_whatever_they_contain(flight_id, slug):
    identity = f"https://club.example/openid/id/{slug}/"
    url = playback_url(wiflight_base_url="https://www.wi-flight.net", identity_url=identity, flight_id=flight_id)
    query = urlsplit(url).query
    assert "/" not in query and "?" not in query and "+" not in query
    params = parse_qs(query, keep_blank_values=True)
    assert params["openid"] == [identity]
    assert params["url"][0].startswith("/flightview/")
