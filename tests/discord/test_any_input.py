"""Anything a member can send Discord's way gets an answer within Discord's limits.

Property tests: any options of any command, any typed prefix, any button id
or form, any mention; the answer must fit `accepted.py`'s checks and must not
be the "something went wrong" of an unexpected failure.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands.spec import COMMANDS, Autocomplete, CommandSpec, OptionKind
from tests.discord.accepted import MO, check_sent, nasty, never_failed
from tests.discord.conftest import ANN, DiscordBot
from tests.discord.helpers import only_callback
from tests.test_conformance_console import READING

#: Nicknames that exist in the demo or could be new, so that logging really happens.
SLUGS = st.one_of(
    st.sampled_from(["lag", "blank-slate", "mvp-researcher", READING]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
)


@st.composite
def options_for(draw: st.DrawFn, spec: CommandSpec) -> dict[str, Any]:
    """Option values Discord could deliver for `spec` (choices and ranges it enforces)."""
    values: dict[str, Any] = {}
    for option in spec.options:
        if not option.required and not draw(st.booleans()):
            continue
        if option.kind is OptionKind.INTEGER:
            values[option.name] = draw(st.integers(option.minimum or 0, option.maximum or 10**9))
        elif option.kind is OptionKind.WORD and option.choices:
            values[option.name] = draw(st.sampled_from(option.choices))
        elif option.kind is OptionKind.SLUG:
            values[option.name] = draw(st.one_of(SLUGS, nasty))
        elif option.kind is OptionKind.CREDIT:  # a user option: Discord sends a real member
            values[option.name] = draw(st.sampled_from([ANN, MO]))
        else:
            values[option.name] = draw(nasty)
    return values


@st.composite
def commands(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    spec = draw(st.sampled_from(COMMANDS))
    return spec.name, draw(options_for(spec))


QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@QUICK
@given(command=commands(), moderator=st.booleans())
async def test_any_options_get_an_answer_within_discords_limits(
    demo_bot: DiscordBot, command: tuple[str, dict[str, Any]], moderator: bool
) -> None:
    name, options = command
    sent = await demo_bot.command(name, who=MO if moderator else ANN, **options)
    never_failed(check_sent(sent))


@QUICK
@given(source=st.sampled_from([a for a in Autocomplete if a is not Autocomplete.NONE]), typed=nasty)
async def test_any_typed_prefix_gets_at_most_25_short_suggestions(
    demo_bot: DiscordBot, source: Autocomplete, typed: str
) -> None:
    spec, option = next((s, o) for s in COMMANDS for o in s.options if o.autocomplete is source)
    sent = await demo_bot.autocomplete(spec.name, option.name, typed[:6000])
    assert only_callback(sent)["type"] == 8
    check_sent(sent)


@QUICK
@given(
    custom_id=st.one_of(
        st.text(max_size=100),
        st.builds(lambda s: f"cx1:{s}"[:100], st.text(max_size=96)),
        st.sampled_from(["cx1:delete;slug=lag;", "cx1:agree;slug=lag;", "cx1:reply;to=lag;text"]),
    ),
    values=st.dictionaries(st.sampled_from(["text", "slug", "to", "x"]), nasty, max_size=3),
)
async def test_any_button_or_form_gets_an_answer_within_discords_limits(
    demo_bot: DiscordBot, custom_id: str, values: dict[str, str]
) -> None:
    pressed = await demo_bot.press(custom_id, who=ANN)
    never_failed(check_sent(pressed))
    submitted = await demo_bot.submit(custom_id, {k: v[:4000] for k, v in values.items()})
    never_failed(check_sent(submitted))


@QUICK
@given(text=nasty)
@example(text="`")
@example(text=" `` ")
async def test_any_mention_gets_an_answer_within_discords_limits(
    demo_bot: DiscordBot, text: str
) -> None:
    sent = await demo_bot.mention(text[:4000])
    posts = [r for r in sent if r.method == "POST" and r.path.endswith("/messages")]
    assert len(posts) == 1
    never_failed(check_sent(sent))
