"""Full-text search, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The indexes are made by migration 0004 and kept in step by the database itself
(SQLite triggers, PostgreSQL generated columns), so every way a statement or a
steelman is written (commands, imports, undo, restore) updates them. They are
deliberately not in the SQLAlchemy models: `SEARCH_SCHEMA_OBJECTS` names them
so that Alembic's model comparison can leave them out (see `include_name`).

Both databases tokenise the same simple way (words of letters and digits, no
language stemming, accents folded on SQLite), so a query finds the same
statements on both. In place of stemming, a query word matches its singular
and plural forms: `evaluations` finds "evaluation" and "evaluations"; when
whole words find nothing, words of four letters or more match as prefixes
(`interp` finds "interpretability"). Ranking is the database's own (bm25 on SQLite,
ts_rank on PostgreSQL), weighting the nickname over the title over the text.

Every query here is bounded: ranked pages use LIMIT, counts stop at a cap, and
nothing reads a whole workspace into memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

#: Tables, triggers, columns and indexes of the search indexes (not in the models).
SEARCH_SCHEMA_OBJECTS = frozenset(
    {
        # SQLite: FTS5 tables over statements and steelmen, their shadow tables, triggers.
        "statement_search",
        "steelman_search",
        # PostgreSQL: generated tsvector columns, their GIN indexes, the slug prefix index.
        "search_vector",
        "ix_statements_search_vector",
        "ix_steelmen_search_vector",
        "ix_slug_names_prefix",
    }
)

#: Where FTS5 keeps an index's data: `<table>_data`, `<table>_idx`, …
_FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")

#: Counts of matches stop here; beyond it the footer says "10000+".
COUNT_CAP = 10_000

#: Words too common to say anything about whether two statements are the same.
_STOPWORDS_TEXT = """
    a an and are as at be been but by can could do does for from had has have how if in
    into is it its may might more most no not of on or our should so some than that the
    their them then there these they this those to too was we were what when which who
    will with would you your
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"[^\W_]+")

#: What no query may carry: NUL (PostgreSQL refuses it in text) and lone surrogates
#: (a platform's JSON can hold `\ud800`; no driver can encode it). Neither can be in
#: a nickname or a word, so dropping them loses nothing a member meant.
_UNSENDABLE = re.compile("[\x00\ud800-\udfff]")


