"""Showing and logging statements, and their steelmen."""

from __future__ import annotations

from dataclasses import replace

from bot.context import Caller
from bot.domain import (
    ALLOWED_TARGETS,
    ANSWERS_THE_READING,
    KINDS,
    article,
    count,
    derive_title,
    either,
    numbered_slug,
    slugify,
    validate_text,
)
from bot.errors import UserError
from bot.render.reply import Action, Reply, field_list
from bot.render.statements import merged_reply, statement_reply
from bot.services.common import find_statement, not_found
from bot.services.registry import handles
from bot.storage.models import SlugName, Statement, Steelman
from bot.storage.revisions import snapshot
from bot.storage.statement_view import Named
from bot.storage.unit_of_work import UnitOfWork


async def show_statement(uow: UnitOfWork, slug: str, kind: str = "statement") -> Reply:
    """The full view of a statement; a kind mismatch is shown, with a note.

    A nickname that was a merged statement's own shows what that statement
    said and where it went (see `merged_reply`), not the other statement alone.
    """
    view = await uow.statements.view(slug=slug)
    if view is not None and view.statement.slug != slug.lower():
        merged = await uow.statements.merged_under(slug)  # an alias: was it merged in?
        into = await uow.statements.by_id(merged.duplicate_of_id) if merged else None
        if merged is not None and into is not None:
            return merged_reply(merged, slug.lower(), Named(into.slug, into.title, into.kind))
    if view is None or (view.statement.deleted_at is not None and kind != "statement"):
        if view is not None:
            raise UserError(
                f"`{slug}` was deleted.", hint=f"/restore {view.statement.slug} brings it back."
            )
        raise await not_found(uow, slug, kind)
    statement = view.statement
    reply = statement_reply(view)
    if kind not in ("statement", statement.kind):
        shown = f"{article(statement.kind)} {statement.kind}"
        note = f"`{slug}` is {shown}, not {article(kind)} {kind}."
        reply = replace(reply, footer=note)
    return reply


async def full_view(uow: UnitOfWork, statement: Statement) -> Reply:
    """Load everything the statement view shows and render it."""
    view = await uow.statements.view(statement_id=statement.id)
    assert view is not None, "the statement was loaded in this unit of work"
    return statement_reply(view)


async def log_statement(
    uow: UnitOfWork,
    kind: str,
    slug: str,
    text: str,
    target_slug: str | None = None,
    reading_slug: str | None = None,
) -> Reply:
    """Log a new statement under a free slug; the reply shows it."""
    validate_text(text)
    taken = await uow.statements.nickname_owner(slug)
    if taken is not None:
        owner = await uow.statements.by_id(taken.statement_id)
        what = f"{owner.kind} `{owner.slug}`" if owner else "another statement"
        deleted = (
            " (deleted: /restore it or pick another nickname)" if owner and owner.deleted_at else ""
        )
        raise UserError(
            f"The nickname `{slug}` is taken by {what}{deleted}.",
            hint=f"Pick another, e.g. /{kind} {slug}-2 …, or add your point to /{kind} {slug}.",
        )
    target = await _target(uow, kind, target_slug)
    reading_id = await _reading_id(uow, reading_slug, target)
    if kind in ANSWERS_THE_READING and target is None and reading_id is None:
        raise UserError(
            f"Say which statement this {kind} answers, with `to:`: this channel has no "
            "reading it could answer as a whole.",
            hint=f"For example: /{kind} {slug} <text> to:some-claim, or set the channel's "
            "reading with /reading <slug>.",
        )
    source_id, source_name = quoted_source(uow.caller, text)
    statement = Statement(
        workspace_id=uow.workspace_id,
        kind=kind,
        slug=slug,
        title=derive_title(text),
        text=text,
        author_id=uow.author_id,
        author_name=uow.author_name,
        source_member_id=source_id,
        source_member_name=source_name,
        status="open",
        target_id=target.id if target else None,
        reading_id=reading_id,
        origin_url=uow.caller.origin_url,
        meeting_id=await uow.current_meeting(),
    )
    await uow.add(statement, f"logged {kind} {slug}")
    await uow.add(
        SlugName(workspace_id=uow.workspace_id, slug=slug, statement_id=statement.id),
        f"nickname {slug}",
        statement.id,
    )
    reply = await full_view(uow, statement)
    reply = replace(reply, footer=f"Logged {kind} `{slug}`. /undo takes it back.")
    similar = await uow.statements.similar(text, exclude_id=statement.id)
    return _looks_like(reply, similar[0]) if similar else reply


