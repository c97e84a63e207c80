"""/forget-me leaves no trace in tables, index, minutes or exports; no undo brings it back.

The session below is what a reading group really does: a member (Quorndale)
starts a meeting, objects, steelmans someone else's claim (which its author
endorses), takes stances on claims that are then merged, names a crux; the
meeting ends with minutes. After Quorndale is forgotten, other members undo
everything they can, and then every table of the database (on SQLite also the
full-text index's shadow tables, byte for byte) and every export is searched
for Quorndale's id, name and words.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import Cruxbot
from bot.context import Caller
from bot.services.exports import EXPORT_FORMATS
from bot.storage import migrate
from bot.storage.database import create_engine
from tests.conftest import MEMBER, MODERATOR, text_of

FORGOTTEN = replace(MEMBER, user_id="u-quorn-7", user_name="Quorndale")
IDENTITY = ("u-quorn-7", "quorndale")
#: Words only Quorndale wrote (an objection, its nickname, a steelman, a crux's belief).
WORDS = ("zorblax", "flumpery", "snorkelwhistle", "glimmerfault")

SESSION: tuple[tuple[Caller, str], ...] = (
    (FORGOTTEN, "/reading evals-reading Evaluation practice"),
    (FORGOTTEN, "/meeting start evals-reading"),
    (MEMBER, "/claim ann-claim Evaluations will catch misalignment early."),
    (MEMBER, "/claim ann-second Interpretability tools scale with the models."),
    (MEMBER, "/claim ann-third Oversight stays cheap as capabilities grow."),
    (
        FORGOTTEN,
        "/objection zorblax-point Flumpery in the metrics: zorblax benchmarks saturate "
        "before deployment. to:ann-claim",
    ),
    (FORGOTTEN, "/steelman ann-claim Snorkelwhistle version: evaluations catch what matters."),
    (MEMBER, "/endorse ann-claim 1"),
    (FORGOTTEN, "/disagree ann-second 30"),
    (FORGOTTEN, "/agree ann-third"),
    (MEMBER, "/agree ann-claim"),
    (MEMBER, "/merge ann-second ann-claim"),  # moves Quorndale's stance
    (MEMBER, "/merge ann-third ann-claim"),  # removes Quorndale's second stance
    (FORGOTTEN, "/crux ann-claim glimmer-belief Glimmerfault: labs share their results."),
    (MEMBER, "/disagree glimmer-belief"),
    (MEMBER, "/reply ann-answer Benchmarks are refreshed every year. to:zorblax-point"),
    (MODERATOR, "/status zorblax-point answered"),
    (
        MODERATOR,
        "/objection quorn-said Zorblax metrics drift, said aloud. to:ann-claim by:Quorndale",
    ),
    (MEMBER, "/action Write up the zorblax benchmarks by:Quorndale"),
    (FORGOTTEN, "/decision We read the flumpery paper next"),
    (FORGOTTEN, "/meeting end"),  # only its starter (or a moderator) ends a meeting
)


async def _play_session(app: Cruxbot) -> None:
    for caller, line in SESSION:
        reply = await app.handle_line(line, caller)
        assert not reply.error, f"{line}: {reply.body}"


async def _undo_everything_possible(app: Cruxbot) -> None:
    """Every undo anyone could try after the forget; none may fail unexpectedly."""
    attempts = [(FORGOTTEN, "/undo"), (MODERATOR, "/undo")]
    attempts += [(MODERATOR, f"/undo {slug}") for slug in ("ann-claim", "ann-answer")] * 3
    attempts += [(MEMBER, "/undo")] * 12
    for caller, line in attempts:
        reply = await app.handle_line(line, caller)
        assert not reply.error_id, f"{line}: {reply.body}"


async def _database_text(engine: AsyncEngine) -> dict[str, str]:
    """Every table's rows as lowercase text; on SQLite blobs too (FTS5 segments)."""
    tables: dict[str, str] = {}
    async with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            names = await connection.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            for (name,) in names.all():
                rows = await connection.execute(text(f'SELECT * FROM "{name}"'))
                tables[name] = " ".join(_as_text(value) for row in rows for value in row)
        else:
            names = await connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = current_schema()"
                )
            )
            for (name,) in names.all():
                rows = await connection.execute(
                    text(f'SELECT row_to_json(t)::text FROM "{name}" t')
                )
                tables[name] = " ".join(row[0] for row in rows)
    return {name: content.lower() for name, content in tables.items()}


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return "" if value is None else str(value)


