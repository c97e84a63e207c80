"""The one palette: which colour means which status, on the map and on every platform.

A member who sees an orange Discord embed for `lag` should find `lag` orange on
the map and marked orange on Slack too, so the colours are chosen once, here,
and the map, the Discord embeds and the Slack blocks all read them from this
module (tests/test_palette.py checks each of them does).

The colours are Okabe and Ito's set for colour-vision deficiencies, which
stay distinct for deuteranopia, protanopia and tritanopia; grey, not in their
set, stands for withdrawn, a point taken out of the discussion. Every status
colour keeps black text readable (contrast at least 4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import STATUSES


@dataclass(frozen=True)
class Swatch:
    """One colour, as each surface needs it."""

    #: "#RRGGBB", as Graphviz and SVG take it.
    hex: str
    #: The Slack emoji nearest in colour: Block Kit has no coloured text or borders.
    emoji: str

    @property
    def rgb(self) -> int:
        """0xRRGGBB, as Discord's embed colour takes it."""
        return int(self.hex.removeprefix("#"), 16)


ORANGE = Swatch("#E69F00", ":large_orange_square:")
SKY_BLUE = Swatch("#56B4E9", ":large_blue_square:")
BLUISH_GREEN = Swatch("#009E73", ":large_green_square:")
YELLOW = Swatch("#F0E442", ":large_yellow_square:")
BLUE = Swatch("#0072B2", ":large_blue_square:")
VERMILLION = Swatch("#D55E00", ":large_red_square:")
REDDISH_PURPLE = Swatch("#CC79A7", ":large_purple_square:")
GREY = Swatch("#BBBBBB", ":white_large_square:")

#: Every status's colour: still open is orange, answered sky blue, conceded
#: green, withdrawn grey, duplicate purple, parked yellow.
STATUS_SWATCHES: dict[str, Swatch] = {
    "open": ORANGE,
    "answered": SKY_BLUE,
    "conceded": BLUISH_GREEN,
    "withdrawn": GREY,
    "duplicate": REDDISH_PURPLE,
    "parked": YELLOW,
}
assert set(STATUS_SWATCHES) == set(STATUSES), "every status needs a colour"

#: Replies that are not about one statement: an error, a success, anything else.
ERROR = VERMILLION
SUCCESS = BLUISH_GREEN
NEUTRAL = BLUE

#: The arrows of the map, by the kind of statement they start from.
EDGE_SWATCHES: dict[str, Swatch] = {
    "objection": VERMILLION,
    "reply": BLUE,
    "support": BLUISH_GREEN,
}


def accent_swatch(accent: str, error: bool = False) -> Swatch:
    """The colour of a reply with this accent (a status, "success", "error" or anything)."""
    if error or accent == "error":
        return ERROR
    if accent == "success":
        return SUCCESS
    return STATUS_SWATCHES.get(accent, NEUTRAL)
