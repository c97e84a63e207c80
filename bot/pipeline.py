"""The one path every command takes, whichever adapter it came from.

refused by its spec? → deduplicated by its request key → run in one unit of
work with that key claimed in the same transaction (retried on a lost race or
connection) → write limit → web link → observers told → a `Reply`, or the
"something went wrong (error id …)" reply for a failure nobody expected.

It is apart from `Cruxbot` (bot/app.py), which only adds the entry points
(typed lines, platform options, mentions, files) and the operations queries:
this is the part every entry point shares, so it is read and changed alone.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.commands.parser import ArgValue
from bot.commands.spec import COMMANDS_BY_NAME
from bot.context import Caller
from bot.errors import UserError, unexpected_failure
from bot.events import CommandEvent, CommandObserver
from bot.packs.loader import DEMO_PACK, load_pack
from bot.render.reply import ALREADY_HANDLED, APPLIED_BEFORE_RETRY, Reply
from bot.retries import retrying
from bot.services import credit, limits, meetings, packs
from bot.services.handlers import bound_handlers, handlers
from bot.services.registry import Handler, Rules
from bot.services.web_links import attach_link
from bot.storage import deliveries
from bot.storage.unit_of_work import UnitOfWork, reading_sessions

#: Logged as the application, as before the pipeline had a module of its own: hosts
#: find a member's error id under `bot.app`.
log = logging.getLogger("bot.app")


class CommandPipeline:
    """Runs a command exactly once, with its spec's rules, and always answers."""

    def __init__(
        self, engine: AsyncEngine, rules: Rules, *, demo_for_new_workspaces: bool = False
    ) -> None:
        """The database and the host's rules every command runs with."""
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        #: For commands that only read: outside any transaction (see reading_engine).
        self.reading_sessions = reading_sessions(engine)
        self.demo_for_new_workspaces = demo_for_new_workspaces
        #: The host's settings, given to the commands that follow them.
        self.rules = rules
        #: Workspace ids already committed, so a command need not look its tenant up.
        self._workspace_ids: dict[tuple[str, str], int] = {}
        #: Called after every command (metrics); an observer must be quick and not raise.
        self.observers: list[CommandObserver] = []
        #: Each command's handler, as registered beside its service (see bot.services.registry).
        self.handlers: dict[str, Handler] = bound_handlers(self.rules)

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
            if not reads_only and not await uow.deliveries.claim(caller.request_key):
                # Applied before: by an earlier delivery, or by this very command when
                # its connection died after the commit reached the database.
                return APPLIED_BEFORE_RETRY if connection_lost else ALREADY_HANDLED
            if uow.new_workspace and self.demo_for_new_workspaces:
                await packs.import_pack(uow, load_pack(DEMO_PACK))
            if "by" in args:
                await credit.credit(uow, str(args["by"]))
            reply = await run(uow, args)
            await limits.check_write_limit(uow, self.rules.write_limit)
        if not reads_only and self.rules.meaning is not None:
            self.rules.meaning.nudge()  # embedded in the background, never on the reply path
        # Committed: only now is a new workspace's id sure to exist.
        self._workspace_ids[(caller.platform, caller.workspace_id)] = uow.workspace_id
        if uow.notes:
            reply = replace(reply, footer="\n".join([reply.footer, *uow.notes]).strip())
        return reply
