"""What a question or a search is about: its keywords, their stems, and hints.

A member types "what was the lag objection again?" or "what did we say about
evaluation?". Only a few of those words say what they want; the rest
("what", "did", "we", "say", "about", "again") would, in an OR search, match
nearly every statement, and in an AND search match none. So the question is
split into:

- keywords: the words that carry meaning, searched (stemmed by the database);
- kind words ("objection", "reply", "answered"), kept apart as a hint of
  which kinds of statement are wanted ("the reply to lag");
- every word in order, so that nicknames can be recognised in it (`lag`,
  `blank-slate` from "blank slate").

Excerpts bold the words a stemmed search matched, comparing Snowball stems:
`capability` bolds "capabilities", as the databases' stemmers matched it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.storage.search import STOPWORDS, Term, english_stem, sendable, stemmed_terms

#: Words of a question that say it is a question, not what it is about.
_QUESTION_WORDS_TEXT = """
    about again anybody anyone anything any did didn does doesn done don else even ever
    exactly get got i idea just let like me mean meant means my one ones please point
    really recall remember remind remind said say says someone something stuff talk
    talked tell thing things think thought us was wasn what whats where why who whom
    whose ll re ve d m s t isn aren weren won
"""
QUESTION_WORDS = frozenset(_QUESTION_WORDS_TEXT.split())

#: Words naming a kind of statement, and the kind they hint at.
KIND_WORDS: dict[str, str] = {
    **dict.fromkeys(("claim", "claims", "claimed", "assert", "asserts", "argues"), "claim"),
    **dict.fromkeys(
        ("objection", "objections", "object", "objects", "objected", "against", "counter"),
        "objection",
    ),
    **dict.fromkeys(
        (
            "reply",
            "replies",
            "replied",
            "answer",
            "answers",
            "answered",
            "response",
            "responses",
            "responded",
            "rebuttal",
        ),
        "reply",
    ),
    **dict.fromkeys(("support", "supports", "supported", "supporting", "backs"), "support"),
}

_WORD = re.compile(r"[^\W_]+")

#: At most this many keywords are searched (each one is an index lookup).
MAX_KEYWORDS = 8


@dataclass(frozen=True)
class Question:
    """A question or search taken apart (see the module docstring)."""

    words: tuple[str, ...]
    keywords: tuple[str, ...]
    kinds: frozenset[str] = field(default_factory=frozenset)

    def terms(self, prefix: bool = False) -> list[Term]:
        """Highlighting terms matching each keyword by its stem (or as a prefix)."""
        if prefix:
            return [Term((word,), prefix=True) for word in self.keywords]
        return stemmed_terms(self.keywords)


def parse(raw: str) -> Question:
    """Take a question apart: its words, keywords and kind hints.

    When every word is a stop word ("what is this"), the words themselves are
    the keywords, so that a search for "the" still searches for something.
    """
    words = tuple(_WORD.findall(sendable(raw).lower()))[:40]
    kinds = frozenset(KIND_WORDS[w] for w in words if w in KIND_WORDS)
    keywords = [
        w
        for w in dict.fromkeys(words)
        if w not in STOPWORDS and w not in QUESTION_WORDS and w not in KIND_WORDS
    ]
    if not keywords:
        keywords = [w for w in dict.fromkeys(words) if w not in KIND_WORDS] or list(
            dict.fromkeys(words)
        )
    return Question(words, tuple(keywords[:MAX_KEYWORDS]), kinds)


def phrases(words: tuple[str, ...], longest: int = 4) -> list[str]:
    """Runs of 1 to `longest` words joined by hyphens: the nicknames a question may name.

    Single stop words are left out ("what" is never taken as a nickname);
    runs of several words keep them (`burden-of-proof`).
    """
    found: list[str] = []
    for size in range(1, longest + 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if size == 1 and (run[0] in STOPWORDS or run[0] in QUESTION_WORDS):
                continue
            phrase = "-".join(run)
            if len(phrase) <= 40 and phrase not in found:
                found.append(phrase)
    return found


def content_stems(raw: str) -> set[str]:
    """The stems of the words that carry a text's meaning: 3+ letters, no stop words."""
    return {
        english_stem(w)
        for w in _WORD.findall(raw.lower())
        if len(w) >= 3 and w not in STOPWORDS and w not in QUESTION_WORDS
    }


def alikeness(text: str, slug: str, title: str, other: str) -> float:
    """How much a new text says what a statement (`slug`, `title`, `other`) says, 0 to 1.

    The share of the new text's stems the statement holds (a short rewording
    of it: "Alignment keeps falling behind capabilities" and `lag`), or, for
    two long texts, the share of stems they have in common (Jaccard). Two
    stems in common at least: one shared word says nothing.
    """
    new = content_stems(text)
    held = content_stems(f"{slug.replace('-', ' ')} {title} {other}")
    shared = new & held
    if len(shared) < 2:
        return 0.0
    said = content_stems(other)
    jaccard = len(new & said) / len(new | said) if said else 0.0
    return max(len(shared) / len(new), jaccard)
