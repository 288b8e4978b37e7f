"""/invoices, /payments, /expenses and /members/{id}/balance: accounting through the API, per
credential (a read+write key, a read key, OAuth tokens of the treasurer, a viewer and pilots,
another club's key), with the services' refusals and money as strings."""

import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken, set_token_value

from accounting.models import Account, Expense, Invoice, Payment
from accounting.services.accounts import account_for
from accounting.services.expenses import expense_submit
from accounting.services.invoices import invoice_issue, invoice_line_add
from accounting.services.payments import payment_record
from api.oauth_apps import oauth_app_register
from tests.api.conftest import ApiClient, base
from tests.conftest import make_member


@pytest.fixture
def treasurer(club):
    return make_member(club, "treasurer", is_treasurer=True)


@pytest.fixture
def viewer(club):
    return make_member(club, "viewer", is_viewer=True)


@pytest.fixture
def token(admin):
    """token(member, scope="read write"): an OAuth access token acting as that member."""
    app, _ = oauth_app_register(actor=admin, name="App", redirect_uris=["https://app.example/cb"], confidential=False)

    def _token(member, scope="read write") -> ApiClient:
        raw = secrets.token_urlsafe(30)
        access = AccessToken(user=member.user, application=app, scope=scope, expires=timezone.now() + timedelta(hours=1))
        set_token_value(access, raw)
        access.save()
        return ApiClient(raw)

    return _token


def _today(club):
    return timezone.localdate(timezone=club.tz)


def _draft(treasurer, member, amount="195.00", description="Membership fee"):
    return invoice_line_add(actor=treasurer, member=member, description=description, amount=Decimal(amount)).invoice


@pytest.fixture
def ledger(club, treasurer, pilot, pilot2):
    """pilot: an issued invoice of 195 and a draft of 40; pilot2: an issued invoice of 80."""
    issued = invoice_issue(actor=treasurer, invoice=_draft(treasurer, pilot))
    draft = _draft(treasurer, pilot, "40", "Landing fees")
    theirs = invoice_issue(actor=treasurer, invoice=_draft(treasurer, pilot2, "80"))
    return {"issued": issued, "draft": draft, "theirs": theirs}


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["data"]}


def _code(response, status: int) -> str:
    assert response.status_code == status, response.content
    return response.json()["error"]["code"]


def _money(amount: str, club) -> dict:
    return {"amount": amount, "currency": club.currency}


# --- invoices ------------------------------------------------------------------------------


def test_an_invoice_reads_with_its_lines_and_money_as_strings(club, treasurer, token, ledger, pilot):
    invoice = ledger["issued"]
    response = token(treasurer).get(f"{base(club)}/invoices/{invoice.pk}")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["type"], data["id"]) == ("invoice", str(invoice.pk))
    a = data["attributes"]
    assert (a["number"], a["kind"], a["status"], a["member_id"]) == (invoice.number, "invoice", "issued", str(pilot.pk))
    assert a["total"] == _money("195.00", club) and a["open"] == _money("195.00", club)
    assert a["due_on"] == invoice.due_on.isoformat() and a["issued_at"]
    [line] = a["lines"]
    assert line["description"] == "Membership fee" and line["kind"] == "manual"
    assert line["amount"] == _money("195.00", club) and line["quantity"] == "1.00" and line["booking_id"] is None


def test_who_sees_which_invoices(club, treasurer, viewer, pilot, pilot2, token, api, api_read, ledger):
    everyone = {str(ledger[k].pk) for k in ("issued", "draft", "theirs")}
    for client in (token(treasurer), token(viewer), api, api_read):
        assert _ids(client.get(f"{base(club)}/invoices")) == everyone
    # A member sees their own, their pending draft too, and nobody else's.
    assert _ids(token(pilot).get(f"{base(club)}/invoices")) == {str(ledger["issued"].pk), str(ledger["draft"].pk)}
    assert _code(token(pilot).get(f"{base(club)}/invoices/{ledger['theirs'].pk}"), 404) == "invoice_not_found"
    assert _ids(token(pilot2).get(f"{base(club)}/invoices")) == {str(ledger["theirs"].pk)}


