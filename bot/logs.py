"""Logging set-up: one JSON object a line for log collectors, readable text otherwise.

A self-hosted bot's logs end up in `docker logs`, journald or a collector such
as Loki. `LOG_FORMAT=json` writes each record as one JSON object on one line
(time, level, logger, message, and the exception's traceback as a string), so
those tools can filter on fields; the default text format is for people. When
a member is shown an error id ("error id 3f2a9c1b"), the same id is in the log
line, and in JSON it is also a field of its own (`error_id`), so the host can
find the failure from what the member reports.
"""

from __future__ import annotations

import json
import logging
import re
import sys
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
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(
    log_format: str = "text", level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Send every log record to `stream` (stderr) in the chosen format.

    Replaces any handlers already on the root logger, so calling it twice (in
    tests) does not print each line twice.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # One line per HTTP request (health checks every few seconds) would drown the rest.
    logging.getLogger("aiohttp.access").setLevel(max(level, logging.WARNING))
