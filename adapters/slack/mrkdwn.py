"""User text in and out of Slack's markup, safely.

Slack delivers message text with &, < and > entity-encoded and with mentions and
links as `<...>` tokens; it parses `<!channel>`, `<!here>`, `<!everyone>` and
`<@U…>` in anything we send back. So text coming in is made plain (tokens become
readable words, entities are decoded: the core stores text exactly as the member
meant it), and everything going out is escaped before the core's small Markdown
subset is turned into mrkdwn. Nothing a member typed can then ping anyone.

A Markdown link in stored text (`[text](url)`, as Kialo exports write them and
members type them) becomes a Slack link, `<url|text>`, followed by the host it
goes to, `(kialo.com)`: Slack shows only the label, and a label alone could
pass for any address (the same reason Discord shows a member's link as typed).
"""

from __future__ import annotations

import re

from bot.render.clip import clip as clip_text
from bot.render.links import LINK, host

ELLIPSIS = "…"

_TOKEN = re.compile(r"<([^<>]*)>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
# After escaping, a URL can hold no raw <, > or |: it cannot break out of <url>.
_URL = re.compile(r"https?://[^\s<>|`*]+")
_TRAILING_PUNCTUATION = ".,;:!?)'\""
_SPECIAL_MENTIONS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def escape(text: str) -> str:
    """Slack's three control characters as entities, so the text is shown, not parsed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """The inverse of `escape` (what Slack does to text before delivering it)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token_as_text(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # a user: <@U123> or <@U123|ann>
        return "@" + (label or target[1:])
    if target.startswith("#"):  # a channel
        return "#" + (label or target[1:])
    if target.startswith("!"):  # <!here>, <!subteam^S1|@team>, <!date^…|fallback>
        name = target[1:].split("^")[0]
        return label or _SPECIAL_MENTIONS.get(name, "@" + name)
    if label and label != target:  # a link with a label
        return f"{label} ({target})"
    return target.removeprefix("mailto:")


def from_slack(text: str) -> str:
    """Plain text from a Slack message or slash command's text.

    `<@U1|ann> said <https://x.org|this> &amp; more` becomes `@ann said this
    (https://x.org) & more`.
    """
    return unescape(_TOKEN.sub(_token_as_text, text))


_CREDIT = re.compile(r"\b(by:)<@([A-Z0-9]{1,64})(?:\|[^<>]*)?>", re.IGNORECASE)


def from_slack_keeping_credit(text: str) -> tuple[str, list[str]]:
    """Like `from_slack`, but a `by:<@U…>` mention stays a mention the core can read.

    Returns the text and the user ids credited, whose names the adapter looks up:
    a facilitator's `by:@ann` credits Ann, not the word "@ann".
    """
    pieces: list[str] = []
    ids: list[str] = []
    end = 0
    for match in _CREDIT.finditer(text):
        pieces.append(from_slack(text[end : match.start()]))
        pieces.append(f"{match.group(1)}<@{match.group(2)}>")
        ids.append(match.group(2))
        end = match.end()
    pieces.append(from_slack(text[end:]))
    return "".join(pieces), ids


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    stripped = url.rstrip(_TRAILING_PUNCTUATION)
    return f"<{stripped}>{url[len(stripped) :]}"


def _text_to_mrkdwn(text: str) -> str:
    escaped = escape(text)
    escaped = _BOLD.sub(r"*\1*", escaped)
    return _URL.sub(_link, escaped)


def _masked_link(match: re.Match[str]) -> str:
    """`<url|label> (host)`, or the text as it is when Slack could not read it as one link."""
    label, url = match.group(1), match.group(2)
    if "|" in label or "|" in url or not label.strip():
        return _text_to_mrkdwn(match.group(0))
    where = host(url)
    seen = f" ({escape(where)})" if where and where != label.strip() else ""
    return f"<{escape(url)}|{escape(label)}>{seen}"


def _line_to_mrkdwn(line: str) -> str:
    quote = ""
    if line.startswith("> ") or line == ">":  # the core's block quote marker
        quote, line = ">", line[1:]
    pieces: list[str] = []
    done = 0
    for match in LINK.finditer(line):
        pieces += [_text_to_mrkdwn(line[done : match.start()]), _masked_link(match)]
        done = match.end()
    return quote + "".join(pieces) + _text_to_mrkdwn(line[done:])


def to_mrkdwn(text: str) -> str:
    """Core Markdown (`code`, **bold**, > quote) as Slack mrkdwn, all user text escaped."""
    return "\n".join(_line_to_mrkdwn(line) for line in text.split("\n"))


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in "…" if cut (the core's one rule).

    A cut never leaves half an entity (`&am`) or half a `<link>` behind.
    """
    return clip_text(text, limit, _whole_markup)


def _whole_markup(cut: str) -> str:
    """`cut` without a trailing half entity or half link."""
    opened = cut.rfind("<")
    if opened > cut.rfind(">"):
        cut = cut[:opened]
    amp = cut.rfind("&")
    if amp >= len(cut) - 6 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, broken at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            head = clip(line, limit)[: -len(ELLIPSIS)] or line[:limit]
            pieces.append(head)
            line = line[len(head) :]
        current = line
    if current or not pieces:
        pieces.append(current)
    return pieces


def plain(text: str, limit: int) -> str:
    """Core Markdown as plain text (for plain_text objects: titles, labels, buttons)."""
    flat = " ".join(_BOLD.sub(r"\1", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + ELLIPSIS
