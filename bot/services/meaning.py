"""Embedding statements in the background, and a question's meaning for `/ask`.

A command never waits for a provider to embed what it wrote: after a write
commits, `Cruxbot` nudges the `Meaning` worker, which embeds in its own
transactions whatever live statement has no vector for its current version,
a batch at a time. The same pass is the backfill: on start-up it finds every
statement logged before the provider was configured (or with another model).

A failing or slow provider never breaks a command: each call is bounded by a
timeout, a failure is logged and the pass is tried again later (with a
growing pause), and while the provider is failing `/ask` does not wait for it
at all and answers from words alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.embeddings import EmbeddingError, EmbeddingProvider, checked
from bot.storage import vector_queries
from bot.storage.vector_queries import Among

log = logging.getLogger(__name__)

#: Statements embedded in one request to the provider.
BATCH = 32
#: Statements one query looks through (a range of ids, or a list of them).
WINDOW = 1_000
#: Revisions read again on every pass: on PostgreSQL one may commit after a later one.
SLACK = 500
#: Seconds before a failed pass is tried again, doubling after each failure up to the most.
RETRY_FIRST, RETRY_MOST = 5.0, 300.0
#: Seconds `/ask` waits for a question's vector before answering from words alone.
QUESTION_TIMEOUT = 2.0


class Meaning:
    """One provider, the background worker that keeps vectors current, and its health."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        provider: EmbeddingProvider,
        *,
        question_timeout: float = QUESTION_TIMEOUT,
    ) -> None:
        self.sessions = sessions
        self.provider = provider
        #: Seconds a batch of statements may take (the provider's own setting).
        self.timeout = provider.timeout
        self.question_timeout = question_timeout
        self._wake = asyncio.Event()
        #: One pass at a time in a process (two would embed the same statements twice).
        self._passing = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._retry = RETRY_FIRST
        #: Until when (monotonic clock) the provider counts as down: `/ask` skips it.
        self._down_until = 0.0
        #: Every statement up to this id has been looked at by this process.
        self._statements_seen = 0
        #: What every revision up to this id wrote has been looked at (None: not yet).
        self._revisions_seen: int | None = None
        #: The last revision when the first pass began: what came later is looked at after.
        self._first_pass_from: int | None = None

    @property
    def model(self) -> str:
        return self.provider.model

    def nudge(self) -> None:
        """Something was written: embed it soon (starts the worker on first use)."""
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="embeddings")

    async def close(self) -> None:
        """Stop the worker and the provider (what is not embedded is found on the next start)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.provider.close()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            done = await self.catch_up()
            if done:
                self._retry = RETRY_FIRST
                await self._wake.wait()
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._retry)
                self._retry = min(self._retry * 2, RETRY_MOST)

    async def catch_up(self) -> bool:
        """Embed every statement that needs it; False if the provider failed on the way.

        Processes sharing a database may race to store the same statement's
        vector; the loser's pass is logged and tried again later.
        """
        async with self._passing:
            return await self._pass()

    async def _pass(self) -> bool:
        """Look through every statement once, a range at a time; then only what is written.

        A pass after a write must not read a million statements to find the
        one that changed: after the first, a pass looks at the statements of
        the revisions recorded since (every command's write records one; an
        undo, which puts back an older `updated_at`, too) and at statements
        with higher ids than it has seen (a bulk write records none). Each
        query reads a range of primary keys, never the whole table.
        """
        async with self.sessions() as session:
            top_statement, top_revision = await vector_queries.tops(session)
        if self._revisions_seen is None and self._first_pass_from is None:
            self._first_pass_from = top_revision  # kept if this pass fails half-way
        if self._revisions_seen is not None:
            async with self.sessions() as session:
                since = max(0, self._revisions_seen - SLACK)
                ids = await vector_queries.written(session, since, top_revision)
            for start in range(0, len(ids), WINDOW):
                if not await self._embed_among(Among(ids=tuple(ids[start : start + WINDOW]))):
                    return False
        for after in range(self._statements_seen, top_statement, WINDOW):
            upto = min(after + WINDOW, top_statement)
            if not await self._embed_among(Among(after, upto)):
                return False
            self._statements_seen = upto
        first = self._revisions_seen is None
        self._revisions_seen = self._first_pass_from if first else top_revision
        return True

    async def _embed_among(self, among: Among) -> bool:
        """Embed those of these statements that need it; False if the provider failed."""
        async with self.sessions() as session, session.begin():
            await vector_queries.remove_deleted(session, among)
        after = 0
        while True:
            async with self.sessions() as session:
                batch = await vector_queries.pending(session, self.model, BATCH, among, after)
            if not batch:
                return True
            try:
                vectors = await self._embed([row.text for row in batch], self.timeout)
            except EmbeddingError as exc:
                log.warning(
                    "embedding %d statements failed, tried again later: %s", len(batch), exc
                )
                return False
            try:
                async with self.sessions() as session, session.begin():
                    await vector_queries.store(session, self.model, batch, vectors)
            except Exception:
                log.exception("storing %d statements' vectors failed", len(batch))
                return False
            after = batch[-1].statement_id

    async def question(self, text: str) -> list[float] | None:
        """The question's vector, or None (provider down, slow or wrong: words alone answer)."""
        if time.monotonic() < self._down_until:
            return None
        try:
            return (await self._embed([text], self.question_timeout))[0]
        except EmbeddingError as exc:
            log.warning("embedding a question failed; answering from its words: %s", exc)
            return None

    async def _embed(self, texts: Sequence[str], seconds: float) -> list[list[float]]:
        """The provider's vectors, checked, within `seconds`; a failure marks it down a while."""
        try:
            vectors = await asyncio.wait_for(self.provider.embed(texts), seconds)
            result = checked(vectors, len(texts))
        except TimeoutError as exc:
            self._down_until = time.monotonic() + self._retry
            raise EmbeddingError(f"no answer within {seconds:g} s") from exc
        except Exception as exc:  # a provider's own bug must not break a command either
            self._down_until = time.monotonic() + self._retry
            if isinstance(exc, EmbeddingError):
                raise
            raise EmbeddingError(f"{type(exc).__name__}: {exc}"[:300]) from exc
        self._down_until = 0.0
        return result
