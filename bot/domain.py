"""The domain's vocabulary and the rules for what a user may type.

Validation lives here so that every adapter, the pack loader and the services
reject bad input the same way, with the same friendly message.
"""

from __future__ import annotations

import re
import unicodedata

from bot.errors import UserError

KINDS = ("claim", "objection", "reply", "support")
STATUSES = ("open", "answered", "conceded", "withdrawn", "duplicate", "parked")
POSITIONS = ("agree", "disagree", "unsure")

#: What each kind may point at: an objection attacks any statement, a reply
#: answers an objection, a support backs any statement. (Deep discussions, and
#: Kialo imports, object to replies and back objections.)
ALLOWED_TARGETS: dict[str, tuple[str, ...]] = {
    "claim": (),
    "objection": ("claim", "objection", "reply", "support"),
    "reply": ("objection",),
    "support": ("claim", "objection", "reply", "support"),
}

#: Kinds that may answer the reading as a whole (its thesis) instead of one statement:
#: most objections in a discussion are to the essay, not to one of its claims.
ANSWERS_THE_READING = frozenset({"objection"})

SLUG_MAX = 40
TITLE_MAX = 100
TEXT_MAX = 4000
NAME_MAX = 200
URL_MAX = 2000

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ALLOWED_CONTROL = {"\n", "\t"}


def normalise_slug(raw: str) -> str:
    """Slugs are case-insensitive: users may type `LAG`, we store `lag`."""
    return raw.strip().lower()


def validate_slug(raw: str, what: str = "nickname") -> str:
    """Return the normalised slug, or raise a UserError explaining the rules."""
    slug = normalise_slug(raw)
    if not slug:
        raise UserError(f"The {what} is missing.")
    if len(slug) > SLUG_MAX:
        raise UserError(
            f"The {what} `{printable(slug, SLUG_MAX)}` is {len(slug)} characters long; "
            f"the limit is {SLUG_MAX}."
        )
    if not SLUG_PATTERN.match(slug):
        raise UserError(
            f"`{printable(slug)}` is not a valid {what}: use lowercase letters, digits "
            "and single hyphens, like `alignment-lag`."
        )
    return slug


def control_characters(text: str) -> list[str]:
    """The control and format characters in `text` a chat message should not carry.

    Newlines and tabs are fine; zero-width joiners and bidi marks are ordinary
    text in many scripts, so only category Cc (true control codes) is refused.
    """
    return sorted(
        {ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL}
    )


def validate_text(raw: str, what: str = "text", limit: int = TEXT_MAX) -> str:
    """Check free text against the limits; the text is kept exactly as given."""
    if not raw.strip():
        raise UserError(f"The {what} is empty.")
    if len(raw) > limit:
        raise UserError(
            f"The {what} is {len(raw):,} characters long; the limit is {limit:,}. "
            "Shorten it or split it into several statements."
        )
    bad = control_characters(raw)
    if bad:
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in bad[:5])
        raise UserError(f"The {what} contains control characters ({codes}); remove them.")
    return raw


def printable(text: str, limit: int = 60) -> str:
    """A short, safe echo of user input for error messages."""
    cleaned = "".join(ch if unicodedata.category(ch) != "Cc" else "?" for ch in text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def derive_title(text: str) -> str:
    """A statement's short title: its first sentence or line, cut to TITLE_MAX."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    match = re.match(r"(.+?[.!?])(\s|$)", first)
    title = match.group(1) if match else first
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1].rstrip() + "…"
    return title


def article(word: str) -> str:
    """ "a" or "an", for messages like "`lag` is an objection"."""
    return "an" if word[:1].lower() in "aeiou" else "a"


_IRREGULAR = {"steelman": "steelmen", "crux": "cruxes", "alias": "aliases"}


def plural(kind: str) -> str:
    """claims, objections, replies, supports (and steelmen, cruxes)."""
    if kind in _IRREGULAR:
        return _IRREGULAR[kind]
    return kind[:-1] + "ies" if kind.endswith("y") else kind + "s"


def count(number: int, noun: str) -> str:
    """ "1 steelman", "2 steelmen", "0 readings": a number with its noun agreeing."""
    return f"{number} {noun if number == 1 else plural(noun)}"


def either(kinds: tuple[str, ...]) -> str:
    """ "claims or objections"."""
    return " or ".join(plural(k) for k in kinds)


_STOPWORD_LIST = (
    "a an the and or but of to in on for with is are was were be it its this that these "
    "those as at by from if then than so not no we you they i our their can may might will "
    "would should could do does did has have had"
)
_STOPWORDS = frozenset(_STOPWORD_LIST.split())


def numbered_slug(base: str, number: int) -> str:
    """`base-<number>`, the base cut so the whole stays within SLUG_MAX."""
    suffix = f"-{number}"
    return base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix


def unique_slug(base: str, used: dict[str, int]) -> str:
    """`base`, or `base-2`, `base-3`…, whichever `used` does not hold yet; recorded in it.

    The next number is kept per base, so a file of many alike points costs one
    step each, not a scan of all before it.
    """
    candidate, number = base, used.get(base, 1)
    while candidate in used:
        number += 1
        candidate = numbered_slug(base, number)
    used[base] = number
    used.setdefault(candidate, 1)
    return candidate


def slugify(text: str, max_words: int = 4) -> str:
    """A nickname suggested by a text: its first few significant words, kebab-cased."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text).lower())
    significant = [w for w in words if w not in _STOPWORDS] or words
    slug = "-".join(significant[:max_words])[:SLUG_MAX].strip("-")
    return slug or "point"


_BECAUSE = re.compile(r"^\s*(?:because|since)\b[\s,:]*", re.IGNORECASE)


def reason_text(text: str) -> str:
    """The reason in "because evals catch it": "evals catch it" (validated free text)."""
    return validate_text(_BECAUSE.sub("", text, count=1).strip(), "reason")


def starts_with_because(text: str) -> bool:
    """Whether free text gives a reason ("because …", "since …")."""
    return _BECAUSE.match(text) is not None
