"""Full-text search, on SQLite (FTS5) and PostgreSQL (tsvector + GIN).

The indexes are made by migration 0004 and kept in step by the database itself
(SQLite triggers, PostgreSQL generated columns), so every way a statement or a
steelman is written (commands, imports, undo, restore) updates them. They are
deliberately not in the SQLAlchemy models: `SEARCH_SCHEMA_OBJECTS` names them
so that Alembic's model comparison can leave them out (see `include_name`).

Two indexes each: words as written (0004), which completing a nickname or a
title as it is typed needs (`evalua` is a prefix of "evaluation"), and words
stemmed (0007), which searching and asking use (`capability` finds
"capabilities"): see `bot.storage.ranking`. Both databases tokenise the same
way (words of letters and digits, accents folded on SQLite), so a query finds
the same statements on both.

Every query here is bounded: ranked pages use LIMIT, counts stop at a cap, and
nothing reads a whole workspace into memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import Stemmer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

#: SQLite FTS5 tables over statements and steelmen: as written (0004), and stemmed (0007).
FTS5_TABLES = ("statement_search", "steelman_search", "statement_stems", "steelman_stems")

#: Tables, triggers, columns and indexes of the search indexes (not in the models).
SEARCH_SCHEMA_OBJECTS = frozenset(
    {
        # SQLite: FTS5 tables over statements and steelmen, their shadow tables, triggers.
        *FTS5_TABLES,
        # PostgreSQL: generated tsvector columns, their GIN indexes, the slug prefix index.
        "search_vector",
        "ix_statements_search_vector",
        "ix_steelmen_search_vector",
        "ix_slug_names_prefix",
        "stems_vector",
        "ix_statements_stems_vector",
        "ix_steelmen_stems_vector",
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


_ENGLISH = Stemmer.Stemmer("english")


@lru_cache(maxsize=4096)
def english_stem(word: str) -> str:
    """The Snowball English stem of a lowercase word (`capabilities` → `capabl`)."""
    return str(_ENGLISH.stemWord(word))


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic `include_name` hook: skip the search indexes when comparing models."""
    if name is None:
        return True
    if name in SEARCH_SCHEMA_OBJECTS:
        return False
    return not any(
        name == base + suffix for base in FTS5_TABLES for suffix in _FTS5_SHADOW_SUFFIXES
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


#: A query word this long (after its plural "s") may match as a prefix, when whole words fail.
PREFIX_MIN = 4


@dataclass(frozen=True)
class Term:
    """One word of a full-text query: any of its `forms`, or with `prefix`, longer words too.

    A term of a stemmed search also carries the `stems` the database matched
    (see `bot.storage.stemming`); a word of a text whose stem is one of them
    was found too.
    """

    forms: tuple[str, ...]
    prefix: bool = False
    stems: tuple[str, ...] = ()

    def matches(self, token: str) -> bool:
        """Whether a lowercase word of a text is one this term found (for highlighting)."""
        if token in self.forms:
            return True
        if self.prefix:
            return any(token.startswith(form) for form in self.forms)
        # A stem starts as its words do (bar a few like "dying", "die"): check that first.
        return any(token[:3] == s[:3] for s in self.stems) and english_stem(token) in self.stems


def stemmed_terms(words: Sequence[str]) -> list[Term]:
    """Terms matching the words of a text that share each word's stem (`boxes` for `box`)."""
    return [Term((word,), stems=(english_stem(word),)) for word in words]


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
    for table in FTS5_TABLES:
        await session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


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


def content_words(raw: str) -> set[str]:
    """The words that carry a statement's meaning: 3+ letters, not stopwords."""
    return {w for w in _WORD.findall(raw.lower()) if len(w) >= 3 and w not in STOPWORDS}


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
