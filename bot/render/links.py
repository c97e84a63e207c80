"""Markdown links (`[text](url)`) in stored text, shown the way each place can.

Imported text keeps its links as written, so nothing is lost and an export
carries them on. Where it is shown, each link is rewritten for the place: the
console shows `text (url)`, Slack a link of its own, with the address's host
beside it (see adapters.slack.mrkdwn); Discord shows a member's link as typed
(see adapters.discord.render). Only http and https addresses are links here:
anything else stays text as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

# One level of balanced parentheses in the address (Wikipedia's `Foo_(bar)`),
# none in the label, nothing that could end a line or start a tag.
_ADDRESS = r"https?://[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*"
LINK = re.compile(r"\[([^\[\]\n]+)\]\((" + _ADDRESS + r")\)")
BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>]*[^\s<>.,;:!?)'\"\]]")


def links_as(text: str, show: Callable[[str, str], str]) -> str:
    """`text` with each `[label](url)` replaced by `show(label, url)`."""
    return LINK.sub(lambda m: show(m.group(1), m.group(2)), text)


def host(url: str) -> str:
    """Where an address goes, as a reader would name it: `en.wikipedia.org`."""
    name = urlsplit(url if "://" in url else f"http://{url}").hostname or ""
    return name.removeprefix("www.")


def as_text_and_address(label: str, url: str) -> str:
    """`label (url)`: the console's way, and any place without links of its own."""
    return f"{label} ({url})"


def without_addresses(text: str) -> str:
    """`text` for a title or a nickname: link labels kept, addresses left out.

    A bare address becomes its host (`see pewglobal.org`), so a point that is
    only an address still has a name.
    """
    labelled = links_as(text, lambda label, _url: label)
    return " ".join(BARE_URL.sub(lambda m: host(m.group(0)), labelled).split())
