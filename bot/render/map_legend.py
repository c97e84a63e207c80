"""The map's legend: what its colours, arrows, numbers and double borders mean.

A picture posted in chat travels without the message around it, so the key
is drawn into the picture itself, from the same palette as the boxes. It is
fixed text (no member's words), a Graphviz HTML-like table.
"""

from __future__ import annotations

from bot.domain import STATUSES
from bot.render.palette import EDGE_SWATCHES, STATUS_SWATCHES

#: The DOT node id of the legend; no slug can contain an underscore.
LEGEND_ID = "_legend"
#: How each kind of answer's arrow is drawn; the line style tells them apart without colour.
EDGE_STYLES = {"objection": "solid", "reply": "dashed", "support": "dotted"}
EDGE_WORDS = {"objection": "attacks", "reply": "answers", "support": "supports"}
_COLUMNS = 2


def legend_node() -> str:
    """The DOT statement drawing the legend as one box."""
    cells = [f'<TD BGCOLOR="{STATUS_SWATCHES[status].hex}">{status}</TD>' for status in STATUSES]
    status_rows = [
        "<TR>" + "".join(cells[start : start + _COLUMNS]) + "</TR>"
        for start in range(0, len(cells), _COLUMNS)
    ]
    edge_rows = [
        f'<TR><TD COLSPAN="{_COLUMNS}" ALIGN="LEFT"><FONT COLOR="{EDGE_SWATCHES[kind].hex}">'
        f"<B>{EDGE_STYLES[kind]} arrow</B></FONT>: {kind} {EDGE_WORDS[kind]}</TD></TR>"
        for kind in EDGE_STYLES
    ]
    notes = [
        f'<TR><TD COLSPAN="{_COLUMNS}" ALIGN="LEFT" BALIGN="LEFT">{note}</TD></TR>'
        for note in (
            "2 agree · 1 disagree: members' stances",
            "double border: a crux (a belief that<BR/>would change a mind)",
        )
    ]
    table = (
        '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0" CELLPADDING="4">'
        f'<TR><TD COLSPAN="{_COLUMNS}"><B>Legend: colour shows status</B></TD></TR>'
        + "".join(status_rows + edge_rows + notes)
        + "</TABLE>"
    )
    return f"  {LEGEND_ID} [shape=plaintext, margin=0, sortv=1000000, label=<{table}>];"
