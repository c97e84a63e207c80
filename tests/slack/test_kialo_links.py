"""A Markdown link in stored text reaches Slack as a Slack link that shows where it goes.

Kialo's exports (tests/data/kialo) write links as `[text](url)`; Slack does
not read that, and showed `[Kialo](<http://www.kialo.com>)`. The link is now
`<url|text>`, with the address's host beside it, so a label can never pass
for somewhere it does not go: the same rule makes Discord show a member's
link as typed (tests/discord/test_masked_links.py).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from adapters.slack.mrkdwn import to_mrkdwn
from testing_support.slack import SLACK_MODERATOR, SlackHarness, check_blocks
from tests.slack.test_commands import answer, texts
from tests.test_kialo_import import CONTENT, ILLEGAL


async def test_a_kialo_link_is_a_slack_link_with_its_host(slack: SlackHarness) -> None:
    reply = await slack.core.import_file(ILLEGAL.name, CONTENT[ILLEGAL], SLACK_MODERATOR)
    assert not reply.error, reply.body
    await slack.command("/support", "free-marketplace-ideas-expressed")
    body = await answer(slack)
    check_blocks(body["blocks"])
    shown = texts(body["blocks"])
    assert "platforms like <http://www.kialo.com|Kialo> (kialo.com), will" in shown
    assert "](" not in shown


async def test_a_masked_link_typed_in_slack_shows_its_host(slack: SlackHarness) -> None:
    typed = "phish Please [Verify your account](https://evil.example/login?a=1&amp;b=2) now to:lag"
    await slack.command("/objection", typed)
    shown = texts((await answer(slack))["blocks"])
    assert (
        "Please <https://evil.example/login?a=1&amp;b=2|Verify your account> (evil.example) now"
        in shown
    )


def test_a_label_that_already_is_the_host_is_not_repeated() -> None:
    text = "[pewglobal.org](http://www.pewglobal.org/2015/11/18/x/)"
    assert to_mrkdwn(text) == "<http://www.pewglobal.org/2015/11/18/x/|pewglobal.org>"


def test_links_that_cannot_be_slack_links_stay_text_with_the_address_linked() -> None:
    assert to_mrkdwn("[a|b](https://x.example/)") == "[a|b](<https://x.example/>)"
    assert to_mrkdwn("[x](javascript:alert(1))") == "[x](javascript:alert(1))"


@settings(max_examples=80, deadline=None)
@given(
    label=st.text(alphabet=st.sampled_from(list("[]()<>|&*_`!@ab .\n")), min_size=1, max_size=20),
    address=st.text(alphabet=st.sampled_from(list("()<>|&*ab/.:@!")), max_size=20),
)
@example(label="\n> ", address="")  # a label that breaks into a quoted line
def test_no_label_or_address_forges_a_slack_token(label: str, address: str) -> None:
    shown = to_mrkdwn(f"[{label}](https://{address})")
    tokens = [part.split(">")[0] for part in shown.split("<")[1:]]
    for token in tokens:
        assert token.startswith("https://"), shown  # never <!here>, <@U…>, <#C…>
        assert token.count("|") <= 1, shown
    # Every token closed, none opened; a line's leading ">" is a block quote, not a token.
    body = "\n".join(line.removeprefix(">") for line in shown.split("\n"))
    assert body.count("<") == body.count(">"), shown
