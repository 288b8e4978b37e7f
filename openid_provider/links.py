"""The one place that builds links to Wi-Flight flight playback.

Wi-Flight's `auth/openid_enter` signs the browser in with the given OpenID, then redirects to
`url` (a path Wi-Flight prefixes with its own origin). The playback path is not published, so
it is a setting (docs/openid.md). Both parameters are percent-escaped with nothing left safe.
"""

from urllib.parse import quote, urlencode

from django.conf import settings


def playback_path(flight_id) -> str:
    return settings.WIFLIGHT_PLAYBACK_PATH.format(flight_id=quote(str(flight_id), safe=""))


def playback_url(*, wiflight_base_url: str, identity_url: str, flight_id) -> str:
    query = urlencode({"openid": identity_url, "url": playback_path(flight_id)}, quote_via=quote, safe="")
    return f"{wiflight_base_url.rstrip('/')}/auth/openid_enter?{query}"
