"""Rules shared by the use cases: finding statements, permissions, paging."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from bot.domain import KINDS
from bot.errors import PermissionDenied, UserError
from bot.storage.models import Statement
from bot.storage.search import COUNT_CAP
from bot.storage.unit_of_work import UnitOfWork

PAGE_SIZE = 10


def suggestions(slug: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The closest known slugs to a mistyped one.

    Prefix matches, and nicknames that have the typed one as a word
    (`spillover` for `capabilities-spillover`), count as close.
    """
    known = sorted(set(known))
    close = difflib.get_close_matches(slug, known, n=limit, cutoff=0.6)
    for candidate in known:
        if len(close) >= limit:
            break
        related = (
            candidate.startswith(slug) or slug.startswith(candidate) or slug in candidate.split("-")
        )
        if candidate not in close and related:
            close.append(candidate)
    return close


async def not_found(uow: UnitOfWork, slug: str, kind: str = "statement") -> UserError:
    """The error for an unknown slug: what is close, and how to log one.

    The candidates come from a few index lookups (`slug_candidates`), so this
    stays quick however many statements the workspace holds.
    """
    close = suggestions(slug, await uow.statements.slug_candidates(slug))
    message = f"There is no {kind} `{slug}`."
    if close:
        message += " Did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
    if kind in KINDS:
        target = " to:SLUG" if kind != "claim" else ""
        hint = f"To log one: /{kind} {slug} <text>{target}"
    else:
        hint = "Type /list to see what is logged, or /search <words>."
    return UserError(message, hint=hint)


async def find_statement(
    uow: UnitOfWork, slug: str, kind: str = "statement", include_deleted: bool = False
) -> Statement:
    """The statement a slug names, or a UserError with suggestions."""
    statement = await uow.statements.by_slug(slug)
    if statement is None:
        raise await not_found(uow, slug, kind)
    if statement.deleted_at is not None and not include_deleted:
        raise UserError(
            f"`{slug}` was deleted.",
            hint=f"/restore {statement.slug} brings it back (author or moderator).",
        )
    return statement


def require_author_or_moderator(uow: UnitOfWork, author_id: str, action: str) -> None:
    """Only the author or a moderator may change what someone wrote."""
    if uow.caller.is_moderator or uow.caller.user_id == author_id:
        return
    raise PermissionDenied(
        f"Only the author or a moderator may {action}.",
        hint="You can still add a steelman, a reply or your stance.",
    )


def page_offset(page: int) -> int:
    """The row offset of a 1-based page."""
    return (max(page, 1) - 1) * PAGE_SIZE


def page_footer(page: int, total: int, command: str) -> str:
    """ "Page 2 of 5 (47 in all) · next: /list page:3".

    Counts stop at `COUNT_CAP`; past it the footer says "10000+" rather than
    counting every row of a huge workspace.
    """
    more = "+" if total >= COUNT_CAP else ""
    if page == 1 and not more and page_count(total) == 1:
        return f"{total} in all" if total else ""  # no "Page 1 of 1 (0 in all)"
    footer = f"Page {page} of {page_count(total)}{more} ({total}{more} in all)"
    if has_next_page(page, total):
        footer += f" · next: {command} page:{page + 1}"
    return footer


def page_count(total: int) -> int:
    """How many pages `total` results fill (at least one)."""
    return max(1, -(-total // PAGE_SIZE))


def has_next_page(page: int, total: int) -> bool:
    """Whether a page follows `page` (always, past the count cap)."""
    return page < page_count(total) or total >= COUNT_CAP
