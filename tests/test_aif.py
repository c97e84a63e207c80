"""The AIF export as AIFdb writes it, checked by a third-party AIF reader (arguebuf).

Strict AIF consumers expect every node to carry AIFdb's `timestamp`, scheme
nodes their `scheme` and `schemeID`, edges a `formEdgeID` and locutions their
times. A real AIFdb nodeset (tests/data/aif) is the reference for which fields
each kind of node, edge and locution has.
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import arguebuf as ag
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.formats.aif import to_aif
from bot.storage.snapshot_rows import MapSnapshot, StatementRow, SteelmanRow
from tests.command_line import run_cruxbot as run
from tests.conftest import MEMBER

DATA = Path(__file__).resolve().parent / "data" / "aif"
#: AIFdb's own time format (MySQL's DATETIME), always UTC.
AIFDB_TIME = "%Y-%m-%d %H:%M:%S"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def no_warnings() -> Iterator[None]:
    """Any Python warning raises; any warning arguebuf logs fails the test."""
    handler = _Collect()
    logger = logging.getLogger("arguebuf")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            yield
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in handler.records] == []


def load_strictly(document: dict[str, Any]) -> ag.Graph[Any]:
    """The document as arguebuf reads an AIFdb nodeset with its dialogue (L, YA, TA) nodes."""
    with no_warnings():
        return ag.load.aif(document, reconstruct_dialog=True)  # type: ignore[arg-type]


def reference() -> dict[str, Any]:
    nodeset: dict[str, Any] = json.loads((DATA / "nodeset6064.json").read_text(encoding="utf-8"))
    return nodeset


def field_sets(
    items: list[dict[str, Any]], key: str | None = "type"
) -> dict[str, set[frozenset[str]]]:
    """The distinct sets of field names, per node type (or for all items)."""
    found: dict[str, set[frozenset[str]]] = {}
    for item in items:
        found.setdefault(item[key] if key else "", set()).add(frozenset(item))
    return found


def aifdb_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(UTC).strftime(AIFDB_TIME)


def test_the_real_aifdb_nodeset_loads_without_warnings() -> None:
    graph = load_strictly(reference())
    assert len(graph.atom_nodes) == 9
    supports = [n for n in graph.scheme_nodes.values() if isinstance(n.scheme, ag.Support)]
    assert len(supports) == 5
    assert graph.atom_nodes["29045"].metadata.created.isoformat() == "2014-04-28T15:51:38+00:00"


async def test_demo_export_in_chat_has_aifdb_fields_for_every_node_type(demo_app: Cruxbot) -> None:
    reply = await demo_app.handle_line("/export aif", MEMBER)
    assert reply.attachment is not None
    document = json.loads(reply.attachment.content)
    real = reference()
    ours, theirs = field_sets(document["nodes"]), field_sets(real["nodes"])
    assert set(ours) == {"I", "L", "YA", "RA", "CA", "MA"}
    # AIFdb gives a node with a scheme `scheme` and `schemeID`; these are its fields.
    with_scheme = {s for s in theirs["YA"] if "scheme" in s}
    assert with_scheme == {s for s in theirs["RA"] if "scheme" in s}
    expected = {"I": theirs["I"], "L": theirs["L"]} | dict.fromkeys(
        ("YA", "RA", "CA", "MA"), with_scheme
    )
    assert ours == expected
    assert field_sets(document["edges"], None) == field_sets(real["edges"], None)
    assert field_sets(document["locutions"], None) == field_sets(real["locutions"], None)


async def test_demo_export_carries_when_each_thing_was_said(demo_app: Cruxbot) -> None:
    await demo_app.handle_line("/steelman lag Evals may keep pace after all.", MEMBER)
    snapshot = json.loads((await demo_app.export_text("json", None, MEMBER))[1])
    document = json.loads((await demo_app.export_text("aif", None, MEMBER))[1])
    said = {(s["text"], aifdb_time(s["created_at"])) for s in snapshot["statements"]}
    said |= {(m["text"], aifdb_time(m["created_at"])) for m in snapshot["steelmen"]}
    nodes = {n["nodeID"]: n for n in document["nodes"]}
    assert {(n["text"], n["timestamp"]) for n in nodes.values() if n["type"] == "I"} == said
    for locution in document["locutions"]:
        spoken = nodes[locution["nodeID"]]
        assert spoken["type"] == "L"
        assert locution["timestamp"] == locution["start"] == spoken["timestamp"]
        assert locution["end"] is None and locution["source"] is None
    schemes = {
        (n["type"], n["scheme"], n["schemeID"]) for n in nodes.values() if n["type"] not in "IL"
    }
    assert schemes == {
        ("YA", "Asserting", "74"),
        ("RA", "Default Inference", "72"),
        ("CA", "Default Conflict", "71"),
        ("MA", "Default Rephrase", "144"),
    }
    # What AIFdb's own upload reads to attach each scheme again.
    assert document["schemefulfillments"] == [
        {"nodeID": n["nodeID"], "schemeID": n["schemeID"]} for n in nodes.values() if "scheme" in n
    ]
    graph = load_strictly(document)
    assert {
        (n.text, n.metadata.created.strftime(AIFDB_TIME)) for n in graph.atom_nodes.values()
    } == said


def test_cli_export_of_the_demo_loads_in_arguebuf(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'aif.db'}"
    assert run(["console", "--db", db, "--demo"], stdin="").returncode == 0
    result = run(["export", "--format", "aif", "--workspace", "console:local", "--db", db])
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    graph = load_strictly(document)
    kinds = [n["type"] for n in document["nodes"]]
    assert len(graph.atom_nodes) == kinds.count("I") > 0
    attacks = [n for n in graph.scheme_nodes.values() if isinstance(n.scheme, ag.Attack)]
    assert len(attacks) == kinds.count("CA") > 0
    assert all(n["timestamp"] for n in document["nodes"])


KINDS = ("claim", "objection", "reply", "support")
MOMENTS = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).flatmap(
    lambda moment: st.sampled_from(
        [moment, moment.replace(tzinfo=UTC), moment.replace(tzinfo=timezone(timedelta(hours=-7)))]
    )
)


@st.composite
def maps(draw: st.DrawFn) -> MapSnapshot:
    """A map of statements, each aimed at an earlier one, some deleted, with steelmen."""
    snapshot = MapSnapshot()
    names = st.text(min_size=1, max_size=12)
    for index in range(draw(st.integers(1, 8))):
        kind = "claim" if index == 0 else draw(st.sampled_from(KINDS))
        target = None if kind == "claim" else f"s{draw(st.integers(0, index - 1))}"
        snapshot.statements.append(
            StatementRow(
                slug=f"s{index}",
                kind=kind,
                target=target,
                text=draw(st.text(max_size=40)),
                author_id=draw(st.sampled_from(["U1", "U2", ""])),
                author_name=draw(names),
                created_at=draw(MOMENTS),
                deleted_at=draw(st.none() | MOMENTS),
            )
        )
    for _ in range(draw(st.integers(0, 3))):
        snapshot.steelmen.append(
            SteelmanRow(
                statement=f"s{draw(st.integers(0, len(snapshot.statements) - 1))}",
                text=draw(st.text(max_size=40)),
                author_id="U3",
                author_name=draw(names),
                created_at=draw(MOMENTS),
            )
        )
    return snapshot


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_any_map_exports_as_aif_that_arguebuf_reads_without_warnings(snapshot: MapSnapshot) -> None:
    document = json.loads(to_aif(snapshot))
    graph = load_strictly(document)
    live = {s.slug for s in snapshot.live_statements()}
    steelmen = [m for m in snapshot.steelmen if m.statement in live]
    assert len(graph.atom_nodes) == len(live) + len(steelmen)
    for node in document["nodes"]:
        datetime.strptime(node["timestamp"], AIFDB_TIME)
        assert ("scheme" in node) == (node["type"] not in ("I", "L"))
    people = {p["participantID"] for p in document["participants"]}
    assert {locution["personID"] for locution in document["locutions"]} <= people
    speakers = {(p["firstname"], p["surname"]) for p in document["participants"]}
    authors = [s for s in snapshot.live_statements()] + steelmen
    assert speakers == {(a.author_name, "") for a in authors}
    # Two members who share a display name stay two participants.
    assert len(people) == len({(a.author_id, a.author_name) for a in authors})
