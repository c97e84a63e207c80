"""Imported files cannot smuggle in another workspace's channels, members or message links.

A moderator may import any file; what it says about platform ids is trusted
only where this workspace has seen them itself. Slugs in a file are read the
way typed nicknames are.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.context import Caller
from bot.domain import SLUG_PATTERN
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER

WHEN = "2020-01-01T10:00:00+00:00"
EXAMPLES = itertools.count()


def export_file(**sections: list[dict[str, Any]]) -> bytes:
    return json.dumps({"format": "cruxbot-map", "version": 1, **sections}).encode()


def statement(slug: str, kind: str = "claim", **fields: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "aliases": [],
        "kind": kind,
        "title": f"About {slug}",
        "text": f"Text of {slug}.",
        "author_id": "u-mod",
        "author_name": "Mo",
        "status": "open",
        "created_at": WHEN,
        **fields,
    }


def meeting(ref: int, channel: str, ended_at: str | None) -> dict[str, Any]:
    return {
        "ref": ref,
        "channel": channel,
        "reading": None,
        "started_by_id": "u-mod",
        "started_by_name": "Mo",
        "started_at": WHEN,
        "ended_at": ended_at,
        "closed_automatically": False,
        "minutes": "",
    }


async def exported(app: Cruxbot, caller: Caller) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((await app.export_text("json", None, caller))[1])
    return document


async def test_an_imported_meeting_keeps_no_channel_this_workspace_has_not_seen(
    app: Cruxbot,
) -> None:
    victim = replace(MODERATOR, workspace_id="victim", channel_id="c-victim")
    assert not (await app.handle_line("/claim mine Ours.", victim)).error
    intruder = replace(MODERATOR, workspace_id="intruder", channel_id="c-intruder")
    file = export_file(
        readings=[{"slug": "book", "title": "Book", "created_at": WHEN}],
        meetings=[meeting(1, "c-victim", None), meeting(2, "c-intruder", WHEN)],
        channels=[
            {"channel": "c-victim", "current_reading": "book"},
            {"channel": "c-intruder", "current_reading": "book"},
        ],
    )
    reply = await app.import_file("map.json", file, intruder)
    assert not reply.error, reply.body
    assert "1 channel" in reply.body and "1 meeting still open was imported closed" in reply.body
    # Old and open in the file, yet nothing for the sweeper to post anywhere.
    assert await app.close_forgotten_meetings("console") == []
    document = await exported(app, intruder)
    first, second = document["meetings"]
    assert first["channel"] == "" and first["ended_at"] is not None
    assert second["channel"] == "c-intruder" and second["ended_at"] == WHEN
    assert document["channels"] == [{"channel": "c-intruder", "current_reading": "book"}]
    # The victim's workspace is untouched.
    assert (await exported(app, victim))["channels"] == [
        {"channel": "c-victim", "current_reading": None}
    ]


async def test_member_ids_this_workspace_has_not_seen_are_kept_as_names_only(
    app: Cruxbot,
) -> None:
    target = "restored"
    ann = replace(MEMBER, workspace_id=target)
    bob = replace(OTHER_MEMBER, workspace_id=target)
    assert not (await app.handle_line("/claim bobs-own Bob was here.", bob)).error
    file = export_file(
        readings=[{"slug": "book", "title": "Book", "created_by": "u-ann", "created_at": WHEN}],
        statements=[
            statement("by-ann", author_id="u-ann", author_name="Ann"),
            statement("by-bob", author_id="u-bob", author_name="Bob"),
        ],
        steelmen=[
            {"statement": "by-bob", "text": "Strong.", "author_id": "u-ann", "created_at": WHEN}
        ],
        stances=[
            {"statement": "by-bob", "member_id": "u-ann", "position": "agree", "updated_at": WHEN}
        ],
        cruxes=[
            {"statement": "by-bob", "belief": "by-ann", "member_id": "u-ann", "created_at": WHEN}
        ],
        meetings=[{**meeting(1, "", WHEN), "started_by_id": "u-ann"}],
    )
    reply = await app.import_file("map.json", file, replace(MODERATOR, workspace_id=target))
    assert not reply.error, reply.body
    assert "1 member id this workspace has not seen" in reply.body
    # The file cannot make Ann the author of anything here.
    refused = await app.handle_line("/edit by-ann text Mine now.", ann)
    assert refused.error and "author or a moderator" in refused.body
    # Bob has acted here himself: his id is his own and kept.
    assert not (await app.handle_line("/edit by-bob text Still mine.", bob)).error
    document = await exported(app, ann)
    authors = {s["slug"]: s["author_id"] for s in document["statements"]}
    assert authors == {"bobs-own": "u-bob", "by-ann": "imported:u-ann", "by-bob": "u-bob"}
    assert document["statements"][1]["author_name"] == "Ann"
    assert document["readings"][0]["created_by"] == "imported:u-ann"
    assert document["steelmen"][0]["author_id"] == "imported:u-ann"
    assert document["stances"][0]["member_id"] == "imported:u-ann"
    assert document["cruxes"][0]["member_id"] == "imported:u-ann"
    assert document["meetings"][0]["started_by_id"] == "imported:u-ann"
    # A namespaced id is not namespaced twice when the export travels on.
    again = await app.import_file(
        "again.json",
        json.dumps(document).encode(),
        replace(MODERATOR, workspace_id="third"),
    )
    assert not again.error, again.body
    third = await exported(app, replace(MODERATOR, workspace_id="third"))
    assert third["statements"][1]["author_id"] == "imported:u-ann"


async def test_message_links_are_kept_only_into_this_workspaces_seen_channels(
    app: Cruxbot,
) -> None:
    guild = replace(MODERATOR, platform="discord", workspace_id="100", channel_id="200")
    links = {
        "here": "https://discord.com/channels/100/200/300",
        "other-server": "https://discord.com/channels/999/200/300",
        "unseen-channel": "https://discord.com/channels/100/555/300",
        "elsewhere": "https://example.com/channels/100/200/300",
    }
    file = export_file(statements=[statement(s, origin_url=u) for s, u in links.items()])
    reply = await app.import_file("map.json", file, guild)
    assert not reply.error, reply.body
    assert "3 message links" in reply.body
    kept = {s["slug"]: s["origin_url"] for s in (await exported(app, guild))["statements"]}
    assert kept == {
        "here": links["here"],
        "other-server": "",
        "unseen-channel": "",
        "elsewhere": "",
    }

    team = replace(MODERATOR, platform="slack", workspace_id="T1", channel_id="C1")
    slack_links = {
        "here": "https://group.slack.com/archives/C1/p1700000000000100",
        "unseen-channel": "https://group.slack.com/archives/C9/p1700000000000100",
    }
    file = export_file(statements=[statement(s, origin_url=u) for s, u in slack_links.items()])
    assert not (await app.import_file("map.json", file, team)).error
    kept = {s["slug"]: s["origin_url"] for s in (await exported(app, team))["statements"]}
    assert kept == {"here": slack_links["here"], "unseen-channel": ""}


async def test_imported_slugs_are_normalised_like_typed_nicknames(app: Cruxbot) -> None:
    file = export_file(
        readings=[{"slug": "Book", "title": "Book", "created_at": WHEN}],
        statements=[
            statement("LAG", reading="BOOK", aliases=["Lag-Alias "]),
            statement(" spaced ", "objection", target="Lag"),
            statement("Dup", status="duplicate", duplicate_of=" LAG"),
        ],
        steelmen=[{"statement": "LAG", "text": "Strong.", "created_at": WHEN}],
        stances=[{"statement": "Spaced", "position": "agree", "updated_at": WHEN}],
        cruxes=[{"statement": "lag", "belief": " SPACED ", "created_at": WHEN}],
        meetings=[{**meeting(1, "c1", WHEN), "reading": "book "}],
        channels=[{"channel": "c1", "current_reading": " BOOK"}],
    )
    reply = await app.import_file("map.json", file, MODERATOR)
    assert not reply.error, reply.body
    for line in ("/claim lag", "/claim lag-alias", "/objection spaced", "/claim dup"):
        shown = await app.handle_line(line, MEMBER)
        assert not shown.error, (line, shown.body)
    document = await exported(app, MEMBER)
    assert [r["slug"] for r in document["readings"]] == ["book"]
    statements = {s["slug"]: s for s in document["statements"]}
    assert set(statements) == {"lag", "spaced", "dup"}
    assert statements["lag"]["aliases"] == ["lag-alias"]
    assert statements["lag"]["reading"] == "book"
    assert statements["spaced"]["target"] == "lag"
    assert statements["dup"]["duplicate_of"] == "lag"
    assert document["steelmen"][0]["statement"] == "lag"
    assert document["stances"][0]["statement"] == "spaced"
    assert (document["cruxes"][0]["statement"], document["cruxes"][0]["belief"]) == (
        "lag",
        "spaced",
    )
    assert document["meetings"][0]["reading"] == "book"
    assert document["channels"] == [{"channel": "c1", "current_reading": "book"}]


async def test_imported_slugs_that_cannot_be_nicknames_are_refused_by_name(
    app: Cruxbot,
) -> None:
    cases = {
        "bad slug": (
            export_file(statements=[statement("ok"), statement("Bad Slug!")]),
            ["statements[1]", "`bad slug!` is not a valid nickname"],
        ),
        "twice": (
            export_file(statements=[statement("LAG"), statement("lag")]),
            ["statements[1] `lag`", "the nickname `lag` is used twice"],
        ),
        "bad reference": (
            export_file(statements=[statement("lag"), statement("o", "objection", target="L G")]),
            ["statements[1] `o`", "`target` names unknown `l g`"],
        ),
        "bad stance": (
            export_file(
                statements=[statement("lag")],
                stances=[{"statement": "LAGG", "position": "agree", "updated_at": WHEN}],
            ),
            ["stances[0]", "unknown `statement` 'lagg'"],
        ),
    }
    for name, (file, expected) in cases.items():
        reply = await app.import_file("map.json", file, MODERATOR)
        assert reply.error, name
        for part in expected:
            assert part in reply.body, (name, reply.body)
    assert (await exported(app, MODERATOR))["statements"] == []


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    slugs=st.lists(st.text(max_size=14), min_size=1, max_size=4),
    authors=st.lists(st.text(max_size=80), min_size=4, max_size=4),
)
async def test_any_imported_slugs_and_ids_are_stored_reachable_or_refused_by_item(
    app: Cruxbot, slugs: list[str], authors: list[str]
) -> None:
    importer = replace(MODERATOR, workspace_id=f"any-{next(EXAMPLES)}")
    file = export_file(
        statements=[statement(s, author_id=a) for s, a in zip(slugs, authors, strict=False)]
    )
    reply = await app.import_file("map.json", file, importer)
    if reply.error:
        assert "statements[" in reply.body, reply.body
        return
    document = await exported(app, importer)
    for item in document["statements"]:
        assert SLUG_PATTERN.match(item["slug"])
        shown = await app.handle_line(f"/claim {item['slug']}", importer)
        assert not shown.error, shown.body
        author = item["author_id"]
        assert author in ("", importer.user_id) or author.startswith("imported:")
        assert len(author) <= 64


async def test_a_file_cannot_say_a_member_of_this_workspace_wrote_a_quoted_message(
    app: Cruxbot,
) -> None:
    """ "From Ann's message" is only ever shown for Ann's words logged here: a file naming
    an unseen member as the writer keeps the name but not the id."""
    target = "quoted"
    file = export_file(
        statements=[
            statement("said", source_member_id="u-ann", source_member_name="Ann", author_id="u-x")
        ]
    )
    reply = await app.import_file("map.json", file, replace(MODERATOR, workspace_id=target))
    assert not reply.error, reply.body
    document = await exported(app, replace(MODERATOR, workspace_id=target))
    assert document["statements"][0]["source_member_id"] == "imported:u-ann"
    assert document["statements"][0]["source_member_name"] == "Ann"