async def _everything_shown(app: Cruxbot) -> dict[str, str]:
    """Each export format and the replies that show minutes, history and search."""
    shown = {fmt: (await app.export_text(fmt, None, MEMBER))[1] for fmt in EXPORT_FORMATS}
    for line in ("/meeting minutes", "/history", "/search benchmarks", "/steelman ann-claim"):
        shown[line] = text_of(await app.handle_line(line, MODERATOR))
    return {name: content.lower() for name, content in shown.items()}


def _found(needles: tuple[str, ...], places: dict[str, str]) -> list[tuple[str, str]]:
    return [
        (needle, name)
        for name, content in places.items()
        for needle in needles
        if needle in content
    ]


async def test_a_forgotten_member_is_nowhere_and_no_undo_brings_them_back(app: Cruxbot) -> None:
    await _play_session(app)
    before = await _database_text(app.engine)
    # The search really can see the words (the scan would find them if they stayed).
    seen = {needle for needle, _ in _found(IDENTITY + WORDS, await _everything_shown(app))}
    assert seen == set(IDENTITY + WORDS)
    holding = {name for _, name in _found(IDENTITY, before)}
    assert {
        "revisions",
        "meetings",
        "readings",
        "statements",
        "steelmen",
        "action_items",
    } <= holding
    if app.engine.dialect.name == "sqlite":
        assert "zorblax" in before["statement_search_data"]
        assert "snorkelwhistle" in before["steelman_search_data"]

    await app.handle_line("/forget-me", FORGOTTEN)
    done = await app.handle_line("/forget-me confirm", FORGOTTEN)
    assert not done.error, done.body
    for kept in ("/claim ann-claim", "/reply ann-answer"):  # what the others wrote stays
        assert not (await app.handle_line(kept, MEMBER)).error
    await _undo_everything_possible(app)

    left = _found(IDENTITY + WORDS, await _database_text(app.engine))
    assert left == [], left
    assert _found(IDENTITY + WORDS, await _everything_shown(app)) == []
    # What the others wrote stays, and the minutes still tell the meeting.
    minutes = text_of(await app.handle_line("/meeting minutes", MEMBER))
    assert "Minutes of meeting" in minutes and "Ann" in minutes
    assert "a former member" in minutes  # who started it


async def test_anonymised_member_keeps_the_arguments_but_not_the_name(app: Cruxbot) -> None:
    anonymising = Cruxbot(app.engine, forget_mode="anonymise")
    await _play_session(anonymising)
    done = await anonymising.handle_line("/forget-me confirm", FORGOTTEN)
    assert not done.error, done.body
    kept = await _everything_shown(anonymising)
    assert "zorblax" in kept["json"] and "snorkelwhistle" in kept["json"]
    objection = text_of(await anonymising.handle_line("/objection zorblax-point", MEMBER))
    assert "Flumpery in the metrics" in objection and "a former member" in objection
    minutes = text_of(await anonymising.handle_line("/meeting minutes", MEMBER))
    assert "zorblax-point" in minutes and "a former member" in minutes
    await _undo_everything_possible(anonymising)

    left = _found(IDENTITY, await _database_text(app.engine))
    assert left == [], left
    assert _found(IDENTITY, kept) == []
    assert _found(IDENTITY, await _everything_shown(anonymising)) == []


