"""Asking in plain words: `/ask what was the lag objection again?` and `@Cruxbot …`.

A question is not a search: most of its words ("what was the … again") say
nothing about what is wanted, the one word that does may be a nickname
(`lag`), a kind ("the reply to lag"), or a misspelt title word. So the answer
is put together from several signals, each a few index lookups:

- the stemmed full text, any word matching, ranked by the database (bm25 on
  SQLite, ts_rank_cd on PostgreSQL: nickname over title over text, steelmen
  at half weight), scaled so the best text match scores 1;
- nicknames and aliases the question names (`lag`, `blank slate` for
  `blank-slate`), or nearly names (`rigorus evals`), which count more than
  any text match: a member who names a statement means it;
- kind words as a hint: "the reply to lag" wants what answers `lag` and is a
  reply, more than `lag` itself;
- a typo-tolerant comparison of the question with each candidate's title.

When an embedding provider is configured, the statements closest in meaning
(`bot.services.meaning`) are fused with that ranking by reciprocal rank
fusion: each list gives a statement 1/(60 + its place), so one found by both
comes first, and one only meaning finds ("who has to prove a new system is
safe?") still gets in. Without a provider, or while it fails, the answer is
the words' alone.

The best few are shown, best first, with buttons to open each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from bot.domain import SLUG_PATTERN
from bot.errors import UserError
from bot.render.reply import Action, Reply
from bot.render.statements import SNIPPET, list_reply, snippet
from bot.services.common import suggestions
from bot.services.meaning import Meaning
from bot.services.registry import Rules, handles
from bot.services.statements import show_statement
from bot.storage.models import Statement
from bot.storage.search import Term, highlight
from bot.storage.stemming import Question, parse, phrases
from bot.storage.unit_of_work import UnitOfWork

#: The longest question taken: a question, not a pasted text (only 40 words are read).
QUESTION_MAX = 1_000
#: How many statements an answer shows.
SHOWN = 5
#: How many text matches are weighed against the other signals.
POOL = 30
#: What naming a statement, answering a named one, or being of a hinted kind adds.
NAMED, ANSWERS_NAMED, HINTED_KIND = 1.5, 1.6, 0.25
#: How alike (0-100) a misspelt nickname must be to count, and what its likeness adds.
NEARLY_NAMED_CUTOFF, NEARLY_NAMED = 85.0, 1.2
#: Nicknames sharing a question word's first letters compared with it (each a row read).
NEAR_CANDIDATES = 20
#: What a title alike to the question's keywords adds, at most.
TITLE_ALIKE = 0.3
#: Reciprocal rank fusion's constant (the usual one): how little a place lower down matters.
FUSION_K = 60
#: The least similarity (cosine) a statement found by meaning alone must have to be shown.
CLOSE_ENOUGH = 0.25


@dataclass
class Scores:
    """Each candidate statement's score and why it is a candidate."""

    points: defaultdict[int, float] = field(default_factory=lambda: defaultdict(float))
    why: dict[int, str] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)

    def add(self, statement_id: int, points: float, why: str = "") -> None:
        self.points[statement_id] += points
        if why and statement_id not in self.why:
            self.why[statement_id] = why


async def ask(uow: UnitOfWork, asked: str, meaning: Meaning | None = None) -> Reply:
    """The statements that best answer a question, best first, or what is close."""
    if len(asked) > QUESTION_MAX:
        raise UserError(
            f"That question is {len(asked):,} characters long; the limit is {QUESTION_MAX:,}.",
            hint="Ask it in fewer words, or /search for a few of them.",
        )
    question = parse(asked)
    if not question.words:
        return ask_prompt()
    scores = await _score(uow, question)
    close = await _close_in_meaning(uow, meaning, asked) if meaning is not None else []
    extra = [i for i in close if i not in scores.points]
    candidates = await uow.statements.by_ids([*scores.points, *extra])
    lexical = [s for s in candidates if s.id in scores.points]
    _weigh_titles_and_kinds(scores, question, lexical)
    ranked = sorted(lexical, key=lambda s: (-scores.points[s.id], -s.id))
    best = _fused(ranked, close, candidates, scores)[:SHOWN] if close else ranked[:SHOWN]
    if not best:
        return await _nothing_close(uow, asked, question)
    excerpts = await _excerpts(uow, best, scores)
    shown = " ".join(asked.split())
    listed = list_reply(
        f"Closest to: {shown[:200]}",
        best,
        f"Best first. Every statement with these words: /search {' '.join(question.keywords)}",
        "",
        snippets=excerpts,
    )
    opens = tuple(Action(f"Open {s.slug}"[:75], s.kind, (("slug", s.slug),)) for s in best)
    return replace(listed, actions=opens)


