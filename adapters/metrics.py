"""GET /metrics: what the serving process has done, in Prometheus's text format.

The core calls every observer after each command with a `CommandEvent`; this
module counts them by command, platform and outcome, times them in a
histogram, and asks the database how many meetings are open when Prometheus
scrapes. Each process has its own registry (not prometheus_client's global
one), so several bots in one test process, or one bot served twice, never
share counters. Behind a load balancer each process is scraped on its own;
sum across instances in PromQL.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from adapters.base import ChatAdapter
from bot import __version__
from bot.app import Cruxbot
from bot.events import CommandEvent

log = logging.getLogger(__name__)

#: Seconds: a command is usually milliseconds; platforms give up after 3 s.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


class Metrics:
    """The process's counters, fed by the core's command observers."""

    def __init__(self) -> None:
        """Create the metrics in a registry of their own."""
        self.registry = CollectorRegistry(auto_describe=True)
        labels = ("command", "platform")
        self.commands = Counter(
            "cruxbot_commands",
            "Commands handled, by outcome: ok, refused (a friendly error) or error.",
            (*labels, "outcome"),
            registry=self.registry,
        )
        self.errors = Counter(
            "cruxbot_command_errors",
            "Commands that failed unexpectedly (the member was shown an error id).",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "cruxbot_command_duration_seconds",
            "Time from a command's arrival in the core to its reply.",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.open_meetings = Gauge(
            "cruxbot_open_meetings",
            "Meetings started and not yet ended, across all workspaces.",
            registry=self.registry,
        )
        self.adapter_up = Gauge(
            "cruxbot_adapter_up",
            "1 while an adapter's platform connection is up, else 0.",
            ("adapter",),
            registry=self.registry,
        )
        self.database_up = Gauge(
            "cruxbot_database_up",
            "1 if the database answered the last scrape, else 0.",
            registry=self.registry,
        )
        info = Gauge(
            "cruxbot_build_info", "The running version.", ("version",), registry=self.registry
        )
        info.labels(version=__version__).set(1)

    def observe(self, event: CommandEvent) -> None:
        """Count one command (a `Cruxbot.observers` callback: quick, never raises)."""
        self.commands.labels(event.name, event.platform, event.outcome).inc()
        self.latency.labels(event.name, event.platform).observe(event.seconds)
        if event.outcome == "error":
            self.errors.labels(event.name, event.platform).inc()

    async def refresh(self, app: Cruxbot, adapters: Sequence[ChatAdapter]) -> None:
        """Update the gauges that are read from the world rather than counted."""
        for adapter in adapters:
            self.adapter_up.labels(adapter.name).set(1 if adapter.healthy() else 0)
        try:
            self.open_meetings.set(await app.open_meetings())
            self.database_up.set(1)
        except Exception:
            log.warning("metrics: could not count open meetings", exc_info=True)
            self.database_up.set(0)

    def exposition(self) -> bytes:
        """The current values in Prometheus's text exposition format."""
        return generate_latest(self.registry)


def metrics_routes(
    web_app: web.Application, app: Cruxbot, adapters: Sequence[ChatAdapter]
) -> Metrics:
    """Observe every command of `app` and serve GET /metrics on `web_app`."""
    metrics = Metrics()
    app.observers.append(metrics.observe)

    async def handle(_: web.Request) -> web.Response:
        await metrics.refresh(app, adapters)
        return web.Response(
            body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    web_app.router.add_get("/metrics", handle)
    return metrics
