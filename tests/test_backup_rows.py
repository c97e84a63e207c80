"""A JSON export read into typed rows: every row kind round-trips, a bad field is named."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.app import Cruxbot
from bot.domain import SLUG_MAX, SLUG_PATTERN
from bot.errors import UserError
from bot.formats.json_format import from_json, to_json
from bot.services.restore_checks import check
from bot.storage.snapshot_rows import (
    ActionRow,
    ChannelRow,
    CruxRow,
    MapSnapshot,
    MeetingRow,
    ReadingRow,
    StanceRow,
    StatementRow,
    SteelmanRow,
)
from tests.conftest import MODERATOR

texts = st.text(max_size=12)
#: Nicknames as an export holds them (stored ones are already normalised).
slugs = st.from_regex(SLUG_PATTERN, fullmatch=True).filter(lambda s: len(s) <= SLUG_MAX)
refs = st.none() | slugs
positions = st.none() | st.integers(1, 50)
#: Times as an export holds them: with an offset (SQLite's naive ones are exported as UTC).
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2099, 12, 31),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(hours=5))]),
)
maybe_moments = st.none() | moments
merged_statements = st.builds(
    StatementRow,
    slug=slugs,
    kind=texts,
    text=texts,
    aliases=st.lists(slugs, max_size=3).map(tuple),
    status=texts,
    target=refs,
    duplicate_of=refs,
    reading=refs,
    meeting=positions,
    created_at=moments,
    updated_at=moments,
    deleted_at=maybe_moments,
    merged=st.just(True),
    ref=st.builds("{}@{}".format, slugs, st.integers(1, 99)),
)
statements = st.builds(
    StatementRow,
    slug=slugs,
    kind=texts,
    text=texts,
    title=texts,
    quote=texts,
    source_url=texts,
    source_page=texts,
    author_id=texts,
    author_name=texts,
    aliases=st.lists(slugs, max_size=3).map(tuple),
    status=texts,
    target=refs,
    duplicate_of=refs,
    reading=refs,
    origin_url=texts,
    meeting=positions,
    created_at=moments,
    updated_at=moments,
    deleted_at=maybe_moments,
    source_member_id=texts,
    source_member_name=texts,
)
snapshots = st.builds(
    MapSnapshot,
    readings=st.lists(
        st.builds(ReadingRow, slug=slugs, title=texts, url=texts, created_at=moments), max_size=3
    ),
    statements=st.lists(statements | merged_statements, max_size=5),
    steelmen=st.lists(
        st.builds(
            SteelmanRow,
            statement=refs,
            text=texts,
            endorsed=st.booleans(),
            created_at=moments,
            deleted_at=maybe_moments,
        ),
        max_size=3,
    ),
    stances=st.lists(
        st.builds(
            StanceRow,
            statement=refs,
            position=texts,
            credence=st.none() | st.integers(0, 100),
            updated_at=moments,
        ),
        max_size=3,
    ),
    meetings=st.lists(
        st.builds(
            MeetingRow,
            ref=st.integers(1, 50),
            reading=refs,
            started_at=moments,
            ended_at=maybe_moments,
            closed_automatically=st.booleans(),
            minutes=texts,
        ),
        max_size=3,
    ),
    cruxes=st.lists(
        st.builds(
            CruxRow,
            statement=refs,
            belief=refs,
            meeting=positions,
            reason=texts,
            created_at=moments,
        ),
        max_size=3,
    ),
    channels=st.lists(st.builds(ChannelRow, channel=texts, current_reading=refs), max_size=2),
    actions=st.lists(
        st.builds(
            ActionRow,
            kind=texts,
            text=texts,
            meeting=positions,
            created_at=moments,
            done_at=maybe_moments,
        ),
        max_size=3,
    ),
)


@settings(max_examples=200, deadline=None)
@given(snapshots)
def test_every_row_reads_back_as_it_was_written(snapshot: MapSnapshot) -> None:
    text = to_json(snapshot)
    again = from_json(text)
    assert again == snapshot
    assert to_json(again) == text


json_values: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
FIELDS = {
    "readings": ["slug", "title", "author", "url", "created_by", "created_at"],
    "statements": [*StatementRow.__dataclass_fields__],
    "steelmen": [*SteelmanRow.__dataclass_fields__],
    "stances": [*StanceRow.__dataclass_fields__],
    "meetings": [*MeetingRow.__dataclass_fields__],
    "cruxes": [*CruxRow.__dataclass_fields__],
    "channels": [*ChannelRow.__dataclass_fields__],
    "actions": [*ActionRow.__dataclass_fields__],
}
damaged_files = st.fixed_dictionaries(
    {
        section: st.lists(
            st.dictionaries(st.sampled_from(fields), json_values, max_size=len(fields)), max_size=2
        )
        for section, fields in FIELDS.items()
    }
)


@settings(max_examples=300, deadline=None)
@given(damaged_files)
def test_any_damaged_file_is_refused_with_a_reason_or_read(sections: dict[str, Any]) -> None:
    text = json.dumps({"format": "cruxbot-map", "version": 1, **sections})
    try:
        check(from_json(text))
    except UserError as refused:
        assert refused.message.strip()


def export_with(section: str, **fields: Any) -> str:
    """A one-item export whose item has `fields` over a valid one's."""
    valid: dict[str, dict[str, Any]] = {
        "readings": {"slug": "r", "title": "R", "created_at": "2024-01-01T00:00:00+00:00"},
        "statements": {
            "slug": "c",
            "kind": "claim",
            "status": "open",
            "text": "A claim.",
            "created_at": "2024-01-01T00:00:00+00:00",
        },
        "meetings": {"ref": 1, "started_at": "2024-01-01T00:00:00+00:00"},
        "stances": {
            "statement": "c",
            "position": "agree",
            "updated_at": "2024-01-01T00:00:00+00:00",
        },
    }
    document: dict[str, Any] = {"format": "cruxbot-map", "version": 1}
    document["statements"] = [valid["statements"]]
    document[section] = [{**valid[section], **fields}]
    return json.dumps(document)


