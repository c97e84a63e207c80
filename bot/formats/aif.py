"""AIF export in the AIFdb JSON shape, for argument-mining and analysis tools.

Each statement and steelman is an I-node (information). An objection or reply
reaches what it attacks through a CA-node (conflict), a support through an
RA-node (inference), a steelman its statement through an MA-node (rephrase).
Who said what is kept as L-nodes (locutions) tied to participants and anchored
to their I-nodes through YA-nodes (asserting).
"""

from __future__ import annotations

import json
from typing import Any

from bot.storage.snapshot import MapSnapshot

_SCHEME = {
    "objection": ("CA", "Default Conflict"),
    "reply": ("CA", "Default Conflict"),
    "support": ("RA", "Default Inference"),
}


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[dict[str, str]] = []
        self.edges: list[dict[str, str]] = []
        self.locutions: list[dict[str, str]] = []
        self.participants: dict[str, dict[str, str]] = {}

    def node(self, kind: str, text: str) -> str:
        node_id = str(len(self.nodes) + 1)
        self.nodes.append({"nodeID": node_id, "text": text, "type": kind})
        return node_id

    def edge(self, source: str, target: str) -> None:
        self.edges.append({"edgeID": str(len(self.edges) + 1), "fromID": source, "toID": target})

    def said(self, author: str, text: str, information: str) -> None:
        person = self.participants.setdefault(
            author,
            {
                "participantID": str(len(self.participants) + 1),
                "firstname": author,
                "surname": "",
            },
        )
        locution = self.node("L", f"{author}: {text}")
        self.locutions.append({"nodeID": locution, "personID": person["participantID"]})
        asserting = self.node("YA", "Asserting")
        self.edge(locution, asserting)
        self.edge(asserting, information)


def to_aif(snapshot: MapSnapshot) -> str:
    """The live map as AIFdb-style JSON."""
    graph = _Graph()
    info: dict[str, str] = {}
    live = snapshot.live_statements()
    for statement in live:
        info[statement["slug"]] = graph.node("I", statement["text"])
        graph.said(statement["author_name"], statement["text"], info[statement["slug"]])
    for statement in live:
        target = statement["target"]
        if target is None or target not in info:
            continue
        kind, label = _SCHEME[statement["kind"]]
        scheme = graph.node(kind, label)
        graph.edge(info[statement["slug"]], scheme)
        graph.edge(scheme, info[target])
    for steelman in snapshot.steelmen:
        if steelman["deleted_at"] is not None or steelman["statement"] not in info:
            continue
        node = graph.node("I", steelman["text"])
        graph.said(steelman["author_name"], steelman["text"], node)
        rephrase = graph.node("MA", "Default Rephrase")
        graph.edge(node, rephrase)
        graph.edge(rephrase, info[steelman["statement"]])
    document: dict[str, Any] = {
        "nodes": graph.nodes,
        "edges": graph.edges,
        "locutions": graph.locutions,
        "participants": list(graph.participants.values()),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
