"""Cutting text to a platform's limit, visibly: one rule for every renderer."""

from __future__ import annotations

from collections.abc import Callable

#: What a cut text ends with.
ELLIPSIS = "…"


def clip(text: str, limit: int, trim: Callable[[str], str] = str) -> str:
    """`text` if it fits in `limit` characters, else its start ending in "…".

    `trim` may shorten the cut part further, so that it does not end inside
    markup the platform would misread (Slack's `&amp;` entities and `<links>`).
    """
    if len(text) <= limit:
        return text
    return trim(text[: max(limit - len(ELLIPSIS), 0)]) + ELLIPSIS
