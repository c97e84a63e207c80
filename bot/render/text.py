"""Plain-text rendering of a Reply, for the console and scripts.

A Markdown link in stored text (`[text](url)`, as Kialo writes them) shows as
`text (url)`: a terminal has no links, and the address stays in view.
"""

from __future__ import annotations

from bot.commands.actions import action_line
from bot.render.links import as_text_and_address, links_as
from bot.render.reply import Reply


def render_text(reply: Reply) -> str:
    """Render a reply as plain text: title, body, fields, actions, footer."""
    parts: list[str] = []
    if reply.title:
        parts.append(reply.title)
    if reply.body:
        parts.append(("Error: " if reply.error else "") + _plain(reply.body))
    if reply.fields:
        parts.append("\n".join(_field_line(f.name, _plain(f.value)) for f in reply.fields))
    if reply.actions:
        parts.append("Next: " + "  ·  ".join(action_line(a) for a in reply.actions))
    if reply.paging:
        parts.append("  ·  ".join(f"{a.label} page: {action_line(a)}" for a in reply.paging))
    if reply.link is not None:
        parts.append(f"{reply.link.label}: {reply.link.url}")
    if reply.footer:
        parts.append(reply.footer)
    return "\n\n".join(parts)


def _field_line(name: str, value: str) -> str:
    if "\n" in value:
        indented = "\n".join("  " + line for line in value.splitlines())
        return f"{name}:\n{indented}"
    return f"{name}: {value}"


def _plain(text: str) -> str:
    return links_as(text, as_text_and_address)
