"""The ``wuyou`` command line: serve, migrate, seed, tokens, plugins, schema export."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import tempfile
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import uvicorn
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from accounts.models import Role
from accounts.service import find_account, issue_service_token
from accounts.tokens import IssuedToken, TokenIssuer
from api import db, logs
from api.settings import Settings, SettingsError
from wuyou.errors import DomainError, ErrorCode

if TYPE_CHECKING:
    from grids.demo import SeedReport

app = typer.Typer(
    name="wuyou",
    help="无忧 wuyou: the GraphQL API of a city's public-service platform.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
token_app = typer.Typer(help="Bearer tokens for integrations and scripts.", no_args_is_help=True)
app.add_typer(token_app, name="token")
open311_app = typer.Typer(help="Open311 GeoReport v2 client applications.", no_args_is_help=True)
open311_key_app = typer.Typer(help="API keys of Open311 client applications.", no_args_is_help=True)
open311_app.add_typer(open311_key_app, name="key")
app.add_typer(open311_app, name="open311")

console = Console(stderr=True)
T = TypeVar("T")
#: Commercial merchants ``seed --demo`` loads unless told otherwise.
DEMO_MERCHANTS = 1300
#: Hotline tickets (a year of them) ``seed --demo`` loads unless told otherwise.
DEMO_TICKETS = 50_000

DemoTickets = Annotated[
    int,
    typer.Option(
        "--tickets",
        help="Hotline tickets to load with --demo: about a year of them, ending now, with "
        "their history (0 for none). Loaded once: a database that has them keeps them.",
        min=0,
    ),
]

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="WUYOU_DATABASE_URL",
        help="sqlite://path or postgres://user@host:port/db (default sqlite://wuyou.sqlite3).",
    ),
]


def _settings(database_url: str | None) -> Settings:
    try:
        settings = Settings.from_env()
        return settings.with_(database_url=database_url) if database_url else settings
    except SettingsError as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from None


def _run(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    return asyncio.run(work())


async def _with_database(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    await db.connect(settings.database_url, all_tasks=False)
    try:
        return await work()
    finally:
        await db.disconnect()


def _domain_work(settings: Settings, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work`` on the database; a :class:`DomainError` is printed and exits 1."""
    try:
        return _run(lambda: _with_database(settings, work))
    except DomainError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None


class _RichSeedProgress:
    """Shows each seeding stage as a progress bar."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: Any = None

    def stage(self, name: str, total: int) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._progress.tasks[-1].total)
        self._task = self._progress.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, steps)


def _migrate(settings: Settings) -> None:
    console.print(f"Migrating {_redact(settings.database_url)} …")
    _run(lambda: db.migrate(settings.database_url))


def _seed_demo(
    settings: Settings, merchants: int = DEMO_MERCHANTS, tickets: int = DEMO_TICKETS
) -> None:
    """Load the demo city, its providers (``merchants`` commercial ones among them), the
    hotline's catalogue (categories and public holidays) and ``tickets`` tickets."""
    from grids.demo import SeedReport, seed_demo_city
    from merchants.demo import seed_demo_merchants
    from tickets.demo.seed import seed_ticket_catalogue
    from tickets.demo.tickets import seed_demo_tickets
    from tickets.knowledge.demo import seed_demo_articles

    columns = (
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )

    async def work(progress: _RichSeedProgress) -> tuple[SeedReport, ...]:
        city = await seed_demo_city(progress)
        providers = await seed_demo_merchants(merchants, progress)
        catalogue = await seed_ticket_catalogue()
        articles = SeedReport({"knowledge_articles": await seed_demo_articles()})
        loaded = await seed_demo_tickets(tickets, progress) if tickets else 0
        return city, providers, catalogue, articles, SeedReport({"tickets": loaded})

    with Progress(*columns, console=console, transient=False) as progress:
        seeding = _RichSeedProgress(progress)
        city, providers, catalogue, articles, demo_tickets = _run(
            lambda: _with_database(settings, lambda: work(seeding))
        )
    _report("Demo city", city)
    _report("Demo merchants", providers)
    _report("Hotline catalogue", catalogue)
    _report("Knowledge base", articles)
    if tickets:
        _report("Demo tickets", demo_tickets)


