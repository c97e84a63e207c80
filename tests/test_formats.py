"""Exports in open formats, and imports back: lossless JSON, Argdown, AIF, Kialo."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.context import Caller
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER

ARGDOWN = Path(__file__).resolve().parent.parent / "tools/argdown/node_modules/.bin/argdown"
REQUIRE_ARGDOWN = os.environ.get("CRUXBOT_REQUIRE_ARGDOWN") == "1"
EXAMPLES = itertools.count()


def workspace(n: str) -> Caller:
    return replace(MODERATOR, platform="console", workspace_id=n)


async def export(
    app: Cruxbot, fmt: str, caller: Caller = MEMBER, reading: str | None = None
) -> str:
    return (await app.export_text(fmt, reading, caller))[1]


#: Where an export holds member ids, by section.
MEMBER_ID_FIELDS = {
    "readings": "created_by",
    "statements": "author_id",
    "steelmen": "author_id",
    "stances": "member_id",
    "cruxes": "member_id",
    "meetings": "started_by_id",
}


def as_imported_where_unseen(text: str, members: set[str], channels: set[str]) -> dict[str, object]:
    """An export as a workspace that has seen neither `members` nor `channels` imports it.

    Exactly these change: each of those member ids becomes `imported:<id>`
    (the name beside it stays), a meeting in one of those channels keeps no
    channel, their entries leave the `channels` section, and message links
    are emptied (a console workspace owns none). Everything else is identical.
    """
    document: dict[str, Any] = json.loads(text)
    for section, key in MEMBER_ID_FIELDS.items():
        for item in document[section]:
            if item[key] in members:
                item[key] = f"imported:{item[key]}"
    for item in document["meetings"]:
        assert item["ended_at"] is not None  # open meetings would be closed too
        if item["channel"] in channels:
            item["channel"] = ""
    document["channels"] = [c for c in document["channels"] if c["channel"] not in channels]
    for item in document["statements"]:
        item["origin_url"] = ""
    return document


async def test_json_round_trip_of_the_demo_keeps_all_but_unseen_member_ids(
    demo_app: Cruxbot,
) -> None:
    await demo_app.handle_line("/meeting start alignment-optimism", MODERATOR)
    await demo_app.handle_line("/objection gone Deleted later. to:lag", MEMBER)
    await demo_app.handle_line("/delete gone", MEMBER)
    await demo_app.handle_line("/rename lag capability-lag", MODERATOR)
    await demo_app.handle_line("/crux capability-lag rigorous-evals", OTHER_MEMBER)
    await demo_app.handle_line("/status endgame duplicate capability-lag", MODERATOR)
    await demo_app.handle_line("/meeting end", MODERATOR)
    first = await export(demo_app, "json")
    # Restored by the same moderator in the same channel: those ids are owned there;
    # Ann and Bob have not acted in the new workspace yet.
    fresh = workspace("restored")
    imported = await demo_app.import_file("backup.json", first.encode(), fresh)
    assert not imported.error, imported.body
    assert "2 member ids this workspace has not seen" in imported.body
    again = json.loads(await export(demo_app, "json", fresh))
    assert again == as_imported_where_unseen(first, {MEMBER.user_id, OTHER_MEMBER.user_id}, set())
    assert again["meetings"][0]["channel"] == MODERATOR.channel_id
    # Pack authors are no platform's members: their ids come back as they were.
    assert any(s["author_id"].startswith("pack:") for s in again["statements"])
    document = json.loads(first)
    assert {s["slug"] for s in document["statements"]} >= {"capability-lag", "gone"}
    assert (
        "lag" in next(s for s in document["statements"] if s["slug"] == "capability-lag")["aliases"]
    )


#: Every command that changes what a map holds, with the nicknames drawn from a few.
COMMANDS = [
    "/claim c{n} Claim {t}",
    "/objection o{n} Objection {t} to:c{m}",
    "/reply r{n} Reply {t} to:o{m}",
    "/support s{n} Support {t} to:c{m}",
    "/agree c{m} {p}",
    "/disagree o{m}",
    "/unsure o{m} {p}",
    "/steelman o{m} Stronger {t}",
    "/endorse o{m} 1",
    "/alias o{m} alias-{n}",
    "/rename o{m} o{n}",
    "/rename o{m} alias-{n}",
    "/status o{m} answered",
    "/status o{m} duplicate o{n}",
    "/delete r{m}",
    "/delete o{m}",
    "/restore o{m}",
    "/edit c{m} text Edited {t}",
    "/crux c{m} o{n}",
    "/merge o{m} o{n}",
    "/merge alias-{m} o{n}",
    "/merge c{m} c{n}",
    "/undo",
    "/forget-me confirm",
]
#: Who runs each command: a moderator, or one of two members.
PEOPLE = [MODERATOR, MEMBER, OTHER_MEMBER]
#: A small map each script starts from, by the members, so the commands find things to change.
PRELUDE = [
    ("/claim c0 Claim {t}", 1),
    ("/claim c1 Claim {t}", 2),
    ("/objection o0 Objection {t} to:c0", 1),
    ("/objection o1 Objection {t} to:c0", 2),
    ("/reply r0 Reply {t} to:o0", 1),
]
lines = st.lists(
    st.tuples(st.sampled_from(COMMANDS), st.sampled_from(range(len(PEOPLE)))),
    min_size=1,
    max_size=15,
).map(lambda script: PRELUDE + script)
words = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30
).filter(lambda t: t.strip() and ":" not in t)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    script=lines,
    texts=st.lists(words, min_size=20, max_size=20),
    numbers=st.lists(st.integers(0, 2), min_size=40, max_size=40),
)
async def test_json_round_trip_property(
    app: Cruxbot, script: list[tuple[str, int]], texts: list[str], numbers: list[int]
) -> None:
    name = f"src-{next(EXAMPLES)}"  # the app is shared by every example
    source = workspace(name)
    for index, (template, who) in enumerate(script):
        line = template.format(
            n=numbers[index], m=numbers[index + 20], t=texts[index], p=numbers[index] * 20
        )
        await app.handle_line(line, replace(PEOPLE[who], workspace_id=name))
    before = await export(app, "json", source)
    # The host restoring the backup into an empty workspace keeps every id.
    host = replace(source, workspace_id=f"{name}-restored", user_id="cli", is_operator=True)
    reply = await app.import_file("map.json", before.encode(), host)
    assert not reply.error, reply.body
    assert await export(app, "json", host) == before
    # Another moderator, in a channel of their own: the source's member and channel
    # ids are not theirs, and exactly those change (see as_imported_where_unseen).
    target = replace(source, workspace_id=f"{name}-copy", user_id="u-other", channel_id="c9")
    reply = await app.import_file("map.json", before.encode(), target)
    assert not reply.error, reply.body
    after = json.loads(await export(app, "json", target))
    members = {person.user_id for person in PEOPLE}
    assert after == as_imported_where_unseen(before, members, {source.channel_id})
    # Imported by the source's own moderator in its channel: only the two members'
    # ids are unseen there.
    owned = replace(source, workspace_id=f"{name}-owned")
    reply = await app.import_file("map.json", before.encode(), owned)
    assert not reply.error, reply.body
    again = json.loads(await export(app, "json", owned))
    assert again == as_imported_where_unseen(before, members - {source.user_id}, set())


async def test_import_refuses_taken_slugs_and_bad_files(demo_app: Cruxbot) -> None:
    backup = (await export(demo_app, "json")).encode()
    again = await demo_app.import_file("backup.json", backup, MODERATOR)
    assert again.error and "Already in this workspace" in again.body
    broken = await demo_app.import_file(
        "x.json",
        b'{"format": "cruxbot-map", "version": 1, "statements": [{"slug": "Bad Slug"}]}',
        MODERATOR,
    )
    assert broken.error and "statements[0]" in broken.body
    not_json = await demo_app.import_file("x.json", b'{"format": "cruxbot-map", oops', MODERATOR)
    assert not_json.error and "line 1" in not_json.body
    binary = await demo_app.import_file("x.bin", b"\xff\xfe\x00", MODERATOR)
    assert binary.error and "not UTF-8" in binary.body
    member = await demo_app.import_file("x.json", backup, MEMBER)
    assert member.error and "Only a moderator" in member.body


async def test_markdown_export_nests_answers_under_claims(demo_app: Cruxbot) -> None:
    text = await export(demo_app, "md", reading="alignment-optimism")
    assert text.startswith("# Argument map")
    claim = text.index("**Claim `mvp-researcher`**")
    objection = text.index("**Objection `lag`**")
    reply = text.index("**Reply `lag-reply`**")
    assert claim < objection < reply
    assert "*Steelman (Priya, endorsed):*" in text
    missing = await demo_app.handle_line("/export md reading:nope", MEMBER)
    assert missing.error and "no reading `nope`" in missing.body


async def test_export_in_chat_posts_a_file(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line("/export json", MEMBER)
    assert reply.attachment is not None
    assert reply.attachment.filename == "cruxbot-map.json"
    assert json.loads(reply.attachment.content)["format"] == "cruxbot-map"


async def test_aif_export_links_every_statement(demo_app: Cruxbot) -> None:
    snapshot = json.loads(await export(demo_app, "json"))
    by_kind = [s["kind"] for s in snapshot["statements"]]
    document = json.loads(await export(demo_app, "aif"))
    nodes = {n["nodeID"]: n for n in document["nodes"]}
    kinds = [n["type"] for n in document["nodes"]]
    assert kinds.count("CA") == by_kind.count("objection") + by_kind.count("reply") == 10
    assert kinds.count("RA") == by_kind.count("support") == 1
    assert kinds.count("MA") == len(snapshot["steelmen"])
    assert kinds.count("I") == len(by_kind) + len(snapshot["steelmen"])
    for edge in document["edges"]:
        assert edge["fromID"] in nodes and edge["toID"] in nodes
    people = {p["firstname"] for p in document["participants"]}
    assert {"Jan Leike", "Priya"} <= people
    assert len(document["locutions"]) == kinds.count("L")


def _argdown_json(tmp_path: Path, source: str) -> dict[str, Any]:
    if not ARGDOWN.exists():
        if REQUIRE_ARGDOWN:
            pytest.fail("the Argdown CLI is required: npm ci --prefix tools/argdown")
        pytest.skip("Argdown CLI not installed (npm ci --prefix tools/argdown)")
    (tmp_path / "map.argdown").write_text(source, encoding="utf-8")
    subprocess.run(
        [str(ARGDOWN), "json", str(tmp_path / "map.argdown"), str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    parsed: dict[str, Any] = json.loads((tmp_path / "map.json").read_text(encoding="utf-8"))
    return parsed


async def test_argdown_export_survives_the_argdown_cli(demo_app: Cruxbot, tmp_path: Path) -> None:
    hostile = "Brackets [x] <y> {z} # * _ @ + - : ` ~ \\ and\nnewlines"
    await demo_app.handle_line(f"/objection hostile {hostile} to:lag", MEMBER)
    await demo_app.handle_line(f"/steelman blank-slate Third {hostile}", MEMBER)
    snapshot = json.loads(await export(demo_app, "json"))
    parsed = _argdown_json(tmp_path, await export(demo_app, "argdown"))
    statements, arguments = parsed["statements"], parsed["arguments"]
    for statement in snapshot["statements"]:
        slug = statement["slug"]
        if statement["kind"] == "claim":
            assert slug in statements, slug
        else:
            assert slug in arguments, slug
    blank = statements["blank-slate"]["members"]
    assert len([m for m in blank if m.get("text")]) == 4  # the claim and its three steelmen
    relations = {(r["from"], r["to"], r["relationType"]) for r in parsed["relations"]}
    for statement in snapshot["statements"]:
        if statement["target"]:
            kind = "support" if statement["kind"] == "support" else "attack"
            assert (statement["slug"], statement["target"], kind) in relations
    texts = [m["text"] for m in arguments["hostile"]["members"] if m.get("text")]
    assert texts[0].strip() == " ".join(hostile.split())


KIALO = """Discussion Title: Should we pause frontier AI?

