"""Argdown import: files read by the real Argdown CLI become statements and answers."""

from __future__ import annotations

import json
import shutil
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.app import Cruxbot
from bot.formats import argdown_cli
from bot.formats.argdown import to_argdown
from bot.services.exports import MAX_IMPORT_BYTES
from bot.storage.snapshot_rows import MapSnapshot, ReadingRow, StatementRow
from tests.argdown_cli import argdown_json_all, require_argdown
from tests.command_line import run_cruxbot as run
from tests.conftest import MEMBER, MODERATOR
from tests.test_big_imports import loop_gaps

EXAMPLES = {
    path.name: path.read_text(encoding="utf-8")
    for path in sorted((Path(__file__).parent / "data" / "argdown").glob("*.argdown"))
}
ELSEWHERE = replace(MODERATOR, workspace_id="elsewhere")


async def _statements(app: Cruxbot, caller: Any = MODERATOR) -> dict[str, dict[str, Any]]:
    document = json.loads((await app.export_text("json", None, caller))[1])
    return {s["slug"]: s for s in document["statements"]}


async def _steelmen(app: Cruxbot, caller: Any = MODERATOR) -> list[tuple[Any, ...]]:
    document = json.loads((await app.export_text("json", None, caller))[1])
    fields = ("statement", "text", "author_name", "endorsed")
    return sorted(tuple(m[f] for f in fields) for m in document["steelmen"])


async def _import(app: Cruxbot, name: str, text: str, caller: Any = MODERATOR) -> str:
    reply = await app.import_file(name, text.encode("utf-8"), caller)
    assert not reply.error, reply.body
    return reply.body


async def test_round_trip_keeps_every_statement_and_relation(demo_app: Cruxbot) -> None:
    require_argdown()
    hostile = [
        "The paper at https://example.org/paper shows it",
        "=== not front matter ===",
        "Two lines\nand  a /* comment */ [x] <y> #tag\n\n- dash @include(x)",
    ]
    for index, text in enumerate(hostile):
        await demo_app.handle_line(f"/objection h{index} {text} to:lag", MEMBER)
    await demo_app.handle_line("/claim loose A claim tied to no reading", MEMBER)
    await demo_app.handle_line("/steelman blank-slate Put\nbetter: [x] // y", MEMBER)
    before = await _statements(demo_app)
    assert {"h0", "h1", "h2", "loose"} <= before.keys()
    argdown = (await demo_app.export_text("argdown", None, MODERATOR))[1]
    await _import(demo_app, "cruxbot-map.argdown", argdown, ELSEWHERE)
    after = await _statements(demo_app, ELSEWHERE)

    def kept(statements: dict[str, dict[str, Any]]) -> set[tuple[Any, ...]]:
        fields = ("slug", "kind", "text", "title", "status", "target")
        return {tuple(s[f] for f in fields) for s in statements.values()}

    assert kept(after) == kept(before)
    assert {s["author_name"] for s in after.values()} == {s["author_name"] for s in before.values()}
    steelmen = await _steelmen(demo_app)
    assert any(m[1].endswith("better: [x] // y") for m in steelmen), steelmen
    assert await _steelmen(demo_app, ELSEWHERE) == steelmen
    assert after["loose"]["reading"] is None
    assert {s["reading"] for s in after.values()} == {s["reading"] for s in before.values()}


async def test_argdown_projects_examples_import_whole(app: Cruxbot, tmp_path: Path) -> None:
    """Each example into a workspace of its own: every statement and argument the
    CLI's JSON export finds is one statement, arguments keep their descriptions."""
    references = argdown_json_all(tmp_path, EXAMPLES)
    for number, (name, source) in enumerate(EXAMPLES.items()):
        parsed = references[name]
        caller = replace(MODERATOR, workspace_id=f"example-{number}")
        await _import(app, name, source, caller)
        statements = await _statements(app, caller)
        assert len(statements) == len(parsed["statements"]) + len(parsed["arguments"]), name
        texts = {s["text"] for s in statements.values()}
        for title, argument in parsed["arguments"].items():
            described = [m["text"].strip() for m in argument["members"] if m.get("text")]
            assert (described[0] if described else title) in texts, (name, title)


MAPPED = """# Pause

[pause]: We should pause frontier AI.

<Verification>: Compute can be counted.

(1) Chips are few.
(2) [few]: Few chips can be tracked.
----
(3) [counted]: Compute can be counted.
  +> [pause]

<Spread>: Open weights spread anyway.
  -> [pause]
  -> <Verification>

<Rebuttal>: Spread is slow.
  -> <Spread>

[a]: First of a loop.
  -> [b]

[b]: Second of a loop.
  -> [a]
"""