@handles("ask")
async def ask_command(uow: UnitOfWork, question: str = "", *, rules: Rules) -> Reply:
    """`/ask <question>`; without one, how to ask."""
    return await ask(uow, question, rules.meaning)


async def _close_in_meaning(uow: UnitOfWork, meaning: Meaning, asked: str) -> list[int]:
    """The statements closest in meaning to the question, closest first ([] if none or down)."""
    vector = await meaning.question(asked)
    if vector is None:
        return []
    found = await uow.statements.nearest(meaning.model, vector, POOL)
    return [statement_id for statement_id, score in found if score >= CLOSE_ENOUGH]


def _fused(
    ranked: list[Statement], close: list[int], candidates: list[Statement], scores: Scores
) -> list[Statement]:
    """Both rankings fused by reciprocal rank: 1/(FUSION_K + place) from each list."""
    fused: defaultdict[int, float] = defaultdict(float)
    for place, statement in enumerate(ranked, 1):
        fused[statement.id] += 1 / (FUSION_K + place)
    for place, statement_id in enumerate(close, 1):
        fused[statement_id] += 1 / (FUSION_K + place)
        scores.why.setdefault(statement_id, "close in meaning")
    return sorted((s for s in candidates if s.id in fused), key=lambda s: (-fused[s.id], -s.id))


async def mention(uow: UnitOfWork, text: str, meaning: Meaning | None = None) -> Reply:
    """`@Cruxbot lag` shows the statement a lone known nickname names; anything else is asked."""
    words = text.split()
    slug = words[0].lower() if words else ""
    single = len(words) == 1 and SLUG_PATTERN.match(slug) is not None
    if single and await uow.statements.by_slug(slug) is not None:
        return await show_statement(uow, slug)
    return await ask(uow, text, meaning)


def ask_prompt() -> Reply:
    """How to ask, with a button that opens a form for the question (Slack's App Home shows it)."""
    return Reply(
        title="Ask in plain words",
        body="Type a question as you would ask the group: "
        "/ask what was the lag objection again? Mentioning the bot asks the same way.",
        actions=(Action("Ask a question", "ask", ask=("question",), style="primary"),),
        ephemeral=True,
    )


async def _score(uow: UnitOfWork, question: Question) -> Scores:
    """Every signal's points for each candidate, but titles and kinds (see `ask`).

    Words of a nickname the question names exactly are not searched for as
    text too, when it has other words: the statement is found already, and a
    nickname's words can be common ones (ranking every statement holding a
    common word is the most costly query of all).
    """
    scores = Scores(terms=question.terms())
    named, named_words = await _named(uow, question, scores)
    # Only the nickname asked about: its words, as text, find what mentions it.
    lexical = [t for t in scores.terms if t.forms[0] not in named_words] or scores.terms
    ids, points = await uow.statements.best_matches(lexical, POOL) if lexical else ([], [])
    if lexical and len(ids) < SHOWN:  # a misspelt word finds nothing whole: its first letters
        loose = [Term((w[:4],), prefix=True) for w in question.keywords if len(w) >= 5]
        more, more_points = await uow.statements.best_matches(loose, POOL)
        # Half as good as a whole word: a prefix matches more than was meant.
        scale = 0.5 * max(points, default=1.0) / max(more_points, default=1.0)
        for statement_id, score in zip(more, more_points, strict=True):
            if statement_id not in ids:
                ids.append(statement_id)
                points.append(score * scale)
        scores.terms += loose
    top = max(points, default=0.0) or 1.0
    for statement_id, score in zip(ids, points, strict=True):
        scores.add(statement_id, score / top)
    await _answers(uow, question, named, scores)
    return scores


