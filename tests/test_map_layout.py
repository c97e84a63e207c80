"""The argument map fits a chat preview: never more than twice as wide as high, with a legend.

Pictures are measured as Graphviz draws them, for a one-claim reading, the demo
reading, a 200-statement reading and a claim with 199 objections (the shape
that is widest when nothing folds it), as PNG and as SVG.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.app import Cruxbot
from bot.render.argument_map import to_dot, to_text_tree
from bot.render.map_layout import fold
from bot.services.graphviz import MAX_RATIO, draw, picture_size
from tests.conftest import MEMBER

Rows = list[dict[str, Any]]


def _row(slug: str, kind: str, target: str | None, status: str = "open") -> dict[str, Any]:
    title = f"{kind.capitalize()} {slug}, with a title long enough to wrap over lines"
    return {"slug": slug, "kind": kind, "title": title, "status": status, "target": target}


def one_claim() -> Rows:
    return [_row("only", "claim", None)]


def large_reading() -> Rows:
    """200 statements: 10 claims, objections to them, replies and objections below those."""
    rows = [_row(f"c{n}", "claim", None) for n in range(10)]
    for n in range(10, 200):
        if n < 110:
            rows.append(_row(f"s{n}", "objection", f"c{n % 10}", "answered"))
        else:
            kind = "reply" if n % 2 else "objection"
            rows.append(_row(f"s{n}", kind, f"s{n - 100}", "parked"))
    return rows


def wide_fan() -> Rows:
    return [_row("c", "claim", None)] + [_row(f"o{n}", "objection", "c") for n in range(199)]


@pytest.mark.usefixtures("graphviz")
@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize(
    "rows", [one_claim(), large_reading(), wide_fan()], ids=["1", "200", "fan"]
)
async def test_no_map_is_more_than_twice_as_wide_as_high(rows: Rows, fmt: str) -> None:
    picture = await draw(to_dot(rows, {}, "Argument map: t"), fmt)
    assert picture is not None
    width, height = picture_size(picture, fmt)
    assert width <= MAX_RATIO * height, (width, height)


@pytest.mark.usefixtures("graphviz")
@pytest.mark.parametrize("fmt", ["png", "svg"])
async def test_the_demo_map_fits_a_preview_and_has_a_legend(demo_app: Cruxbot, fmt: str) -> None:
    reply = await demo_app.handle_line(f"/map alignment-optimism format:{fmt}", MEMBER)
    assert reply.attachment is not None, reply.body
    assert reply.attachment.filename == f"cruxbot-alignment-optimism.{fmt}"
    width, height = picture_size(reply.attachment.content, fmt)
    # Before the folds: 2095 x 451 px, a strip no chat preview could show legibly.
    assert width <= MAX_RATIO * height and height <= MAX_RATIO * width, (width, height)
    assert "legend" in reply.body
    if fmt == "svg":
        text = reply.attachment.content.decode()
        assert "Legend: colour shows status" in text
        for status in ("open", "answered", "conceded", "withdrawn", "duplicate", "parked"):
            assert f">{status}</text>" in text


@pytest.mark.usefixtures("graphviz")
async def test_a_grid_drawn_too_wide_is_drawn_again_with_fewer_columns() -> None:
    """Should the estimate be wrong, Graphviz's real picture still decides."""
    claims = [_row(f"c{n}", "claim", None) for n in range(20)]
    source = to_dot(claims, {}, "t")
    forced = re.sub(r'packmode="array_u\d+"', 'packmode="array_u21"', source)
    picture = await draw(forced, "svg")
    assert picture is not None
    width, height = picture_size(picture, "svg")
    assert width <= MAX_RATIO * height, (width, height)


def test_the_grid_folds_the_demo_shape_into_rows() -> None:
    """Six claims with an answer or two each: a grid of a few columns, not a strip of six."""
    rows = []
    for n in range(6):
        rows += [_row(f"c{n}", "claim", None), _row(f"o{n}", "objection", f"c{n}")]
    assert 2 <= fold(rows).columns <= 4
    # A claim with 199 answers: they wrap onto ranks, each under the one a row above.
    assert len(fold(wide_fan()).wrap_edges) > 150


@pytest.mark.usefixtures("graphviz")
async def test_the_map_shows_stances_and_cruxes(demo_app: Cruxbot) -> None:
    crux = await demo_app.handle_line("/crux lag rigorous-evals", MEMBER)
    assert not crux.error, crux.body
    await demo_app.handle_line("/agree lag", MEMBER)
    reply = await demo_app.handle_line("/map alignment-optimism format:svg", MEMBER)
    assert reply.attachment is not None
    text = reply.attachment.content.decode()
    assert "crux for lag" in text
    assert re.search(r">open · [1-9]\d* agree · \d+ disagree</text>", text)


async def test_an_unknown_map_format_is_refused_with_the_choices(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line("/map alignment-optimism format:gif", MEMBER)
    assert reply.error
    assert "png" in reply.body and "svg" in reply.body


async def test_a_map_of_one_statement_counts_it_in_the_singular(app: Cruxbot) -> None:
    logged = await app.handle_line("/claim only-one A lone claim with one steelman.", MEMBER)
    assert not logged.error, logged.body
    await app.handle_line("/steelman only-one The strongest form of the lone claim.", MEMBER)
    reply = await app.handle_line("/map only-one", MEMBER)
    shown = reply.body if reply.attachment is not None else reply.body + reply.footer
    assert "1 statements" not in shown and "1 steelmen" not in shown
    assert "1 statement" in shown or "1 steelman" in shown


def test_an_answer_to_the_whole_reading_says_so_in_the_picture_and_the_outline() -> None:
    """Drawn as a root like a claim, it would read as one: its box says what it answers."""
    rows: list[dict[str, Any]] = [
        {
            "slug": "thesis",
            "kind": "claim",
            "title": "The thesis",
            "status": "open",
            "target": None,
        },
        {
            "slug": "assumes-it",
            "kind": "objection",
            "title": "The essay assumes what it sets out to show",
            "status": "open",
            "target": None,
        },
        {"slug": "lag", "kind": "objection", "title": "Lag", "status": "open", "target": "thesis"},
    ]
    dot = to_dot(rows, {}, "A reading")
    labels = dict(re.findall(r'^  "([^"]+)" \[label="([^"]*)"', dot, flags=re.M))
    assert "against the whole reading" in labels["assumes-it"]
    assert "whole reading" not in labels["thesis"] and "whole reading" not in labels["lag"]
    outline = to_text_tree(rows, {}).splitlines()
    assert outline[2] == (
        "- objection `assumes-it` [open, against the whole reading]: "
        "The essay assumes what it sets out to show"
    )
