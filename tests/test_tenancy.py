"""Workspaces never see each other's data, even with the same slugs."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.commands.spec import Autocomplete
from tests.conftest import MEMBER, MODERATOR, text_of

GUILD_A = replace(MEMBER, platform="discord", workspace_id="111")
GUILD_B = replace(MEMBER, platform="discord", workspace_id="222")
TEAM_SAME_ID = replace(MEMBER, platform="slack", workspace_id="111")
RUNS = itertools.count()


async def test_same_slug_in_two_workspaces_stays_apart(app: Cruxbot) -> None:
    await app.handle_line("/claim shared Guild A's claim.", GUILD_A)
    await app.handle_line("/claim shared Guild B's claim.", GUILD_B)
    assert (await app.handle_line("/claim shared", GUILD_A)).body == "Guild A's claim."
    assert (await app.handle_line("/claim shared", GUILD_B)).body == "Guild B's claim."
    missing = await app.handle_line("/claim shared", TEAM_SAME_ID)
    assert missing.error


async def test_lists_search_history_and_undo_stay_in_their_workspace(app: Cruxbot) -> None:
    await app.handle_line("/claim secret Only guild A knows this.", GUILD_A)
    await app.handle_line(
        "/import demo", replace(MODERATOR, platform="discord", workspace_id="222")
    )
    for line in ("/list", "/search secret", "/history", "/reading"):
        assert "guild A knows" not in text_of(await app.handle_line(line, GUILD_B)), line
        assert "`secret`" not in text_of(await app.handle_line(line, GUILD_B)), line
    assert "no change of yours" in (await app.handle_line("/undo", GUILD_B)).body
    assert "`lag`" not in text_of(await app.handle_line("/list", GUILD_A))
    await app.handle_line("/alias secret lag", GUILD_A)  # `lag` is free in guild A
    assert "Claim `secret`" in text_of(await app.handle_line("/claim lag", GUILD_A))


WORKSPACES = [
    replace(
        MEMBER,
        platform="discord",
        workspace_id=f"guild-{n}",
        user_id=f"user-{n}",
        user_name=f"Member{n}",
        is_moderator=True,
    )
    for n in range(3)
]
TEMPLATES = [
    "/claim shared-{k} Marker{w} claim {k}.",
    "/objection obj-{k} Marker{w} objection {k}. to:shared-{j}",
    "/steelman shared-{j} Marker{w} steelman {k}.",
    "/agree shared-{j} 60",
    "/disagree obj-{j}",
    "/edit shared-{j} text Marker{w} edited {k}.",
    "/list",
    "/search objection",
    "/search edited",
    "/search claim",
    "/history",
    "/history shared-{j}",
    "/objection obj-{j}",
    "/claim shared-{j}",
    "/steelman shared-{j}",
    "/undo",
    "/delete obj-{j}",
    "/restore obj-{j}",
    "/alias shared-{j} alias-{k}",
    "/rename obj-{j} renamed-{k}",
    "/crux shared-{j} obj-{k}",
    "/cruxes",
    "/contested",
    "/reading",
    "/meeting start",
    "/meeting end",
    "/map shared-{j}",
    "/export md",
]


def _markers_of_others(workspace: int) -> list[str]:
    return [f"marker{n}" for n in range(3) if n != workspace]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    steps=st.lists(
        st.tuples(
            st.integers(0, 2), st.sampled_from(TEMPLATES), st.integers(0, 3), st.integers(0, 3)
        ),
        min_size=5,
        max_size=40,
    )
)
async def test_no_workspace_ever_sees_another(
    app: Cruxbot, steps: list[tuple[int, str, int, int]]
) -> None:
    suffix = next(RUNS)
    callers = [replace(c, workspace_id=f"{c.workspace_id}-{suffix}") for c in WORKSPACES]
    for workspace, template, k, j in steps:
        line = template.format(w=workspace, k=k, j=j)
        reply = await app.handle_line(line, callers[workspace])
        seen = (
            text_of(reply)
            + (
                reply.attachment.content.decode()
                if reply.attachment and reply.attachment.filename.endswith(".md")
                else ""
            )
        ).lower()
        for marker in _markers_of_others(workspace):
            assert marker not in seen, (line, seen)
        choices = await app.autocomplete(Autocomplete.STATEMENTS, "", callers[workspace])
        labels = " ".join(c.label for c in choices).lower()
        for marker in _markers_of_others(workspace):
            assert marker not in labels
    for workspace, caller in enumerate(callers):
        _, exported = await app.export_text("json", None, caller)
        for marker in _markers_of_others(workspace):
            assert marker not in exported.lower()
