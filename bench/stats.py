"""Timing and the printed tables."""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Latencies of one operation, in milliseconds."""

    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p99(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


async def timed(
    operation: Callable[[int], Awaitable[object]], runs: int, warmup: int = 3
) -> Timing:
    """Run `operation(i)` `runs` times after a warm-up; each run's wall time in ms."""
    for i in range(warmup):
        await operation(-1 - i)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        await operation(i)
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(samples)


async def interleaved(
    ours: Callable[[int], Awaitable[object]],
    floor: Callable[[int], Awaitable[object]],
    runs: int,
    warmup: int = 3,
) -> tuple[Timing, Timing]:
    """Time two operations alternately, so machine noise hits both alike."""
    for i in range(warmup):
        await ours(-1 - i)
        await floor(-1 - i)
    mine: list[float] = []
    base: list[float] = []
    for i in range(runs):
        for operation, samples in ((ours, mine), (floor, base)):
            start = time.perf_counter()
            await operation(i)
            samples.append((time.perf_counter() - start) * 1000)
    return Timing(mine), Timing(base)


@dataclass
class Row:
    """One line of a table: what, our figure, the baseline and the verdict."""

    what: str
    figure: str
    baseline: str
    ratio: str
    target: str


class Table:
    """Rows printed as a Markdown table (pasted as is into docs/benchmarks.md)."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[Row] = []

    def add(self, what: str, figure: str, baseline: str, ratio: str, target: str) -> None:
        self.rows.append(Row(what, figure, baseline, ratio, target))
        print(f"  {what}: {figure} | {baseline} | {ratio} | {target}", flush=True)

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            "| what | Cruxbot | baseline (same run) | ratio | target |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {r.what} | {r.figure} | {r.baseline} | {r.ratio} | {r.target} |" for r in self.rows
        ]
        return "\n".join(lines)


def ms(timing: Timing) -> str:
    """ "p50 0.41 / p99 0.90 ms"."""
    return f"p50 {timing.p50:.2f} / p99 {timing.p99:.2f} ms"


def ratio(ours: Timing, floor: Timing) -> str:
    """ "p50 1.8x / p99 2.1x"."""
    return f"p50 {ours.p50 / floor.p50:.1f}x / p99 {ours.p99 / floor.p99:.1f}x"


def verdict(ok: bool, target: str) -> str:
    return f"{target}: {'met' if ok else 'MISSED'}"
