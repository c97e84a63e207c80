"""Replies that show statements: one in full, or many as a list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from bot.domain import ANSWERS_THE_READING, POSITIONS
from bot.render.reply import Action, Field, Reply, Shown
from bot.storage.models import Statement
from bot.storage.statement_view import Named, StatementView

SNIPPET = 160


def headline(statement: Statement) -> str:
    """`lag` — Alignment may lag capabilities (objection, open)."""
    return f"`{statement.slug}` — {statement.title} ({statement.kind}, {statement.status})"


def _merged_headline(statement: Statement, into: str) -> str:
    """`lag-2` — Alignment trails capabilities (objection, merged into `lag`)."""
    return f"`{statement.slug}` — {statement.title} ({statement.kind}, merged into `{into}`)"


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The start of a text on one line, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0] + "…"


class StanceLike(Protocol):
    """What a stance summary needs of a stance (a row, or the view's summary of one)."""

    @property
    def member_name(self) -> str: ...
    @property
    def position(self) -> str: ...
    @property
    def credence(self) -> int | None: ...


def stance_summary(stances: Sequence[StanceLike]) -> str:
    """ "agree 2 (Priya, Mei) · disagree 1 (Jonas) · mean credence 61%"."""
    if not stances:
        return ""
    parts = []
    for position in POSITIONS:
        members = [s.member_name for s in stances if s.position == position]
        if members:
            parts.append(
                f"{position} {len(members)} ({', '.join(members[:5])}"
                + (", …)" if len(members) > 5 else ")")
            )
    credences = [s.credence for s in stances if s.credence is not None]
    if credences:
        parts.append(f"mean credence {round(sum(credences) / len(credences))}%")
    return " · ".join(parts)


def statement_reply(view: StatementView) -> Reply:
    """The full view of one statement, with buttons for what to do next."""
    statement, target = view.statement, view.target
    duplicate_of, reading = view.duplicate_of, view.reading
    body = statement.text
    if statement.quote:
        body += "\n\n> " + statement.quote.replace("\n", "\n> ")
    aliases = [name for name in view.names if name != statement.slug]
    source = statement.source_url
    if statement.source_page:
        source = f"{source} p. {statement.source_page}".strip()
    fields = [
        Field(
            "Status",
            statement.status + (f" (duplicate of `{duplicate_of.slug}`)" if duplicate_of else ""),
        ),
        Field("Author", statement.author_name),
        Field(
            "Steelmen",
            f"{view.steelmen} (/steelman {statement.slug})" if view.steelmen else "none yet",
        ),
    ]
    if statement.source_member_name:
        # Its text is still that member's words (see services.statements.quoted_source).
        fields.insert(2, Field("Quoted", f"from {statement.source_member_name}'s message"))
    if target is not None:
        label = {"reply": "Answers", "support": "Supports"}.get(statement.kind, "Against")
        fields.insert(0, Field(label, f"{target.kind} `{target.slug}` — {target.title}", False))
    if target is None and reading is not None and statement.kind in ANSWERS_THE_READING:
        fields.insert(0, Field("Against", f"the reading `{reading.slug}` — {reading.title}", False))
    elif reading is not None:
        fields.append(Field("Reading", f"`{reading.slug}` — {reading.title}"))
    fields.append(Field("Stances", stance_summary(view.stances) or "none yet", False))
    if view.replies:
        fields.append(Field("Replies", _child_lines(view.replies, view.reply_count), False))
    fields += _answer_fields(view.answers, view.answer_count)
    if aliases:
        fields.append(Field("Also known as", ", ".join(f"`{a}`" for a in aliases)))
    if source:
        fields.append(Field("Source", source))
    if statement.origin_url:
        fields.append(Field("First raised", statement.origin_url))
    slug = statement.slug
    return Reply(
        title=f"{statement.kind.capitalize()} `{slug}`: {statement.title}",
        body=body,
        fields=tuple(fields),
        actions=_next_steps(statement),
        accent=statement.status,
        footer="" if statement.deleted_at is None else "This statement is deleted.",
        shows=Shown(slug, statement.status),
    )


def _next_steps(statement: Statement) -> tuple[Action, ...]:
    """The buttons under a statement: take a stance, steelman it, answer it, see answers."""
    slug = statement.slug
    on = (("slug", slug),)
    # Only an objection takes replies; anything else is answered by objections.
    answer = ("reply", "Reply") if statement.kind == "objection" else ("objection", "Object")
    listed = "replies" if statement.kind == "objection" else "objections"
    return (
        Action("Agree", "agree", on, style="success"),
        Action("Disagree", "disagree", on, style="danger"),
        Action("Unsure", "unsure", on),
        Action("Steelman", "steelman", on, ask=("text",)),
        Action(answer[1], answer[0], (("to", slug),), ask=("text",), offer=("slug",)),
        Action(f"Show {listed}", "list", (("kind", listed), ("to", slug))),
    )


def merged_reply(statement: Statement, name: str, into: Named) -> Reply:
    """What a merged statement said, and where its nickname `name` leads now.

    Merging moves a statement's nicknames, stances, steelmen and answers to
    the one it was merged into; showing that one alone under the old
    nickname would hide that the wording was ever different.
    """
    body = statement.text
    if statement.quote:
        body += "\n\n> " + statement.quote.replace("\n", "\n> ")
    command = statement.kind
    return Reply(
        title=f"`{name}` was merged into `{into.slug}`",
        body=body,
        fields=(
            Field("Merged into", f"{into.kind or statement.kind} `{into.slug}` — {into.title}"),
            Field("Author", statement.author_name),
        ),
        actions=(Action(f"Open {into.slug}", command, (("slug", into.slug),), style="primary"),),
        accent="duplicate",
        footer=f"Its nicknames, stances, steelmen and answers now belong to `{into.slug}`.",
    )


def _answer_fields(answers: Sequence[Named], total: int) -> list[Field]:
    """Objections and supports answering the statement, each under its own heading.

    Both come in one list of the first few answers; what the list leaves out
    is counted under the last heading shown.
    """
    fields = []
    shown = 0
    for kind, label in (("objection", "Objections"), ("support", "Supports")):
        of_kind = [a for a in answers if a.kind == kind]
        if of_kind:
            fields.append(Field(label, _child_lines(of_kind, len(of_kind)), False))
            shown += len(of_kind)
    if fields and total > shown:
        last = fields[-1]
        fields[-1] = Field(last.name, f"{last.value}\n…and {total - shown} more", False)
    return fields


def _child_lines(listed: Sequence[Named], total: int) -> str:
    lines = [f"`{c.slug}` — {c.title} ({c.status})" for c in listed]
    if total > len(listed):
        lines.append(f"…and {total - len(listed)} more")
    return "\n".join(lines)


def list_reply(
    title: str,
    statements: Sequence[Statement],
    footer: str,
    empty: str,
    *,
    snippets: Mapping[int, str] | None = None,
    merged_into: Mapping[int, str] | None = None,
    paging: tuple[Action, ...] = (),
) -> Reply:
    """Statements as a list, one line each with a snippet of the text.

    `snippets` replaces the start of the text for some statements (search
    results show where the words matched, in bold); `merged_into` names, for
    merged statements, the slug they were merged into; `paging` are the
    buttons that turn its pages.
    """
    if not statements:
        return Reply(title=title, body=empty, footer=footer, ephemeral=True, paging=paging)
    shown = snippets or {}
    merged = merged_into or {}
    lines = [
        f"{_merged_headline(s, merged[s.id]) if s.id in merged else headline(s)}\n"
        f"    {shown.get(s.id) or snippet(s.text)}"
        for s in statements
    ]
    return Reply(title=title, body="\n".join(lines), footer=footer, paging=paging)


def paging_actions(
    command: str, args: tuple[tuple[str, str], ...], page: int, has_next: bool
) -> tuple[Action, ...]:
    """ "Previous" and "Next" buttons that run the same listing on the next page."""
    actions = []
    if page > 1:
        actions.append(Action("Previous", command, (*args, ("page", str(page - 1)))))
    if has_next:
        actions.append(Action("Next", command, (*args, ("page", str(page + 1))), style="primary"))
    return tuple(actions)