def same_words(original: str, text: str) -> bool:
    """Whether `text` is `original` word for word.

    Only whitespace may differ: platforms re-wrap and trim what a form sends
    back, and that changes nobody's words. Case and punctuation count.
    """
    return original.split() == text.split()


def quoted_source(caller: Caller, text: str) -> tuple[str, str]:
    """(id, name) of the member a logged text quotes, or ("", "").

    Logging someone's chat message makes the statement the logger's: they
    chose to log it and may have reworded it, so they own (and may edit) it.
    The message's writer is named as its source only while the text is their
    words word for word; any rewording drops that, so nobody is shown saying
    what they did not say. Logging your own message quotes nobody else.
    """
    quoted = caller.quoted
    if quoted is None or not quoted.author_id or quoted.author_id == caller.user_id:
        return "", ""
    if not same_words(quoted.text, text):
        return "", ""
    return quoted.author_id, quoted.author_name or quoted.author_id


def _looks_like(reply: Reply, existing: Statement) -> Reply:
    """Say the new statement looks like an existing one, and offer to join that one.

    It is logged all the same (the member may mean something different); the
    buttons take a stance on, or add a steelman to, the existing statement.
    """
    slug = existing.slug
    on = (("slug", slug),)
    notice = (
        f"This looks like `{slug}` ({existing.kind}: {existing.title}). If it says the same, "
        f"take a stance on `{slug}` or add a steelman there instead."
    )
    offers = (
        Action(f"Agree with {slug}", "agree", on, style="success"),
        Action(f"Disagree with {slug}", "disagree", on, style="danger"),
        Action(f"Steelman {slug}", "steelman", on, ask=("text",)),
    )
    return replace(reply, footer=f"{notice}\n{reply.footer}", actions=offers + reply.actions)


async def _target(uow: UnitOfWork, kind: str, target_slug: str | None) -> Statement | None:
    allowed = ALLOWED_TARGETS[kind]
    if not allowed:
        if target_slug:
            raise UserError(
                "A claim does not answer another statement: drop the `to:`.",
                hint="Log an objection, reply or support to answer a statement.",
            )
        return None
    if not target_slug and kind in ANSWERS_THE_READING:
        return None  # it answers the reading as a whole, if there is one (see log_statement)
    if not target_slug:
        what = " or ".join(allowed)
        raise UserError(
            f"Say which {what} this {kind} answers, with `to:`.",
            hint=f"For example: /{kind} my-point <text> to:some-{allowed[0]}",
        )
    target = await find_statement(uow, target_slug)
    if target.kind not in allowed:
        raise UserError(
            f"{article(kind).capitalize()} {kind} answers {either(allowed)}, "
            f"but `{target.slug}` is {article(target.kind)} {target.kind}."
        )
    return target


async def _reading_id(
    uow: UnitOfWork, reading_slug: str | None, target: Statement | None
) -> int | None:
    """An explicit reading, else the target's, else the channel's current one."""
    if reading_slug:
        reading = await uow.readings.by_slug(reading_slug)
        if reading is None:
            raise UserError(
                f"There is no reading `{reading_slug}`.",
                hint="/reading lists them; /reading <slug> <title> adds one.",
            )
        return reading.id
    if target is not None:
        return target.reading_id
    if uow.caller.channel_id:
        channel = await uow.channels.get(uow.caller.channel_id)
        return channel.current_reading_id
    return None


