from django.test import Client

from openid_provider.models import TrustedRealm
from openid_provider.services import identity_url_for
from tests.conftest import client_for


def test_profile_needs_sign_in(openid_settings, db):
    response = Client().get("/openid/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_profile_shows_identity_url_and_realms(openid_settings, pilot):
    TrustedRealm.objects.create(user=pilot.user, realm="http://rp.example.org/")
    html = client_for(pilot).get("/openid/profile/").content.decode()
    assert identity_url_for(pilot.user) in html
    assert "http://rp.example.org/" in html and "Revoke" in html


def test_nav_links_to_the_profile(openid_settings, pilot):
    html = client_for(pilot).get("/openid/profile/").content.decode()
    assert 'href="/openid/profile/"' in html


def test_revoke_removes_the_realm(openid_settings, pilot):
    trusted = TrustedRealm.objects.create(user=pilot.user, realm="http://rp.example.org/")
    response = client_for(pilot).post(f"/openid/profile/realms/{trusted.pk}/revoke/")
    assert response.status_code == 302
    assert not TrustedRealm.objects.exists()


def test_revoke_cannot_touch_someone_elses_realm(openid_settings, pilot, pilot2):
    trusted = TrustedRealm.objects.create(user=pilot2.user, realm="http://rp.example.org/")
    client_for(pilot).post(f"/openid/profile/realms/{trusted.pk}/revoke/")
    assert TrustedRealm.objects.filter(pk=trusted.pk).exists()


def test_revoke_is_post_only_and_csrf_protected(openid_settings, pilot):
    trusted = TrustedRealm.objects.create(user=pilot.user, realm="http://rp.example.org/")
    assert client_for(pilot).get(f"/openid/profile/realms/{trusted.pk}/revoke/").status_code == 405
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pilot.user)
    assert browser.post(f"/openid/profile/realms/{trusted.pk}/revoke/").status_code == 403
    assert TrustedRealm.objects.exists()
