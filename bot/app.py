"""The core's front door: a command in, a Reply out.

Adapters hold one `Cruxbot` and call `handle_line` (typed text) or `run`
(options already split by the platform). Each command runs in its own unit of
work: it is committed before the reply is returned, and a failure leaves
nothing half-done. No exception ever reaches an adapter; unexpected ones are
logged with an id the user is shown.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.commands.parser import ArgValue, bind_arguments, find_command, parse_line
from bot.commands.spec import COMMANDS_BY_NAME, Autocomplete
from bot.context import Caller
from bot.embeddings import EmbeddingProvider
from bot.errors import UserError, unexpected_failure
from bot.events import SWEEPER_ID, ClosedMeeting, CommandEvent, CommandObserver
from bot.packs.loader import DEMO_PACK, Pack, load_pack
from bot.render.reply import ALREADY_HANDLED, APPLIED_BEFORE_RETRY, Reply
from bot.retries import retrying
from bot.services import (
    ask,
    autocomplete,
    credit,
    exports,
    forget,
    limits,
    meetings,
    packs,
    preflight,
)
from bot.services.autocomplete import Choice
from bot.services.handlers import bound_handlers, handlers
from bot.services.help import help_reply
from bot.services.limits import WriteLimit
from bot.services.meaning import Meaning
from bot.services.registry import DEFAULT_MAX_AGE, Args, Handler, Rules
from bot.services.web_access import WebAccess
from bot.services.web_links import attach_link
from bot.services.web_pages import WebPages
from bot.storage import deliveries, health, migrate
from bot.storage.database import create_engine
from bot.storage.meeting_queries import forgotten_meetings
from bot.storage.models import utcnow
from bot.storage.repositories import WorkspaceRepository
from bot.storage.unit_of_work import UnitOfWork, reading_sessions

log = logging.getLogger(__name__)


class Cruxbot:
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
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        #: For commands that only read: outside any transaction (see reading_engine).
        self.reading_sessions = reading_sessions(engine)
        self.demo_for_new_workspaces = demo_for_new_workspaces
        #: The host's settings, given to the commands that follow them.
        self.rules = Rules(
            meeting_max_age,
            forget.check_mode(forget_mode),
            write_limit or WriteLimit(),
            web or WebAccess(),
            Meaning(self.sessions, embeddings) if embeddings is not None else None,
        )
        #: The read-only web view's pages (served by adapters/web).
        self.pages = WebPages(self.reading_sessions, self.rules.web)
        #: Workspace ids already committed, so a command need not look its tenant up.
        self._workspace_ids: dict[tuple[str, str], int] = {}
        #: Called after every command (metrics); an observer must be quick and not raise.
        self.observers: list[CommandObserver] = []
        #: Each command's handler, as registered beside its service (see bot.services.registry).
        self.handlers: dict[str, Handler] = bound_handlers(self.rules)

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

    def reads_only(self, name: str, args: Collection[str]) -> bool:
        """Whether a command, run with these options, only reads (its spec says).

        Running such a command twice changes nothing, so adapters need not
        record its request id to refuse a replay (a write saved per lookup).
        """
        spec = COMMANDS_BY_NAME.get(name)
        return spec is not None and spec.only_reads(args)

    def refusal(self, name: str, caller: Caller) -> Reply | None:
        """Why `caller` may not run `/name` at all (None if they may), from its spec.

        Every command is checked here before it runs; adapters ask too before
        work a refused caller must not cause (downloading a file to import).
        """
        spec = COMMANDS_BY_NAME.get(name)
        if spec is None or not spec.moderator_only or caller.is_moderator:
            return None
        return Reply.failure(
            f"Only a moderator can run /{name} in this workspace.", "Ask a moderator to run it."
        )

    def unit_of_work(self, caller: Caller, *, read_only: bool = False) -> UnitOfWork:
        """A unit of work for one command, knowing the caller's workspace if seen before.

        A command that only reads runs outside a transaction, once its workspace
        is known (a new workspace is created, and maybe given the demo, first).
        """

        async def find_meeting(uow: UnitOfWork) -> str:
            return await meetings.attach_open_meeting(uow, self.rules.meeting_max_age)

        workspace_id = self._workspace_ids.get((caller.platform, caller.workspace_id))
        reading = read_only and workspace_id is not None
        return UnitOfWork(
            self.reading_sessions if reading else self.sessions,
            caller,
            workspace_id=workspace_id,
            meeting_finder=find_meeting,
        )

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

    async def first_delivery(self, key: str) -> bool:
        """Record a platform request id; False if it was handled before (a retry).

        For requests that change nothing themselves (opening a form, a lookup
        whose answer would show twice): a command that writes claims its key in
        its own transaction instead (see `Caller.request_key`).
        """

        async def attempt(_: bool) -> bool:
            async with self.sessions() as session, session.begin():
                return await deliveries.claim(session, key)

        return await retrying("delivery", attempt)

    async def _execute(
        self,
        name: str,
        args: Mapping[str, ArgValue],
        caller: Caller,
        handler: Handler | None = None,
        *,
        reads_only: bool = False,
    ) -> Reply:
        started = time.perf_counter()
        reads_only = reads_only or (handler is None and self.reads_only(name, args))
        reply = await self._run_command(name, args, caller, handler, reads_only)
        outcome = (
            "replayed"
            if reply.already_handled
            else "error"
            if reply.error_id
            else "refused"
            if reply.error
            else "ok"
        )
        event = CommandEvent(
            name, caller.platform, time.perf_counter() - started, outcome, reply.error_id
        )
        for observer in self.observers:
            try:
                observer(event)
            except Exception:
                log.exception("command observer failed")
        return reply

    async def _run_command(
        self,
        name: str,
        args: Mapping[str, ArgValue],
        caller: Caller,
        handler: Handler | None,
        reads_only: bool,
    ) -> Reply:
        refused = self.refusal(name, caller)
        if refused is not None:
            return refused
        entry = handlers().get(name)
        try:
            if handler is None and entry is not None and not entry.database:
                return await entry.function(**args)
            run = handler or self.handlers[name]
            if reads_only:
                if caller.request_key and not await self.first_delivery(caller.request_key):
                    return ALREADY_HANDLED
            elif not caller.request_key:
                # A key of its own makes a retry after a lost connection safe even when
                # the commit did reach the database: the retry finds the key.
                caller = replace(caller, request_key=f"core:{uuid.uuid4().hex}")

            async def attempt(connection_lost: bool) -> Reply:
                return await self._attempt(run, args, caller, reads_only, connection_lost)

            reply = await retrying(f"/{name}", attempt)
            workspace = self._workspace_ids.get((caller.platform, caller.workspace_id))
            if workspace is None:
                return reply
            return await attach_link(self.rules.web, self.sessions, workspace, name, args, reply)
        except UserError as exc:
            return Reply.failure(exc.message, exc.hint)
        except Exception as exc:
            return unexpected_failure(f"command /{name}", exc, nothing_changed=True, logger=log)

    async def _attempt(
        self,
        run: Handler,
        args: Mapping[str, ArgValue],
        caller: Caller,
        reads_only: bool,
        connection_lost: bool,
    ) -> Reply:
        """Run a command once, in one transaction with its request key."""
        async with self.unit_of_work(caller, read_only=reads_only) as uow:
            if not reads_only and not await deliveries.claim(uow.session, caller.request_key):
                # Applied before: by an earlier delivery, or by this very command when
                # its connection died after the commit reached the database.
                return APPLIED_BEFORE_RETRY if connection_lost else ALREADY_HANDLED
            if uow.new_workspace and self.demo_for_new_workspaces:
                await packs.import_pack(uow, load_pack(DEMO_PACK))
            if "by" in args:
                await credit.credit(uow, str(args["by"]))
            reply = await run(uow, args)
            await limits.check_write_limit(uow, self.rules.write_limit)
        # Committed: only now is a new workspace's id sure to exist.
        if not reads_only and self.rules.meaning is not None:
            self.rules.meaning.nudge()  # embedded in the background, never on the reply path
        self._workspace_ids[(caller.platform, caller.workspace_id)] = uow.workspace_id
        if uow.notes:
            reply = replace(reply, footer="\n".join([reply.footer, *uow.notes]).strip())
        return reply

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