async def _named(
    uow: UnitOfWork, question: Question, scores: Scores
) -> tuple[dict[int, str], set[str]]:
    """Statements the question names by nickname, exactly or nearly, and the exact names' words."""
    candidates = phrases(question.words)
    exact = await uow.statements.named_statements(candidates)
    named = {statement_id: name for name, statement_id in exact.items()}
    words = {word for name in exact for word in name.split("-")}
    for statement_id, name in named.items():
        scores.add(statement_id, NAMED, f"named `{name}`")
    # A question naming a statement exactly is not looked through for near nicknames
    # too: each look-up is a query, and a second, misspelt nickname is rare.
    keywords = set() if exact else set(question.keywords)
    nearly = [
        p for p in candidates if len(p) >= 5 and p not in exact and set(p.split("-")) <= keywords
    ]
    for prefix in list(dict.fromkeys(p[:3] for p in nearly))[:6]:
        known = await uow.statements.nicknames_starting(prefix, NEAR_CANDIDATES)
        for phrase in (p for p in nearly if p.startswith(prefix)):
            match = process.extractOne(
                phrase, list(known), scorer=fuzz.ratio, score_cutoff=NEARLY_NAMED_CUTOFF
            )
            if match is not None and known[match[0]] not in named:
                statement_id = known[match[0]]
                named[statement_id] = match[0]
                scores.add(statement_id, NEARLY_NAMED * match[1] / 100, f"like `{match[0]}`")
    return named, words


async def _answers(
    uow: UnitOfWork, question: Question, named: dict[int, str], scores: Scores
) -> None:
    """Statements answering a named one, of a kind the question asks for ("reply to lag").

    The kinds of the named statements themselves are not asked for: in "the
    lag objection", "objection" says what `lag` is.
    """
    if not named or not question.kinds:
        return
    named_kinds = set((await uow.statements.kinds_of(list(named))).values())
    wanted = question.kinds - named_kinds
    if not wanted:
        return
    for statement_id, target_id in await uow.statements.answers_to(list(named), wanted):
        scores.add(statement_id, ANSWERS_NAMED, f"answers `{named[target_id]}`")


def _weigh_titles_and_kinds(
    scores: Scores, question: Question, candidates: list[Statement]
) -> None:
    """A little for titles alike to the keywords (misspellings and all), and hinted kinds."""
    wanted = " ".join(question.keywords)
    for statement in candidates:
        alike = fuzz.token_set_ratio(wanted, statement.title.lower())
        scores.add(statement.id, TITLE_ALIKE * max(0.0, alike - 50.0) / 50.0)
        if statement.kind in question.kinds:
            scores.add(statement.id, HINTED_KIND)


async def _excerpts(uow: UnitOfWork, best: list[Statement], scores: Scores) -> dict[int, str]:
    """One line each showing why it matched: its words in bold, or what named it.

    In order: the words in the text, what named it ("named `lag`", "answers
    `lag`"), the words in the title, the words in a steelman, the text's start.
    """
    excerpts: dict[int, str] = {}
    for statement in best:
        found = highlight(statement.text, scores.terms)
        why = scores.why.get(statement.id, "")
        if found is None and why:
            found = f"({why}) {snippet(statement.text, SNIPPET - len(why) - 3)}"
        found = found or highlight(statement.title, scores.terms)
        if found is not None:
            excerpts[statement.id] = found
    missing = [s.id for s in best if s.id not in excerpts]
    steelmen = await uow.statements.steelmen_of(missing) if missing else {}
    for statement_id in missing:
        for row in steelmen.get(statement_id, ()):
            in_steelman = highlight(row.text, scores.terms, SNIPPET - 11)
            if in_steelman is not None:
                excerpts[statement_id] = f"steelman: {in_steelman}"
                break
    return excerpts


async def _nothing_close(uow: UnitOfWork, asked: str, question: Question) -> Reply:
    """Nothing matched: the nicknames nearest the question's words, and how to search."""
    near: list[str] = []
    for word in (w for w in question.keywords if len(w) >= 3):
        for match in suggestions(word, await uow.statements.slug_candidates(word, 10)):
            if match not in near:
                near.append(match)
    body = "Nothing close."
    if near:
        body += " Nearest nicknames: " + ", ".join(f"`{n}`" for n in near[:5]) + "."
    body += " Try other words, /search <words>, or /list to see everything logged."
    return Reply(title=f"Asked: {' '.join(asked.split())[:200]}", body=body, ephemeral=True)