def test_another_club_sees_no_invoice(club, other_api, ledger):
    assert _code(other_api.get(f"{base(club)}/invoices"), 404) == "not_found"
    assert _code(other_api.get(f"{base(club)}/invoices/{ledger['issued'].pk}"), 404) == "not_found"
    assert _code(other_api.post(f"{base(club)}/invoices/{ledger['draft'].pk}/issue"), 404) == "not_found"


def test_invoice_filters(club, api, ledger, pilot, treasurer):
    url = f"{base(club)}/invoices"
    assert _ids(api.get(url, {"status": "draft"})) == {str(ledger["draft"].pk)}
    assert _ids(api.get(url, {"member": str(pilot.pk), "status": "issued"})) == {str(ledger["issued"].pk)}
    assert _ids(api.get(url, {"kind": "credit_note"})) == set()
    today = _today(club)
    issued = {str(ledger["issued"].pk), str(ledger["theirs"].pk)}
    assert _ids(api.get(url, {"start": today.isoformat(), "end": today.isoformat()})) == issued
    assert _ids(api.get(url, {"start": (today + timedelta(days=1)).isoformat()})) == set()
    assert _ids(api.get(url, {"end": (today - timedelta(days=1)).isoformat()})) == set()
    since = timezone.now()
    invoice_issue(actor=treasurer, invoice=ledger["draft"])
    feed = api.get(url, {"changed_since": since.isoformat()}).json()["data"]
    assert [item["id"] for item in feed] == [str(ledger["draft"].pk)]
    for bad in ({"status": "open"}, {"start": "10/06/2030"}, {"changed_since": "2030-06-10T09:00:00"},
                {"member": "x"}, {"page_size": "1000"}):
        assert _code(api.get(url, bad), 400) == "validation_error", bad


def test_the_treasurer_issues_a_draft(club, treasurer, token, ledger):
    draft = ledger["draft"]
    response = token(treasurer).post(f"{base(club)}/invoices/{draft.pk}/issue")
    assert response.status_code == 200, response.content
    a = response.json()["data"]["attributes"]
    assert a["status"] == "issued" and a["number"].startswith("INV-") and a["total"] == _money("40.00", club)
    assert _code(token(treasurer).post(f"{base(club)}/invoices/{draft.pk}/issue"), 409) == "invoice_not_draft"


def test_only_the_treasurer_and_admins_move_invoices(club, pilot, viewer, token, api, api_read, ledger):
    draft = ledger["draft"]
    for client in (token(pilot), token(viewer)):
        assert _code(client.post(f"{base(club)}/invoices/{draft.pk}/issue"), 403) == "not_allowed"
        assert _code(client.post(f"{base(club)}/invoices/{ledger['issued'].pk}/void", {"reason": "x"}), 403) == \
            "not_allowed"
    for client in (api_read, token(pilot, scope="read")):
        assert _code(client.post(f"{base(club)}/invoices/{draft.pk}/issue"), 403) == "insufficient_scope"
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT
    # A read+write key acts as an admin, who runs the accounts.
    assert api.post(f"{base(club)}/invoices/{draft.pk}/issue").status_code == 200


def test_void_takes_a_reason(club, api, ledger):
    invoice = ledger["issued"]
    url = f"{base(club)}/invoices/{invoice.pk}/void"
    assert _code(api.post(url, {"reason": "  "}), 422) == "reason_required"
    assert _code(api.post(url, {"reason": "wrong member", "status": "void"}), 400) == "validation_error"
    assert _code(api.post(url, {"reason": "line\nbreak"}), 400) == "validation_error"
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    response = api.post(url, {"data": {"type": "invoice", "attributes": {"reason": "Issued to the wrong member"}}})
    assert response.status_code == 200, response.content
    a = response.json()["data"]["attributes"]
    assert a["status"] == "void" and a["void_reason"] == "Issued to the wrong member" and a["open"]["amount"] == "0.00"
    assert _code(api.post(url, {"reason": "again"}), 409) == "invoice_not_issued"


