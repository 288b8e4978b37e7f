import re

from django.test import Client

from openid_provider.models import OpenIDIdentity
from openid_provider.services import identity_for, identity_url_for
from tests.openid_provider.relying_party import BASE, ENDPOINT

XRDS = "application/xrds+xml"


def test_identity_url_is_opaque_permanent_and_from_public_base(openid_settings, pilot):
    url = identity_url_for(pilot.user)
    slug = identity_for(pilot.user).slug
    assert url == f"{BASE}/openid/id/{slug}/"
    assert re.fullmatch(r"[A-Za-z0-9_-]{24}", slug)
    assert pilot.user.username not in url and "example.com" not in url
    assert identity_url_for(pilot.user) == url
    assert OpenIDIdentity.objects.filter(user=pilot.user).count() == 1


def test_slugs_differ_between_users(openid_settings, pilot, pilot2):
    assert identity_for(pilot.user).slug != identity_for(pilot2.user).slug


def test_identity_page_is_public_and_advertises_endpoint(openid_settings, pilot):
    url = identity_url_for(pilot.user)
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<link rel="openid2.provider" href="{ENDPOINT}">' in html
    assert f'<link rel="openid2.local_id" href="{url}">' in html
    assert response["X-XRDS-Location"] == f"{url}xrds/"
    assert pilot.user.username not in html and pilot.user.email not in html


def test_published_urls_ignore_the_host_header(openid_settings, pilot, settings):
    settings.ALLOWED_HOSTS = ["*"]
    url = identity_url_for(pilot.user)
    response = Client().get(url, HTTP_HOST="attacker.example")
    assert f'href="{ENDPOINT}"' in response.content.decode()
    assert "attacker.example" not in response.content.decode()


def test_identity_xrds_is_a_signon_service(openid_settings, pilot):
    url = identity_url_for(pilot.user)
    for response in (Client().get(f"{url}xrds/"), Client().get(url, headers={"accept": XRDS})):
        assert response["Content-Type"].startswith(XRDS)
        body = response.content.decode()
        assert "<Type>http://specs.openid.net/auth/2.0/signon</Type>" in body
        assert f"<URI>{ENDPOINT}</URI>" in body


def test_op_identifier_xrds_at_its_own_url_and_at_the_endpoint(openid_settings, db):
    for response in (Client().get("/openid/xrds/"), Client().get("/openid/endpoint/", headers={"accept": XRDS})):
        assert response["Content-Type"].startswith(XRDS)
        assert "<Type>http://specs.openid.net/auth/2.0/server</Type>" in response.content.decode()
    assert Client().get("/openid/endpoint/")["X-XRDS-Location"] == f"{BASE}/openid/xrds/"


def test_unknown_identity_is_404(openid_settings, db):
    assert Client().get("/openid/id/nobody-has-this-slug/").status_code == 404


def test_consumer_discovers_identity_url(rp, pilot):
    url = identity_url_for(pilot.user)
    auth_request = rp.consumer().begin(url)
    assert auth_request.endpoint.server_url == ENDPOINT
    assert auth_request.endpoint.claimed_id == url
    assert not auth_request.endpoint.isOPIdentifier()


def test_consumer_discovers_op_identifier(rp, db):
    for identifier in (f"{BASE}/openid/xrds/", ENDPOINT):
        auth_request = rp.consumer().begin(identifier)
        assert auth_request.endpoint.isOPIdentifier()
        assert auth_request.endpoint.server_url == ENDPOINT
