"""Logging set-up: one JSON object a line for log collectors, readable text otherwise.

A self-hosted bot's logs end up in `docker logs`, journald or a collector such
as Loki. `LOG_FORMAT=json` writes each record as one JSON object on one line
(time, level, logger, message, and the exception's traceback as a string), so
those tools can filter on fields; the default text format is for people. When
a member is shown an error id ("error id 3f2a9c1b"), the same id is in the log
line, and in JSON it is also a field of its own (`error_id`), so the host can
find the failure from what the member reports.

No level, DEBUG included, writes a secret or a member's words: `Redactor`
rewrites every record before it is formatted (see its docstring).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: How the core and the adapters write the id they show the member.
ERROR_ID = re.compile(r"\berror id ([0-9a-f]{6,32})\b")
#: LogRecord attributes that are not extra fields given by the caller.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "taskName"}
)


#: Loggers of the libraries under the adapters. At DEBUG they print whole requests and
#: answers (members' messages, response_urls); their payloads are cut out of each line.
LIBRARIES = ("slack_sdk", "slack_bolt", "discord", "aiohttp", "websockets", "asyncpg")
#: Loggers whose DEBUG lines are nothing but payloads (aiosqlite: each SQL call and its
#: parameters, which are members' text): they log from INFO up, whatever LOG_LEVEL says.
PAYLOAD_ONLY = ("aiosqlite",)
REDACTED = "[redacted]"
#: Always secret, in any logger's line: tokens, credentials, and where response_urls live.
_SECRETS = (
    # Slack tokens (bot, user, app-level, refresh, config).
    (re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+"), REDACTED),
    # A Discord bot token: three base64url parts, the first an encoded id.
    (re.compile(r"\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}"), REDACTED),
    (re.compile(r"\b(Bearer|Bot) [A-Za-z0-9._~+/=-]{20,}"), rf"\1 {REDACTED}"),
    # A response_url's value, in JSON, a dict's repr, a form or a query string.
    (re.compile(r"""(response_url['"]?\s*[:=]\s*['"]?)[^'"\s,&}]+"""), rf"\1{REDACTED}"),
    # Slack's response and webhook URLs, wherever they appear (an exception, say).
    (
        re.compile(r"hooks\.slack\.com(?:/|%2F)[^\s'\",}&]+", re.IGNORECASE),
        f"hooks.slack.com/{REDACTED}",
    ),
    # Discord's interaction and webhook tokens travel in the URL path.
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s'\",]+"), rf"\1{REDACTED}"),
    # A web view link's token (in an access log line, at DEBUG).
    (re.compile(r"(/w/)[A-Za-z0-9_-]{16,}"), rf"\1{REDACTED}"),
)
#: In a library's line: a form-encoded body (`token=…&text=…`), a quoted non-empty body.
_FORM = re.compile(r"\b[\w.-]+=[^&\s]*(?:&[\w.-]+=[^&\s]*)+")
_QUOTED_BODY = re.compile(r'(\bbody: )"(?:[^"\\]|\\.)+"')
#: In a webhook client's line every URL is a response_url or an incoming webhook.
_URL = re.compile(r"\bhttps?://[^\s,'\"]+")


def without_payloads(text: str) -> str:
    """`text` with each outermost `{…}` (a JSON object or a dict's repr) emptied.

    Quoted strings inside are skipped whole, so a brace in a member's text
    cannot end the payload early; an unclosed payload is dropped to the end.
    """
    out: list[str] = []
    depth = 0
    quote = ""
    escaped = False
    for char in text:
        if depth == 0:
            if char == "{":
                depth = 1
                out.append("{…}")
            else:
                out.append(char)
        elif quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
    return "".join(out)


class Redactor(logging.Filter):
    """Rewrites each record so that no secret or member's message reaches the log.

    Attached to the handler, not to loggers: a logger's filters see only the
    records logged on that very logger, not its children's
    (`slack_sdk.web.async_base_client`, `discord.http`), while a handler's see
    every record it writes. Everywhere, it removes the configured secrets
    (tokens, signing secret), anything shaped like a Slack or Discord token,
    and response_url values. In the libraries' lines (`LIBRARIES`) it also
    empties every payload: request and response bodies, params, form bodies,
    and every URL of a webhook client. What is left says which call was made
    and how it went, which is what DEBUG is for.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        """Also remove these exact values (short ones would match too much)."""
        super().__init__()
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def redact(self, text: str, logger: str) -> str:
        """`text` as it may be written for a record of `logger`."""
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _SECRETS:
            text = pattern.sub(replacement, text)
        if logger.startswith(LIBRARIES):
            text = _QUOTED_BODY.sub(r'\1"…"', _FORM.sub("[form]", without_payloads(text)))
            if "webhook" in logger:
                text = _URL.sub(REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; rewrite its message, traceback and extra fields."""
        message = record.getMessage()
        clean = self.redact(message, record.name)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text, record.name)
        for key, value in list(record.__dict__.items()):
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, self.redact(value, record.name))
        return True


def error_id_of(record: logging.LogRecord, message: str) -> str:
    """The error id a record carries: an `extra={"error_id": ...}` or one in its text."""
    given = getattr(record, "error_id", "")
    if given:
        return str(given)
    found = ERROR_ID.search(message)
    return found.group(1) if found else ""


class JsonFormatter(logging.Formatter):
    """Formats a record as a single-line JSON object."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as JSON: never more than one line, whatever the message holds."""
        message = record.getMessage()
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": message,
        }
        error_id = error_id_of(record, message)
        if error_id:
            entry["error_id"] = error_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_text:  # already formatted (and redacted) by the Redactor
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(
    log_format: str = "text",
    level: int = logging.INFO,
    stream: TextIO | None = None,
    secrets: Iterable[str] = (),
) -> None:
    """Send every log record to `stream` (stderr) in the chosen format, redacted.

    Replaces any handlers already on the root logger, so calling it twice (in
    tests) does not print each line twice. `secrets` are values never to be
    written (the tokens and signing secret in use).
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(Redactor(secrets))
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request (health checks every few seconds) would drown the rest,
    # unless DEBUG asks for everything.
    access = level if level <= logging.DEBUG else max(level, logging.WARNING)
    logging.getLogger("aiohttp.access").setLevel(access)
    for name in PAYLOAD_ONLY:
        logging.getLogger(name).setLevel(max(level, logging.INFO))