def test_credit_in_part_answers_the_credit_note(club, api, ledger):
    invoice = ledger["issued"]
    url = f"{base(club)}/invoices/{invoice.pk}/credit"
    response = api.post(url, {"reason": "Goodwill", "amount": "20.50"})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["id"] != str(invoice.pk)
    a = data["attributes"]
    assert (a["kind"], a["status"], a["credits_invoice_id"]) == ("credit_note", "issued", str(invoice.pk))
    assert a["total"] == _money("-20.50", club) and a["number"].startswith("CN-")
    after = api.get(f"{base(club)}/invoices/{invoice.pk}").json()["data"]["attributes"]
    assert after["open"] == _money("174.50", club)


@pytest.mark.parametrize("amount,status,code", [
    ("20.0001", 400, "validation_error"), ("abc", 400, "validation_error"), (True, 400, "validation_error"),
    ("NaN", 400, "validation_error"), ("Infinity", 400, "validation_error"), ("1e3", 422, "credit_out_of_range"),
    ("500", 422, "credit_out_of_range"),
    ("0", 422, "credit_out_of_range"), ("-5", 422, "credit_out_of_range"),
])
def test_a_bad_credit_changes_nothing(club, api, ledger, amount, status, code):
    before = Invoice.objects.count()
    response = api.post(f"{base(club)}/invoices/{ledger['issued'].pk}/credit", {"reason": "x", "amount": amount})
    assert _code(response, status) == code
    assert Invoice.objects.count() == before


def test_credit_in_full_by_number_or_without_amount(club, api, ledger):
    theirs = ledger["theirs"]
    response = api.post(f"{base(club)}/invoices/{theirs.pk}/credit", {"reason": "Cancelled membership"})
    assert response.status_code == 201, response.content
    assert response.json()["data"]["attributes"]["total"] == _money("-80.00", club)
    theirs.refresh_from_db()
    assert theirs.status == Invoice.Status.PAID  # the credit note settles it
    again = api.post(f"{base(club)}/invoices/{theirs.pk}/credit", {"reason": "again", "amount": 1})
    assert _code(again, 422) == "credit_out_of_range"


# --- payments ------------------------------------------------------------------------------


def _payment_body(who, **extra):
    return {"member": str(who.pk), "amount": "195.00", "method": "cheque", "reference": "Cheque 1042",
            "received_on": _today(who.organization).isoformat(), **extra}


def test_the_treasurer_records_a_payment_that_settles_the_invoice(club, treasurer, token, ledger, pilot):
    invoice = ledger["issued"]
    response = token(treasurer).post(f"{base(club)}/payments",
                                     {"data": {"type": "payment",
                                               "attributes": _payment_body(pilot, invoice=str(invoice.pk))}})
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["type"] == "payment"
    a = data["attributes"]
    assert a["amount"] == _money("195.00", club) and a["method"] == "cheque" and a["member_id"] == str(pilot.pk)
    assert a["allocations"] == [{"invoice_id": str(invoice.pk), "number": invoice.number,
                                 "amount": _money("195.00", club)}]
    assert a["voided"] is False and a["updated_at"] == a["recorded_at"]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert token(treasurer).get(f"{base(club)}/payments/{data['id']}").json()["data"] == data


def test_an_amount_may_be_a_number_and_is_kept_as_decimal(club, api, pilot):
    response = api.post(f"{base(club)}/payments", _payment_body(pilot, amount=12.5, method="cash"))
    assert response.status_code == 201, response.content
    assert Payment.objects.get().amount == Decimal("12.5")
    assert response.json()["data"]["attributes"]["amount"] == _money("12.50", club)


