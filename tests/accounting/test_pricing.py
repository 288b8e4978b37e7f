"""accounting.pricing.price: a pure function of a flown booking's facts and its terms."""

from decimal import Decimal

import pytest

from accounting.pricing import Facts, Terms, billed_hours, price

D = Decimal
RATES = {"member": D("150"), "student": D("120"), "non_member": D("200")}


def facts(**kw):
    base = {"registration": "F-GABC", "day": "2030-06-10", "payer_id": 1}
    return Facts(**{**base, **kw})


def terms(**kw):
    return Terms(**{"rates": RATES, **kw})


def amounts(priced):
    return {p.part: p.amount for p in priced.parts}


def test_hobbs_and_tach_wait_for_the_check_in():
    assert price(facts(), terms()) is None
    assert price(facts(), terms(basis="tach")) is None
    assert price(facts(hobbs_hours=D("1.3"), tach_hours=D("1.1")), terms()).hours == D("1.3")
    assert price(facts(hobbs_hours=D("1.3"), tach_hours=D("1.1")), terms(basis="tach")).hours == D("1.1")


def test_engine_time_sums_the_flights():
    priced = price(facts(flights=((3600, 3000), (1800, 1200))), terms(basis="engine"))
    assert (priced.basis, priced.hours, amounts(priced)["aircraft"]) == ("engine", D("1.5"), D("225.00"))


def test_airtime_adds_the_taxi_allowance_per_flight():
    priced = price(facts(flights=((3600, 3000), (1800, 1200))), terms(basis="airtime", taxi_allowance_minutes=6))
    # 50 + 20 minutes airtime, 2 x 6 minutes taxi = 82 minutes = 1.366.. -> 1.4
    assert (priced.basis, priced.hours) == ("airtime", D("1.4"))


def test_recorder_basis_bills_hobbs_until_the_flight_comes():
    before = price(facts(hobbs_hours=D("1.3")), terms(basis="engine"))
    assert (before.basis, before.hours) == ("hobbs", D("1.3"))
    after = price(facts(hobbs_hours=D("1.3"), flights=((3960, 3000),)), terms(basis="engine"))
    assert (after.basis, after.hours) == ("engine", D("1.1"))
    assert price(facts(), terms(basis="airtime")) is None


@pytest.mark.parametrize("step, hours, expected", [
    ("0.1", "1.25", "1.3"), ("0.1", "1.24", "1.2"), ("0.05", "1.225", "1.25"), ("0.05", "1.224", "1.20"),
    ("0.01", "1.235", "1.24"), ("0.01", "1.2349", "1.23"),
])
def test_hours_round_half_up_to_the_step(step, hours, expected):
    priced = price(facts(hobbs_hours=D(hours)), terms(hours_step=D(step)))
    assert priced.hours == D(expected)


@pytest.mark.parametrize("step, expected", [("0.01", "18.52"), ("0.05", "18.50"), ("0.10", "18.50"), ("1", "19")])
def test_money_rounds_half_up_to_the_step(step, expected):
    # 0.1 h at 185.15 = 18.515
    priced = price(facts(hobbs_hours=D("0.1")), terms(rates={"member": D("185.15")}, money_step=D(step)))
    assert amounts(priced)["aircraft"] == D(expected)


def test_minimum_hours():
    priced = price(facts(hobbs_hours=D("0.4")), terms(minimum_hours=D("1")))
    assert priced.hours == D("1") and amounts(priced)["aircraft"] == D("150")
    assert "(minimum)" in priced.parts[0].description
    assert price(facts(hobbs_hours=D("1.4")), terms(minimum_hours=D("1"))).hours == D("1.4")
    # Nothing flown (a Hobbs that did not move) is not billed a minimum.
    assert price(facts(hobbs_hours=D("0")), terms(minimum_hours=D("1"))).hours == D("0")


@pytest.mark.parametrize("group, rate", [("member", "150"), ("student", "120"), ("non_member", "200")])
def test_rate_by_group(group, rate):
    priced = price(facts(hobbs_hours=D("1"), payer_group=group), terms())
    assert amounts(priced)["aircraft"] == D(rate)


def test_an_empty_group_rate_is_the_member_rate():
    priced = price(facts(hobbs_hours=D("1"), payer_group="student"),
                   terms(rates={"member": D("150"), "student": None, "non_member": None}))
    assert amounts(priced)["aircraft"] == D("150")


def test_instructor_flight_and_ground_billed_to_the_student():
    priced = price(facts(hobbs_hours=D("1.5"), ground_hours=D("0.75"), instructor_id=2, payer_group="student"),
                   terms(instructor_flight_rate=D("40"), instructor_ground_rate=D("30")))
    assert amounts(priced) == {"aircraft": D("180.00"), "instructor_flight": D("60.00"),
                               "instructor_ground": D("24.00")}  # ground 0.75 -> 0.8 h
    assert {p.payer_id for p in priced.parts} == {1}


def test_an_instructor_flying_alone_pays_no_instruction():
    priced = price(facts(hobbs_hours=D("1"), instructor_id=1, ground_hours=D("1")),
                   terms(instructor_flight_rate=D("40"), instructor_ground_rate=D("30")))
    assert set(amounts(priced)) == {"aircraft"}


def test_fuel_credited_on_wet_not_on_dry():
    wet = price(facts(hobbs_hours=D("1"), fuel_cost=D("45.555")), terms())
    assert amounts(wet)["fuel_credit"] == D("-45.56")
    dry = price(facts(hobbs_hours=D("1"), fuel_cost=D("45.555")), terms(wet=False))
    assert "fuel_credit" not in amounts(dry)


def test_terms_survive_their_json():
    t = terms(basis="airtime", wet=False, taxi_allowance_minutes=6, minimum_hours=D("0.5"),
              instructor_flight_rate=D("40"), hours_step=D("0.05"), money_step=D("0.10"),
              rates={"member": D("150"), "student": None, "non_member": D("200")})
    assert Terms.from_json(t.as_json()) == t


def test_billed_hours_never_negative():
    assert price(facts(hobbs_hours=D("-1")), terms()).hours == D("0")
    assert billed_hours(facts(flights=((0, 0),)), terms(basis="engine")) == ("engine", D("0"))
