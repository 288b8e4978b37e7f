"""The booking page shows what its flight was billed: to the treasurer everything, to the
payer their own lines, to another pilot nothing."""

import pytest

pytestmark = pytest.mark.django_db


def test_billing_section(booking, fly, pilot, pilot2, treasurer, as_user):
    fly(booking, "1.3")
    url = f"/o/tac/bookings/{booking.pk}/"
    for member in (treasurer, pilot):
        page = as_user(member).get(url).content.decode()
        assert "Billing" in page and "195.00" in page and "Draft invoice" in page
    assert "195.00" not in as_user(pilot2).get(url).content.decode()