@pytest.mark.parametrize("changes,status,code", [
    ({"amount": "12.1234"}, 400, "validation_error"), ({"amount": "twelve"}, 400, "validation_error"),
    ({"amount": None}, 400, "validation_error"), ({"amount": "0"}, 422, "amount_out_of_range"),
    ({"amount": "-5"}, 422, "amount_out_of_range"), ({"method": "bitcoin"}, 400, "validation_error"),
    ({"received_on": "2999-01-01"}, 400, "validation_error"), ({"received_on": "12/06/2030"}, 400, "validation_error"),
    ({"member": "999999"}, 404, "unknown_member"), ({"invoice": "999999"}, 404, "invoice_not_found"),
    ({"recorded_by": "1"}, 400, "validation_error"), ({"reference": "a\tb"}, 400, "validation_error"),
])
def test_a_bad_payment_records_nothing(club, api, pilot, changes, status, code):
    assert _code(api.post(f"{base(club)}/payments", _payment_body(pilot, **changes)), status) == code
    assert not Payment.objects.exists()


def test_a_payment_received_tomorrow_is_refused(club, api, pilot):
    tomorrow = (_today(club) + timedelta(days=1)).isoformat()
    assert _code(api.post(f"{base(club)}/payments", _payment_body(pilot, received_on=tomorrow)), 422) == \
        "received_in_future"


def test_a_payment_for_another_members_invoice_is_refused(club, api, pilot, ledger):
    body = _payment_body(pilot, invoice=str(ledger["theirs"].pk))
    assert _code(api.post(f"{base(club)}/payments", body), 404) == "invoice_not_found"
    assert not Payment.objects.exists()


def test_only_the_treasurer_and_admins_record_payments(club, pilot, viewer, token, api_read):
    for client in (token(pilot), token(viewer)):
        assert _code(client.post(f"{base(club)}/payments", _payment_body(pilot)), 403) == "not_allowed"
    assert _code(api_read.post(f"{base(club)}/payments", _payment_body(pilot)), 403) == "insufficient_scope"
    assert not Payment.objects.exists()


def test_who_sees_which_payments_and_voiding_one(club, treasurer, viewer, pilot, pilot2, token, api, ledger):
    mine = payment_record(actor=treasurer, member=pilot, amount=Decimal("50"), method="cash", received_on=_today(club))
    theirs = payment_record(actor=treasurer, member=pilot2, amount=Decimal("80"), method="card",
                            received_on=_today(club) - timedelta(days=3))
    assert _ids(token(viewer).get(f"{base(club)}/payments")) == {str(mine.pk), str(theirs.pk)}
    assert _ids(token(pilot).get(f"{base(club)}/payments")) == {str(mine.pk)}
    assert _code(token(pilot).get(f"{base(club)}/payments/{theirs.pk}"), 404) == "payment_not_found"
    assert _code(token(pilot).post(f"{base(club)}/payments/{mine.pk}/void", {"reason": "x"}), 403) == "not_allowed"
    assert _ids(api.get(f"{base(club)}/payments", {"member": str(pilot2.pk)})) == {str(theirs.pk)}
    assert _ids(api.get(f"{base(club)}/payments", {"start": _today(club).isoformat()})) == {str(mine.pk)}

    since = timezone.now()
    url = f"{base(club)}/payments/{theirs.pk}/void"
    assert _code(api.post(url, {"reason": ""}), 422) == "reason_required"
    response = api.post(url, {"reason": "Card charge reversed"})
    assert response.status_code == 200, response.content
    a = response.json()["data"]["attributes"]
    assert a["voided"] is True and a["void_reason"] == "Card charge reversed" and a["allocations"] == []
    ledger["theirs"].refresh_from_db()
    assert ledger["theirs"].status == Invoice.Status.ISSUED  # open again
    assert _code(api.post(url, {"reason": "again"}), 409) == "payment_voided"
    assert _ids(api.get(f"{base(club)}/payments", {"changed_since": since.isoformat()})) == {str(theirs.pk)}
    assert _ids(api.get(f"{base(club)}/payments", {"voided": "true"})) == {str(theirs.pk)}
    assert _ids(api.get(f"{base(club)}/payments", {"voided": "false"})) == {str(mine.pk)}
    assert _code(api.get(f"{base(club)}/payments", {"voided": "yes"}), 400) == "validation_error"