1. We should pause frontier AI training.
1.1. Pro: Alignment research needs time to catch up.
1.2. Con: A pause would move research to less careful labs.
1.2.1. Con: Compute is concentrated, so a pause can be verified.
1.2.2. Pro: Open weights already spread
the capabilities widely.
"""


async def test_kialo_import(app: Cruxbot) -> None:
    reply = await app.import_file("pause.txt", KIALO.encode(), MODERATOR)
    assert not reply.error, reply.body
    assert "not seen" not in reply.body  # a Kialo file holds no platform ids
    document = json.loads(await export(app, "json"))
    assert document["readings"][0]["created_by"] == f"kialo:{MODERATOR.user_name}"
    kinds = {s["slug"]: (s["kind"], s["target"]) for s in document["statements"]}
    thesis = next(s for s, (k, t) in kinds.items() if k == "claim")
    con = next(s for s, (k, t) in kinds.items() if k == "objection")
    assert kinds[con][1] == thesis
    assert sorted(k for k, _ in kinds.values()) == [
        "claim",
        "objection",
        "reply",
        "support",
        "support",
    ]
    spread = next(s for s in document["statements"] if s["text"].startswith("Open weights"))
    assert spread["text"] == "Open weights already spread the capabilities widely."
    assert document["readings"][0]["title"] == "Should we pause frontier AI?"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1. Thesis\n1.2.1. Con: orphan\n", "Line 2: point 1.2.1 has no parent 1.2"),
        ("1. Thesis\n1.1. Maybe: x\n", "Line 2: point 1.1 needs `Pro:` or `Con:`"),
        ("1. Thesis\n1. Again\n", "Line 2: point 1 appears twice"),
        ("1. Thesis\n1.1. Con: bell\x07\n", "Line 2: control character U+0007"),
    ],
)
async def test_bad_kialo_files_name_the_line_and_import_nothing(
    app: Cruxbot, text: str, message: str
) -> None:
    reply = await app.import_file("bad.txt", text.encode(), MODERATOR)
    assert reply.error
    assert message in reply.body
    assert (
        "Nothing" in (await app.handle_line("/list", MEMBER)).body
        or "No statements" in (await app.handle_line("/list", MEMBER)).body
    )


def test_argdown_binary_is_pinned() -> None:
    package = json.loads((ARGDOWN.parents[2] / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["@argdown/cli"] == "1.7.5"
    assert shutil.which("node") or not REQUIRE_ARGDOWN


@pytest.mark.usefixtures("graphviz")
async def test_map_is_a_png_with_every_slug(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line("/map alignment-optimism", MEMBER)
    assert reply.attachment is not None
    assert reply.attachment.content.startswith(b"\x89PNG\r\n\x1a\n")
    snapshot = json.loads(await export(demo_app, "json"))
    from bot.render.argument_map import to_dot

    dot = to_dot(snapshot["statements"], {}, "t")
    for statement in snapshot["statements"]:
        assert f'"{statement["slug"]}"' in dot


async def test_map_of_one_statement_and_the_text_fallback(
    demo_app: Cruxbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    reply = await demo_app.handle_line("/map lag", MEMBER)
    assert reply.attachment is None
    assert "apt-get install graphviz" in reply.footer
    assert reply.body.splitlines()[0].startswith("- claim `mvp-researcher`")
    assert "  - objection `lag` [open, 2 steelmen]" in reply.body
    assert "    - reply `lag-reply`" in reply.body
    assert "endgame" not in reply.body  # a sibling, not part of lag's neighbourhood
    missing = await demo_app.handle_line("/map nowhere", MEMBER)
    assert missing.error and "no reading or statement `nowhere`" in missing.body


async def test_dot_labels_escape_quotes(app: Cruxbot) -> None:
    from bot.render.argument_map import to_dot

    dot = to_dot(
        [
            {
                "slug": "q",
                "kind": "claim",
                "title": 'He said "hi" \\ bye',
                "status": "open",
                "target": None,
            }
        ],
        {},
        "t",
    )
    assert 'He said \\"hi\\" \\\\ bye' in dot