def _report(what: str, report: SeedReport) -> None:
    if report.total():
        added = ", ".join(
            f"{n} {kind.replace('_', ' ')}" for kind, n in report.created.items() if n
        )
        console.print(f"{what} loaded: {added}.")
    else:
        console.print(f"{what} already loaded; nothing added.")


def _redact(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{scheme}{sep}{user}:***@{host}" if ":" in credentials else url
    return url


@app.command()
def serve(
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Load the demo city, its merchants and a year of tickets if not loaded yet.",
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1)] = 1,
    tickets: DemoTickets = DEMO_TICKETS,
    database_url: DatabaseUrl = None,
) -> None:
    """Migrate the database, optionally load the demo city, and serve /graphql.

    With ``--workers N`` the migrations run once, here, before uvicorn starts N worker
    processes; each builds its own app from the environment (its own database pool,
    sweeper and Redis connection), and uvicorn starts a new one if a worker dies.
    """
    settings = _settings(database_url)
    _migrate(settings)
    if demo:
        _seed_demo(settings, tickets=tickets)
    # Worker processes build their own app from the environment.
    os.environ["WUYOU_DATABASE_URL"] = settings.database_url
    if workers > 1 and settings.database_url.startswith("sqlite"):
        console.print(
            "[yellow]Several workers on SQLite serialise their writes; "
            "use PostgreSQL for real load.[/yellow]"
        )
    if workers > 1 and settings.redis_url is None:
        console.print(
            "[yellow]Without WUYOU_REDIS_URL a subscriber hears only of what its own "
            "worker does; set it to fan live events out across workers.[/yellow]"
        )
    # The supervisor of several workers logs as the workers do (a worker died, restarted).
    logs.configure(settings.log_level, json_lines=settings.log_json)
    ide = " (GraphiQL)" if settings.graphiql else ""
    console.print(f"Serving http://{host}:{port}/graphql{ide}")
    with _shared_metrics(workers):
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,
            proxy_headers=True,
        )


