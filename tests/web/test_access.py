"""Who can open the web view: tokens, revocation, isolation, headers, 404s."""

from __future__ import annotations

import base64
import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from adapters.web.routes import NOT_FOUND
from bot.app import Cruxbot
from bot.logs import Redactor
from bot.services.web_access import token_hash
from bot.storage.models import WebLink
from tests.conftest import MEMBER, MODERATOR
from tests.web.conftest import Site, serve_site

#: A member and a moderator of another workspace on the same server.
ELSEWHERE = replace(MEMBER, workspace_id="elsewhere", user_id="u-eve", user_name="Eve")
ELSEWHERE_MODERATOR = replace(ELSEWHERE, user_id="u-zed", is_moderator=True)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def token_of(path: str) -> str:
    match = re.match(r"/w/([^/]+)/", path)
    assert match is not None, path
    return match.group(1)


async def test_a_token_is_at_least_128_random_bits_and_only_its_hash_is_stored(
    site: Site,
) -> None:
    token = token_of(await site.link())
    assert len(base64.urlsafe_b64decode(token + "==")) * 8 >= 128
    async with site.app.sessions() as session:
        rows = (await session.scalars(select(WebLink))).all()
    assert len(rows) == 1
    assert rows[0].token_hash == token_hash(token)
    assert token not in (rows[0].nonce, rows[0].token_hash)
    assert len(bytes.fromhex(rows[0].nonce)) * 8 >= 128


async def test_the_same_workspace_keeps_one_link_until_it_is_revoked(site: Site) -> None:
    assert await site.link(MEMBER) == await site.link(MODERATOR)


@pytest.mark.parametrize(
    "page", ["", "r/alignment-optimism", "s/lag", "m/latest", "go/lag", "version"]
)
async def test_a_wrong_token_gets_a_bare_404_on_every_page(site: Site, page: str) -> None:
    real = token_of(await site.link())
    await site.app.handle_line("/meeting start", MODERATOR)
    wrong = ("A" if real[0] != "A" else "B") + real[1:]
    status, body, headers = await site.get(f"/w/{wrong}/{page}")
    assert status == 404
    assert body == NOT_FOUND
    assert headers["Cache-Control"] == "no-store"


async def test_revoking_kills_every_link_given_out_and_web_gives_a_new_one(site: Site) -> None:
    old = await site.link(MEMBER, "/web alignment-optimism")
    card = await site.app.handle_line("/objection lag", MEMBER)
    assert card.link is not None
    reply = await site.app.handle_line("/web revoke", MODERATOR)
    assert not reply.error and "stops working" in reply.body
    for path in (old, card.link.url.removeprefix("https://pages.example")):
        status, body, _ = await site.get(path)
        assert (status, body) == (404, NOT_FOUND)
    new = await site.link(MEMBER, "/web alignment-optimism")
    assert new != old
    status, _, _ = await site.get(new)
    assert status == 200


async def test_only_a_moderator_can_revoke(site: Site) -> None:
    path = await site.link(MEMBER)
    reply = await site.app.handle_line("/web revoke", MEMBER)
    assert reply.error and "Only a moderator" in reply.body
    status, _, _ = await site.get(path)
    assert status == 200


@pytest.fixture
async def two_workspaces(demo_app: Cruxbot) -> AsyncIterator[Site]:
    """The demo workspace, and another holding one reading and one statement."""
    for line in (
        "/reading other-book The Other Book",
        "/claim secret-claim Only the other workspace knows this. reading:other-book",
    ):
        reply = await demo_app.handle_line(line, ELSEWHERE_MODERATOR)
        assert not reply.error, reply.body
    async for served in serve_site(demo_app):
        yield served


async def test_no_page_ever_shows_another_workspace(two_workspaces: Site) -> None:
    site = two_workspaces
    ours = token_of(await site.link(MEMBER))
    theirs = token_of(await site.link(ELSEWHERE))
    assert ours != theirs
    _, index, _ = await site.get(f"/w/{ours}/")
    assert "other-book" not in index and "The Other Book" not in index
    for page in ("r/other-book", "s/secret-claim", "go/secret-claim"):
        status, body, _ = await site.get(f"/w/{ours}/{page}")
        assert (status, body) == (404, NOT_FOUND), page
    for page in ("r/alignment-optimism", "s/lag"):
        status, _, _ = await site.get(f"/w/{theirs}/{page}")
        assert status == 404, page
    status, html, _ = await site.get(f"/w/{theirs}/s/secret-claim")
    assert status == 200 and "Only the other workspace knows this." in html
    assert "lag" not in re.sub(r"<[^>]+>", "", html).split()


async def test_revoking_one_workspace_leaves_the_others_links_working(
    two_workspaces: Site,
) -> None:
    site = two_workspaces
    ours = await site.link(MEMBER)
    theirs = await site.link(ELSEWHERE)
    await site.app.handle_line("/web revoke", ELSEWHERE_MODERATOR)
    assert (await site.get(ours))[0] == 200
    assert (await site.get(theirs))[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "index",
        "reading",
        "/w/nothing-here/",
        "/static/web.css",
        "/static/web.js",
        "/static/../../etc/passwd",
        "/static/other.txt",
        "/healthz",
        "/no/such/page",
    ],
)
async def test_every_response_carries_the_security_headers(site: Site, path: str) -> None:
    root = await site.link()
    path = {"index": root, "reading": root + "r/alignment-optimism"}.get(path, path)
    _, _, headers = await site.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value, (path, name)
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "style-src 'self'" in policy


async def test_pages_hold_no_inline_script_or_style(site: Site) -> None:
    root = await site.link()
    for page in ("", "r/alignment-optimism", "s/lag"):
        _, html, _ = await site.get(root + page)
        assert re.findall(r"<script[^>]*>", html) == [
            '<script src="' + ("./" if not page else "../") + '../../static/web.js" defer>'
        ]
        assert "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("page", ["r/no-such-reading", "s/no-such-statement", "m/999", "m/x1"])
async def test_what_the_workspace_does_not_have_is_a_404(site: Site, page: str) -> None:
    root = await site.link()
    status, body, _ = await site.get(root + page)
    assert (status, body) == (404, NOT_FOUND)


async def test_static_files_are_only_the_stylesheet_and_the_script(site: Site) -> None:
    status, css, headers = await site.get("/static/web.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "prefers-color-scheme: dark" in css
    status, _, _ = await site.get("/static/..%2Fweb.py")
    assert status == 404


def test_a_link_token_never_reaches_the_log() -> None:
    token = "Q2x5c3RlcnMtb2YtYml0cy1mb3ItYS10b2tlbi1oZXJl"
    line = f'127.0.0.1 "GET /w/{token}/s/lag HTTP/1.1" 200 5120'
    redacted = Redactor().redact(line, "aiohttp.access")
    assert token not in redacted
    assert "/w/[redacted]/s/lag" in redacted
