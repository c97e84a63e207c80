"""Ranked, stemmed full-text queries: what `/search` and `/ask` find, best first.

Both run on the stemmed indexes of migration 0007: SQLite FTS5 with the
`porter` tokenizer, ranked by bm25(); PostgreSQL's `english` configuration,
ranked by ts_rank_cd(). The database stems the query words as it stemmed the
text, so `capability` finds "capabilities" and `evaluation` finds "evaluate".

A match in the nickname counts most, then the title, then the text; a match
in one of a statement's live steelmen counts half as much as one in the
statement itself (the steelman says it better, but it is not the statement).
`/search` asks for every word (`every=True`); `/ask` for any of them, and the
ranking puts statements holding more of them, and rarer ones, first.

Every query is bounded: ranked pages use LIMIT and counts stop at `COUNT_CAP`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.search import COUNT_CAP, Term, prefix_terms, stemmed_terms

#: bm25 weights of the nickname, title and text columns (SQLite).
_SQLITE_WEIGHTS = "10.0, 5.0, 1.0"
#: ts_rank_cd weights of D, C (text), B (title) and A (nickname) (PostgreSQL).
_POSTGRES_WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"

_SQLITE_RANKED = f"""
WITH hits(id, score) AS (
    SELECT rowid, -bm25(statement_stems, {_SQLITE_WEIGHTS})
    FROM statement_stems WHERE statement_stems MATCH :q
    UNION ALL
    SELECT sm.statement_id, -0.5 * bm25(steelman_stems)
    FROM steelman_stems JOIN steelmen sm ON sm.id = steelman_stems.rowid
    WHERE steelman_stems MATCH :q AND sm.workspace_id = :ws AND sm.deleted_at IS NULL
), ranked AS (
    SELECT h.id AS id, max(h.score) AS score
    FROM hits h JOIN statements s ON s.id = h.id
    WHERE s.workspace_id = :ws AND s.deleted_at IS NULL
    GROUP BY h.id
    ORDER BY score DESC, h.id DESC
    LIMIT :cap
)
SELECT id, score, count(*) OVER () FROM ranked
ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset
"""

_POSTGRES_RANKED = f"""
WITH q AS (SELECT to_tsquery('english', :q) AS q), hits AS (
    SELECT s.id AS id, ts_rank_cd({_POSTGRES_WEIGHTS}, s.stems_vector, q.q) AS score
    FROM statements s, q
    WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.stems_vector @@ q.q
    UNION ALL
    SELECT sm.statement_id, 0.5 * ts_rank_cd(sm.stems_vector, q.q)
    FROM steelmen sm JOIN statements s ON s.id = sm.statement_id, q
    WHERE sm.workspace_id = :ws AND sm.deleted_at IS NULL AND s.deleted_at IS NULL
      AND sm.stems_vector @@ q.q
), ranked AS (
    SELECT id, max(score) AS score FROM hits GROUP BY id ORDER BY score DESC, id DESC LIMIT :cap
)
SELECT id, score, count(*) OVER () FROM ranked
ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset
"""


#: How many statements holding every word make ranking those holding some unneeded.
ENOUGH = 5

#: The best of the whole index read first by `best_of_any` on SQLite (see there).
_POOL = 100

#: How many matches of the words `best_of_any` ranks at most: the newest on SQLite.
_SCAN = 500
#: The same on PostgreSQL, lower: each match ranked there is a row read from the table
#: (a page each, 30 ms for 500 at a million statements), where SQLite reads its index.
_SCAN_POSTGRES = 200

_SQLITE_BEST_OF_ANY = f"""
WITH scanned(id, score) AS (
    SELECT rowid, -bm25(statement_stems, {_SQLITE_WEIGHTS})
    FROM statement_stems WHERE statement_stems MATCH :q ORDER BY rowid DESC LIMIT :scan
), top AS (
    SELECT id, score FROM scanned ORDER BY score DESC LIMIT :pool
), steel(id, score) AS (
    SELECT id, score FROM (
        SELECT sm.statement_id AS id, -0.5 * bm25(steelman_stems) AS score
        FROM steelman_stems JOIN steelmen sm ON sm.id = steelman_stems.rowid
        WHERE steelman_stems MATCH :q AND sm.workspace_id = :ws AND sm.deleted_at IS NULL
        ORDER BY steelman_stems.rowid DESC LIMIT :scan
    ) ORDER BY score DESC LIMIT :pool
), hits AS (SELECT * FROM top UNION ALL SELECT * FROM steel)
SELECT h.id, max(h.score) AS best, (SELECT count(*) FROM scanned) AS seen
FROM hits h JOIN statements s ON s.id = h.id
WHERE s.workspace_id = :ws AND s.deleted_at IS NULL
GROUP BY h.id ORDER BY best DESC, h.id DESC LIMIT :limit
"""


_POSTGRES_BEST_OF_ANY = f"""
WITH q AS (SELECT to_tsquery('english', :q) AS q), found AS (
    SELECT s.id, s.stems_vector FROM statements s, q
    WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.stems_vector @@ q.q
    LIMIT :scan
), steel AS (
    SELECT sm.statement_id AS id, sm.stems_vector FROM steelmen sm, q
    WHERE sm.workspace_id = :ws AND sm.deleted_at IS NULL AND sm.stems_vector @@ q.q
    LIMIT :scan
), hits AS (
    SELECT f.id, ts_rank_cd({_POSTGRES_WEIGHTS}, f.stems_vector, q.q) AS score FROM found f, q
    UNION ALL
    SELECT t.id, 0.5 * ts_rank_cd(t.stems_vector, q.q) FROM steel t, q
), best AS (
    SELECT id, max(score) AS best FROM hits GROUP BY id ORDER BY best DESC, id DESC LIMIT :pool
)
SELECT b.id, b.best FROM best b JOIN statements s ON s.id = b.id WHERE s.deleted_at IS NULL
ORDER BY b.best DESC, b.id DESC LIMIT :limit
"""


@dataclass(frozen=True)
class Ranked:
    """A page of statement ids with their scores (higher is better) and the capped total."""

    ids: list[int]
    scores: list[float]
    total: int


def fts5_query(terms: Sequence[Term], every: bool) -> str:
    """An FTS5 expression: each word quoted (never syntax), joined by AND or OR."""
    parts = ['"' + t.forms[0].replace('"', '""') + '"' + ("*" if t.prefix else "") for t in terms]
    return (" AND " if every else " OR ").join(parts)


def tsquery(terms: Sequence[Term], every: bool) -> str:
    """A to_tsquery expression: each word quoted (never syntax), joined by & or |."""
    parts = ["'" + t.forms[0].replace("'", "").replace("\\", "") + "'" for t in terms]
    parts = [part + (":*" if t.prefix else "") for part, t in zip(parts, terms, strict=True)]
    return (" & " if every else " | ").join(parts)


def two_of(terms: Sequence[Term], postgres: bool) -> str:
    """An expression matching any two of the terms: (a AND b) OR (a AND c) OR …"""
    build = tsquery if postgres else fts5_query
    pairs = [build(pair, True) for pair in itertools.combinations(terms, 2)]
    return (" | " if postgres else " OR ").join(f"({pair})" for pair in pairs)


async def ranked(
    session: AsyncSession,
    workspace_id: int,
    terms: Sequence[Term],
    *,
    every: bool,
    offset: int = 0,
    limit: int = 10,
) -> Ranked:
    """Live statements matching the terms (all, or any), best first, with the total."""
    if not terms:
        return Ranked([], [], 0)
    postgres = session.get_bind().dialect.name == "postgresql"
    params: dict[str, Any] = {
        "q": tsquery(terms, every) if postgres else fts5_query(terms, every),
        "ws": workspace_id,
        "cap": COUNT_CAP,
        "limit": limit,
        "offset": offset,
    }
    query = text(_POSTGRES_RANKED if postgres else _SQLITE_RANKED)
    rows = (await session.execute(query, params)).all()
    if rows:
        return Ranked([r[0] for r in rows], [float(r[1]) for r in rows], int(rows[0][2]))
    if offset == 0:
        return Ranked([], [], 0)
    # Past the last page: count from the start, so the footer can say where the end is.
    params.update(offset=0, limit=1)
    rows = (await session.execute(query, params)).all()
    return Ranked([], [], int(rows[0][2]) if rows else 0)


@dataclass(frozen=True)
class SearchHits:
    """A page of matching statement ids, best first, the total (capped), and the terms used."""

    ids: list[int]
    total: int
    terms: list[Term]


async def ranked_ids(
    session: AsyncSession, workspace_id: int, words: Sequence[str], offset: int, limit: int
) -> SearchHits:
    """A page of live statements matching every word (stemmed), best first, and the total.

    Only when that finds nothing do words of four letters or more match as
    prefixes, so `interp` still finds "interpretability": the prefix pass reads
    every word starting alike, which costs more on a large workspace.
    """
    exact = stemmed_terms(words)
    if not exact:
        return SearchHits([], 0, [])
    found = await ranked(session, workspace_id, exact, every=True, offset=offset, limit=limit)
    loose = prefix_terms(words)
    if found.total or not any(term.prefix for term in loose):
        return SearchHits(found.ids, found.total, exact)
    found = await ranked(session, workspace_id, loose, every=True, offset=offset, limit=limit)
    return SearchHits(found.ids, found.total, loose)


async def best_of_any(
    session: AsyncSession, workspace_id: int, terms: Sequence[Term], limit: int
) -> Ranked:
    """The best `limit` live statements holding any of the terms (no total).

    Statements holding every term first, when there are `ENOUGH` of them:
    they are few and rank above those holding some anyway.

    Neither pass scores every match: a word held by 30,000 of a million
    statements took 35 to 70 ms to score on SQLite (bm25 reads each match's
    column sizes) and more on PostgreSQL. At most `_SCAN` matches are
    ranked: on SQLite the newest (the index hands them over newest first
    and stops), on PostgreSQL the first its index finds (taking the newest
    there would read every match to sort them: 74 ms for a word in 12,696
    of a million statements). A word held by more than that says little
    about what is asked; below it, every match is ranked, as before.
    """
    if not terms:
        return Ranked([], [], 0)
    if len(terms) > 1:
        found = await _best_of(session, workspace_id, terms, limit, every=True)
        if len(found.ids) >= min(limit, ENOUGH):
            return found
    return await _best_of(session, workspace_id, terms, limit, every=False)


async def _best_of(
    session: AsyncSession, workspace_id: int, terms: Sequence[Term], limit: int, every: bool
) -> Ranked:
    """One pass of `best_of_any`: statements holding every term, or any.

    On SQLite the index's matches are those of every workspace: its best
    `_POOL` of the newest `_SCAN` are read, then this workspace's live ones
    among them. Only when that left fewer than `limit` of this workspace's
    while some matches were not weighed (other workspaces crowd the scan or
    the pool) is every match ranked after all (tests/test_ask.py, the two
    tests of other workspaces crowding).
    """
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit, "scan": _SCAN}
    if session.get_bind().dialect.name == "postgresql":
        # The live statement of a steelman is checked on the best few only.
        params.update(q=tsquery(terms, every), pool=2 * limit, scan=_SCAN_POSTGRES)
        rows = (await session.execute(text(_POSTGRES_BEST_OF_ANY), params)).all()
        return Ranked([r[0] for r in rows], [float(r[1]) for r in rows], len(rows))
    params.update(q=fts5_query(terms, every), pool=_POOL)
    rows = (await session.execute(text(_SQLITE_BEST_OF_ANY), params)).all()
    # Every match was weighed unless the scan or the pool was full.
    weighed_all = bool(rows) and rows[0][2] < _SCAN and rows[0][2] <= _POOL
    if len(rows) < limit and not weighed_all:
        return await ranked(session, workspace_id, terms, every=every, limit=limit)
    return Ranked([r[0] for r in rows], [float(r[1]) for r in rows], len(rows))


def holding_two_of(
    dialect: str, workspace_id: int, terms: Sequence[Term], limit: int = 20
) -> tuple[TextClause, dict[str, Any]]:
    """Live statements holding two at least of the terms (stemmed), newest first.

    The query selects whole statement rows (`s.*`), to load them as
    statements in the same round trip. It does not rank: ranking would score
    every statement holding each pair of words, common ones included (33 ms
    at 100k statements), while the index hands over the newest first and
    stops at `limit` (2 ms); the caller compares each stem by stem anyway.
    """
    postgres = dialect == "postgresql"
    params: dict[str, Any] = {"q": two_of(terms, postgres), "ws": workspace_id, "limit": limit}
    if postgres:
        sql = (
            "SELECT s.* FROM statements s, to_tsquery('english', :q) q "
            "WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.stems_vector @@ q "
            "ORDER BY s.id DESC LIMIT :limit"
        )
    else:
        sql = (
            "SELECT s.* FROM statement_stems f JOIN statements s ON s.id = f.rowid "
            "WHERE statement_stems MATCH :q AND s.workspace_id = :ws AND s.deleted_at IS NULL "
            "ORDER BY f.rowid DESC LIMIT :limit"
        )
    return text(sql), params
