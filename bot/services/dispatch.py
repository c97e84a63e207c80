"""Which use case each command runs, with its arguments unpacked.

The table is the bridge between the command spec (names and options) and the
services (one function per use case); `Cruxbot` runs the entries inside a
unit of work. Commands needing the app's settings (meetings, /forget-me) are
added by `Cruxbot` itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from bot.commands.parser import ArgValue
from bot.render.reply import Reply
from bot.services import (
    action_items,
    browse,
    cruxes,
    exports,
    history,
    lifecycle,
    maps,
    packs,
    readings,
    stances,
    statements,
)
from bot.storage.unit_of_work import UnitOfWork

Args = Mapping[str, ArgValue]
Handler = Callable[[UnitOfWork, Args], Awaitable[Reply]]


def text_arg(args: Args, name: str) -> str | None:
    value = args.get(name)
    return None if value is None else str(value)


def int_arg(args: Args, name: str, default: int | None = None) -> int | None:
    value = args.get(name)
    return default if value is None else int(value)


def page_arg(args: Args) -> int:
    return int_arg(args, "page", 1) or 1


def _show_or_log(kind: str) -> Handler:
    return lambda uow, args: statements.show_or_log(uow, kind, dict(args))


def _stance(position: str) -> Handler:
    return lambda uow, args: stances.take_stance(
        uow, str(args["slug"]), position, int_arg(args, "credence")
    )


def _shows(args: Args) -> bool:
    """`/objection lag` shows a statement; `/objection lag <text>` logs one."""
    return "text" not in args


def _always(_: Args) -> bool:
    return True


#: Commands that only read (given their arguments); they run outside a transaction.
READS_ONLY: dict[str, Callable[[Args], bool]] = {
    **dict.fromkeys(("objection", "claim", "reply", "support", "steelman"), _shows),
    **dict.fromkeys(("list", "search", "history", "cruxes", "contested", "export"), _always),
    "actions": _always,
}


def only_reads(name: str, args: Args) -> bool:
    """Whether the command, run with these arguments, only reads."""
    check = READS_ONLY.get(name)
    return check is not None and check(args)


HANDLERS: dict[str, Handler] = {
    "objection": _show_or_log("objection"),
    "claim": _show_or_log("claim"),
    "reply": _show_or_log("reply"),
    "support": _show_or_log("support"),
    "steelman": lambda uow, a: statements.steelman(uow, str(a["slug"]), text_arg(a, "text")),
    "endorse": lambda uow, a: statements.endorse(uow, str(a["slug"]), int(a["number"])),
    "agree": _stance("agree"),
    "disagree": _stance("disagree"),
    "unsure": _stance("unsure"),
    "status": lambda uow, a: lifecycle.set_status(
        uow, str(a["slug"]), str(a["status"]), text_arg(a, "of"), text_arg(a, "because")
    ),
    "list": lambda uow, a: browse.list_statements(
        uow,
        text_arg(a, "kind"),
        text_arg(a, "status"),
        text_arg(a, "reading"),
        text_arg(a, "to"),
        page_arg(a),
    ),
    "search": lambda uow, a: browse.search(uow, str(a["words"]), page_arg(a)),
    "reading": lambda uow, a: readings.reading(uow, text_arg(a, "slug"), text_arg(a, "title")),
    "alias": lambda uow, a: lifecycle.add_alias(uow, str(a["slug"]), str(a["alias"])),
    "rename": lambda uow, a: lifecycle.rename(uow, str(a["slug"]), str(a["new"])),
    "edit": lambda uow, a: lifecycle.edit(uow, str(a["slug"]), str(a["field"]), str(a["value"])),
    "delete": lambda uow, a: lifecycle.delete(uow, str(a["slug"])),
    "restore": lambda uow, a: lifecycle.restore(uow, str(a["slug"])),
    "merge": lambda uow, a: lifecycle.merge(uow, str(a["slug"]), str(a["into"])),
    "history": lambda uow, a: history.history(uow, text_arg(a, "slug"), page_arg(a)),
    "undo": lambda uow, a: history.undo(uow, text_arg(a, "slug")),
    "import": lambda uow, a: packs.import_named_pack(uow, str(a["pack"])),
    "crux": lambda uow, a: cruxes.add_crux(
        uow, str(a["slug"]), str(a["belief"]), text_arg(a, "text")
    ),
    "cruxes": lambda uow, a: cruxes.list_cruxes(uow, text_arg(a, "slug")),
    "map": lambda uow, a: maps.argument_map(uow, text_arg(a, "slug")),
    "export": lambda uow, a: exports.export(
        uow, text_arg(a, "format") or "md", text_arg(a, "reading")
    ),
    "contested": lambda uow, a: cruxes.contested(uow, text_arg(a, "reading"), page_arg(a)),
    "action": lambda uow, a: action_items.action(uow, str(a["text"])),
    "decision": lambda uow, a: action_items.decision(uow, str(a["text"])),
    "actions": lambda uow, a: action_items.open_actions(uow),
}
