"""AIF export in the AIFdb JSON shape, for argument-mining and analysis tools.

Each statement and steelman is an I-node (information). An objection or reply
reaches what it attacks through a CA-node (conflict), a support through an
RA-node (inference), a steelman its statement through an MA-node (rephrase).
Who said what is kept as L-nodes (locutions) tied to participants and anchored
to their I-nodes through YA-nodes (asserting).

The fields are the ones AIFdb itself writes, because strict AIF readers expect
them: every node has a `timestamp`, every scheme node (RA, CA, MA, YA) its
`scheme` and AIFdb's `schemeID`, every edge a `formEdgeID`, every locution its
`timestamp`, `start`, `end` and `source`. `schemefulfillments` is what AIFdb's
own upload reads to attach the schemes again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bot.storage.snapshot_rows import MapSnapshot, StatementRow, SteelmanRow

#: (node type, scheme name, AIFdb's scheme id): AIFdb's default schemes.
Scheme = tuple[str, str, str]
_ASSERTING: Scheme = ("YA", "Asserting", "74")
_REPHRASE: Scheme = ("MA", "Default Rephrase", "144")
_SCHEME: dict[str, Scheme] = {
    "objection": ("CA", "Default Conflict", "71"),
    "reply": ("CA", "Default Conflict", "71"),
    "support": ("RA", "Default Inference", "72"),
}


def aifdb_time(moment: datetime | None) -> str:
    """An ISO 8601 time as AIFdb writes it: UTC, to the second, "YYYY-MM-DD HH:MM:SS".

    AIFdb stores MySQL DATETIMEs; readers parse exactly this shape, and an
    ISO string with "T" and an offset makes them fail or fall back to "now".
    A row without a time (none comes from the database) gets none.
    """
    if moment is None:
        return ""
    parsed = moment
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


class _Graph:
    """Nodes, edges and locutions as they are added, numbered in order."""

    def __init__(self) -> None:
        self.nodes: list[dict[str, str]] = []
        self.edges: list[dict[str, str | None]] = []
        self.fulfillments: list[dict[str, str]] = []
        self.locutions: list[dict[str, str | None]] = []
        self.participants: dict[tuple[str, str], dict[str, str]] = {}

    def node(self, kind: str, text: str, when: str) -> str:
        node_id = str(len(self.nodes) + 1)
        self.nodes.append({"nodeID": node_id, "text": text, "type": kind, "timestamp": when})
        return node_id

    def scheme(self, scheme: Scheme, when: str) -> str:
        """A scheme node, named as AIFdb names it (its text is the scheme's name)."""
        kind, name, scheme_id = scheme
        node_id = self.node(kind, name, when)
        self.nodes[-1].update(scheme=name, schemeID=scheme_id)
        self.fulfillments.append({"nodeID": node_id, "schemeID": scheme_id})
        return node_id

    def edge(self, source: str, target: str) -> None:
        self.edges.append(
            {
                "edgeID": str(len(self.edges) + 1),
                "fromID": source,
                "toID": target,
                "formEdgeID": None,
            }
        )

    def link(self, source: str, scheme: Scheme, target: str, when: str) -> None:
        """source -> scheme node -> target, the AIF shape of every relation."""
        middle = self.scheme(scheme, when)
        self.edge(source, middle)
        self.edge(middle, target)

    def said(self, row: StatementRow | SteelmanRow, information: str, when: str) -> None:
        """The author's locution of `row`'s text, asserting the I-node `information`.

        Members are told apart by id and name together, so two members who
        share a display name stay two participants.
        """
        author = row.author_name
        person = self.participants.setdefault(
            (row.author_id, author),
            {
                "participantID": str(len(self.participants) + 1),
                "firstname": author,
                "surname": "",
            },
        )
        # AIFdb's locution text is "Speaker : words".
        locution = self.node("L", f"{author} : {row.text}", when)
        self.locutions.append(
            {
                "nodeID": locution,
                "personID": person["participantID"],
                "timestamp": when,
                "start": when,
                "end": None,
                "source": None,
            }
        )
        self.link(locution, _ASSERTING, information, when)


def to_aif(snapshot: MapSnapshot) -> str:
    """The live map as AIFdb-style JSON."""
    graph = _Graph()
    info: dict[str, str] = {}
    live = snapshot.live_statements()
    for statement in live:
        when = aifdb_time(statement.created_at)
        info[statement.slug] = graph.node("I", statement.text, when)
        graph.said(statement, info[statement.slug], when)
    for statement in live:
        target = statement.target
        if target is None or target not in info:
            continue
        when = aifdb_time(statement.created_at)
        graph.link(info[statement.slug], _SCHEME[statement.kind], info[target], when)
    for steelman in snapshot.steelmen:
        if steelman.deleted_at is not None or steelman.statement not in info:
            continue
        when = aifdb_time(steelman.created_at)
        node = graph.node("I", steelman.text, when)
        graph.said(steelman, node, when)
        graph.link(node, _REPHRASE, info[steelman.statement], when)
    document: dict[str, Any] = {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "schemefulfillments": graph.fulfillments,
        "locutions": graph.locutions,
        "participants": list(graph.participants.values()),
    }
    return json.dumps(document, ensure_ascii=False) + "\n"
