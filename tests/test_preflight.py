"""The core's check of a form's options agrees with the command it checks.

A platform keeps a form open when `Cruxbot.problems` names something, and
runs it otherwise; so for the logging commands whatever it names the command
refuses, and whatever it passes the command logs. Generated option sets over
the demo map (free, taken and malformed nicknames; missing, unknown, wrong
and right targets and readings; blank text) check both directions, on both databases.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.storage.workspace_queries import WorkspaceRepository
from tests.conftest import MEMBER, MODERATOR

NEW_WORKSPACE = replace(MEMBER, workspace_id="never-seen")

slugs = st.sampled_from(["", "fresh", "fresh-2", "lag", "Not A Nickname!", "x" * 80])
targets = st.sampled_from(["", "lag", "lagg", "blank-slate", "Bad Target!", "alignment-optimism"])
texts = st.sampled_from(["Scaling may not help.", "   ", "A second point, said otherwise."])
kinds = st.sampled_from(["objection", "reply", "support", "claim"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=kinds, slug=slugs, target=targets, text=texts)
async def test_what_the_check_names_the_command_refuses_and_what_it_passes_is_logged(
    demo_app: Cruxbot, kind: str, slug: str, target: str, text: str
) -> None:
    answers = "reading" if kind == "claim" else "to"  # a claim answers nothing; it has a reading
    args = {"slug": slug, "text": text} | ({answers: target} if target else {})
    # A moderator, whom the write limit never stops: only the checked rules refuse.
    problems = await demo_app.problems(kind, args, MODERATOR)
    reply = await demo_app.run(kind, args, MODERATOR)
    assert bool(problems) == reply.error, (problems, reply.body)
    if reply.error:
        assert not reply.title.startswith("Logged")
    for message in problems.values():
        assert message and len(message) < 300


async def test_asking_does_not_create_a_workspace(app: Cruxbot) -> None:
    args = {"slug": "fresh", "text": "A point.", "to": "lag"}
    assert await app.problems("objection", args, NEW_WORKSPACE) == {}
    async with app.reading_sessions() as session:
        assert await WorkspaceRepository(session).find("console", "never-seen") is None


async def test_a_duplicate_without_of_is_named_before_it_runs(demo_app: Cruxbot) -> None:
    """The rule the spec states (a duplicate names what it duplicates) is checked up front."""
    asked = {"slug": "lag", "status": "duplicate"}
    reason = "Say which statement it duplicates, e.g. /status lag duplicate endgame."
    assert await demo_app.problems("status", asked, MODERATOR) == {"of": reason}
    refused = await demo_app.run("status", asked, MODERATOR)
    assert refused.error and refused.body == reason
    named = await demo_app.problems("status", asked | {"of": "blank-slate"}, MODERATOR)
    assert named == {}