# --- expenses ------------------------------------------------------------------------------


def _expense_body(**extra):
    return {"spent_on": "2024-05-02", "description": "Fuel at LFOB", "amount": "61.40",
            "receipt_reference": "R-77", **extra}


def test_a_member_submits_their_own_expense(club, pilot, pilot2, token):
    response = token(pilot).post(f"{base(club)}/expenses", _expense_body())
    assert response.status_code == 201, response.content
    a = response.json()["data"]["attributes"]
    assert (a["status"], a["member_id"], a["invoice_id"]) == ("submitted", str(pilot.pk), None)
    assert a["amount"] == _money("61.40", club) and a["receipt_reference"] == "R-77"
    refused = token(pilot).post(f"{base(club)}/expenses", _expense_body(member=str(pilot2.pk)))
    assert _code(refused, 403) == "not_allowed"
    assert Expense.objects.count() == 1


def test_the_treasurer_records_an_expense_approved_at_once(club, treasurer, pilot, token):
    response = token(treasurer).post(f"{base(club)}/expenses", _expense_body(member=str(pilot.pk)))
    assert response.status_code == 201, response.content
    a = response.json()["data"]["attributes"]
    assert a["status"] == "approved" and a["member_id"] == str(pilot.pk)
    draft = Invoice.objects.get(account__membership=pilot, status=Invoice.Status.DRAFT)
    assert a["invoice_id"] == str(draft.pk) and draft.total == Decimal("-61.400")


@pytest.mark.parametrize("changes,status,code", [
    ({"amount": "1.0001"}, 400, "validation_error"), ({"amount": ""}, 400, "validation_error"),
    ({"amount": "0"}, 422, "amount_out_of_range"), ({"description": " "}, 422, "description_required"),
    ({"spent_on": "2999-01-01"}, 400, "validation_error"), ({"status": "approved"}, 400, "validation_error"),
    ({"member": "999999"}, 404, "unknown_member"),
])
def test_a_bad_expense_records_nothing(club, pilot, token, changes, status, code):
    assert _code(token(pilot).post(f"{base(club)}/expenses", _expense_body(**changes)), status) == code
    assert not Expense.objects.exists()


def test_approve_and_reject(club, treasurer, pilot, pilot2, viewer, token, api_read):
    first = expense_submit(actor=pilot, member=pilot, spent_on=_today(club), description="Oil", amount=Decimal("12"))
    second = expense_submit(actor=pilot2, member=pilot2, spent_on=_today(club), description="Taxi", amount=Decimal("30"))
    for client in (token(pilot), token(viewer)):
        assert _code(client.post(f"{base(club)}/expenses/{first.pk}/approve"), 403) == "not_allowed"
    assert _code(api_read.post(f"{base(club)}/expenses/{first.pk}/approve"), 403) == "insufficient_scope"
    assert _code(token(pilot).get(f"{base(club)}/expenses/{second.pk}"), 404) == "expense_not_found"
    assert _ids(token(pilot).get(f"{base(club)}/expenses")) == {str(first.pk)}
    assert _ids(token(viewer).get(f"{base(club)}/expenses", {"status": "submitted"})) == {str(first.pk), str(second.pk)}

    since = timezone.now()
    approved = token(treasurer).post(f"{base(club)}/expenses/{first.pk}/approve")
    assert approved.status_code == 200, approved.content
    assert approved.json()["data"]["attributes"]["status"] == "approved"
    assert approved.json()["data"]["attributes"]["invoice_id"] is not None
    rejected = token(treasurer).post(f"{base(club)}/expenses/{second.pk}/reject", {"note": "Not a club expense"})
    a = rejected.json()["data"]["attributes"]
    assert (a["status"], a["decision_note"], a["invoice_id"]) == ("rejected", "Not a club expense", None)
    assert _code(token(treasurer).post(f"{base(club)}/expenses/{second.pk}/approve"), 409) == "expense_decided"
    assert _code(token(treasurer).post(f"{base(club)}/expenses/{first.pk}/reject", {"reason": "x"}), 400) == \
        "validation_error"
    feed = token(treasurer).get(f"{base(club)}/expenses", {"changed_since": since.isoformat()}).json()["data"]
    assert [e["id"] for e in feed] == [str(first.pk), str(second.pk)]
    assert _ids(token(treasurer).get(f"{base(club)}/expenses", {"member": str(pilot2.pk)})) == {str(second.pk)}


