"""`cruxbot serve`: run the chosen adapters in one asyncio process.

One aiohttp server carries GET /healthz and GET /metrics for every deployment,
the read-only web view (/w/<token>/..., adapters/web) and Slack's POST
/slack/events in HTTP mode; `cruxbot serve web` runs the web view alone. It
gives clients a bounded time for a request's headers and body and holds a
bounded number of connections (adapters/httplimits.py), so slow or numerous
clients cannot wear it out.

The process runs until SIGTERM or SIGINT, then shuts down gracefully within a
bound (`SHUTDOWN_GRACE_SECONDS`):

1. stop taking new work: /healthz answers 503 so load balancers and
   orchestrators look elsewhere, and new requests get 503 (Slack retries them,
   to another process behind the balancer);
2. close the adapters, each of which finishes what it already acknowledged;
3. let any command still running in this process finish;
4. close the HTTP server and the database, and exit 0.

Nothing that matters lives in the process (meetings, dedup keys and counters
are in the database), so several processes can serve one PostgreSQL.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web

from adapters.base import ChatAdapter
from adapters.httplimits import CappedSite, HttpLimits, read_body_within
from adapters.metrics import metrics_routes
from adapters.settings import Settings
from adapters.web.routes import add_security_headers, web_routes
from bot.app import Cruxbot

log = logging.getLogger(__name__)

PLATFORMS = ("discord", "slack")
#: What `cruxbot serve` can run: the chat platforms, and the web view on its own.
SERVABLE = (*PLATFORMS, "web")
#: Paths still answered while shutting down (they report the state, take no work).
OPERATIONS_PATHS = frozenset({"/healthz", "/metrics"})
#: How long the HTTP server waits for requests it is answering when it closes. They
#: are short (Slack's are acknowledgements; the work behind them is the adapter's).
HTTP_CLOSE_SECONDS = 3.0

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Lifecycle:
    """Whether the process is still taking work; shared by the routes and the runner."""

    def __init__(self) -> None:
        """A process that has not been told to stop."""
        self.stopping = asyncio.Event()

    @web.middleware
    async def refuse_when_stopping(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        """Answer 503 to new work once shutdown began; operations paths keep answering."""
        if self.stopping.is_set() and request.path not in OPERATIONS_PATHS:
            return web.Response(status=503, text="shutting down", headers={"Retry-After": "5"})
        return await handler(request)


def health_routes(
    web_app: web.Application,
    app: Cruxbot,
    adapters: Sequence[ChatAdapter],
    lifecycle: Lifecycle | None = None,
) -> None:
    """GET /healthz: 200 when the database and every adapter are up, else 503."""

    async def healthz(_: web.Request) -> web.Response:
        database = await app.database_ok()
        states = {adapter.name: adapter.healthy() for adapter in adapters}
        stopping = lifecycle is not None and lifecycle.stopping.is_set()
        ok = database and all(states.values()) and not stopping
        status = "ok" if ok else "stopping" if stopping else "unavailable"
        body = {"status": status, "database": database, "adapters": states}
        return web.json_response(body, status=200 if ok else 503)

    web_app.router.add_get("/healthz", healthz)


def create_adapters(
    platforms: Sequence[str], app: Cruxbot, settings: Settings, web_app: web.Application
) -> list[ChatAdapter]:
    """Build the chosen adapters (imported only when chosen)."""
    adapters: list[ChatAdapter] = []
    if "discord" in platforms:
        from adapters.discord.runner import create_discord_adapter

        adapters.append(create_discord_adapter(app, settings))
    if "slack" in platforms:
        from adapters.slack.runner import create_slack_adapter

        adapters.append(create_slack_adapter(app, settings, web_app))
    return adapters


def build_web_app(
    platforms: Sequence[str], app: Cruxbot, settings: Settings, lifecycle: Lifecycle
) -> tuple[web.Application, list[ChatAdapter]]:
    """The HTTP application: the adapters' routes, the web view, /healthz and /metrics."""
    web_app = web.Application(
        middlewares=[
            lifecycle.refuse_when_stopping,
            read_body_within(settings.http_body_timeout),
        ]
    )
    web_app.on_response_prepare.append(add_security_headers)
    adapters = create_adapters(platforms, app, settings, web_app)
    health_routes(web_app, app, adapters, lifecycle)
    metrics_routes(web_app, app, adapters)
    web_routes(web_app, app.pages)
    return web_app, adapters


