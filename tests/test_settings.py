"""Settings from the environment, and the refusals that keep production safe."""

from __future__ import annotations

import pytest

from api.settings import DEFAULT_SECRET_KEY, Environment, Settings, SettingsError


def test_development_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url == "sqlite://wuyou.sqlite3"
    assert settings.graphiql and settings.detailed_errors


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(SettingsError, match="default secret"):
        Settings.from_env({"WUYOU_ENV": "production"})
    with pytest.raises(SettingsError, match="default secret"):
        Settings.from_env({"WUYOU_ENV": "production", "WUYOU_SECRET_KEY": DEFAULT_SECRET_KEY})


def test_production_turns_off_graphiql_and_detailed_errors() -> None:
    settings = Settings.from_env({"WUYOU_ENV": "production", "WUYOU_SECRET_KEY": "s" * 32})
    assert not settings.graphiql and not settings.detailed_errors
    with pytest.raises(SettingsError):
        Settings.from_env(
            {"WUYOU_ENV": "production", "WUYOU_SECRET_KEY": "s" * 32, "WUYOU_GRAPHIQL": "true"}
        )


@pytest.mark.parametrize(
    "environ",
    [
        {"WUYOU_ENV": "staging"},
        {"WUYOU_DATABASE_URL": "mysql://x"},
        {"WUYOU_SECRET_KEY": "short"},
        {"WUYOU_MAX_QUERY_DEPTH": "deep"},
        {"WUYOU_MAX_QUERY_DEPTH": "0"},
        {"WUYOU_GRAPHIQL": "maybe"},
        {"WUYOU_PERSISTED_QUERY_MAX_BYTES": "0"},
    ],
)
def test_bad_values_are_refused_with_the_variable_named(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="WUYOU_"):
        Settings.from_env(environ)


def test_environment_overrides() -> None:
    settings = Settings.from_env(
        {
            "WUYOU_DATABASE_URL": "postgres://u@h/db",
            "WUYOU_MAX_QUERY_DEPTH": "8",
            "WUYOU_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "WUYOU_PERSISTED_QUERY_MAX_BYTES": "65536",
        }
    )
    assert Settings.from_env({}).persisted_query_max_bytes == 32768
    assert settings.persisted_query_max_bytes == 65536
    assert settings.database_url == "postgres://u@h/db"
    assert settings.max_query_depth == 8
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


def test_the_sweeper_can_be_turned_off_and_metrics_guarded() -> None:
    assert Settings.from_env({"WUYOU_SWEEP_INTERVAL_MS": "0"}).sweep_interval_ms == 0
    with pytest.raises(SettingsError, match="WUYOU_SWEEP_INTERVAL_MS"):
        Settings.from_env({"WUYOU_SWEEP_INTERVAL_MS": "-1"})
    guarded = Settings.from_env({"WUYOU_METRICS_TOKEN": "t" * 32, "WUYOU_METRICS": "true"})
    assert guarded.metrics and guarded.metrics_token == "t" * 32
    with pytest.raises(SettingsError, match="WUYOU_METRICS_TOKEN"):
        Settings.from_env({"WUYOU_METRICS_TOKEN": "short"})
