"""What each interaction does: a core call in, an embed out.

Slash commands, button presses and form submissions all go through
`_answer`, which keeps Discord's rules: a request already handled (same
interaction id, e.g. a replay after a gateway resume) is not run again; work
that has not finished after `defer_after` seconds is deferred so the 3-second
deadline is met; and any unexpected failure becomes a short ephemeral error
whose id is also logged. Autocomplete and opening a form need no database
write, so they answer directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from typing import Any

import discord
from discord import app_commands

from adapters.discord.callers import DM_REFUSAL, interaction_caller, jump_url
from adapters.discord.forms import (
    FORM_PREFIX,
    PendingForms,
    PendingLog,
    action_modal,
    log_modal,
    submitted_values,
)
from adapters.discord.render import NO_MENTIONS, render
from adapters.discord.uploads import import_attachment
from adapters.inflight import InFlight
from bot.app import Cruxbot
from bot.commands.actions import decode_action, form_arguments
from bot.commands.forms import log_as_action
from bot.commands.spec import Autocomplete, CommandSpec
from bot.context import Caller
from bot.errors import UserError, unexpected_failure
from bot.render.clip import clip
from bot.render.reply import Reply

log = logging.getLogger(__name__)

#: Past this, the work is deferred ("Cruxbot is thinking…") and the answer edited in.
DEFER_AFTER_SECONDS = 1.5
CHOICES_MAX = 25
CHOICE_MAX = 100
FORM_EXPIRED = "This form has expired; use the menu on the message again."
#: Shown for a moment in place of "thinking…" when the answer turns out to be private.
ANSWERED_PRIVATELY = "Answered privately."

Work = Callable[[Caller], Awaitable[Reply]]


class InteractionHandler:
    """Turns interactions into core calls; shared by every command of the tree."""

    def __init__(
        self,
        core: Cruxbot,
        moderator_roles: Sequence[str] = (),
        *,
        forms: PendingForms | None = None,
        defer_after: float = DEFER_AFTER_SECONDS,
        in_flight: InFlight | None = None,
    ) -> None:
        self.core = core
        self.moderator_roles = tuple(moderator_roles)
        self.forms = forms or PendingForms()
        self.defer_after = defer_after
        self.in_flight = in_flight or InFlight()

    def caller(self, interaction: discord.Interaction) -> Caller | None:
        """The member behind the interaction (None in direct messages)."""
        return interaction_caller(interaction, self.moderator_roles)

    # -- called by the generated commands (schema.Handlers) --------------------------

    async def slash(
        self, interaction: discord.Interaction, spec: CommandSpec, values: dict[str, Any]
    ) -> None:
        """Run a slash command; option values go to the core as the text Discord sent.

        An attached file (`/import file:`) is downloaded and imported instead.
        """
        files = [v for v in values.values() if isinstance(v, discord.Attachment)]
        users = {n: v for n, v in values.items() if isinstance(v, discord.User | discord.Member)}
        args = {
            name: f"<@{users[name].id}>" if name in users else str(value)
            for name, value in values.items()
            if value is not None and not isinstance(value, discord.Attachment)
        }
        named = tuple((str(user.id), user.display_name) for user in users.values())
        if files:
            pack = args.get("pack")
            await self._answer(
                interaction, lambda caller: import_attachment(self.core, files[0], caller, pack)
            )
            return
        await self._answer(
            interaction,
            lambda caller: self.core.run(spec.name, args, replace(caller, member_names=named)),
            reads_only=self.core.reads_only(spec.name, args),
        )

    async def suggest(
        self, interaction: discord.Interaction, source: Autocomplete, typed: str
    ) -> list[app_commands.Choice[str]]:
        """At most 25 suggestions, each label and value at most 100 characters."""
        try:
            caller = self.caller(interaction)
            if caller is None:
                return []
            found = await self.core.autocomplete(source, typed or "", caller)
            return [
                app_commands.Choice(name=clip(c.label, CHOICE_MAX), value=c.value[:CHOICE_MAX])
                for c in found[:CHOICES_MAX]
            ]
        except Exception:
            log.exception("autocomplete from %s failed", source.value)
            return []

    async def log_message(
        self, interaction: discord.Interaction, message: discord.Message, command: str
    ) -> None:
        """Open the "Log as …" form, prefilled with the message's text."""
        try:
            if self.caller(interaction) is None or interaction.guild_id is None:
                await self.send(interaction, Reply.failure(DM_REFUSAL))
                return
            token = self.forms.add(
                PendingLog(
                    command=command,
                    opened_by=str(interaction.user.id),
                    author_id=str(message.author.id),
                    author_name=message.author.display_name,
                    text=message.content,
                    origin_url=jump_url(interaction.guild_id, message.channel.id, message.id),
                    opened_at=time.monotonic(),
                )
            )
            modal = log_modal(command, token, message.content)
            await interaction.response.send_modal(modal)
        except Exception as exc:
            await self.send_failure(interaction, f"menu 'Log as {command}'", exc)

    # -- components and modal submissions (routed by custom id) ----------------------

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Handle a button press or a form submission; other kinds are the tree's."""
        if interaction.type is discord.InteractionType.component:
            await self._press(interaction)
        elif interaction.type is discord.InteractionType.modal_submit:
            await self._submit(interaction)

    async def _press(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        try:
            action = decode_action(str(data.get("custom_id", "")))
        except UserError as exc:
            await self.send(interaction, Reply.failure(exc.message, exc.hint))
            return
        if action.ask or action.offer:
            try:
                if self.caller(interaction) is None:
                    await self.send(interaction, Reply.failure(DM_REFUSAL))
                    return
                await interaction.response.send_modal(action_modal(action))
            except Exception as exc:
                await self.send_failure(interaction, f"button {action.command}", exc)
            return
        await self._answer(
            interaction,
            lambda caller: self.core.run(action.command, action.arguments, caller),
            reads_only=self.core.reads_only(action.command, action.arguments),
        )

    async def _submit(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        values = submitted_values(data)
        if custom_id.startswith(FORM_PREFIX):
            token = custom_id[len(FORM_PREFIX) :]
            await self._answer(
                interaction, lambda caller: self._log_from_form(token, values, caller)
            )
            return
        try:
            action = decode_action(custom_id)
        except UserError as exc:
            await self.send(interaction, Reply.failure(exc.message, exc.hint))
            return
        args = form_arguments(action, values)
        await self._answer(interaction, lambda caller: self.core.run(action.command, args, caller))

    async def _log_from_form(self, token: str, values: dict[str, str], caller: Caller) -> Reply:
        form = self.forms.take(token, caller.user_id)
        if form is None:
            return Reply.failure(FORM_EXPIRED)
        args = form_arguments(log_as_action(form.command), values)
        return await self.core.run(form.command, args, form.submitted_by(caller))

    # -- answering ---------------------------------------------------------------------

    async def _answer(
        self, interaction: discord.Interaction, work: Work, *, reads_only: bool = False
    ) -> None:
        """Run `work` once per interaction id and send its reply in time.

        Work that only reads skips recording the id: a replay of it changes nothing.
        """
        async with self.in_flight.track():
            await self._answer_now(interaction, work, reads_only)

    async def _answer_now(
        self, interaction: discord.Interaction, work: Work, reads_only: bool
    ) -> None:
        try:
            caller = self.caller(interaction)
            if caller is None:
                await self.send(interaction, Reply.failure(DM_REFUSAL))
                return

            if not reads_only:  # a replayed lookup changes nothing: no key to record
                caller = replace(caller, request_key=f"discord:{interaction.id}")
            task = asyncio.ensure_future(work(caller))
            done, _ = await asyncio.wait({task}, timeout=self.defer_after)
            if not done:
                await interaction.response.defer(thinking=True)
            reply = await task
            if reply.already_handled:
                log.info("interaction %s was handled before; not run again", interaction.id)
                if interaction.response.is_done():
                    await interaction.delete_original_response()
                return
            await self.send(interaction, reply)
        except Exception as exc:
            await self.send_failure(interaction, f"interaction {interaction.id}", exc)

    async def send(self, interaction: discord.Interaction, reply: Reply) -> None:
        """Send a reply as the interaction's response, or in place of a deferred one."""
        rendered = render(reply, interaction.filesize_limit)
        extra: dict[str, Any] = {}
        if rendered.view is not None:
            extra["view"] = rendered.view
        if rendered.file is not None:
            extra["file"] = rendered.file
        if not interaction.response.is_done():
            await interaction.response.send_message(
                embed=rendered.embed,
                ephemeral=rendered.ephemeral,
                allowed_mentions=NO_MENTIONS,
                **extra,
            )
        elif rendered.ephemeral:
            # Deferred in public. Discord makes the first follow-up after a deferral as
            # public as the deferral, whatever its flags: settle the "thinking…" message
            # first, answer privately, then remove the placeholder.
            await interaction.edit_original_response(
                content=ANSWERED_PRIVATELY, allowed_mentions=NO_MENTIONS
            )
            await interaction.followup.send(
                embed=rendered.embed, ephemeral=True, allowed_mentions=NO_MENTIONS, **extra
            )
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
        else:
            if "file" in extra:
                extra["attachments"] = [extra.pop("file")]
            await interaction.edit_original_response(
                embed=rendered.embed, allowed_mentions=NO_MENTIONS, **extra
            )

    async def send_failure(
        self, interaction: discord.Interaction, context: str, exc: BaseException | None = None
    ) -> None:
        """Log an unexpected failure and tell the member, privately, its error id."""
        reply = unexpected_failure(context, exc, logger=log)
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
                return
            await self.send(interaction, reply)
        except Exception:
            log.exception("could not report the failure of %s to the member", context)