async def test_arguments_premises_and_relations_map_to_one_target_each(app: Cruxbot) -> None:
    require_argdown()
    await _import(app, "pause.argdown", MAPPED)
    got = {slug: (s["kind"], s["target"]) for slug, s in (await _statements(app)).items()}
    assert got["pause"] == ("claim", None)
    assert got["counted"] == ("support", "pause")  # a conclusion's relation
    assert got["verification"] == ("support", "counted")  # an argument supports its conclusion
    assert got["few"] == ("support", "verification")  # a premise supports its argument
    assert got["spread"] == ("objection", "pause")  # the first of two relations
    assert got["rebuttal"] == ("reply", "spread")  # an attack on an objection
    assert {got["a"], got["b"]} == {("objection", "b"), ("claim", None)}  # no loop
    untitled = [s for s in got if s.startswith("untitled")]
    assert [got[s] for s in untitled] == [("support", "verification")]  # "Chips are few."


async def test_include_reads_no_file_of_the_machine(app: Cruxbot) -> None:
    require_argdown()
    # A path without `_`, which Argdown would read as italics around the include.
    folder = Path(tempfile.gettempdir()) / f"cruxbot-{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        secret = folder / "token.txt"
        secret.write_text("SECRET-TOKEN-VALUE", encoding="utf-8")
        source = f"===\nsaveAs:\n  outputDir: {folder / 'written'}\n===\n\n"
        source += f"[leak]: Here: @include({secret})\n\n@include({secret})\n"
        await _import(app, "leak.argdown", source)
        written = (folder / "written").exists()
    finally:
        shutil.rmtree(folder)
    exported = (await app.export_text("json", None, MODERATOR))[1]
    assert "SECRET-TOKEN-VALUE" not in exported
    assert f"Here: @include({secret})" in exported
    assert not written


async def test_invalid_argdown_names_the_place_and_imports_nothing(app: Cruxbot) -> None:
    require_argdown()
    reply = await app.import_file("bad.argdown", b"[a]: One.\n\n[b]: Two [c]\n", MODERATOR)
    assert reply.error
    assert "bad.argdown is not valid Argdown" in reply.body and "3:" in reply.body
    assert await _statements(app) == {}


async def test_an_argdown_file_without_statements_is_refused(app: Cruxbot) -> None:
    require_argdown()
    reply = await app.import_file("empty.argdown", b"# Only a heading\n", MODERATOR)
    assert reply.error
    assert "empty.argdown holds no Argdown statements or arguments." in reply.body


async def test_without_node_the_reply_says_what_to_install(
    app: Cruxbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node here
    reply = await app.import_file("map.argdown", b"[a]: One.\n", MODERATOR)
    assert reply.error
    assert "Node.js" in reply.body and "@argdown/cli" in reply.body
    assert await _statements(app) == {}


async def test_a_slow_argdown_run_is_stopped(app: Cruxbot, monkeypatch: pytest.MonkeyPatch) -> None:
    require_argdown()
    monkeypatch.setattr(argdown_cli, "TIMEOUT_SECONDS", 0.001)
    reply = await app.import_file("map.argdown", b"[a]: One.\n", MODERATOR)
    assert reply.error
    assert "Argdown took over" in reply.body and "split it" in reply.body


async def test_argdown_over_the_import_limit_is_refused_unread(app: Cruxbot) -> None:
    big = b"[a]: " + b"x" * MAX_IMPORT_BYTES + b"\n"
    reply = await app.import_file("big.argdown", big, MODERATOR)
    assert reply.error
    assert "the import limit" in reply.body


async def test_argdown_is_recognised_by_content_too(app: Cruxbot) -> None:
    require_argdown()
    await _import(app, "upload.txt", "[thesis]: Argdown without its file name.\n")
    assert (await _statements(app))["thesis"]["kind"] == "claim"


def _big_argdown(statements: int) -> str:
    """A real Argdown file of claims, each answered by nine objections."""
    rows = [
        StatementRow(
            slug=f"s{i}",
            kind="claim" if i % 10 == 0 else "objection",
            title=f"Point {i}",
            text=f"Point {i} says more about https://example.org/{i} than fits.",
            status="open",
            author_name="Ann",
            target=None if i % 10 == 0 else f"s{i - i % 10}",
            reading="r",
        )
        for i in range(statements)
    ]
    return to_argdown(MapSnapshot(readings=[ReadingRow(slug="r", title="Big")], statements=rows))


async def test_a_big_argdown_import_does_not_stop_the_event_loop(app: Cruxbot) -> None:
    require_argdown()
    content = _big_argdown(1000)
    async with loop_gaps() as gaps:
        body = await _import(app, "big.argdown", content)
    assert "1000 statements" in body
    gaps.check()


def test_cruxbot_import_reads_an_argdown_file(tmp_path: Path) -> None:
    require_argdown()
    example = tmp_path / "state-censorship.argdown"
    example.write_text(EXAMPLES["state-censorship.argdown"], encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run(["import", str(example), "--db", db])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "35 statements" in result.stdout
    listed = run(["export", "--format", "json", "--db", db])
    assert "Censorship is not wrong in principle." in listed.stdout