# --- balances ------------------------------------------------------------------------------


def test_a_balance_adds_up(club, treasurer, token, ledger, pilot):
    payment_record(actor=treasurer, member=pilot, amount=Decimal("100"), method="cash", received_on=_today(club))
    response = token(treasurer).get(f"{base(club)}/members/{pilot.pk}/balance")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["type"], data["id"]) == ("balance", str(pilot.pk))
    a = data["attributes"]
    assert a == {"member_id": str(pilot.pk), "owed": _money("95.00", club), "invoiced": _money("195.00", club),
                 "credited": _money("0.00", club), "paid": _money("100.00", club), "pending": _money("40.00", club),
                 "credit_limit": None, "available": None, "over_limit": False}


def test_a_credit_limit_shows_what_is_available(club, api, ledger, pilot):
    Account.objects.filter(membership=pilot).update(credit_limit=Decimal("200"))
    a = api.get(f"{base(club)}/members/{pilot.pk}/balance").json()["data"]["attributes"]
    assert a["credit_limit"] == _money("200.00", club)
    assert a["available"] == _money("-35.00", club) and a["over_limit"] is True


def test_who_reads_a_balance(club, pilot, pilot2, viewer, token, api_read, other_api, ledger):
    assert token(pilot).get(f"{base(club)}/members/{pilot.pk}/balance").status_code == 200
    assert token(viewer).get(f"{base(club)}/members/{pilot.pk}/balance").status_code == 200
    assert api_read.get(f"{base(club)}/members/{pilot2.pk}/balance").status_code == 200
    assert _code(token(pilot).get(f"{base(club)}/members/{pilot2.pk}/balance"), 404) == "account_not_found"
    assert _code(other_api.get(f"{base(club)}/members/{pilot.pk}/balance"), 404) == "not_found"
    assert _code(api_read.get(f"{base(club)}/members/999999/balance"), 404) == "unknown_member"


def test_a_refused_balance_leaves_no_account_behind(club, pilot, mechanic, token):
    assert _code(token(mechanic).get(f"{base(club)}/members/{pilot.pk}/balance"), 404) == "account_not_found"
    assert not Account.objects.filter(membership=pilot).exists()
    a = token(pilot).get(f"{base(club)}/members/{pilot.pk}/balance").json()["data"]["attributes"]
    assert a["owed"] == _money("0.00", club)


# --- lists and the schema ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["invoices", "payments", "expenses"])
def test_every_accounting_list_takes_the_same_queries_for_few_or_many(club, api, treasurer, path):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"{base(club)}/{path}", {"page_size": "200"}).status_code == 200
        return len(ctx.captured_queries)

    def grow(n, offset):
        for i in range(n):
            member = make_member(club, f"m{offset + i}", is_pilot=True)
            invoice = invoice_issue(actor=treasurer, invoice=_draft(treasurer, member, "10"))
            _draft(treasurer, member, "5")
            payment_record(actor=treasurer, member=member, amount=Decimal("7"), method="cash",
                           received_on=_today(club), invoice=invoice)
            expense_submit(actor=member, member=member, spent_on=_today(club), description="Fuel", amount=Decimal("3"))
            account_for(member)

    grow(2, 0)
    queries()  # the key's first use of the minute also records it
    few = queries()
    grow(10, 100)
    assert queries() == few


