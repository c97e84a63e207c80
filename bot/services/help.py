"""/help: built from the command spec, so it is never out of date."""

from __future__ import annotations

from bot.commands.parser import find_command
from bot.commands.spec import COMMANDS, GROUPS, CommandSpec, OptionKind
from bot.render.reply import Field, Reply
from bot.services.registry import handles


@handles("help", database=False)
async def help_command(command: str | None = None) -> Reply:
    """`/help`: answered from the spec alone, so it works before any workspace exists."""
    return help_reply(command)


def help_reply(command: str | None) -> Reply:
    """All commands by group, or one command in detail."""
    if command:
        return command_help(find_command(command.lstrip("/").lower()))
    fields = tuple(
        Field(
            group,
            "\n".join(f"/{c.name} — {c.summary}" for c in COMMANDS if c.group == group),
            False,
        )
        for group in GROUPS
    )
    return Reply(
        title="Cruxbot commands",
        body="Cruxbot keeps your group's map of claims, objections, replies and steelmen. "
        "Statements have nicknames (slugs) like `lag`.",
        fields=fields,
        footer="/help <command> shows its grammar and examples.",
        ephemeral=True,
        accent="help",
    )


def command_help(spec: CommandSpec) -> Reply:
    """One command's grammar, options and examples."""
    options = "\n".join(_option_line(spec, o.name) for o in spec.options)
    examples = "\n".join(f"{line}  — {what}" for line, what in spec.examples)
    body = spec.summary + "." + (f"\n{spec.details}" if spec.details else "")
    if spec.moderator_only:
        body += "\nModerators only."
    fields = [Field("Usage", spec.usage, False)]
    if options:
        fields.append(Field("Options", options, False))
    fields.append(Field("Examples", examples, False))
    return Reply(
        title=f"/{spec.name}", body=body, fields=tuple(fields), ephemeral=True, accent="help"
    )


def _option_line(spec: CommandSpec, name: str) -> str:
    option = spec.option(name)
    label = f"{option.name}:" if option.keyword else option.name
    extra = ""
    if option.kind is OptionKind.WORD and option.choices:
        extra = f" ({', '.join(option.choices)})"
    required = "" if option.required else " (optional)"
    return f"{label} — {option.description}{extra}{required}"
