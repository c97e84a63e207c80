"""`python -m bench`: generate workspaces, measure, print the tables (Markdown).

python -m bench                         10k and 100k statements, SQLite and PostgreSQL
python -m bench --sizes 10k,100k,1m     add a million (generation takes minutes)
python -m bench --db sqlite --out bench.md
python -m bench --sizes 1m --only asking --keep DIR   reuse databases generated before
python -m bench --only responsiveness   other workspaces during a big import and a big map
python -m bench --only web              the web view's pages, a reading of 5,000 statements
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
from pathlib import Path

import asyncpg

from bench import adapters, asking, core, responsiveness, web
from bench.stats import Table

DEFAULT_POSTGRES = os.environ.get(
    "CRUXBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def size_of(text: str) -> int:
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def machine() -> str:
    memory = "?"
    try:
        with open("/proc/meminfo") as info:
            memory = f"{int(info.readline().split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return (
        f"nproc {os.cpu_count()}, memory {memory}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


async def postgres_ok(url: str) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=3)
    except Exception:
        return False
    await connection.close()
    return True


async def run(args: argparse.Namespace) -> list[Table]:
    tables: list[Table] = []
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="cruxbench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    dialects = [d.strip() for d in args.db.split(",") if d.strip()]
    if "postgresql" in dialects and not await postgres_ok(args.postgres_url):
        print(f"PostgreSQL unreachable at {args.postgres_url}: skipped")
        dialects.remove("postgresql")
    for dialect in dialects:
        if args.only == "web":
            table = Table(f"{dialect}: web pages, a reading of {web.SIZE:,} statements")
            print(f"\n{table.title}", flush=True)
            async with core.database(dialect, web.SIZE, workdir, args.postgres_url) as db:
                await web.pages(db, table, args.runs)
            tables.append(table)
            continue
        if args.only == "responsiveness":
            table = Table(f"{dialect}: other workspaces during a big import or map")
            print(f"\n{table.title}", flush=True)
            async with core.database(dialect, 1_000, workdir, args.postgres_url) as db:
                await responsiveness.responsiveness(db, table, args.runs)
            tables.append(table)
            continue
        for index, size in enumerate(size_of(s) for s in args.sizes.split(",")):
            table = Table(f"{dialect}, {size:,} statements")
            print(f"\n{table.title}", flush=True)
            async with core.database(
                dialect, size, workdir, args.postgres_url, keep=bool(args.keep)
            ) as db:
                if args.only == "asking":  # and logging, whose near-duplicate check asks
                    await asking.asking(db, table, args.runs, size)
                    await core.logging(db, table, args.runs)
                    tables.append(table)
                    continue
                like_runs = max(3, min(args.runs, 2_000_000 // size))
                await core.lookups(db, table, args.runs, size)
                await core.logging(db, table, args.runs)
                await core.finding(db, table, args.runs, like_runs, size)
                await asking.asking(db, table, args.runs, size)
                await core.concurrency(db, table)
                await asyncio.to_thread(core.memory, db, table, size)
                if index == 0:
                    await responsiveness.responsiveness(db, table, args.runs)
                    await asyncio.to_thread(core.startup, db, table)
                    await adapters.slack(db.app, table, args.runs)
                    await adapters.discord_interactions(db.app, table, args.runs)
            tables.append(table)
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--runs", type=int, default=200, help="timed runs per figure")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the generated databases (SQLite files in DIR) and reuse them next time",
    )
    parser.add_argument("--out", help="also write the tables (Markdown) to this file")
    parser.add_argument(
        "--only",
        choices=["responsiveness", "asking", "web"],
        help="run one group of figures alone",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    tables = asyncio.run(run(args))
    report = (
        "\n\n".join([f"Machine: {machine()}", *(t.markdown() for t in tables)])
        + f"\n\nTotal time: {time.perf_counter() - started:.0f} s\n"
    )
    print("\n" + report)
    if args.out:
        Path(args.out).write_text(report)


if __name__ == "__main__":
    main()