def test_the_schema_has_the_accounting_operations(db):
    from django.test import Client

    schema = Client().get("/api/v1/schema").json()
    operations = {op["operationId"]: (path, method) for path, item in schema["paths"].items()
                  for method, op in item.items() if isinstance(op, dict) and "operationId" in op}
    expected = {
        "invoices_list": ("invoices", "get"), "invoices_retrieve": ("invoices/{id}", "get"),
        "invoices_issue": ("invoices/{id}/issue", "post"), "invoices_void": ("invoices/{id}/void", "post"),
        "invoices_credit": ("invoices/{id}/credit", "post"), "payments_list": ("payments", "get"),
        "payments_create": ("payments", "post"), "payments_retrieve": ("payments/{id}", "get"),
        "payments_void": ("payments/{id}/void", "post"), "expenses_list": ("expenses", "get"),
        "expenses_create": ("expenses", "post"), "expenses_retrieve": ("expenses/{id}", "get"),
        "expenses_approve": ("expenses/{id}/approve", "post"), "expenses_reject": ("expenses/{id}/reject", "post"),
        "members_balance": ("members/{id}/balance", "get"),
    }
    for operation_id, (path, method) in expected.items():
        assert operations[operation_id] == (f"/api/v1/organizations/{{slug}}/{path}", method)
    credit = schema["paths"]["/api/v1/organizations/{slug}/invoices/{id}/credit"]["post"]
    assert {"201", "400", "403", "404", "409", "422"} <= set(credit["responses"])
    components = schema["components"]["schemas"]
    money = components["Money"]
    assert set(money["properties"]) == {"amount", "currency"} and money["properties"]["amount"]["type"] == "string"
    amount = components["PaymentCreateRequest"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["pattern"] == r"^-?\d{0,9}(?:\.\d{0,3})?$"


# --- the Python client ---------------------------------------------------------------------


def test_the_python_client_runs_the_books_over_http(live_server, transactional_db, club, admin, pilot, write_key):
    import sys

    from tests.live_server import REPO

    sys.path.insert(0, str(REPO / "clients" / "python"))
    from flightline_client import Client, ValidationFailed

    treasurer = make_member(club, "treasurer", is_treasurer=True)
    draft = _draft(treasurer, pilot)
    books = Client(live_server.url, write_key[1]).org(club.slug)
    invoice = books.invoices.issue(draft.pk)
    assert invoice.attributes["status"] == "issued"
    payment = books.payments.create(member=str(pilot.pk), amount=Decimal("195.00"), method="card",
                                    received_on=_today(club), invoice=invoice.id)
    assert payment.attributes["allocations"][0]["invoice_id"] == invoice.id
    assert books.invoices.get(invoice.id).attributes["status"] == "paid"
    assert [p.id for p in books.payments.list(member=pilot.pk)] == [payment.id]
    assert books.members.balance(pilot.pk).attributes["owed"]["amount"] == "0.00"
    note = books.invoices.credit(invoice.id, "Goodwill", amount="5")
    assert note.attributes["total"]["amount"] == "-5.00"
    expense = books.expenses.create(spent_on="2024-05-02", description="Fuel", amount="10", member=str(pilot.pk))
    assert expense.attributes["status"] == "approved"
    try:
        books.payments.create(member=str(pilot.pk), amount="1.2345", method="card", received_on=_today(club))
    except ValidationFailed as refused:
        assert refused.code == "validation_error" and refused.field == "amount"
    else:
        raise AssertionError("an amount with four decimal places was taken")