async def test_a_member_who_only_ran_a_meeting_is_forgotten_too(app: Cruxbot) -> None:
    for caller, line in (*SESSION[:3], (FORGOTTEN, "/meeting end")):
        assert not (await app.handle_line(line, caller)).error, line
    asked = await app.handle_line("/forget-me", FORGOTTEN)
    assert "holds nothing" not in asked.body
    assert "also show on 1 meeting, 1 reading and 1 history entry" in asked.body
    done = await app.handle_line("/forget-me confirm", FORGOTTEN)
    assert not done.error, done.body
    left = _found(IDENTITY, await _database_text(app.engine))
    assert left == [], left
    assert _found(IDENTITY, await _everything_shown(app)) == []
    assert "holds nothing" in (await app.handle_line("/forget-me", FORGOTTEN)).body


async def test_the_sqlite_file_keeps_no_bytes_of_a_forgotten_member(tmp_path: Path) -> None:
    """Deleted rows' bytes are overwritten in the file itself, not just unlinked (secure_delete)."""
    path = tmp_path / "cruxbot.db"
    engine = create_engine(f"sqlite:///{path}")
    await migrate.upgrade(engine)
    app = Cruxbot(engine)
    await _play_session(app)
    assert not (await app.handle_line("/forget-me confirm", FORGOTTEN)).error
    await engine.dispose()  # the last connection checkpoints the WAL into the file
    assert [p.name for p in tmp_path.iterdir()] == ["cruxbot.db"]  # noqa: ASYNC240
    content = path.read_bytes().lower()
    assert [w for w in IDENTITY + WORDS if w.encode() in content] == []


async def test_a_forgotten_members_statement_merged_into_anothers_leaves_no_nickname(
    app: Cruxbot,
) -> None:
    for caller, line in (
        (MEMBER, "/claim ann-claim Evaluations will catch misalignment early."),
        (FORGOTTEN, "/objection zorblax-point Zorblax benchmarks saturate. to:ann-claim"),
        (MEMBER, "/objection ann-objection Benchmarks saturate. to:ann-claim"),
        (MEMBER, "/agree zorblax-point"),
        (MODERATOR, "/merge zorblax-point ann-objection"),
    ):
        assert not (await app.handle_line(line, caller)).error, line
    assert "ann-objection" in text_of(await app.handle_line("/objection zorblax-point", MEMBER))
    assert not (await app.handle_line("/forget-me confirm", FORGOTTEN)).error
    gone = await app.handle_line("/objection zorblax-point", MEMBER)
    assert gone.error  # the nickname went with the statement it was given to
    kept = text_of(await app.handle_line("/objection ann-objection", MEMBER))
    assert "Stances: agree 1 (Ann)" in kept  # what others did on it stays
    await _undo_everything_possible(app)
    left = _found((*IDENTITY, "zorblax"), await _database_text(app.engine))
    assert left == [], left


async def test_rewritten_minutes_keep_what_was_still_open_when_the_meeting_ended(
    app: Cruxbot,
) -> None:
    for caller, line in (
        (MEMBER, "/reading evals-reading Evaluation practice"),
        (MEMBER, "/meeting start evals-reading"),
        (MEMBER, "/claim ann-claim Evaluations will catch misalignment early."),
        (MEMBER, "/objection ann-doubt Labs may not share results. to:ann-claim"),
        (FORGOTTEN, "/objection zorblax-point Zorblax benchmarks saturate. to:ann-claim"),
        (MEMBER, "/meeting end"),
        (MEMBER, "/status ann-doubt answered"),  # after the meeting: the minutes still say open
    ):
        assert not (await app.handle_line(line, caller)).error, line
    assert not (await app.handle_line("/forget-me confirm", FORGOTTEN)).error
    minutes = text_of(await app.handle_line("/meeting minutes", MEMBER))
    still_open = minutes.split("Still open", 1)[1]
    assert "`ann-doubt` — Labs may not share results." in still_open
    assert "zorblax" not in minutes.lower() and "quorndale" not in minutes.lower()
    assert "objection `ann-doubt`" in minutes  # the new statements others logged stay
