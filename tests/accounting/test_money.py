"""Rounding and showing money: half-up, Decimal only, never finer than the currency."""

from decimal import Decimal

import pytest

from accounting.money import as_currency, money_display, money_step_for, money_text, round_to, stored

D = Decimal


@pytest.mark.parametrize("value, step, expected", [
    ("2.25", "0.1", "2.3"), ("2.24", "0.1", "2.2"), ("-2.25", "0.1", "-2.3"),
    ("1.025", "0.05", "1.05"), ("1.024", "0.05", "1.00"), ("1.075", "0.05", "1.10"),
    ("1.005", "0.01", "1.01"), ("1.0049", "0.01", "1.00"),
    ("12.345", "0.01", "12.35"), ("12.325", "0.05", "12.35"), ("12.35", "0.10", "12.40"), ("12.34", "0.10", "12.30"),
    ("12.5", "1", "13"), ("12.49", "1", "12"), ("-12.5", "1", "-13"), ("0", "0.05", "0.00"),
])
def test_round_to_is_half_up_to_the_step(value, step, expected):
    result = round_to(D(value), D(step))
    assert result == D(expected) and str(result) == expected


def test_floats_are_refused():
    with pytest.raises(TypeError):
        round_to(1.25, D("0.1"))
    with pytest.raises(TypeError):
        round_to(D("1.25"), 0.1)
    with pytest.raises(ValueError):
        round_to(D("1.25"), D("0"))


def test_yen_has_no_decimals():
    assert money_step_for("JPY", D("0.01")) == D("1")
    assert money_step_for("EUR", D("0.01")) == D("0.01")
    assert money_step_for("EUR", D("0.05")) == D("0.05")
    assert money_step_for("KWD", D("0.01")) == D("0.01")
    assert money_text(D("1234.5"), "JPY") == "1235"
    assert money_display(D("1234.5"), "JPY") == "JPY 1,235"
    assert money_text(D("1234.5"), "EUR") == "1234.50"
    assert money_text(D("1.2345"), "KWD") == "1.235"


def test_display_shows_a_credit_with_a_minus_sign():
    assert money_display(D("-12"), "CAD") == "\u2212CAD 12.00"
    assert money_display(D("1234.505"), "CAD") == "CAD 1,234.51"
    assert as_currency(D("-0.005"), "EUR") == D("-0.01")


def test_a_database_sum_is_made_exact():
    assert stored(-3.55271367880050e-15) == D("0") and stored(None) == D("0")
    assert stored(194.99999999999997) == D("195.000")
