"""The web view over HTTP: what each page shows, and what it never shows."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.packs.loader import DEMO_PACK, load_pack
from tests.conftest import MEMBER, MODERATOR, OTHER_MEMBER
from tests.web.conftest import Site, page_text

DEMO = load_pack(DEMO_PACK)
DEMO_SLUGS = [statement.slug for statement in DEMO.statements]


async def test_web_gives_a_link_whose_index_lists_the_workspaces_readings(site: Site) -> None:
    path = await site.link(MEMBER)
    status, html, _ = await site.get(path)
    assert status == 200
    assert DEMO.reading.title in page_text(html)
    assert 'href="./r/alignment-optimism"' in html


async def test_the_link_of_a_reading_opens_its_page_with_every_statement(site: Site) -> None:
    path = await site.link(MEMBER, "/web alignment-optimism")
    assert path.endswith("/r/alignment-optimism")
    status, html, _ = await site.get(path)
    assert status == 200
    for slug in DEMO_SLUGS:
        assert f'href="../s/{slug}"' in html, slug
    assert "Contested" in html and "Open objections" in html


async def test_the_reading_page_draws_the_map_as_inline_svg_linking_each_node(
    site: Site, graphviz: None
) -> None:
    path = await site.link(MEMBER, "/web alignment-optimism")
    _, html, _ = await site.get(path)
    svg = html[html.index("<svg") : html.index("</svg>")]
    for slug in DEMO_SLUGS:
        assert f'xlink:href="../s/{slug}"' in svg, slug


async def test_without_graphviz_the_reading_page_lists_the_statements_and_says_why(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.services.web_map.shutil.which", lambda _: None)
    path = await site.link(MEMBER, "/web alignment-optimism")
    status, html, _ = await site.get(path)
    assert status == 200
    assert "<svg" not in html
    assert "Graphviz is not installed" in html
    assert all(f"../s/{slug}" in html for slug in DEMO_SLUGS)


async def test_a_statement_page_shows_steelmen_endorsed_first_stances_and_answers(
    site: Site,
) -> None:
    root = await site.link(MEMBER)
    status, html, _ = await site.get(root + "s/blank-slate")
    assert status == 200
    assert "Pretrained LLMs are a blank slate for our objective" in html
    endorsed = html.index("Pretraining supplies capabilities")
    other = html.index("Compared with an RL agent")
    assert endorsed < other
    assert re.search(r"Mei</th><td>agree</td><td>65%</td>", html)
    assert 'href="../s/not-blank-slate"' in html  # the objection to it, in the tree


async def test_an_alias_opens_the_statement_and_a_deleted_one_is_gone(site: Site) -> None:
    root = await site.link(MODERATOR)
    await site.app.handle_line("/alias lag alignment-lag", MODERATOR)
    status, html, _ = await site.get(root + "s/alignment-lag")
    assert status == 200 and "<code>lag</code>" in html
    await site.app.handle_line("/delete lag-reply", MODERATOR)
    status, _, _ = await site.get(root + "s/lag-reply")
    assert status == 404


async def test_a_meetings_minutes_have_a_page(site: Site) -> None:
    await site.app.handle_line("/meeting start alignment-optimism", MODERATOR)
    await site.app.handle_line("/objection fresh-doubt Evals may be gamed. to:lag", MEMBER)
    ended = await site.app.handle_line("/meeting end", MODERATOR)
    assert ended.link is not None and re.search(r"/m/\d+$", ended.link.url)
    root = await site.link(MEMBER)
    status, html, _ = await site.get(root + "m/latest")
    assert status == 200
    assert "Minutes" in html and "fresh-doubt" in html
    meeting = re.search(r"Meeting (\d+)", html)
    assert meeting is not None
    status, again, _ = await site.get(root + f"m/{meeting.group(1)}")
    assert status == 200 and "fresh-doubt" in again


async def test_the_link_posted_with_minutes_keeps_opening_that_meeting(site: Site) -> None:
    """A later meeting, here in another channel, must not take over an earlier link."""
    elsewhere = replace(MODERATOR, channel_id="C-OTHER")
    await site.app.handle_line("/meeting start alignment-optimism", MODERATOR)
    await site.app.handle_line("/objection first-doubt Evals may be gamed. to:lag", MEMBER)
    first = await site.app.handle_line("/meeting end", MODERATOR)
    await site.app.handle_line("/meeting start alignment-optimism", elsewhere)
    second = await site.app.handle_line("/meeting end", elsewhere)
    draft_link = (await site.app.handle_line("/meeting minutes", MODERATOR)).link
    assert first.link is not None and second.link is not None and draft_link is not None
    assert first.link.url != second.link.url
    assert draft_link.url == first.link.url
    for reply in (first, second):
        assert reply.link is not None
        number = re.search(r"meeting (\d+)", reply.title)
        assert number is not None and reply.link.url.endswith(f"/m/{number.group(1)}")
        status, html, _ = await site.get(reply.link.url.removeprefix("https://pages.example"))
        assert status == 200 and f"Meeting {number.group(1)}" in page_text(html)


async def test_statement_cards_and_maps_carry_an_open_on_the_web_link(site: Site) -> None:
    card = await site.app.handle_line("/objection lag", MEMBER)
    assert card.link is not None and card.link.label == "Open on the web"
    status, html, _ = await site.get(card.link.url.removeprefix("https://pages.example"))
    assert status == 200 and "<code>lag</code>" in html
    mapped = await site.app.handle_line("/map alignment-optimism", MEMBER)
    assert mapped.link is not None
    status, _, headers = await site.get(mapped.link.url.removeprefix("https://pages.example"))
    assert status == 303 and headers["Location"] == "../r/alignment-optimism"


async def test_without_a_public_address_replies_have_no_link_and_web_says_so(
    site: Site,
) -> None:
    site.app.web.base_url = ""
    card = await site.app.handle_line("/objection lag", MEMBER)
    assert card.link is None
    reply = await site.app.handle_line("/web", MEMBER)
    assert reply.error and "PUBLIC_URL" in reply.body


async def test_a_new_statement_changes_the_version_the_page_polls(site: Site) -> None:
    root = await site.link(MEMBER)
    _, before, _ = await site.get(root + "version")
    await site.app.handle_line("/claim brand-new A new claim. reading:alignment-optimism", MEMBER)
    _, after, _ = await site.get(root + "version")
    assert before != after
    _, html, _ = await site.get(root + "r/alignment-optimism")
    assert f'data-version="{after}"' in html
    assert "brand-new" in html


async def test_a_forgotten_member_vanishes_from_the_pages(site: Site) -> None:
    await site.app.handle_line(
        "/claim bobs-claim Bob says so. reading:alignment-optimism", OTHER_MEMBER
    )
    await site.app.handle_line("/agree lag 70", OTHER_MEMBER)
    root = await site.link(MEMBER)
    _, before, _ = await site.get(root + "s/lag")
    assert "Bob" in before
    reply = await site.app.handle_line("/forget-me confirm", OTHER_MEMBER)
    assert not reply.error, reply.body
    for page in ("s/lag", "r/alignment-optimism", ""):
        status, html, _ = await site.get(root + page)
        assert status == 200
        assert "Bob" not in html, page
    status, _, _ = await site.get(root + "s/bobs-claim")
    assert status == 404


async def test_a_stance_alone_changes_the_version_and_the_page_shows_it(site: Site) -> None:
    root = await site.link(MEMBER)
    _, before, _ = await site.get(root + "version")
    _, page, _ = await site.get(root + "r/alignment-optimism")
    assert "endgame" not in page_text(page).split("Contested", 1)[1].split("Cruxes", 1)[0]
    await site.app.handle_line("/agree endgame 80", MEMBER)
    await site.app.handle_line("/disagree endgame 20", OTHER_MEMBER)
    _, after, _ = await site.get(root + "version")
    assert before != after
    _, page, _ = await site.get(root + "r/alignment-optimism")
    assert "endgame" in page_text(page).split("Contested", 1)[1].split("Cruxes", 1)[0]


async def test_a_long_reading_lists_its_statements_page_by_page(site: Site) -> None:
    for number in range(3):
        line = f"/claim extra-{number} Claim {number}. reading:alignment-optimism"
        await site.app.handle_line(line, MEMBER)
    root = await site.link(MEMBER)
    site.app.pages.page_size = 10
    _, first, _ = await site.get(root + "r/alignment-optimism")
    _, second, _ = await site.get(root + "r/alignment-optimism?page=2")
    assert "Page 1 of 2" in first and 'href="?page=2#all"' in first
    assert "Page 2 of 2" in second and 'href="?page=1#all"' in second
    every = first.split('id="all"')[1] + second.split('id="all"')[1]
    for slug in [*DEMO_SLUGS, "extra-0", "extra-1", "extra-2"]:
        assert f'href="../s/{slug}"><code>' in every, slug
    status, _, _ = await site.get(root + "r/alignment-optimism?page=x")
    assert status == 404


async def test_web_alone_links_the_channels_current_reading(site: Site) -> None:
    reply = await site.app.handle_line("/web", MEMBER)
    assert reply.link is not None  # the workspace's only reading
    assert reply.link.url.endswith("/r/alignment-optimism")
    await site.app.handle_line("/reading second-book The Second Book", MEMBER)
    await site.app.handle_line("/reading alignment-optimism", MEMBER)
    reply = await site.app.handle_line("/web", MEMBER)
    assert reply.link is not None and reply.link.url.endswith("/r/alignment-optimism")
    status, _, _ = await site.get(reply.link.url.removeprefix("https://pages.example"))
    assert status == 200
    other = replace(MEMBER, channel_id="c2")  # a channel without a reading: all readings
    reply = await site.app.handle_line("/web", other)
    assert reply.link is not None and reply.link.url.endswith("/")