def settle_memory() -> None:
    """Exempt what start-up built (modules, the app) from the garbage collector's full passes.

    A full collection walks every object the process holds: with the chat
    libraries and SQLAlchemy loaded that took 100-250 ms, and it falls, now
    and then, in the middle of a request (it was the whole of the web view's
    slowest 1%, see docs/benchmarks.md). Objects made at start-up live as long
    as the process: freezing them leaves the collector only the newer ones.
    """
    gc.collect()
    gc.freeze()


async def serve(platforms: Sequence[str], settings: Settings, demo: bool) -> int:
    """Run until told to stop; the exit status for the process."""
    app = await settings.open_app(demo_for_new_workspaces=demo)
    lifecycle = Lifecycle()
    web_app, adapters = build_web_app(platforms, app, settings, lifecycle)
    limits = HttpLimits.of(settings)
    runner = limits.runner(web_app, shutdown_timeout=HTTP_CLOSE_SECONDS)
    loop = asyncio.get_running_loop()

    def on_signal(signum: signal.Signals) -> None:
        if lifecycle.stopping.is_set():
            log.info("%s again: already shutting down", signum.name)
            return
        log.info("%s received: shutting down", signum.name)
        lifecycle.stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, on_signal, signum)
    started: list[ChatAdapter] = []
    try:
        await runner.setup()
        site = CappedSite(
            runner, settings.host, settings.port, max_connections=limits.max_connections
        )
        await site.start()
        for adapter in adapters:
            await adapter.start()
            started.append(adapter)
        port = runner.addresses[0][1] if runner.addresses else settings.port
        settle_memory()
        log.info(
            "cruxbot ready: %s on http://%s:%s",
            ", ".join([*platforms, "web view"]),
            settings.host,
            port,
        )
        await lifecycle.stopping.wait()
    finally:
        lifecycle.stopping.set()
        await shut_down(started, runner, app, settings.shutdown_grace_seconds)
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    return 0


async def shut_down(
    adapters: Sequence[ChatAdapter], runner: web.AppRunner, app: Cruxbot, grace: float
) -> None:
    """Finish in-flight work within `grace` seconds, then close everything.

    The adapters close first (together): each stops taking work and finishes
    what it acknowledged. Then the HTTP server closes, and commands still
    holding a database connection get what is left of the grace period before
    the database is closed under them. Anything still running after that is
    cancelled when the event loop ends.
    """
    deadline = time.monotonic() + grace
    closing = [asyncio.create_task(_close(adapter, grace)) for adapter in adapters]
    if closing:
        await asyncio.wait(closing, timeout=grace)
    await runner.cleanup()
    await _finish_database_work(app, deadline)
    await app.close()
    log.info("stopped")


async def _close(adapter: ChatAdapter, grace: float) -> None:
    try:
        await asyncio.wait_for(adapter.close(), grace)
    except TimeoutError:
        log.warning(
            "%s adapter still had work running after the %g s grace period; stopping anyway",
            adapter.name,
            grace,
        )
    except Exception:
        log.exception("%s adapter failed to close", adapter.name)


async def _finish_database_work(app: Cruxbot, deadline: float) -> None:
    """Wait until no command is halfway through its transaction, or the deadline passes."""
    if app.commands_in_flight() is None:  # a pool that does not count (in-memory SQLite)
        return
    # The pool only counts; it has nothing to wait on, so look every few milliseconds.
    while (app.commands_in_flight() or 0) > 0 and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    if app.commands_in_flight():
        log.warning(
            "shutdown: %d command(s) still running after the grace period; stopping anyway",
            app.commands_in_flight(),
        )
