"""/help and the spec's fitness for platform registration (Discord limits)."""

from __future__ import annotations

import re

import pytest

from bot.commands.parser import parse_line
from bot.commands.spec import COMMANDS, COMMANDS_BY_NAME, GROUPS, CommandSpec
from bot.errors import UserError
from bot.render.reply import Reply
from bot.services.help import help_reply

NAME = re.compile(r"^[a-z][a-z0-9-]*$")
OPTION_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
DISCORD_TEXT_MAX = 100
DISCORD_NAME_MAX = 32
DISCORD_OPTIONS_MAX = 25
DISCORD_CHOICES_MAX = 25
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024

ALL = pytest.mark.parametrize("spec", COMMANDS, ids=[c.name for c in COMMANDS])


def field(reply: Reply, name: str) -> str:
    """The value of the field called `name` (fails if there is none)."""
    values = [f.value for f in reply.fields if f.name == name]
    assert values, f"no field {name!r} in {[f.name for f in reply.fields]}"
    return values[0]


# ------------------------------------------------------------ the command list


def test_help_lists_every_command_under_its_group() -> None:
    reply = help_reply(None)
    assert reply.ephemeral
    assert [f.name for f in reply.fields] == list(GROUPS)
    for spec in COMMANDS:
        assert f"/{spec.name} — {spec.summary}" in field(reply, spec.group)


def test_help_lists_each_command_exactly_once() -> None:
    reply = help_reply(None)
    listed = [
        line.split(" — ")[0] for f in reply.fields for line in f.value.splitlines() if line.strip()
    ]
    assert sorted(listed) == sorted(f"/{c.name}" for c in COMMANDS)


def test_every_command_group_is_shown_and_no_group_is_empty() -> None:
    # A command whose group is not in GROUPS would silently vanish from /help.
    assert {c.group for c in COMMANDS} == set(GROUPS)
    assert len(GROUPS) == len(set(GROUPS))


def test_empty_argument_means_the_list() -> None:
    assert help_reply("") == help_reply(None)


def test_help_mentions_per_command_help() -> None:
    assert "/help <command>" in help_reply(None).footer


# ------------------------------------------------------------ one command


def test_help_for_objection() -> None:
    reply = help_reply("objection")
    assert reply.title == "/objection"
    usage = field(reply, "Usage")
    assert usage.startswith("/objection <slug>")
    assert "to:" in usage
    examples = field(reply, "Examples")
    assert "/objection evals-gap" in examples
    assert "to:mvp-researcher" in examples
    assert "to:" in field(reply, "Options")


@pytest.mark.parametrize("name", ["/objection", "OBJECTION", "/Objection"])
def test_help_accepts_slash_and_any_case(name: str) -> None:
    assert help_reply(name) == help_reply("objection")


def test_help_via_the_parser() -> None:
    parsed = parse_line("/help objection")
    assert help_reply(str(parsed.args["command"])).title == "/objection"


@ALL
def test_help_shows_usage_and_examples_for_every_command(spec: CommandSpec) -> None:
    reply = help_reply(spec.name)
    assert reply.title == f"/{spec.name}"
    assert reply.body.startswith(spec.summary)
    assert field(reply, "Usage") == spec.usage
    assert spec.usage.startswith(f"/{spec.name}")
    assert spec.examples, f"/{spec.name} has no example"
    examples = field(reply, "Examples")
    for line, what in spec.examples:
        assert line in examples
        assert what in examples
    if spec.details:
        assert spec.details in reply.body


@ALL
def test_help_describes_every_option(spec: CommandSpec) -> None:
    reply = help_reply(spec.name)
    if not spec.options:
        assert all(f.name != "Options" for f in reply.fields)
        return
    options = field(reply, "Options").splitlines()
    assert len(options) == len(spec.options)
    for line, option in zip(options, spec.options, strict=True):
        assert option.description in line
        assert line.startswith(f"{option.name}:" if option.keyword else option.name)
        assert line.endswith("(optional)") != option.required
        for choice in option.choices:
            assert choice in line


def test_moderator_only_commands_say_so() -> None:
    assert "Moderators only." in help_reply("import").body
    assert "Moderators only." not in help_reply("objection").body


@pytest.mark.parametrize("name", ["nosuch", "objectoin", "/"])
def test_help_for_an_unknown_command_is_a_friendly_error(name: str) -> None:
    with pytest.raises(UserError) as info:
        help_reply(name)
    assert "There is no command" in info.value.message
    assert "/help" in info.value.hint


def test_help_for_a_misspelling_suggests_the_command() -> None:
    with pytest.raises(UserError, match=r"Did you mean `/objection`\?"):
        help_reply("objectoin")


# ------------------------------------------------------------ platform limits


@ALL
def test_command_name_fits_platforms(spec: CommandSpec) -> None:
    assert NAME.match(spec.name)
    assert len(spec.name) <= DISCORD_NAME_MAX


@ALL
def test_summary_fits_discord(spec: CommandSpec) -> None:
    assert 1 <= len(spec.summary) <= DISCORD_TEXT_MAX, spec.summary


@ALL
def test_option_descriptions_fit_discord(spec: CommandSpec) -> None:
    for option in spec.options:
        assert 1 <= len(option.description) <= DISCORD_TEXT_MAX, option.description


@ALL
def test_option_names_fit_discord_and_are_unique(spec: CommandSpec) -> None:
    names = [option.name for option in spec.options]
    assert len(names) == len(set(names)), f"duplicate option in /{spec.name}: {names}"
    assert len(names) <= DISCORD_OPTIONS_MAX
    for option in spec.options:
        assert OPTION_NAME.match(option.name), option.name
        assert len(option.name) <= DISCORD_NAME_MAX
        assert len(option.choices) <= DISCORD_CHOICES_MAX
        assert len(option.choices) == len(set(option.choices))


@ALL
def test_integer_options_have_a_sensible_range(spec: CommandSpec) -> None:
    for option in spec.options:
        if option.minimum is not None and option.maximum is not None:
            assert option.minimum <= option.maximum


def test_command_names_are_unique() -> None:
    assert len(COMMANDS_BY_NAME) == len(COMMANDS)


@pytest.mark.parametrize("name", [None, *(c.name for c in COMMANDS)])
def test_help_replies_fit_a_discord_embed(name: str | None) -> None:
    reply = help_reply(name)
    assert len(reply.title) <= EMBED_TITLE_MAX
    assert len(reply.body) <= EMBED_DESCRIPTION_MAX
    for f in reply.fields:
        assert len(f.name) <= EMBED_FIELD_NAME_MAX
        assert 1 <= len(f.value) <= EMBED_FIELD_VALUE_MAX, f.name
