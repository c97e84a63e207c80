"""Synthetic workspaces of any size, written with the drivers' bulk paths.

Words come from a fixed vocabulary of invented words with a Zipf-like
frequency, so a few words are everywhere and most are rare, as in real text.
Rows go in with `executemany` (SQLite, the FTS triggers run as in production)
or COPY (PostgreSQL, the generated search columns are computed as in
production), never through the ORM. The same seed gives the same data.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import asyncpg

SYLLABLES = [
    "ka", "lo", "ven", "tri", "mar", "sol", "dek", "ul", "po", "rin", "zu", "fa",
    "gor", "ith", "nel", "qua", "bri", "sto", "ye", "mox", "pel", "dra", "cin", "vo",
]  # fmt: skip
VOCABULARY_SIZE = 20_000
KINDS = ["claim"] * 10 + ["objection"] * 60 + ["reply"] * 25 + ["support"] * 5
STEELMAN_SHARE = 0.05
BATCH = 20_000
STEELMAN_COLUMNS = [
    "id", "workspace_id", "statement_id", "text", "author_id", "author_name", "endorsed",
    "created_at",
]  # fmt: skip


def vocabulary(size: int = VOCABULARY_SIZE) -> list[str]:
    """`size` distinct invented words of 2 to 4 syllables, in a fixed order."""
    rng = random.Random(7)
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


@dataclass
class Corpus:
    """The words, their weights, and a seeded random source."""

    seed: int = 1
    words: list[str] = field(default_factory=vocabulary)
    rng: random.Random = field(init=False)
    cumulative: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.cumulative = list(itertools.accumulate(1 / (r + 1) for r in range(len(self.words))))

    def sample(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def band(self, start: int, stop: int) -> list[str]:
        """Words of frequency rank [start, stop): used to pick realistic query words."""
        return self.words[start:stop]


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def rows(corpus: Corpus, workspace_id: int, first_id: int, count: int) -> Iterator[dict[str, Any]]:
    """Statements with unique slugs; objections and replies point at earlier statements."""
    for offset in range(count):
        number = first_id + offset
        kind = KINDS[number % len(KINDS)]
        words = corpus.sample(corpus.rng.randint(18, 40))
        slug = f"{words[0]}-{words[1]}"[:30].rstrip("-") + "-" + _base36(number)
        title = " ".join(words[:8]).capitalize()
        target = None
        if kind != "claim" and number > first_id:
            target = corpus.rng.randint(first_id, number - 1)
        yield {
            "id": number,
            "workspace_id": workspace_id,
            "kind": kind,
            "slug": slug,
            "title": title[:200],
            "text": " ".join(words).capitalize() + ".",
            "target_id": target,
        }


def _statement_tuple(row: dict[str, Any], created: Any) -> tuple[Any, ...]:
    return (
        row["id"], row["workspace_id"], row["kind"], row["slug"], row["title"], row["text"],
        "", "", "", "u-bench", "Bench", "open", row["target_id"], "", created, created,
    )  # fmt: skip


STATEMENT_COLUMNS = (
    "id", "workspace_id", "kind", "slug", "title", "text", "quote", "source_url",
    "source_page", "author_id", "author_name", "status", "target_id", "origin_url",
    "created_at", "updated_at",
)  # fmt: skip


def fill_sqlite(path: str, workspace_id: int, count: int, created: str, seed: int = 1) -> list[str]:
    """Add `count` statements (and nicknames, some steelmen) to a SQLite file; their slugs."""
    corpus = Corpus(seed)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    first = (connection.execute("SELECT coalesce(max(id), 0) FROM statements").fetchone()[0]) + 1
    steelman_id = connection.execute("SELECT coalesce(max(id), 0) FROM steelmen").fetchone()[0]
    slugs: list[str] = []
    placeholders = ", ".join("?" * len(STATEMENT_COLUMNS))
    generated = rows(corpus, workspace_id, first, count)
    while batch := list(itertools.islice(generated, BATCH)):
        connection.executemany(
            f"INSERT INTO statements ({', '.join(STATEMENT_COLUMNS)}) VALUES ({placeholders})",
            [_statement_tuple(r, created) for r in batch],
        )
        connection.executemany(
            "INSERT INTO slug_names (workspace_id, slug, statement_id) VALUES (?, ?, ?)",
            [(workspace_id, r["slug"], r["id"]) for r in batch],
        )
        steelmen = []
        for r in batch:
            if corpus.rng.random() < STEELMAN_SHARE:
                steelman_id += 1
                text = " ".join(corpus.sample(25)).capitalize() + "."
                steelmen.append((steelman_id, workspace_id, r["id"], text, created))
        connection.executemany(
            "INSERT INTO steelmen (id, workspace_id, statement_id, text, author_id, author_name,"
            " endorsed, created_at) VALUES (?, ?, ?, ?, 'u-bench', 'Bench', 0, ?)",
            steelmen,
        )
        connection.commit()
        slugs.extend(r["slug"] for r in batch)
    connection.execute("PRAGMA optimize")
    connection.close()
    return slugs


async def fill_postgres(
    dsn: str, schema: str, workspace_id: int, count: int, created: Any, seed: int = 1
) -> list[str]:
    """The same for PostgreSQL, with COPY."""
    corpus = Corpus(seed)
    connection = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    try:
        first = await connection.fetchval("SELECT coalesce(max(id), 0) + 1 FROM statements")
        steelman_id = await connection.fetchval("SELECT coalesce(max(id), 0) FROM steelmen")
        slug_id = await connection.fetchval("SELECT coalesce(max(id), 0) FROM slug_names")
        slugs: list[str] = []
        generated = rows(corpus, workspace_id, first, count)
        while batch := list(itertools.islice(generated, BATCH)):
            await connection.copy_records_to_table(
                "statements",
                records=[_statement_tuple(r, created) for r in batch],
                columns=list(STATEMENT_COLUMNS),
            )
            names = []
            for r in batch:
                slug_id += 1
                names.append((slug_id, workspace_id, r["slug"], r["id"]))
            await connection.copy_records_to_table(
                "slug_names", records=names, columns=["id", "workspace_id", "slug", "statement_id"]
            )
            steelmen = []
            for r in batch:
                if corpus.rng.random() < STEELMAN_SHARE:
                    steelman_id += 1
                    text = " ".join(corpus.sample(25)).capitalize() + "."
                    steelmen.append(
                        (
                            steelman_id,
                            workspace_id,
                            r["id"],
                            text,
                            "u-bench",
                            "Bench",
                            False,
                            created,
                        )
                    )
            await connection.copy_records_to_table(
                "steelmen",
                records=steelmen,
                columns=STEELMAN_COLUMNS,
            )
            slugs.extend(r["slug"] for r in batch)
        for table in ("statements", "slug_names", "steelmen"):
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return slugs