@pytest.mark.parametrize(
    ("section", "fields", "reason"),
    [
        ("readings", {"title": 5}, "readings[0]: `title` must be text."),
        ("readings", {"created_at": "soon"}, "readings[0]: 'soon' is not an ISO 8601 timestamp."),
        ("statements", {"aliases": "lag"}, "statements[0] `c`: `aliases` must be a list."),
        (
            "statements",
            {"slug": " LAG ", "created_at": "soon"},
            "statements[0] `lag`: 'soon' is not an ISO 8601 timestamp.",
        ),
        (
            "statements",
            {"aliases": ["Bad Name"]},
            "statements[0] `c`: `bad name` is not a valid nickname",
        ),
        ("statements", {"merged": "yes"}, "statements[0] `c`: `merged` must be true or false."),
        ("statements", {"quote": ["a"]}, "statements[0] `c`: `quote` must be text."),
        ("meetings", {"ref": "first"}, "meetings[0]: `ref` must be a whole number."),
        ("stances", {"credence": "high"}, "stances[0]: `credence` must be a whole number."),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_it(
    section: str, fields: dict[str, Any], reason: str
) -> None:
    with pytest.raises(UserError) as refused:
        from_json(export_with(section, **fields))
    assert refused.value.message.startswith(reason), refused.value.message


async def test_a_file_whose_credence_is_not_a_number_is_refused_not_an_error_id(
    app: Cruxbot,
) -> None:
    # Read with int() while writing, this was an unexpected failure with an error id.
    reply = await app.import_file(
        "x.json", export_with("stances", credence="high").encode(), MODERATOR
    )
    assert reply.error and not reply.error_id
    assert reply.body == "stances[0]: `credence` must be a whole number."
