"""Status, nicknames, edits, deletion, merging, history and undo, with permissions."""

from __future__ import annotations

import pytest

from bot.app import Cruxbot
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, Say, text_of


@pytest.fixture
async def logged(app: Cruxbot, say: Say) -> None:
    """Ann's claim `thesis` and her objections `point` and `other` against it."""
    assert not (await say("/claim thesis Models are blank slates.")).error
    assert not (await say("/objection point They are not blank. to:thesis")).error
    assert not (await say("/objection other Also not blank. to:thesis")).error


async def test_status_lifecycle_by_author(logged: None, say: Say) -> None:
    reply = await say("/status point answered")
    assert "now answered (was open)" in reply.body
    assert "Status: answered" in text_of(await say("/objection point"))
    dup = await say("/status point duplicate thesis")
    assert "duplicate of `thesis`" in dup.body
    assert "duplicate of `thesis`" in text_of(await say("/objection point"))


async def test_status_bad_inputs(logged: None, say: Say) -> None:
    no_of = await say("/status point duplicate")
    assert no_of.error and "which statement it duplicates" in no_of.body
    self_dup = await say("/status point duplicate point")
    assert self_dup.error and "cannot duplicate itself" in self_dup.body
    bad = await say("/status point finished")
    assert bad.error and "not a valid status" in bad.body


@pytest.mark.parametrize(
    "line",
    [
        "/status point parked",
        "/edit point text New text.",
        "/rename point new-point",
        "/delete point",
        "/merge point other",
    ],
)
async def test_only_author_or_moderator_may_change(logged: None, say: Say, line: str) -> None:
    before = text_of(await say("/objection point"))
    refused = await say(line, caller=OTHER_MEMBER)
    assert refused.error and "Only the author or a moderator" in refused.body
    assert text_of(await say("/objection point")) == before
    allowed = await say(line, caller=MODERATOR)
    assert not allowed.error, allowed.body


async def test_anyone_may_log_stance_steelman_and_alias(logged: None, say: Say) -> None:
    for line in ("/agree point", "/steelman point Stronger.", "/alias point pt"):
        assert not (await say(line, caller=OTHER_MEMBER)).error, line


async def test_rename_keeps_the_old_slug_as_alias(logged: None, say: Say) -> None:
    reply = await say("/rename point not-blank")
    assert "`point` still works" in reply.body
    shown = text_of(await say("/objection point"))
    assert "Objection `not-blank`" in shown and "`point`" in shown
    taken = await say("/rename not-blank thesis")
    assert taken.error and "taken" in taken.body
    back = await say("/rename not-blank point")
    assert not back.error, back.body
    assert "Objection `point`" in text_of(await say("/objection not-blank"))


async def test_edit_fields_and_limits(logged: None, say: Say) -> None:
    await say("/edit point title A better title")
    await say("/edit point url https://example.org/p")
    shown = text_of(await say("/objection point"))
    assert "A better title" in shown and "https://example.org/p" in shown
    long_title = await say("/edit point title " + "x" * 101)
    assert long_title.error and "limit is 100" in long_title.body
    same = await say("/edit point title A better title")
    assert "unchanged" in same.body


async def test_delete_hides_and_restore_brings_back(logged: None, say: Say) -> None:
    await say("/delete point")
    gone = await say("/objection point")
    assert gone.error and "deleted" in gone.body and "/restore point" in gone.footer
    assert "`point`" not in text_of(await say("/list"))
    taken = await say("/objection point Again. to:thesis")
    assert taken.error and "deleted" in taken.body
    await say("/restore point")
    assert not (await say("/objection point")).error


async def test_merge_moves_everything_and_undo_reverts_it(app: Cruxbot, say: Say) -> None:
    await say("/claim a First claim.")
    await say("/claim b Same claim again.")
    await say("/agree b", caller=OTHER_MEMBER)
    await say("/disagree a", caller=OTHER_MEMBER)
    await say("/steelman b A stronger same claim.", caller=OTHER_MEMBER)
    await say("/objection hits-b Attacks b. to:b", caller=OTHER_MEMBER)
    merged = await say("/merge b a")
    assert not merged.error, merged.body
    # b's nickname now names a; shown, it says where b went, with what b said.
    assert "`b` was merged into `a`" in text_of(await say("/claim b"))
    shown = text_of(await say("/claim a"))
    assert "Also known as: `b`" in shown
    assert "disagree 1 (Bob)" in shown  # Bob's stance on a wins over the one on b
    assert "Steelmen: 1" in shown and "`hits-b`" in shown
    undone = await say("/undo")
    assert not undone.error, undone.body
    restored = text_of(await say("/claim b"))
    assert "Claim `b`" in restored and "agree 1 (Bob)" in restored and "`hits-b`" in restored
    assert "Steelmen: none yet" in text_of(await say("/claim a"))


async def test_history_records_who_and_what(logged: None, say: Say) -> None:
    await say("/edit point text Changed text.")
    await say("/agree point", caller=OTHER_MEMBER)
    history = text_of(await say("/history point"))
    assert "Ann: edited text" in history
    assert "Bob: agree on `point`" in history
    assert "Ann: logged objection `point`" in history
    recent = text_of(await say("/history"))
    assert "Recent changes" in recent


async def test_undo_reverts_your_own_last_command(logged: None, say: Say) -> None:
    await say("/edit point text Changed text.")
    await say("/undo")
    assert (await say("/objection point")).body == "They are not blank."
    await say("/undo")  # logging `other`, the fixture's last command
    assert (await say("/objection other")).error
    await say("/undo")  # logging `point`
    assert (await say("/objection point")).error
    assert not (await say("/objection point Relogged. to:thesis")).error


async def test_undo_of_others_needs_a_moderator(logged: None, say: Say) -> None:
    nothing = await say("/undo", caller=OTHER_MEMBER)
    assert nothing.error and "no change of yours" in nothing.body
    refused = await say("/undo point", caller=OTHER_MEMBER)
    assert refused.error and "only they or a moderator" in refused.body
    assert not (await say("/undo point", caller=MODERATOR)).error


async def test_undo_refuses_when_someone_built_on_the_change(logged: None, say: Say) -> None:
    await say("/edit point text Ann's version.", caller=MEMBER)
    await say("/edit point text Moderator's version.", caller=MODERATOR)
    refused = await say("/undo", caller=MEMBER)
    assert refused.error and "Mo changed it since" in refused.body
    assert (await say("/objection point")).body == "Moderator's version."
    await say("/undo", caller=MODERATOR)
    assert not (await say("/undo", caller=MEMBER)).error
    assert (await say("/objection point")).body == "They are not blank."


async def test_merge_refuses_different_kinds(logged: None, say: Say) -> None:
    reply = await say("/merge point thesis")
    assert reply.error and "`point` is an objection and `thesis` a claim" in reply.body
