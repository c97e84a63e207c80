"""What is wrong with a command's options, said per option, before it runs.

A platform form can stay open and point at the field to fix, so the member
keeps what they typed; once it has closed, a refusal loses their text. These
checks let an adapter ask first. They are the same rules the command applies
(each value coerced as `bind_arguments` does, the options a command requires,
the target a logged objection, reply or support must answer, a free nickname,
a known reading), stated per option. Only what can be known before running is
checked, and the command still decides: a nickname taken in between is
refused then, as before.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bot.commands.grammar import CommandSpec
from bot.commands.parser import LOGGING_COMMANDS, ArgValue, coerce
from bot.domain import ALLOWED_TARGETS, ANSWERS_THE_READING, article, either, validate_text
from bot.errors import UserError
from bot.services.common import find_statement, not_found
from bot.storage.unit_of_work import UnitOfWork

#: Option name -> what is wrong with it, in words for the member.
Problems = dict[str, str]


def option_problems(
    spec: CommandSpec, raw_args: Mapping[str, str], asked: Collection[str] = ()
) -> tuple[dict[str, ArgValue], Problems]:
    """(the values that are valid, what is wrong with the others), without the database.

    Empty values count as absent, as when the command runs; option names the
    command does not have are the caller's mistake, not the member's, and are
    left for the command to refuse. `asked` are the options a form asked for:
    left blank (a form may take spaces for text), they are named too, where the
    command would have run without them (a blank steelman shows the best one).
    """
    known = {o.name: o for o in spec.options}
    args: dict[str, ArgValue] = {}
    problems: Problems = {}
    for name, raw in raw_args.items():
        option = known.get(name)
        if option is None or not raw.strip():
            continue
        try:
            args[name] = coerce(option, raw)
        except UserError as exc:
            problems[name] = exc.message
    logging = spec.name in LOGGING_COMMANDS and "text" in raw_args and raw_args["text"].strip()
    for option in spec.options:
        absent = option.name not in args and option.name not in problems
        if option.required and absent and not (logging and option.name == "slug"):
            problems[option.name] = f"`/{spec.name}` needs this."
        elif option.name in asked and absent:
            problems[option.name] = "This is empty."
    for option in spec.needed(args):
        if option.required_when is not None and option.name not in problems:
            problems[option.name] = option.required_when.reason
    if logging:
        problems.update(_logging_problems(spec.name, raw_args["text"], args, problems))
    elif spec.name in LOGGING_COMMANDS and {"to", "reading"} & set(args) and "text" not in problems:
        problems["text"] = "Add the text too: `to:` and `reading:` apply only when logging."
    return args, problems


def _logging_problems(
    kind: str, text: str, args: Mapping[str, ArgValue], found: Problems
) -> Problems:
    problems: Problems = {}
    try:
        validate_text(text)
    except UserError as exc:
        problems["text"] = exc.message
    allowed = ALLOWED_TARGETS.get(kind, ())
    if allowed and "to" not in args and "to" not in found and kind not in ANSWERS_THE_READING:
        problems["to"] = f"Say which {' or '.join(allowed)} this {kind} answers."
    if not allowed and "to" in args:
        problems["to"] = f"{article(kind).capitalize()} {kind} does not answer another statement."
    return problems


def no_reading_problem(spec: CommandSpec) -> Problems:
    """A statement that could answer the reading, where no reading is set, needs `to:`."""
    return {"to": f"Say which statement this {spec.name} answers: no reading is set here."}


async def reading_target_problem(
    uow: UnitOfWork | None, spec: CommandSpec, args: Mapping[str, ArgValue]
) -> Problems:
    """`to:` left out of an objection is fine where the channel has a reading it answers.

    `uow` is None for a workspace never seen (it has no reading yet).
    """
    if spec.name not in ANSWERS_THE_READING or "to" in args or "text" not in args:
        return {}
    channel = uow.caller.channel_id if uow is not None else ""
    if uow is not None and channel and await uow.channels.current_reading_id(channel) is not None:
        return {}
    return no_reading_problem(spec)


async def workspace_problems(
    uow: UnitOfWork, spec: CommandSpec, args: Mapping[str, ArgValue]
) -> Problems:
    """What the workspace's map says is wrong with valid options of a logging command.

    Read-only: a taken nickname, a target that is missing or of a kind the
    statement cannot answer, a reading that does not exist.
    """
    problems: Problems = {}
    if spec.name not in LOGGING_COMMANDS:
        return problems
    slug = args.get("slug")
    if "text" not in args:  # shows the statement
        shown = await uow.statements.by_slug(str(slug)) if slug is not None else None
        if shown is None and slug is not None:
            problems["slug"] = (await not_found(uow, str(slug), spec.name)).message
        elif shown is not None and shown.deleted_at is not None:
            problems["slug"] = f"`{slug}` was deleted."
        return problems
    if slug is not None and await uow.statements.nickname_owner(str(slug)) is not None:
        problems["slug"] = f"The nickname `{slug}` is taken: pick another."
    problems.update(await reading_target_problem(uow, spec, args))
    target_slug = args.get("to")
    if target_slug is not None:
        allowed = ALLOWED_TARGETS.get(spec.name, ())
        try:
            target = await find_statement(uow, str(target_slug))
        except UserError as exc:
            problems["to"] = exc.message
        else:
            if target.kind not in allowed:
                problems["to"] = (
                    f"{article(spec.name).capitalize()} {spec.name} answers {either(allowed)}, "
                    f"but `{target.slug}` is {article(target.kind)} {target.kind}."
                )
    reading = args.get("reading")
    if reading is not None and await uow.readings.by_slug(str(reading)) is None:
        problems["reading"] = f"There is no reading `{reading}`."
    return problems
