"""A relying party that nobody here wrote: python3-openid's own Consumer, in-process.

Its server-to-server requests (discovery, associate, check_authentication) go through a
fetcher that routes them into Django's test client; the browser's part is played by a test
client, signed in as a persona or not.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from django.test import Client
from openid import fetchers
from openid.consumer.consumer import Consumer
from openid.store.memstore import MemoryStore

BASE = "http://testserver"
TRUSTED_REALM = "http://trusted.example/"
TRUSTED_RETURN_TO = "http://trusted.example/openid/return/"
OTHER_REALM = "http://rp.example.org/"
OTHER_RETURN_TO = "http://rp.example.org/back/"
ENDPOINT = f"{BASE}/openid/endpoint/"


class RoutedFetcher(fetchers.HTTPFetcher):
    """Routes the consumer's HTTP requests for http://testserver into Django's test client."""

    def __init__(self):
        self.client = Client()
        self.seen: list[tuple[str, str]] = []

    def fetch(self, url, body=None, headers=None):
        parts = urlsplit(url)
        if parts.netloc != "testserver":
            raise fetchers.HTTPFetchingError(f"not routed in tests: {url}")
        headers = {k: v for k, v in (headers or {}).items() if k.lower() != "content-type"}
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if body is None:
            self.seen.append(("GET", parts.path))
            response = self.client.generic("GET", target, headers=headers)
        else:
            self.seen.append(("POST", parts.path))
            data = body if isinstance(body, str) else body.decode()
            response = self.client.generic("POST", target, data=data,
                                           content_type="application/x-www-form-urlencoded", headers=headers)
        return fetchers.HTTPResponse(final_url=url, status=response.status_code,
                                     headers={k.lower(): v for k, v in response.headers.items()},
                                     body=response.content.decode())


class _FormFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")


def parse_form(html: str) -> tuple[str, dict]:
    parser = _FormFields()
    parser.feed(html)
    return parser.action, parser.fields


class RelyingParty:
    """One relying-party "site": a session dict, a store, a realm and return_to."""

    def __init__(self, *, realm=TRUSTED_REALM, return_to=TRUSTED_RETURN_TO, stateless=False, negotiator=None):
        self.realm, self.return_to, self.negotiator = realm, return_to, negotiator
        self.session: dict = {}
        self.store = None if stateless else MemoryStore()

    def consumer(self) -> Consumer:
        consumer = Consumer(self.session, self.store)
        if self.negotiator is not None:
            consumer.consumer.negotiator = self.negotiator
        return consumer

    def begin(self, identifier: str, *, immediate: bool = False) -> str:
        """The URL the relying party sends the browser to."""
        auth_request = self.consumer().begin(identifier)
        return auth_request.redirectURL(self.realm, self.return_to, immediate=immediate)

    @staticmethod
    def returned_query(response) -> tuple[str, dict]:
        """The browser's arrival at return_to: from a redirect or a self-submitting form."""
        if response.status_code == 302:
            url = response["Location"]
            return url, dict(parse_qsl(urlsplit(url).query))
        assert response.status_code == 200, response.status_code
        action, fields = parse_form(response.content.decode())
        # A web framework merges the POSTed fields with return_to's own query arguments.
        return action, {**dict(parse_qsl(urlsplit(action).query)), **fields}

    def complete(self, response):
        url, query = self.returned_query(response)
        return self.consumer().complete(query, url)


def is_redirect_to(response, prefix: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(prefix)


HANDLE_RE = re.compile(r"^[A-Za-z0-9{}._-]+$")
