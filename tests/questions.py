"""The public question sets about the demo reading, and how answers are read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

QUESTIONS = Path(__file__).parent / "data" / "questions"

#: A listed statement's line: "`slug` — title (kind, status)".
_LISTED = re.compile(r"^`([a-z0-9-]+)` — ", re.MULTILINE)


@dataclass(frozen=True)
class Question:
    """A question a member might type, and the statements any of which answers it."""

    ask: str
    answers: frozenset[str]


def load(name: str) -> list[Question]:
    """One question set from tests/data/questions."""
    raw = yaml.safe_load((QUESTIONS / f"{name}.yaml").read_text(encoding="utf-8"))
    return [Question(q["ask"], frozenset(q["answers"])) for q in raw["questions"]]


def listed(text: str) -> list[str]:
    """The nicknames an answer lists, in its order."""
    return _LISTED.findall(text)


def recall_at(questions: list[Question], answers: list[list[str]], k: int = 3) -> float:
    """The share of questions with one of their statements among the first `k` listed."""
    found = sum(bool(q.answers & set(a[:k])) for q, a in zip(questions, answers, strict=True))
    return found / len(questions)
