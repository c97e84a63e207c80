"""The core's front door: a command in, a Reply out.

Adapters hold one `Cruxbot` and call `handle_line` (typed text) or `run`
(options already split by the platform). Each command runs in its own unit of
work: it is committed before the reply is returned, and a failure leaves
nothing half-done. No exception ever reaches an adapter; unexpected ones are
logged with an id the user is shown. The path every command takes is
`CommandPipeline` (bot/pipeline.py); this module adds the ways in and the
questions an adapter asks before or around a command (suggestions, option
problems, health, forgotten meetings).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.commands.parser import bind_arguments, find_command, parse_line
from bot.commands.spec import COMMANDS_BY_NAME, Autocomplete
from bot.context import Caller
from bot.embeddings import EmbeddingProvider
from bot.errors import UserError
from bot.events import SWEEPER_ID, ClosedMeeting
from bot.packs.loader import Pack
from bot.pipeline import CommandPipeline
from bot.render.reply import Reply
from bot.services import ask, autocomplete, exports, forget, meetings, packs, preflight
from bot.services.autocomplete import Choice
from bot.services.help import help_reply
from bot.services.limits import WriteLimit
from bot.services.meaning import Meaning
from bot.services.registry import DEFAULT_MAX_AGE, Args, Rules
from bot.services.web_access import WebAccess
from bot.services.web_pages import WebPages
from bot.storage import health, migrate
from bot.storage.database import create_engine
from bot.storage.meeting_queries import forgotten_meetings
from bot.storage.models import utcnow
from bot.storage.unit_of_work import UnitOfWork
from bot.storage.workspace_queries import WorkspaceRepository

log = logging.getLogger(__name__)


class Cruxbot(CommandPipeline):
    """The application: a database and the rules, shared by every adapter."""

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        demo_for_new_workspaces: bool = False,
        meeting_max_age: timedelta = DEFAULT_MAX_AGE,
        forget_mode: str = "delete",
        write_limit: WriteLimit | None = None,
        web: WebAccess | None = None,
        embeddings: EmbeddingProvider | None = None,
    ) -> None:
        """Wrap an engine whose schema is up to date.

        Args:
            engine: the database.
            demo_for_new_workspaces: load the demo pack into each workspace the
                first time it is seen (`cruxbot serve --demo`).
            meeting_max_age: a meeting still open after this long is closed
                automatically, with minutes, by the next command in its channel.
            forget_mode: what /forget-me does to statements and steelmen:
                "delete" them or "anonymise" them.
            write_limit: how many changing commands a member may run per window.
            web: the web view's secret and public address (links on replies, /web).
            embeddings: what `/ask` also matches meaning with (None: words alone).
        """
        # Vectors are made in sessions of their own, off every command's path.
        meaning = (
            Meaning(async_sessionmaker(engine, expire_on_commit=False), embeddings)
            if embeddings is not None
            else None
        )
        super().__init__(
            engine,
            Rules(
                meeting_max_age,
                forget.check_mode(forget_mode),
                write_limit or WriteLimit(),
                web or WebAccess(),
                meaning,
            ),
            demo_for_new_workspaces=demo_for_new_workspaces,
        )
        #: The read-only web view's pages (served by adapters/web).
        self.pages = WebPages(self.reading_sessions, self.rules.web)

    @property
    def web(self) -> WebAccess:
        """Where the web pages are and how links to them are made (the console may set them)."""
        return self.rules.web

    @classmethod
    async def open(
        cls,
        database_url: str,
        *,
        upgrade: bool = True,
        demo_for_new_workspaces: bool = False,
        meeting_max_age: timedelta = DEFAULT_MAX_AGE,
        forget_mode: str = "delete",
        write_limit: WriteLimit | None = None,
        web: WebAccess | None = None,
        embeddings: EmbeddingProvider | None = None,
    ) -> Cruxbot:
        """Connect to the database and, by default, bring its schema up to date."""
        engine = create_engine(database_url)
        if upgrade:
            await migrate.upgrade(engine)
        app = cls(
            engine,
            demo_for_new_workspaces=demo_for_new_workspaces,
            meeting_max_age=meeting_max_age,
            forget_mode=forget_mode,
            write_limit=write_limit,
            web=web,
            embeddings=embeddings,
        )
        if app.rules.meaning is not None:
            app.rules.meaning.nudge()  # the backfill: statements logged before, or another model
        return app

    async def close(self) -> None:
        """Release every database connection (after the web maps still being drawn)."""
        await self.pages.drawings.close()
        if self.rules.meaning is not None:
            await self.rules.meaning.close()
        await self.engine.dispose()

    async def handle_line(self, line: str, caller: Caller) -> Reply:
        """Run a typed command line such as `/objection lag`."""
        try:
            parsed = parse_line(line)
        except UserError as exc:
            return Reply.failure(exc.message, exc.hint)
        return await self._execute(parsed.name, parsed.args, caller)

    async def run(self, name: str, raw_args: Mapping[str, str], caller: Caller) -> Reply:
        """Run a command whose options the platform delivered separately.

        Values are validated exactly as typed ones are: `raw_args` maps option
        names to the text the user gave for each. Free text is kept as given,
        surrounding whitespace included.
        """
        try:
            spec = find_command(name)
            args = bind_arguments(spec, raw_args)
        except UserError as exc:
            return Reply.failure(exc.message, exc.hint)
        return await self._execute(spec.name, args, caller)

    async def problems(
        self, name: str, raw_args: Mapping[str, str], caller: Caller, asked: Collection[str] = ()
    ) -> dict[str, str]:
        """What is wrong with each option of a command before it runs (see `preflight`).

        Only reads: a workspace never seen is not created by asking.
        """
        spec = COMMANDS_BY_NAME.get(name)
        if spec is None:
            return {}
        args, found = preflight.option_problems(spec, raw_args, asked)
        key = (caller.platform, caller.workspace_id)
        if key not in self._workspace_ids:
            async with self.reading_sessions() as session:
                known = await WorkspaceRepository(session).find(*key)
            if known is None:
                return found | await preflight.reading_target_problem(None, spec, args)
            self._workspace_ids[key] = known
        async with self.unit_of_work(caller, read_only=True) as uow:
            if found:  # every problem at once: the map is only asked about `to:`
                return found | await preflight.reading_target_problem(uow, spec, args)
            return await preflight.workspace_problems(uow, spec, args)

    async def answer_mention(self, text: str, caller: Caller) -> Reply:
        """Answer a message addressed to the bot (`@Cruxbot lag`).

        A command runs as typed (with or without its slash), a known nickname
        shows that statement, and anything else is a question, answered as
        `/ask` answers it.
        """
        words = text.split()
        if not words:
            return help_reply(None)
        if words[0].lstrip("/").lower() in COMMANDS_BY_NAME:
            return await self.handle_line(text, caller)
        return await self._execute(
            "mention",
            {},
            caller,
            lambda uow, _: ask.mention(uow, text, self.rules.meaning),
            reads_only=True,
        )

    async def autocomplete(self, source: Autocomplete, typed: str, caller: Caller) -> list[Choice]:
        """Suggestions for an option while the member types; never raises."""
        try:
            async with self.unit_of_work(caller) as uow:
                return await autocomplete.complete(uow, source, typed)
        except Exception:
            log.exception("autocomplete for %s failed", source.value)
            return []

    async def database_ok(self) -> bool:
        """Whether the database answers (for health checks); never raises."""
        return await health.database_answers(self.engine)

    def commands_in_flight(self) -> int | None:
        """How many commands hold a database connection now (None: the pool cannot tell).

        A command holds its connection from its first query to its commit, so
        zero means no command is halfway through its transaction.
        """
        return health.connections_in_use(self.engine)

    async def open_meetings(self) -> int:
        """How many meetings are open across all workspaces (for metrics)."""
        async with self.reading_sessions() as session:
            return await health.open_meeting_count(session)

    async def close_forgotten_meetings(self, platform: str) -> list[ClosedMeeting]:
        """Close this platform's meetings left open past the maximum age, with their minutes.

        Adapters run this now and then and post each meeting's minutes in its
        channel; a meeting nobody sweeps is still closed by the next command there.
        """
        cutoff = utcnow() - self.rules.meeting_max_age
        async with self.reading_sessions() as session:
            due = await forgotten_meetings(session, platform, cutoff)
        closed = []
        for meeting_id, workspace, channel_id in due:
            caller = Caller(platform, workspace, SWEEPER_ID, "Cruxbot", channel_id)
            try:
                async with self.unit_of_work(caller) as uow:
                    minutes = await meetings.close_forgotten(
                        uow, meeting_id, self.rules.meeting_max_age
                    )
            except Exception:
                log.exception("closing forgotten meeting %d failed", meeting_id)
                continue
            if minutes is not None:
                closed.append(ClosedMeeting(workspace, channel_id, minutes))
        return closed

    async def import_file(self, name: str, content: bytes, caller: Caller) -> Reply:
        """Import an attached or given file: JSON export, reading pack or Kialo text."""

        async def run(uow: UnitOfWork, _: Args) -> Reply:
            return await exports.import_file(uow, name, content)

        return await self._execute("import", {}, caller, run)

    async def export_text(self, fmt: str, reading: str | None, caller: Caller) -> tuple[str, str]:
        """(file name, text) of the caller's workspace in a format, for the CLI.

        Raises:
            UserError: the reading does not exist.
        """
        async with self.unit_of_work(caller) as uow:
            return await exports.export_text(uow, fmt, reading)

    async def import_pack(self, pack: Pack, caller: Caller) -> Reply:
        """Load a parsed reading pack into the caller's workspace."""
        try:
            async with self.unit_of_work(caller) as uow:
                return await packs.import_pack(uow, pack)
        except UserError as exc:
            return Reply.failure(exc.message, exc.hint)
