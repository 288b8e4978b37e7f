"""Sign-in mails link to PUBLIC_BASE_URL, never to the request's Host header.

(Found in an attack: a reset asked with `Host: localhost:9999` mailed a link to that port.
Confirming an added address built its link the same way.)
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

PUBLIC = "https://flightline.example.org"


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


def _ask_reset(client, email, host="localhost:9999"):
    return client.post(reverse("account_reset_password"), {"email": email}, headers={"Host": host})


def _links(message) -> list[str]:
    return re.findall(r"\bhttps?://\S+", message.body)


def test_the_reset_link_comes_from_public_base_url_not_the_host(client, pilot):
    _ask_reset(client, "pilot@example.com")
    (message,) = mail.outbox
    assert _links(message) and all(link.startswith(PUBLIC + "/") for link in _links(message))
    assert "localhost" not in message.body + message.subject


def test_the_mailed_link_opens_the_new_password_form(client, pilot):
    _ask_reset(client, "pilot@example.com")
    (link,) = _links(mail.outbox[0])
    r = client.get(urlsplit(link).path, follow=True)
    assert r.status_code == 200 and "password1" in r.context["form"].fields


def test_an_unknown_address_gets_no_mail(client, db):
    # Sign-up is closed: allauth's "no such account, sign up here" mail would point strangers
    # at a page that refuses them, with a link built from whatever Host they sent.
    _ask_reset(client, "stranger@example.com")
    assert mail.outbox == []


def test_the_link_to_confirm_an_added_address_comes_from_public_base_url(as_user, pilot):
    as_user(pilot).post(reverse("account_email"), {"action_add": "", "email": "second@example.com"},
                        headers={"Host": "localhost:9999"})
    (message,) = mail.outbox
    (link,) = _links(message)
    assert link.startswith(PUBLIC + "/accounts/confirm-email/")
    assert "localhost" not in message.body + message.subject
