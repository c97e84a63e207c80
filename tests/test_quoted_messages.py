"""A chat message logged as a statement: whose statement it is, and whose words.

The member who logs the message is its author. The message's writer is named
("from Ann's message") only while the text is still their words, word for word.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.context import Caller, QuotedMessage
from bot.services.statements import same_words
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER, text_of

ANNS_WORDS = "Interpretability tools will not scale to frontier models."
LINK = "https://chat.example/m/1"


def logging_anns_message(caller: Caller = OTHER_MEMBER, words: str = ANNS_WORDS) -> Caller:
    """`caller` (Bob by default) using the message menu on Ann's message."""
    quoted = QuotedMessage(text=words, author_id=MEMBER.user_id, author_name="Ann")
    return replace(caller, origin_url=LINK, quoted=quoted)


async def log(app: Cruxbot, text: str, caller: Caller, slug: str = "from-chat") -> str:
    reply = await app.run("objection", {"slug": slug, "to": "lag", "text": text}, caller)
    assert not reply.error, reply.body
    return text_of(reply)


async def test_anns_words_logged_by_bob_are_bobs_statement_quoting_ann(demo_app: Cruxbot) -> None:
    shown = await log(demo_app, ANNS_WORDS, logging_anns_message())
    assert "Author: Bob" in shown
    assert "Quoted: from Ann's message" in shown
    assert f"First raised: {LINK}" in shown
    # Bob logged it, so Bob may change it; Ann did not, so she may not.
    assert (await demo_app.handle_line("/edit from-chat title Scaling", MEMBER)).error
    assert not (await demo_app.handle_line("/edit from-chat title Scaling", OTHER_MEMBER)).error


@pytest.mark.parametrize(
    "edited",
    [
        "Interpretability tools will scale to frontier models.",  # a word dropped
        "Interpretability tools will not scale to frontier models!",  # punctuation
        "interpretability tools will not scale to frontier models.",  # case
        ANNS_WORDS + " Probably.",  # a word added
    ],
)
async def test_reworded_text_names_nobody_else(demo_app: Cruxbot, edited: str) -> None:
    shown = await log(demo_app, edited, logging_anns_message())
    assert "Author: Bob" in shown
    assert "Ann" not in shown
    assert f"First raised: {LINK}" in shown  # still where it came from


async def test_only_whitespace_changed_is_still_word_for_word(demo_app: Cruxbot) -> None:
    rewrapped = "  Interpretability tools\nwill not  scale to frontier models.\n"
    shown = await log(demo_app, rewrapped, logging_anns_message())
    assert "Quoted: from Ann's message" in shown


words = st.lists(
    st.text(st.characters(blacklist_categories=("Z", "Cc", "Cs")), min_size=1, max_size=8),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60)
@given(words=words, data=st.data())
def test_word_for_word_allows_only_whitespace_to_differ(
    words: list[str], data: st.DataObject
) -> None:
    original = " ".join(words)
    gaps = data.draw(st.lists(st.sampled_from([" ", "  ", "\n", "\r\n", "\t"]), min_size=2))
    rewrapped = gaps[0] + "".join(w + gaps[(i + 1) % len(gaps)] for i, w in enumerate(words))
    assert same_words(original, rewrapped)
    changed = data.draw(st.integers(0, len(words) - 1))
    edited = [w + "s" if i == changed else w for i, w in enumerate(words)]
    assert not same_words(original, " ".join(edited))
    assert not same_words(original, " ".join(words[:changed] + words[changed + 1 :]))


async def test_logging_your_own_message_quotes_nobody(demo_app: Cruxbot) -> None:
    shown = await log(demo_app, ANNS_WORDS, logging_anns_message(caller=MEMBER))
    assert "Author: Ann" in shown
    assert "Quoted" not in shown


async def test_editing_the_words_later_drops_the_quote_and_undo_restores_it(
    demo_app: Cruxbot,
) -> None:
    await log(demo_app, ANNS_WORDS, logging_anns_message())
    edited = await demo_app.handle_line("/edit from-chat text Tools will not scale.", OTHER_MEMBER)
    assert not edited.error, edited.body
    shown = text_of(await demo_app.handle_line("/objection from-chat", MEMBER))
    assert "Quoted" not in shown and "Author: Bob" in shown
    undone = await demo_app.handle_line("/undo", OTHER_MEMBER)
    assert not undone.error, undone.body
    shown = text_of(await demo_app.handle_line("/objection from-chat", MEMBER))
    assert "Quoted: from Ann's message" in shown


async def test_json_export_and_import_keep_the_quote(demo_app: Cruxbot) -> None:
    await log(demo_app, ANNS_WORDS, logging_anns_message())
    _, exported = await demo_app.export_text("json", None, MEMBER)
    item = next(s for s in json.loads(exported)["statements"] if s["slug"] == "from-chat")
    assert (item["author_id"], item["source_member_id"]) == ("u-bob", "u-ann")
    assert item["source_member_name"] == "Ann"
    fresh = replace(MODERATOR, workspace_id="restored")
    imported = await demo_app.import_file("backup.json", exported.encode(), fresh)
    assert not imported.error, imported.body
    shown = text_of(await demo_app.handle_line("/objection from-chat", fresh))
    assert "Author: Bob" in shown and "Quoted: from Ann's message" in shown


async def test_forgetting_the_quoted_member_removes_their_name(demo_app: Cruxbot) -> None:
    await log(demo_app, ANNS_WORDS, logging_anns_message())
    done = await demo_app.handle_line("/forget-me confirm", MEMBER)
    assert not done.error, done.body
    shown = text_of(await demo_app.handle_line("/objection from-chat", OTHER_MEMBER))
    assert "Author: Bob" in shown and "Ann" not in shown
    _, exported = await demo_app.export_text("json", None, MEMBER)
    item = next(s for s in json.loads(exported)["statements"] if s["slug"] == "from-chat")
    assert (item["source_member_id"], item["source_member_name"]) == ("", "")
    assert "u-ann" not in exported
    history = text_of(await demo_app.handle_line("/history from-chat", MODERATOR))
    assert "Ann" not in history
