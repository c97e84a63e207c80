"""POST /slack/events: turn away unsigned and malformed requests before Bolt sees them.

Bolt reads the body as text and parses it before it checks the signature, so
non-UTF-8 bytes, broken JSON, a form whose `payload` is not JSON or a
non-numeric timestamp raise inside it: anyone on the internet could cost the
process a 500 and a traceback in the log per request, and Bolt logs the body of
each badly signed request in full. The guard checks, in this order:

1. the signature, over the raw bytes (401 if unsigned, wrongly signed, or
   stamped more than five minutes away), so a stranger learns nothing about
   what the bot would make of a body;
2. that the body is what Slack sends: UTF-8, and JSON objects where JSON is
   expected (400).

Each refusal is one warning line naming the reason, without a traceback. A
request that passes goes to Bolt unchanged (Bolt checks the signature again).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import parse_qsl

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
#: Slack's own bound: a request stamped further from now is a replay or a broken clock.
STALE_SECONDS = 5 * 60


class Refused(Exception):
    """A request the guard turns away: the status to answer and the reason to log."""

    def __init__(self, status: int, reason: str) -> None:
        """`reason` goes to the log; the client gets only the status's meaning."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SlackGuard:
    """Checks the signature first, then the shape of the body, of each Slack request."""

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        """Check requests against `signing_secret` (the app's, from Slack's app settings)."""
        self._secret = signing_secret.encode()
        self._clock = clock

    def protect(self, handler: Handler) -> Handler:
        """`handler`, reached only by correctly signed, well-formed requests."""

        async def guarded(request: web.Request) -> web.StreamResponse:
            body = await request.read()
            try:
                self.check_signature(request.headers, body)
                check_body(body, request.content_type)
            except Refused as refused:
                log.warning("slack request rejected (%d): %s", refused.status, refused.reason)
                message = "invalid request" if refused.status == 401 else refused.reason
                return web.json_response({"error": message}, status=refused.status)
            return await handler(request)

        return guarded

    def check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        """Raise Refused(401) unless Slack signed `body` with our secret in the last 5 minutes."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        signature = headers.get("X-Slack-Signature", "")
        if not signature:
            raise Refused(401, "no X-Slack-Signature")
        if not stamp.isascii() or not stamp.isdigit():
            raise Refused(401, "X-Slack-Request-Timestamp is not a number")
        if abs(self._clock() - int(stamp)) > STALE_SECONDS:
            raise Refused(401, "X-Slack-Request-Timestamp is more than 5 minutes away")
        base = b"v0:" + stamp.encode() + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise Refused(401, "the signature does not match")


def check_body(body: bytes, content_type: str) -> None:
    """Raise Refused(400) unless Bolt can parse `body` as Slack sends it.

    Mirrors how Bolt reads a body: JSON when the type says so or it starts
    with `{`; otherwise a form, whose `payload` field (if any) is JSON.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "the body is not UTF-8") from None
    if not text:
        return
    if content_type == "application/json" or text.startswith("{"):
        _json_object(text, "the JSON body")
        return
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, errors="strict"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the form body does not decode to UTF-8") from None
    if "payload" in fields:
        _json_object(fields["payload"], "the form's payload")


def _json_object(text: str, what: str) -> None:
    try:
        parsed = json.loads(text)
    except ValueError:
        raise Refused(400, f"{what} is not valid JSON") from None
    if not isinstance(parsed, dict):
        raise Refused(400, f"{what} is not a JSON object")
