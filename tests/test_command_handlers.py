"""The command spec drives behaviour: each entry has a handler typed like its options,
and what the spec says a command may do (only read, only for moderators) is enforced.

Adding a command takes its spec entry and a service function marked `@handles`:
the last tests add one that way and run it through the whole core.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.app import Cruxbot
from bot.commands.spec import COMMANDS, COMMANDS_BY_NAME, CommandSpec, OptionKind, OptionSpec, Reads
from bot.render.reply import Reply
from bot.services.handlers import handlers
from bot.services.registry import CORE_OPTIONS, REGISTERED, handles
from bot.storage.unit_of_work import ReadingSession, UnitOfWork
from tests.conftest import MEMBER, MODERATOR, text_of


def test_every_command_in_the_spec_has_a_handler_and_every_handler_a_command() -> None:
    assert sorted(handlers()) == sorted(COMMANDS_BY_NAME)


@pytest.mark.parametrize("spec", COMMANDS, ids=[c.name for c in COMMANDS])
def test_a_handler_takes_its_commands_options_typed_by_their_kind(spec: CommandSpec) -> None:
    entry = handlers()[spec.name]
    parameters = inspect.signature(entry.function).parameters
    hints = typing.get_type_hints(entry.function)
    for option in spec.options:
        if option.name in CORE_OPTIONS:  # applied by the core, never given to a handler
            assert option.name not in parameters, (spec.name, option.name)
            continue
        assert option.name in parameters, f"/{spec.name} has no parameter {option.name}"
        expected: type = int if option.kind is OptionKind.INTEGER else str
        assert hints[option.name] in (expected, expected | None), (spec.name, option.name)
        if not option.required:
            assert parameters[option.name].default is not inspect.Parameter.empty, option.name
    given_by_core = {"uow", "rules", entry.name_as} | {o.name for o in spec.options}
    unfilled = [
        name
        for name, parameter in parameters.items()
        if name not in given_by_core and parameter.default is inspect.Parameter.empty
    ]
    assert unfilled == [], f"/{spec.name}: nothing fills {unfilled}"


def test_a_command_that_only_reads_is_told_apart_by_its_options() -> None:
    objection = COMMANDS_BY_NAME["objection"]
    assert objection.only_reads({"slug"}) and not objection.only_reads({"slug", "text"})
    assert COMMANDS_BY_NAME["search"].only_reads({"words"})
    assert not COMMANDS_BY_NAME["agree"].only_reads({"slug"})


async def test_a_moderators_only_command_refuses_a_member_with_the_reason(
    app: Cruxbot,
) -> None:
    refused = await app.handle_line("/import demo", MEMBER)
    assert refused.error and "Only a moderator can run /import" in refused.body
    assert "There is no reading" in text_of(
        await app.handle_line("/reading alignment-optimism", MEMBER)
    )


ECHO = CommandSpec(
    name="echo",
    summary="Say words again",
    options=(
        OptionSpec("times", OptionKind.INTEGER, "how often", True, minimum=1, maximum=3),
        OptionSpec("words", OptionKind.TEXT, "what to say", True),
    ),
    examples=(("/echo 2 hello", "say hello twice"),),
    group="Help",
)

#: What the added command saw of its unit of work: whether it ran outside a transaction.
seen: list[bool] = []


@pytest.fixture
def echo_command(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Add /echo the way any command is added: a spec entry, and its handler."""

    @handles("echo")
    async def echo(uow: UnitOfWork, times: int, words: str) -> Reply:
        seen.append(isinstance(uow.session.sync_session, ReadingSession))
        return Reply.done(" ".join([words] * times))

    seen.clear()
    monkeypatch.setitem(COMMANDS_BY_NAME, "echo", ECHO)
    yield
    REGISTERED.pop("echo")


@pytest.mark.usefixtures("echo_command")
async def test_a_command_added_as_a_spec_entry_and_a_handler_runs(app: Cruxbot) -> None:
    core = Cruxbot(app.engine)
    reply = await core.handle_line("/echo 2 hello", MEMBER)
    assert not reply.error, reply.body
    assert reply.body == "hello hello"  # `times` arrived as a number
    refused = await core.handle_line("/echo 9 hello", MEMBER)
    assert refused.error and "between 1 and 3" in refused.body  # the spec's bounds hold
    assert seen == [False]  # a command that may write runs in a transaction


@pytest.mark.usefixtures("echo_command")
async def test_what_the_spec_says_a_new_command_may_do_is_enforced(
    app: Cruxbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    core = Cruxbot(app.engine)
    monkeypatch.setitem(COMMANDS_BY_NAME, "echo", replace(ECHO, moderator_only=True))
    refused = await core.handle_line("/echo 1 hi", MEMBER)
    assert refused.error and "Only a moderator can run /echo" in refused.body
    assert seen == []  # refused before it ran
    assert (await core.handle_line("/echo 1 hi", MODERATOR)).body == "hi"
    monkeypatch.setitem(COMMANDS_BY_NAME, "echo", replace(ECHO, reads=Reads.ALWAYS))
    assert (await core.handle_line("/echo 1 again", MEMBER)).body == "again"
    assert seen == [False, True]  # once the workspace exists, a read runs outside a transaction