def sendable(raw: str) -> str:
    """`raw` without the characters a database cannot be asked about (see `_UNSENDABLE`)."""
    return _UNSENDABLE.sub("", raw)


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name` hook: skip the search indexes when comparing models."""
    if name is None:
        return True
    if name in SEARCH_SCHEMA_OBJECTS:
        return False
    return not any(
        name == base + suffix
        for base in ("statement_search", "steelman_search")
        for suffix in _FTS5_SHADOW_SUFFIXES
    )


def words_of(raw: str, limit: int = 8) -> list[str]:
    """The lowercase words of a query, in order, without repeats (at most `limit`)."""
    seen: list[str] = []
    for word in _WORD.findall(sendable(raw).lower()):
        if word not in seen:
            seen.append(word)
    return seen[:limit]


def stem(word: str) -> str:
    """A query word's matching stem: a plural "s" dropped from words of 5+ letters."""
    if len(word) >= 5 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def word_forms(word: str) -> tuple[str, ...]:
    """The forms of a query word a search matches: itself, its singular or its plural.

    `zebras` matches "zebra" and "zebras", `boxes` also "box", `class` also
    "classes". Whole words only: matching prefixes would make a common word
    cost a scan of every word that starts like it (see `ranked_ids`).
    """
    forms = [word]
    if len(word) >= 4 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
        if word.endswith("es") and len(word) >= 5:
            forms.append(word[:-2])
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    elif len(word) >= 3:
        forms.append(word + "s")
    return tuple(dict.fromkeys(forms))


#: A query word this long (after its plural "s") may match as a prefix, when whole words fail.
PREFIX_MIN = 4


@dataclass(frozen=True)
class Term:
    """One word of a full-text query: any of its `forms`, or with `prefix`, longer words too."""

    forms: tuple[str, ...]
    prefix: bool = False

    def matches(self, token: str) -> bool:
        """Whether a lowercase word of a text is one this term found (for highlighting)."""
        return token in self.forms or (
            self.prefix and any(token.startswith(form) for form in self.forms)
        )


def whole_word_terms(words: Sequence[str]) -> list[Term]:
    """Terms matching each word's singular and plural forms."""
    return [Term(word_forms(word)) for word in words]


def prefix_terms(words: Sequence[str]) -> list[Term]:
    """Terms matching words that start with each word's stem (4+ letters) instead."""
    return [Term((stem(word),), prefix=len(stem(word)) >= PREFIX_MIN) for word in words]


def _fts5(terms: Sequence[Term], any_word: bool = False, columns: str = "") -> str:
    parts = []
    for term in terms:
        forms = [
            '"' + f.replace('"', '""') + '"' + ("*" if term.prefix else "") for f in term.forms
        ]
        parts.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
    expression = (" OR " if any_word else " AND ").join(parts)
    return f"{columns} : ({expression})" if columns else expression


def _tsquery(terms: Sequence[Term], joiner: str = "&", weights: str = "") -> str:
    parts = []
    for term in terms:
        suffix = ":" + ("*" if term.prefix else "") + weights if term.prefix or weights else ""
        forms = [f"'{form.replace(chr(39), '')}'{suffix}" for form in term.forms]
        parts.append(forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")")
    return f" {joiner} ".join(parts)


def _dialect(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _kinds_filter(kinds: Sequence[str], params: dict[str, Any]) -> str:
    if not kinds:
        return ""
    names = []
    for number, kind in enumerate(kinds):
        params[f"kind{number}"] = kind
        names.append(f":kind{number}")
    return f" AND s.kind IN ({', '.join(names)})"


_SQLITE_SEARCH = """
WITH hits(id, score) AS (
    SELECT rowid, -bm25(statement_search, 8.0, 4.0, 1.0)
    FROM statement_search WHERE statement_search MATCH :q
    UNION ALL
    SELECT sm.statement_id, -0.5 * bm25(steelman_search)
    FROM steelman_search JOIN steelmen sm ON sm.id = steelman_search.rowid
    WHERE steelman_search MATCH :q AND sm.workspace_id = :ws AND sm.deleted_at IS NULL
), ranked AS (
    SELECT h.id AS id, max(h.score) AS score
    FROM hits h JOIN statements s ON s.id = h.id
    WHERE s.workspace_id = :ws AND s.deleted_at IS NULL
    GROUP BY h.id
    ORDER BY score DESC, h.id DESC
    LIMIT :cap
)
SELECT id, count(*) OVER () FROM ranked ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset
"""

_POSTGRES_SEARCH = """
WITH q AS (SELECT to_tsquery('simple', :q) AS q), hits AS (
    SELECT s.id AS id, ts_rank(s.search_vector, q.q) AS score
    FROM statements s, q
    WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.search_vector @@ q.q
    UNION ALL
    SELECT sm.statement_id, 0.5 * ts_rank(sm.search_vector, q.q)
    FROM steelmen sm JOIN statements s ON s.id = sm.statement_id, q
    WHERE sm.workspace_id = :ws AND sm.deleted_at IS NULL AND s.deleted_at IS NULL
      AND sm.search_vector @@ q.q
), ranked AS (
    SELECT id, max(score) AS score FROM hits GROUP BY id ORDER BY score DESC, id DESC LIMIT :cap
)
SELECT id, count(*) OVER () FROM ranked ORDER BY score DESC, id DESC LIMIT :limit OFFSET :offset
"""


@dataclass(frozen=True)
class SearchHits:
    """A page of matching statement ids, best first, the total (capped), and the terms used."""

    ids: list[int]
    total: int
    terms: list[Term]


async def forget_deleted_words(session: AsyncSession) -> None:
    """Make the index really let go of the words of rows just deleted (for /forget-me).

    An FTS5 index records a deletion as a new entry that cancels the old one:
    the words stay in its shadow tables until segments are merged. 'optimize'
    merges every segment into one, which drops cancelled entries for good. It
    rewrites the whole index (cost grows with the index), which is why only
    forgetting a member does it. PostgreSQL keeps each row's words in the row
    itself (a generated column), so deleting the row is enough there.
    """
    if _dialect(session) != "sqlite":
        return
    for table in ("statement_search", "steelman_search"):
        await session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


async def ranked_ids(
    session: AsyncSession, workspace_id: int, words: Sequence[str], offset: int, limit: int
) -> SearchHits:
    """A page of live statements matching every word, best first, and the total.

    A statement matches when its nickname, title and text hold every word, or
    one of its live steelmen does. Words match whole (in their singular and
    plural forms); only when that finds nothing do words of four letters or more
    match as prefixes, so `interp` still finds "interpretability". The prefix
    pass costs more on a large workspace (every word starting alike is read),
    which is why it is not the first. The total stops at `COUNT_CAP`.
    """
    exact = whole_word_terms(words)
    if not exact:
        return SearchHits([], 0, [])
    ids, total = await _ranked(session, workspace_id, exact, offset, limit)
    loose = prefix_terms(words)
    if total or not any(term.prefix for term in loose):
        return SearchHits(ids, total, exact)
    ids, total = await _ranked(session, workspace_id, loose, offset, limit)
    return SearchHits(ids, total, loose)


async def _ranked(
    session: AsyncSession, workspace_id: int, terms: Sequence[Term], offset: int, limit: int
) -> tuple[list[int], int]:
    postgres = _dialect(session) == "postgresql"
    query = text(_POSTGRES_SEARCH if postgres else _SQLITE_SEARCH)
    params: dict[str, Any] = {
        "q": _tsquery(terms) if postgres else _fts5(terms),
        "ws": workspace_id,
        "cap": COUNT_CAP,
        "limit": limit,
        "offset": offset,
    }
    rows = (await session.execute(query, params)).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][1])
    if offset == 0:
        return [], 0
    # Past the last page: count from the start, so the footer can say where the end is.
    params.update(offset=0, limit=1)
    rows = (await session.execute(query, params)).all()
    return [], int(rows[0][1]) if rows else 0


async def name_match_ids(
    session: AsyncSession,
    workspace_id: int,
    words: Sequence[str],
    kinds: Sequence[str],
    limit: int,
    *,
    nickname_only: bool = False,
    any_word: bool = False,
) -> list[int]:
    """Live statements whose nickname or title has words starting with `words`, best first.

    All words must match (or any, with `any_word`); each matches as a prefix,
    which is what someone part-way through typing a word needs.
    """
    terms = [Term((w,), prefix=True) for w in words if w]
    if not terms:
        return []
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit}
    kinds_sql = _kinds_filter(kinds, params)
    if _dialect(session) == "postgresql":
        params["q"] = _tsquery(terms, "|" if any_word else "&", "A" if nickname_only else "AB")
        sql = (
            "SELECT s.id FROM statements s, to_tsquery('simple', :q) q "
            "WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.search_vector @@ q"
            f"{kinds_sql} ORDER BY ts_rank(s.search_vector, q) DESC, s.id LIMIT :limit"
        )
    else:
        columns = "slug" if nickname_only else "{slug title}"
        params["q"] = _fts5(terms, any_word, columns)
        sql = (
            "SELECT s.id FROM statement_search f JOIN statements s ON s.id = f.rowid "
            "WHERE statement_search MATCH :q AND s.workspace_id = :ws AND s.deleted_at IS NULL"
            f"{kinds_sql} ORDER BY f.rank, s.id LIMIT :limit"
        )
    return [row[0] for row in await session.execute(text(sql), params)]


def similar_query(
    dialect: str, workspace_id: int, content_words: Sequence[str], limit: int = 5
) -> tuple[TextClause, dict[str, Any]]:
    """Live statements holding every one of the given words (exact words), newest first.

    The query selects whole statement rows (`s.*`), for loading them as
    statements in the same round trip. It does not rank: every row holds all
    the words and the caller compares them word for word anyway, while bm25
    would read the whole index entry of each word to weigh it (12 ms for a word
    in a third of a million statements).
    """
    terms = [Term((w,)) for w in content_words]
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit}
    if dialect == "postgresql":
        params["q"] = _tsquery(terms)
        sql = (
            "SELECT s.* FROM statements s, to_tsquery('simple', :q) q "
            "WHERE s.workspace_id = :ws AND s.deleted_at IS NULL AND s.search_vector @@ q "
            "ORDER BY s.id DESC LIMIT :limit"
        )
    else:
        params["q"] = _fts5(terms)
        sql = (
            "SELECT s.* FROM statement_search f JOIN statements s ON s.id = f.rowid "
            "WHERE statement_search MATCH :q AND s.workspace_id = :ws AND s.deleted_at IS NULL "
            "ORDER BY s.id DESC LIMIT :limit"
        )
    return text(sql), params


def content_words(raw: str) -> set[str]:
    """The words that carry a statement's meaning: 3+ letters, not stopwords."""
    return {w for w in _WORD.findall(raw.lower()) if len(w) >= 3 and w not in STOPWORDS}


def likeness(a: str, b: str) -> float:
    """How alike two statements' wording is: shared content words over all (Jaccard)."""
    left, right = content_words(a), content_words(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def highlight(raw: str, terms: Sequence[Term], width: int = 160) -> str | None:
    """A one-line window of `raw` around the first query word, words in **bold**.

    None when no word of the query occurs in the text (the match was elsewhere).
    A word counts when one of the search's `terms` matched it.
    """
    flat = " ".join(raw.split()).replace("**", "")
    if not terms or not flat:
        return None
    spans = []
    for match in _WORD.finditer(flat):
        token = match.group().lower()
        if any(term.matches(token) for term in terms):
            spans.append((match.start(), match.end()))
    if not spans:
        return None
    first = spans[0][0]
    start = max(0, first - width // 3)
    if start:
        start = flat.find(" ", start) + 1 or start
        start = min(start, first)
    end = min(len(flat), start + width)
    if end < len(flat):
        cut = flat.rfind(" ", spans[0][1], end)
        end = cut if cut > 0 else end
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(flat[position:span_start])
        pieces.append(f"**{flat[span_start:span_end]}**")
        position = span_end
    pieces.append(flat[position:end])
    return ("…" if start else "") + "".join(pieces) + ("…" if end < len(flat) else "")