@handles(*KINDS, name_as="kind")
async def show_or_log(
    uow: UnitOfWork,
    kind: str,
    slug: str | None = None,
    text: str | None = None,
    to: str | None = None,
    reading: str | None = None,
) -> Reply:
    """`/objection lag` shows; `/objection lag <text>` logs.

    A form may log text without a nickname; one is then made from the text.
    """
    if text is None:
        for option, value in (("to", to), ("reading", reading)):
            if value is not None:
                raise UserError(f"`{option}:` only applies when logging: add the text too.")
        if slug is None:
            raise UserError("Give the nickname of the statement to show.")
        return await show_statement(uow, slug, kind)
    slug = slug if slug is not None else await free_slug(uow, slugify(text))
    return await log_statement(uow, kind, slug, text, to, reading)


async def free_slug(uow: UnitOfWork, base: str) -> str:
    """`base`, or `base-2`, `base-3`… whichever is free in the workspace."""
    candidate = base
    for number in range(2, 1000):
        if await uow.statements.nickname_owner(candidate) is None:
            return candidate
        candidate = numbered_slug(base, number)
    raise UserError("Please choose a nickname for it; every suggestion is taken.")


@handles("steelman")
async def steelman(uow: UnitOfWork, slug: str, text: str | None = None) -> Reply:
    """Show the best steelman, or add one."""
    statement = await find_statement(uow, slug)
    if text is not None:
        validate_text(text, "steelman")
        row = Steelman(
            workspace_id=uow.workspace_id,
            statement_id=statement.id,
            text=text,
            author_id=uow.author_id,
            author_name=uow.author_name,
            endorsed=False,
        )
        await uow.add(row, f"steelman of {statement.slug}", statement.id)
        number = len(await uow.statements.steelmen(statement.id))
        return Reply.done(
            f"Added steelman #{number} of `{statement.slug}`.",
            footer=f"{statement.author_name} can endorse it: /endorse {statement.slug} {number}",
        )
    steelmen = list(await uow.statements.steelmen(statement.id))
    if not steelmen:
        return Reply(
            title=f"No steelman of `{statement.slug}` yet",
            body=f"Original: {statement.text}",
            footer=f"Add one: /steelman {statement.slug} <a stronger version>",
            ephemeral=True,
        )
    best = max(steelmen, key=lambda s: (s.endorsed, s.id))
    number = steelmen.index(best) + 1
    endorsement = f" · endorsed by {statement.author_name}" if best.endorsed else ""
    others = [
        f"#{i} ({s.author_name}{', endorsed' if s.endorsed else ''}): {s.text[:150]}"
        + ("…" if len(s.text) > 150 else "")
        for i, s in enumerate(steelmen, start=1)
        if s is not best
    ]
    return Reply(
        title=f"Steelman of `{statement.slug}`: {statement.title}",
        body=best.text,
        fields=field_list(
            ("Steelman", f"#{number} by {best.author_name}{endorsement}"),
            ("Original", statement.text),
            ("Other steelmen", "\n".join(others)),
            inline=False,
        ),
        accent=statement.status,
        footer=f"Add yours: /steelman {statement.slug} <text>",
    )


@handles("endorse")
async def endorse(uow: UnitOfWork, slug: str, number: int) -> Reply:
    """The statement's author says a steelman states their view."""
    statement = await find_statement(uow, slug)
    if uow.caller.user_id != statement.author_id:
        raise UserError(
            f"Only {statement.author_name}, who wrote `{statement.slug}`, can endorse its steelmen."
        )
    steelmen = list(await uow.statements.steelmen(statement.id))
    if not 1 <= number <= len(steelmen):
        raise UserError(
            f"`{statement.slug}` has {count(len(steelmen), 'steelman')}; there is no #{number}."
        )
    row = steelmen[number - 1]
    if row.endorsed:
        return Reply.done(f"You already endorsed steelman #{number}.", ephemeral=True)
    before = snapshot(row)
    row.endorsed = True
    await uow.record(
        row, before, f"endorsed steelman #{number} of {statement.slug}", statement_id=statement.id
    )
    return Reply.done(f"You endorsed steelman #{number} of `{statement.slug}` as your view.")
