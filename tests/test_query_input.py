"""What a member types into a suggestion box or /search never becomes a logged error.

PostgreSQL refuses text holding NUL, and neither database driver can encode a
lone surrogate (which a platform's JSON can carry as `\\ud800`). Such characters
mean nothing in a nickname or a search word, so they are dropped before any
query: the member still gets suggestions for the rest, or simply none.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.commands.spec import Autocomplete
from tests.conftest import MEMBER

SOURCES = [source for source in Autocomplete if source is not Autocomplete.NONE]


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


async def test_nul_and_lone_surrogates_in_autocomplete_still_suggest(
    demo_app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    for typed in ("lag\x00", "l\x00ag", "\x00lag", "lag\ud800", "\udfffla\x00g"):
        choices = await demo_app.autocomplete(Autocomplete.STATEMENTS, typed, MEMBER)
        assert [c.value for c in choices][:1] == ["lag"], typed
    assert errors_logged(caplog) == []


async def test_every_suggestion_source_answers_without_logging(
    demo_app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    # The last two sit just before the surrogates and at the very end of Unicode,
    # where "the next character" (a nickname prefix's upper bound) is not sendable.
    for typed in ("\x00", "\ud800", "a\x00b\ud800", "demo\x00", "\ud7ff", "x\U0010ffff"):
        for source in SOURCES:
            choices = await demo_app.autocomplete(source, typed, MEMBER)
            for choice in choices:  # what a platform is sent must encode and hold no NUL
                assert "\x00" not in choice.value + choice.label
                (choice.value + choice.label).encode("utf-8")
    everything = await demo_app.autocomplete(Autocomplete.STATEMENTS, "", MEMBER)
    assert "lag" in [c.value for c in everything]  # the sources still answer afterwards
    assert errors_logged(caplog) == []


async def test_search_words_with_nul_and_surrogates_find_the_rest(
    demo_app: Cruxbot, caplog: pytest.LogCaptureFixture
) -> None:
    plain = await demo_app.handle_line("/search lag", MEMBER)
    for line in ("/search lag\x00", "/search \x00lag\ud800", "/search l\x00ag"):
        reply = await demo_app.handle_line(line, MEMBER)
        assert not reply.error, reply.body
        assert reply.body == plain.body
    assert errors_logged(caplog) == []


#: Any text, including what st.text() leaves out: NUL, lone surrogates, other controls.
any_text = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet=st.characters(categories=["Cs", "Cc", "Cf", "Zs", "L", "Nd", "P", "S"]),
        max_size=30,
    ),
    st.text(
        alphabet=st.sampled_from(["\x00", "\ud800", "\udfff", "\x01", "%", "_", "'", '"', "l"]),
        max_size=12,
    ),
    st.text(alphabet=st.sampled_from(["l", "a", "g", "\x00", "\ud83d", "*", ":", "-"])),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(typed=any_text, source=st.sampled_from(SOURCES))
async def test_any_text_autocompletes_and_searches_without_error(
    demo_app: Cruxbot, caplog: pytest.LogCaptureFixture, typed: str, source: Autocomplete
) -> None:
    caplog.clear()
    choices = await demo_app.autocomplete(source, typed, MEMBER)
    assert len(choices) <= 25
    searched = await demo_app.run("search", {"words": typed}, MEMBER)
    assert not searched.error_id, searched.body
    typed_line = await demo_app.handle_line(f"/search {typed}", MEMBER)
    assert not typed_line.error_id, typed_line.body
    mentioned = await demo_app.answer_mention(typed, MEMBER)  # `@Cruxbot <words>` searches too
    assert not mentioned.error_id, mentioned.body
    assert errors_logged(caplog) == []
