"""Bad input gets a friendly reply and changes nothing; nothing typed can crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.app import Cruxbot
from bot.commands.spec import COMMANDS
from bot.domain import TEXT_MAX
from bot.render.reply import Reply
from bot.services.registry import Args
from bot.storage.models import Revision
from bot.storage.unit_of_work import UnitOfWork
from tests.conftest import MEMBER, Say


async def revision_count(app: Cruxbot) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Revision)) or 0)


BAD_LINES = [
    ("", "Type a command"),
    ("   ", "Type a command"),
    ("/", "Type a command"),
    ("/objectoin lag", "Did you mean `/objection`"),
    ("/frobnicate", "no command `/frobnicate`"),
    ("/objection", "needs a slug"),
    ("/objection nope", "no objection `nope`"),
    ("/steelman nope Better.", "no statement `nope`"),
    ("/agree", "needs a slug"),
    ("/agree lag 101", "between 0 and 100"),
    ("/agree lag lots", "did not expect `lots`"),
    ("/objection Bad_Slug! text to:lag", "not a valid"),
    ("/objection " + "a" * 41 + " text to:lag", "the limit is 40"),
    ("/objection lag Another point. to:mvp-researcher", "`lag` is taken"),
    ("/objection new-one text to:mvp-researcher to:lag", "given twice"),
    ("/objection new-one " + "x" * (TEXT_MAX + 1) + " to:lag", f"the limit is {TEXT_MAX:,}"),
    ("/objection new-one bell\x07 here to:lag", "control characters (U+0007)"),
    ("/steelman lag \x00", "control characters"),
    ("/edit lag", "needs a field"),
    ("/edit lag Alignment lags.", "not a valid field"),
    ("/edit lag title", "needs a value"),
    ("/reply answer Text without a target.", "with `to:`"),
    ("/list foo", "did not expect `foo`"),
    ("/history nope", "no statement `nope`"),
    ("/status lag done", "not a valid status"),
    ("/search !!!", "Give me some words"),
    ("/ask " + "why " * 300, "the limit is 1,000"),
    ("/import everything", "not a valid pack"),
    ("/help nosuch", "no command `/nosuch`"),
    ("/endorse lag 9", "Only Priya"),
    ("/meeting begin", "not something /meeting can do"),
    ("/meeting end 3", "Only /meeting minutes takes"),
    ("/meeting end", "No meeting is open"),
    ("/crux lag", "needs a belief"),
    ("/cruxes nope", "no statement `nope`"),
    ("/contested nope", "no reading `nope`"),
    ("/map nowhere", "no reading or statement `nowhere`"),
    ("/export pdf", "did not expect `pdf`"),
    ("/forget-me now", "did not expect `now`"),
    ("/forget-me member:u-other", "Only a moderator"),
    ("/action done 99", "There is no action #99"),
    ("/decision by:@nobody-here", "needs a text"),
    ("/actions now", "did not expect `now`"),
    ("/web revoke", "Only a moderator"),
    ("/web", "not set up"),
]


@pytest.mark.parametrize(("line", "expected"), BAD_LINES)
async def test_bad_input_is_explained_and_changes_nothing(
    demo_app: Cruxbot, say: Say, line: str, expected: str
) -> None:
    before = await revision_count(demo_app)
    reply = await say(line)
    assert reply.error, f"{line!r} was accepted"
    assert reply.ephemeral
    assert expected in reply.body + " " + reply.footer
    assert await revision_count(demo_app) == before


def test_every_command_is_covered_by_a_bad_input_case() -> None:
    covered = {line.split()[0].lstrip("/") for line, _ in BAD_LINES if line.strip("/ ")}
    missing = {c.name for c in COMMANDS} - covered
    # these have no argument that can be wrong in a way not covered above
    assert missing <= {
        "claim",
        "support",
        "disagree",
        "unsure",
        "alias",
        "rename",
        "delete",
        "restore",
        "merge",
        "undo",
        "reading",
    }


async def test_an_unexpected_failure_is_reported_with_an_error_id(
    demo_app: Cruxbot, say: Say, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def boom(uow: UnitOfWork, args: Args) -> Reply:
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(demo_app.handlers, "agree", boom)
    reply = await say("/agree lag")
    assert reply.error
    assert "error id" in reply.body
    assert "disk on fire" not in reply.body


command_names = st.sampled_from([c.name for c in COMMANDS] + ["nosuch"])
nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.sampled_from(
        [
            "@everyone",
            "<!channel>",
            "<@&123>",
            "'; DROP TABLE statements; --",
            "\u202eevil",
            "zero\u200bwidth",
            "to:",
            "to:lag to:lag",
            "page:0",
            "page:999999999999",
            "x" * 5000,
        ]
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=command_names, rest=nasty_text)
async def test_any_typed_line_gets_a_reply(demo_app: Cruxbot, name: str, rest: str) -> None:
    reply = await demo_app.handle_line(f"/{name} {rest}", MEMBER)
    assert reply.body or reply.title
