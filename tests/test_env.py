import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.env import env_bool, env_int, env_list, env_networks, env_seconds, env_str


@pytest.mark.parametrize("raw,expected", [("1", True), ("true", True), ("On", True), ("0", False), ("no", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="neither true nor false"):
        env_bool("FLAG", False)


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", True) is True


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)


def test_env_seconds_takes_fractions_and_refuses_words_and_nothing(monkeypatch):
    monkeypatch.setenv("T", "0.5")
    assert env_seconds("T", 5.0) == 0.5
    for raw in ("ten", "0", "-1", "inf", "nan"):
        monkeypatch.setenv("T", raw)
        with pytest.raises(ImproperlyConfigured):
            env_seconds("T", 5.0)
    monkeypatch.delenv("T")
    assert env_seconds("T", 5.0) == 5.0


def test_env_seconds_takes_zero_only_where_zero_means_off(monkeypatch):
    monkeypatch.setenv("T", "0")
    assert env_seconds("T", 0.2, zero_allowed=True) == 0.0
    for raw in ("-0.1", "inf", "nan", "soon"):
        monkeypatch.setenv("T", raw)
        with pytest.raises(ImproperlyConfigured):
            env_seconds("T", 0.2, zero_allowed=True)


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("KEY_FILE", str(secret))
    assert env_str("KEY") == "s3cret"


def test_unreadable_secret_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("KEY_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("KEY")


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_env_networks_reads_cidrs(monkeypatch):
    monkeypatch.setenv("NETS", "127.0.0.0/8, ::1/128,10.1.2.3")
    assert env_networks("NETS", []) == ["127.0.0.0/8", "::1/128", "10.1.2.3/32"]


@pytest.mark.parametrize("raw", ["127.0.0.1/8", "localhost", "10.0.0.0/33"])
def test_env_networks_refuses_what_is_not_a_network(monkeypatch, raw):
    monkeypatch.setenv("NETS", raw)
    with pytest.raises(ImproperlyConfigured, match="NETS"):
        env_networks("NETS", [])
