"""The ASGI application: /graphql, /healthz, and the lifespan that opens and closes
the database and the broadcaster and runs the background sweep."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import threading
from collections.abc import AsyncIterator
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route, WebSocketRoute

from accounts.service import LoginPolicy
from accounts.tokens import TokenIssuer
from api import db, logs, metrics, open311, persisted, sweeper
from api.console import ConsoleFiles
from api.graphql_view import WuyouGraphQL
from api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from api.settings import Settings
from schema import Limits, build_schema
from schema.compiled import CompiledReads
from schema.context import Services
from tickets.knowledge import segment
from wuyou import __version__, events
from wuyou.redis_broadcaster import RedisBroadcaster


@functools.cache
def freeze_heap(stage: str) -> None:
    """Leave what the process holds by now out of the garbage collector's future passes;
    once per process for each ``stage`` of its start ("start-up": modules, the schema,
    the plugins; "word list": knowledge search's segmenter, loaded in a thread).

    Every few hundred requests the collector's oldest generation goes over every object
    the process holds. With the start-up's objects among them, these passes cost about
    3 ms a request on average (measured on the read benchmark's ticket page, a third of
    a compiled read); frozen, 0.6 ms. Frozen objects are still freed by reference
    counting: only cycles among them would no longer be collected, and the start-up's
    are collected first."""
    gc.collect()
    gc.freeze()


def _load_segmenter() -> None:
    segment.tokenizer()
    freeze_heap("word list")


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level, json_lines=settings.log_json)
    schema = build_schema(
        Limits(
            max_depth=settings.max_query_depth,
            max_tokens=settings.max_query_tokens,
            max_aliases=settings.max_aliases,
            introspection=settings.introspection,
            mask_errors=not settings.detailed_errors,
        )
    )
    services = Services(
        issuer=TokenIssuer(settings.secret_key, timedelta(seconds=settings.token_ttl_seconds)),
        login_policy=LoginPolicy(
            max_failures=settings.login_max_failures,
            lockout=timedelta(seconds=settings.login_lockout_seconds),
        ),
    )
    graphql = WuyouGraphQL(
        schema,
        services=services,
        graphiql=settings.graphiql,
        allowed_origins=settings.allowed_origins,
        compiled=CompiledReads(schema) if settings.compiled_reads else None,
        persisted=persisted.store(
            max_entries=settings.persisted_queries_max,
            max_document_bytes=settings.persisted_query_max_bytes,
            redis_url=settings.redis_url,
            prefix=settings.redis_prefix,
            ttl_seconds=settings.persisted_queries_ttl_seconds,
        )
        if settings.persisted_queries
        else None,
    )
    metrics.install()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        metrics.worker_started()
        await db.connect(settings.database_url)
        # Load the word segmenter of knowledge search now (about 1.5 s, once per process),
        # not on the first search.
        threading.Thread(target=_load_segmenter, name="jieba", daemon=True).start()
        previous = events.install(
            RedisBroadcaster(settings.redis_url, prefix=settings.redis_prefix)
            if settings.redis_url
            else events.InProcessBroadcaster()
        )
        stop_sweeping = asyncio.Event()
        sweeping = (
            asyncio.create_task(sweeper.run(settings.sweep_interval_ms / 1000, stop_sweeping))
            if settings.sweep_interval_ms
            else None
        )
        freeze_heap("start-up")
        try:
            yield
        finally:
            stop_sweeping.set()
            if sweeping is not None:
                await sweeping  # lets a sweep under way finish its queries
            await events.broadcaster().close()
            events.install(previous)
            if graphql.persisted is not None:
                await graphql.persisted.close()
            await db.disconnect()
            metrics.worker_stopped()

    async def healthz(request: Request) -> JSONResponse:
        healthy = await db.ping()
        return JSONResponse(
            {
                "status": "ok" if healthy else "unavailable",
                "database": healthy,
                "version": __version__,
            },
            status_code=200 if healthy else 503,
        )

    middleware = [
        Middleware(RequestIdMiddleware),
        Middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes),
    ]
    if settings.allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.allowed_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                expose_headers=["X-Request-ID"],
            )
        )
    app = Starlette(
        routes=[
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz, methods=["GET"]),
            Mount("/open311", routes=open311.routes()),
            Mount("/console", app=ConsoleFiles(), name="console"),
            *(
                [Route("/metrics", metrics.endpoint(settings.metrics_token), methods=["GET"])]
                if settings.metrics
                else []
            ),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.graphql = graphql
    return app
