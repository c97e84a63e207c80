"""Writes stay in their workspace: no command ever changes another workspace's rows.

`tests/test_tenancy.py` checks what each workspace can see; this file checks
what each can change. Undo is the dangerous path: it puts rows back by id, so
an id that another workspace now uses (SQLite reused the highest id after a
delete) must never be read, overwritten or deleted.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text, update

from bot.app import Cruxbot
from bot.context import Caller
from bot.storage.models import Base, Stance, Workspace
from tests.conftest import MEMBER, text_of

TEAM_A = replace(MEMBER, platform="slack", workspace_id="TA", user_id="u-ann", user_name="Ann")
TEAM_B = replace(MEMBER, platform="slack", workspace_id="TB", user_id="u-tia", user_name="Tia")

REPRODUCTION = (
    ("/claim keep Keep this one.", TEAM_A),
    ("/claim mine This one is mine.", TEAM_A),
    ("/agree keep", TEAM_A),
    ("/agree mine", TEAM_A),
    ("/merge mine keep", TEAM_A),
    ("/claim victim Team B's claim.", TEAM_B),
    ("/disagree victim 10", TEAM_B),
)


async def _run(app: Cruxbot, lines: tuple[tuple[str, Caller], ...]) -> None:
    for line, caller in lines:
        reply = await app.handle_line(line, caller)
        assert not reply.error, (line, reply.body)


def _stances_line(reply_text: str) -> str:
    return next(line for line in reply_text.splitlines() if line.startswith("Stances:"))


async def test_undo_never_turns_another_workspaces_stance_into_its_own(app: Cruxbot) -> None:
    """The reported case: team A's undo after a merge took over team B's new stance."""
    await _run(app, REPRODUCTION)

    undone = await app.handle_line("/undo", TEAM_A)

    assert not undone.error, undone.body
    victim = text_of(await app.handle_line("/claim victim", TEAM_B))
    assert _stances_line(victim) == "Stances: disagree 1 (Tia) · mean credence 10%"
    mine = text_of(await app.handle_line("/claim mine", TEAM_A))
    assert mine.startswith("Claim `mine`"), mine  # the merge is undone
    assert _stances_line(mine) == "Stances: agree 1 (Ann)"


async def test_undo_refuses_a_row_whose_id_another_workspace_now_uses(app: Cruxbot) -> None:
    """A database from before ids were never reused may hold such a row: undo stops, changes
    nothing, and says why."""
    await _run(app, REPRODUCTION)
    async with app.sessions() as session:
        # The stance the merge removed, and team B's: give B's the removed one's id, as
        # SQLite did before its tables were rebuilt with AUTOINCREMENT.
        removed = await session.scalar(
            text(
                "SELECT entity_id FROM revisions WHERE entity_type = 'stance' AND action = 'remove'"
            )
        )
        team_b = select(Workspace.id).where(Workspace.external_id == "TB").scalar_subquery()
        await session.execute(
            update(Stance).where(Stance.workspace_id == team_b).values(id=removed)
        )
        await session.commit()

    refused = await app.handle_line("/undo", TEAM_A)

    assert refused.error
    assert 'Cannot undo "merged mine into keep"' in refused.body
    assert "nothing was changed" in refused.body.lower()
    victim = text_of(await app.handle_line("/claim victim", TEAM_B))
    assert _stances_line(victim) == "Stances: disagree 1 (Tia) · mean credence 10%"
    mine = text_of(await app.handle_line("/claim mine", TEAM_A))
    assert mine.startswith("`mine` was merged into `keep`"), mine  # the merge still stands


async def test_undo_refuses_a_row_whose_statement_is_gone(app: Cruxbot) -> None:
    """A stance change undone after its claim was undone has nothing to belong to: refused
    with the reason (it used to fail with an error id), never tied to some other row."""
    bob = replace(TEAM_A, user_id="u-bob", user_name="Bob")
    await _run(
        app,
        (
            ("/claim gone A claim soon undone.", TEAM_A),
            ("/agree gone", bob),
            ("/disagree gone", bob),
            ("/undo", TEAM_A),  # the claim goes, and Bob's stance on it with it
            ("/claim other Another claim.", TEAM_B),
        ),
    )

    refused = await app.handle_line("/undo", bob)

    assert refused.error and not refused.error_id, refused.body
    assert refused.body == (
        'Cannot undo "disagree on gone": the stance it would bring back can no longer be '
        "restored here. Nothing was changed."
    )
    assert "none yet" in _stances_line(text_of(await app.handle_line("/claim other", TEAM_B)))


# ---------------------------------------------------------------- random sequences

RUNS = itertools.count()
PACK = """pack: 1
reading:
  slug: pack-reading
  title: A small pack
statements:
  - slug: c0
    kind: claim
    title: Packed claim
    text: A claim from a pack.
    author: Pat
    steelmen:
      - text: A stronger packed claim.
        author: Sam
    stances:
      - member: Sam
        position: agree
