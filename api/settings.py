"""Settings, read from ``WUYOU_*`` environment variables with development defaults."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

DEFAULT_SECRET_KEY = "wuyou-development-secret-do-not-use-in-production"
DEFAULT_DATABASE_URL = "sqlite://wuyou.sqlite3"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """The environment describes a configuration wuyou refuses to run with."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable about a running wuyou. See ``docs`` in README for each variable."""

    env: Environment = Environment.DEVELOPMENT
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = DEFAULT_SECRET_KEY
    token_ttl_seconds: int = 12 * 3600
    timezone: str = "Asia/Shanghai"
    graphiql: bool = True
    introspection: bool = True
    detailed_errors: bool = True
    max_query_depth: int = 12
    max_query_tokens: int = 2000
    max_aliases: int = 30
    max_body_bytes: int = 1_000_000
    login_max_failures: int = 5
    login_lockout_seconds: int = 900
    # How often each worker sweeps for expired offers and ticket deadlines; 0 turns it off.
    sweep_interval_ms: int = 1000
    # Redis for live events across workers; None keeps them within this process.
    redis_url: str | None = None
    redis_prefix: str = "wuyou:"
    log_level: str = "INFO"
    log_json: bool = True
    allowed_origins: tuple[str, ...] = field(default_factory=tuple)
    # Serve the hottest reads through the compiled read path (schema/compiled/); off runs
    # every operation through Strawberry's executor.
    compiled_reads: bool = True
    # Automatic persisted queries (Apollo's APQ): off answers PersistedQueryNotSupported.
    persisted_queries: bool = True
    # Documents each worker keeps in memory (least recently used dropped first); with
    # Redis they are also shared there, each kept ``persisted_queries_ttl_seconds``.
    persisted_queries_max: int = 2000
    persisted_queries_ttl_seconds: int = 7 * 24 * 3600
    # The largest document (UTF-8 bytes) a client may register; larger ones are refused.
    persisted_query_max_bytes: int = 32768
    # /metrics in Prometheus' text format; without a token only loopback clients may read it.
    metrics: bool = True
    metrics_token: str | None = None

    @property
    def production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``); ``overrides`` win."""
        env_vars = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env_vars.get(f"WUYOU_{name}")
            return value if value not in (None, "") else None

        try:
            env = Environment(get("ENV") or Environment.DEVELOPMENT)
        except ValueError:
            raise SettingsError(
                f"WUYOU_ENV must be one of {', '.join(e.value for e in Environment)}"
            ) from None
        development = env is not Environment.PRODUCTION
        values: dict[str, Any] = {
            "env": env,
            "database_url": get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            "secret_key": get("SECRET_KEY") or DEFAULT_SECRET_KEY,
            "timezone": get("TIMEZONE") or "Asia/Shanghai",
            "redis_url": get("REDIS_URL"),
            "redis_prefix": get("REDIS_PREFIX") or "wuyou:",
            "graphiql": _flag(get("GRAPHIQL"), development, "GRAPHIQL"),
            "introspection": _flag(get("INTROSPECTION"), True, "INTROSPECTION"),
            "detailed_errors": development,
            "log_level": (get("LOG_LEVEL") or "INFO").upper(),
            "log_json": _flag(get("LOG_JSON"), True, "LOG_JSON"),
            "compiled_reads": _flag(get("COMPILED_READS"), True, "COMPILED_READS"),
            "persisted_queries": _flag(get("PERSISTED_QUERIES"), True, "PERSISTED_QUERIES"),
            "metrics": _flag(get("METRICS"), True, "METRICS"),
            "metrics_token": get("METRICS_TOKEN"),
            "allowed_origins": tuple(
                o.strip() for o in (get("ALLOWED_ORIGINS") or "").split(",") if o.strip()
            ),
        }
        for name, attr in (
            ("TOKEN_TTL_SECONDS", "token_ttl_seconds"),
            ("MAX_QUERY_DEPTH", "max_query_depth"),
            ("MAX_QUERY_TOKENS", "max_query_tokens"),
            ("MAX_ALIASES", "max_aliases"),
            ("MAX_BODY_BYTES", "max_body_bytes"),
            ("PERSISTED_QUERIES_MAX", "persisted_queries_max"),
            ("PERSISTED_QUERIES_TTL_SECONDS", "persisted_queries_ttl_seconds"),
            ("PERSISTED_QUERY_MAX_BYTES", "persisted_query_max_bytes"),
        ):
            if (raw := get(name)) is not None:
                values[attr] = _positive_int(raw, name)
        if (raw := get("SWEEP_INTERVAL_MS")) is not None:  # 0 turns the sweeper off
            values["sweep_interval_ms"] = _positive_int(raw, "SWEEP_INTERVAL_MS", minimum=0)
        values.update(overrides)
        settings = cls(**values)
        settings.validate()
        return settings

    def with_(self, **changes: Any) -> Settings:
        """A copy with ``changes`` applied and validated."""
        settings = replace(self, **changes)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse configurations that are unsafe or cannot work."""
        if self.production:
            if self.secret_key == DEFAULT_SECRET_KEY:
                raise SettingsError(
                    "WUYOU_ENV=production refuses the default secret key: "
                    "set WUYOU_SECRET_KEY to a long random value"
                )
            if self.graphiql or self.detailed_errors:
                raise SettingsError("GraphiQL and detailed errors are off in production")
        if len(self.secret_key.encode()) < 32:
            raise SettingsError("WUYOU_SECRET_KEY must be at least 32 bytes (HS256 needs them)")
        if not self.database_url.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise SettingsError("WUYOU_DATABASE_URL must be a sqlite:// or postgres:// URL")
        if self.redis_url is not None and not self.redis_url.startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise SettingsError("WUYOU_REDIS_URL must be a redis://, rediss:// or unix:// URL")
        if self.metrics_token is not None and len(self.metrics_token) < 16:
            raise SettingsError("WUYOU_METRICS_TOKEN must be at least 16 characters")


def _flag(raw: str | None, default: bool, name: str) -> bool:
    if raw is None:
        return default
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"WUYOU_{name} must be true or false, not {raw!r}")


def _positive_int(raw: str, name: str, minimum: int = 1) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"WUYOU_{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"WUYOU_{name} must be at least {minimum}")
    return value
