"""One palette for statuses: the map, the Discord embeds and the Slack blocks agree.

Every colour a member sees comes from bot/render/palette.py; these tests show
each surface uses it, that no other module holds a colour of its own, and that
the colours are the colour-blind-safe Okabe-Ito set with readable black text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.discord.render import build_embed, colour_for
from adapters.slack.blocks import message
from bot.app import Cruxbot
from bot.domain import STATUSES
from bot.render.argument_map import to_dot
from bot.render.palette import ERROR, STATUS_SWATCHES, Swatch
from bot.render.reply import Reply
from tests.conftest import MEMBER, MODERATOR

ROOT = Path(__file__).resolve().parents[1]
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
_COLOUR_LITERAL = re.compile(r"#[0-9A-Fa-f]{6}\b|\b0x[0-9A-Fa-f]{6}\b")
#: Six hex digits that are not colours: the highest Unicode code point.
NOT_COLOURS = {"0x10FFFF"}


def _luminance(swatch: Swatch) -> float:
    """WCAG relative luminance."""
    channels = [int(swatch.hex[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_status_colours_are_colour_blind_safe_and_keep_text_readable() -> None:
    colours = [STATUS_SWATCHES[status].hex for status in STATUSES]
    assert len(set(colours)) == len(STATUSES)  # no two statuses share a colour
    assert set(colours) - OKABE_ITO <= {"#BBBBBB"}  # Okabe-Ito, and one grey
    for status in STATUSES:
        contrast = (_luminance(STATUS_SWATCHES[status]) + 0.05) / 0.05  # against black text
        assert contrast >= 4.5, status


@pytest.mark.parametrize("status", STATUSES)
async def test_discord_slack_and_the_map_show_a_status_in_the_same_colour(
    demo_app: Cruxbot, status: str
) -> None:
    if status != "open":  # the demo's `lag` is open
        line = f"/status lag {status}" + (" endgame" if status == "duplicate" else "")
        changed = await demo_app.handle_line(line, MODERATOR)
        assert not changed.error, changed.body
    card = await demo_app.handle_line("/objection lag", MEMBER)
    swatch = STATUS_SWATCHES[status]
    assert card.accent == status
    assert colour_for(card) == swatch.rgb
    embed_colour = build_embed(card).colour
    assert embed_colour is not None and embed_colour.value == swatch.rgb
    title_block = message(card)["blocks"][0]["text"]["text"]
    assert title_block.startswith(swatch.emoji + " ")
    row = {"slug": "lag", "kind": "objection", "title": "t", "status": status, "target": None}
    assert f'fillcolor="{swatch.hex}"' in to_dot([row], {}, "t")


def test_errors_are_the_palettes_error_colour_on_discord() -> None:
    assert colour_for(Reply(body="No.", error=True)) == ERROR.rgb


def test_no_module_but_the_palette_holds_a_colour() -> None:
    """A colour written anywhere else would drift from the palette, as the map's once did."""
    palette = ROOT / "bot" / "render" / "palette.py"
    offenders = [
        f"{path.relative_to(ROOT)}: {found.group()}"
        for folder in ("bot", "adapters")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != palette
        for found in _COLOUR_LITERAL.finditer(path.read_text(encoding="utf-8"))
        if found.group() not in NOT_COLOURS
    ]
    assert offenders == []