"""
#: Commands, the ones that delete rows or put them back listed more than once: an id
#: freed by a delete in one workspace and taken by an insert in another is what undo
#: must not confuse.
TEMPLATES = [
    *["/claim c{k} Claim {k} of workspace {w}."] * 3,
    "/objection o{k} Objection {k} of workspace {w}. to:c{j}",
    *["/agree c{j}"] * 3,
    "/disagree c{j} 30",
    "/unsure o{j}",
    "/steelman c{j} Stronger {k} in workspace {w}.",
    "/endorse c{j} 1",
    "/crux c{j} o{k}",
    *["/merge c{k} c{j}"] * 2,
    "/merge o{k} o{j}",
    "/delete c{j}",
    "/restore c{j}",
    "/rename o{j} r{k}",
    "/alias c{j} a{k}",
    "/status o{j} answered",
    "/edit c{j} text Edited {k} in workspace {w}.",
    *["/undo"] * 4,
    "/undo c{j}",
    "/forget-me confirm",
    "/meeting start",
    "/meeting end",
    "import pack",
    "import export of {j}",
]
#: Tables whose rows belong to a workspace, and the workspaces table itself.
TABLES = [t for t in Base.metadata.sorted_tables if "workspace_id" in t.c]


def _callers(run: int) -> list[list[Caller]]:
    """Three workspaces, each with a moderator and a member."""
    return [
        [
            replace(
                MEMBER,
                platform="discord",
                workspace_id=f"w{n}-{run}",
                user_id=f"{role}-{n}",
                user_name=f"{role.title()}{n}",
                is_moderator=role == "mod",
            )
            for role in ("mod", "member")
        ]
        for n in range(3)
    ]


async def _rows_outside(app: Cruxbot, workspace_ids: list[int]) -> dict[str, list[Any]]:
    """Every row of the given workspaces, table by table, in id order."""
    rows: dict[str, list[Any]] = {}
    async with app.sessions() as session:
        workspaces = Workspace.__table__
        owners = (
            select(workspaces).where(workspaces.c.id.in_(workspace_ids)).order_by(workspaces.c.id)
        )
        rows["workspaces"] = [tuple(r) for r in (await session.execute(owners)).all()]
        for table in TABLES:
            query = (
                select(table).where(table.c.workspace_id.in_(workspace_ids)).order_by(table.c.id)
            )
            rows[table.name] = [tuple(r) for r in (await session.execute(query)).all()]
    return rows


async def _workspace_ids(app: Cruxbot, callers: list[list[Caller]]) -> list[int]:
    async with app.sessions() as session:
        ids = []
        for pair in callers:
            found = await session.scalar(
                select(Workspace.id).where(
                    Workspace.platform == pair[0].platform,
                    Workspace.external_id == pair[0].workspace_id,
                )
            )
            assert found is not None
            ids.append(found)
        return ids


async def _step(app: Cruxbot, callers: list[list[Caller]], command: str, w: int, who: int) -> Any:
    caller = callers[w][who]
    if command == "import pack":
        return await app.import_file("pack.yaml", PACK.encode(), callers[w][0])
    if command.startswith("import export of "):
        source = callers[int(command.rsplit(" ", 1)[1])][0]
        _, exported = await app.export_text("json", None, source)
        return await app.import_file("backup.json", exported.encode(), callers[w][0])
    return await app.handle_line(command, caller)


STEPS = st.lists(
    st.tuples(
        st.integers(0, 2),  # workspace
        st.integers(0, 1),  # moderator or member
        st.sampled_from(TEMPLATES),
        st.integers(0, 1),  # k
        st.integers(0, 1),  # j
    ),
    min_size=3,
    max_size=25,
)


def _reproduction_steps() -> list[tuple[int, int, str, int, int]]:
    """The reported case in this test's terms (workspace 0 is team A, 1 team B)."""
    return [
        (0, 0, "/claim c{k} Claim {k} of workspace {w}.", 0, 0),
        (0, 0, "/claim c{k} Claim {k} of workspace {w}.", 1, 0),
        (0, 0, "/agree c{j}", 0, 0),
        (0, 0, "/agree c{j}", 0, 1),
        (0, 0, "/merge c{k} c{j}", 1, 0),
        (1, 0, "/claim c{k} Claim {k} of workspace {w}.", 0, 0),
        (1, 0, "/disagree c{j} 30", 0, 0),
        (0, 0, "/undo", 0, 0),
    ]


def _cascade_steps() -> list[tuple[int, int, str, int, int]]:
    """Undoing a claim removes a stance on it with it; undoing that stance later must not
    remove the stance of another workspace that has since been given its id."""
    return [
        (0, 1, "/claim c{k} Claim {k} of workspace {w}.", 0, 0),
        (0, 0, "/agree c{j}", 0, 0),
        (0, 1, "/undo", 0, 0),
        (1, 0, "/claim c{k} Claim {k} of workspace {w}.", 0, 0),
        (1, 0, "/agree c{j}", 0, 0),
        (0, 0, "/undo", 0, 0),
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
@example(steps=_reproduction_steps())
@example(steps=_cascade_steps())
async def test_no_command_changes_another_workspaces_rows(app: Cruxbot, steps: Any) -> None:
    callers = _callers(next(RUNS))
    for pair in callers:  # every workspace exists before the first snapshot
        await app.handle_line("/list", pair[0])
    ids = await _workspace_ids(app, callers)
    for w, who, template, k, j in steps:
        command = template.format(w=w, k=k, j=j)
        others = [ids[n] for n in range(3) if n != w]
        before = await _rows_outside(app, others)
        reply = await _step(app, callers, command, w, who)
        after = await _rows_outside(app, others)
        for table, rows in before.items():
            assert after[table] == rows, (command, w, table)
        assert not reply.error_id, (command, reply.body)
