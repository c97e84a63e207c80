"""A merged statement: its backup restores, and its nickname says where it went."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from bot.app import Cruxbot
from bot.context import Caller
from tests.command_line import run_cruxbot as run
from tests.conftest import MEMBER, MODERATOR, Say, text_of

#: The host at the command line (`cruxbot import`), restoring into another workspace.
OPERATOR = Caller(
    platform="console",
    workspace_id="restored",
    user_id="cli",
    user_name="cruxbot import",
    is_moderator=True,
    is_operator=True,
)


async def merged_lag(say: Say) -> None:
    """Ann's claim `c1`, her objections `lag` and `lag-2`, and `lag-2` merged into `lag`."""
    for line in (
        "/claim c1 Models are blank slates.",
        "/objection lag Alignment lags capabilities. to:c1",
        "/objection lag-2 Alignment research trails capability research. to:c1",
        "/agree lag-2 70",
        "/crux c1 lag-2",  # cruxes stay with the statement they name
        "/merge lag-2 lag",
    ):
        reply = await say(line)
        assert not reply.error, (line, reply.body)


async def export_json(app: Cruxbot, caller: Caller) -> str:
    return (await app.export_text("json", None, caller))[1]


async def test_a_backup_made_after_a_merge_restores_identically(app: Cruxbot, say: Say) -> None:
    await merged_lag(say)
    await say("/rename lag lag-2", MODERATOR)  # the merged nickname, now the main one
    backup = await export_json(app, MEMBER)
    restored = await app.import_file("backup.json", backup.encode(), OPERATOR)
    assert not restored.error, restored.body
    assert await export_json(app, OPERATOR) == backup
    # The restored map behaves like the original: the nicknames lead where they did.
    assert "Objection `lag-2`: Alignment lags" in text_of(
        await app.handle_line("/objection lag", replace(OPERATOR, is_operator=False))
    )


async def test_a_merged_statement_keeps_its_identity_in_the_export(app: Cruxbot, say: Say) -> None:
    await merged_lag(say)
    document = json.loads(await export_json(app, MEMBER))
    merged = next(s for s in document["statements"] if s["text"].startswith("Alignment research"))
    kept = next(s for s in document["statements"] if s["slug"] == "lag")
    assert merged["slug"] == "lag-2" and merged["merged"] is True
    assert merged["duplicate_of"] == "lag" and merged["aliases"] == []
    assert kept["aliases"] == ["lag-2"] and "merged" not in kept
    # The file refers to the merged statement by its ref, which no nickname can be.
    assert merged["ref"] == "lag-2@3"
    assert [c["belief"] for c in document["cruxes"]] == ["lag-2@3"]


async def test_a_file_with_a_merged_statement_without_its_ref_is_refused(
    app: Cruxbot, say: Say
) -> None:
    await merged_lag(say)
    document = json.loads(await export_json(app, MEMBER))
    del document["statements"][2]["ref"]
    broken = await app.import_file("x.json", json.dumps(document).encode(), OPERATOR)
    assert broken.error
    assert "statements[2] `lag-2`: a merged statement needs a `ref`" in broken.body
    document["statements"][2]["ref"] = "lag-2"  # a nickname: it would name `lag`
    broken = await app.import_file("x.json", json.dumps(document).encode(), OPERATOR)
    assert broken.error and "needs a `ref` like `slug@3`" in broken.body
    assert "`lag-2`" not in text_of(await app.handle_line("/list", OPERATOR))


async def test_a_merged_nickname_says_what_it_was_merged_into(app: Cruxbot, say: Say) -> None:
    await merged_lag(say)
    reply = await say("/objection lag-2")
    shown = text_of(reply)
    assert "`lag-2` was merged into `lag`" in shown
    assert "Alignment research trails capability research." in shown  # the merged wording
    assert [a.command for a in reply.actions] == ["objection"]
    assert dict(reply.actions[0].args) == {"slug": "lag"}
    # The statement that stays is shown as before under its own nickname.
    assert "Objection `lag`: Alignment lags capabilities." in text_of(await say("/objection lag"))


async def test_merged_statements_are_listed_as_duplicates(app: Cruxbot, say: Say) -> None:
    await merged_lag(say)
    listed = text_of(await say("/list objections duplicate"))
    assert "`lag-2`" in listed and "merged into `lag`" in listed
    assert "Alignment research trails" in listed
    # Elsewhere a merged statement stays out of the way.
    assert "lag-2" not in text_of(await say("/list objections"))


def test_the_reported_backup_restores_through_the_command_line(tmp_path: Path) -> None:
    """The report, as typed: a console session with a merge, exported, imported, exported."""
    source, restored = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    session = run(
        ["console", "--db", source],
        stdin="/claim c1 Models are blank slates.\n"
        "/objection a Alignment lags capabilities. to:c1\n"
        "/objection b Alignment research trails capability research. to:c1\n"
        "/merge b a\n",
    )
    assert session.returncode == 0 and "Merged `b` into `a`" in session.stdout
    backup = run(["export", "--format", "json", "--db", source])
    assert backup.returncode == 0, backup.stderr
    (tmp_path / "backup.json").write_text(backup.stdout, encoding="utf-8")
    imported = run(["import", str(tmp_path / "backup.json"), "--db", restored])
    assert imported.returncode == 0, imported.stderr + imported.stdout
    again = run(["export", "--format", "json", "--db", restored])
    assert again.stdout == backup.stdout
