"""Wording mistakes a reply must not have: "1 steelmen", "2 reading", "a objection".

Checked on every reply the test suite produces (see the `wording` fixture in
tests/conftest.py), so a new message with a wrong plural or article fails the
test that first shows it. Only the product's own nouns are checked: members'
text (titles, fuzzed input) may say what it likes.
"""

from __future__ import annotations

import re

from bot.render.reply import Reply

NOUNS = (
    "steelman",
    "objection",
    "reading",
    "statement",
    "stance",
    "crux",
    "member",
    "change",
    "reply",
    "claim",
    "support",
    "meeting",
    "action",
    "decision",
    "nickname",
    "alias",
    "channel",
    "history entry",
)
PLURALS = {
    "steelman": "steelmen",
    "crux": "cruxes",
    "reply": "replies",
    "alias": "aliases",
    "history entry": "history entries",
}


def plural(noun: str) -> str:
    """The plural of one of the product's nouns."""
    return PLURALS.get(noun, noun + "s")


_ONE = re.compile(r"(?<![#\w.,/-])1 (" + "|".join(re.escape(plural(n)) for n in NOUNS) + r")\b")
_MANY = re.compile(
    r"(?<![#\w.,/:-])(0|[2-9]|[1-9]\d+) ("
    + "|".join(re.escape(n) for n in NOUNS)
    + r")\b(?!-| ids?\b)"
)
_A_VOWEL = re.compile(r"\b[Aa] (objection|action|alias|answer|open|endorsed|edit|export|empty)\b")
_AN_CONSONANT = re.compile(
    r"\b[Aa]n (steelman|statement|stance|claim|reply|reading|crux|decision)\b"
)
_EMPTY_PAGE = re.compile(r"Page 1 of 1 \(0 in all\)")


def mistakes(text: str) -> list[str]:
    """Each wording mistake found in `text`, quoted."""
    found = [m.group(0) for m in _ONE.finditer(text)]
    found += [m.group(0) for m in _MANY.finditer(text)]
    found += [m.group(0) for m in _A_VOWEL.finditer(text)]
    found += [m.group(0) for m in _AN_CONSONANT.finditer(text)]
    found += [m.group(0) for m in _EMPTY_PAGE.finditer(text)]
    return found


def reply_texts(reply: Reply) -> list[str]:
    """The words of a reply the product wrote: title, body, fields and footer."""
    texts = [reply.title, reply.body, reply.footer]
    texts += [f"{field.name}: {field.value}" for field in reply.fields]
    texts += [action.label for action in reply.actions]
    return texts
