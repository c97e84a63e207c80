"""Whatever body the guard lets through, Bolt can parse; whatever it refuses is a 400.

The real-process test (test_http_guard.py) tries the known bad shapes; this
one lets Hypothesis look for a body that passes the guard and still breaks
Bolt's parser (which would be a 500 and a traceback again).
"""

from __future__ import annotations

import json
from urllib.parse import quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_bolt.request.internals import parse_body

from adapters.slack.guard import Refused, SlackGuard, check_body

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TYPES = st.sampled_from(["application/json", "application/x-www-form-urlencoded", ""])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
bodies = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(str.encode),
    json_values.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: ("payload=" + quote_plus(json.dumps(v))).encode()),
    st.binary(max_size=30).map(lambda b: b"payload=" + b),
    st.text(max_size=30).map(lambda t: f"payload={t}&text=x".encode()),
)


@settings(max_examples=300, deadline=None)
@given(body=bodies, content_type=TYPES)
def test_a_body_the_guard_accepts_is_one_bolt_can_parse(body: bytes, content_type: str) -> None:
    try:
        check_body(body, content_type)
    except Refused as refused:
        assert refused.status == 400 and refused.reason
        return
    parsed = parse_body(body.decode("utf-8"), content_type)
    assert isinstance(parsed, dict)


@settings(max_examples=100, deadline=None)
@given(body=st.binary(max_size=60), stamp=st.text(max_size=12), signature=st.text(max_size=70))
def test_anything_not_signed_with_the_secret_is_401(
    body: bytes, stamp: str, signature: str
) -> None:
    guard = SlackGuard(SECRET, clock=lambda: 1_700_000_000)
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
    try:
        guard.check_signature(headers, body)
    except Refused as refused:
        assert refused.status == 401
    else:
        raise AssertionError("a forged signature was accepted")