@contextlib.contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """Let several workers' metrics add up: prometheus_client's multiprocess mode, in the
    operator's ``PROMETHEUS_MULTIPROC_DIR`` (emptied of the last run's files) or else in
    a directory of our own, removed afterwards. One worker needs none of it."""
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if workers == 1 and not given:
        yield
        return
    directory = Path(given or tempfile.mkdtemp(prefix="wuyou-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    try:
        yield
    finally:
        if not given:
            shutil.rmtree(directory, ignore_errors=True)


@app.command()
def migrate(database_url: DatabaseUrl = None) -> None:
    """Apply pending database migrations (creates a SQLite file if needed)."""
    settings = _settings(database_url)
    _migrate(settings)
    console.print("Database is up to date.")


@app.command()
def seed(
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Load the Wuhai demo city, its merchants and tickets."),
    ] = False,
    merchants: Annotated[
        int,
        typer.Option(
            "--merchants",
            help="Commercial merchants to load with --demo (0 for none); mediation "
            "organisations, counsellors, law firms and the demo merchant always come.",
            min=0,
        ),
    ] = DEMO_MERCHANTS,
    tickets: DemoTickets = DEMO_TICKETS,
    database_url: DatabaseUrl = None,
) -> None:
    """Load data into a migrated database. Idempotent: a second run adds nothing."""
    if not demo:
        console.print("Nothing to seed: pass --demo to load the demo city.")
        raise typer.Exit(2)
    settings = _settings(database_url)
    _migrate(settings)
    _seed_demo(settings, merchants, tickets)


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="The account's role.", case_sensitive=False)],
    username: Annotated[str, typer.Option(help="The account; created without a password if new.")],
    days: Annotated[int, typer.Option(help="Validity in days.", min=1, max=3650)] = 365,
    channel: Annotated[
        str | None,
        typer.Option(help="For INTEGRATION accounts: the channel code they submit on."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print a bearer token for an account (for channel integrations and scripts)."""
    from tortoise.transactions import in_transaction

    from grids.catalogue import bind_channel, get_channel

    if (role is Role.INTEGRATION) != (channel is not None):
        console.print("[red]--channel goes with --role INTEGRATION, and only with it.[/red]")
        raise typer.Exit(2)
    settings = _settings(database_url)
    issuer = TokenIssuer(settings.secret_key, timedelta(seconds=settings.token_ttl_seconds))

    async def work() -> IssuedToken:
        if channel is not None and await get_channel(channel) is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"No channel {channel!r}.", "channel")
        async with in_transaction():
            issued = await issue_service_token(
                username=username, role=role, issuer=issuer, ttl=timedelta(days=days)
            )
            account = await find_account(username)
            if channel is not None and account is not None:
                await bind_channel(account.id, channel)
        return issued

    issued = _domain_work(settings, work)
    console.print(f"Token for {username} ({role.value}), valid until {issued.expires_at:%Y-%m-%d}:")
    typer.echo(issued.token)


@open311_key_app.command("create")
def open311_key_create(
    name: Annotated[str, typer.Option(help="The client application, as listings show it.")],
    account: Annotated[
        str | None,
        typer.Option(help="Add the key to this application's account (to rotate keys)."),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Print a new API key for an Open311 client application (shown this once)."""
    from api.open311.clients import create_client_key

    settings = _settings(database_url)
    issued = _domain_work(settings, lambda: create_client_key(name=name, account=account))
    console.print(f"API key {issued.record.prefix}… for {name}; it is not shown again:")
    typer.echo(issued.key)


@open311_key_app.command("list")
def open311_key_list(database_url: DatabaseUrl = None) -> None:
    """List the client applications' keys (never the keys themselves)."""
    from accounts.client_keys import list_client_keys

    settings = _settings(database_url)
    keys = _run(lambda: _with_database(settings, list_client_keys))
    table = Table("prefix", "application", "created", "revoked")
    for key in keys:
        revoked = f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "-"
        table.add_row(key.prefix, key.name, f"{key.created_at:%Y-%m-%d %H:%M}", revoked)
    Console(width=200).print(table)


@open311_key_app.command("revoke")
def open311_key_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `key list` shows it.")],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a client application's key: requests bearing it get 403 from now on."""
    from accounts.client_keys import revoke_client_key

    settings = _settings(database_url)
    _domain_work(settings, lambda: revoke_client_key(prefix, actor=None))
    console.print(f"Revoked {prefix}.")


@app.command()
def plugins() -> None:
    """List loaded plugins with their versions, hooks and service types."""
    from plugins.manager import describe, plugin_manager
    from plugins.registry import service_registry

    infos = describe(plugin_manager())
    if not infos:
        typer.echo("No plugins loaded.")
        return
    registry = service_registry()
    table = Table("plugin", "version", "kind", "hooks", "service types")
    for info in infos:
        table.add_row(
            info.name,
            info.version or "-",
            "built-in" if info.builtin else "entry point",
            ", ".join(info.hooks),
            ", ".join(f"{t.code} {t.name}" for t in registry.registered_by(info.name)) or "-",
        )
    Console().print(table)


@app.command("export-schema")
def export_schema(
    check: Annotated[
        bool, typer.Option("--check", help="Fail if schema.graphql is stale.")
    ] = False,
) -> None:
    """Write the GraphQL SDL to schema/schema.graphql (the public contract)."""
    from schema import SDL_PATH, export_sdl

    sdl = export_sdl()
    current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
    if check:
        if current != sdl:
            console.print("[red]schema/schema.graphql is stale: run `wuyou export-schema`.[/red]")
            raise typer.Exit(1)
        console.print("schema/schema.graphql is current.")
        return
    SDL_PATH.write_text(sdl, encoding="utf-8")
    console.print(f"Wrote {SDL_PATH}.")


def main() -> None:
    """Entry point of the ``wuyou`` console script."""
    app()
